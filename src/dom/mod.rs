//! The DOM layer: renders state into open shadow roots. It reads no config file and owns
//! no state; it builds elements from the core's checked types and hands back handles.
//! Text from config or server is only ever set with `textContent` (`El::text`).

use crate::prelude::*;

pub mod card;
pub mod cart;
pub mod post;
pub mod price;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, ShadowRoot};

#[wasm_bindgen]
extern "C" {
    /// Any node (or a `CSSStyleDeclaration`), seen only through the calls below, bound
    /// without `catch` (see `Dom`).
    type Raw;
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attribute(this: &Raw, name: &str, value: &str);
    #[wasm_bindgen(method, js_name = removeAttribute)]
    fn remove_attribute(this: &Raw, name: &str);
    #[wasm_bindgen(method, js_name = appendChild)]
    fn append_child(this: &Raw, child: &JsValue);
    #[wasm_bindgen(method)]
    fn append(this: &Raw, text: &str);
    #[wasm_bindgen(method, js_name = querySelector)]
    fn query_selector(this: &Raw, selectors: &str) -> Option<Element>;
    #[wasm_bindgen(method, js_name = querySelectorAll)]
    fn query_selector_all(this: &Raw, selectors: &str) -> web_sys::NodeList;
    #[wasm_bindgen(method, js_name = createElement)]
    fn create_element(this: &Raw, tag: &str) -> Element;
    #[wasm_bindgen(method)]
    fn focus(this: &Raw);
    #[wasm_bindgen(method, js_name = getPropertyValue)]
    fn get_property_value(this: &Raw, name: &str) -> String;
    #[wasm_bindgen(method, getter)]
    fn style(this: &Raw) -> Raw;
    #[wasm_bindgen(method, setter = cssText)]
    fn set_css_text(this: &Raw, css: &str);
    #[wasm_bindgen(method, getter)]
    fn value(this: &Raw) -> String;
    #[wasm_bindgen(method, setter)]
    fn set_value(this: &Raw, value: &str);
    #[wasm_bindgen(method, getter)]
    fn key(this: &Raw) -> Option<String>;
    #[wasm_bindgen(method, js_name = cloneNode)]
    fn clone_node(this: &Raw) -> Element;
    #[wasm_bindgen(method)]
    fn after(this: &Raw, node: &JsValue);
    #[wasm_bindgen(method, getter, js_name = classList)]
    fn class_list(this: &Raw) -> Raw;
    /// `DOMTokenList.toggle`: whether the token is now present.
    #[wasm_bindgen(method)]
    fn toggle(this: &Raw, token: &str) -> bool;
    #[wasm_bindgen(method)]
    fn add(this: &Raw, token: &str);
}

/// The widget's most frequent DOM calls, without web-sys's `Result`: those bindings catch
/// every exception, which costs each of ~100 call sites a check and a drop (~0.8 KB of
/// wasm brotli with the glue's `handleError` wrappers). These calls cannot throw as the
/// widget makes them: attribute names, tag names and selectors are constants (only
/// invalid ones throw), and children are new nodes appended to the widget's own tree
/// (only a cycle or a doctype throws). Calls that can fail (`attachShadow`, storage,
/// `JSON.parse`, a selector built from an item id) keep the `Result` bindings.
pub trait Dom: AsRef<JsValue> {
    fn set_attr(&self, name: &str, value: &str) {
        self.as_ref()
            .unchecked_ref::<Raw>()
            .set_attribute(name, value);
    }
    fn unset_attr(&self, name: &str) {
        self.as_ref().unchecked_ref::<Raw>().remove_attribute(name);
    }
    fn add_child(&self, child: &impl AsRef<JsValue>) {
        self.as_ref()
            .unchecked_ref::<Raw>()
            .append_child(child.as_ref());
    }
    fn add_text(&self, text: &str) {
        self.as_ref().unchecked_ref::<Raw>().append(text);
    }
    /// A property of a `CSSStyleDeclaration` (an empty string when it has none).
    fn css(&self, property: &str) -> String {
        self.as_ref()
            .unchecked_ref::<Raw>()
            .get_property_value(property)
    }
    /// Sets the element's whole inline style through the CSSOM (`style.cssText`), not the
    /// `style` attribute: a page whose Content-Security-Policy has no `'unsafe-inline'` in
    /// `style-src` blocks style attributes (every overlay, tag and card position), while
    /// CSSOM writes are never blocked.
    fn set_inline_style(&self, css: &str) {
        self.as_ref()
            .unchecked_ref::<Raw>()
            .style()
            .set_css_text(css);
    }
    /// A shallow copy of the node (`cloneNode()`, which cannot throw on an element).
    fn copy(&self) -> Element {
        self.as_ref().unchecked_ref::<Raw>().clone_node()
    }
    /// Inserts `node`, a new node of the widget's, right after this one (`after`: nothing
    /// happens without a parent, and only inserting an ancestor would throw).
    fn put_after(&self, node: &impl AsRef<JsValue>) {
        self.as_ref().unchecked_ref::<Raw>().after(node.as_ref());
    }
    /// Toggles a constant class name (only an empty or spaced token throws); returns
    /// whether the element has it now.
    fn toggle_class(&self, name: &str) -> bool {
        self.as_ref()
            .unchecked_ref::<Raw>()
            .class_list()
            .toggle(name)
    }
    /// Adds a constant class name.
    fn add_class(&self, name: &str) {
        self.as_ref().unchecked_ref::<Raw>().class_list().add(name);
    }
    /// The `value` of one of the widget's own `<input>`s or `<select>`s (found by their
    /// `data-shoppable-*` hook, so no `instanceof` check).
    fn field_value(&self) -> String {
        self.as_ref().unchecked_ref::<Raw>().value()
    }
    fn set_field_value(&self, value: &str) {
        self.as_ref().unchecked_ref::<Raw>().set_value(value);
    }
    /// An event's `key`: a `KeyboardEvent`'s or a `StorageEvent`'s, read without an
    /// `instanceof` check; `None` when the event has none (a page's synthetic `Event`).
    fn event_key(&self) -> Option<String> {
        self.as_ref().unchecked_ref::<Raw>().key()
    }
    /// `querySelector` with a constant selector.
    fn find(&self, selector: &str) -> Option<Element> {
        self.as_ref()
            .unchecked_ref::<Raw>()
            .query_selector(selector)
    }
    /// `querySelectorAll` with a constant selector, as elements (what a selector matches
    /// always is one, so no `instanceof` check per node).
    fn find_all(&self, selector: &str) -> Vec<Element> {
        let list = self
            .as_ref()
            .unchecked_ref::<Raw>()
            .query_selector_all(selector);
        let mut out = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            if let Some(node) = list.item(i) {
                out.push(node.unchecked_into());
            }
        }
        out
    }
}

impl<T: AsRef<JsValue>> Dom for T {}

/// A small element builder: `El::new("button").attr("type", "button").text(title)`.
pub struct El(pub Element);

impl El {
    pub fn new(tag: &str) -> El {
        // The cached global, borrowed: no handle cloned and dropped per element.
        El(crate::io::DOCUMENT.with(|d| d.unchecked_ref::<Raw>().create_element(tag)))
    }
    pub fn attr(self, name: &str, value: &str) -> El {
        self.0.set_attr(name, value);
        self
    }
    pub fn class(self, name: &str) -> El {
        self.0.set_class_name(name);
        self
    }
    /// Sets text as text: never parsed as HTML, whatever it holds.
    pub fn text(self, text: &str) -> El {
        self.0.set_text_content(Some(text));
        self
    }
    pub fn child(self, child: &Element) -> El {
        self.0.add_child(child);
        self
    }
    pub fn button(class: &str, label: Option<&str>) -> El {
        let b = El::new("button").attr("type", "button").class(class);
        match label {
            Some(l) => b.attr("aria-label", l),
            None => b,
        }
    }
    pub fn get(self) -> Element {
        self.0
    }
}

/// One constructed stylesheet, adopted by every shadow root, so a page with a thousand
/// posts parses the CSS once.
pub struct Styles {
    sheet: Option<web_sys::CssStyleSheet>,
}

impl Styles {
    /// `accent` is a validated hex colour (config refuses anything else), safe in CSS.
    pub fn new(accent: Option<&str>) -> Styles {
        let mut css = String::from(include_str!("widget.css"));
        if let Some(a) = accent {
            css.push_str(&cat!(":host{--_a:var(--shoppable-accent,", a, ")}"));
        }
        let sheet = web_sys::CssStyleSheet::new().ok();
        if let Some(s) = &sheet {
            let _ = s.replace_sync(&css);
        }
        Styles { sheet }
    }

    /// Attaches an open shadow root to `host` with the shared sheet and an empty `.root`.
    pub fn shadow(&self, host: &Element, dir: &str, lang: &str) -> Option<(ShadowRoot, Element)> {
        let init = web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open);
        let shadow = host
            .shadow_root()
            .or_else(|| host.attach_shadow(&init).ok())?;
        if let Some(sheet) = &self.sheet {
            let sheets = js_sys::Array::of1(sheet);
            let _ =
                js_sys::Reflect::set(&shadow, &JsValue::from_str("adoptedStyleSheets"), &sheets);
        }
        let root = El::new("div")
            .class("root")
            .attr("dir", dir)
            .attr("lang", lang)
            .get();
        shadow.set_text_content(None);
        shadow.add_child(&root);
        Some((shadow, root))
    }
}

/// The nearest element at or above the event's real target (inside shadow roots) that
/// carries `attribute`.
pub fn target_with(event: &web_sys::Event, attribute: &str) -> Option<Element> {
    let path = event.composed_path();
    for node in path.iter() {
        let Ok(element) = node.dyn_into::<Element>() else {
            continue;
        };
        if element.has_attribute(attribute) {
            return Some(element);
        }
        // Not `class_name()`: on SVG elements (the icons) that is an SVGAnimatedString,
        // which wasm-bindgen cannot read as a string (it crashed on a click on an icon).
        if element.class_list().contains("root") {
            return None;
        }
    }
    None
}

/// Sets `text` as the element's text, with each run between FSI and PDI
/// (`core::i18n::isolate`, a product title inside a sentence) as a `<bdi>` element: the
/// same bidi isolation, without invisible characters in the element's text.
pub fn set_isolated_text(element: &Element, text: &str) {
    element.set_text_content(None);
    let mut rest = text;
    while let Some((before, after)) = crate::core::split_once(rest, '\u{2068}') {
        element.add_text(before);
        let (inner, next) = crate::core::split_once(after, '\u{2069}').unwrap_or((after, ""));
        element.add_child(&El::new("bdi").text(inner).get());
        rest = next;
    }
    element.add_text(rest);
}

pub fn set_hidden(element: &Element, hidden: bool) {
    if hidden {
        element.set_attr("hidden", "");
    } else {
        element.unset_attr("hidden");
    }
}

/// Has the browser style and lay out a hidden element once without showing it: it is
/// `visibility: hidden` and shown only for one forced layout, hidden again in the same task,
/// so no frame ever paints it. Its first style, layout and font matching are then done.
/// Its inline style is removed: only for elements that get theirs when shown (the card is
/// placed at each opening) or have none (the cart panel).
pub fn lay_out_unseen(element: &Element) {
    element.set_inline_style("visibility:hidden");
    set_hidden(element, false);
    let _ = element.get_bounding_client_rect();
    set_hidden(element, true);
    element.unset_attr("style");
}

/// A quantity stepper, `− [n] +`, as the cart lines and the card use it. `attrs` names the
/// decrease, quantity and increase hooks, each set to `id`; `title` goes into the three
/// controls' accessible names ("Decrease quantity of …", "Quantity of …"), so a screen
/// reader's list of form fields tells the cart's lines apart.
pub fn stepper(view: &View<'_>, attrs: [&str; 3], id: &str, title: &str, quantity: u32) -> Element {
    use crate::core::i18n::Key;
    let s = view.strings;
    let button = |key, attr, text| {
        El::button("", Some(&s.fill(key, &[("title", title)])))
            .attr(attr, id)
            .text(text)
            .get()
    };
    El::new("div")
        .class("step")
        .child(&button(Key::Decrease, attrs[0], "−"))
        .child(
            &El::new("input")
                .attr(attrs[1], id)
                .attr("inputmode", "numeric")
                .attr("aria-label", &s.fill(Key::Quantity, &[("title", title)]))
                .attr("value", &view.prices.count(quantity))
                .get(),
        )
        .child(&button(Key::Increase, attrs[2], "+"))
        .get()
}

/// Focuses an element of the widget (HTML and SVG elements both have `focus`).
pub fn focus(element: &Element) {
    element.unchecked_ref::<Raw>().focus();
}

/// Moves focus into a dialog the widget has just shown (the card, the cart panel) once it is
/// painted. A focus change costs 1–15 ms in Chromium even on a trivial page, so doing it in
/// the click's own task delayed the frame that shows the dialog; `make bench` measures
/// click to painted frame. If the dialog was hidden again meanwhile, nothing happens
/// (hidden elements take no focus).
pub fn focus_after_paint(element: &Element) {
    let element = element.clone();
    crate::io::after_paint(move || focus(&element));
}

/// What rendering needs to know, borrowed from the app for one render.
pub struct View<'a> {
    pub config: &'a crate::core::config::Config,
    pub strings: &'a crate::core::i18n::Strings,
    pub prices: &'a price::PriceFormat,
    pub styles: &'a Styles,
    pub tags: &'a post::TagFactory,
    pub dir: &'a str,
    pub lang: &'a str,
}

//! RAII event listeners and observers: the browser resource is released when the value is
//! dropped (gloo's habit), so whoever owns the handle owns the listener's lifetime.

use crate::prelude::*;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{EventTarget, MutationObserver, ResizeObserver};

use super::Target;

#[wasm_bindgen]
extern "C" {
    /// A `ResizeObserver`, `MutationObserver` or `IntersectionObserver`: the three share
    /// these methods, so each is bound once (web-sys binds them per class: five more
    /// imports and their glue). Nothing here throws as the widget calls it: targets are
    /// elements, and the one options object is a constant, valid `MutationObserverInit`.
    type Observer;
    #[wasm_bindgen(method)]
    fn observe(this: &Observer, target: &JsValue, options: &JsValue);
    #[wasm_bindgen(method)]
    fn unobserve(this: &Observer, target: &JsValue);
    #[wasm_bindgen(method)]
    fn disconnect(this: &Observer);
}

/// An observer and its callback, disconnected when dropped.
struct Watch {
    observer: Observer,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Watch {
    fn observe(&self, element: &web_sys::Element) {
        self.observer.observe(element, &JsValue::UNDEFINED);
    }

    fn unobserve(&self, element: &web_sys::Element) {
        self.observer.unobserve(element);
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

pub struct EventListener {
    target: EventTarget,
    /// One event type, or several separated by spaces: one callback serves them all (a
    /// closure per type would be a JS function and a box more per listener).
    kind: &'static str,
    capture: bool,
    callback: Closure<dyn FnMut(web_sys::Event)>,
}

impl EventListener {
    pub fn new(
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(web_sys::Event) + 'static,
    ) -> EventListener {
        Self::boxed(target, kind, false, Box::new(handler))
    }

    /// In the capture phase: on `document`, it hears events that do not bubble (`scroll`
    /// of any element).
    pub fn capture(
        target: &EventTarget,
        kind: &'static str,
        handler: impl FnMut(web_sys::Event) + 'static,
    ) -> EventListener {
        Self::boxed(target, kind, true, Box::new(handler))
    }

    /// Not generic: wasm-bindgen's closure glue exists once for every listener.
    fn boxed(
        target: &EventTarget,
        kind: &'static str,
        capture: bool,
        handler: Box<dyn FnMut(web_sys::Event)>,
    ) -> EventListener {
        let callback = Closure::wrap(handler);
        for kind in crate::core::split(kind, ' ') {
            target
                .unchecked_ref::<Target>()
                .add_event_listener(kind, callback.as_ref(), capture);
        }
        EventListener {
            target: target.clone(),
            kind,
            capture,
            callback,
        }
    }
}

impl Drop for EventListener {
    fn drop(&mut self) {
        for kind in crate::core::split(self.kind, ' ') {
            self.target.unchecked_ref::<Target>().remove_event_listener(
                kind,
                self.callback.as_ref(),
                self.capture,
            );
        }
    }
}

/// An observer's callback. Boxed by the caller, so the closure glue exists once.
fn array_callback(handler: Box<dyn FnMut(js_sys::Array)>) -> Closure<dyn FnMut(js_sys::Array)> {
    Closure::wrap(handler)
}

pub struct Resize(Watch);

impl Resize {
    pub fn new(handler: impl FnMut(js_sys::Array) + 'static) -> Option<Resize> {
        let callback = array_callback(Box::new(handler));
        let observer = ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        Some(Resize(Watch {
            observer: observer.unchecked_into(),
            _callback: callback,
        }))
    }

    pub fn observe(&self, element: &web_sys::Element) {
        self.0.observe(element);
    }

    /// Stops watching one element (a removed mount's image): the observer would otherwise
    /// keep it, and report on it, for the life of the page.
    pub fn unobserve(&self, element: &web_sys::Element) {
        self.0.unobserve(element);
    }
}

/// Held for its `Drop`: the observer is disconnected with it.
pub struct Mutations {
    _watch: Watch,
}

impl Mutations {
    /// Watches the subtree of `root` for added and removed nodes, and for changes of a
    /// mount's post id (`data-shoppable-post`, `post-id`).
    pub fn new(
        root: &web_sys::Node,
        handler: impl FnMut(js_sys::Array) + 'static,
    ) -> Option<Mutations> {
        let callback = array_callback(Box::new(handler));
        let observer: Observer = MutationObserver::new(callback.as_ref().unchecked_ref())
            .ok()?
            .unchecked_into();
        // The options as JSON text: one `JSON.parse`, which the widget binds anyway, instead
        // of a setter binding per field.
        let options = js_sys::JSON::parse(
            r#"{"childList":true,"subtree":true,"attributeFilter":["data-shoppable-post","post-id","data-shoppable-media"]}"#,
        )
        .ok()?;
        observer.observe(root, &options);
        Some(Mutations {
            _watch: Watch {
                observer,
                _callback: callback,
            },
        })
    }
}

/// An `IntersectionObserver` that hands its callback the targets that came into view.
pub struct Intersections(Watch);

impl Intersections {
    /// `margin` grows the viewport (`"100% 0px"`: one viewport above and below);
    /// `threshold` is the visible fraction that counts as "in view". The handler gets each
    /// target that came into view or, with `leaving`, went out of it, and which it did.
    pub fn new(
        margin: &str,
        threshold: f64,
        leaving: bool,
        mut handler: impl FnMut(Vec<(web_sys::Element, bool)>) + 'static,
    ) -> Option<Intersections> {
        let callback = array_callback(Box::new(move |entries: js_sys::Array| {
            // An IntersectionObserver hands only its entries: no `instanceof` check.
            let mut targets = Vec::new();
            for entry in entries.iter() {
                let entry = entry.unchecked_into::<web_sys::IntersectionObserverEntry>();
                let on = entry.is_intersecting();
                if on || leaving {
                    targets.push((entry.target(), on));
                }
            }
            handler(targets);
        }));
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin(margin);
        options.set_threshold(&JsValue::from(threshold));
        let observer = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        )
        .ok()?;
        Some(Intersections(Watch {
            observer: observer.unchecked_into(),
            _callback: callback,
        }))
    }

    pub fn observe(&self, element: &web_sys::Element) {
        self.0.observe(element);
    }

    pub fn unobserve(&self, element: &web_sys::Element) {
        self.0.unobserve(element);
    }
}

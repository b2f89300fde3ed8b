//! Mounts: tags over a page's own `<img>` (an overlay beside it that never moves, resizes or
//! re-requests the image), or a whole post rendered into a container's shadow root. Layout
//! reads every frame first and writes after, so a page of many posts lays out once.

use crate::prelude::*;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlImageElement};

use super::{set_hidden, Dom, El, View};
use crate::core::config::{Media, Post};
use crate::core::geometry::{self, css_px, digest, Fit, Rect, Size, DIGEST_START};
use crate::core::i18n::Key;
use crate::core::json::int;

/// One image and the tags drawn over it.
pub struct Frame {
    pub img: HtmlImageElement,
    /// The overlay host for `<img>` mounts: moved to sit exactly on the image's content box.
    pub overlay: Option<Element>,
    /// Each tag with its point (fractions of the natural size) and product index.
    pub tags: Vec<(Element, f64, f64, usize)>,
    /// The natural size the config declares (`media[].width/height`): tags are placed with
    /// it until the image has loaded, so they show at once instead of after the download.
    pub declared: Option<Size>,
    /// The last layout found the image inside a scroll container that does not move the
    /// overlay: its scrolling must lay the mount out again (`App::on_scroll`).
    pub scrolled: core::cell::Cell<bool>,
    /// The page shows some of the image (`App::shown`, an IntersectionObserver, which sees
    /// the containers' clipping, and tells a frame after the change): what a scroll lays
    /// out. An image scrolled out of view is laid out, and so hidden, until it says so.
    pub near: core::cell::Cell<bool>,
    /// What `apply` last wrote. A layout that finds the same boxes writes nothing: the
    /// ResizeObserver's first report on every newly rendered image, and each reflow, lay
    /// out mounts whose tags have not moved, and rewriting their styles made the browser
    /// style and lay them out a second time in that frame.
    pub applied: core::cell::Cell<u64>,
    /// The image's content box and offset (`offsetLeft`, `offsetTop`) as the last layout
    /// measured them (NaN before): see `unchanged`.
    pub last: core::cell::Cell<[f64; 4]>,
}

pub struct Measure {
    overlay_box: (f64, f64, f64, f64),
    points: Vec<Option<(f64, f64)>>,
    /// `clip-path: inset()` of an overlay whose image scroll containers partly hide.
    clip: Option<[f64; 4]>,
}

/// A computed length in CSS px. The browser's `parseFloat` reads "12.5px": computed
/// values are always in px, and the core's parser inlined here cost 2 KB of wasm.
fn px(style: &web_sys::CssStyleDeclaration, property: &str) -> f64 {
    let value = js_sys::parse_float(&style.css(property));
    if value.is_finite() {
        value
    } else {
        0.0
    }
}

impl Frame {
    pub fn measure(&self) -> Measure {
        let img = &self.img;
        let natural = match (img.natural_width(), self.declared) {
            (0, Some(size)) => size,
            _ => Size {
                width: f64::from(img.natural_width()),
                height: f64::from(img.natural_height()),
            },
        };
        let s = crate::io::computed_style(img);
        let (pl, pt, pr, pb) = (
            px(&s, "padding-left"),
            px(&s, "padding-top"),
            px(&s, "padding-right"),
            px(&s, "padding-bottom"),
        );
        let fit = Fit::from_css(&s.css("object-fit"));
        let position = geometry::parse_position(&s.css("object-position"));
        let frame = Size {
            width: f64::from(img.client_width()) - pl - pr,
            height: f64::from(img.client_height()) - pt - pb,
        };
        // A broken image (or one without a source) is loaded with no picture: its alt text
        // or a broken-image icon is all there is, so there is nothing to point at. Its tags
        // hide, as tags cropped away by `object-fit` do, until a picture loads (`load`
        // lays the mount out again). The post's product list stays for screen readers.
        let broken = img.complete() && img.natural_width() == 0;
        let mut points = Vec::with_capacity(self.tags.len());
        for (_, fx, fy, _) in &self.tags {
            points.push(if broken {
                None
            } else {
                geometry::place(natural, frame, fit, position, *fx, *fy)
            });
        }
        // `offsetLeft` is measured from the image's offset parent, the overlay is placed in
        // its own containing block (its offset parent): the same element, except in tables,
        // where a cell or the table is an image's offset parent. Those in between are added.
        let (mut left, mut top) = (img.offset_left(), img.offset_top());
        let offset = (f64::from(left), f64::from(top));
        let mut clip = None;
        if let Some(overlay) = &self.overlay {
            let target = overlay.unchecked_ref::<HtmlElement>().offset_parent();
            let mut between = img.offset_parent();
            while let Some(e) = between.filter(|e| Some(e) != target.as_ref()) {
                let e = e.unchecked_into::<HtmlElement>();
                left += e.offset_left() + e.client_left();
                top += e.offset_top() + e.client_top();
                between = e.offset_parent();
            }
            // Scroll containers between the image and that block (a strip of posts with
            // `overflow-x: auto` and no `position`, an app shell's scrolling `<main>`, a card
            // with `overflow: hidden` inside either) scroll the image but not the overlay:
            // `offsetLeft` ignores their scrolling, so it is taken off, and the overlay shows
            // only what all of them show. Most pages have none: the common case costs four
            // size reads per ancestor, and the style is read only of one that overflows.
            let mut visible: Option<Rect> = None;
            let mut up = img.parent_element();
            while let Some(e) = up.filter(|e| Some(e) != target.as_ref()) {
                let overflows =
                    e.scroll_width() > e.client_width() || e.scroll_height() > e.client_height();
                if overflows && clips(&e) {
                    left -= e.scroll_left();
                    top -= e.scroll_top();
                    let r = e.get_bounding_client_rect();
                    let shown = Rect {
                        x: r.left() + f64::from(e.client_left()),
                        y: r.top() + f64::from(e.client_top()),
                        width: f64::from(e.client_width()),
                        height: f64::from(e.client_height()),
                    };
                    visible = Some(visible.map_or(shown, |v| v.meet(shown)));
                }
                up = e.parent_element();
            }
            if let Some(v) = visible {
                // From the overlay's top-left corner (the image's content box).
                let i = img.get_bounding_client_rect();
                let v = Rect {
                    x: v.x - i.left() - f64::from(img.client_left()) - pl,
                    y: v.y - i.top() - f64::from(img.client_top()) - pt,
                    ..v
                };
                clip = Some(geometry::clip_to(v, frame, &mut points));
            }
        }
        self.scrolled.set(clip.is_some());
        self.last
            .set([frame.width, frame.height, offset.0, offset.1]);
        Measure {
            overlay_box: (
                f64::from(left + img.client_left()) + pl,
                f64::from(top + img.client_top()) + pt,
                frame.width.max(0.0),
                frame.height.max(0.0),
            ),
            points,
            clip,
        }
    }

    /// Whether a ResizeObserver report of this content size needs no layout: the same size
    /// as the last layout measured (within the pixel the measure rounds to), and the image
    /// not moved in its offset parent since. Each new image's first report, in the frame
    /// after the slice that rendered and laid it out, is such a one (measuring again cost a
    /// tenth of each idle slice's time); one whose image something moved meanwhile (a
    /// container mount rendered above it, in a page whose document does not grow) is not.
    pub fn unchanged(&self, width: f64, height: f64) -> bool {
        let [w, h, x, y] = self.last.get();
        (width - w).abs() < 1.0
            && (height - h).abs() < 1.0
            && f64::from(self.img.offset_left()) == x
            && f64::from(self.img.offset_top()) == y
    }

    pub fn apply(&self, m: &Measure) {
        // A 64-bit FNV-1a digest of the numbers, not a copy of them: a hash kept in a
        // `Cell` costs a few instructions, where comparing stored copies cost 240 B of wasm.
        let (l, t, w, h) = m.overlay_box;
        // NaN, not a number `clip_to` could return (its insets can be negative).
        let c = m.clip.unwrap_or([f64::NAN; 4]);
        let mut key = digest(DIGEST_START, &[l, t, w, h, c[0], c[1], c[2], c[3]]);
        for p in &m.points {
            let (x, y) = p.unwrap_or((-1.0, f64::NAN));
            key = digest(key, &[x, y]);
        }
        if self.applied.replace(key) == key {
            return;
        }
        if let Some(host) = &self.overlay {
            let mut style = cat!(
                OVERLAY_STYLE,
                "left:",
                css_px(l),
                ";top:",
                css_px(t),
                ";width:",
                css_px(w),
                ";height:",
                css_px(h)
            );
            if let Some([top, right, bottom, left]) = m.clip {
                style = cat!(
                    style,
                    ";clip-path:inset(",
                    css_px(top),
                    " ",
                    css_px(right),
                    " ",
                    css_px(bottom),
                    " ",
                    css_px(left),
                    ")"
                );
            }
            host.set_inline_style(&style);
        }
        for ((tag, _, _, _), point) in self.tags.iter().zip(&m.points) {
            match point {
                Some((x, y)) => {
                    // One style write: tags carry no other inline style.
                    tag.set_inline_style(&cat!("left:", css_px(*x), ";top:", css_px(*y)));
                    set_hidden(tag, false);
                }
                None => set_hidden(tag, true),
            }
        }
    }
}

/// Whether an element's `overflow` clips (and so may scroll) its content.
fn clips(element: &Element) -> bool {
    let s = crate::io::computed_style(element);
    s.css("overflow-x") != "visible" || s.css("overflow-y") != "visible"
}

/// The overlay host's own style (it sits in the page, beside the `<img>`). The shared sheet
/// adds `content-visibility: auto` to it (`:host(shoppable-overlay)` in widget.css): the
/// browser skips the style, layout and paint of overlays far from the viewport until they
/// come near, so rendering a far post, and each idle slice's forced layout, costs little.
/// That rule also clips paint to the host's box, which would cut tags at the image's edges
/// in half; `overflow-clip-margin: 32px` lets a tag, its focus ring and its pulse (which
/// reach 28–32 px past a tag's centre) paint outside it. Where `overflow-clip-margin` is
/// not supported (Safari 18), `@supports` leaves the overlays as they were.
const OVERLAY_STYLE: &str =
    "position:absolute;display:block;margin:0;padding:0;border:0;pointer-events:none;z-index:1;";

/// Made once per page: every product's tag label (title and price, formatted once instead
/// of once per tag) and a prototype tag button carrying the attributes all tags share, so a
/// tag costs one clone and four attribute writes. Measured by `make bench` (start() phase).
pub struct TagFactory {
    labels: Vec<String>,
    prototype: Element,
    /// Whether the labels carry prices: mounts rendered before that get no screen-reader
    /// product list (`product_list`).
    priced: bool,
}

impl TagFactory {
    /// Without `prices`, labels are product titles only: the app starts that way so the
    /// first tags are on screen before `Intl` loads, then makes the priced factory and
    /// relabels (`relabel`) before `ready`.
    pub fn new(
        config: &crate::core::config::Config,
        strings: &crate::core::i18n::Strings,
        prices: Option<&super::price::PriceFormat>,
    ) -> TagFactory {
        let mut labels = Vec::with_capacity(config.products.len());
        for p in 0..config.products.len() {
            let item = config.default_item(p);
            labels.push(match prices {
                Some(prices) => {
                    let label = strings.fill(
                        Key::TagLabel,
                        &[
                            ("title", &item.product.title),
                            ("price", &prices.format(item.price())),
                        ],
                    );
                    // A product none of whose items can be bought says so before the card
                    // is opened ("…, AED 349, Sold out"), joined as the label's own parts.
                    let availability = item.availability();
                    if availability.is_purchasable() {
                        label
                    } else {
                        strings.fill(
                            Key::TagLabel,
                            &[
                                ("title", &label),
                                (
                                    "price",
                                    super::card::availability_text(strings, availability),
                                ),
                            ],
                        )
                    }
                }
                None => item.product.title.clone(),
            });
        }
        let prototype = El::button("tag", None)
            .attr("aria-haspopup", "dialog")
            .attr("aria-expanded", "false")
            .attr("part", "tag")
            .attr("hidden", "")
            .get();
        TagFactory {
            labels,
            prototype,
            priced: prices.is_some(),
        }
    }

    pub fn label(&self, product: usize) -> &str {
        &self.labels[product]
    }

    fn tag(&self, product: &str, label: &str, media: usize, index: usize) -> Element {
        let button = self.prototype.copy();
        for (name, value) in [
            ("data-shoppable-tag", product),
            ("aria-label", label),
            ("data-m", &int(media as u64)),
            ("data-t", &int(index as u64)),
        ] {
            button.set_attr(name, value);
        }
        button
    }
}

/// What a mount built: its frames, the track of a carousel, and the overlay host to remove.
pub struct Rendered {
    pub frames: Vec<Frame>,
    pub shadow: web_sys::ShadowRoot,
    pub overlay: Option<Element>,
}

fn declared(media: &Media) -> Option<Size> {
    media.size.map(|(w, h)| Size {
        width: f64::from(w),
        height: f64::from(h),
    })
}

fn tags_of(
    view: &View<'_>,
    media: &Media,
    media_index: usize,
    layer: &Element,
) -> Vec<(Element, f64, f64, usize)> {
    let mut tags = Vec::with_capacity(media.tags.len());
    for (t, tag) in media.tags.iter().enumerate() {
        let product = &view.config.products[tag.product];
        let button = view
            .tags
            .tag(&product.id, view.tags.label(tag.product), media_index, t);
        layer.add_child(&button);
        tags.push((button, tag.x.get(), tag.y.get(), tag.product));
    }
    tags
}

/// The screen-reader alternative to the image: the post's products, once each, appended to
/// `parent`. Only once prices are in (`relabel` adds it to the mounts rendered before):
/// it is the only text an `<img>` mount has, and the first text a page lays out in the
/// widget's font pays for finding that font (a synchronous call to the browser process on
/// Linux, 1–4 ms on the bench machine). Kept out of the frame that shows the first tags,
/// with the icon that is no SVG image (`widget.css`), it took 4.3 ms off the first painted
/// tag (mean of 40 interleaved cold loads; neither alone moved it). Until then the tags'
/// own labels name the products.
fn product_list(view: &View<'_>, post: &Post, parent: &Element) {
    if !view.tags.priced {
        return;
    }
    let list = El::new("ul")
        .class("sr")
        .attr("aria-label", view.strings.get(Key::ProductsInPost))
        .get();
    for product in products_of(post) {
        let text = view.tags.label(product);
        list.add_child(&El::new("li").text(text).get());
    }
    parent.add_child(&list);
}

/// The post's products, each once, in the order of their first tag.
fn products_of(post: &Post) -> Vec<usize> {
    let mut seen = Vec::new();
    for media in &post.media {
        for tag in &media.tags {
            if !seen.contains(&tag.product) {
                seen.push(tag.product);
            }
        }
    }
    seen
}

/// Gives a mount rendered before prices were in its priced labels: the tags' and its
/// screen-reader product list, which it did not have (`product_list`); in the `<figure>`
/// of a container mount, as `mount_post` places it.
pub fn relabel(view: &View<'_>, shadow: &web_sys::ShadowRoot, post: &Post, frames: &[Frame]) {
    for frame in frames {
        for (tag, _, _, product) in &frame.tags {
            tag.set_attr("aria-label", view.tags.label(*product));
        }
    }
    if let Some(parent) = shadow.find("figure").or_else(|| shadow.find(".root")) {
        product_list(view, post, &parent);
    }
}

/// Tags over an existing `<img>`: an overlay element inserted right after it.
pub fn mount_overlay(
    view: &View<'_>,
    img: &HtmlImageElement,
    post: &Post,
    media_index: usize,
) -> Option<Rendered> {
    let media = &post.media[media_index];
    let host = El::new("shoppable-overlay")
        .attr("data-shoppable-overlay", &post.id)
        .get();
    host.set_inline_style(OVERLAY_STYLE);
    img.put_after(&host);
    let (shadow, root) = view.styles.shadow(&host, view.dir, view.lang)?;
    let layer = El::new("div").class("layer").get();
    root.add_child(&layer);
    if let Some(toggle) = tags_toggle(view, post, &root) {
        root.add_child(&toggle);
    }
    product_list(view, post, &root);
    let tags = tags_of(view, media, media_index, &layer);
    Some(Rendered {
        frames: vec![Frame {
            img: img.clone(),
            overlay: Some(host.clone()),
            tags,
            declared: declared(media),
            scrolled: Default::default(),
            near: Default::default(),
            applied: Default::default(),
            last: core::cell::Cell::new([f64::NAN; 4]),
        }],
        shadow,
        overlay: Some(host),
    })
}

/// The whole post — media (a swipeable carousel when there are several), caption, tags —
/// inside the container's shadow root.
pub fn mount_container(view: &View<'_>, host: &Element, post: &Post) -> Option<Rendered> {
    let (shadow, root) = view.styles.shadow(host, view.dir, view.lang)?;
    let figure = El::new("figure").class("post").attr("part", "post").get();
    let frame = El::new("div").class("media").get();
    let track = El::new("div").class("track").get();
    let many = post.media.len() > 1;
    let mut frames = Vec::new();
    for (i, media) in post.media.iter().enumerate() {
        let img = El::new("img")
            .attr("src", media.image.as_str())
            .attr("alt", &media.alt)
            .attr("decoding", "async")
            .get();
        if let Some((w, h)) = media.size {
            // Reserves the image's box before it loads: no layout shift on the page.
            img.set_attr("width", &int(w.into()));
            img.set_attr("height", &int(h.into()));
        }
        if i > 0 {
            img.set_attr("loading", "lazy");
        }
        let layer = El::new("div").class("layer").get();
        let slide = El::new("div")
            .class("slide")
            .child(&img)
            .child(&layer)
            .get();
        if many {
            slide.set_attr("role", "group");
            slide.set_attr(
                "aria-label",
                &cat!(int(i as u64 + 1), " / ", int(post.media.len() as u64)),
            );
        }
        track.add_child(&slide);
        let tags = tags_of(view, media, i, &layer);
        frames.push(Frame {
            img: img.unchecked_into(),
            overlay: None,
            tags,
            declared: declared(media),
            scrolled: Default::default(),
            near: Default::default(),
            applied: Default::default(),
            last: core::cell::Cell::new([f64::NAN; 4]),
        });
    }
    frame.add_child(&track);
    if many {
        figure.set_attr("data-at", "start");
        for (class, step, glyph, key) in [
            ("nav prev", "-1", "‹", Key::Previous),
            ("nav next", "1", "›", Key::Next),
        ] {
            let b = El::button(class, Some(view.strings.get(key)))
                .attr("data-shoppable-nav", step)
                .attr("part", "nav")
                .text(glyph)
                .get();
            frame.add_child(&b);
        }
        // Where the shopper is, at a glance; the slides' "1 / 3" labels say it to a
        // screen reader, so the dots are hidden from it.
        let dots = El::new("div")
            .class("dots")
            .attr("aria-hidden", "true")
            .attr("part", "dots")
            .get();
        for i in 0..post.media.len() {
            let dot = El::new("i").get();
            if i == 0 {
                dot.set_class_name("on");
            }
            dots.add_child(&dot);
        }
        frame.add_child(&dots);
    }
    if let Some(toggle) = tags_toggle(view, post, &root) {
        frame.add_child(&toggle);
    }
    figure.add_child(&frame);
    if !post.caption.is_empty() {
        figure.add_child(
            &El::new("figcaption")
                .attr("dir", "auto")
                .text(&post.caption)
                .get(),
        );
    }
    product_list(view, post, &figure);
    root.add_child(&figure);
    Some(Rendered {
        frames,
        shadow,
        overlay: None,
    })
}

/// The "shop this post" button that shows and hides the post's tags, as Instagram's does.
/// Sets the root's starting state (`theme.tags`). `None` for a post without tags.
fn tags_toggle(view: &View<'_>, post: &Post, root: &Element) -> Option<Element> {
    if post.media.iter().all(|m| m.tags.is_empty()) {
        return None;
    }
    let shown = !view.config.tags_hidden;
    if !shown {
        root.set_class_name("root off");
    }
    let toggle = El::button("shop", Some(view.strings.get(Key::ShowProducts)))
        .attr("data-shoppable-tags-toggle", "")
        .attr("aria-pressed", if shown { "true" } else { "false" })
        .attr("part", "tags-toggle")
        .get();
    Some(toggle)
}

/// Flips a mount's tags between shown and hidden; returns whether they are now shown.
pub fn toggle_tags(shadow: &web_sys::ShadowRoot) -> bool {
    let Some(root) = shadow.first_element_child() else {
        return true;
    };
    let shown = !root.toggle_class("off");
    if let Some(toggle) = shadow.find("[data-shoppable-tags-toggle]") {
        toggle.set_attr("aria-pressed", if shown { "true" } else { "false" });
    }
    shown
}

/// Marks a mount as seen, which plays its tags' one gentle pulse (CSS, reduced-motion aware).
pub fn mark_seen(shadow: &web_sys::ShadowRoot) {
    if let Some(root) = shadow.first_element_child() {
        root.add_class("seen");
    }
}

/// After a carousel scrolled: the current slide's dot, and whether it is at either end.
pub fn sync_carousel(shadow: &web_sys::ShadowRoot) {
    let (Some(track), Some(figure)) = (shadow.find(".track"), shadow.find(".post")) else {
        return;
    };
    let dots = shadow.find_all(".dots i");
    let width = f64::from(track.client_width()).max(1.0);
    // scrollLeft is negative in right-to-left tracks; the slide index is its magnitude.
    let at = (f64::from(track.scroll_left().abs()) / width + 0.5) as usize;
    let last = dots.len().saturating_sub(1);
    for (i, dot) in dots.iter().enumerate() {
        dot.set_class_name(if i == at { "on" } else { "" });
    }
    let edge = if at == 0 {
        "start"
    } else if at >= last {
        "end"
    } else {
        ""
    };
    figure.set_attr("data-at", edge);
}

/// Scrolls a carousel by one slide, in reading direction.
pub fn step_carousel(shadow: &web_sys::ShadowRoot, step: f64, rtl: bool) {
    if let Some(track) = shadow.find(".track") {
        let width = f64::from(track.client_width());
        let options = web_sys::ScrollToOptions::new();
        options.set_left(if rtl { -step * width } else { step * width });
        options.set_behavior(web_sys::ScrollBehavior::Smooth);
        track.scroll_by_with_scroll_to_options(&options);
    }
}

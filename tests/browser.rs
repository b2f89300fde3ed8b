//! DOM-layer tests in headless Chromium (wasm-bindgen-test): tag placement against real
//! layout, text that stays text, price formatting and the card's add button.
#![allow(clippy::disallowed_macros)] // Not shipped: format! is fine here.
#![cfg(target_arch = "wasm32")]

use shoppable::core::config::Config;
use shoppable::core::i18n::Key;
use shoppable::core::i18n::Strings;
use shoppable::dom::post::{mount_container, mount_overlay, TagFactory};
use shoppable::dom::price::PriceFormat;
use shoppable::dom::{card, El, Styles, View};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlImageElement};

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{"version":1,"shop":{"name":"S","currency":"KWD","locale":"ar-KW","digits":"latn"},
  "checkout":{"endpoint":"/api/checkout"},
  "products":[{"id":"abaya","title":"<img src=x onerror=alert(1)>Abaya","price":"25.500","compare_at_price":"30"},
              {"id":"gone","title":"Gone","price":"1","availability":"out of stock"}],
  "posts":[{"id":"p1","caption":"<b>Eid</b>","media":[{"image":"/x.svg","alt":"a","tags":[
     {"product":"abaya","x":0.5,"y":0.5},{"product":"abaya","x":0.25,"y":0.3},{"product":"gone","x":0.5,"y":0.1}]}]}]}"#;

/// A 1200×1500 SVG as a data URL: a portrait image with a known natural size.
const PORTRAIT: &str = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1200' height='1500'%3E%3Crect width='1200' height='1500' fill='%23c96'/%3E%3C/svg%3E";

struct Fixture {
    config: Config,
    strings: Strings,
    prices: PriceFormat,
    styles: Styles,
    tags: TagFactory,
}

impl Fixture {
    fn new(config: &str) -> Fixture {
        let config = Config::parse(config).expect("test config is valid");
        let strings = Strings::new(&config.shop.locale, &config.shop.strings);
        let prices = PriceFormat::new(&config.shop, config.whole_prices());
        let tags = TagFactory::new(&config, &strings, Some(&prices));
        Fixture {
            config,
            strings,
            prices,
            styles: Styles::new(None),
            tags,
        }
    }
    fn view(&self) -> View<'_> {
        View {
            config: &self.config,
            strings: &self.strings,
            prices: &self.prices,
            styles: &self.styles,
            tags: &self.tags,
            dir: "rtl",
            lang: "ar-KW",
        }
    }
}

fn body() -> web_sys::HtmlElement {
    web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .body()
        .unwrap()
}

async fn loaded_image(style: &str) -> HtmlImageElement {
    let img: HtmlImageElement = El::new("img").attr("style", style).get().unchecked_into();
    let done = js_sys::Promise::new(&mut |resolve, _| {
        img.set_onload(Some(&resolve));
    });
    img.set_src(PORTRAIT);
    body().append_child(&img).unwrap();
    JsFuture::from(done).await.unwrap();
    img
}

/// The tag of `frame` for the config point (x, y): tags are in reading order, not the
/// config's.
fn tag_at(frame: &shoppable::dom::post::Frame, x: f64, y: f64) -> &Element {
    &frame
        .tags
        .iter()
        .find(|t| t.1 == x && t.2 == y)
        .unwrap_or_else(|| panic!("no tag at {x},{y}"))
        .0
}

fn centre(e: &Element) -> (f64, f64) {
    let r = e.get_bounding_client_rect();
    (r.x() + r.width() / 2.0, r.y() + r.height() / 2.0)
}

#[wasm_bindgen_test]
async fn overlay_tags_sit_on_their_pixel_under_object_fit_cover() {
    let f = Fixture::new(CONFIG);
    // 1200×1500 covering 400×300: scale 1/3, 100 px cropped top and bottom.
    let img = loaded_image("display:block;width:400px;height:300px;object-fit:cover;margin:7px 0 0 13px;border:3px solid red;padding:5px").await;
    let post = f.config.post("p1").unwrap();
    let rendered = mount_overlay(&f.view(), &img, post, 0).expect("mounts");
    let frame = &rendered.frames[0];
    frame.apply(&frame.measure());
    let r = img.get_bounding_client_rect();
    let (ox, oy) = (r.x() + 3.0 + 5.0, r.y() + 3.0 + 5.0); // content box origin
    let expected = [((0.5, 0.5), (200.0, 150.0)), ((0.25, 0.3), (100.0, 50.0))];
    for ((px, py), (ex, ey)) in expected {
        let (x, y) = centre(tag_at(frame, px, py));
        assert!(
            (x - (ox + ex)).abs() <= 1.0,
            "tag {px},{py} x {x} vs {}",
            ox + ex
        );
        assert!(
            (y - (oy + ey)).abs() <= 1.0,
            "tag {px},{py} y {y} vs {}",
            oy + ey
        );
    }
    assert!(
        tag_at(frame, 0.5, 0.1).has_attribute("hidden"),
        "cropped-out tag is hidden"
    );
    // The image itself is untouched: same box after mounting.
    let after = img.get_bounding_client_rect();
    assert_eq!(
        (r.x(), r.y(), r.width(), r.height()),
        (after.x(), after.y(), after.width(), after.height())
    );
    rendered.overlay.unwrap().remove();
    img.remove();
}

#[wasm_bindgen_test]
async fn tags_follow_a_resize_of_the_image() {
    let f = Fixture::new(CONFIG);
    let img = loaded_image("display:block;width:400px;height:300px;object-fit:contain").await;
    let rendered = mount_overlay(&f.view(), &img, f.config.post("p1").unwrap(), 0).unwrap();
    let frame = &rendered.frames[0];
    img.style().set_property("width", "800px").unwrap();
    img.style().set_property("height", "1000px").unwrap();
    frame.apply(&frame.measure());
    let r = img.get_bounding_client_rect();
    // contain: 800×1000 exactly fits; (0.25, 0.3) → (200, 300).
    let (x, y) = centre(tag_at(frame, 0.25, 0.3));
    assert!(
        (x - (r.x() + 200.0)).abs() <= 1.0 && (y - (r.y() + 300.0)).abs() <= 1.0,
        "{x},{y}"
    );
    rendered.overlay.unwrap().remove();
    img.remove();
}

/// A layout that finds the same boxes writes nothing (the ResizeObserver's first report on
/// each new image, a reflow that moved nothing): rewriting the styles made the browser
/// style and lay the overlay out again. A changed box is written.
#[wasm_bindgen_test]
async fn a_layout_with_unchanged_boxes_writes_nothing() {
    let f = Fixture::new(CONFIG);
    let img = loaded_image("display:block;width:400px;height:300px;object-fit:contain").await;
    let rendered = mount_overlay(&f.view(), &img, f.config.post("p1").unwrap(), 0).unwrap();
    let frame = &rendered.frames[0];
    frame.apply(&frame.measure());
    assert!(frame.unchanged(400.0, 300.0), "the measured content box");
    assert!(!frame.unchanged(400.0, 301.5), "another size");
    let tag = tag_at(frame, 0.25, 0.3);
    let placed = tag.get_attribute("style").unwrap();
    // Written by someone else: an unchanged layout leaves it (it was not written again).
    tag.set_attribute("style", "left:1px;top:1px").unwrap();
    frame.apply(&frame.measure());
    assert_eq!(
        tag.get_attribute("style").as_deref(),
        Some("left:1px;top:1px")
    );
    // A changed box is written. Contain fits the portrait in 800×600 as 480×600 at x 160:
    // (0.25, 0.3) at (280, 180).
    img.style().set_property("width", "800px").unwrap();
    img.style().set_property("height", "600px").unwrap();
    frame.apply(&frame.measure());
    let now = tag.get_attribute("style").unwrap();
    assert!(now != "left:1px;top:1px" && now != placed, "{now}");
    let r = img.get_bounding_client_rect();
    let (x, y) = centre(tag);
    assert!(
        (x - (r.x() + 280.0)).abs() <= 1.0 && (y - (r.y() + 180.0)).abs() <= 1.0,
        "{x},{y}"
    );
    // Moved, not resized (something rendered above it): a report of its size is a change.
    assert!(frame.unchanged(800.0, 600.0));
    img.style().set_property("margin-top", "40px").unwrap();
    assert!(!frame.unchanged(800.0, 600.0), "moved by 40 px");
    rendered.overlay.unwrap().remove();
    img.remove();
}

/// Every `object-fit` with an off-centre `object-position`, against the pixel worked out by
/// hand for the 1200×1500 portrait (tags at (0.5, 0.5), (0.25, 0.3) and (0.5, 0.1)).
#[wasm_bindgen_test]
async fn tags_sit_on_their_pixel_for_every_fit_and_position() {
    let f = Fixture::new(CONFIG);
    type Case = (&'static str, [Option<(f64, f64)>; 3]);
    let cases: [Case; 6] = [
        // Stretched: x × 400, y × 300.
        (
            "width:400px;height:300px;object-fit:fill",
            [
                Some((200.0, 150.0)),
                Some((100.0, 90.0)),
                Some((200.0, 30.0)),
            ],
        ),
        // 240×300 at the right edge (160 px in).
        (
            "width:400px;height:300px;object-fit:contain;object-position:right top",
            [
                Some((280.0, 150.0)),
                Some((220.0, 90.0)),
                Some((280.0, 30.0)),
            ],
        ),
        // 400×500 showing its bottom 300 px (200 px cropped at the top): the points at
        // y 150 and 50 of the scaled image are cropped out.
        (
            "width:400px;height:300px;object-fit:cover;object-position:50% 100%",
            [Some((200.0, 50.0)), None, None],
        ),
        // Natural size, right-aligned in 1000×1000: 200 px cut on the left, 500 px below.
        (
            "width:1000px;height:1000px;object-fit:none;object-position:100% 0%",
            [
                Some((400.0, 750.0)),
                Some((100.0, 450.0)),
                Some((400.0, 150.0)),
            ],
        ),
        // Edge offsets, which Chromium computes as `calc(100% - 10px) 20px`: 240×300, 150 px
        // in from the left and 20 px down.
        (
            "width:400px;height:300px;object-fit:contain;object-position:right 10px top 20px",
            [
                Some((270.0, 170.0)),
                Some((210.0, 110.0)),
                Some((270.0, 50.0)),
            ],
        ),
        // Larger than the box, so contain: 240×300 at the left.
        (
            "width:400px;height:300px;object-fit:scale-down;object-position:0% 50%",
            [
                Some((120.0, 150.0)),
                Some((60.0, 90.0)),
                Some((120.0, 30.0)),
            ],
        ),
    ];
    let points = [(0.5, 0.5), (0.25, 0.3), (0.5, 0.1)];
    for (style, expected) in cases {
        let img = loaded_image(&format!("display:block;{style}")).await;
        let rendered = mount_overlay(&f.view(), &img, f.config.post("p1").unwrap(), 0).unwrap();
        let frame = &rendered.frames[0];
        frame.apply(&frame.measure());
        let r = img.get_bounding_client_rect();
        for ((px, py), want) in points.iter().zip(expected) {
            let tag = tag_at(frame, *px, *py);
            match want {
                Some((ex, ey)) => {
                    assert!(!tag.has_attribute("hidden"), "{style}: {px},{py} shown");
                    let (x, y) = centre(tag);
                    assert!(
                        (x - (r.x() + ex)).abs() <= 1.0 && (y - (r.y() + ey)).abs() <= 1.0,
                        "{style}: tag {px},{py} at {},{} not {ex},{ey}",
                        x - r.x(),
                        y - r.y()
                    );
                }
                None => assert!(
                    tag.has_attribute("hidden"),
                    "{style}: {px},{py} cropped out"
                ),
            }
        }
        rendered.overlay.unwrap().remove();
        img.remove();
    }
}

#[wasm_bindgen_test]
fn product_and_caption_text_are_never_parsed_as_html() {
    let f = Fixture::new(CONFIG);
    let host = El::new("div").get();
    body().append_child(&host).unwrap();
    let rendered = mount_container(&f.view(), &host, f.config.post("p1").unwrap()).unwrap();
    let shadow = rendered.shadow;
    assert!(shadow.query_selector("img[onerror]").unwrap().is_none());
    assert!(shadow.query_selector("b").unwrap().is_none());
    let caption = shadow.query_selector("figcaption").unwrap().unwrap();
    assert_eq!(caption.text_content().unwrap(), "<b>Eid</b>");
    let tag = shadow
        .query_selector("[data-shoppable-tag=abaya]")
        .unwrap()
        .unwrap();
    let label = tag.get_attribute("aria-label").unwrap();
    assert!(
        label.starts_with("<img src=x onerror=alert(1)>Abaya، "),
        "{label}"
    );
    host.remove();
}

#[wasm_bindgen_test]
fn prices_follow_locale_and_digits() {
    let latn = Fixture::new(CONFIG);
    let text = latn.prices.format(shoppable::core::money::Money(25_500));
    assert!(text.contains("25.500"), "{text}");
    let arab = Fixture::new(&CONFIG.replace("\"latn\"", "\"arab\""));
    let text = arab.prices.format(shoppable::core::money::Money(25_500));
    assert!(text.contains("٢٥٫٥٠٠"), "{text}");
    assert_eq!(
        arab.prices.count(12),
        "١٢",
        "the cart count uses the same digits"
    );
    assert_eq!(latn.prices.count(12), "12");
}

#[wasm_bindgen_test]
fn card_add_button_is_disabled_for_items_that_cannot_be_bought_and_says_why() {
    let f = Fixture::new(CONFIG);
    let el = El::new("div").get();
    body().append_child(&el).unwrap();
    card::render(&f.view(), &el, &f.config.item("gone").unwrap(), 1);
    let add = el.query_selector("[data-shoppable-add]").unwrap().unwrap();
    assert!(add.has_attribute("disabled"));
    let reason = add.get_attribute("aria-describedby").unwrap();
    let reason = el.query_selector(&format!("#{reason}")).unwrap().unwrap();
    assert_eq!(
        reason.text_content().unwrap(),
        f.strings.get(Key::SoldOut),
        "the disabled button points at the reason"
    );
    card::render(&f.view(), &el, &f.config.item("abaya").unwrap(), 3);
    let add = el.query_selector("[data-shoppable-add]").unwrap().unwrap();
    assert!(!add.has_attribute("disabled"));
    let title = el.query_selector("h3").unwrap().unwrap();
    assert_eq!(title.child_element_count(), 0);
    let qty = el
        .query_selector("[data-shoppable-card-qty=abaya]")
        .unwrap()
        .unwrap();
    assert_eq!(
        qty.unchecked_into::<web_sys::HtmlInputElement>().value(),
        "3"
    );
    let was = el.query_selector("s").unwrap().expect("compare-at price");
    assert!(was.text_content().unwrap().contains("30.000"));
    el.remove();
}

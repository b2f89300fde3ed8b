#![allow(dead_code, unexpected_cfgs)]
//! Experiment: how big is the pure core on its own? The widget's `src/core` compiled alone,
//! behind the string API a JavaScript DOM layer would need (the posts' view, tag geometry,
//! the card's position, the cart, strings, the checkout policy, GA4 entries), built and
//! measured like the widget by `make size-core`. It answers whether moving the DOM layer
//! out of Rust could meet the 40 KB budget (issue 3): the core alone is most of it.
// What the widget's `src/lib.rs` gives `src/core`: its prelude and `cat!`.
mod prelude {
    pub use std::borrow::ToOwned;
    pub use std::boxed::Box;
    pub use std::format;
    pub use std::string::{String, ToString};
    pub use std::vec;
    pub use std::vec::Vec;
}
macro_rules! cat {
    ($($part:expr),+ $(,)?) => {
        $crate::core::cat(&[$(::core::convert::AsRef::<str>::as_ref(&$part)),+])
    };
}
#[path = "../../../src/core/mod.rs"]
mod core;
use crate::core::{
    analytics::Detail, cart::Cart, checkout, config::Config, geometry, i18n, json::Json,
};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

struct S {
    config: Config,
    cart: Cart,
    strings: i18n::Strings,
}
thread_local! { static ST: RefCell<Option<S>> = const { RefCell::new(None) }; }
fn with<R>(f: impl FnOnce(&mut S) -> R) -> Result<R, JsError> {
    ST.with(|s| s.borrow_mut().as_mut().map(f))
        .ok_or_else(|| JsError::new("not started"))
}

#[wasm_bindgen]
pub fn start(text: &str, pack: Option<String>) -> Result<String, JsError> {
    let config = Config::parse(text).map_err(|e| JsError::new(&e.message()))?;
    let mut texts = pack
        .as_deref()
        .map(i18n::parse_pack)
        .transpose()
        .map_err(|e| JsError::new(&e))?
        .unwrap_or_default();
    texts.extend(config.shop.strings.iter().cloned());
    let strings = i18n::Strings::new(&config.shop.locale, &texts);
    // The view a JS renderer needs: posts, media, tags with product titles and prices.
    let posts = Json::Array(
        config
            .posts
            .iter()
            .map(|p| {
                Detail::new()
                    .text("id", &p.id)
                    .text("caption", &p.caption)
                    .value(
                        "media",
                        Json::Array(
                            p.media
                                .iter()
                                .map(|m| {
                                    Detail::new()
                                        .text("src", m.image.as_str())
                                        .text("alt", &m.alt)
                                        .value(
                                            "tags",
                                            Json::Array(
                                                m.tags
                                                    .iter()
                                                    .map(|t| {
                                                        let item = config.default_item(t.product);
                                                        Detail::new()
                                                            .number("p", t.product as u64)
                                                            .text("title", &item.title())
                                                            .text(
                                                                "price",
                                                                &item.price().to_decimal(
                                                                    config.shop.currency,
                                                                ),
                                                            )
                                                            .text(
                                                                "avail",
                                                                item.availability().word(),
                                                            )
                                                            .value("x", Json::Number(t.x.get()))
                                                            .value("y", Json::Number(t.y.get()))
                                                            .into_value()
                                                    })
                                                    .collect(),
                                            ),
                                        )
                                        .into_value()
                                })
                                .collect(),
                        ),
                    )
                    .into_value()
            })
            .collect(),
    );
    let out = Detail::new()
        .value("posts", posts)
        .flag("rtl", i18n::is_rtl(&config.shop.locale))
        .text("currency", config.shop.currency.code())
        .finish();
    ST.with(|s| {
        *s.borrow_mut() = Some(S {
            config,
            cart: Cart::default(),
            strings,
        })
    });
    Ok(out)
}
/// A UI string by its name (unknown names fall back to `close`), filled with name/value pairs.
fn key(name: &str) -> i18n::Key {
    i18n::Key::from_name(name)
        .or_else(|| i18n::Key::from_name("close"))
        .expect("close is a key")
}

#[wasm_bindgen]
pub fn string(name: &str, values: Vec<String>) -> String {
    let pairs: Vec<(&str, &str)> = values
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0].as_str(), c[1].as_str()))
        .collect();
    with(|s| match pairs.is_empty() {
        true => s.strings.get(key(name)).to_owned(),
        false => s.strings.fill(key(name), &pairs),
    })
    .unwrap_or_default()
}

#[wasm_bindgen]
pub fn plural(name: &str, category: &str, count: &str) -> String {
    with(|s| s.strings.plural(key(name), category, &[("count", count)])).unwrap_or_default()
}

#[wasm_bindgen]
pub fn place(fit: &str, position: &str, n: Vec<f64>) -> Vec<f64> {
    let size = |w, h| geometry::Size {
        width: w,
        height: h,
    };
    geometry::place(
        size(n[0], n[1]),
        size(n[2], n[3]),
        geometry::Fit::from_css(fit),
        geometry::parse_position(position),
        n[4],
        n[5],
    )
    .map_or(vec![], |(x, y)| vec![x, y])
}
#[wasm_bindgen]
pub fn card_position(n: Vec<f64>, rtl: bool) -> Vec<f64> {
    let (x, y) = geometry::card_position(
        geometry::Rect {
            x: n[0],
            y: n[1],
            width: n[2],
            height: n[3],
        },
        geometry::Size {
            width: n[4],
            height: n[5],
        },
        geometry::Size {
            width: n[6],
            height: n[7],
        },
        rtl,
    );
    vec![x, y]
}
#[wasm_bindgen]
pub fn restore(text: &str) -> Result<u32, JsError> {
    with(|s| {
        Cart::restore(text, &s.config).map(|(c, d)| {
            s.cart = c;
            d as u32
        })
    })
    .and_then(|r| r.map_err(|e| JsError::new(&e)))
}
#[wasm_bindgen]
pub fn add(item: &str, q: u32, post: Option<String>) -> Result<u32, JsError> {
    with(|s| {
        s.cart
            .add(&s.config, item, q, post.as_deref())
            .map_err(|e| JsError::new(&e.describe(item)))
    })
    .and_then(|r| r)
}
#[wasm_bindgen]
pub fn set_quantity(item: &str, q: u32) -> bool {
    with(|s| s.cart.set_quantity(item, q)).unwrap_or(false)
}
#[wasm_bindgen]
pub fn remove(item: &str) -> bool {
    with(|s| s.cart.remove(item).is_some()).unwrap_or(false)
}
#[wasm_bindgen]
pub fn clear() -> bool {
    with(|s| s.cart.clear()).unwrap_or(false)
}
#[wasm_bindgen]
pub fn items() -> String {
    with(|s| s.cart.items_json(&s.config)).unwrap_or_default()
}
#[wasm_bindgen]
pub fn subtotal() -> String {
    with(|s| {
        s.cart
            .subtotal(&s.config)
            .to_decimal(s.config.shop.currency)
    })
    .unwrap_or_default()
}
#[wasm_bindgen]
pub fn saved() -> String {
    with(|s| s.cart.to_json()).unwrap_or_default()
}
#[wasm_bindgen]
pub fn count() -> u32 {
    with(|s| s.cart.total_quantity()).unwrap_or(0)
}
#[wasm_bindgen]
pub fn quantity(typed: &str) -> Option<u32> {
    crate::core::cart::parse_quantity(typed)
}
#[wasm_bindgen]
pub fn ga4(event: &str, tx: Option<String>) -> String {
    with(|s| crate::core::analytics::ga4(event, s.cart.lines(), &s.config, tx.as_deref()))
        .unwrap_or_default()
}
#[wasm_bindgen]
pub fn request(page: &str, key: &str) -> String {
    with(|s| {
        s.cart.checkout_key_or(|| key.to_owned());
        checkout::request_body(&s.cart, &s.config, page)
    })
    .unwrap_or_default()
}
#[wasm_bindgen]
pub fn decide(
    status: u16,
    body: &str,
    retry_after: Option<String>,
    attempt: u32,
    max: u32,
    jitter: f64,
    now: f64,
) -> String {
    let answer = match status {
        0 => checkout::Answer::NetworkError,
        1 => checkout::Answer::Timeout,
        s => checkout::Answer::Http {
            status: s,
            body,
            retry_after: retry_after.as_deref(),
        },
    };
    match checkout::decide(&answer, attempt, max, jitter, now) {
        checkout::Decision::Success { .. } => "ok".into(),
        checkout::Decision::RetryAfter { delay_ms } => {
            Detail::new().number("retry", delay_ms.into()).finish()
        }
        checkout::Decision::Rejected { lines, message } => Detail::new()
            .optional_text("message", message.as_deref())
            .value(
                "lines",
                Json::Array(lines.iter().map(checkout::LineProblem::detail).collect()),
            )
            .finish(),
        checkout::Decision::Failed { message, retryable } => Detail::new()
            .text("message", &message)
            .flag("retryable", retryable)
            .finish(),
    }
}
#[wasm_bindgen]
/// The `wa.me` URL of the order; prices are decimals followed by the currency code (a JS
/// layer would format them with `Intl` first, as the widget does).
pub fn whatsapp(page: &str) -> String {
    with(|s| {
        let msg = checkout::whatsapp_message(
            &s.cart,
            &s.config,
            &s.strings,
            page,
            |m| m.to_decimal(s.config.shop.currency) + " " + s.config.shop.currency.code(),
            |n| crate::core::json::int(n.into()),
        );
        checkout::whatsapp_url(s.config.shop.whatsapp.as_deref().unwrap_or_default(), &msg)
    })
    .unwrap_or_default()
}
#[wasm_bindgen]
pub fn uuid(b: Vec<u8>) -> String {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    checkout::uuid_v4(a)
}

//! Shoppable: product tags over social-post images, a shared cart and checkout, as one
//! WebAssembly module behind a small JavaScript loader (`www/shoppable.js`).
//!
//! This file only wires the layers: `core` decides (pure, tested natively), `dom` renders,
//! `io` talks to the browser, and `app` holds the running widget. The functions exported
//! here are what the loader turns into `window.Shoppable` (SPEC §4).

pub mod core;

/// Talc instead of Rust's default wasm allocator (dlmalloc): measured ~6 KB smaller in the
/// optimised module, and faster. Realloc-in-place is off: it saves bytes, and the widget's
/// allocations are small and short-lived.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod io;

#[cfg(target_arch = "wasm32")]
mod api {
    use wasm_bindgen::prelude::*;

    use crate::app;

    fn error(message: String) -> JsValue {
        js_sys::Error::new(&message).into()
    }

    /// A whole number from 0 (or 1) to 99 from JS, or an error saying what was passed.
    fn quantity(n: f64, min: f64) -> Result<u32, JsValue> {
        if n.fract() == 0.0 && (min..=99.0).contains(&n) {
            Ok(n as u32)
        } else {
            // The browser prints the number: Rust's f64 formatting would cost ~20 KB.
            let shown = String::from(
                js_sys::Number::from(n)
                    .to_string_with_radix(10)
                    .unwrap_or_default(),
            );
            Err(error(format!(
                "quantity {shown} is not a whole number from {} to 99",
                crate::core::json::int(min as u64)
            )))
        }
    }

    /// What every export but `checkout` returns: its result, or the `Error` it failed
    /// with, which the loader throws (`www/shoppable.js`). Returning `Result` instead made
    /// wasm-bindgen emit a multi-value shim in the wasm and a throw in the glue for each
    /// export.
    fn out(result: Result<JsValue, JsValue>) -> JsValue {
        result.unwrap_or_else(|e| e)
    }

    /// Starts the widget with config JSON text, the shop's language pack if it has one
    /// (`core::i18n`), and a promise that settles when ICU is warm (`dom::price`): a
    /// promise of the start, or an `Error` naming the config path.
    #[wasm_bindgen]
    pub fn start(
        config: &str,
        strings: Option<String>,
        intl_warm: Option<js_sys::Promise>,
    ) -> JsValue {
        out(app::start(config, strings, intl_warm).map(JsValue::from))
    }

    #[wasm_bindgen]
    pub fn cart_items() -> JsValue {
        out(app::with(|a| a.items()).map(JsValue::from))
    }

    #[wasm_bindgen]
    pub fn cart_add(item_id: &str, n: f64) -> JsValue {
        out(quantity(n, 1.0).and_then(|n| {
            app::with(|a| a.add(item_id, n, None))?
                .map(|_| JsValue::UNDEFINED)
                .map_err(error)
        }))
    }

    #[wasm_bindgen]
    pub fn cart_set_quantity(item_id: &str, n: f64) -> JsValue {
        out(quantity(n, 0.0).and_then(|n| {
            app::with(|a| a.set_quantity(item_id, n))?
                .map(|_| JsValue::UNDEFINED)
                .map_err(error)
        }))
    }

    #[wasm_bindgen]
    pub fn cart_remove(item_id: &str) -> JsValue {
        out(app::with(|a| a.remove(item_id)).map(JsValue::from))
    }

    #[wasm_bindgen]
    pub fn cart_clear() -> JsValue {
        out(app::with(|a| a.clear()).map(|_| JsValue::UNDEFINED))
    }

    #[wasm_bindgen]
    pub fn cart_subtotal() -> JsValue {
        out(app::with(|a| a.subtotal()).map(JsValue::from))
    }

    #[wasm_bindgen]
    pub fn open_cart() -> JsValue {
        out(app::with(|a| a.open_cart()).map(|_| JsValue::UNDEFINED))
    }

    #[wasm_bindgen]
    pub fn close_cart() -> JsValue {
        out(app::with(|a| a.close_cart()).map(|_| JsValue::UNDEFINED))
    }

    #[wasm_bindgen]
    pub fn checkout() -> js_sys::Promise {
        app::start_checkout()
    }
}

//! Shoppable: product tags over social-post images, a shared cart and checkout, as one
//! WebAssembly module behind a small JavaScript loader (`www/shoppable.js`).
//!
//! This file only wires the layers: `core` decides (pure, tested natively), `dom` renders,
//! `io` talks to the browser, and `app` holds the running widget. The functions exported
//! here are what the loader turns into `window.Shoppable` (SPEC §4).

// `no_std`, so that the shipped wasm (built without the `std` feature) links no `std` at all:
// no panic runtime (hook, payloads, message formatting), only the handler below.
#![no_std]
// `format!` is for tests only (see `cat!` and clippy.toml).
#![cfg_attr(test, allow(clippy::disallowed_macros))]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

/// What `std`'s prelude would bring, from `alloc`; every module imports it.
#[allow(unused_imports)]
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::format;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}
#[allow(unused_imports)]
use prelude::*;

/// `cat!(a, b, …)`: its arguments, each anything that is `AsRef<str>`, joined into a new
/// `String`. The widget's `format!`, which is only used in tests: `core::fmt` (its writer,
/// padding, `Display` impls and a template walked at run time for every call) came to
/// several KB of wasm for messages that only ever join text.
macro_rules! cat {
    ($($part:expr),+ $(,)?) => {
        $crate::core::cat(&[$(::core::convert::AsRef::<str>::as_ref(&$part)),+])
    };
}

pub mod core;

/// The shipped wasm's panic handler: stop. A panic is a bug (inputs are checked and errors
/// returned, never panicked on); `std`'s runtime would only have written its message to a
/// console the wasm32-unknown-unknown target does not have. Test builds (feature `std`)
/// keep `std`'s. It reads no message or location: the build blanks them in the shipped wasm
/// (`scripts/stub-dead.mjs`).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}

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
    use crate::prelude::*;
    use wasm_bindgen::prelude::*;

    use crate::app;

    fn error(message: String) -> JsValue {
        js_sys::Error::new(&message).into()
    }

    /// A whole number from 0 (or 1) to 99 from JS, or an error saying what was passed.
    fn quantity(n: f64, min: f64) -> Result<u32, JsValue> {
        if (min..=99.0).contains(&n) && n == f64::from(n as u32) {
            Ok(n as u32)
        } else {
            // The browser prints the number: Rust's f64 formatting would cost ~20 KB.
            let shown = String::from(
                js_sys::Number::from(n)
                    .to_string_with_radix(10)
                    .unwrap_or_default(),
            );
            Err(error(cat!(
                "quantity ",
                shown,
                " is not a whole number from ",
                crate::core::json::int(min as u64),
                " to 99"
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
                .map(|added| JsValue::from(added as f64))
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
        out(app::with(|a| a.remove(item_id))
            .and_then(|r| r.map(|_| JsValue::UNDEFINED).map_err(error)))
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

//! The IO edge: the few ways the widget touches the browser beyond drawing — storage,
//! fetch, timers, observers, listeners and events. Each is a small wrapper; handles that
//! hold a browser resource release it on drop (RAII), so unmounting leaks nothing.

pub mod events;
pub mod fetch;
pub mod listener;
pub mod storage;

pub fn window() -> web_sys::Window {
    web_sys::window().expect("the widget only runs in a page with a window")
}

pub fn document() -> web_sys::Document {
    window()
        .document()
        .expect("the widget only runs in a page with a document")
}

/// `setTimeout` as a future.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(ms).unwrap_or(i32::MAX),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// A fresh UUID from the browser's CSPRNG, for `Idempotency-Key`.
pub fn random_uuid() -> String {
    window()
        .crypto()
        .map(|c| c.random_uuid())
        .unwrap_or_else(|_| {
            format!(
                "{:x}-{:x}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e15) as u64
            )
        })
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&format!("shoppable: {message}").into());
}

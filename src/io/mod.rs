//! The IO edge: the few ways the widget touches the browser beyond drawing — storage,
//! fetch, timers, observers, listeners and events. Each is a small wrapper; handles that
//! hold a browser resource release it on drop (RAII), so unmounting leaks nothing.

use crate::prelude::*;

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

pub mod events;
pub mod fetch;
pub mod listener;
pub mod storage;

// The widget only runs in a page, which has both: read as globals, not through
// `web_sys::window()`, whose search of `globalThis`, `self`, `window` and `global` with an
// `instanceof Window` check is four imports and their code in every shopper's download.
#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: web_sys::Window;
    #[wasm_bindgen(thread_local_v2, js_name = document)]
    pub(crate) static DOCUMENT: web_sys::Document;
}

pub fn window() -> web_sys::Window {
    WINDOW.with(web_sys::Window::clone)
}

pub fn document() -> web_sys::Document {
    DOCUMENT.with(web_sys::Document::clone)
}

#[wasm_bindgen]
extern "C" {
    /// The window, through calls bound without `catch` (see `dom::Dom` for why): none of
    /// them throws as the widget makes them.
    type Win;
    #[wasm_bindgen(method, js_name = setTimeout)]
    fn set_timeout(this: &Win, f: &JsValue, ms: i32) -> i32;
    #[wasm_bindgen(method, js_name = requestAnimationFrame)]
    fn request_animation_frame(this: &Win, f: &JsValue);
    #[wasm_bindgen(method, getter, js_name = innerWidth)]
    fn inner_width(this: &Win) -> f64;
    #[wasm_bindgen(method, getter, js_name = innerHeight)]
    fn inner_height(this: &Win) -> f64;
    #[wasm_bindgen(method, js_name = getComputedStyle)]
    fn get_computed_style(this: &Win, element: &web_sys::Element) -> web_sys::CssStyleDeclaration;
    #[wasm_bindgen(method, getter)]
    fn crypto(this: &Win) -> Option<web_sys::Crypto>;
    #[wasm_bindgen(method, getter)]
    fn location(this: &Win) -> Loc;

    /// The page's `location`: reading its `href` never throws; `assign` can (a URL the
    /// browser refuses), so it keeps `catch`.
    type Loc;
    #[wasm_bindgen(method, getter)]
    fn href(this: &Loc) -> String;
    #[wasm_bindgen(method, catch)]
    fn assign(this: &Loc, url: &str) -> Result<(), JsValue>;

    /// `Reflect.has` on an object, which cannot throw.
    #[wasm_bindgen(js_namespace = Reflect, js_name = has)]
    fn reflect_has(target: &JsValue, key: &str) -> bool;

    /// An event target, bound without `catch` (see `dom::Dom`): adding and removing a
    /// listener with a function never throws, nor does dispatching a new event (a
    /// listener's exception is reported, not passed to the dispatcher).
    type Target;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &Target, kind: &str, f: &JsValue, capture: bool);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &Target, kind: &str, f: &JsValue, capture: bool);
    #[wasm_bindgen(method, js_name = dispatchEvent)]
    fn dispatch_event(this: &Target, event: &web_sys::Event) -> bool;

    /// A promise, seen only for `then(f, f)`: js-sys's own `then2` takes two owned closures.
    type Thenable;
    #[wasm_bindgen(method, js_name = then)]
    fn then_either(this: &Thenable, ok: &js_sys::Function, err: &js_sys::Function);
}

/// The cached window, borrowed: no handle cloned and dropped per call (a layout reads the
/// computed style of every image it places).
fn with_win<R>(f: impl FnOnce(&Win) -> R) -> R {
    WINDOW.with(|w| f(w.unchecked_ref()))
}

/// Calls `f` (a JS function) after `ms` milliseconds; returns the timer's handle.
pub fn set_timeout(f: &JsValue, ms: u32) -> i32 {
    with_win(|w| w.set_timeout(f, i32::try_from(ms).unwrap_or(i32::MAX)))
}

/// Calls `f` (a JS function) before the next frame is painted.
pub fn request_frame(f: &JsValue) {
    with_win(|w| w.request_animation_frame(f));
}

/// The viewport's width and height in CSS px.
pub fn viewport() -> (f64, f64) {
    with_win(|w| (w.inner_width(), w.inner_height()))
}

pub fn computed_style(element: &web_sys::Element) -> web_sys::CssStyleDeclaration {
    with_win(|w| w.get_computed_style(element))
}

/// Calls `f` with what `promise` settles to, fulfilled or rejected: one closure serves both,
/// so it is always called and so freed (`once_into_js`).
pub fn settled(promise: &js_sys::Promise, f: impl FnOnce(JsValue) + 'static) {
    let f: Box<dyn FnOnce(JsValue)> = Box::new(f);
    on_settled(promise, wasm_bindgen::closure::Closure::once_into_js(f));
}

/// A JS function that runs `f` once and then frees it. Boxed before it reaches
/// wasm-bindgen, so the closure glue exists once, not once per caller's closure type
/// (−0.7 KB brotli together with the listeners' same change).
pub fn once_fn(f: impl FnOnce() + 'static) -> JsValue {
    fn boxed(f: Box<dyn FnOnce()>) -> JsValue {
        wasm_bindgen::closure::Closure::once_into_js(f)
    }
    boxed(Box::new(f))
}

/// `promise.then(f, f)`, for a function made by `Closure::once_into_js`.
pub fn on_settled(promise: &js_sys::Promise, f: JsValue) {
    promise
        .unchecked_ref::<Thenable>()
        .then_either(f.unchecked_ref(), f.unchecked_ref());
}

/// Runs `f` once just after the next frame is painted (a zero timer queued from a
/// `requestAnimationFrame` callback): work the shopper does not see comes after what they do.
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_frame(&once_fn(move || soon(f)));
}

/// Runs `f` once in a task after the next frame is painted, or, in a hidden tab (which
/// paints no frames), after what is queued now.
pub fn next_frame(f: impl FnOnce() + 'static) {
    if document().hidden() {
        soon(f);
    } else {
        after_paint(f);
    }
}

/// Runs `f` once in a task of its own, after what is queued now (a zero timer).
pub fn soon(f: impl FnOnce() + 'static) {
    later(0, f);
}

/// Runs `f` once after `ms` milliseconds.
pub fn later(ms: u32, f: impl FnOnce() + 'static) {
    set_timeout(&once_fn(f), ms);
}

/// Runs `f` once when the browser is idle (at the latest after `timeout_ms`), or on a
/// zero timer where `requestIdleCallback` does not exist (Safari).
pub fn when_idle(timeout_ms: u32, f: impl FnOnce() + 'static) {
    let callback = once_fn(f);
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(timeout_ms);
    let win = window();
    let function = callback.unchecked_ref();
    if win
        .request_idle_callback_with_options(function, &options)
        .is_err()
    {
        set_timeout(&callback, 0);
    }
}

/// The page's address.
pub fn page_url() -> String {
    with_win(|w| w.location().href())
}

/// Navigates the page to `url` (a checkout's `redirect_url`); a refused URL is ignored.
pub fn navigate(url: &str) {
    let _ = with_win(|w| w.location().assign(url));
}

/// A fresh UUID from the browser's CSPRNG, for `Idempotency-Key`.
pub fn random_uuid() -> String {
    let crypto = with_win(Win::crypto);
    if let Some(c) = &crypto {
        // `randomUUID` only exists in secure contexts; plain-http pages get the fallback.
        if reflect_has(c, "randomUUID") {
            return c.random_uuid();
        }
    }
    let mut bytes = [0u8; 16];
    let filled = crypto.is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    crate::core::checkout::uuid_v4(bytes)
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&cat!("shoppable: ", message).into());
}

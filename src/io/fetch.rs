//! One checkout POST with a timeout (`AbortController`). Answers are turned into the core's
//! owned terms; the core decides what they mean.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::window;

pub enum Outcome {
    NetworkError,
    Timeout,
    Http {
        status: u16,
        body: String,
        retry_after: Option<String>,
    },
}

pub struct Post<'a> {
    pub url: &'a str,
    pub body: &'a str,
    pub idempotency_key: &'a str,
    pub headers: &'a [(String, String)],
    pub credentials: web_sys::RequestCredentials,
    pub timeout_ms: u32,
}

pub async fn post_json(post: Post<'_>) -> Outcome {
    let controller = web_sys::AbortController::new().ok();
    let headers = match web_sys::Headers::new() {
        Ok(h) => h,
        Err(_) => return Outcome::NetworkError,
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Idempotency-Key", post.idempotency_key);
    for (name, value) in post.headers {
        let _ = headers.set(name, value);
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(post.body));
    init.set_credentials(post.credentials);
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    // Owned here and dropped after the timer is cleared: `once_into_js` would leak the
    // closure on every attempt that answers in time, since a cleared timer never calls it.
    let abort = controller.as_ref().map(|c| {
        let c = c.clone();
        Closure::once(move || c.abort())
    });
    let timer = abort.as_ref().and_then(|a| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                a.as_ref().unchecked_ref(),
                i32::try_from(post.timeout_ms).unwrap_or(i32::MAX),
            )
            .ok()
    });
    let timed_out = || controller.as_ref().is_some_and(|c| c.signal().aborted());
    let outcome = async {
        let response = JsFuture::from(window().fetch_with_str_and_init(post.url, &init))
            .await
            .map_err(|_| ())?;
        let response: web_sys::Response = response.dyn_into().map_err(|_| ())?;
        let retry_after = response.headers().get("Retry-After").ok().flatten();
        let body = match response.text() {
            Ok(p) => JsFuture::from(p)
                .await
                .map_err(|_| ())?
                .as_string()
                .unwrap_or_default(),
            Err(_) => String::new(),
        };
        Ok::<_, ()>(Outcome::Http {
            status: response.status(),
            body,
            retry_after,
        })
    }
    .await;
    if let Some(t) = timer {
        window().clear_timeout_with_handle(t);
    }
    drop(abort);
    match outcome {
        Ok(o) => o,
        Err(()) if timed_out() => Outcome::Timeout,
        Err(()) => Outcome::NetworkError,
    }
}

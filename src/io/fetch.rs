//! One checkout POST with a timeout (`AbortController`). Answers are turned into the core's
//! owned terms; the core decides what they mean.
//!
//! Callbacks, not `async`: the futures executor (`wasm-bindgen-futures`) and the state
//! machines of two `async fn`s cost about 8 KB of raw wasm (1.5 KB brotli) for the one
//! place that waits on the network (see `app::send_checkout`).

use crate::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use super::{settled, window};

#[wasm_bindgen]
extern "C" {
    /// A `Headers`, bound without `catch`: only an invalid name or value throws, and the
    /// names here are constants or config's, which refuses any that is not an RFC 9110
    /// token, as it refuses control characters in values.
    type HeaderFields;
    #[wasm_bindgen(method)]
    fn set(this: &HeaderFields, name: &str, value: &str);
    #[wasm_bindgen(method)]
    fn get(this: &HeaderFields, name: &str) -> Option<String>;
}

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

/// What one request holds until its answer: the abort timer and its closure, released
/// when the answer comes (a cleared timer never calls its closure, which `once_into_js`
/// would leak), and the caller's callback.
struct Pending {
    controller: Option<web_sys::AbortController>,
    timer: Option<i32>,
    _abort: Option<Closure<dyn FnMut()>>,
    done: Box<dyn FnOnce(Outcome)>,
}

/// Ends the request: clears the timer, frees its closure, calls back.
fn settle(p: Pending, outcome: impl FnOnce(bool) -> Outcome) {
    if let Some(t) = p.timer {
        window().clear_timeout_with_handle(t);
    }
    let aborted = p.controller.is_some_and(|c| c.signal().aborted());
    (p.done)(outcome(aborted));
}

fn failed(aborted: bool) -> Outcome {
    if aborted {
        Outcome::Timeout
    } else {
        Outcome::NetworkError
    }
}

/// Sends the POST; `done` gets the outcome, exactly once.
pub fn post_json(post: Post<'_>, done: impl FnOnce(Outcome) + 'static) {
    let headers = match web_sys::Headers::new() {
        Ok(h) => h,
        Err(_) => return done(Outcome::NetworkError),
    };
    let fields = headers.unchecked_ref::<HeaderFields>();
    fields.set("Content-Type", "application/json");
    fields.set("Idempotency-Key", post.idempotency_key);
    for (name, value) in post.headers {
        fields.set(name, value);
    }
    let controller = web_sys::AbortController::new().ok();
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(post.body));
    init.set_credentials(post.credentials);
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let abort = controller.clone().map(|c| Closure::once(move || c.abort()));
    let timer = abort
        .as_ref()
        .map(|a| super::set_timeout(a.as_ref(), post.timeout_ms));
    let pending = Pending {
        controller,
        timer,
        _abort: abort,
        done: Box::new(done),
    };
    let request = window().fetch_with_str_and_init(post.url, &init);
    settled(&request, move |response| {
        let Ok(response) = response.dyn_into::<web_sys::Response>() else {
            return settle(pending, failed);
        };
        let status = response.status();
        let retry_after = response
            .headers()
            .unchecked_ref::<HeaderFields>()
            .get("Retry-After");
        let Ok(text) = response.text() else {
            return settle(pending, |_| Outcome::Http {
                status,
                body: String::new(),
                retry_after,
            });
        };
        settled(&text, move |body| match body.as_string() {
            Some(body) => settle(pending, |_| Outcome::Http {
                status,
                body,
                retry_after,
            }),
            // The body broke off (or the timeout aborted it).
            None => settle(pending, failed),
        });
    });
}

//! HTTP: the axum router, its handlers and CORS. Handlers translate between HTTP and the
//! catalog and store; they decide nothing about carts themselves.
//!
//! - `POST /api/checkout`: SPEC §6.
//! - `GET /api/orders`: every stored order, oldest first (for tests and the demo).
//! - `GET /healthz`: `ok`.
//! - `/dist/…` from the widget build, everything else from the `www` directory.

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::cors::{Any, CorsLayer};
use tower_http::services::ServeDir;

use crate::catalog::{self, Catalogs, RefusalKind};
use crate::faults::Faults;
use crate::protocol::{CheckoutRequest, ErrorBody};
use crate::store::{Placement, Store};

/// Longest `Idempotency-Key` accepted; a UUID is 36 characters.
pub const MAX_KEY_LEN: usize = 255;

/// Set on a `2xx` that repeats an earlier answer for the same key, as Stripe does.
pub const IDEMPOTENT_REPLAYED: &str = "idempotent-replayed";

/// Everything a request may need, shared by all handlers.
pub struct App {
    pub catalogs: Catalogs,
    pub store: Store,
    pub faults: Faults,
    /// Sent as `redirect_url` with every new order, when set.
    pub redirect_url: Option<String>,
}

/// Where the static files come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaticDirs {
    /// Served at `/` (the demo page and the loader).
    pub www: PathBuf,
    /// Served at `/dist/` (the built widget).
    pub dist: PathBuf,
}

pub fn router(app: Arc<App>, dirs: &StaticDirs) -> Router {
    // Open to every origin: a brand's page on its own domain calls the checkout and may
    // load the widget's `.wasm` from here, and no cookie is involved (`credentials: omit`).
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("x-shop-key"),
        ])
        .expose_headers([
            header::RETRY_AFTER,
            HeaderName::from_static(IDEMPOTENT_REPLAYED),
        ]);
    Router::new()
        .route("/api/checkout", post(checkout))
        .route("/api/orders", get(orders))
        .route("/healthz", get(|| async { "ok" }))
        .nest_service("/dist", ServeDir::new(&dirs.dist))
        .fallback_service(ServeDir::new(&dirs.www))
        .layer(cors)
        .with_state(app)
}

fn error(status: StatusCode, body: ErrorBody) -> Response {
    (status, Json(body)).into_response()
}

/// The server's own failure: `5xx`, so the widget retries with the same key.
fn internal_error(context: &str, e: impl std::fmt::Display) -> Response {
    eprintln!("checkout-server: {context}: {e}");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        ErrorBody::message("The order could not be saved. Please try again."),
    )
}

async fn checkout(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> Response {
    let response = if app.faults.should_fail() {
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            ErrorBody::message("Checkout is unavailable for a moment. Please try again."),
        )
    } else {
        place_order(app.clone(), &headers, body).await
    };
    if !app.faults.delay.is_zero() {
        tokio::time::sleep(app.faults.delay).await;
    }
    response
}

async fn place_order(app: Arc<App>, headers: &HeaderMap, body: Bytes) -> Response {
    let key = match idempotency_key(headers) {
        Ok(key) => key,
        Err(message) => return error(StatusCode::BAD_REQUEST, ErrorBody::message(message)),
    };
    let request = match CheckoutRequest::parse(&body) {
        Ok(request) => request,
        Err(message) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody::message(message),
            )
        }
    };
    let fingerprint = request.fingerprint();
    // SQLite blocks; keep it off the async workers.
    let placed = tokio::task::spawn_blocking(move || {
        app.store
            .place_order(&key, &fingerprint, app.redirect_url.as_deref(), || {
                catalog::reprice(&app.catalogs, &request)
            })
    })
    .await;
    match placed {
        Ok(Ok(Placement::Created(order))) => (StatusCode::CREATED, Json(order)).into_response(),
        Ok(Ok(Placement::Replayed(order))) => (
            StatusCode::CREATED,
            [(IDEMPOTENT_REPLAYED, HeaderValue::from_static("true"))],
            Json(order),
        )
            .into_response(),
        Ok(Ok(Placement::KeyReused)) => error(
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorBody::message("Idempotency-Key reused with a different cart"),
        ),
        Ok(Ok(Placement::Refused(refusal))) => {
            let status = match refusal.kind {
                RefusalKind::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
                RefusalKind::Conflict => StatusCode::CONFLICT,
            };
            error(
                status,
                ErrorBody::with_lines(refusal.message, refusal.lines),
            )
        }
        Ok(Err(e)) => internal_error("storing an order", e),
        Err(e) => internal_error("order task", e),
    }
}

/// The `Idempotency-Key` header, required: without it a retry could make a second order.
fn idempotency_key(headers: &HeaderMap) -> Result<String, String> {
    let value = headers
        .get("idempotency-key")
        .ok_or("Idempotency-Key header is required")?;
    value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|key| !key.is_empty() && key.len() <= MAX_KEY_LEN)
        .map(str::to_owned)
        .ok_or_else(|| {
            format!("Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters")
        })
}

async fn orders(State(app): State<Arc<App>>) -> Response {
    match tokio::task::spawn_blocking(move || app.store.orders()).await {
        Ok(Ok(orders)) => Json(orders).into_response(),
        Ok(Err(e)) => internal_error("listing orders", e),
        Err(e) => internal_error("orders task", e),
    }
}

//! `POST /api/checkout` and `GET /api/orders` over real HTTP against an in-process server:
//! orders, Idempotency-Key replays and conflicts, refusals, faults and CORS.

mod common;

use std::time::{Duration, Instant};

use checkout_server::faults::Faults;
use common::{cart, start, start_with};
use serde_json::json;

#[tokio::test]
async fn a_valid_cart_makes_an_order_that_is_stored() {
    let server = start(Faults::default()).await;
    let reply = server.checkout(Some("key-1"), &cart()).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let body = reply.json();
    let order_id = body["order_id"].as_str().expect("order_id is a string");
    assert!(order_id.starts_with("ord_"), "{order_id}");
    assert_eq!(
        body.get("redirect_url"),
        None,
        "no redirect unless configured"
    );
    assert_eq!(reply.header("idempotent-replayed"), None);

    let orders = server.orders().await;
    assert_eq!(orders.len(), 1);
    let order = &orders[0];
    assert_eq!(order["order_id"], order_id);
    assert_eq!(order["idempotency_key"], "key-1");
    assert_eq!(order["currency"], "KWD");
    assert_eq!(order["subtotal"], "56.000");
    assert_eq!(
        order["lines"],
        json!([
            { "item_id": "abaya-52", "product_id": "abaya", "variant_id": "abaya-52",
              "title": "Abaya — 52", "quantity": 2, "unit_price": "25.500", "post_id": "p1" },
            { "item_id": "scarf", "product_id": "scarf", "variant_id": null,
              "title": "Scarf", "quantity": 1, "unit_price": "5.000", "post_id": "p1" }
        ])
    );
}

#[tokio::test]
async fn the_same_key_and_cart_replays_the_same_order() {
    let server = start(Faults::default()).await;
    let first = server.checkout(Some("key-1"), &cart()).await;
    let again = server.checkout(Some("key-1"), &cart()).await;
    assert_eq!(first.status, 201);
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body, first.body, "the stored answer, byte for byte");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(server.orders().await.len(), 1);
}

#[tokio::test]
async fn the_same_cart_from_another_page_is_still_the_same_cart() {
    let server = start(Faults::default()).await;
    let first = server.checkout(Some("key-1"), &cart()).await;
    let mut elsewhere = cart();
    elsewhere["page"] = json!("https://brand.example/other");
    let again = server.checkout(Some("key-1"), &elsewhere).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.json()["order_id"], first.json()["order_id"]);
    assert_eq!(server.orders().await.len(), 1);
}

/// The first attempt was stored but its answer lost; the shop then changed a price, and the
/// widget, which re-reads prices on every page view, retries the same lines at the new price
/// with the same key. The order exists: it is replayed, at the price it was placed at.
#[tokio::test]
async fn the_same_lines_at_new_prices_replay_the_order_already_placed() {
    let server = start(Faults::default()).await;
    let first = server.checkout(Some("key-1"), &cart()).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let mut repriced = cart();
    repriced["lines"][0]["unit_price"] = json!("26.000");
    repriced["subtotal"] = json!("57.000");
    let again = server.checkout(Some("key-1"), &repriced).await;
    assert_eq!(again.status, 201, "{}", again.body);
    assert_eq!(again.body, first.body, "the stored answer");
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let orders = server.orders().await;
    assert_eq!(orders.len(), 1);
}

#[tokio::test]
async fn the_same_key_with_another_cart_is_422_and_makes_no_order() {
    let server = start(Faults::default()).await;
    server.checkout(Some("key-1"), &cart()).await;
    let mut other = cart();
    other["lines"][1]["quantity"] = json!(2);
    other["subtotal"] = json!("61.000");
    let reply = server.checkout(Some("key-1"), &other).await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.json(),
        json!({ "error": { "message": "Idempotency-Key reused with a different cart" } })
    );
    assert_eq!(server.orders().await.len(), 1);

    let genuine_second_order = server.checkout(Some("key-2"), &other).await;
    assert_eq!(genuine_second_order.status, 201, "a new key is a new order");
    assert_eq!(server.orders().await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_requests_with_one_key_make_one_order() {
    let server = std::sync::Arc::new(start(Faults::default()).await);
    let attempts: Vec<_> = (0..20)
        .map(|_| {
            let server = server.clone();
            tokio::spawn(async move { server.checkout(Some("same-key"), &cart()).await })
        })
        .collect();
    let mut order_ids = std::collections::BTreeSet::new();
    for attempt in attempts {
        let reply = attempt.await.expect("request task");
        assert_eq!(reply.status, 201, "{}", reply.body);
        order_ids.insert(reply.json()["order_id"].as_str().map(str::to_owned));
    }
    assert_eq!(order_ids.len(), 1, "every answer names the one order");
    assert_eq!(server.orders().await.len(), 1);
}

#[tokio::test]
async fn a_missing_idempotency_key_is_400() {
    let server = start(Faults::default()).await;
    let reply = server.checkout(None, &cart()).await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.json(),
        json!({ "error": { "message": "Idempotency-Key header is required" } })
    );
    let blank = server.checkout(Some(" "), &cart()).await;
    assert_eq!(blank.status, 400);
    assert!(server.orders().await.is_empty());
}

#[tokio::test]
async fn fail_rate_1_answers_503_and_stores_nothing() {
    let server = start(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    })
    .await;
    for _ in 0..3 {
        let reply = server.checkout(Some("key-1"), &cart()).await;
        assert_eq!(reply.status, 503);
        assert!(reply.json()["error"]["message"].is_string());
    }
    assert!(server.orders().await.is_empty());
}

#[tokio::test]
async fn delay_holds_the_answer_but_the_order_is_already_stored() {
    let server = start(Faults {
        delay: Duration::from_millis(300),
        ..Faults::default()
    })
    .await;
    let started = Instant::now();
    let reply = server.checkout(Some("key-1"), &cart()).await;
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 201);
    assert_eq!(server.orders().await.len(), 1);
}

#[tokio::test]
async fn every_bad_line_is_reported_with_its_reason() {
    let server = start(Faults::default()).await;
    let body = json!({
        "currency": "KWD", "locale": "ar-KW", "subtotal": "0.000", "page": "x",
        "lines": [
            { "item_id": "ghost", "product_id": "ghost", "variant_id": null,
              "quantity": 1, "unit_price": "1.000", "post_id": null },
            { "item_id": "abaya-54", "product_id": "abaya", "variant_id": "abaya-54",
              "quantity": 1, "unit_price": "25.500", "post_id": null },
            { "item_id": "scarf", "product_id": "scarf", "variant_id": null,
              "quantity": 100, "unit_price": "5.000", "post_id": null }
        ]
    });
    let reply = server.checkout(Some("key-1"), &body).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!({ "error": {
            // In the request's language (`ar-KW`), for the shopper.
            "message": "لا يمكن طلب بعض المنتجات في السلة.",
            "lines": [
                { "item_id": "ghost", "reason": "unknown_item" },
                { "item_id": "abaya-54", "reason": "out_of_stock" },
                { "item_id": "scarf", "reason": "quantity" }
            ]
        } })
    );
    assert!(server.orders().await.is_empty());
}

#[tokio::test]
async fn a_changed_price_is_409_and_the_key_stays_free_for_the_fixed_cart() {
    let server = start(Faults::default()).await;
    let mut stale = cart();
    stale["lines"][1]["unit_price"] = json!("4.000");
    stale["subtotal"] = json!("55.000");
    let reply = server.checkout(Some("key-1"), &stale).await;
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!({ "error": {
            "message": "تغيّرت أسعار بعض المنتجات في السلة.",
            "lines": [ { "item_id": "scarf", "reason": "price_changed" } ]
        } })
    );
    // The widget re-reads prices, so the cart changes and so does its key; a refusal is
    // not stored either way, so even the same key may try the corrected cart.
    let fixed = server.checkout(Some("key-1"), &cart()).await;
    assert_eq!(fixed.status, 201, "{}", fixed.body);
}

#[tokio::test]
async fn a_wrong_subtotal_is_409_with_a_message() {
    let server = start(Faults::default()).await;
    let mut body = cart();
    body["subtotal"] = json!("50.000");
    let reply = server.checkout(Some("key-1"), &body).await;
    assert_eq!(reply.status, 409);
    assert_eq!(
        reply.json(),
        json!({ "error": { "message": "The cart total has changed: it is 56.000 KWD, not 50.000 KWD." } })
    );
}

#[tokio::test]
async fn a_malformed_body_or_unknown_currency_is_422_without_lines() {
    let server = start(Faults::default()).await;
    let reply = server
        .request(
            "POST",
            "/api/checkout",
            &[("Idempotency-Key", "key-1")],
            "{not json",
        )
        .await;
    assert_eq!(reply.status, 422);
    let error = &reply.json()["error"];
    assert!(error["message"].is_string());
    assert_eq!(error.get("lines"), None);

    let missing_lines = server
        .checkout(
            Some("key-2"),
            &json!({ "currency": "KWD", "subtotal": "1.000" }),
        )
        .await;
    assert_eq!(missing_lines.status, 422);

    let mut dollars = cart();
    dollars["currency"] = json!("USD");
    let reply = server.checkout(Some("key-3"), &dollars).await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.json(),
        json!({ "error": { "message": "This shop does not sell in \"USD\"." } })
    );
    assert!(server.orders().await.is_empty());
}

#[tokio::test]
async fn redirect_url_is_sent_when_configured_and_replayed_with_the_order() {
    let server = start_with(Faults::default(), Some("https://shop.example/thanks")).await;
    let first = server.checkout(Some("key-1"), &cart()).await;
    assert_eq!(first.status, 201);
    assert_eq!(first.json()["redirect_url"], "https://shop.example/thanks");
    let again = server.checkout(Some("key-1"), &cart()).await;
    assert_eq!(again.json(), first.json());
}

#[tokio::test]
async fn another_origin_may_call_the_checkout() {
    let server = start(Faults::default()).await;
    let preflight = server
        .request(
            "OPTIONS",
            "/api/checkout",
            &[
                ("Origin", "https://brand.example"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "content-type,idempotency-key,x-shop-key",
                ),
            ],
            "",
        )
        .await;
    assert!(
        (200..300).contains(&preflight.status),
        "{}",
        preflight.status
    );
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let allowed = preflight
        .header("access-control-allow-headers")
        .expect("allowed headers")
        .to_ascii_lowercase();
    for name in ["content-type", "idempotency-key", "x-shop-key"] {
        assert!(allowed.contains(name), "{allowed}");
    }
    assert!(preflight
        .header("access-control-allow-methods")
        .expect("allowed methods")
        .contains("POST"));

    let body = cart().to_string();
    let reply = server
        .request(
            "POST",
            "/api/checkout",
            &[
                ("Origin", "https://brand.example"),
                ("Content-Type", "application/json"),
                ("Idempotency-Key", "key-1"),
            ],
            &body,
        )
        .await;
    assert_eq!(reply.status, 201);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn healthz_is_ok() {
    let server = start(Faults::default()).await;
    let reply = server.request("GET", "/healthz", &[], "").await;
    assert_eq!((reply.status, reply.body.as_str()), (200, "ok"));
}

//! Native tests of the pure core through its public API (`shoppable::core`), for what the
//! tests beside the code do not reach: the cart against a model at the 100-line limit and
//! the largest price, the checkout decisions of SPEC §6 the module's own tests leave out,
//! `shop.whatsapp` and `shop.digits` in config, the WhatsApp order message and link, and UI
//! strings over partial override maps in every language.
#![allow(clippy::disallowed_macros)] // Not shipped: format! is fine here.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use proptest::prelude::*;
use shoppable::core::cart::{Cart, CartError, MAX_LINES, MAX_QUANTITY};
use shoppable::core::checkout::{
    backoff_ms, decide, request_body, whatsapp_message, whatsapp_url, Answer, Decision,
    LineProblem, MAX_DELAY_MS,
};
use shoppable::core::config::{Config, Digits};
use shoppable::core::i18n::{Key, Strings};
use shoppable::core::money::{Currency, Money, MAX_MINOR};
use shoppable::core::url::UrlRef;

// ----- the cart -----------------------------------------------------------------------

/// A product of a generated catalog: its price, availability word and variants, each with
/// its own price and availability or none (then inheriting the product's).
#[derive(Clone, Debug)]
struct GenProduct {
    price: i64,
    availability: &'static str,
    variants: Vec<(Option<i64>, Option<&'static str>)>,
}

#[derive(Clone, Debug)]
struct Catalog {
    currency: &'static str,
    products: Vec<GenProduct>,
}

/// An item as SPEC §2 defines it (a variant, or a product without variants), worked out
/// from the generated catalog rather than read back from `Config`.
#[derive(Clone, Debug)]
struct ModelItem {
    id: String,
    price: i64,
    purchasable: bool,
}

fn purchasable(word: &str) -> bool {
    matches!(word, "in stock" | "preorder" | "available for order")
}

impl Catalog {
    fn currency(&self) -> Currency {
        Currency::from_code(self.currency).expect("test currencies are ISO 4217")
    }

    /// The config as a brand writes it: prices as decimal strings with all the digits.
    fn json(&self) -> String {
        let currency = self.currency();
        let decimal = |minor: i64| Money(minor).to_decimal(currency);
        let products: Vec<String> = self
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let variants: Vec<String> = p
                    .variants
                    .iter()
                    .enumerate()
                    .map(|(j, (price, availability))| {
                        let mut v = format!(r#"{{"id":"p{i}-v{j}","title":"V{j}""#);
                        if let Some(price) = price {
                            v.push_str(&format!(r#","price":"{}""#, decimal(*price)));
                        }
                        if let Some(word) = availability {
                            v.push_str(&format!(r#","availability":"{word}""#));
                        }
                        v.push('}');
                        v
                    })
                    .collect();
                format!(
                    r#"{{"id":"p{i}","title":"P{i}","price":"{}","availability":"{}","variants":[{}]}}"#,
                    decimal(p.price),
                    p.availability,
                    variants.join(",")
                )
            })
            .collect();
        format!(
            r#"{{"version":1,"shop":{{"name":"S","currency":"{}"}},"checkout":{{"endpoint":"/api/checkout"}},"products":[{}]}}"#,
            self.currency,
            products.join(",")
        )
    }

    fn config(&self) -> Config {
        Config::parse(&self.json()).expect("a generated catalog is a valid config")
    }

    fn items(&self) -> Vec<ModelItem> {
        let mut items = Vec::new();
        for (i, p) in self.products.iter().enumerate() {
            if p.variants.is_empty() {
                items.push(ModelItem {
                    id: format!("p{i}"),
                    price: p.price,
                    purchasable: purchasable(p.availability),
                });
            }
            for (j, (price, availability)) in p.variants.iter().enumerate() {
                items.push(ModelItem {
                    id: format!("p{i}-v{j}"),
                    price: price.unwrap_or(p.price),
                    purchasable: purchasable(availability.unwrap_or(p.availability)),
                });
            }
        }
        items
    }
}

fn price() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => 0..=MAX_MINOR,
        1 => Just(MAX_MINOR),
        1 => Just(0i64),
        1 => 0i64..1_000,
    ]
}

fn availability() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        6 => Just("in stock"),
        1 => Just("preorder"),
        1 => Just("available for order"),
        1 => Just("out of stock"),
        1 => Just("discontinued"),
    ]
}

fn product() -> impl Strategy<Value = GenProduct> {
    (
        price(),
        availability(),
        prop::collection::vec(
            (prop::option::of(price()), prop::option::of(availability())),
            0..3,
        ),
    )
        .prop_map(|(price, availability, variants)| GenProduct {
            price,
            availability,
            variants,
        })
}

/// JPY, AED, KWD and CLF: exponents 0, 2, 3 and 4.
fn catalog(products: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Catalog> {
    (
        prop::sample::select(vec!["JPY", "AED", "KWD", "CLF"]),
        prop::collection::vec(product(), products),
    )
        .prop_map(|(currency, products)| Catalog { currency, products })
}

/// Quantities a shopper or a script may pass: 0, small, around the 99 limit, and huge.
fn quantity() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 0u32..=5,
        2 => 90u32..=110,
        1 => Just(MAX_QUANTITY),
        1 => Just(u32::MAX),
        1 => any::<u32>(),
    ]
}

#[derive(Clone, Debug)]
enum Op {
    /// Item numbers are taken modulo the catalog's ids, so any `usize` names an id.
    Add(usize, u32, Option<&'static str>),
    Set(usize, u32),
    Remove(usize),
    Clear,
    /// A checkout starts: the cart's key is drawn or reused.
    Key,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        48 => (any::<usize>(), quantity(), prop::option::of(prop::sample::select(vec!["post-a", "post-b"])))
            .prop_map(|(i, q, post)| Op::Add(i, q, post)),
        12 => (any::<usize>(), quantity()).prop_map(|(i, q)| Op::Set(i, q)),
        8 => any::<usize>().prop_map(Op::Remove),
        4 => Just(Op::Key),
        // Rare, so that long runs do reach the 100-line limit.
        1 => Just(Op::Clear),
    ]
}

/// What the cart should hold, written from SPEC §5 and the docs of `Cart`: one entry per
/// item, quantities 1..=99, at most 100 lines, merging adds, the first post kept.
#[derive(Debug, Default)]
struct Model {
    lines: BTreeMap<String, (u32, Option<String>)>,
    key: Option<String>,
}

impl Model {
    fn add(
        &mut self,
        item: Option<&ModelItem>,
        quantity: u32,
        post: Option<&str>,
    ) -> Result<u32, CartError> {
        let item = item.ok_or(CartError::UnknownItem)?;
        if !item.purchasable {
            return Err(CartError::NotPurchasable);
        }
        let quantity = quantity.clamp(1, 99);
        let full = self.lines.len() >= 100;
        let added = match self.lines.get_mut(&item.id) {
            Some((have, _)) => {
                let before = *have;
                *have = (before + quantity).min(99);
                *have - before
            }
            None if full => return Err(CartError::Full),
            None => {
                self.lines
                    .insert(item.id.clone(), (quantity, post.map(str::to_owned)));
                quantity
            }
        };
        if added > 0 {
            self.key = None;
        }
        Ok(added)
    }

    fn set(&mut self, id: &str, quantity: u32) -> bool {
        if quantity == 0 {
            return self.remove(id).is_some();
        }
        match self.lines.get_mut(id) {
            Some((have, _)) if *have != quantity.min(99) => {
                *have = quantity.min(99);
                self.key = None;
                true
            }
            _ => false,
        }
    }

    fn remove(&mut self, id: &str) -> Option<(u32, Option<String>)> {
        let removed = self.lines.remove(id)?;
        self.key = None;
        Some(removed)
    }
}

/// A cart and the model side by side: each operation goes to both, their answers must
/// agree, and after each step the invariants hold and both hold the same lines and key.
struct Harness {
    config: Config,
    items: BTreeMap<String, ModelItem>,
    /// Every item, and two ids that name nothing.
    ids: Vec<String>,
    cart: Cart,
    model: Model,
    steps: usize,
}

impl Harness {
    fn new(catalog: &Catalog) -> Harness {
        let items = catalog.items();
        let mut ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
        ids.push("nope".into());
        ids.push("p-unknown".into());
        Harness {
            config: catalog.config(),
            items: items.into_iter().map(|i| (i.id.clone(), i)).collect(),
            ids,
            cart: Cart::default(),
            model: Model::default(),
            steps: 0,
        }
    }

    fn apply(&mut self, ops: &[Op]) -> Result<(), TestCaseError> {
        for op in ops {
            self.steps += 1;
            let Harness {
                config,
                items,
                ids,
                cart,
                model,
                steps,
            } = self;
            match op {
                Op::Add(i, q, post) => {
                    let id = &ids[i % ids.len()];
                    let got = cart.add(config, id, *q, *post);
                    let want = model.add(items.get(id), *q, *post);
                    prop_assert_eq!(got, want, "add {} × {}", id, q);
                }
                Op::Set(i, q) => {
                    let id = &ids[i % ids.len()];
                    prop_assert_eq!(cart.set_quantity(id, *q), model.set(id, *q), "set {}", id);
                }
                Op::Remove(i) => {
                    let id = &ids[i % ids.len()];
                    let got = cart.remove(id).map(|l| (l.quantity, l.post_id));
                    prop_assert_eq!(got, model.remove(id), "remove {}", id);
                }
                Op::Clear => {
                    prop_assert_eq!(cart.clear(), !model.lines.is_empty());
                    model.lines.clear();
                    model.key = None;
                }
                Op::Key => {
                    let fresh = format!("key-{steps}");
                    let got = cart.checkout_key_or(|| fresh.clone());
                    prop_assert_eq!(&got, model.key.get_or_insert(fresh));
                }
            }
            check_invariants(cart, model, config, items)?;
        }
        Ok(())
    }
}

fn check_invariants(
    cart: &Cart,
    model: &Model,
    config: &Config,
    items: &BTreeMap<String, ModelItem>,
) -> Result<(), TestCaseError> {
    prop_assert!(cart.lines().len() <= 100);
    // Same number of lines as the model's distinct items, and each line is the model's:
    // so no item has two lines.
    prop_assert_eq!(cart.lines().len(), model.lines.len());
    for line in cart.lines() {
        prop_assert!((1..=99).contains(&line.quantity), "{:?}", line);
        let Some((quantity, post)) = model.lines.get(&line.item_id) else {
            return Err(TestCaseError::fail(format!("unexpected line {line:?}")));
        };
        prop_assert_eq!(line.quantity, *quantity, "{}", line.item_id);
        prop_assert_eq!(&line.post_id, post, "{}", line.item_id);
    }
    for line in cart.lines().first().into_iter().chain(cart.lines().last()) {
        prop_assert_eq!(cart.line(&line.item_id), Some(line));
    }
    prop_assert_eq!(cart.checkout_key(), model.key.as_deref());
    prop_assert_eq!(cart.is_empty(), model.lines.is_empty());
    prop_assert_eq!(
        cart.total_quantity(),
        model.lines.values().map(|(q, _)| q).sum::<u32>()
    );
    let expected: i128 = model
        .lines
        .iter()
        .map(|(id, (q, _))| i128::from(items[id].price) * i128::from(*q))
        .sum();
    prop_assert!(expected <= i128::from(i64::MAX));
    prop_assert_eq!(i128::from(cart.subtotal(config).0), expected);
    Ok(())
}

proptest! {
    #[test]
    fn cart_matches_a_model_under_random_operations(
        catalog in catalog(1..=120),
        ops in prop::collection::vec(op(), 0..300),
    ) {
        let config = catalog.config();
        for item in catalog.items() {
            let parsed = config.item(&item.id).expect("every generated item is in the config");
            prop_assert_eq!(parsed.price(), Money(item.price), "{}", item.id);
            prop_assert_eq!(parsed.availability().is_purchasable(), item.purchasable);
        }
        Harness::new(&catalog).apply(&ops)?;
    }
}

proptest! {
    // Each case adds every item of a catalog of over 100 twice: fewer cases suffice.
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn filling_every_item_stops_at_100_lines_and_then_only_existing_lines_grow(
        catalog in catalog(101..=120),
        order in any::<u64>(),
        quantities in prop::collection::vec(quantity(), 200),
        more in prop::collection::vec(op(), 0..100),
    ) {
        let items = catalog.items();
        let buyable = items.iter().filter(|i| i.purchasable).count();
        prop_assume!(buyable > MAX_LINES, "the catalog must exceed the line limit");
        // Every item once, in an order of its own (a rotation, so each case differs).
        let n = items.len();
        let start = (order % n as u64) as usize;
        let mut ops: Vec<Op> = (0..n)
            .map(|k| {
                let i = (start + k) % n;
                Op::Add(i, quantities[k % quantities.len()], None)
            })
            .collect();
        // Then every item again, topped up past 99: existing lines still grow, new ones
        // are still refused.
        ops.extend((0..n).map(|i| Op::Add(i, 150, Some("post-b"))));
        let mut harness = Harness::new(&catalog);
        harness.apply(&ops)?;
        let lines = harness.cart.lines();
        prop_assert_eq!(lines.len(), MAX_LINES);
        prop_assert!(lines.iter().all(|l| l.quantity == 99));
        prop_assert!(lines.iter().all(|l| l.post_id.is_none()), "the first add's post stays");
        // Whatever follows keeps the invariants, starting from a full cart.
        harness.apply(&more)?;
    }
}

#[test]
fn the_cart_limits_are_the_specs() {
    assert_eq!(MAX_QUANTITY, 99, "SPEC §5: quantities 1..=99");
    assert_eq!(MAX_LINES, 100);
    assert_eq!(MAX_MINOR, 100_000_000_000_000);
}

/// A catalog of `n` variantless products, all at `minor`.
fn uniform(currency: &'static str, n: usize, minor: i64) -> Catalog {
    let product = GenProduct {
        price: minor,
        availability: "in stock",
        variants: Vec::new(),
    };
    Catalog {
        currency,
        products: vec![product; n],
    }
}

#[test]
fn a_full_cart_at_the_largest_price_totals_exactly() {
    for (currency, subtotal) in [
        ("JPY", "990000000000000000"),
        ("AED", "9900000000000000.00"),
        ("KWD", "990000000000000.000"),
        ("CLF", "99000000000000.0000"),
    ] {
        let catalog = uniform(currency, 101, MAX_MINOR);
        let config = catalog.config();
        let mut cart = Cart::default();
        for i in 0..100 {
            assert_eq!(cart.add(&config, &format!("p{i}"), 150, None), Ok(99));
        }
        assert_eq!(
            cart.add(&config, "p100", 1, None),
            Err(CartError::Full),
            "{currency}"
        );
        let expected = 100 * 99 * i128::from(MAX_MINOR);
        assert_eq!(i128::from(cart.subtotal(&config).0), expected, "{currency}");
        let total = cart.subtotal(&config).to_decimal(catalog.currency());
        assert_eq!(total, subtotal);
        let body = request_body(&cart, &config, "https://brand.example/");
        assert!(
            body.contains(&format!(r#""subtotal":"{subtotal}""#)),
            "{currency}: {body}"
        );
    }
}

#[test]
fn a_price_above_the_largest_is_a_config_error() {
    for currency in ["JPY", "AED", "KWD"] {
        let at_max = uniform(currency, 1, MAX_MINOR);
        assert!(Config::parse(&at_max.json()).is_ok(), "{currency}");
        let over = uniform(currency, 1, MAX_MINOR + 1);
        let error = Config::parse(&over.json()).expect_err("one minor unit too many");
        assert_eq!(error.path, "config.products[0].price", "{currency}");
        assert!(error.reason.ends_with("is too large"), "{error}");
    }
}

/// SPEC §2: "A purchasable item is a variant, or the product itself when it has no
/// variants." The reference server refuses a whole product with variants
/// (examples/checkout-server/src/catalog.rs), and so does the widget's cart (it took it
/// until this test found it).
#[test]
fn a_product_with_variants_is_not_itself_an_item() {
    let config = Config::parse(
        r#"{"version":1,"shop":{"name":"S","currency":"KWD"},"checkout":{"endpoint":"/c"},
            "products":[{"id":"abaya","title":"Abaya","price":"25","variants":[
              {"id":"abaya-52","title":"52"},{"id":"abaya-54","title":"54"}]}]}"#,
    )
    .unwrap();
    assert!(config.item("abaya-52").is_some());
    let mut cart = Cart::default();
    assert_eq!(
        cart.add(&config, "abaya", 1, None),
        Err(CartError::UnknownItem)
    );
}

// ----- checkout decisions (SPEC §6) -----------------------------------------------------

fn http<'a>(status: u16, body: &'a str) -> Answer<'a> {
    Answer::Http {
        status,
        body,
        retry_after: None,
    }
}

fn http_retry_after<'a>(status: u16, retry_after: &'a str) -> Answer<'a> {
    Answer::Http {
        status,
        body: "",
        retry_after: Some(retry_after),
    }
}

fn success(order_id: &str, redirect_url: Option<&str>) -> Decision {
    Decision::Success {
        order_id: order_id.into(),
        redirect_url: redirect_url.map(|u| UrlRef::parse(u).unwrap()),
    }
}

#[test]
fn a_numeric_order_id_is_read_as_its_digits() {
    assert_eq!(
        decide(&http(200, r#"{"order_id":12345}"#), 1, 4, 0.5, 0.0),
        success("12345", None)
    );
    assert_eq!(
        decide(
            &http(201, r#"{"order_id":9007199254740992}"#),
            1,
            4,
            0.5,
            0.0
        ),
        success("9007199254740992", None),
        "2^53 is still exact"
    );
    for body in [
        r#"{"order_id":12.5}"#,
        r#"{"order_id":-3}"#,
        r#"{"order_id":""}"#,
        r#"{"order_id":true}"#,
        r#"{"order_id":null}"#,
        r#"{"id":"o-1"}"#,
    ] {
        assert!(
            matches!(
                decide(&http(200, body), 1, 4, 0.5, 0.0),
                Decision::Failed { retryable: false, ref message } if message.contains("order_id")
            ),
            "{body}"
        );
    }
}

#[test]
fn a_2xx_without_a_json_object_fails_and_is_not_retried() {
    for status in [200, 201, 204, 299] {
        for body in [
            "",
            "OK",
            "<html>thanks</html>",
            "[]",
            "\"o-1\"",
            "null",
            "{",
        ] {
            // On the last attempt too: a 2xx is never a transient failure.
            for attempt in [1, 4] {
                assert!(
                    matches!(
                        decide(&http(status, body), attempt, 4, 0.5, 0.0),
                        Decision::Failed { retryable: false, ref message } if message.contains("JSON")
                    ),
                    "{status} {body:?}"
                );
            }
        }
    }
}

#[test]
fn a_relative_redirect_url_is_followed_and_other_schemes_are_dropped() {
    // SPEC §7: redirect_url is accepted as http(s) or relative; a relative URL resolves
    // against the shop's own http(s) page.
    for url in [
        "/thanks?order=o-1",
        "thanks",
        "//shop.example/thanks",
        "HTTPS://shop.example/t",
        "http://shop.example/t",
    ] {
        let body = format!(r#"{{"order_id":"o-1","redirect_url":"{url}"}}"#);
        assert_eq!(
            decide(&http(200, &body), 1, 4, 0.5, 0.0),
            success("o-1", Some(url)),
            "{url}"
        );
    }
    let relative = decide(
        &http(200, r#"{"order_id":"o-1","redirect_url":"/t"}"#),
        1,
        4,
        0.5,
        0.0,
    );
    let Decision::Success {
        redirect_url: Some(url),
        ..
    } = relative
    else {
        panic!("{relative:?}")
    };
    assert!(!url.is_absolute());
    // Anything else: the order still succeeds, and the order id is shown instead.
    for redirect in [
        r#""javascript:alert(1)""#,
        r#""data:text/html,x""#,
        r#""ftp://shop.example/t""#,
        r#"" https://shop.example/t""#,
        r#""https://shop.example/\n""#,
        r#""""#,
        "42",
        "null",
    ] {
        let body = format!(r#"{{"order_id":"o-1","redirect_url":{redirect}}}"#);
        assert_eq!(
            decide(&http(200, &body), 1, 4, 0.5, 0.0),
            success("o-1", None),
            "{redirect}"
        );
    }
}

#[test]
fn a_refused_line_without_reason_is_unknown_item_and_without_item_id_is_dropped() {
    let body = r#"{"error":{"message":"Some items changed","lines":[
        {"item_id":"a"},
        {"reason":"out_of_stock"},
        {"item_id":"","reason":"quantity"},
        {"item_id":7,"reason":"quantity"},
        {"item_id":"b","reason":""},
        {"item_id":"c","reason":"price_changed"},
        "d"]}}"#;
    let line = |item_id: &str, reason: &str| LineProblem {
        item_id: item_id.into(),
        reason: reason.into(),
    };
    for status in [409, 422] {
        assert_eq!(
            decide(&http(status, body), 1, 4, 0.5, 0.0),
            Decision::Rejected {
                message: Some("Some items changed".into()),
                lines: vec![
                    line("a", "unknown_item"),
                    line("b", "unknown_item"),
                    line("c", "price_changed"),
                ],
            }
        );
    }
    // No message, lines that are not a list: still a refusal of this cart, never a retry.
    for body in [
        r#"{"error":{"lines":[{"item_id":"a","reason":"quantity"}]}}"#,
        r#"{"error":{"message":"","lines":{"item_id":"a"}}}"#,
    ] {
        let decision = decide(&http(409, body), 4, 4, 0.5, 0.0);
        assert!(
            matches!(decision, Decision::Rejected { message: None, .. }),
            "{body}: {decision:?}"
        );
    }
    // No `error` object at all (a proxy's page, another protocol): a failure for the
    // developer to look at, never a retry.
    for body in [
        r#"{"error":"Sold out"}"#,
        r#"{"message":"Sold out"}"#,
        "",
        "<h1>409</h1>",
    ] {
        assert_eq!(
            decide(&http(409, body), 1, 4, 0.5, 0.0),
            Decision::Failed {
                message: "the checkout endpoint answered 409 without an error object".into(),
                retryable: false
            },
            "{body}"
        );
    }
}

#[test]
fn retry_after_shorter_than_the_backoff_waits_the_backoff() {
    // Attempt 3 with full jitter at 1.0 backs off 2 s; the server asking for 1 s (or 0)
    // does not make the client retry sooner: the longer of the two wins.
    assert_eq!(backoff_ms(3, 1.0), 2_000);
    for header in ["0", "1", "2"] {
        assert_eq!(
            decide(&http_retry_after(503, header), 3, 4, 1.0, 0.0),
            Decision::RetryAfter { delay_ms: 2_000 },
            "{header}"
        );
    }
    assert_eq!(
        decide(&http_retry_after(429, "5"), 3, 4, 1.0, 0.0),
        Decision::RetryAfter { delay_ms: 5_000 }
    );
    assert_eq!(
        decide(&http_retry_after(429, " 7 "), 1, 4, 0.0, 0.0),
        Decision::RetryAfter { delay_ms: 7_000 },
        "surrounding spaces are allowed"
    );
}

#[test]
fn retry_after_up_to_the_cap_is_waited_and_beyond_it_gives_up() {
    assert_eq!(MAX_DELAY_MS, 30_000);
    assert_eq!(
        decide(&http_retry_after(503, "30"), 1, 4, 0.0, 0.0),
        Decision::RetryAfter { delay_ms: 30_000 }
    );
    for header in ["31", "3600", "4294968"] {
        let decision = decide(&http_retry_after(503, header), 1, 4, 0.0, 0.0);
        assert!(
            matches!(
                decision,
                Decision::Failed { retryable: true, ref message } if message.contains("503")
            ),
            "{header}: {decision:?}"
        );
    }
}

/// 1994-11-06T08:49:37Z, the RFC 9110 example date, in milliseconds.
const NOV_1994_MS: f64 = 784_111_777_000.0;

#[test]
fn retry_after_as_an_http_date_counts_from_now() {
    let at = |header: &str, now: f64, jitter: f64| {
        decide(&http_retry_after(503, header), 1, 4, jitter, now)
    };
    assert_eq!(
        at("Sun, 06 Nov 1994 08:49:47 GMT", NOV_1994_MS, 0.0),
        Decision::RetryAfter { delay_ms: 10_000 }
    );
    // A leap day: 2024-02-29T00:00:00Z is 1709164800 s after the epoch.
    assert_eq!(
        at("Thu, 29 Feb 2024 00:00:05 GMT", 1_709_164_800_000.0, 0.0),
        Decision::RetryAfter { delay_ms: 5_000 }
    );
    // A date already past waits only the backoff.
    assert_eq!(
        at("Sun, 06 Nov 1994 08:49:27 GMT", NOV_1994_MS, 1.0),
        Decision::RetryAfter { delay_ms: 500 }
    );
    // A date more than 30 s away gives up, as a long delay in seconds does.
    assert!(matches!(
        at("Sun, 06 Nov 1994 08:50:37 GMT", NOV_1994_MS, 0.0),
        Decision::Failed {
            retryable: true,
            ..
        }
    ));
}

#[test]
fn an_unparseable_retry_after_falls_back_to_the_backoff() {
    for header in [
        "",
        "soon",
        "-1",
        "1.5",
        "5s",
        "in 5 seconds",
        "Sun, 06 Nov 1994 08:49:47",
        "Sun, 06 Foo 1994 08:49:47 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        // Past u64: not a number of seconds.
        "99999999999999999999",
    ] {
        assert_eq!(
            decide(&http_retry_after(503, header), 2, 4, 1.0, NOV_1994_MS),
            Decision::RetryAfter { delay_ms: 1_000 },
            "{header:?}"
        );
    }
}

#[test]
fn retry_after_is_ignored_on_answers_that_are_not_retried() {
    assert_eq!(
        decide(&http_retry_after(400, "1"), 1, 4, 0.5, 0.0),
        Decision::Failed {
            message: "the checkout endpoint answered 400".into(),
            retryable: false
        }
    );
    assert!(matches!(
        decide(&http_retry_after(409, "1"), 1, 4, 0.5, 0.0),
        Decision::Failed {
            retryable: false,
            ..
        }
    ));
}

#[test]
fn the_last_allowed_attempt_gives_up_and_the_one_before_retries() {
    for max in [1, 2, 4, 10] {
        for attempt in 1..max {
            assert!(
                matches!(
                    decide(&http(503, ""), attempt, max, 0.5, 0.0),
                    Decision::RetryAfter { .. }
                ),
                "{attempt}/{max}"
            );
        }
        for attempt in [max, max + 1] {
            let decision = decide(&http_retry_after(503, "1"), attempt, max, 0.5, 0.0);
            let Decision::Failed {
                retryable: true,
                message,
            } = decision
            else {
                panic!("{attempt}/{max}: {decision:?}")
            };
            assert!(
                message.ends_with(&format!("({attempt} attempts)")),
                "{message}"
            );
        }
    }
    // The last attempt's answer still counts when it is an order or a refusal.
    assert_eq!(
        decide(&http(200, r#"{"order_id":"o-9"}"#), 4, 4, 0.5, 0.0),
        success("o-9", None)
    );
    assert!(matches!(
        decide(&http(422, r#"{"error":{}}"#), 4, 4, 0.5, 0.0),
        Decision::Rejected { .. }
    ));
}

#[test]
fn timeout_network_error_and_status_are_told_apart() {
    let message = |answer: Answer<'_>| match decide(&answer, 4, 4, 0.5, 0.0) {
        Decision::Failed {
            retryable: true,
            message,
        } => message,
        other => panic!("{other:?}"),
    };
    let timeout = message(Answer::Timeout);
    let network = message(Answer::NetworkError);
    let status = message(http(503, ""));
    assert!(timeout.contains("in time"), "{timeout}");
    assert!(network.contains("could not be reached"), "{network}");
    assert!(status.contains("answered 503"), "{status}");
    for m in [&timeout, &network, &status] {
        assert!(m.ends_with("(4 attempts)"), "{m}");
    }
    // Before the last attempt, all three are retried alike.
    for answer in [Answer::Timeout, Answer::NetworkError, http(503, "")] {
        assert_eq!(
            decide(&answer, 2, 4, 1.0, 0.0),
            Decision::RetryAfter { delay_ms: 1_000 }
        );
    }
}

proptest! {
    #[test]
    fn a_retry_waits_at_least_retry_after_and_never_past_the_cap(
        attempt in 1u32..60,
        jitter in 0.0f64..=1.0,
        seconds in 0u32..=30,
        status in prop::sample::select(vec![408u16, 425, 429, 500, 502, 503, 504, 599]),
    ) {
        let header = seconds.to_string();
        let decision = decide(&http_retry_after(status, &header), attempt, 60, jitter, 0.0);
        let Decision::RetryAfter { delay_ms } = decision else {
            return Err(TestCaseError::fail(format!("{decision:?}")));
        };
        prop_assert!(delay_ms >= seconds * 1000);
        prop_assert!(delay_ms <= MAX_DELAY_MS);
        prop_assert!(delay_ms >= backoff_ms(attempt, jitter));
    }
}

// ----- shop.whatsapp and shop.digits in config ----------------------------------------------

fn shop_config(shop_fields: &str, checkout: &str) -> Result<Config, String> {
    Config::parse(&format!(
        r#"{{"version":1,"shop":{{"name":"S","currency":"KWD",{shop_fields}}},"checkout":{checkout}}}"#
    ))
    .map_err(|e| {
        // The message is `path: reason`, and the path is the field's.
        assert_eq!(e.to_string(), format!("{}: {}", e.path, e.reason));
        e.to_string()
    })
}

const WHATSAPP_MODE: &str = r#"{"mode":"whatsapp"}"#;
const ENDPOINT_MODE: &str = r#"{"endpoint":"/api/checkout"}"#;

#[test]
fn whatsapp_numbers_in_international_form_are_kept_as_digits() {
    for (number, digits) in [
        ("+96550000000", "96550000000"),
        ("+965 5000-0000", "96550000000"),
        ("+62 812-3456-7890", "6281234567890"),
        ("+1 (415) 555-0100", "14155550100"),
        ("+12345678", "12345678"),
        ("+123456789012345", "123456789012345"),
    ] {
        for checkout in [WHATSAPP_MODE, ENDPOINT_MODE] {
            let config = shop_config(&format!(r#""whatsapp":"{number}""#), checkout)
                .unwrap_or_else(|e| panic!("{number}: {e}"));
            assert_eq!(config.shop.whatsapp.as_deref(), Some(digits), "{number}");
        }
    }
}

#[test]
fn other_whatsapp_numbers_are_refused_with_their_path() {
    for number in [
        "0500",
        "+0123456789",
        "+1234567",
        "+1234567890123456",
        "+96550000000x",
        "+965 5000 OOOO",
        "0096550000000",
        "96550000000",
        "++96550000000",
        "+",
        "",
    ] {
        for checkout in [WHATSAPP_MODE, ENDPOINT_MODE] {
            let error =
                shop_config(&format!(r#""whatsapp":"{number}""#), checkout).expect_err(number);
            assert_eq!(
                error,
                format!(
                    "config.shop.whatsapp: \"{number}\" is not an international phone number like \"+96550000000\""
                )
            );
        }
    }
    assert_eq!(
        shop_config(r#""whatsapp":96550000000"#, WHATSAPP_MODE).unwrap_err(),
        "config.shop.whatsapp: expected a string, found a number"
    );
}

#[test]
fn shop_digits_is_latn_or_arab_and_nothing_else() {
    for (fields, digits) in [
        (r#""digits":"latn""#, Some(Digits::Latn)),
        (r#""digits":"arab""#, Some(Digits::Arab)),
        (r#""digits":null"#, None),
        (r#""locale":"ar-KW""#, None),
    ] {
        let config = shop_config(fields, ENDPOINT_MODE).unwrap();
        assert_eq!(config.shop.digits, digits, "{fields}");
    }
    for value in ["arabext", "LATN", "Arab", "deva", " latn", ""] {
        assert_eq!(
            shop_config(&format!(r#""digits":"{value}""#), ENDPOINT_MODE).unwrap_err(),
            format!("config.shop.digits: \"{value}\" is not \"latn\" or \"arab\""),
        );
    }
    assert_eq!(
        shop_config(r#""digits":1"#, ENDPOINT_MODE).unwrap_err(),
        "config.shop.digits: expected a string, found a number"
    );
}

// ----- the WhatsApp order ---------------------------------------------------------------

/// Decodes `%HH` escapes into bytes, then UTF-8; panics on anything malformed.
fn percent_decode(text: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = text.as_bytes();
    while let Some((&b, tail)) = rest.split_first() {
        if b == b'%' {
            let hex = std::str::from_utf8(&tail[..2]).expect("two hex digits after %");
            bytes.push(u8::from_str_radix(hex, 16).expect("hex digits"));
            rest = &tail[2..];
        } else {
            bytes.push(b);
            rest = tail;
        }
    }
    String::from_utf8(bytes).expect("the escapes spell UTF-8")
}

/// Checks `url` is `https://wa.me/<digits>?text=…` with only RFC 3986 unreserved
/// characters and upper-case `%HH` escapes after `text=`, and returns the decoded text.
fn wa_me_text(url: &str, digits: &str) -> String {
    let prefix = format!("https://wa.me/{digits}?text=");
    let encoded = url
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{url} does not start with {prefix}"));
    let bytes = encoded.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = &bytes[i + 1..i + 3];
            assert!(
                hex.iter()
                    .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h)),
                "{encoded}"
            );
            i += 3;
        } else {
            assert!(
                bytes[i].is_ascii_alphanumeric() || b"-._~".contains(&bytes[i]),
                "unescaped {:?} in {encoded}",
                char::from(bytes[i])
            );
            i += 1;
        }
    }
    percent_decode(encoded)
}

struct OrderCase {
    config: &'static str,
    /// (item id, quantity added, quantity kept, title as shown)
    lines: &'static [(&'static str, u32, u32, &'static str)],
    subtotal: i64,
    digits: &'static str,
    /// Quantities as the shell would print them: Western or Arabic-Indic.
    arabic_digits: bool,
}

const KWD_EN: &str = r#"{"version":1,
  "shop":{"name":"Dar Al Abaya","currency":"KWD","locale":"en-KW","whatsapp":"+965 5000-0000"},
  "checkout":{"mode":"whatsapp"},
  "products":[
    {"id":"abaya","title":"Classic abaya","price":"25.500","variants":[
      {"id":"abaya-52","title":"52"},{"id":"abaya-54","title":"54","price":"27.250"}]},
    {"id":"scarf","title":"Silk scarf & pin #2?","price":"7.125"}]}"#;

const KWD_AR: &str = r#"{"version":1,
  "shop":{"name":"دار العباية","currency":"KWD","locale":"ar-KW","whatsapp":"+96550000000"},
  "checkout":{"mode":"whatsapp"},
  "products":[
    {"id":"abaya","title":"عباية كلاسيكية","price":"25.500","variants":[
      {"id":"abaya-52","title":"52"},{"id":"abaya-54","title":"54","price":"27.250"}]},
    {"id":"scarf","title":"Silk scarf","price":"7.125"}]}"#;

const IDR_ID: &str = r#"{"version":1,
  "shop":{"name":"Toko Batik","currency":"IDR","locale":"id-ID","whatsapp":"+62 812-3456-7890"},
  "checkout":{"mode":"whatsapp"},
  "products":[
    {"id":"kemeja","title":"Kemeja batik","price":"250000","variants":[
      {"id":"kemeja-m","title":"M"},{"id":"kemeja-l","title":"L","price":"275000.50"}]},
    {"id":"topi","title":"Topi + tas 100%","price":"49900"}]}"#;

#[test]
fn the_whatsapp_order_lists_every_line_the_subtotal_and_the_page() {
    let cases = [
        OrderCase {
            config: KWD_EN,
            lines: &[
                ("abaya-54", 2, 2, "Classic abaya — 54"),
                ("scarf", 3, 3, "Silk scarf & pin #2?"),
            ],
            subtotal: 2 * 27_250 + 3 * 7_125,
            digits: "96550000000",
            arabic_digits: false,
        },
        OrderCase {
            config: KWD_AR,
            lines: &[
                ("abaya-52", 1, 1, "عباية كلاسيكية — 52"),
                ("scarf", 12, 12, "Silk scarf"),
            ],
            subtotal: 25_500 + 12 * 7_125,
            digits: "96550000000",
            arabic_digits: true,
        },
        OrderCase {
            config: IDR_ID,
            lines: &[
                ("kemeja-l", 1, 1, "Kemeja batik — L"),
                ("topi", 150, 99, "Topi + tas 100%"),
            ],
            subtotal: 27_500_050 + 99 * 4_990_000,
            digits: "6281234567890",
            arabic_digits: false,
        },
    ];
    let page = "https://brand.example/lookbook?utm_source=ig&post=eid-1#tags";
    for case in cases {
        let config = Config::parse(case.config).unwrap();
        let currency = config.shop.currency;
        let strings = Strings::new(&config.shop.locale, &config.shop.strings);
        let price = |m: Money| format!("{} {}", m.to_decimal(currency), currency.code());
        let count = |n: u32| {
            let western = n.to_string();
            if !case.arabic_digits {
                return western;
            }
            western
                .chars()
                .map(|d| char::from_u32(0x660 + d.to_digit(10).unwrap()).unwrap())
                .collect()
        };
        let mut cart = Cart::default();
        for (item_id, added, _, _) in case.lines {
            cart.add(&config, item_id, *added, Some("eid-1")).unwrap();
        }
        let message = whatsapp_message(&cart, &config, &strings, page, price, count);
        let rows: Vec<&str> = message.lines().collect();
        let code = currency.code();
        assert!(rows[0].contains(&config.shop.name), "{code}: {message}");
        for (item_id, _, kept, title) in case.lines {
            let unit = config.item(item_id).unwrap().price();
            let row: Vec<&&str> = rows.iter().filter(|r| r.contains(title)).collect();
            assert_eq!(row.len(), 1, "{code}: one row for {title}: {message}");
            let row = row[0];
            assert!(row.contains(&price(unit)), "{code}: unit price in {row}");
            // The quantity is what remains once title and price are taken out (the
            // title "… — 54" and the price have digits of their own).
            let rest = row.replace(title, "").replace(&price(unit), "");
            assert!(rest.contains(&count(*kept)), "{code}: quantity in {row}");
        }
        let subtotal = rows
            .iter()
            .find(|r| r.contains(strings.get(Key::Subtotal)))
            .unwrap_or_else(|| panic!("{code}: no subtotal row: {message}"));
        assert_eq!(cart.subtotal(&config), Money(case.subtotal));
        assert!(
            subtotal.contains(&price(Money(case.subtotal))),
            "{code}: {subtotal}"
        );
        assert!(rows.iter().any(|r| r.contains(page)), "{code}: {message}");

        let digits = config.shop.whatsapp.as_deref().unwrap();
        assert_eq!(digits, case.digits);
        let url = whatsapp_url(digits, &message);
        assert_eq!(wa_me_text(&url, case.digits), message, "{code}");
    }
}

proptest! {
    #[test]
    fn any_text_survives_the_wa_me_link(text in any::<String>()) {
        let url = whatsapp_url("96550000000", &text);
        prop_assert_eq!(wa_me_text(&url, "96550000000"), text);
    }
}

// ----- UI strings -----------------------------------------------------------------------

/// A language's pack as the loader fetches it and the app reads it (`parse_pack`), or
/// nothing for English and languages without one.
#[cfg(feature = "languages")]
fn language_pack(language: &str) -> Vec<(String, String)> {
    use shoppable::core::i18n::{pack, parse_pack};
    pack(language)
        .map(|text| parse_pack(&text).expect("a built pack parses"))
        .unwrap_or_default()
}

#[cfg(not(feature = "languages"))]
fn language_pack(_: &str) -> Vec<(String, String)> {
    Vec::new()
}

/// English, then every language with a pack, then two without one.
fn languages() -> Vec<&'static str> {
    let mut all = vec!["en"];
    all.extend(shoppable::core::i18n::PACKS);
    all.extend(["sw", "de"]);
    all
}

/// Which keys, by their index in the table, an override map names.
#[cfg(feature = "languages")]
type KeyFilter = fn(usize) -> bool;

#[cfg(feature = "languages")]
#[test]
fn a_partial_override_map_falls_back_per_key_to_the_language_then_english() {
    // Every key by name, in table order: a pack lists them all.
    let names: Vec<String> = language_pack("fr").into_iter().map(|(n, _)| n).collect();
    assert!(names.len() > 20, "{names:?}");
    let english = Strings::new("en", &[]);
    assert_eq!(english.get(Key::AddToCart), "Add to cart");
    assert_eq!(english.get(Key::Subtotal), "Subtotal");
    let masks: [(&str, KeyFilter); 5] = [
        ("even", |i| i % 2 == 0),
        ("odd", |i| i % 2 == 1),
        ("first", |i| i == 0),
        ("none", |_| false),
        ("all", |_| true),
    ];
    for language in languages() {
        let own = language_pack(language);
        for (mask, overridden) in masks {
            let marker = |name: &str| format!("«{language} {name}»");
            let overrides: Vec<(String, String)> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| overridden(*i))
                .map(|(_, name)| (name.clone(), marker(name)))
                .collect();
            for locale in [language.to_owned(), format!("{language}-KW")] {
                let strings = Strings::new(&locale, &overrides);
                for (i, name) in names.iter().enumerate() {
                    let key = Key::from_name(name).unwrap();
                    let expected = if overridden(i) {
                        marker(name)
                    } else if let Some((_, text)) = own.iter().find(|(n, _)| n == name) {
                        text.clone()
                    } else {
                        english.get(key).to_owned()
                    };
                    assert_eq!(strings.get(key), expected, "{locale}, {mask}: {name}");
                }
            }
        }
    }
}

#[test]
fn shop_strings_override_the_language_table_and_its_pack() {
    for language in languages() {
        let config = Config::parse(&format!(
            r#"{{"version":1,"checkout":{{"endpoint":"/c"}},
                "shop":{{"name":"S","currency":"KWD","locale":"{language}-KW",
                  "strings":{{"add_to_cart":"Buy it","subtotal":"Total"}}}}}}"#
        ))
        .unwrap();
        let pack = language_pack(language);
        // As the app builds them: the pack, then `shop.strings` on top.
        let mut texts = pack.clone();
        texts.extend(config.shop.strings.iter().cloned());
        let from_pack = Strings::new(&config.shop.locale, &texts);
        let built_in = Strings::new(&config.shop.locale, &config.shop.strings);
        let untouched = Strings::new(&config.shop.locale, &[]);
        for strings in [from_pack, built_in] {
            assert_eq!(strings.get(Key::AddToCart), "Buy it", "{language}");
            assert_eq!(strings.get(Key::Subtotal), "Total", "{language}");
            assert_eq!(
                strings.get(Key::Checkout),
                untouched.get(Key::Checkout),
                "{language}"
            );
        }
        // Where a name comes twice (a pack's text, then the shop's own), the last wins. (A
        // name twice in `shop.strings` itself is a config error.)
        let twice = [
            ("close".to_owned(), "A".to_owned()),
            ("close".to_owned(), "B".to_owned()),
        ];
        assert_eq!(
            Strings::new(&config.shop.locale, &twice).get(Key::Close),
            "B"
        );
        if let Some((_, checkout)) = pack.iter().find(|(n, _)| n == "checkout") {
            assert_eq!(untouched.get(Key::Checkout), checkout, "{language}");
        }
    }
}

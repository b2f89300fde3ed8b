//! The cart: lines, quantities, subtotal, its stored JSON form and the idempotency key of
//! the cart as it stands. Knows nothing of storage or the DOM; prices are never stored,
//! always re-read from the config.

use crate::prelude::*;

use super::analytics::Detail;
use super::json::Json;
use super::json::{int, quoted};

use super::config::{Config, Item};
use super::money::Money;

pub const MAX_QUANTITY: u32 = 99;
pub const MAX_LINES: usize = 100;
/// A quantity as a shopper typed it, read leniently: Western, Arabic-Indic (٠–٩) and
/// Persian/Urdu (۰–۹) digits all count, and the result is clamped to 1..=99. The number is
/// the first run of digits: "2.5" and "2,5" are 2 (a fraction of an item is not one), "1e1"
/// is 1, " 7 pcs" is 7; a minus sign before it ("-2") makes it below 1, so 1. `None` when
/// no digit was typed (the line then keeps its quantity).
pub fn parse_quantity(typed: &str) -> Option<u32> {
    let mut value: Option<u32> = None;
    let mut negative = false;
    for c in typed.chars() {
        let digit = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '\u{660}'..='\u{669}' => c as u32 - 0x660,
            '\u{6f0}'..='\u{6f9}' => c as u32 - 0x6f0,
            _ if value.is_some() => break,
            '-' | '\u{2212}' => {
                negative = true;
                continue;
            }
            _ => continue,
        };
        value = Some(value.unwrap_or(0).saturating_mul(10).saturating_add(digit));
    }
    value.map(|v| {
        if negative {
            1
        } else {
            v.clamp(1, MAX_QUANTITY)
        }
    })
}

/// Version of the stored JSON. Bump it, and teach `restore` the old shape, when it changes.
pub const STORAGE_VERSION: u64 = 1;
/// `Cart::restore`'s error for a cart stored by a newer widget.
pub const NEWER: &str = "stored cart comes from a newer version of the widget";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub item_id: String,
    pub quantity: u32,
    /// The post the shopper added it from, for attribution in the checkout request.
    pub post_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartError {
    UnknownItem,
    NotPurchasable,
    Full,
}

impl CartError {
    pub fn describe(&self, item_id: &str) -> String {
        match self {
            CartError::UnknownItem => cat!(quoted(item_id), " is not an item of this shop"),
            CartError::NotPurchasable => cat!(quoted(item_id), " is not available to buy"),
            CartError::Full => cat!("the cart already holds ", int(MAX_LINES as u64), " lines"),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cart {
    lines: Vec<Line>,
    /// The `Idempotency-Key` of the cart as it stands; `None` once the cart changes, so the
    /// next checkout draws a new one (SPEC §6). Kept with the cart so a reload retries with it.
    checkout_key: Option<String>,
}

impl Cart {
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn line(&self, item_id: &str) -> Option<&Line> {
        self.lines.iter().find(|l| l.item_id == item_id)
    }

    pub fn total_quantity(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// Adds `quantity` (clamped so the line stays within 1..=99), merging with an existing
    /// line. Returns how many were actually added (0 when the line was already full).
    pub fn add(
        &mut self,
        config: &Config,
        item_id: &str,
        quantity: u32,
        post_id: Option<&str>,
    ) -> Result<u32, CartError> {
        let item = config.item(item_id).ok_or(CartError::UnknownItem)?;
        if !item.availability().is_purchasable() {
            return Err(CartError::NotPurchasable);
        }
        let quantity = quantity.clamp(1, MAX_QUANTITY);
        let added = match self.lines.iter().position(|l| l.item_id == item_id) {
            Some(index) => {
                let line = &mut self.lines[index];
                let before = line.quantity;
                line.quantity = (before + quantity).min(MAX_QUANTITY);
                line.quantity - before
            }
            None if self.lines.len() >= MAX_LINES => return Err(CartError::Full),
            None => {
                self.lines.push(Line {
                    item_id: item_id.to_owned(),
                    quantity,
                    post_id: post_id.map(str::to_owned),
                });
                quantity
            }
        };
        if added > 0 {
            self.checkout_key = None;
        }
        Ok(added)
    }

    /// Sets a line's quantity, clamped to 99; 0 removes the line. Returns whether the cart
    /// changed (an unknown line or the same quantity changes nothing).
    pub fn set_quantity(&mut self, item_id: &str, quantity: u32) -> bool {
        if quantity == 0 {
            return self.remove(item_id).is_some();
        }
        let quantity = quantity.min(MAX_QUANTITY);
        match self.lines.iter_mut().find(|l| l.item_id == item_id) {
            Some(line) if line.quantity != quantity => {
                line.quantity = quantity;
                self.checkout_key = None;
                true
            }
            _ => false,
        }
    }

    pub fn remove(&mut self, item_id: &str) -> Option<Line> {
        let index = self.lines.iter().position(|l| l.item_id == item_id)?;
        self.checkout_key = None;
        Some(self.lines.remove(index))
    }

    pub fn clear(&mut self) -> bool {
        let changed = !self.lines.is_empty();
        self.lines.clear();
        self.checkout_key = None;
        changed
    }

    /// Sum of `unit price × quantity` in integer minor units, prices from the config.
    /// Cannot overflow: 100 lines × 99 × the largest accepted price (`MAX_MINOR`, 10^14)
    /// < i64::MAX (checked by a property test at that bound).
    pub fn subtotal(&self, config: &Config) -> Money {
        let mut sum = 0;
        for l in &self.lines {
            if let Some(item) = config.item(&l.item_id) {
                sum += item.price().0 * i64::from(l.quantity);
            }
        }
        Money(sum)
    }

    /// After an order succeeds: takes away what was ordered, keeping anything the shopper
    /// added while the request was in flight. The result is a new cart with a new key.
    pub fn remove_ordered(&mut self, ordered: &[Line]) {
        for sent in ordered {
            if let Some(line) = self.line(&sent.item_id) {
                let left = line.quantity.saturating_sub(sent.quantity);
                self.set_quantity(&sent.item_id, left);
            }
        }
        self.checkout_key = None;
    }

    pub fn checkout_key(&self) -> Option<&str> {
        self.checkout_key.as_deref()
    }

    /// The key for a checkout of this cart: the kept one, or `fresh()` remembered from now on.
    pub fn checkout_key_or(&mut self, fresh: impl FnOnce() -> String) -> String {
        self.checkout_key.get_or_insert_with(fresh).clone()
    }

    /// The stored form: `{"version":1,"lines":[…],"checkout_key":…}`.
    pub fn to_json(&self) -> String {
        let mut lines = Vec::with_capacity(self.lines.len());
        for l in &self.lines {
            let line = Detail::new()
                .text("item_id", &l.item_id)
                .number("quantity", u64::from(l.quantity));
            lines.push(
                match &l.post_id {
                    Some(p) => line.text("post_id", p),
                    None => line,
                }
                .into_value(),
            );
        }
        let root = Detail::new()
            .number("version", STORAGE_VERSION)
            .value("lines", Json::Array(lines));
        match &self.checkout_key {
            Some(key) => root.text("checkout_key", key),
            None => root,
        }
        .finish()
    }

    /// Reads the stored form back against the current config. Lines whose item is gone or
    /// can no longer be bought are dropped (their count is returned); quantities are
    /// clamped; anything that is not a cart of a known version is an error.
    pub fn restore(text: &str, config: &Config) -> Result<(Cart, usize), String> {
        let root = Json::parse(text).map_err(|_| "stored cart is not JSON")?;
        if !matches!(root, Json::Object(_)) {
            return Err("stored cart is not an object".into());
        }
        // The migration path: each older version is upgraded here, step by step, to the
        // current one (there is only version 1 so far). A newer version was written by a
        // newer widget (a CDN roll-out, another tab): it is refused with `NEWER`, and the
        // app then leaves it untouched in storage rather than overwrite it.
        match root.get("version").and_then(Json::as_u64) {
            Some(STORAGE_VERSION) => {}
            Some(v) if v > STORAGE_VERSION => return Err(NEWER.into()),
            _ => return Err("stored cart has an unknown version".into()),
        }
        let Some(Json::Array(stored)) = root.get("lines") else {
            return Err("stored cart has no lines".into());
        };
        let mut cart = Cart::default();
        let mut dropped = 0;
        for line in stored {
            let (Some(item_id), Some(q)) = (
                line.get("item_id").and_then(Json::as_str),
                line.get("quantity").and_then(Json::as_u64),
            ) else {
                return Err("stored cart line lacks item_id or quantity".into());
            };
            let post_id = line.get("post_id").and_then(Json::as_str);
            let quantity = u32::try_from(q).unwrap_or(MAX_QUANTITY);
            if quantity == 0 || cart.add(config, item_id, quantity, post_id).is_err() {
                dropped += 1;
            }
        }
        // The key goes into a header as it is: anything but the UUID this widget writes
        // (edited or corrupt storage) gets a fresh one, like a changed cart.
        if dropped == 0 {
            cart.checkout_key = root
                .get("checkout_key")
                .and_then(Json::as_str)
                .filter(|k| is_uuid(k))
                .map(str::to_owned);
        }
        Ok((cart, dropped))
    }

    /// `Shoppable.cart.items()` as JSON (SPEC §4), prices from the config.
    pub fn items_json(&self, config: &Config) -> String {
        let mut items = Vec::new();
        for l in &self.lines {
            if let Some(item) = config.item(&l.item_id) {
                items.push(
                    item_line(&item, l.quantity, config)
                        .text("title", &item.title())
                        .text("currency", config.shop.currency.code())
                        .into_value(),
                );
            }
        }
        Json::Array(items).to_text()
    }
}

/// 36 hex digits and dashes, as `crypto.randomUUID` and its fallback write them (the
/// dashes' places are not checked: what matters is a header-safe key of UUID size).
fn is_uuid(key: &str) -> bool {
    key.len() == 36 && key.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit())
}

/// The fields a cart line has wherever it is sent (JS API, checkout body): ids, quantity
/// and the unit price re-read from the config, as an exact decimal string.
pub fn item_line(item: &Item<'_>, quantity: u32, config: &Config) -> Detail {
    Detail::new()
        .text("item_id", item.item_id())
        .text("product_id", &item.product.id)
        .optional_text("variant_id", item.variant_id())
        .number("quantity", u64::from(quantity))
        .text("unit_price", &item.price().to_decimal(config.shop.currency))
}

impl From<i64> for Money {
    fn from(minor: i64) -> Money {
        Money(minor)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn shop(currency: &str, prices: &[&str]) -> Config {
        let products: Vec<String> = prices
            .iter()
            .enumerate()
            .map(|(i, p)| format!(r#"{{"id":"p{i}","title":"P{i}","price":"{p}"}}"#))
            .collect();
        Config::parse(&format!(
            r#"{{"version":1,"shop":{{"name":"S","currency":"{currency}"}},
                "checkout":{{"endpoint":"/api/checkout"}},
                "products":[{},
                  {{"id":"gone","title":"Gone","price":"1","availability":"out of stock"}},
                  {{"id":"dress","title":"Dress","price":"5","variants":[
                     {{"id":"dress-s","title":"S"}},{{"id":"dress-m","title":"M","price":"6"}}]}}]}}"#,
            products.join(",")
        ))
        .expect("test shop is valid")
    }

    #[test]
    fn same_item_merges_and_quantity_is_clamped() {
        let c = shop("KWD", &["1.500"]);
        let mut cart = Cart::default();
        assert_eq!(cart.add(&c, "p0", 2, Some("post")), Ok(2));
        assert_eq!(cart.add(&c, "p0", 1, None), Ok(1));
        assert_eq!(cart.lines().len(), 1);
        assert_eq!(cart.lines()[0].quantity, 3);
        assert_eq!(cart.lines()[0].post_id.as_deref(), Some("post"));
        assert_eq!(cart.add(&c, "p0", 500, None), Ok(96));
        assert_eq!(cart.add(&c, "p0", 1, None), Ok(0));
        assert_eq!(cart.total_quantity(), 99);
    }

    #[test]
    fn unknown_and_unavailable_items_are_refused() {
        let c = shop("KWD", &["1.500"]);
        let mut cart = Cart::default();
        assert_eq!(cart.add(&c, "nope", 1, None), Err(CartError::UnknownItem));
        assert_eq!(
            cart.add(&c, "gone", 1, None),
            Err(CartError::NotPurchasable)
        );
        assert!(cart.is_empty());
    }

    #[test]
    fn set_quantity_zero_removes_and_above_99_is_clamped() {
        let c = shop("AED", &["10.00"]);
        let mut cart = Cart::default();
        cart.add(&c, "p0", 1, None).unwrap();
        assert!(cart.set_quantity("p0", 150));
        assert_eq!(cart.lines()[0].quantity, 99);
        assert!(
            !cart.set_quantity("p0", 99),
            "same quantity changes nothing"
        );
        assert!(!cart.set_quantity("nope", 3));
        assert!(cart.set_quantity("p0", 0));
        assert!(cart.is_empty());
    }

    #[test]
    fn subtotal_uses_config_prices_per_exponent() {
        let kwd = shop("KWD", &["25.500", "0.125"]);
        let mut cart = Cart::default();
        cart.add(&kwd, "p0", 2, None).unwrap();
        cart.add(&kwd, "p1", 3, None).unwrap();
        cart.add(&kwd, "dress-m", 1, None).unwrap();
        assert_eq!(cart.subtotal(&kwd), Money(51_000 + 375 + 6_000));
        let jpy = shop("JPY", &["1500"]);
        let mut cart = Cart::default();
        cart.add(&jpy, "p0", 3, None).unwrap();
        cart.add(&jpy, "dress-s", 1, None).unwrap();
        assert_eq!(cart.subtotal(&jpy), Money(4_505));
    }

    #[test]
    fn the_cart_holds_at_most_100_lines() {
        let prices: Vec<String> = (0..101).map(|i| format!("{i}.00")).collect();
        let refs: Vec<&str> = prices.iter().map(String::as_str).collect();
        let c = shop("USD", &refs);
        let mut cart = Cart::default();
        for i in 0..100 {
            cart.add(&c, &format!("p{i}"), 1, None).unwrap();
        }
        assert_eq!(cart.add(&c, "p100", 1, None), Err(CartError::Full));
        assert_eq!(
            cart.add(&c, "p5", 1, None),
            Ok(1),
            "existing lines still grow"
        );
    }

    #[test]
    fn checkout_key_survives_no_change_and_resets_on_any_change() {
        let c = shop("KWD", &["1.000"]);
        let mut cart = Cart::default();
        cart.add(&c, "p0", 1, None).unwrap();
        assert_eq!(cart.checkout_key_or(|| "k1".into()), "k1");
        assert_eq!(cart.checkout_key_or(|| "k2".into()), "k1");
        cart.set_quantity("p0", 1);
        assert_eq!(cart.checkout_key(), Some("k1"));
        cart.add(&c, "p0", 1, None).unwrap();
        assert_eq!(cart.checkout_key(), None);
        assert_eq!(cart.checkout_key_or(|| "k3".into()), "k3");
        cart.clear();
        cart.add(&c, "p0", 1, None).unwrap();
        assert_eq!(
            cart.checkout_key_or(|| "k4".into()),
            "k4",
            "emptied and refilled is a new cart"
        );
    }

    #[test]
    fn a_placed_order_takes_away_only_what_was_sent() {
        let c = shop("KWD", &["1.000", "2.000"]);
        let mut cart = Cart::default();
        cart.add(&c, "p0", 2, None).unwrap();
        cart.checkout_key_or(|| "k".into());
        let sent = cart.lines().to_vec();
        cart.add(&c, "p0", 1, None).unwrap();
        cart.add(&c, "p1", 1, None).unwrap();
        cart.remove_ordered(&sent);
        assert_eq!(cart.line("p0").map(|l| l.quantity), Some(1));
        assert_eq!(cart.line("p1").map(|l| l.quantity), Some(1));
        let snapshot = cart.clone();
        cart.remove_ordered(snapshot.lines());
        assert!(cart.is_empty());
        assert_eq!(cart.checkout_key(), None);
    }

    #[test]
    fn storage_round_trip_keeps_lines_and_key() {
        let c = shop("KWD", &["1.000", "2.000"]);
        let mut cart = Cart::default();
        cart.add(&c, "p0", 2, Some("post-1")).unwrap();
        cart.add(&c, "dress-m", 1, None).unwrap();
        cart.checkout_key_or(|| "2f1c0e6a-9b3d-4c1e-8f00-1a2b3c4d5e6f".into());
        let (back, dropped) = Cart::restore(&cart.to_json(), &c).unwrap();
        assert_eq!(dropped, 0);
        assert_eq!(back, cart);
    }

    /// The stored form is read by other tabs and by later versions of the widget: its text
    /// must not drift (no `"post_id":null` for a line without a post, keys in this order).
    #[test]
    fn stored_form_is_exact() {
        let c = shop("KWD", &["1.000", "2.000"]);
        let mut cart = Cart::default();
        assert_eq!(cart.to_json(), r#"{"version":1,"lines":[]}"#);
        cart.add(&c, "p0", 2, Some("post-1")).unwrap();
        cart.add(&c, "dress-m", 1, None).unwrap();
        cart.checkout_key_or(|| "key".into());
        assert_eq!(
            cart.to_json(),
            r#"{"version":1,"lines":[{"item_id":"p0","quantity":2,"post_id":"post-1"},{"item_id":"dress-m","quantity":1}],"checkout_key":"key"}"#
        );
    }

    #[test]
    fn restore_drops_items_gone_from_the_config() {
        let c = shop("KWD", &["1.000"]);
        let stored = r#"{"version":1,"lines":[{"item_id":"p0","quantity":2},
            {"item_id":"deleted","quantity":1},{"item_id":"gone","quantity":1},
            {"item_id":"p0","quantity":0}],"checkout_key":"k"}"#;
        let (cart, dropped) = Cart::restore(stored, &c).unwrap();
        assert_eq!(dropped, 3);
        assert_eq!(cart.lines().len(), 1);
        assert_eq!(cart.checkout_key(), None, "a changed cart gets a new key");
    }

    #[test]
    fn restore_keeps_a_uuid_key_and_replaces_anything_else() {
        let c = shop("KWD", &["1.000"]);
        let stored = |key: &str| {
            let mut text = String::from(
                r#"{"version":1,"lines":[{"item_id":"p0","quantity":1}],"checkout_key":"#,
            );
            text.push_str(&Json::String(key.into()).to_text());
            text.push('}');
            Cart::restore(&text, &c).unwrap().0
        };
        let uuid = "2f1c0e6a-9b3d-4c1e-8f00-1a2b3c4d5e6f";
        assert_eq!(stored(uuid).checkout_key(), Some(uuid));
        for bad in [
            "bad\nkey",
            "ключ",
            "",
            "hello",
            "2f1c0e6a-9b3d-4c1e-8f00-1a2b3c4d5e6g",
            "2f1c0e6a-9b3d-4c1e-8f00-1a2b3c4d5e6",
        ] {
            assert_eq!(stored(bad).checkout_key(), None, "{bad:?}");
        }
    }

    #[test]
    fn typed_quantities_are_their_first_run_of_digits_in_any_script_clamped() {
        for (typed, want) in [
            ("3", Some(3)),
            ("٣", Some(3)),
            ("۱۲", Some(12)),
            ("1٢", Some(12)),
            (" 7 pcs", Some(7)),
            ("0", Some(1)),
            ("250", Some(99)),
            ("99999999999999999999", Some(99)),
            ("", None),
            ("abc", None),
            ("-", None),
            ("2.5", Some(2)),
            ("1,5", Some(1)),
            ("٢٫٥", Some(2)),
            ("1e1", Some(1)),
            ("12 34", Some(12)),
            ("-2", Some(1)),
            ("\u{2212}5", Some(1)),
        ] {
            assert_eq!(parse_quantity(typed), want, "{typed:?}");
        }
    }

    #[test]
    fn restore_refuses_a_newer_version_distinctly() {
        let config = shop("AED", &["1.00"]);
        assert_eq!(
            Cart::restore("{\"version\":2,\"lines\":[]}", &config)
                .err()
                .as_deref(),
            Some(NEWER)
        );
    }

    #[test]
    fn restore_refuses_garbage() {
        let c = shop("KWD", &["1.000"]);
        for bad in [
            "",
            "{",
            "[]",
            "{\"version\":0,\"lines\":[]}",
            "{\"version\":1}",
            "{\"version\":1,\"lines\":[5]}",
            "{\"version\":1,\"lines\":[{\"item_id\":\"p0\"}]}",
        ] {
            assert!(Cart::restore(bad, &c).is_err(), "{bad}");
        }
    }

    #[test]
    fn items_json_follows_the_js_api_shape() {
        let c = shop("KWD", &["1.500"]);
        let mut cart = Cart::default();
        cart.add(&c, "dress-m", 2, None).unwrap();
        cart.add(&c, "p0", 1, None).unwrap();
        let items = Json::parse(&cart.items_json(&c)).unwrap();
        let Json::Array(items) = items else { panic!() };
        let s = |k: &str| {
            items[0]
                .get(k)
                .and_then(Json::as_str)
                .unwrap_or("?")
                .to_owned()
        };
        assert_eq!(s("item_id"), "dress-m");
        assert_eq!(s("product_id"), "dress");
        assert_eq!(s("variant_id"), "dress-m");
        assert_eq!(s("title"), "Dress — M");
        assert_eq!(s("unit_price"), "6.000");
        assert_eq!(s("currency"), "KWD");
        assert_eq!(items[0].get("quantity").and_then(Json::as_u64), Some(2));
        assert_eq!(items[1].get("variant_id"), Some(&Json::Null));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Op {
            Add(usize, u32),
            Set(usize, u32),
            Remove(usize),
            Clear,
        }

        fn op() -> impl Strategy<Value = Op> {
            prop_oneof![
                (0usize..6, 0u32..200).prop_map(|(i, q)| Op::Add(i, q)),
                (0usize..6, 0u32..200).prop_map(|(i, q)| Op::Set(i, q)),
                (0usize..6).prop_map(Op::Remove),
                Just(Op::Clear),
            ]
        }

        proptest! {
            #[test]
            fn invariants_hold_after_any_operations(ops in prop::collection::vec(op(), 0..60),
                                                    code in prop::sample::select(vec!["KWD", "JPY", "AED"])) {
                let prices = ["999999999", "1", "0", "25", "3", "7"];
                let c = shop(code, &prices);
                let ids = ["p0", "p1", "p2", "p3", "dress-s", "dress-m"];
                let mut cart = Cart::default();
                for op in ops {
                    match op {
                        Op::Add(i, q) => { let _ = cart.add(&c, ids[i], q, None); }
                        Op::Set(i, q) => { cart.set_quantity(ids[i], q); }
                        Op::Remove(i) => { cart.remove(ids[i]); }
                        Op::Clear => { cart.clear(); }
                    }
                    for line in cart.lines() {
                        prop_assert!((1..=MAX_QUANTITY).contains(&line.quantity));
                    }
                    let mut seen: Vec<&str> = cart.lines().iter().map(|l| l.item_id.as_str()).collect();
                    seen.sort();
                    seen.dedup();
                    prop_assert_eq!(seen.len(), cart.lines().len(), "one line per item");
                    let expected: i128 = cart.lines().iter()
                        .map(|l| i128::from(c.item(&l.item_id).unwrap().price().0) * i128::from(l.quantity))
                        .sum();
                    prop_assert_eq!(i128::from(cart.subtotal(&c).0), expected);
                    let (back, dropped) = Cart::restore(&cart.to_json(), &c).unwrap();
                    prop_assert_eq!(dropped, 0);
                    prop_assert_eq!(&back, &cart);
                }
            }
        }
    }
}

//! The server's catalogs, one per currency, and the re-pricing of a cart against them. The
//! catalog is the authority on what exists, what can be bought and at what price; the
//! rules for ids, availability and money are the widget's own core, so the two never
//! disagree. Pure: no IO beyond reading the catalog files at startup.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use shoppable::core::config::Config;
use shoppable::core::money::{Currency, Money};

use crate::protocol::{CheckoutRequest, LineProblem, Reason, RequestLine};

/// The largest quantity of one line (SPEC §5).
pub const MAX_QUANTITY: u64 = 99;

/// Widget configs keyed by their `shop.currency` code: a request is priced by the catalog
/// of its own currency, so the English and Arabic demo shops can share one server.
#[derive(Debug, Default)]
pub struct Catalogs {
    by_currency: BTreeMap<String, (PathBuf, Config)>,
}

impl Catalogs {
    /// Reads and parses each file; errors name the file and the config path.
    pub fn load(paths: &[PathBuf]) -> Result<Catalogs, String> {
        let mut catalogs = Catalogs::default();
        for path in paths {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            catalogs.add(path, &text)?;
        }
        Ok(catalogs)
    }

    /// Adds one config's text, refusing a second catalog in a currency already served:
    /// which of two prices is right could not be decided.
    pub fn add(&mut self, source: &Path, text: &str) -> Result<(), String> {
        let config = Config::parse(text).map_err(|e| format!("{}: {e}", source.display()))?;
        let code = config.shop.currency.code().to_owned();
        if let Some((first, _)) = self.by_currency.get(&code) {
            return Err(format!(
                "{}: currency {code} is already served by {}; give one catalog per currency",
                source.display(),
                first.display()
            ));
        }
        self.by_currency.insert(code, (source.to_owned(), config));
        Ok(())
    }

    pub fn for_currency(&self, code: &str) -> Option<&Config> {
        self.by_currency.get(code).map(|(_, config)| config)
    }

    /// The currency codes served, for the startup log.
    pub fn currencies(&self) -> impl Iterator<Item = &str> {
        self.by_currency.keys().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.by_currency.is_empty()
    }
}

/// A cart the catalog agrees with, priced from the catalog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedCart {
    pub currency: Currency,
    pub subtotal: Money,
    pub lines: Vec<PricedLine>,
}

/// One line as stored with the order: catalog ids, title and price, the shopper's quantity
/// and the post it was bought from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PricedLine {
    pub item_id: String,
    pub product_id: String,
    pub variant_id: Option<String>,
    pub title: String,
    pub quantity: u32,
    /// Decimal string in the cart's currency, as on the wire.
    pub unit_price: String,
    pub post_id: Option<String>,
}

/// Whether a refusal is about the request (422) or about the catalog having moved (409).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// 422: the cart can never be ordered as sent (unknown item, bad quantity, bad body).
    Unprocessable,
    /// 409: the cart was fine once, but stock or prices have changed since.
    Conflict,
}

/// Why a cart is refused, with every bad line (not just the first), in cart order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub kind: RefusalKind,
    pub message: String,
    pub lines: Vec<LineProblem>,
}

impl Refusal {
    fn unprocessable(message: impl Into<String>) -> Refusal {
        Refusal {
            kind: RefusalKind::Unprocessable,
            message: message.into(),
            lines: Vec::new(),
        }
    }
}

impl Reason {
    fn kind(self) -> RefusalKind {
        match self {
            Reason::UnknownItem | Reason::Quantity => RefusalKind::Unprocessable,
            Reason::OutOfStock | Reason::PriceChanged => RefusalKind::Conflict,
        }
    }
}

/// Re-prices `request` from the catalog of its currency: the cart is accepted only when
/// every line names a purchasable item, with a whole quantity 1..=99 and the catalog's unit
/// price, and the subtotal is the sum of the re-priced lines.
pub fn reprice(catalogs: &Catalogs, request: &CheckoutRequest) -> Result<PricedCart, Refusal> {
    let config = catalogs.for_currency(&request.currency).ok_or_else(|| {
        Refusal::unprocessable(format!(
            "This shop does not sell in {:?}.",
            request.currency
        ))
    })?;
    let currency = config.shop.currency;
    if request.lines.is_empty() {
        return Err(Refusal::unprocessable("The cart is empty."));
    }

    let mut problems = Vec::new();
    let mut lines = Vec::with_capacity(request.lines.len());
    for (i, line) in request.lines.iter().enumerate() {
        let repeated = request.lines[..i].iter().any(|l| l.item_id == line.item_id);
        match reprice_line(config, currency, line, repeated) {
            Ok(priced) => lines.push(priced),
            Err(reason) => problems.push(LineProblem {
                item_id: line.item_id.clone(),
                reason,
            }),
        }
    }
    if !problems.is_empty() {
        return Err(line_refusal(problems, request.locale.as_deref()));
    }

    let mut subtotal = Money(0);
    for line in &lines {
        let price = config
            .item(&line.item_id)
            .expect("every priced line was found in this catalog")
            .price();
        subtotal = price
            .times(line.quantity)
            .and_then(|total| subtotal.checked_add(total))
            .ok_or_else(|| Refusal::unprocessable("The cart total is too large."))?;
    }
    let claimed = Money::parse(&request.subtotal, currency).map_err(|e| {
        Refusal::unprocessable(format!(
            "The subtotal is not valid: {}.",
            e.describe(&request.subtotal, currency)
        ))
    })?;
    if claimed != subtotal {
        return Err(Refusal {
            kind: RefusalKind::Conflict,
            message: format!(
                "The cart total has changed: it is {} {}, not {} {}.",
                subtotal.to_decimal(currency),
                currency.code(),
                request.subtotal,
                currency.code()
            ),
            lines: Vec::new(),
        });
    }
    Ok(PricedCart {
        currency,
        subtotal,
        lines,
    })
}

/// Judges one line. Checks run in the order a shopper can act on them: an item that does
/// not exist first, then the quantity, then stock, then price; a line reports one reason.
fn reprice_line(
    config: &Config,
    currency: Currency,
    line: &RequestLine,
    repeated: bool,
) -> Result<PricedLine, Reason> {
    let item = config.item(&line.item_id).ok_or(Reason::UnknownItem)?;
    // A product with variants is not itself an item (SPEC §2): its variants are.
    let names_a_whole_product = item.variant.is_none() && !item.product.variants.is_empty();
    let ids_disagree = line
        .product_id
        .as_deref()
        .is_some_and(|p| p != item.product.id)
        || line
            .variant_id
            .as_deref()
            .is_some_and(|v| Some(v) != item.variant_id());
    if names_a_whole_product || ids_disagree {
        return Err(Reason::UnknownItem);
    }
    // The widget's cart keeps one line per item; two lines of one item is a quantity
    // the shopper never chose.
    let quantity = line
        .quantity
        .as_u64()
        .filter(|q| (1..=MAX_QUANTITY).contains(q) && !repeated)
        .and_then(|q| u32::try_from(q).ok())
        .ok_or(Reason::Quantity)?;
    if !item.availability().is_purchasable() {
        return Err(Reason::OutOfStock);
    }
    let claimed = line
        .unit_price
        .as_str()
        .and_then(|text| Money::parse(text, currency).ok());
    if claimed != Some(item.price()) {
        return Err(Reason::PriceChanged);
    }
    Ok(PricedLine {
        item_id: item.item_id().to_owned(),
        product_id: item.product.id.clone(),
        variant_id: item.variant_id().map(str::to_owned),
        title: item.title(),
        quantity,
        unit_price: item.price().to_decimal(currency),
        post_id: line.post_id.clone(),
    })
}

/// The shopper-facing summaries of a line refusal, in the languages the widget speaks,
/// picked by the request's `locale`: the widget shows a 409/422 message to the shopper as
/// the server wrote it (SPEC §6), beside its own per-line reasons, so it should be in the
/// shop's language. English for any other. Columns: can't be ordered, prices changed, out
/// of stock, mixed changes.
const LINE_REFUSALS: [(&str, [&str; 4]); 8] = [
    (
        "en",
        [
            "Some items in your cart can't be ordered.",
            "Some prices in your cart have changed.",
            "Some items in your cart are out of stock.",
            "Some items in your cart have changed.",
        ],
    ),
    (
        "ar",
        [
            "لا يمكن طلب بعض المنتجات في السلة.",
            "تغيّرت أسعار بعض المنتجات في السلة.",
            "نفدت كمية بعض المنتجات في السلة.",
            "طرأت تغييرات على بعض المنتجات في السلة.",
        ],
    ),
    (
        "fa",
        [
            "برخی از کالاهای سبد خرید قابل سفارش نیستند.",
            "قیمت برخی از کالاهای سبد خرید تغییر کرده است.",
            "برخی از کالاهای سبد خرید ناموجود شده‌اند.",
            "برخی از کالاهای سبد خرید تغییر کرده‌اند.",
        ],
    ),
    (
        "ur",
        [
            "آپ کی کارٹ کی کچھ اشیاء آرڈر نہیں کی جا سکتیں۔",
            "آپ کی کارٹ کی کچھ اشیاء کی قیمتیں بدل گئی ہیں۔",
            "آپ کی کارٹ کی کچھ اشیاء کا اسٹاک ختم ہو گیا ہے۔",
            "آپ کی کارٹ کی کچھ اشیاء بدل گئی ہیں۔",
        ],
    ),
    (
        "tr",
        [
            "Sepetinizdeki bazı ürünler sipariş edilemiyor.",
            "Sepetinizdeki bazı ürünlerin fiyatı değişti.",
            "Sepetinizdeki bazı ürünler tükendi.",
            "Sepetinizdeki bazı ürünler değişti.",
        ],
    ),
    (
        "id",
        [
            "Beberapa barang di keranjangmu tidak bisa dipesan.",
            "Harga beberapa barang di keranjangmu sudah berubah.",
            "Stok beberapa barang di keranjangmu sudah habis.",
            "Beberapa barang di keranjangmu sudah berubah.",
        ],
    ),
    (
        "ms",
        [
            "Sesetengah item dalam troli anda tidak boleh dipesan.",
            "Harga sesetengah item dalam troli anda telah berubah.",
            "Sesetengah item dalam troli anda telah habis dijual.",
            "Sesetengah item dalam troli anda telah berubah.",
        ],
    ),
    (
        "fr",
        [
            "Certains articles de votre panier ne peuvent pas être commandés.",
            "Le prix de certains articles de votre panier a changé.",
            "Certains articles de votre panier sont épuisés.",
            "Certains articles de votre panier ont changé.",
        ],
    ),
];

/// One refusal for all bad lines: 422 if any line can never be ordered as sent, else 409.
/// Its message is in the language of `locale` (a BCP 47 tag such as `ar-KW`) when the
/// widget speaks it, else in English.
fn line_refusal(problems: Vec<LineProblem>, locale: Option<&str>) -> Refusal {
    let kind = if problems
        .iter()
        .any(|p| p.reason.kind() == RefusalKind::Unprocessable)
    {
        RefusalKind::Unprocessable
    } else {
        RefusalKind::Conflict
    };
    let all = |reason| problems.iter().all(|p| p.reason == reason);
    let which = if kind == RefusalKind::Unprocessable {
        0
    } else if all(Reason::PriceChanged) {
        1
    } else if all(Reason::OutOfStock) {
        2
    } else {
        3
    };
    let language = locale
        .and_then(|l| l.split(['-', '_']).next())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let (_, messages) = LINE_REFUSALS
        .iter()
        .find(|(code, _)| *code == language)
        .unwrap_or(&LINE_REFUSALS[0]);
    Refusal {
        kind,
        message: messages[which].to_owned(),
        lines: problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const KWD_SHOP: &str = r#"{
      "version": 1,
      "shop": { "name": "Test", "currency": "KWD", "locale": "ar-KW" },
      "checkout": { "endpoint": "/api/checkout" },
      "products": [
        { "id": "abaya", "title": "Abaya", "price": "25.500", "availability": "in stock",
          "variants": [
            { "id": "abaya-52", "title": "52", "price": "25.500", "availability": "in stock" },
            { "id": "abaya-54", "title": "54", "price": "26.000", "availability": "out of stock" } ] },
        { "id": "scarf", "title": "Scarf", "price": "5", "availability": "preorder" },
        { "id": "ring", "title": "Ring", "price": "9.000", "availability": "discontinued" }
      ],
      "posts": []
    }"#;

    const AED_SHOP: &str = r#"{
      "version": 1,
      "shop": { "name": "Test", "currency": "AED", "locale": "en-AE" },
      "checkout": { "endpoint": "/api/checkout" },
      "products": [ { "id": "scarf", "title": "Scarf", "price": "50.00", "availability": "in stock" } ],
      "posts": []
    }"#;

    fn catalogs() -> Catalogs {
        let mut catalogs = Catalogs::default();
        catalogs
            .add(Path::new("kwd.json"), KWD_SHOP)
            .expect("test catalog parses");
        catalogs
            .add(Path::new("aed.json"), AED_SHOP)
            .expect("test catalog parses");
        catalogs
    }

    fn line(item_id: &str, quantity: serde_json::Value, unit_price: &str) -> serde_json::Value {
        json!({ "item_id": item_id, "quantity": quantity, "unit_price": unit_price })
    }

    fn request(currency: &str, subtotal: &str, lines: Vec<serde_json::Value>) -> CheckoutRequest {
        let body = json!({ "currency": currency, "subtotal": subtotal, "lines": lines });
        CheckoutRequest::parse(body.to_string().as_bytes()).expect("test request parses")
    }

    fn refusal(request: &CheckoutRequest) -> Refusal {
        reprice(&catalogs(), request).expect_err("the cart is refused")
    }

    fn reasons(refusal: &Refusal) -> Vec<(&str, Reason)> {
        refusal
            .lines
            .iter()
            .map(|p| (p.item_id.as_str(), p.reason))
            .collect()
    }

    #[test]
    fn a_matching_cart_is_priced_from_the_catalog() {
        let cart = reprice(
            &catalogs(),
            &request(
                "KWD",
                "56.000",
                vec![
                    line("abaya-52", json!(2), "25.500"),
                    line("scarf", json!(1), "5.0"),
                ],
            ),
        )
        .expect("the cart is accepted");
        assert_eq!(cart.subtotal, Money(56_000));
        assert_eq!(cart.lines[0].product_id, "abaya");
        assert_eq!(cart.lines[0].variant_id.as_deref(), Some("abaya-52"));
        assert_eq!(cart.lines[0].title, "Abaya — 52");
        assert_eq!(
            cart.lines[1].unit_price, "5.000",
            "stored in the catalog's form"
        );
        assert_eq!(cart.lines[1].variant_id, None);
    }

    #[test]
    fn a_different_unit_price_is_price_changed_409() {
        let refused = refusal(&request(
            "KWD",
            "25.000",
            vec![line("abaya-52", json!(1), "25.000")],
        ));
        assert_eq!(refused.kind, RefusalKind::Conflict);
        assert_eq!(reasons(&refused), [("abaya-52", Reason::PriceChanged)]);
        assert_eq!(refused.message, "Some prices in your cart have changed.");
    }

    #[test]
    fn a_unit_price_that_is_not_money_in_the_currency_is_price_changed() {
        for bad in ["25.5000", "abc", "-25.500", ""] {
            let refused = refusal(&request(
                "KWD",
                "25.500",
                vec![line("abaya-52", json!(1), bad)],
            ));
            assert_eq!(
                reasons(&refused),
                [("abaya-52", Reason::PriceChanged)],
                "{bad}"
            );
        }
        let mut numeric = request("KWD", "25.500", vec![line("abaya-52", json!(1), "")]);
        numeric.lines[0].unit_price = json!(25.5);
        assert_eq!(
            reasons(&refusal(&numeric)),
            [("abaya-52", Reason::PriceChanged)]
        );
    }

    #[test]
    fn an_item_not_in_the_catalog_is_unknown_item_422() {
        let refused = refusal(&request(
            "KWD",
            "1.000",
            vec![line("nope", json!(1), "1.000")],
        ));
        assert_eq!(refused.kind, RefusalKind::Unprocessable);
        assert_eq!(reasons(&refused), [("nope", Reason::UnknownItem)]);
    }

    #[test]
    fn an_item_of_another_currencys_catalog_is_unknown() {
        let refused = refusal(&request(
            "AED",
            "25.50",
            vec![line("abaya-52", json!(1), "25.50")],
        ));
        assert_eq!(reasons(&refused), [("abaya-52", Reason::UnknownItem)]);
    }

    #[test]
    fn a_product_with_variants_is_not_itself_an_item() {
        let refused = refusal(&request(
            "KWD",
            "25.500",
            vec![line("abaya", json!(1), "25.500")],
        ));
        assert_eq!(reasons(&refused), [("abaya", Reason::UnknownItem)]);
    }

    #[test]
    fn ids_that_do_not_belong_together_are_unknown_item() {
        let mut wrong_product =
            request("KWD", "25.500", vec![line("abaya-52", json!(1), "25.500")]);
        wrong_product.lines[0].product_id = Some("scarf".into());
        assert_eq!(
            reasons(&refusal(&wrong_product)),
            [("abaya-52", Reason::UnknownItem)]
        );
        let mut wrong_variant = request("KWD", "5.000", vec![line("scarf", json!(1), "5.000")]);
        wrong_variant.lines[0].variant_id = Some("abaya-52".into());
        assert_eq!(
            reasons(&refusal(&wrong_variant)),
            [("scarf", Reason::UnknownItem)]
        );
    }

    #[test]
    fn quantities_outside_whole_1_to_99_are_refused() {
        for bad in [
            json!(0),
            json!(100),
            json!(-1),
            json!(1.5),
            json!("2"),
            json!(null),
        ] {
            let refused = refusal(&request(
                "KWD",
                "5.000",
                vec![line("scarf", bad.clone(), "5.000")],
            ));
            assert_eq!(refused.kind, RefusalKind::Unprocessable, "{bad}");
            assert_eq!(reasons(&refused), [("scarf", Reason::Quantity)], "{bad}");
        }
        let most = reprice(
            &catalogs(),
            &request("KWD", "495.000", vec![line("scarf", json!(99), "5.000")]),
        );
        assert!(most.is_ok(), "99 is allowed");
    }

    #[test]
    fn the_same_item_on_two_lines_is_a_quantity_problem() {
        let refused = refusal(&request(
            "KWD",
            "10.000",
            vec![
                line("scarf", json!(1), "5.000"),
                line("scarf", json!(1), "5.000"),
            ],
        ));
        assert_eq!(reasons(&refused), [("scarf", Reason::Quantity)]);
    }

    #[test]
    fn items_that_cannot_be_bought_are_out_of_stock_409() {
        let refused = refusal(&request(
            "KWD",
            "35.000",
            vec![
                line("abaya-54", json!(1), "26.000"),
                line("ring", json!(1), "9.000"),
            ],
        ));
        assert_eq!(refused.kind, RefusalKind::Conflict);
        assert_eq!(
            reasons(&refused),
            [
                ("abaya-54", Reason::OutOfStock),
                ("ring", Reason::OutOfStock)
            ]
        );
        assert_eq!(refused.message, "Some items in your cart are out of stock.");
    }

    #[test]
    fn preorder_items_can_be_bought() {
        assert!(reprice(
            &catalogs(),
            &request("KWD", "5.000", vec![line("scarf", json!(1), "5.000")])
        )
        .is_ok());
    }

    #[test]
    fn every_bad_line_is_listed_in_cart_order() {
        let refused = refusal(&request(
            "KWD",
            "0.000",
            vec![
                line("abaya-52", json!(1), "25.500"),
                line("ghost", json!(1), "1.000"),
                line("abaya-54", json!(1), "26.000"),
                line("scarf", json!(1), "4.000"),
                line("ring", json!(500), "9.000"),
            ],
        ));
        assert_eq!(
            refused.kind,
            RefusalKind::Unprocessable,
            "one 422 reason makes it 422"
        );
        assert_eq!(
            reasons(&refused),
            [
                ("ghost", Reason::UnknownItem),
                ("abaya-54", Reason::OutOfStock),
                ("scarf", Reason::PriceChanged),
                ("ring", Reason::Quantity),
            ]
        );
    }

    #[test]
    fn line_refusals_speak_the_request_locale_language_or_english() {
        let with_locale = |locale: Option<&str>| {
            let mut r = request("KWD", "26.000", vec![line("abaya-54", json!(1), "26.000")]);
            r.locale = locale.map(str::to_owned);
            refusal(&r).message
        };
        assert_eq!(
            with_locale(Some("ar-KW")),
            "نفدت كمية بعض المنتجات في السلة."
        );
        assert_eq!(
            with_locale(Some("FR_fr")),
            "Certains articles de votre panier sont épuisés."
        );
        assert_eq!(
            with_locale(Some("tr")),
            "Sepetinizdeki bazı ürünler tükendi."
        );
        for other in [Some("de-DE"), Some(""), None] {
            assert_eq!(
                with_locale(other),
                "Some items in your cart are out of stock."
            );
        }
        // Every language has all four messages, and the widget's language list is the same.
        for (code, messages) in LINE_REFUSALS {
            assert!(
                messages
                    .iter()
                    .all(|m| !m.is_empty() && m.ends_with(['.', '۔'])),
                "{code}"
            );
        }
    }

    #[test]
    fn mixed_catalog_changes_share_one_message() {
        let refused = refusal(&request(
            "KWD",
            "30.000",
            vec![
                line("abaya-54", json!(1), "26.000"),
                line("scarf", json!(1), "4.000"),
            ],
        ));
        assert_eq!(refused.kind, RefusalKind::Conflict);
        assert_eq!(refused.message, "Some items in your cart have changed.");
    }

    #[test]
    fn a_subtotal_that_is_not_the_sum_of_the_lines_is_409_without_lines() {
        let refused = refusal(&request(
            "KWD",
            "50.000",
            vec![line("abaya-52", json!(2), "25.500")],
        ));
        assert_eq!(refused.kind, RefusalKind::Conflict);
        assert!(refused.lines.is_empty());
        assert_eq!(
            refused.message,
            "The cart total has changed: it is 51.000 KWD, not 50.000 KWD."
        );
        let same_amount = reprice(
            &catalogs(),
            &request("KWD", "51", vec![line("abaya-52", json!(2), "25.500")]),
        );
        assert!(same_amount.is_ok(), "51 and 51.000 are the same amount");
    }

    #[test]
    fn a_subtotal_that_is_not_money_is_422() {
        let refused = refusal(&request(
            "AED",
            "50.000",
            vec![line("scarf", json!(1), "50.00")],
        ));
        assert_eq!(refused.kind, RefusalKind::Unprocessable);
        assert_eq!(
            refused.message,
            r#"The subtotal is not valid: "50.000" has 3 decimals, AED allows 2."#
        );
    }

    #[test]
    fn an_unknown_currency_or_empty_cart_is_422() {
        let refused = refusal(&request(
            "USD",
            "5.00",
            vec![line("scarf", json!(1), "5.00")],
        ));
        assert_eq!(refused.kind, RefusalKind::Unprocessable);
        assert_eq!(refused.message, r#"This shop does not sell in "USD"."#);
        let empty = refusal(&request("KWD", "0.000", vec![]));
        assert_eq!(empty.message, "The cart is empty.");
    }

    #[test]
    fn two_catalogs_in_one_currency_are_refused_at_startup() {
        let mut catalogs = catalogs();
        let error = catalogs
            .add(Path::new("again.json"), KWD_SHOP)
            .expect_err("KWD is already served");
        assert_eq!(
            error,
            "again.json: currency KWD is already served by kwd.json; give one catalog per currency"
        );
    }

    #[test]
    fn a_bad_catalog_names_the_file_and_the_config_path() {
        let error = Catalogs::default()
            .add(
                Path::new("bad.json"),
                &KWD_SHOP.replace("\"25.500\"", "\"25.5000\""),
            )
            .expect_err("too many decimals");
        assert!(
            error.starts_with("bad.json: config.products[0].price: "),
            "{error}"
        );
    }
}

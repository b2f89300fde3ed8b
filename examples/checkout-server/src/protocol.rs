//! The checkout protocol's JSON (SPEC §6): the request as the widget sends it, its
//! fingerprint for `Idempotency-Key`, and the bodies of every answer. Knows nothing of the
//! catalog, SQLite or HTTP.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A checkout request as sent, checked for shape only. `quantity` and `unit_price` stay raw
/// JSON: a bad value there is the catalog's to judge and report with its line, not a reason
/// to refuse the whole body before the other lines have been looked at. Unknown fields are
/// ignored, so a newer widget can send more.
#[derive(Clone, Debug, Deserialize)]
pub struct CheckoutRequest {
    pub currency: String,
    #[serde(default)]
    pub locale: Option<String>,
    pub subtotal: String,
    pub lines: Vec<RequestLine>,
    #[serde(default)]
    pub page: Option<String>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RequestLine {
    pub item_id: String,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub variant_id: Option<String>,
    pub quantity: Value,
    pub unit_price: Value,
    #[serde(default)]
    pub post_id: Option<String>,
}

/// What an idempotency fingerprint covers: what the shopper buys (the currency and each
/// line's ids, quantity and post), in a fixed field order and with lines sorted by
/// `item_id`. Left out on purpose:
/// - `page` and `locale` say where and how the shopper is, not what they buy, and the widget
///   keeps one key for one cart across pages (the cart lives in `localStorage`), so a retry
///   from another page is the same cart;
/// - `unit_price` and `subtotal` are the server's to decide (it re-prices every line): the
///   widget re-reads prices from the config on every page view, so a retry of a cart whose
///   first attempt was stored but whose answer was lost, made after the shop changed a
///   price, sends the same lines at new prices. That is still the same cart, and the order
///   already placed is replayed; refusing it (as a different cart) left the shopper unable
///   to check out, with a key that never changes, and never told them the order existed.
#[derive(Serialize)]
struct CanonicalCart<'a> {
    currency: &'a str,
    lines: Vec<CanonicalLine<'a>>,
}

#[derive(Serialize)]
struct CanonicalLine<'a> {
    item_id: &'a str,
    product_id: Option<&'a str>,
    variant_id: Option<&'a str>,
    quantity: &'a Value,
    post_id: Option<&'a str>,
}

impl CheckoutRequest {
    /// Parses a body; the error is a sentence for the developer reading the 422.
    pub fn parse(body: &[u8]) -> Result<CheckoutRequest, String> {
        serde_json::from_slice(body).map_err(|e| format!("The checkout request is not valid: {e}."))
    }

    /// SHA-256 (hex) of the canonical cart: equal for two requests that ask for the same
    /// cart, whatever their key order, whitespace or line order.
    pub fn fingerprint(&self) -> String {
        let mut lines: Vec<CanonicalLine<'_>> = self
            .lines
            .iter()
            .map(|l| CanonicalLine {
                item_id: &l.item_id,
                product_id: l.product_id.as_deref(),
                variant_id: l.variant_id.as_deref(),
                quantity: &l.quantity,
                post_id: l.post_id.as_deref(),
            })
            .collect();
        lines.sort_by(|a, b| a.item_id.cmp(b.item_id));
        let canonical = CanonicalCart {
            currency: &self.currency,
            lines,
        };
        let text = serde_json::to_vec(&canonical)
            .expect("a struct of strings and JSON values always serializes");
        Sha256::digest(&text)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Why one line of a cart is refused; the words are SPEC §6's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No such item in the catalog, or ids that do not belong together.
    UnknownItem,
    /// Not a whole number from 1 to 99, or the same item on two lines.
    Quantity,
    /// The catalog says the item cannot be bought now.
    OutOfStock,
    /// The cart's `unit_price` is not the catalog's.
    PriceChanged,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineProblem {
    pub item_id: String,
    pub reason: Reason,
}

/// `{"error": {"message": "…", "lines": [...]}}`; `lines` is left out when empty.
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize)]
pub struct ErrorDetail {
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineProblem>,
}

impl ErrorBody {
    pub fn message(message: impl Into<String>) -> ErrorBody {
        ErrorBody::with_lines(message, Vec::new())
    }

    pub fn with_lines(message: impl Into<String>, lines: Vec<LineProblem>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                message: message.into(),
                lines,
            },
        }
    }
}

/// The `2xx` answer: `{"order_id": "ord_…"}`, with `redirect_url` only when configured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OrderPlaced {
    pub order_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &str) -> CheckoutRequest {
        CheckoutRequest::parse(body.as_bytes()).expect("test body parses")
    }

    const BODY: &str = r#"{"currency":"KWD","locale":"ar-KW","subtotal":"30.500",
        "lines":[{"item_id":"a","product_id":"p","variant_id":"a","quantity":1,"unit_price":"25.500","post_id":"x"},
                 {"item_id":"b","product_id":"b","variant_id":null,"quantity":1,"unit_price":"5.000","post_id":null}],
        "page":"https://brand.example/one"}"#;

    #[test]
    fn fingerprint_ignores_key_order_whitespace_line_order_page_and_locale() {
        let reordered = r#"{"page":"https://brand.example/two","locale":"en","lines":[
            {"unit_price":"5.000","quantity":1,"item_id":"b","product_id":"b","variant_id":null,"post_id":null},
            {"post_id":"x","item_id":"a","variant_id":"a","product_id":"p","unit_price":"25.500","quantity":1}],
            "subtotal":"30.500","currency":"KWD"}"#;
        assert_eq!(
            request(BODY).fingerprint(),
            request(reordered).fingerprint()
        );
    }

    #[test]
    fn fingerprint_changes_with_the_cart() {
        let more = BODY.replacen(r#""quantity":1"#, r#""quantity":2"#, 1);
        assert_ne!(request(BODY).fingerprint(), request(&more).fingerprint());
        let other_item = BODY.replacen(r#""item_id":"b""#, r#""item_id":"c""#, 1);
        assert_ne!(
            request(BODY).fingerprint(),
            request(&other_item).fingerprint()
        );
        let other_currency = BODY.replace("KWD", "BHD");
        assert_ne!(
            request(BODY).fingerprint(),
            request(&other_currency).fingerprint()
        );
    }

    #[test]
    fn fingerprint_ignores_prices_which_are_the_servers_to_decide() {
        let repriced = BODY.replace("25.500", "27.000").replace("30.500", "32.000");
        assert_ne!(repriced, BODY);
        assert_eq!(
            request(BODY).fingerprint(),
            request(&repriced).fingerprint()
        );
    }

    #[test]
    fn missing_fields_are_named_in_the_error() {
        let error = CheckoutRequest::parse(br#"{"currency":"KWD","lines":[]}"#)
            .expect_err("subtotal is required");
        assert!(error.contains("subtotal"), "{error}");
        assert!(CheckoutRequest::parse(b"not json").is_err());
    }

    #[test]
    fn error_body_leaves_out_empty_lines() {
        let json = serde_json::to_string(&ErrorBody::message("No.")).expect("serializes");
        assert_eq!(json, r#"{"error":{"message":"No."}}"#);
        let json = serde_json::to_string(&ErrorBody::with_lines(
            "Changed.",
            vec![LineProblem {
                item_id: "a".into(),
                reason: Reason::PriceChanged,
            }],
        ))
        .expect("serializes");
        assert_eq!(
            json,
            r#"{"error":{"message":"Changed.","lines":[{"item_id":"a","reason":"price_changed"}]}}"#
        );
    }
}

//! Event payloads (SPEC §4): the `detail` of each `shoppable:*` event and the GA4
//! ecommerce entries for `window.dataLayer`, built as JSON text so the shell only
//! dispatches them.

use crate::prelude::*;

use super::cart::Line;
use super::config::{Config, Item};
use super::json::Json;
use super::money::Money;

/// A JSON object written field by field: `Detail::new().text("a", "b").finish()`.
#[derive(Default)]
pub struct Detail(Vec<(String, Json)>);

impl Detail {
    pub fn new() -> Detail {
        Detail::default()
    }
    pub fn value(mut self, key: &str, value: Json) -> Detail {
        self.0.push((key.to_owned(), value));
        self
    }
    pub fn text(self, key: &str, value: &str) -> Detail {
        self.value(key, Json::String(value.to_owned()))
    }
    pub fn optional_text(self, key: &str, value: Option<&str>) -> Detail {
        self.value(
            key,
            value.map_or(Json::Null, |v| Json::String(v.to_owned())),
        )
    }
    pub fn number(self, key: &str, value: u64) -> Detail {
        self.value(key, Json::Number(value as f64))
    }
    pub fn flag(self, key: &str, value: bool) -> Detail {
        self.value(key, Json::Bool(value))
    }
    pub fn into_value(self) -> Json {
        Json::Object(self.0)
    }
    pub fn finish(self) -> String {
        self.into_value().to_text()
    }
}

/// Money as the JSON number GA4 expects, written as exact decimal text (`25.500`).
fn amount(money: Money, config: &Config) -> Json {
    Json::Decimal(money.to_decimal(config.shop.currency))
}

/// `item_variant` only for a variant: GA4's parameters are optional strings, and a `null`
/// can be recorded as the text "null".
fn ga4_item(item: &Item<'_>, quantity: u32, config: &Config) -> Json {
    let mut fields = Detail::new()
        .text("item_id", item.item_id())
        .text("item_name", &item.product.title);
    if let Some(variant) = item.variant {
        fields = fields.text("item_variant", &variant.title);
    }
    fields
        .value("price", amount(item.price(), config))
        .number("quantity", u64::from(quantity))
        .into_value()
}

/// A GA4 ecommerce entry: `{event, ecommerce: {currency, value, items, transaction_id?}}`.
pub fn ga4(event: &str, lines: &[Line], config: &Config, transaction_id: Option<&str>) -> String {
    let mut value = Money(0);
    let mut items = Vec::new();
    for l in lines {
        let Some(item) = config.item(&l.item_id) else {
            continue;
        };
        let Some(sum) = item
            .price()
            .times(l.quantity)
            .and_then(|t| value.checked_add(t))
        else {
            continue;
        };
        value = sum;
        items.push(ga4_item(&item, l.quantity, config));
    }
    let mut ecommerce = Detail::new()
        .text("currency", config.shop.currency.code())
        .value("value", amount(value, config))
        .value("items", Json::Array(items));
    if let Some(id) = transaction_id {
        ecommerce = ecommerce.text("transaction_id", id);
    }
    Detail::new()
        .text("event", event)
        .value("ecommerce", ecommerce.into_value())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cart::tests::shop;

    #[test]
    fn ga4_entries_use_ga4_field_names_and_values() {
        let c = shop("KWD", &["25.500"]);
        let lines = [
            Line {
                item_id: "p0".into(),
                quantity: 2,
                post_id: None,
            },
            Line {
                item_id: "dress-m".into(),
                quantity: 1,
                post_id: None,
            },
        ];
        assert_eq!(
            ga4("purchase", &lines, &c, Some("ord_1")),
            r#"{"event":"purchase","ecommerce":{"currency":"KWD","value":57.000,"items":[{"item_id":"p0","item_name":"P0","price":25.500,"quantity":2},{"item_id":"dress-m","item_name":"Dress","item_variant":"M","price":6.000,"quantity":1}],"transaction_id":"ord_1"}}"#
        );
    }

    #[test]
    fn details_are_json_objects() {
        let d = Detail::new()
            .text("post_id", "p\"1")
            .number("quantity", 2)
            .flag("retryable", true)
            .optional_text("x", None)
            .finish();
        assert_eq!(
            d,
            r#"{"post_id":"p\"1","quantity":2,"retryable":true,"x":null}"#
        );
    }
}

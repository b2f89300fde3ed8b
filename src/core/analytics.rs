//! Event payloads (SPEC §4): the `detail` of each `shoppable:*` event and the GA4
//! ecommerce entries for `window.dataLayer`, built as JSON text so the shell only
//! dispatches them.

use miniserde::json::{self, Array, Number, Object, Value};

use super::cart::Line;
use super::config::{Config, Item};
use super::money::Money;

/// A JSON object written field by field: `Detail::new().text("a", "b").finish()`.
#[derive(Default)]
pub struct Detail(Object);

impl Detail {
    pub fn new() -> Detail {
        Detail::default()
    }
    pub fn text(mut self, key: &str, value: &str) -> Detail {
        self.0.insert(key.into(), Value::String(value.to_owned()));
        self
    }
    pub fn optional_text(mut self, key: &str, value: Option<&str>) -> Detail {
        let v = value.map_or(Value::Null, |v| Value::String(v.to_owned()));
        self.0.insert(key.into(), v);
        self
    }
    pub fn number(mut self, key: &str, value: u64) -> Detail {
        self.0.insert(key.into(), Value::Number(Number::U64(value)));
        self
    }
    pub fn flag(mut self, key: &str, value: bool) -> Detail {
        self.0.insert(key.into(), Value::Bool(value));
        self
    }
    pub fn value(mut self, key: &str, value: Value) -> Detail {
        self.0.insert(key.into(), value);
        self
    }
    pub fn finish(self) -> String {
        json::to_string(&Value::Object(self.0))
    }
    fn into_value(self) -> Value {
        Value::Object(self.0)
    }
}

/// Money as the JSON number GA4 expects (`25.5`), exact for any amount under 2^53 minor units.
fn amount(money: Money, config: &Config) -> Value {
    let scale = 10f64.powi(i32::from(config.shop.currency.exponent()));
    Value::Number(Number::F64(money.0 as f64 / scale))
}

fn ga4_item(item: &Item<'_>, quantity: u32, config: &Config) -> Value {
    Detail::new()
        .text("item_id", item.item_id())
        .text("item_name", &item.product.title)
        .optional_text("item_variant", item.variant.map(|v| v.title.as_str()))
        .value("price", amount(item.price(), config))
        .number("quantity", u64::from(quantity))
        .into_value()
}

/// A GA4 ecommerce entry: `{event, ecommerce: {currency, value, items, transaction_id?}}`.
pub fn ga4(event: &str, lines: &[Line], config: &Config, transaction_id: Option<&str>) -> String {
    let mut value = Money(0);
    let items: Array = lines
        .iter()
        .filter_map(|l| {
            let item = config.item(&l.item_id)?;
            value = value.checked_add(item.price().times(l.quantity)?)?;
            Some(ga4_item(&item, l.quantity, config))
        })
        .collect();
    let mut ecommerce = Detail::new()
        .text("currency", config.shop.currency.code())
        .value("value", amount(value, config))
        .value("items", Value::Array(items));
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
            r#"{"ecommerce":{"currency":"KWD","items":[{"item_id":"p0","item_name":"P0","item_variant":null,"price":25.5,"quantity":2},{"item_id":"dress-m","item_name":"Dress","item_variant":"M","price":6.0,"quantity":1}],"transaction_id":"ord_1","value":57.0},"event":"purchase"}"#
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

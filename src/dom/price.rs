//! Prices for people: `Intl.NumberFormat` in the shop's locale and numbering system,
//! fed the exact decimal string so no amount ever passes through a float.

use wasm_bindgen::JsValue;

use crate::core::config::{Digits, Shop};
use crate::core::money::Money;

pub struct PriceFormat {
    format: js_sys::Function,
    /// Plain numbers (the cart count) in the same locale and digits as prices.
    count: js_sys::Function,
    /// `Intl.PluralRules` of the shop's locale: which plural form a count takes.
    plural: js_sys::Intl::PluralRules,
    currency: crate::core::money::Currency,
}

impl PriceFormat {
    /// `whole`: show no decimals (`Config::whole_prices`); amounts are still exact.
    pub fn new(shop: &Shop, whole: bool) -> PriceFormat {
        let options = js_sys::Object::new();
        let set = |k: &str, v: JsValue| {
            let _ = js_sys::Reflect::set(&options, &JsValue::from_str(k), &v);
        };
        let exp = JsValue::from(shop.currency.exponent());
        set("style", "currency".into());
        set("currency", shop.currency.code().into());
        set(
            "minimumFractionDigits",
            if whole { JsValue::from(0) } else { exp.clone() },
        );
        set("maximumFractionDigits", exp);
        if let Some(d) = shop.digits {
            set(
                "numberingSystem",
                if d == Digits::Arab { "arab" } else { "latn" }.into(),
            );
        }
        let locales = js_sys::Array::of1(&JsValue::from_str(&shop.locale));
        let format = js_sys::Intl::NumberFormat::new(&locales, &options).format();
        for key in [
            "style",
            "currency",
            "minimumFractionDigits",
            "maximumFractionDigits",
        ] {
            let _ = js_sys::Reflect::delete_property(&options, &JsValue::from_str(key));
        }
        let count = js_sys::Intl::NumberFormat::new(&locales, &options).format();
        let plural = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
        PriceFormat {
            format,
            count,
            plural,
            currency: shop.currency,
        }
    }

    pub fn count(&self, n: u32) -> String {
        self.count
            .call1(&JsValue::NULL, &JsValue::from(n))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| n.to_string())
    }

    /// The CLDR plural category of `n` in the shop's language ("one", "few"…).
    pub fn plural_category(&self, n: u32) -> String {
        self.plural
            .select(f64::from(n))
            .as_string()
            .unwrap_or_else(|| "other".into())
    }

    pub fn format(&self, money: Money) -> String {
        let exact = money.to_decimal(self.currency);
        self.format
            .call1(&JsValue::NULL, &JsValue::from_str(&exact))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| format!("{} {exact}", self.currency.code()))
    }
}

//! Prices for people: `Intl.NumberFormat` in the shop's locale and numbering system,
//! fed the exact decimal string so no amount ever passes through a float.
//!
//! The `Intl` objects are made on first use, not at start: the first `Intl` constructor of a
//! page loads the locale's ICU data (31–63 ms on the bench machine), which would otherwise
//! sit between the wasm being ready and the first tag on screen. After the first tags, the
//! loader pays that in a worker (ICU's caches are per process) and `app` waits for it, so
//! the constructor here takes under a millisecond.

use crate::prelude::*;

use ::core::cell::OnceCell;

use wasm_bindgen::JsValue;

use crate::core::config::{Digits, Shop};
use crate::core::json::int;
use crate::core::money::{Currency, Money};

struct Intl {
    format: js_sys::Function,
    /// Plain numbers (the cart count) in the same locale and digits as prices.
    count: js_sys::Function,
    /// Which plural form a count takes in the shop's language.
    plural: js_sys::Intl::PluralRules,
}

pub struct PriceFormat {
    locale: String,
    currency: Currency,
    digits: Option<Digits>,
    whole: bool,
    intl: OnceCell<Intl>,
}

impl PriceFormat {
    /// `whole`: show no decimals (`Config::whole_prices`); amounts are still exact.
    pub fn new(shop: &Shop, whole: bool) -> PriceFormat {
        PriceFormat {
            locale: shop.locale.clone(),
            currency: shop.currency,
            digits: shop.digits,
            whole,
            intl: OnceCell::new(),
        }
    }

    fn intl(&self) -> &Intl {
        self.intl.get_or_init(|| {
            let options = js_sys::Object::new();
            let set = |k: &str, v: JsValue| {
                let _ = js_sys::Reflect::set(&options, &JsValue::from_str(k), &v);
            };
            if let Some(d) = self.digits {
                set("numberingSystem", d.numbering_system(&self.locale).into());
            }
            let locales = js_sys::Array::of1(&JsValue::from_str(&self.locale));
            let count = js_sys::Intl::NumberFormat::new(&locales, &options).format();
            let exp = JsValue::from(self.currency.exponent());
            set("style", "currency".into());
            set("currency", self.currency.code().into());
            set(
                "minimumFractionDigits",
                if self.whole {
                    JsValue::from(0)
                } else {
                    exp.clone()
                },
            );
            set("maximumFractionDigits", exp);
            let format = js_sys::Intl::NumberFormat::new(&locales, &options).format();
            let plural = js_sys::Intl::PluralRules::new(&locales, &js_sys::Object::new());
            Intl {
                format,
                count,
                plural,
            }
        })
    }

    /// Makes the `Intl` objects now if they are not made yet; returns whether it did.
    pub fn warm(&self) -> bool {
        let cold = self.intl.get().is_none();
        self.intl();
        cold
    }

    pub fn count(&self, n: u32) -> String {
        self.intl()
            .count
            .call1(&JsValue::NULL, &JsValue::from(n))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| int(n.into()))
    }

    /// The CLDR plural category of `n` in the shop's language ("one", "few"…).
    pub fn plural_category(&self, n: u32) -> String {
        self.intl()
            .plural
            .select(f64::from(n))
            .as_string()
            .unwrap_or_else(|| "other".into())
    }

    pub fn format(&self, money: Money) -> String {
        let exact = money.to_decimal(self.currency);
        self.intl()
            .format
            .call1(&JsValue::NULL, &JsValue::from_str(&exact))
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| cat!(self.currency.code(), " ", exact))
    }
}

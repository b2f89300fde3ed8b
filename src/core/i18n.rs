//! UI text and writing direction. Owns the string tables per language, the `shop.strings`
//! overrides and the right-to-left rule; knows nothing of number formatting (the browser's
//! `Intl` does that in the DOM layer).

macro_rules! strings {
    ($($key:ident $name:literal { en: $en:literal, ar: $ar:literal })*) => {
        /// Every piece of UI text, by the name `shop.strings` uses to override it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key { $($key),* }

        const ALL: &[Key] = &[$(Key::$key),*];
        const NAMES: &[&str] = &[$($name),*];
        const EN: &[&str] = &[$($en),*];
        const AR: &[&str] = &[$($ar),*];
    };
}

strings! {
    AddToCart "add_to_cart" { en: "Add to cart", ar: "أضف إلى السلة" }
    Added "added" { en: "Added {title} to your cart", ar: "تمت إضافة {title} إلى السلة" }
    SoldOut "sold_out" { en: "Sold out", ar: "نفدت الكمية" }
    Unavailable "unavailable" { en: "No longer available", ar: "لم يعد متوفرًا" }
    Preorder "preorder" { en: "Pre-order", ar: "طلب مسبق" }
    InStock "in_stock" { en: "In stock", ar: "متوفر" }
    Cart "cart" { en: "Cart", ar: "السلة" }
    CartButton "cart_button" { en: "Cart {count} items", ar: "السلة {count} قطع" }
    Close "close" { en: "Close", ar: "إغلاق" }
    EmptyCart "empty_cart" { en: "Your cart is empty", ar: "سلتك فارغة" }
    Subtotal "subtotal" { en: "Subtotal", ar: "المجموع الفرعي" }
    Checkout "checkout" { en: "Checkout", ar: "إتمام الطلب" }
    CheckingOut "checking_out" { en: "Placing your order…", ar: "جارٍ إرسال طلبك…" }
    Increase "increase" { en: "Increase quantity of {title}", ar: "زيادة كمية {title}" }
    Decrease "decrease" { en: "Decrease quantity of {title}", ar: "تقليل كمية {title}" }
    Remove "remove" { en: "Remove {title}", ar: "إزالة {title}" }
    RemoveButton "remove_button" { en: "Remove", ar: "إزالة" }
    Quantity "quantity" { en: "Quantity", ar: "الكمية" }
    Option "option" { en: "Option", ar: "الخيار" }
    ViewProduct "view_product" { en: "View product", ar: "عرض المنتج" }
    OrderPlaced "order_placed" { en: "Thank you! Your order {id} is placed.", ar: "شكرًا لك! تم تأكيد طلبك رقم {id}." }
    CheckoutFailed "checkout_failed" { en: "We couldn't place your order. Please try again.", ar: "تعذّر إتمام طلبك. يُرجى المحاولة مرة أخرى." }
    TagLabel "tag_label" { en: "{title}, {price}", ar: "{title}، {price}" }
    ProductsInPost "products_in_post" { en: "Products in this post", ar: "المنتجات في هذا المنشور" }
    ReasonOutOfStock "reason_out_of_stock" { en: "Sold out", ar: "نفدت الكمية" }
    ReasonPriceChanged "reason_price_changed" { en: "Price changed", ar: "تغيّر السعر" }
    ReasonUnknownItem "reason_unknown_item" { en: "No longer available", ar: "لم يعد متوفرًا" }
    ReasonQuantity "reason_quantity" { en: "Quantity not available", ar: "الكمية المطلوبة غير متوفرة" }
    Previous "previous" { en: "Previous image", ar: "الصورة السابقة" }
    Next "next" { en: "Next image", ar: "الصورة التالية" }
    WhatsAppIntro "whatsapp_intro" { en: "Hello {shop}, I'd like to order:", ar: "مرحبًا {shop}، أودّ أن أطلب:" }
    WhatsAppSent "whatsapp_sent" { en: "Your order is ready to send on WhatsApp.", ar: "طلبك جاهز للإرسال عبر واتساب." }
    Page "page" { en: "From", ar: "من الصفحة" }
    ShowProducts "show_products" { en: "Show products", ar: "إظهار المنتجات" }
}

impl Key {
    pub fn from_name(name: &str) -> Option<Key> {
        let index = NAMES.iter().position(|n| *n == name)?;
        Some(ALL[index])
    }

    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }
}

/// Primary language subtags written right to left (SPEC §2).
const RTL_LANGUAGES: &[&str] = &["ar", "fa", "ur", "he", "ps", "sd", "ug", "yi", "dv"];

fn primary_language(locale: &str) -> String {
    locale
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

pub fn is_rtl(locale: &str) -> bool {
    RTL_LANGUAGES.contains(&primary_language(locale).as_str())
}

/// The resolved UI text of one shop: its language's table with `shop.strings` on top.
#[derive(Clone, Debug)]
pub struct Strings {
    table: Vec<String>,
}

impl Strings {
    /// `overrides` are already validated names (config refuses unknown ones).
    pub fn new(locale: &str, overrides: &[(String, String)]) -> Strings {
        let base = match primary_language(locale).as_str() {
            "ar" => AR,
            _ => EN,
        };
        let mut table: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
        for (name, text) in overrides {
            if let Some(key) = Key::from_name(name) {
                table[key as usize] = text.clone();
            }
        }
        Strings { table }
    }

    pub fn get(&self, key: Key) -> &str {
        &self.table[key as usize]
    }

    /// The string with each `{name}` replaced by its value. Values are inserted once, so a
    /// product title that itself contains `{price}` is not expanded again.
    pub fn fill(&self, key: Key, values: &[(&str, &str)]) -> String {
        let template = self.get(key);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return out;
            };
            let name = &after[..close];
            match values.iter().find(|(n, _)| *n == name) {
                Some((_, value)) => out.push_str(value),
                None => out.push_str(&rest[open..open + close + 2]),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete_and_names_round_trip() {
        assert_eq!(NAMES.len(), ALL.len());
        assert_eq!(EN.len(), ALL.len());
        assert_eq!(AR.len(), ALL.len());
        for (i, key) in ALL.iter().enumerate() {
            assert_eq!(*key as usize, i);
            assert_eq!(Key::from_name(key.name()), Some(*key));
        }
        assert_eq!(Key::from_name("nope"), None);
    }

    #[test]
    fn placeholders_match_between_languages() {
        let holes = |s: &str| {
            let mut v: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                .collect();
            v.sort();
            v
        };
        for i in 0..ALL.len() {
            assert_eq!(holes(EN[i]), holes(AR[i]), "{}", NAMES[i]);
        }
    }

    #[test]
    fn direction_follows_the_primary_language() {
        for rtl in [
            "ar", "ar-KW", "AR-sa", "fa-IR", "ur-PK", "he", "ps", "sd", "ug", "yi", "dv",
        ] {
            assert!(is_rtl(rtl), "{rtl}");
        }
        for ltr in ["en", "en-AE", "tr-TR", "id-ID", "ms-MY", "fr", "arn", ""] {
            assert!(!is_rtl(ltr), "{ltr}");
        }
    }

    #[test]
    fn language_table_then_overrides() {
        let ar = Strings::new("ar-KW", &[]);
        assert_eq!(ar.get(Key::AddToCart), "أضف إلى السلة");
        let en = Strings::new("tr-TR", &[("add_to_cart".into(), "Sepete ekle".into())]);
        assert_eq!(en.get(Key::AddToCart), "Sepete ekle");
        assert_eq!(en.get(Key::Checkout), "Checkout");
    }

    #[test]
    fn fill_replaces_each_placeholder_once() {
        let en = Strings::new("en", &[]);
        assert_eq!(
            en.fill(
                Key::TagLabel,
                &[("title", "Abaya {price}"), ("price", "KWD 25.500")]
            ),
            "Abaya {price}, KWD 25.500"
        );
        assert_eq!(en.fill(Key::Added, &[]), "Added {title} to your cart");
    }
}

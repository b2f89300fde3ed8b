//! UI text and writing direction. Owns the string tables per language, the language packs
//! made from them, the `shop.strings` overrides and the right-to-left rule; knows nothing of
//! number formatting (the browser's `Intl` does that in the DOM layer).
//!
//! Every table is written here, but only English is compiled into the shipped wasm: with the
//! `languages` feature off (the release build), the others go out as language packs,
//! `dist/i18n/<language>.json` made by `examples/lang_packs.rs` from these same tables. The
//! loader fetches a shop's pack alongside the wasm, so an English shop's shoppers do not
//! download seven other languages (2.4 KB brotli) and an Arabic shop's only Arabic. Native
//! and browser tests build with the feature on and see every table.

use crate::prelude::*;

macro_rules! strings {
    ($($key:ident $name:literal {
        en: $en:literal, ar: $ar:literal, fa: $fa:literal, ur: $ur:literal,
        tr: $tr:literal, id: $id:literal, ms: $ms:literal, fr: $fr:literal $(,)?
    })*) => {
        /// Every piece of UI text, by the name `shop.strings` uses to override it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Key { $($key),* }

        const ALL: &[Key] = &[$(Key::$key),*];
        const NAMES: &[&str] = &[$($name),*];
        /// The tables by primary language subtag; the first (English) is the fallback.
        #[cfg(feature = "languages")]
        const TABLES: &[(&str, &[&str])] = &[
            ("en", &[$($en),*]),
            ("ar", &[$($ar),*]),
            ("fa", &[$($fa),*]),
            ("ur", &[$($ur),*]),
            ("tr", &[$($tr),*]),
            ("id", &[$($id),*]),
            ("ms", &[$($ms),*]),
            ("fr", &[$($fr),*]),
        ];
        #[cfg(not(feature = "languages"))]
        const TABLES: &[(&str, &[&str])] = &[("en", &[$($en),*])];
    };
}

use super::json::Json;

/// The languages shipped as packs besides English. The loader keeps the same list (a test
/// compares them) so that it never asks for a pack that does not exist.
pub const PACKS: &[&str] = &["ar", "fa", "ur", "tr", "id", "ms", "fr"];

// Written as shops in each market word their UI, not word for word: Indonesian uses the
// casual "-mu" of Tokopedia and Shopee, Malay the "anda" of Malaysian shops, Turkish keeps
// nouns singular after numbers, French puts a no-break space before ":" and "!".
// `cart_button` has plural forms, `category:text` joined by "|", with the CLDR categories
// (zero, one, two, few, many, other) that `Intl.PluralRules` picks; Arabic uses all six.
strings! {
    AddToCart "add_to_cart" {
        en: "Add to cart",
        ar: "أضف إلى السلة",
        fa: "افزودن به سبد خرید",
        ur: "کارٹ میں شامل کریں",
        tr: "Sepete ekle",
        id: "Tambah ke keranjang",
        ms: "Tambah ke troli",
        fr: "Ajouter au panier",
    }
    Added "added" {
        en: "Added {title} to your cart",
        ar: "تمت إضافة {title} إلى السلة",
        fa: "{title} به سبد خرید اضافه شد",
        ur: "{title} کارٹ میں شامل کر دیا گیا",
        tr: "{title} sepetinize eklendi",
        id: "{title} sudah masuk keranjang",
        ms: "{title} telah ditambah ke troli anda",
        fr: "Ajouté au panier\u{a0}: {title}",
    }
    QuantityLimit "quantity_limit" {
        en: "The cart holds at most {count} of each item",
        ar: "تتسع السلة لـ {count} قطعة كحد أقصى من كل منتج",
        fa: "از هر کالا حداکثر {count} عدد را می‌توانید به سبد خرید اضافه کنید",
        ur: "کارٹ میں ہر آئٹم زیادہ سے زیادہ {count} کی تعداد میں رکھا جا سکتا ہے",
        tr: "Sepete her üründen en fazla {count} adet eklenebilir",
        id: "Maksimal {count} untuk setiap barang di keranjang",
        ms: "Troli boleh memuatkan paling banyak {count} bagi setiap item",
        fr: "Le panier peut contenir au plus {count}\u{a0}exemplaires de chaque article",
    }
    SoldOut "sold_out" {
        en: "Sold out",
        ar: "نفدت الكمية",
        fa: "ناموجود",
        ur: "اسٹاک ختم",
        tr: "Tükendi",
        id: "Stok habis",
        ms: "Habis dijual",
        fr: "Épuisé",
    }
    Unavailable "unavailable" {
        en: "No longer available",
        ar: "لم يعد متوفرًا",
        fa: "دیگر موجود نیست",
        ur: "اب دستیاب نہیں",
        tr: "Artık satışta değil",
        id: "Tidak tersedia lagi",
        ms: "Tidak lagi tersedia",
        fr: "Plus disponible",
    }
    Preorder "preorder" {
        en: "Pre-order",
        ar: "طلب مسبق",
        fa: "پیش‌سفارش",
        ur: "پری آرڈر",
        tr: "Ön sipariş",
        id: "Pre-order",
        ms: "Pra-pesanan",
        fr: "Précommande",
    }
    InStock "in_stock" {
        en: "In stock",
        ar: "متوفر",
        fa: "موجود",
        ur: "اسٹاک میں موجود",
        tr: "Stokta var",
        id: "Tersedia",
        ms: "Ada stok",
        fr: "En stock",
    }
    Cart "cart" {
        en: "Cart",
        ar: "السلة",
        fa: "سبد خرید",
        ur: "کارٹ",
        tr: "Sepet",
        id: "Keranjang",
        ms: "Troli",
        fr: "Panier",
    }
    CartButton "cart_button" {
        // Every form starts with the visible text, the `cart` string and the count (WCAG
        // 2.5.3), so a shop's own word for the cart is in the button's name too.
        en: "one:{cart} {count} item|other:{cart} {count} items",
        ar: "zero:{cart} {count}: فارغة|one:{cart} {count}: منتج واحد|two:{cart} {count}: منتجان|few:{cart} {count} منتجات|many:{cart} {count} منتجًا|other:{cart} {count} منتج",
        fa: "{cart} {count} کالا",
        ur: "one:{cart} {count} آئٹم|other:{cart} {count} آئٹمز",
        tr: "{cart} {count} ürün",
        id: "{cart} {count} barang",
        ms: "{cart} {count} item",
        fr: "one:{cart} {count} article|other:{cart} {count} articles",
    }
    Close "close" {
        en: "Close",
        ar: "إغلاق",
        fa: "بستن",
        ur: "بند کریں",
        tr: "Kapat",
        id: "Tutup",
        ms: "Tutup",
        fr: "Fermer",
    }
    EmptyCart "empty_cart" {
        en: "Your cart is empty",
        ar: "سلتك فارغة",
        fa: "سبد خرید شما خالی است",
        ur: "آپ کی کارٹ خالی ہے",
        tr: "Sepetiniz boş",
        id: "Keranjangmu masih kosong",
        ms: "Troli anda kosong",
        fr: "Votre panier est vide",
    }
    Subtotal "subtotal" {
        en: "Subtotal",
        ar: "المجموع الفرعي",
        fa: "جمع کالاها",
        ur: "سب ٹوٹل",
        tr: "Ara toplam",
        id: "Subtotal",
        ms: "Jumlah kecil",
        fr: "Sous-total",
    }
    Checkout "checkout" {
        en: "Checkout",
        ar: "إتمام الطلب",
        fa: "ثبت سفارش",
        ur: "چیک آؤٹ",
        tr: "Siparişi tamamla",
        id: "Checkout",
        ms: "Daftar keluar",
        fr: "Commander",
    }
    CheckoutWhatsApp "checkout_whatsapp" {
        en: "Order on WhatsApp",
        ar: "اطلب عبر واتساب",
        fa: "سفارش در واتساپ",
        ur: "واٹس ایپ پر آرڈر کریں",
        tr: "WhatsApp ile sipariş ver",
        id: "Pesan lewat WhatsApp",
        ms: "Pesan melalui WhatsApp",
        fr: "Commander sur WhatsApp",
    }
    CheckingOut "checking_out" {
        en: "Placing your order…",
        ar: "جارٍ إرسال طلبك…",
        fa: "در حال ثبت سفارش…",
        ur: "آپ کا آرڈر مکمل کیا جا رہا ہے…",
        tr: "Siparişiniz oluşturuluyor…",
        id: "Pesananmu sedang diproses…",
        ms: "Pesanan anda sedang diproses…",
        fr: "Validation de votre commande…",
    }
    Increase "increase" {
        en: "Increase quantity of {title}",
        ar: "زيادة كمية {title}",
        fa: "افزایش تعداد {title}",
        ur: "{title} کی تعداد بڑھائیں",
        tr: "{title} adedini artır",
        id: "Tambah jumlah {title}",
        ms: "Tambah kuantiti {title}",
        fr: "Augmenter la quantité\u{a0}: {title}",
    }
    Decrease "decrease" {
        en: "Decrease quantity of {title}",
        ar: "تقليل كمية {title}",
        fa: "کاهش تعداد {title}",
        ur: "{title} کی تعداد کم کریں",
        tr: "{title} adedini azalt",
        id: "Kurangi jumlah {title}",
        ms: "Kurangkan kuantiti {title}",
        fr: "Diminuer la quantité\u{a0}: {title}",
    }
    Remove "remove" {
        en: "Remove {title}",
        ar: "إزالة {title}",
        fa: "حذف {title}",
        ur: "{title} ہٹائیں",
        tr: "{title} ürününü kaldır",
        id: "Hapus {title}",
        ms: "Buang {title}",
        fr: "Retirer {title}",
    }
    Removed "removed" {
        en: "Removed {title} from your cart",
        ar: "تمت إزالة {title} من السلة",
        fa: "{title} از سبد خرید حذف شد",
        ur: "{title} کارٹ سے ہٹا دیا گیا",
        tr: "{title} sepetinizden çıkarıldı",
        id: "{title} sudah dihapus dari keranjang",
        ms: "{title} telah dikeluarkan daripada troli anda",
        fr: "Retiré du panier\u{a0}: {title}",
    }
    RemoveButton "remove_button" {
        en: "Remove",
        ar: "إزالة",
        fa: "حذف",
        ur: "ہٹائیں",
        tr: "Kaldır",
        id: "Hapus",
        ms: "Buang",
        fr: "Retirer",
    }
    Quantity "quantity" {
        en: "Quantity of {title}",
        ar: "كمية {title}",
        fa: "تعداد {title}",
        ur: "{title} کی تعداد",
        tr: "{title} adedi",
        id: "Jumlah {title}",
        ms: "Kuantiti {title}",
        fr: "Quantité\u{a0}: {title}",
    }
    Option "option" {
        en: "Option",
        ar: "الخيار",
        fa: "گزینه",
        ur: "انتخاب",
        tr: "Seçenek",
        id: "Pilihan",
        ms: "Pilihan",
        fr: "Option",
    }
    ViewProduct "view_product" {
        en: "View product",
        ar: "عرض المنتج",
        fa: "مشاهده محصول",
        ur: "پروڈکٹ دیکھیں",
        tr: "Ürünü incele",
        id: "Lihat produk",
        ms: "Lihat produk",
        fr: "Voir le produit",
    }
    // In right-to-left languages the id sits in bidi isolates (FSI … PDI; the status region
    // shows them as a `<bdi>`): an id like "o-1" read "1-o" in Arabic text. In the strings,
    // not the code, so English costs no wasm bytes; the same for the shop's name below.
    OrderPlaced "order_placed" {
        en: "Thank you! Your order {id} is placed.",
        ar: "شكرًا لك! استلمنا طلبك رقم \u{2068}{id}\u{2069}.",
        fa: "ممنون! سفارش شما با شماره \u{2068}{id}\u{2069} ثبت شد.",
        ur: "شکریہ! آپ کا آرڈر \u{2068}{id}\u{2069} موصول ہو گیا ہے۔",
        tr: "Teşekkürler! {id} numaralı siparişiniz alındı.",
        id: "Terima kasih! Pesanan {id} sudah kami terima.",
        ms: "Terima kasih! Pesanan {id} anda telah diterima.",
        fr: "Merci\u{a0}! Nous avons bien reçu votre commande {id}.",
    }
    CheckoutFailed "checkout_failed" {
        en: "We couldn't place your order. Please try again.",
        ar: "تعذّر إتمام طلبك. يُرجى المحاولة مرة أخرى.",
        fa: "ثبت سفارش انجام نشد. لطفاً دوباره تلاش کنید.",
        ur: "آپ کا آرڈر مکمل نہیں ہو سکا۔ براہ کرم دوبارہ کوشش کریں۔",
        tr: "Siparişiniz tamamlanamadı. Lütfen tekrar deneyin.",
        id: "Pesananmu gagal diproses. Silakan coba lagi.",
        ms: "Pesanan anda tidak berjaya. Sila cuba lagi.",
        fr: "Votre commande n’a pas pu aboutir. Veuillez réessayer.",
    }
    CheckoutRefused "checkout_refused" {
        en: "We couldn't place your order.",
        ar: "تعذّر إتمام طلبك.",
        fa: "ثبت سفارش انجام نشد.",
        ur: "آپ کا آرڈر مکمل نہیں ہو سکا۔",
        tr: "Siparişiniz tamamlanamadı.",
        id: "Pesananmu gagal diproses.",
        ms: "Pesanan anda tidak berjaya.",
        fr: "Votre commande n’a pas pu aboutir.",
    }
    TagLabel "tag_label" {
        en: "{title}, {price}",
        ar: "{title}، {price}",
        fa: "{title}، {price}",
        ur: "{title}، {price}",
        tr: "{title}, {price}",
        id: "{title}, {price}",
        ms: "{title}, {price}",
        fr: "{title}, {price}",
    }
    ProductsInPost "products_in_post" {
        en: "Products in this post",
        ar: "المنتجات في هذا المنشور",
        fa: "محصولات این پست",
        ur: "اس پوسٹ میں موجود پروڈکٹس",
        tr: "Bu gönderideki ürünler",
        id: "Produk di postingan ini",
        ms: "Produk dalam hantaran ini",
        fr: "Produits de cette publication",
    }
    ReasonOutOfStock "reason_out_of_stock" {
        en: "Sold out",
        ar: "نفدت الكمية",
        fa: "ناموجود",
        ur: "اسٹاک ختم",
        tr: "Tükendi",
        id: "Stok habis",
        ms: "Habis dijual",
        fr: "Épuisé",
    }
    ReasonPriceChanged "reason_price_changed" {
        en: "Price changed",
        ar: "تغيّر السعر",
        fa: "قیمت تغییر کرده است",
        ur: "قیمت تبدیل ہو گئی ہے",
        tr: "Fiyat değişti",
        id: "Harga berubah",
        ms: "Harga telah berubah",
        fr: "Le prix a changé",
    }
    ReasonUnknownItem "reason_unknown_item" {
        en: "No longer available",
        ar: "لم يعد متوفرًا",
        fa: "دیگر موجود نیست",
        ur: "اب دستیاب نہیں",
        tr: "Artık satışta değil",
        id: "Tidak tersedia lagi",
        ms: "Tidak lagi tersedia",
        fr: "Plus disponible",
    }
    ReasonQuantity "reason_quantity" {
        en: "Quantity not available",
        ar: "الكمية المطلوبة غير متوفرة",
        fa: "این تعداد موجود نیست",
        ur: "اتنی تعداد دستیاب نہیں",
        tr: "Yeterli stok yok",
        id: "Stok tidak mencukupi",
        ms: "Kuantiti tidak mencukupi",
        fr: "Quantité non disponible",
    }
    Previous "previous" {
        en: "Previous image",
        ar: "الصورة السابقة",
        fa: "تصویر قبلی",
        ur: "پچھلی تصویر",
        tr: "Önceki görsel",
        id: "Gambar sebelumnya",
        ms: "Gambar sebelumnya",
        fr: "Image précédente",
    }
    Next "next" {
        en: "Next image",
        ar: "الصورة التالية",
        fa: "تصویر بعدی",
        ur: "اگلی تصویر",
        tr: "Sonraki görsel",
        id: "Gambar berikutnya",
        ms: "Gambar seterusnya",
        fr: "Image suivante",
    }
    WhatsAppIntro "whatsapp_intro" {
        en: "Hello {shop}, I'd like to order:",
        ar: "مرحبًا \u{2068}{shop}\u{2069}، أودّ أن أطلب:",
        fa: "سلام \u{2068}{shop}\u{2069}، می‌خواهم این‌ها را سفارش بدهم:",
        ur: "السلام علیکم \u{2068}{shop}\u{2069}، مجھے یہ آرڈر کرنا ہے:",
        tr: "Merhaba {shop}, şunları sipariş etmek istiyorum:",
        id: "Halo {shop}, saya mau pesan:",
        ms: "Hai {shop}, saya ingin memesan:",
        fr: "Bonjour {shop}, je souhaite commander\u{a0}:",
    }
    WhatsAppSent "whatsapp_sent" {
        en: "Your order is ready to send on WhatsApp.",
        ar: "طلبك جاهز للإرسال عبر واتساب.",
        fa: "سفارش شما برای ارسال در واتساپ آماده است.",
        ur: "آپ کا آرڈر واٹس ایپ پر بھیجنے کے لیے تیار ہے۔",
        tr: "Siparişiniz WhatsApp'tan gönderilmeye hazır.",
        id: "Pesananmu siap dikirim lewat WhatsApp.",
        ms: "Pesanan anda sedia untuk dihantar melalui WhatsApp.",
        fr: "Votre commande est prête à être envoyée sur WhatsApp.",
    }
    Page "page" {
        en: "From",
        ar: "من الصفحة",
        fa: "از صفحه",
        ur: "صفحہ",
        tr: "Sayfa",
        id: "Dari halaman",
        ms: "Halaman",
        fr: "Page",
    }
    ShowProducts "show_products" {
        en: "Show products",
        ar: "إظهار المنتجات",
        fa: "نمایش محصولات",
        ur: "پروڈکٹس دکھائیں",
        tr: "Ürünleri göster",
        id: "Tampilkan produk",
        ms: "Tunjukkan produk",
        fr: "Afficher les produits",
    }
}

/// A language's pack: its table as the JSON object `shop.strings` takes, `None` for a
/// language without a table (or English, which is built in).
#[cfg(feature = "languages")]
pub fn pack(language: &str) -> Option<String> {
    let (_, table) = TABLES[1..].iter().find(|(l, _)| *l == language)?;
    let fields = NAMES
        .iter()
        .zip(table.iter())
        .map(|(n, t)| ((*n).to_owned(), Json::String((*t).to_owned())))
        .collect();
    Some(Json::Object(fields).to_text())
}

/// The strings of a language pack, to go under `shop.strings`. Names this build does not
/// know (a newer pack) and non-string values are skipped: a pack only ever adds text.
pub fn parse_pack(text: &str) -> Result<Vec<(String, String)>, String> {
    let Json::Object(fields) = Json::parse(text)? else {
        return Err("is not a JSON object".to_owned());
    };
    let mut out = Vec::new();
    for (name, value) in fields {
        if let Json::String(text) = value {
            if Key::from_name(&name).is_some() {
                out.push((name, text));
            }
        }
    }
    Ok(out)
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

/// The primary language subtag, lower case: `"UR_pk"` → `"ur"`.
pub fn primary_language(locale: &str) -> String {
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
    /// What follows a label before its value: French sets a no-break space before ":".
    colon: &'static str,
}

impl Strings {
    /// `overrides` are already validated names (config refuses unknown ones).
    pub fn new(locale: &str, overrides: &[(String, String)]) -> Strings {
        let language = primary_language(locale);
        let base = TABLES
            .iter()
            .find(|(l, _)| *l == language)
            .unwrap_or(&TABLES[0])
            .1;
        let mut table = Vec::with_capacity(base.len());
        for s in base {
            table.push(String::from(*s));
        }
        for (name, text) in overrides {
            if let Some(key) = Key::from_name(name) {
                table[key as usize] = text.clone();
            }
        }
        let colon = if language == "fr" { "\u{a0}: " } else { ": " };
        Strings { table, colon }
    }

    /// `label: ` in the language's typography, for "Subtotal: 51.000 KWD" lines.
    pub fn colon(&self) -> &str {
        self.colon
    }

    pub fn get(&self, key: Key) -> &str {
        &self.table[key as usize]
    }

    /// A plural string's form for a CLDR plural category (`Intl.PluralRules` picks it),
    /// filled like `fill`. Forms are `category:text` joined by `|`; `other`, or a form
    /// without a category, is the fallback, so a plain override works for every count.
    pub fn plural(&self, key: Key, category: &str, values: &[(&str, &str)]) -> String {
        let text = self.get(key);
        let mut fallback = text;
        let mut chosen = None;
        for form in super::split(text, '|') {
            match super::split_once(form, ':') {
                Some((c, t)) if PLURAL_CATEGORIES.contains(&c) => {
                    if c == category {
                        chosen = Some(t);
                    }
                    if c == "other" {
                        fallback = t;
                    }
                }
                _ => fallback = form,
            }
        }
        fill(chosen.unwrap_or(fallback), values)
    }

    /// The string with each `{name}` replaced by its value. Values are inserted once, so a
    /// product title that itself contains `{price}` is not expanded again.
    pub fn fill(&self, key: Key, values: &[(&str, &str)]) -> String {
        fill(self.get(key), values)
    }
}

/// Text from the shop (a product title) set inside one of our sentences, wrapped in Unicode
/// bidi isolates (FSI … PDI, UAX #9): a Latin title in an Arabic sentence, or an Arabic one
/// in an English sentence, keeps its own order and does not pull the sentence's
/// punctuation and numbers around it. The marks are invisible. Used for text people read
/// as a line: the WhatsApp order keeps them; the status message turns each isolated run
/// into a `<bdi>` (`dom::set_isolated_text`); elements of their own use `dir="auto"`.
pub fn isolate(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 6);
    out.push('\u{2068}');
    out.push_str(text);
    out.push('\u{2069}');
    out
}

const PLURAL_CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // `split_once`, not `&rest[a..b]`: the only str indexing left in the wasm pulled in
    // core's slice-error formatting (char and range `Debug`), 3.8 KB of it.
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some((before, after)) = super::split_once(rest, '{') {
        out.push_str(before);
        let Some((name, tail)) = super::split_once(after, '}') else {
            out.push('{');
            out.push_str(after);
            return out;
        };
        match values.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_complete_and_names_round_trip() {
        for (language, table) in TABLES {
            assert_eq!(table.len(), ALL.len(), "{language}");
            for (i, text) in table.iter().enumerate() {
                assert!(!text.trim().is_empty(), "{language} {}", NAMES[i]);
            }
        }
        for (i, key) in ALL.iter().enumerate() {
            assert_eq!(*key as usize, i);
            assert_eq!(Key::from_name(key.name()), Some(*key));
        }
        assert_eq!(Key::from_name("nope"), None);
    }

    fn holes(s: &str) -> Vec<String> {
        let mut v: Vec<String> = s
            .split('{')
            .skip(1)
            .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    #[test]
    fn placeholders_match_between_languages() {
        for (language, table) in TABLES {
            for i in 0..ALL.len() {
                assert_eq!(
                    holes(TABLES[0].1[i]),
                    holes(table[i]),
                    "{language} {}",
                    NAMES[i]
                );
            }
        }
    }

    #[test]
    fn every_plural_form_names_a_category_and_keeps_the_count() {
        for (language, table) in TABLES {
            let text = table[Key::CartButton as usize];
            for form in text.split('|') {
                let body = match form.split_once(':') {
                    Some((c, body)) => {
                        assert!(PLURAL_CATEGORIES.contains(&c), "{language}: {c}");
                        body
                    }
                    None => form,
                };
                // The visible text and count are the accessible name's start (WCAG 2.5.3).
                assert!(body.starts_with("{cart} {count}"), "{language}: {form}");
            }
        }
    }

    #[test]
    fn plural_forms_follow_the_category() {
        let en = Strings::new("en", &[]);
        let n = |s: &Strings, c, count| {
            s.plural(
                Key::CartButton,
                c,
                &[("count", count), ("cart", s.get(Key::Cart))],
            )
        };
        assert_eq!(n(&en, "one", "1"), "Cart 1 item");
        assert_eq!(n(&en, "other", "2"), "Cart 2 items");
        assert_eq!(
            n(&en, "few", "3"),
            "Cart 3 items",
            "unknown to English: other"
        );
        let ar = Strings::new("ar-KW", &[]);
        assert_eq!(n(&ar, "few", "٣"), "السلة ٣ منتجات");
        assert_eq!(n(&ar, "many", "١١"), "السلة ١١ منتجًا");
        assert_eq!(n(&ar, "other", "١٠٠"), "السلة ١٠٠ منتج");
        let tr = Strings::new("tr-TR", &[]);
        assert_eq!(n(&tr, "one", "1"), "Sepet 1 ürün");
        assert_eq!(n(&tr, "other", "5"), "Sepet 5 ürün");
        // A plain override is used for every count; a plural override is split.
        let plain = Strings::new("en", &[("cart_button".into(), "Bag ({count})".into())]);
        assert_eq!(n(&plain, "one", "1"), "Bag (1)");
        let forms = Strings::new(
            "en",
            &[(
                "cart_button".into(),
                "one:{count} piece|other:{count} pieces".into(),
            )],
        );
        assert_eq!(n(&forms, "one", "1"), "1 piece");
        assert_eq!(n(&forms, "many", "50"), "50 pieces");
        // The shop's own word for the cart, given alone, is in the button's name too.
        let bag = Strings::new("en", &[("cart".into(), "Bag".into())]);
        assert_eq!(n(&bag, "other", "2"), "Bag 2 items");
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
    fn language_table_then_overrides_then_english() {
        let ar = Strings::new("ar-KW", &[]);
        assert_eq!(ar.get(Key::AddToCart), "أضف إلى السلة");
        for (locale, add) in [
            ("fa-IR", "افزودن به سبد خرید"),
            ("ur-PK", "کارٹ میں شامل کریں"),
            ("tr-TR", "Sepete ekle"),
            ("id-ID", "Tambah ke keranjang"),
            ("ms-MY", "Tambah ke troli"),
            ("fr-MA", "Ajouter au panier"),
        ] {
            assert_eq!(
                Strings::new(locale, &[]).get(Key::AddToCart),
                add,
                "{locale}"
            );
        }
        let tr = Strings::new("tr-TR", &[("add_to_cart".into(), "Sepete at".into())]);
        assert_eq!(tr.get(Key::AddToCart), "Sepete at");
        assert_eq!(tr.get(Key::Checkout), "Siparişi tamamla");
        // A language without a table falls back to English.
        assert_eq!(Strings::new("sw-KE", &[]).get(Key::Checkout), "Checkout");
    }

    #[test]
    fn a_pack_over_english_is_the_language() {
        let languages: Vec<&str> = TABLES[1..].iter().map(|(l, _)| *l).collect();
        assert_eq!(languages, PACKS);
        for language in PACKS {
            let pack = parse_pack(&pack(language).unwrap()).unwrap();
            assert_eq!(pack.len(), ALL.len(), "{language}");
            let packed = Strings::new(language, &pack);
            let built_in = Strings::new(language, &[]);
            for key in ALL {
                assert_eq!(packed.get(*key), built_in.get(*key), "{language}");
            }
        }
        assert_eq!(pack("en"), None, "English is built in");
        assert_eq!(pack("sw"), None);
    }

    #[test]
    fn the_loader_asks_for_the_packs_there_are() {
        let loader = include_str!("../../www/shoppable.js");
        let list = format!("/^({})$/", PACKS.join("|"));
        assert!(loader.contains(&list), "www/shoppable.js must list {list}");
    }

    #[test]
    fn a_pack_only_adds_known_strings() {
        let pack = parse_pack(r#"{"close":"Sluiten","from_the_future":"x","checkout":3}"#);
        assert_eq!(pack.unwrap(), [("close".to_owned(), "Sluiten".to_owned())]);
        assert_eq!(parse_pack("[]").unwrap_err(), "is not a JSON object");
        assert!(parse_pack("{").is_err());
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

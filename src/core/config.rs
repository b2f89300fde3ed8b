//! Config v1 (SPEC §2, §7): parsed once from JSON into checked types, so that no other code
//! re-validates. Every error names its JSON path (`config.products[2].price`) and the reason.
//! Unknown fields are errors too: a typo in a brand's config must not be silently ignored.

use crate::prelude::*;

use ::core::fmt;

use super::json::Json;
use super::json::{int, quoted};

use super::i18n::Key;
use super::money::{Currency, Money};
use super::url::UrlRef;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub reason: String,
}

impl ConfigError {
    /// `path: reason`, as the widget reports it.
    pub fn message(&self) -> String {
        cat!(self.path, ": ", self.reason)
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Boxed: every `?` in the parser then moves one pointer instead of two `String`s
/// (−0.6 KB brotli of wasm over the parser's ~100 `?`s).
type Result<T> = ::core::result::Result<T, Box<ConfigError>>;

fn err<T>(path: &str, reason: impl Into<String>) -> Result<T> {
    Err(error(path.to_owned(), reason.into()))
}

/// The error for a path the caller has already built.
fn error(path: String, reason: String) -> Box<ConfigError> {
    Box::new(ConfigError { path, reason })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Availability {
    InStock,
    OutOfStock,
    Preorder,
    AvailableForOrder,
    Discontinued,
}

impl Availability {
    const WORDS: [(&'static str, Availability); 5] = [
        ("in stock", Availability::InStock),
        ("out of stock", Availability::OutOfStock),
        ("preorder", Availability::Preorder),
        ("available for order", Availability::AvailableForOrder),
        ("discontinued", Availability::Discontinued),
    ];

    pub fn from_word(word: &str) -> Option<Availability> {
        Self::WORDS
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, a)| *a)
    }

    pub fn word(self) -> &'static str {
        Self::WORDS
            .iter()
            .find(|(_, a)| *a == self)
            .map_or("", |(w, _)| w)
    }

    /// Only these can go in the cart (SPEC §2).
    pub fn is_purchasable(self) -> bool {
        matches!(
            self,
            Availability::InStock | Availability::Preorder | Availability::AvailableForOrder
        )
    }
}

/// A number in 0..=1: a fraction of an image's natural width or height.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Fraction(f64);

impl Fraction {
    pub fn new(value: f64) -> Option<Fraction> {
        (0.0..=1.0).contains(&value).then_some(Fraction(value))
    }
    pub fn get(self) -> f64 {
        self.0
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digits {
    Latn,
    Arab,
}

impl Digits {
    /// The `Intl` numbering system for a shop in `locale`. `arab` asks for Eastern Arabic
    /// digits, which Persian, Urdu, Pashto and Sindhi write in their own forms (۴۵۶,
    /// CLDR `arabext`), not Arabic's (٤٥٦, `arab`).
    pub fn numbering_system(self, locale: &str) -> &'static str {
        match self {
            Digits::Latn => "latn",
            Digits::Arab
                if ["fa", "ur", "ps", "sd"]
                    .contains(&super::i18n::primary_language(locale).as_str()) =>
            {
                "arabext"
            }
            Digits::Arab => "arab",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credentials {
    Omit,
    SameOrigin,
    Include,
}

impl Credentials {
    pub fn word(self) -> &'static str {
        match self {
            Credentials::Omit => "omit",
            Credentials::SameOrigin => "same-origin",
            Credentials::Include => "include",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum CheckoutMode {
    Endpoint(UrlRef),
    WhatsApp,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CheckoutSettings {
    pub mode: CheckoutMode,
    pub headers: Vec<(String, String)>,
    pub credentials: Credentials,
    pub timeout_ms: u32,
    pub max_attempts: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shop {
    pub name: String,
    pub currency: Currency,
    pub locale: String,
    /// Digits only, no `+`: what `wa.me/` takes.
    pub whatsapp: Option<String>,
    pub strings: Vec<(String, String)>,
    pub digits: Option<Digits>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub id: String,
    pub title: String,
    pub price: Money,
    pub compare_at_price: Option<Money>,
    pub availability: Availability,
    pub image: Option<UrlRef>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Product {
    pub id: String,
    pub title: String,
    pub price: Money,
    pub compare_at_price: Option<Money>,
    pub image: Option<UrlRef>,
    pub url: Option<UrlRef>,
    pub availability: Availability,
    pub variants: Vec<Variant>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tag {
    /// Index into `Config::products`, checked at parse time.
    pub product: usize,
    pub x: Fraction,
    pub y: Fraction,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Media {
    pub image: UrlRef,
    pub alt: String,
    /// The image's natural size, when the config gives it: container mounts reserve the
    /// space (`width`/`height` attributes) so a late image load shifts nothing on the page.
    pub size: Option<(u32, u32)>,
    /// In reading order for the shop's direction (`geometry::reading_order`), whatever the
    /// config's order: tags become buttons in this order (Tab, screen readers).
    pub tags: Vec<Tag>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Post {
    pub id: String,
    pub caption: String,
    pub media: Vec<Media>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub shop: Shop,
    pub checkout: CheckoutSettings,
    pub products: Vec<Product>,
    pub posts: Vec<Post>,
    pub data_layer: bool,
    /// A validated `#rgb`/`#rrggbb`/`#rrggbbaa` colour, safe to put in CSS.
    pub accent: Option<String>,
    /// `theme.tags`: whether a post's tags show before the shopper presses "shop this
    /// post" (`"shown"`, the default) or only after (`"hidden"`).
    pub tags_hidden: bool,
    /// Item ids, sorted for binary search: (id, (product, variant)).
    items: Vec<(String, (usize, Option<usize>))>,
    /// Indices of `posts`, sorted by post id for binary search (`post`).
    post_order: Vec<usize>,
}

/// Where `id` is in the sorted item table: its (product, variant), or where it would go.
fn find_item(
    items: &[(String, (usize, Option<usize>))],
    id: &str,
) -> ::core::result::Result<(usize, Option<usize>), usize> {
    items
        .binary_search_by(|(known, _)| known.as_str().cmp(id))
        .map(|at| items[at].1)
}

/// Where the post `id` is in `order` (indices of `posts` sorted by id), or where it would go.
fn find_post(posts: &[Post], order: &[usize], id: &str) -> ::core::result::Result<usize, usize> {
    order.binary_search_by(|&k| posts[k].id.as_str().cmp(id))
}

/// A purchasable item: a variant, or a product without variants (SPEC §2).
#[derive(Clone, Copy, Debug)]
pub struct Item<'a> {
    pub product: &'a Product,
    pub variant: Option<&'a Variant>,
}

impl<'a> Item<'a> {
    pub fn item_id(&self) -> &'a str {
        self.variant.map_or(&self.product.id, |v| &v.id)
    }
    pub fn variant_id(&self) -> Option<&'a str> {
        self.variant.map(|v| v.id.as_str())
    }
    pub fn price(&self) -> Money {
        self.variant.map_or(self.product.price, |v| v.price)
    }
    /// The variant's own compare-at price, else the product's, as variants inherit price and
    /// availability. The card strikes it through only when it is above `price()`.
    pub fn compare_at_price(&self) -> Option<Money> {
        self.variant
            .and_then(|v| v.compare_at_price)
            .or(self.product.compare_at_price)
    }
    pub fn availability(&self) -> Availability {
        self.variant
            .map_or(self.product.availability, |v| v.availability)
    }
    /// "Classic abaya — 52" for a variant, the product title otherwise.
    pub fn title(&self) -> String {
        match self.variant {
            Some(v) => cat!(self.product.title, " — ", v.title),
            None => self.product.title.clone(),
        }
    }
    pub fn image(&self) -> Option<&'a UrlRef> {
        self.variant
            .and_then(|v| v.image.as_ref())
            .or(self.product.image.as_ref())
    }
}

impl Config {
    /// Whether every price in the catalog is a whole amount (no minor units), as in most
    /// IDR, PKR, TRY or AED shops: prices are then shown without decimals ("Rp 1.250.000",
    /// not "Rp 1.250.000,00"). One price with cents shows every price with them.
    pub fn whole_prices(&self) -> bool {
        let unit = 10i64.pow(u32::from(self.shop.currency.exponent()));
        let whole = |m: &Money| m.0 % unit == 0;
        self.products.iter().all(|p| {
            whole(&p.price)
                && p.compare_at_price.as_ref().is_none_or(whole)
                && p.variants
                    .iter()
                    .all(|v| whole(&v.price) && v.compare_at_price.as_ref().is_none_or(whole))
        })
    }

    pub fn parse(text: &str) -> Result<Config> {
        let value = match Json::parse(text) {
            Ok(v) => v,
            Err(e) => return err("config", cat!("is not valid JSON (", e, ")")),
        };
        parse_config(&value)
    }

    /// The purchasable item with this id (SPEC §2): a variant, or a product that has no
    /// variants. A product with variants is not itself an item: its id is claimed (ids are
    /// unique across products and variants) but cannot be added or ordered.
    pub fn item(&self, item_id: &str) -> Option<Item<'_>> {
        let (p, v) = find_item(&self.items, item_id).ok()?;
        let product = &self.products[p];
        if v.is_none() && !product.variants.is_empty() {
            return None;
        }
        Some(Item {
            product,
            variant: v.map(|v| &product.variants[v]),
        })
    }

    /// The item a product's card starts on: the first purchasable variant, else the first.
    pub fn default_item(&self, product: usize) -> Item<'_> {
        let product = &self.products[product];
        let variant = product
            .variants
            .iter()
            .find(|v| v.availability.is_purchasable())
            .or(product.variants.first());
        Item { product, variant }
    }

    /// Binary search in `post_order`: a page of N mounts looks its posts up in N log N,
    /// where a scan of the list made `start` quadratic (1000 mounts: 500,000 comparisons).
    pub fn post(&self, id: &str) -> Option<&Post> {
        let at = find_post(&self.posts, &self.post_order, id).ok()?;
        Some(&self.posts[self.post_order[at]])
    }
}

/// A key given twice in one object is a mistake whose first value would be dropped unseen
/// (`JSON.parse` keeps the last): an error, as an unknown field is. Compared without ASCII
/// case, since header names (`checkout.headers`) are case-insensitive; field and string
/// names are lower case, so this refuses nothing more there.
fn once_each(path: &str, map: &[(String, Json)]) -> Result<()> {
    for (i, (key, _)) in map.iter().enumerate() {
        let before = map.get(..i).unwrap_or_default();
        if before.iter().any(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return err(&cat!(path, ".", key), "is given twice");
        }
    }
    Ok(())
}

/// An object being read, with its path and the keys it may have.
struct Fields<'a> {
    path: String,
    map: &'a [(String, Json)],
}

impl<'a> Fields<'a> {
    fn new(value: &'a Json, path: String, allowed: &[&str]) -> Result<Fields<'a>> {
        let Json::Object(map) = value else {
            return err(&path, cat!("expected an object, found ", kind(value)));
        };
        if let Some((key, _)) = map.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            // Not `join`: the standard library's generic join is 1 KB of wasm for this one use.
            let mut reason = String::from("unknown field (expected one of: ");
            for (i, name) in allowed.iter().enumerate() {
                if i > 0 {
                    reason.push_str(", ");
                }
                reason.push_str(name);
            }
            reason.push(')');
            return err(&cat!(path, ".", key), reason);
        }
        once_each(&path, map)?;
        Ok(Fields { path, map })
    }

    fn path(&self, key: &str) -> String {
        cat!(self.path, ".", key)
    }

    /// The field's value; `null` counts as absent. (Keys are unique: see `new`.)
    fn get(&self, key: &str) -> Option<&'a Json> {
        self.map
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| !matches!(v, Json::Null))
    }

    fn required(&self, key: &str) -> Result<&'a Json> {
        match self.get(key) {
            Some(v) => Ok(v),
            None => err(&self.path(key), "is required"),
        }
    }

    fn text(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::String(s)) => Ok(Some(s)),
            Some(other) => err(
                &self.path(key),
                cat!("expected a string, found ", kind(other)),
            ),
        }
    }

    fn required_text(&self, key: &str) -> Result<&'a str> {
        match self.text(key)? {
            Some(s) if !s.chars().all(char::is_whitespace) => Ok(s),
            Some(_) => err(&self.path(key), "is empty"),
            None => err(&self.path(key), "is required"),
        }
    }

    fn id(&self, key: &str) -> Result<String> {
        let id = self.required_text(key)?;
        if id.len() > 128 || id.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return err(
                &self.path(key),
                cat!(
                    quoted(id),
                    " is not a valid id (at most 128 characters, no spaces)"
                ),
            );
        }
        Ok(id.to_owned())
    }

    fn money(&self, key: &str, currency: Currency) -> Result<Option<Money>> {
        let Some(text) = self.text(key)? else {
            return match self.get(key) {
                None => Ok(None),
                // `text()` refuses non-strings.
                Some(_) => unreachable!(),
            };
        };
        Money::parse(text, currency)
            .map(Some)
            .map_err(|e| error(self.path(key), e.describe(text, currency)))
    }

    fn url(&self, key: &str) -> Result<Option<UrlRef>> {
        match self.text(key)? {
            None => Ok(None),
            Some(text) => UrlRef::parse(text)
                .map(Some)
                .map_err(|reason| error(self.path(key), reason)),
        }
    }

    fn availability(&self, key: &str) -> Result<Option<Availability>> {
        match self.text(key)? {
            None => Ok(None),
            Some(word) => match Availability::from_word(word) {
                Some(a) => Ok(Some(a)),
                None => err(
                    &self.path(key),
                    cat!(quoted(word), " is not one of \"in stock\", \"out of stock\", \"preorder\", \"available for order\", \"discontinued\""),
                ),
            },
        }
    }

    fn integer(&self, key: &str, range: ::core::ops::RangeInclusive<u32>) -> Result<Option<u32>> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        match value.as_u64().and_then(|n| u32::try_from(n).ok()) {
            Some(n) if range.contains(&n) => Ok(Some(n)),
            _ => err(
                &self.path(key),
                cat!(
                    show(value),
                    " is not a whole number in ",
                    int((*range.start()).into()),
                    "..=",
                    int((*range.end()).into())
                ),
            ),
        }
    }

    fn fraction(&self, key: &str) -> Result<Fraction> {
        let value = self.required(key)?;
        let f = match value {
            Json::Number(f) => *f,
            other => {
                return err(
                    &self.path(key),
                    cat!("expected a number, found ", kind(other)),
                )
            }
        };
        Fraction::new(f)
            .ok_or_else(|| error(self.path(key), cat!(show(value), " is outside 0..=1")))
    }

    fn boolean(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Json::Bool(b)) => Ok(Some(*b)),
            Some(other) => err(
                &self.path(key),
                cat!("expected true or false, found ", kind(other)),
            ),
        }
    }

    fn array(&self, key: &str) -> Result<&'a [Json]> {
        match self.get(key) {
            None => Ok(&[]),
            Some(Json::Array(a)) => Ok(a),
            Some(other) => err(
                &self.path(key),
                cat!("expected an array, found ", kind(other)),
            ),
        }
    }

    /// An object of string values, e.g. `headers` or `strings`.
    fn string_map(&self, key: &str) -> Result<Vec<(String, String)>> {
        let Some(value) = self.get(key) else {
            return Ok(Vec::new());
        };
        let Json::Object(map) = value else {
            return err(
                &self.path(key),
                cat!("expected an object, found ", kind(value)),
            );
        };
        once_each(&self.path(key), map)?;
        // Loops rather than iterator adapters here and in the cart, checkout and analytics
        // code: each adapter chain is its own copy of the adapters' code in the wasm.
        let mut out = Vec::with_capacity(map.len());
        for (k, v) in map {
            match v {
                Json::String(s) => out.push((k.clone(), s.clone())),
                other => {
                    return err(
                        &cat!(self.path(key), ".", k),
                        cat!("expected a string, found ", kind(other)),
                    )
                }
            }
        }
        Ok(out)
    }
}

fn kind(value: &Json) -> &'static str {
    match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) | Json::Decimal(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// A value as the brand wrote it, for error messages.
fn show(value: &Json) -> String {
    value.to_text()
}

fn parse_config(value: &Json) -> Result<Config> {
    let root = Fields::new(
        value,
        "config".into(),
        &[
            "version",
            "shop",
            "checkout",
            "products",
            "posts",
            "analytics",
            "theme",
        ],
    )?;
    match root.get("version") {
        Some(v) if v.as_u64() == Some(1) => {}
        Some(other) => {
            return err(
                "config.version",
                cat!(show(other), " is not a supported version (expected 1)"),
            )
        }
        None => return err("config.version", "is required (expected 1)"),
    }
    let shop = parse_shop(&Fields::new(
        root.required("shop")?,
        root.path("shop"),
        &[
            "name", "currency", "locale", "whatsapp", "strings", "digits",
        ],
    )?)?;
    let checkout = parse_checkout(root.get("checkout"), &shop)?;

    let mut items: Vec<(String, (usize, Option<usize>))> = Vec::new();
    let mut products = Vec::new();
    for (i, value) in root.array("products")?.iter().enumerate() {
        let product = parse_product(
            value,
            cat!("config.products[", int(i as u64), "]"),
            shop.currency,
        )?;
        let mut claim = |id: &str, path: String, entry| match find_item(&items, id) {
            Ok(_) => err(&path, cat!(quoted(id), " is a duplicate id")),
            Err(at) => {
                items.insert(at, (id.to_owned(), entry));
                Ok(())
            }
        };
        // Product ids and variant ids share one namespace: an `item_id` must name one thing.
        claim(
            &product.id,
            cat!("config.products[", int(i as u64), "].id"),
            (i, None),
        )?;
        for (j, v) in product.variants.iter().enumerate() {
            claim(
                &v.id,
                cat!(
                    "config.products[",
                    int(i as u64),
                    "].variants[",
                    int(j as u64),
                    "].id"
                ),
                (i, Some(j)),
            )?;
        }
        products.push(product);
    }

    let mut posts: Vec<Post> = Vec::new();
    let mut post_order = Vec::new();
    let rtl = super::i18n::is_rtl(&shop.locale);
    for (i, value) in root.array("posts")?.iter().enumerate() {
        let post = parse_post(
            value,
            cat!("config.posts[", int(i as u64), "]"),
            &items,
            rtl,
        )?;
        match find_post(&posts, &post_order, &post.id) {
            Ok(_) => {
                return err(
                    &cat!("config.posts[", int(i as u64), "].id"),
                    cat!(quoted(&post.id), " is a duplicate id"),
                )
            }
            Err(at) => post_order.insert(at, i),
        }
        posts.push(post);
    }

    let data_layer = match root.get("analytics") {
        None => false,
        Some(v) => Fields::new(v, root.path("analytics"), &["data_layer"])?
            .boolean("data_layer")?
            .unwrap_or(false),
    };
    let (mut accent, mut tags_hidden) = (None, false);
    if let Some(v) = root.get("theme") {
        let theme = Fields::new(v, root.path("theme"), &["accent", "tags"])?;
        match theme.text("accent")? {
            None => {}
            Some(c) if is_hex_colour(c) => accent = Some(c.to_owned()),
            Some(c) => {
                return err(
                    &theme.path("accent"),
                    cat!(quoted(c), " is not a colour like \"#0b6e4f\""),
                )
            }
        }
        match theme.text("tags")? {
            None | Some("shown") => {}
            Some("hidden") => tags_hidden = true,
            Some(other) => {
                return err(
                    &theme.path("tags"),
                    cat!(quoted(other), " is not \"shown\" or \"hidden\""),
                )
            }
        }
    }

    Ok(Config {
        shop,
        checkout,
        products,
        posts,
        data_layer,
        accent,
        tags_hidden,
        items,
        post_order,
    })
}

fn is_hex_colour(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

/// A BCP 47 tag's shape (`ar`, `ar-KW`, `zh-Hant-TW`); `Intl` resolves the rest.
fn is_locale(tag: &str) -> bool {
    let mut parts = super::split(tag, '-');
    let lang = parts.next().unwrap_or("");
    (2..=3).contains(&lang.len())
        && lang.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn parse_shop(shop: &Fields<'_>) -> Result<Shop> {
    let name = shop.required_text("name")?.to_owned();
    let code = shop.required_text("currency")?;
    let Some(currency) = Currency::from_code(code) else {
        return err(
            &shop.path("currency"),
            cat!(quoted(code), " is not an ISO 4217 currency code"),
        );
    };
    let locale = shop.text("locale")?.unwrap_or("en");
    if !is_locale(locale) {
        return err(
            &shop.path("locale"),
            cat!(
                quoted(locale),
                " is not a BCP 47 language tag like \"ar-KW\""
            ),
        );
    }
    let whatsapp = match shop.text("whatsapp")? {
        None => None,
        Some(number) => Some(whatsapp_digits(number).ok_or_else(|| {
            error(
                shop.path("whatsapp"),
                cat!(
                    quoted(number),
                    " is not an international phone number like \"+96550000000\""
                ),
            )
        })?),
    };
    let strings = shop.string_map("strings")?;
    if let Some((name, _)) = strings.iter().find(|(n, _)| Key::from_name(n).is_none()) {
        return err(
            &cat!(shop.path("strings"), ".", name),
            "is not a UI string name",
        );
    }
    let digits = match shop.text("digits")? {
        None => None,
        Some("latn") => Some(Digits::Latn),
        Some("arab") => Some(Digits::Arab),
        Some(other) => {
            return err(
                &shop.path("digits"),
                cat!(quoted(other), " is not \"latn\" or \"arab\""),
            )
        }
    };
    Ok(Shop {
        name,
        currency,
        locale: locale.to_owned(),
        whatsapp,
        strings,
        digits,
    })
}

/// `+965 5000-0000` → `96550000000`: E.164, so a country code, 8 to 15 digits.
fn whatsapp_digits(number: &str) -> Option<String> {
    // ASCII trim, like the spaces allowed inside the number.
    let rest = number.trim_ascii().strip_prefix('+')?;
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'))
    {
        return None;
    }
    let mut digits = String::new();
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        }
    }
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then_some(digits)
}

/// A byte of an HTTP header name: RFC 9110's `tchar`.
// `any`, not `contains`: on a byte slice that is std's `memchr` (~0.3 KB of wasm).
#[allow(clippy::manual_contains)]
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".iter().any(|&t| t == b)
}

fn parse_checkout(value: Option<&Json>, shop: &Shop) -> Result<CheckoutSettings> {
    let empty = Json::Object(Vec::new());
    let f = Fields::new(
        value.unwrap_or(&empty),
        "config.checkout".into(),
        &[
            "mode",
            "endpoint",
            "headers",
            "credentials",
            "timeout_ms",
            "max_attempts",
        ],
    )?;
    let mode = match f.text("mode")?.unwrap_or("endpoint") {
        "endpoint" => match f.url("endpoint")? {
            Some(url) => CheckoutMode::Endpoint(url),
            None => {
                return err(
                    &f.path("endpoint"),
                    "is required when checkout.mode is \"endpoint\"",
                )
            }
        },
        "whatsapp" => {
            if shop.whatsapp.is_none() {
                return err(
                    "config.shop.whatsapp",
                    "is required when checkout.mode is \"whatsapp\"",
                );
            }
            CheckoutMode::WhatsApp
        }
        other => {
            return err(
                &f.path("mode"),
                cat!(quoted(other), " is not \"endpoint\" or \"whatsapp\""),
            )
        }
    };
    let headers = f.string_map("headers")?;
    for (name, value) in &headers {
        let token = !name.is_empty() && name.bytes().all(is_tchar);
        let reason = if !token || value.chars().any(|c| c.is_control() || u32::from(c) > 0xFF) {
            // A value is a byte string (`Headers.set` throws on a character past U+00FF)
            // with no control characters.
            "is not a valid HTTP header"
        } else if matches!(
            name.to_ascii_lowercase().as_str(),
            "idempotency-key" | "content-type"
        ) {
            // The protocol's own: a fixed key would make every later cart a replay of the
            // first order (SPEC §6), and the body is always JSON.
            "is set by the widget itself"
        } else {
            continue;
        };
        return err(&cat!("config.checkout.headers.", name), reason);
    }
    let credentials = match f.text("credentials")?.unwrap_or("same-origin") {
        "omit" => Credentials::Omit,
        "same-origin" => Credentials::SameOrigin,
        "include" => Credentials::Include,
        other => {
            return err(
                &f.path("credentials"),
                cat!(
                    quoted(other),
                    " is not \"omit\", \"same-origin\" or \"include\""
                ),
            )
        }
    };
    Ok(CheckoutSettings {
        mode,
        headers,
        credentials,
        timeout_ms: f.integer("timeout_ms", 1000..=120_000)?.unwrap_or(10_000),
        max_attempts: f.integer("max_attempts", 1..=10)?.unwrap_or(4),
    })
}

fn parse_product(value: &Json, path: String, currency: Currency) -> Result<Product> {
    let f = Fields::new(
        value,
        path,
        &[
            "id",
            "title",
            "price",
            "compare_at_price",
            "image",
            "url",
            "availability",
            "variants",
        ],
    )?;
    let price = f
        .money("price", currency)?
        .ok_or_else(|| error(f.path("price"), "is required".into()))?;
    let availability = f
        .availability("availability")?
        .unwrap_or(Availability::InStock);
    let mut variants = Vec::new();
    for (j, v) in f.array("variants")?.iter().enumerate() {
        let vf = Fields::new(
            v,
            cat!(f.path, ".variants[", int(j as u64), "]"),
            &[
                "id",
                "title",
                "price",
                "compare_at_price",
                "availability",
                "image",
            ],
        )?;
        variants.push(Variant {
            id: vf.id("id")?,
            title: vf.required_text("title")?.to_owned(),
            price: vf.money("price", currency)?.unwrap_or(price),
            compare_at_price: vf.money("compare_at_price", currency)?,
            availability: vf.availability("availability")?.unwrap_or(availability),
            image: vf.url("image")?,
        });
    }
    Ok(Product {
        id: f.id("id")?,
        title: f.required_text("title")?.to_owned(),
        price,
        compare_at_price: f.money("compare_at_price", currency)?,
        image: f.url("image")?,
        url: f.url("url")?,
        availability,
        variants,
    })
}

fn parse_post(
    value: &Json,
    path: String,
    items: &[(String, (usize, Option<usize>))],
    rtl: bool,
) -> Result<Post> {
    let f = Fields::new(value, path, &["id", "caption", "media"])?;
    let id = f.id("id")?;
    let mut media = Vec::new();
    for (j, m) in f.array("media")?.iter().enumerate() {
        let mf = Fields::new(
            m,
            cat!(f.path, ".media[", int(j as u64), "]"),
            &["image", "alt", "width", "height", "tags"],
        )?;
        let size = match (
            mf.integer("width", 1..=100_000)?,
            mf.integer("height", 1..=100_000)?,
        ) {
            (Some(w), Some(h)) => Some((w, h)),
            (None, None) => None,
            (Some(_), None) => return err(&mf.path("height"), "is required with width"),
            (None, Some(_)) => return err(&mf.path("width"), "is required with height"),
        };
        let image = match mf.url("image")? {
            Some(url) => url,
            None => return err(&mf.path("image"), "is required"),
        };
        let mut tags = Vec::new();
        for (k, t) in mf.array("tags")?.iter().enumerate() {
            let tf = Fields::new(
                t,
                cat!(mf.path, ".tags[", int(k as u64), "]"),
                &["product", "x", "y"],
            )?;
            let product_id = tf.required_text("product")?;
            // A product's own id (a variant's is no product), from the sorted item table.
            let Ok((product, None)) = find_item(items, product_id) else {
                return err(
                    &tf.path("product"),
                    cat!(
                        quoted(product_id),
                        " is not a product id in config.products"
                    ),
                );
            };
            tags.push(Tag {
                product,
                x: tf.fraction("x")?,
                y: tf.fraction("y")?,
            });
        }
        let mut points = Vec::with_capacity(tags.len());
        for t in &tags {
            points.push((t.x.get(), t.y.get()));
        }
        let mut ordered = Vec::with_capacity(tags.len());
        for k in super::geometry::reading_order(&points, rtl) {
            ordered.push(tags[k]);
        }
        let tags = ordered;
        media.push(Media {
            image,
            alt: mf.text("alt")?.unwrap_or("").to_owned(),
            size,
            tags,
        });
    }
    if media.is_empty() {
        return err(&f.path("media"), "needs at least one image");
    }
    Ok(Post {
        id,
        caption: f.text("caption")?.unwrap_or("").to_owned(),
        media,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr;

    pub(crate) const SAMPLE: &str = r##"{
      "version": 1,
      "shop": { "name": "Dar Al Abaya", "currency": "KWD", "locale": "ar-KW",
                "whatsapp": "+96550000000" },
      "checkout": { "mode": "endpoint", "endpoint": "https://shop.example/api/checkout",
                    "headers": { "X-Shop-Key": "pk_live_123" }, "credentials": "omit",
                    "timeout_ms": 10000, "max_attempts": 4 },
      "products": [
        { "id": "abaya-classic", "title": "Classic abaya", "price": "25.500",
          "compare_at_price": "30.000", "image": "https://cdn.example/abaya.jpg",
          "url": "https://shop.example/p/abaya-classic", "availability": "in stock",
          "variants": [ { "id": "abaya-classic-52", "title": "52", "price": "25.500",
                          "availability": "in stock" },
                        { "id": "abaya-classic-54", "title": "54",
                          "availability": "out of stock" } ] },
        { "id": "scarf", "title": "Silk scarf", "price": "7", "availability": "preorder" }
      ],
      "posts": [
        { "id": "eid-lookbook-1", "caption": "Eid collection",
          "media": [ { "image": "https://cdn.example/eid-1.jpg", "alt": "Two abayas",
                       "tags": [ { "product": "abaya-classic", "x": 0.42, "y": 0.63 },
                                 { "product": "scarf", "x": 0, "y": 1 } ] } ] }
      ],
      "analytics": { "data_layer": true },
      "theme": { "accent": "#0b6e4f" }
    }"##;

    #[test]
    fn arabic_digits_take_each_language_s_own_forms() {
        assert_eq!(Digits::Arab.numbering_system("ar-KW"), "arab");
        assert_eq!(Digits::Arab.numbering_system("fa-IR"), "arabext");
        assert_eq!(Digits::Arab.numbering_system("UR_pk"), "arabext");
        assert_eq!(Digits::Latn.numbering_system("fa-IR"), "latn");
        assert_eq!(Digits::Arab.numbering_system("en"), "arab");
    }

    #[test]
    fn a_variant_inherits_the_compare_at_price_unless_it_has_its_own() {
        let c = Config::parse(SAMPLE).unwrap();
        let item = |id| c.item(id).unwrap();
        assert_eq!(
            item("abaya-classic-52").compare_at_price(),
            Some(Money(30_000))
        );
        let own = SAMPLE.replace(
            r#""title": "52", "price": "25.500","#,
            r#""title": "52", "price": "25.500", "compare_at_price": "28.000","#,
        );
        let c = Config::parse(&own).unwrap();
        assert_eq!(
            c.item("abaya-classic-52").unwrap().compare_at_price(),
            Some(Money(28_000))
        );
        assert_eq!(item("scarf").compare_at_price(), None);
    }

    #[test]
    fn parses_the_spec_example() {
        let c = Config::parse(SAMPLE).expect("spec example is valid");
        assert_eq!(c.shop.currency.code(), "KWD");
        assert_eq!(c.shop.whatsapp.as_deref(), Some("96550000000"));
        assert_eq!(c.products[0].price, Money(25_500));
        assert_eq!(c.products[0].compare_at_price, Some(Money(30_000)));
        assert_eq!(c.products[1].price, Money(7_000));
        assert_eq!(c.checkout.credentials, Credentials::Omit);
        assert_eq!(
            c.checkout.headers,
            vec![("X-Shop-Key".to_owned(), "pk_live_123".to_owned())]
        );
        assert_eq!(c.posts[0].media[0].tags[0].product, 0);
        assert_eq!(c.posts[0].media[0].tags[1].product, 1);
        assert!(c.data_layer);
        assert_eq!(c.accent.as_deref(), Some("#0b6e4f"));
        assert!(!c.tags_hidden);
        assert!(!c.whole_prices(), "25.500 KWD has fils");
        let whole = SAMPLE.replace("25.500", "25.000");
        assert!(Config::parse(&whole).unwrap().whole_prices());
        assert_eq!(c.posts[0].media[0].size, None);
        let sized = SAMPLE
            .replace(
                "\"alt\": \"Two abayas\",",
                "\"alt\": \"Two abayas\", \"width\": 1080, \"height\": 1350,",
            )
            .replace(
                "\"accent\": \"#0b6e4f\"",
                "\"accent\": \"#0b6e4f\", \"tags\": \"hidden\"",
            );
        let c = Config::parse(&sized).unwrap();
        assert_eq!(c.posts[0].media[0].size, Some((1080, 1350)));
        assert!(c.tags_hidden);
    }

    #[test]
    fn items_are_variants_or_variantless_products() {
        let c = Config::parse(SAMPLE).unwrap();
        let v = c.item("abaya-classic-54").expect("variant is an item");
        assert_eq!(v.item_id(), "abaya-classic-54");
        assert_eq!(v.product.id, "abaya-classic");
        assert_eq!(v.price(), Money(25_500), "variant inherits product price");
        assert!(!v.availability().is_purchasable());
        assert_eq!(v.title(), "Classic abaya — 54");
        let s = c.item("scarf").unwrap();
        assert_eq!(s.variant_id(), None);
        assert!(s.availability().is_purchasable());
        assert!(c.item("nope").is_none());
        assert_eq!(c.default_item(0).item_id(), "abaya-classic-52");
    }

    /// Each row: a JSON edit of the sample (find → replace) and the exact error.
    #[test]
    fn bad_configs_name_path_and_reason() {
        let cases: &[(&str, &str, &str)] = &[
            // Each kind of step in a path: a key, an array index, nested indices.
            (
                "{ \"id\": \"abaya-classic-54\"",
                "{ \"id\": \"abaya-classic-52\"",
                "config.products[0].variants[1].id: \"abaya-classic-52\" is a duplicate id",
            ),
            (
                "{ \"product\": \"scarf\", \"x\": 0, \"y\": 1 }",
                "7",
                "config.posts[0].media[0].tags[1]: expected an object, found a number",
            ),
            (
                "\"media\": [ {",
                "\"media\": [ [], {",
                "config.posts[0].media[0]: expected an object, found an array",
            ),
            (
                "{ \"id\": \"eid-lookbook-1\"",
                "{ \"id\": \"eid-lookbook-1\", \"likes\": 3",
                "config.posts[0].likes: unknown field (expected one of: id, caption, media)",
            ),
            (
                "\"price\": \"25.500\",\n          \"compare",
                "\"price\": \"12.3456\",\n          \"compare",
                "config.products[0].price: \"12.3456\" has 4 decimals, KWD allows 3",
            ),
            (
                "\"x\": 0.42",
                "\"x\": 1.4",
                "config.posts[0].media[0].tags[0].x: 1.4 is outside 0..=1",
            ),
            (
                "\"y\": 0.63",
                "\"y\": -0.5",
                "config.posts[0].media[0].tags[0].y: -0.5 is outside 0..=1",
            ),
            (
                "{ \"product\": \"scarf\"",
                "{ \"product\": \"hat\"",
                "config.posts[0].media[0].tags[1].product: \"hat\" is not a product id in config.products",
            ),
            (
                "\"currency\": \"KWD\"",
                "\"currency\": \"KWX\"",
                "config.shop.currency: \"KWX\" is not an ISO 4217 currency code",
            ),
            (
                "\"id\": \"scarf\"",
                "\"id\": \"abaya-classic-52\"",
                "config.products[1].id: \"abaya-classic-52\" is a duplicate id",
            ),
            (
                "\"theme\":",
                "\"theme\": {}, \"theme\":",
                "config.theme: is given twice",
            ),
            (
                "\"price\": \"25.500\",",
                "\"price\": \"1.2345\", \"price\": \"25.500\",",
                "config.products[0].price: is given twice",
            ),
            (
                "\"X-Shop-Key\": \"pk_live_123\"",
                "\"X-Shop-Key\": \"pk_live_123\", \"x-shop-key\": \"pk_test\"",
                "config.checkout.headers.x-shop-key: is given twice",
            ),
            (
                "\"name\": \"Dar Al Abaya\",",
                "\"name\": \"Dar\", \"strings\": {\"cart\": \"Bag\", \"cart\": \"Basket\"},",
                "config.shop.strings.cart: is given twice",
            ),
            (
                "\"theme\":",
                "\"colour\": 1, \"theme\":",
                "config.colour: unknown field (expected one of: version, shop, checkout, products, posts, analytics, theme)",
            ),
            (
                "\"title\": \"52\",",
                "\"title\": \"52\", \"size\": 52,",
                "config.products[0].variants[0].size: unknown field (expected one of: id, title, price, compare_at_price, availability, image)",
            ),
            (
                "\"image\": \"https://cdn.example/abaya.jpg\"",
                "\"image\": \"javascript:alert(1)\"",
                "config.products[0].image: \"javascript:alert(1)\" uses the javascript: scheme, only http:, https: or relative URLs are allowed",
            ),
            (
                "\"availability\": \"preorder\"",
                "\"availability\": \"soon\"",
                "config.products[1].availability: \"soon\" is not one of \"in stock\", \"out of stock\", \"preorder\", \"available for order\", \"discontinued\"",
            ),
            (
                "\"alt\": \"Two abayas\",",
                "\"alt\": \"Two abayas\", \"width\": 1080,",
                "config.posts[0].media[0].height: is required with width",
            ),
            (
                "\"alt\": \"Two abayas\",",
                "\"alt\": \"Two abayas\", \"width\": 0, \"height\": 10,",
                "config.posts[0].media[0].width: 0 is not a whole number in 1..=100000",
            ),
            (
                "\"accent\": \"#0b6e4f\"",
                "\"accent\": \"#0b6e4f\", \"tags\": \"sometimes\"",
                "config.theme.tags: \"sometimes\" is not \"shown\" or \"hidden\"",
            ),
            (
                "\"version\": 1",
                "\"version\": 2",
                "config.version: 2 is not a supported version (expected 1)",
            ),
            (
                "\"max_attempts\": 4",
                "\"max_attempts\": 0",
                "config.checkout.max_attempts: 0 is not a whole number in 1..=10",
            ),
            (
                "\"endpoint\": \"https://shop.example/api/checkout\",",
                "",
                "config.checkout.endpoint: is required when checkout.mode is \"endpoint\"",
            ),
            (
                "\"whatsapp\": \"+96550000000\"",
                "\"whatsapp\": \"0500\"",
                "config.shop.whatsapp: \"0500\" is not an international phone number like \"+96550000000\"",
            ),
            (
                "\"accent\": \"#0b6e4f\"",
                "\"accent\": \"red;}*{display:none\"",
                "config.theme.accent: \"red;}*{display:none\" is not a colour like \"#0b6e4f\"",
            ),
            (
                "\"locale\": \"ar-KW\"",
                "\"locale\": \"arabic kuwait\"",
                "config.shop.locale: \"arabic kuwait\" is not a BCP 47 language tag like \"ar-KW\"",
            ),
            (
                "\"name\": \"Dar Al Abaya\",",
                "\"name\": \"Dar\", \"strings\": {\"add_to_bag\": \"Add\"},",
                "config.shop.strings.add_to_bag: is not a UI string name",
            ),
            (
                "\"caption\": \"Eid collection\"",
                "\"caption\": 5",
                "config.posts[0].caption: expected a string, found a number",
            ),
            (
                "\"X-Shop-Key\": \"pk_live_123\"",
                "\"X Shop\": \"pk\"",
                "config.checkout.headers.X Shop: is not a valid HTTP header",
            ),
            (
                "\"X-Shop-Key\": \"pk_live_123\"",
                "\"X-Shop\": \"دار\"",
                "config.checkout.headers.X-Shop: is not a valid HTTP header",
            ),
            (
                "\"X-Shop-Key\": \"pk_live_123\"",
                "\"X-Shop\": \"a\\nb\"",
                "config.checkout.headers.X-Shop: is not a valid HTTP header",
            ),
            (
                "\"X-Shop-Key\": \"pk_live_123\"",
                "\"idempotency-KEY\": \"static\"",
                "config.checkout.headers.idempotency-KEY: is set by the widget itself",
            ),
            (
                "\"X-Shop-Key\": \"pk_live_123\"",
                "\"Content-Type\": \"text/plain\"",
                "config.checkout.headers.Content-Type: is set by the widget itself",
            ),
        ];
        for (find, replace, expected) in cases {
            assert!(SAMPLE.contains(find), "case does not apply: {find}");
            let text = SAMPLE.replacen(find, replace, 1);
            let error = Config::parse(&text).expect_err(expected);
            assert_eq!(error.to_string(), *expected);
        }
    }

    #[test]
    fn header_values_are_byte_strings() {
        // Latin-1 passes (a `Headers` value is a byte string); past U+00FF is refused above.
        let text = SAMPLE.replacen("\"pk_live_123\"", "\"Café ü\"", 1);
        let config = Config::parse(&text).expect("a Latin-1 header value");
        assert_eq!(
            config.checkout.headers,
            vec![("X-Shop-Key".to_owned(), "Café ü".to_owned())]
        );
    }

    #[test]
    fn duplicate_post_ids_and_syntax_errors_are_reported() {
        let text = SAMPLE.replace(
            "\"posts\": [",
            "\"posts\": [{\"id\": \"eid-lookbook-1\", \"media\": [{\"image\": \"/a.jpg\"}]},",
        );
        assert_eq!(
            Config::parse(&text).unwrap_err().to_string(),
            "config.posts[1].id: \"eid-lookbook-1\" is a duplicate id"
        );
        assert_eq!(
            Config::parse("{").unwrap_err().to_string(),
            "config: is not valid JSON (expected a string key at line 1 column 2)"
        );
        assert_eq!(
            Config::parse("[]").unwrap_err().to_string(),
            "config: expected an object, found an array"
        );
    }

    /// Posts are found through an index sorted by id (`Config::post`): every one of many,
    /// given in no order, is found; a duplicate is named where it first repeats, however far
    /// from the post it repeats; a variant's id is no product for a tag.
    #[test]
    fn posts_are_found_by_id_among_many_and_duplicates_anywhere_are_named() {
        let post = |id: &str| {
            cat!(
                r#"{"id": ""#,
                id,
                r#"", "media": [{"image": "/p.jpg", "tags": [{"product": "scarf", "x": 0.5, "y": 0.5}]}]}"#
            )
        };
        // Ids in a shuffled order (a multiplicative walk over 0..200).
        let ids: Vec<String> = (0..200u64)
            .map(|i| cat!("post-", int(i * 77 % 200)))
            .collect();
        let posts: Vec<String> = ids.iter().map(|id| post(id)).collect();
        let text = SAMPLE.replace("\"posts\": [", &cat!("\"posts\": [", posts.join(","), ","));
        let c = Config::parse(&text).unwrap();
        for (i, id) in ids.iter().enumerate() {
            let found = c.post(id).expect("every post is found");
            assert!(ptr::eq(found, &c.posts[i]), "{id} is posts[{i}]");
        }
        assert_eq!(c.post("eid-lookbook-1").unwrap().caption, "Eid collection");
        assert!(c.post("post-200").is_none());
        assert!(c.post("").is_none());

        // posts[150] repeats posts[3]: named at 150, though posts[151] repeats one too.
        let mut twice = ids.clone();
        twice[150] = ids[3].clone();
        twice[151] = ids[0].clone();
        let posts: Vec<String> = twice.iter().map(|id| post(id)).collect();
        let text = SAMPLE.replace("\"posts\": [", &cat!("\"posts\": [", posts.join(","), ","));
        assert_eq!(
            Config::parse(&text).unwrap_err().to_string(),
            cat!("config.posts[150].id: \"", ids[3], "\" is a duplicate id")
        );

        let variant = SAMPLE.replace(
            r#"{ "product": "scarf", "x": 0, "y": 1 }"#,
            r#"{ "product": "abaya-classic-52", "x": 0, "y": 1 }"#,
        );
        assert_eq!(
            Config::parse(&variant).unwrap_err().to_string(),
            "config.posts[0].media[0].tags[1].product: \"abaya-classic-52\" is not a product id in config.products"
        );
    }

    #[test]
    fn whatsapp_mode_needs_a_number_and_defaults_apply() {
        let minimal = r#"{"version":1,"shop":{"name":"S","currency":"JPY"},
                          "checkout":{"mode":"whatsapp"}}"#;
        assert_eq!(
            Config::parse(minimal).unwrap_err().to_string(),
            "config.shop.whatsapp: is required when checkout.mode is \"whatsapp\""
        );
        let ok = r#"{"version":1,"shop":{"name":"S","currency":"JPY"},
                     "checkout":{"endpoint":"/api/checkout"}}"#;
        let c = Config::parse(ok).unwrap();
        assert_eq!(c.shop.locale, "en");
        assert_eq!(c.checkout.timeout_ms, 10_000);
        assert_eq!(c.checkout.max_attempts, 4);
        assert_eq!(c.checkout.credentials, Credentials::SameOrigin);
        assert!(c.products.is_empty() && c.posts.is_empty() && !c.data_layer);
    }
}

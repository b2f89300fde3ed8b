//! JSON text ⇄ a small value tree, for config, the stored cart, server answers and event
//! details. Objects keep their keys in order in a `Vec`.
//!
//! Hand-written on purpose: with miniserde, its `BTreeMap`-based objects and its float
//! printer made ~30 KB of the wasm (measured with twiggy: 141 B-tree functions alone), more
//! than everything else in the core. This reader and writer do what the widget needs and
//! nothing more: numbers are `f64` (integers exact up to 2^53), and money goes out as exact
//! decimal text through `Json::Decimal`, never through float printing.

use crate::prelude::*;

/// A JSON value. `Decimal` is output-only: number text we wrote ourselves (`"25.500"`).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(f64),
    Decimal(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Deeper nesting than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

impl Json {
    /// The value of `key` in an object (the last one, as `JSON.parse` does with duplicates).
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A whole number that fits `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n)
                if *n >= 0.0 && *n <= 9_007_199_254_740_992.0 && *n == *n as u64 as f64 =>
            {
                Some(*n as u64)
            }
            _ => None,
        }
    }

    pub fn parse(text: &str) -> Result<Json, String> {
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = p.value(0)?;
        p.space();
        if p.at < p.bytes.len() {
            return Err(p.error("unexpected text after the value"));
        }
        Ok(value)
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => write_number(*n, out),
            Json::Decimal(text) => out.push_str(text),
            Json::String(s) => write_string(s, out),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_string(key, out);
                    out.push(':');
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Integers print exactly; other numbers (never produced by the widget itself) with six
/// decimals, trailing zeros trimmed — see `geometry::css_px` for why not `f64`'s Display.
fn write_number(n: f64, out: &mut String) {
    if !n.is_finite() {
        out.push_str("null");
        return;
    }
    let millionths = super::round(n * 1e6);
    if n < 0.0 && millionths != 0 {
        out.push('-');
    }
    if millionths.unsigned_abs() >= 9_000_000_000_000_000 {
        push_int(out, n.abs() as u64, 0);
        return;
    }
    push_fixed(out, millionths.unsigned_abs(), 6);
}

/// Appends `units` ten-to-the-`decimals`ths as a decimal with trailing zeros trimmed:
/// `push_fixed(out, 1250, 2)` writes `12.5`, `push_fixed(out, 1200, 2)` writes `12`.
pub fn push_fixed(out: &mut String, units: u64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    push_int(out, units / scale, 0);
    let (mut frac, mut width) = (units % scale, decimals as usize);
    if frac != 0 {
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        out.push('.');
        push_int(out, frac, width);
    }
}

/// `text` as a JSON string literal: how error messages quote a value. Unlike `{:?}` it
/// needs no Unicode tables, and escapes the same things a reader needs to see.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(text, &mut out);
    out
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                let hex = b"0123456789abcdef";
                out.push(char::from(hex[(c as usize) >> 4]));
                out.push(char::from(hex[(c as usize) & 15]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A non-empty run of ASCII digits as a number; `None` for anything else (signs included)
/// or past `u64::MAX`. The one integer parser of the crate: each `str::parse::<T>` is its
/// own copy of the standard library's (300–600 B of wasm per integer type).
pub fn parse_digits(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

/// Appends `n` in decimal, left-padded with zeros to at least `width` digits. The one
/// integer printer of the crate, for the same reason as `parse_digits`: each integer
/// type's `Display` is its own copy of the standard library's (130–280 B of wasm each, four
/// of them), plus the formatting machinery around it.
pub fn push_int(out: &mut String, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let (mut n, mut at) = (n, digits.len());
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in digits.len() - at..width {
        out.push('0');
    }
    for &d in digits.get(at..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

/// `n` in decimal, as a new string (see `push_int`).
pub fn int(n: u64) -> String {
    let mut out = String::new();
    push_int(&mut out, n, 0);
    out
}

/// Parses decimal number text (`-12.5`, `3e2`, `0.42`) into the nearest `f64` for the
/// inputs the widget sees: up to 19 significant digits and exponents within ±22 are exact
/// (Clinger's fast path: an exact integer times or divided by an exact power of ten rounds
/// once). Larger inputs are approximated. Hand-written because `str::parse::<f64>` brings
/// ~5 KB of wasm for precision no tag coordinate or CSS length needs.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            at = 1;
            true
        }
        Some(b'+') => {
            at = 1;
            false
        }
        _ => false,
    };
    let (mut mantissa, mut exponent, mut digits, mut significant) = (0u64, 0i32, 0, 0);
    let mut seen_point = false;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if significant < 19 {
                    if mantissa > 0 || b != b'0' {
                        significant += 1;
                    }
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if seen_point {
                        exponent -= 1;
                    }
                } else if !seen_point {
                    exponent += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        at += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        let rest = text.get(at + 1..)?;
        let rest = rest.strip_prefix('+').unwrap_or(rest);
        let (negative, digits) = match rest.strip_prefix('-') {
            Some(d) => (true, d),
            None => (false, rest),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // Past 999 every value is 0 or infinite anyway.
        let e = parse_digits(digits).map_or(999, |e| e.min(999) as i32);
        exponent = exponent.saturating_add(if negative { -e } else { e });
    } else if at != bytes.len() {
        return None;
    }
    let value = mantissa as f64;
    let value = if exponent >= 0 {
        value * pow10(exponent)
    } else if exponent >= -22 {
        value / pow10(-exponent)
    } else {
        value / pow10(22) / pow10(-exponent - 22)
    };
    Some(if negative { -value } else { value })
}

/// Ten to the `e`, by multiplying: exact up to 1e22 (each power of ten up to it is a float),
/// and infinite from 1e309, so the loop stops there. `f64::powi` is `std`'s.
fn pow10(e: i32) -> f64 {
    let mut p = 1.0;
    for _ in 0..e.min(309) {
        p *= 10.0;
    }
    p
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> String {
        let before = self.bytes.get(..self.at).unwrap_or(self.bytes);
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        cat!(
            what,
            " at line ",
            int(line as u64),
            " column ",
            int(column as u64)
        )
    }

    /// What is left to read (`get`, not `[at..]`: no slice-index panic path in the wasm).
    fn rest(&self) -> &[u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        if self.rest().starts_with(word.as_bytes()) {
            self.at += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting is too deep"));
        }
        self.space();
        match self.bytes.get(self.at) {
            None => Err(self.error("unexpected end")),
            Some(b'{') => {
                self.at += 1;
                let mut fields = Vec::new();
                self.space();
                if self.eat("}") {
                    return Ok(Json::Object(fields));
                }
                loop {
                    self.space();
                    if self.bytes.get(self.at) != Some(&b'"') {
                        return Err(self.error("expected a string key"));
                    }
                    let key = self.string()?;
                    self.space();
                    if !self.eat(":") {
                        return Err(self.error("expected ':'"));
                    }
                    fields.push((key, self.value(depth + 1)?));
                    self.space();
                    if self.eat("}") {
                        return Ok(Json::Object(fields));
                    }
                    if !self.eat(",") {
                        return Err(self.error("expected ',' or '}'"));
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat("]") {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.space();
                    if self.eat("]") {
                        return Ok(Json::Array(items));
                    }
                    if !self.eat(",") {
                        return Err(self.error("expected ',' or ']'"));
                    }
                }
            }
            Some(b'"') => self.string().map(Json::String),
            Some(b't') if self.eat("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat("null") => Ok(Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        // RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
        self.eat("-");
        let digits = |p: &mut Self| {
            let s = p.at;
            while p.bytes.get(p.at).is_some_and(u8::is_ascii_digit) {
                p.at += 1;
            }
            p.at - s
        };
        let int_start = self.at;
        let int_len = digits(self);
        let leading_zero = int_len > 1 && self.bytes[int_start] == b'0';
        let mut ok = int_len > 0 && !leading_zero;
        if self.eat(".") {
            ok &= digits(self) > 0;
        }
        if matches!(self.bytes.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.bytes.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            ok &= digits(self) > 0;
        }
        match parse_f64(self.text.get(start..self.at).unwrap_or("")) {
            Some(n) if ok && n.is_finite() => Ok(Json::Number(n)),
            _ => {
                self.at = start;
                Err(self.error("invalid number"))
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let run = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The run stops only at ASCII bytes, so it is whole UTF-8: `get` finds it on
            // char boundaries without validating it again (`str::from_utf8` would).
            out.push_str(self.text.get(run..self.at).unwrap_or(""));
            match self.bytes.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = match self.bytes.get(self.at) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.at += 1;
                            let c = self.unicode_escape()?;
                            out.push(c);
                            continue;
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    self.at += 1;
                    out.push(escaped);
                }
                Some(_) => return Err(self.error("control character in string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    /// Four hex digits, read by hand: `u32::from_str_radix` is a generic parser of its own.
    fn hex4(&mut self) -> Result<u32, String> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .bytes
                .get(self.at)
                .and_then(|b| (*b as char).to_digit(16))
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            n = n * 16 + digit;
            self.at += 1;
        }
        Ok(n)
    }

    /// After `\u`: one BMP code unit, or a surrogate pair; a lone surrogate becomes U+FFFD
    /// (as `JSON.parse` followed by UTF-8 encoding would).
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.rest().starts_with(b"\\u") {
            let save = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let c = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(c).unwrap_or('\u{FFFD}'));
            }
            self.at = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_digits_reads_plain_digits_only() {
        assert_eq!(parse_digits("0"), Some(0));
        assert_eq!(parse_digits("007"), Some(7));
        assert_eq!(parse_digits("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "+1",
            "-1",
            "1.5",
            " 1",
            "1 ",
            "١٢",
            "18446744073709551616",
        ] {
            assert_eq!(parse_digits(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn exponents_keep_their_sign_and_saturate() {
        assert_eq!(parse_f64("5e-1"), Some(0.5));
        assert_eq!(parse_f64("5E+1"), Some(50.0));
        assert_eq!(parse_f64("1e-99999999999999999999999"), Some(0.0));
        assert_eq!(parse_f64("1e99999999999999999999999"), Some(f64::INFINITY));
        assert_eq!(parse_f64("1e"), None);
        assert_eq!(parse_f64("1e--5"), None);
    }

    #[test]
    fn parses_every_kind_of_value() {
        let v = Json::parse(r#" {"a": [1, -2.5, 3e2, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00", "a2": {}} "#)
            .unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Json::Array(vec![
                Json::Number(1.0),
                Json::Number(-2.5),
                Json::Number(300.0),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ]))
        );
        assert_eq!(v.get("b").and_then(Json::as_str), Some("x\"\\/\né😀"));
        assert_eq!(v.get("a2"), Some(&Json::Object(vec![])));
        assert_eq!(v.get("zz"), None);
    }

    #[test]
    fn refuses_what_json_parse_refuses_with_a_position() {
        for (text, error) in [
            ("", "unexpected end at line 1 column 1"),
            ("{", "expected a string key at line 1 column 2"),
            ("{\"a\" 1}", "expected ':' at line 1 column 6"),
            ("[1,]", "unexpected character at line 1 column 4"),
            ("[1 2]", "expected ',' or ']' at line 1 column 4"),
            ("01", "invalid number at line 1 column 1"),
            ("1.", "invalid number at line 1 column 1"),
            ("-", "invalid number at line 1 column 1"),
            ("\"a\nb\"", "control character in string at line 1 column 3"),
            ("\"\\x\"", "invalid escape at line 1 column 3"),
            // `JSON.parse` wants exactly four hex digits: no sign, no short escape.
            ("\"\\u+abc\"", "invalid \\u escape at line 1 column 4"),
            ("\"\\u12g4\"", "invalid \\u escape at line 1 column 6"),
            ("\"\\u12", "invalid \\u escape at line 1 column 6"),
            (
                "{}\n x",
                "unexpected text after the value at line 2 column 2",
            ),
            ("tru", "unexpected character at line 1 column 1"),
            ("'a'", "unexpected character at line 1 column 1"),
            ("1e999", "invalid number at line 1 column 1"),
        ] {
            assert_eq!(Json::parse(text), Err(error.to_owned()), "{text:?}");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert!(Json::parse(&deep)
            .unwrap_err()
            .starts_with("nesting is too deep"));
    }

    #[test]
    fn writes_escaped_text_and_exact_numbers() {
        let v = Json::Object(vec![
            ("s".into(), Json::String("a\"b\\c\n\u{1}é".into())),
            ("n".into(), Json::Number(42.0)),
            ("f".into(), Json::Number(-0.125)),
            ("d".into(), Json::Decimal("25.500".into())),
            ("z".into(), Json::Array(vec![Json::Null, Json::Bool(true)])),
        ]);
        assert_eq!(
            v.to_text(),
            r#"{"s":"a\"b\\c\n\u0001é","n":42,"f":-0.125,"d":25.500,"z":[null,true]}"#
        );
        assert_eq!(
            Json::parse(&v.to_text()).unwrap().get("d"),
            Some(&Json::Number(25.5))
        );
    }

    #[test]
    fn integers_print_in_decimal_with_zero_padding() {
        let padded = |n, width| {
            let mut out = String::from("x");
            push_int(&mut out, n, width);
            out
        };
        assert_eq!(int(0), "0");
        assert_eq!(int(7), "7");
        assert_eq!(int(1_000_000), "1000000");
        assert_eq!(int(u64::MAX), "18446744073709551615");
        assert_eq!(padded(5, 3), "x005");
        assert_eq!(padded(0, 2), "x00");
        assert_eq!(padded(1234, 2), "x1234", "width is a minimum");
        assert_eq!(padded(0, 0), "x0");
        let fixed = |units, decimals| {
            let mut out = String::new();
            push_fixed(&mut out, units, decimals);
            out
        };
        assert_eq!(fixed(1250, 2), "12.5");
        assert_eq!(fixed(1205, 2), "12.05");
        assert_eq!(fixed(1200, 2), "12");
        assert_eq!(fixed(7, 3), "0.007");
        assert_eq!(fixed(42, 0), "42");
    }

    #[test]
    fn numbers_print_exactly_or_with_six_decimals() {
        let text = |n: f64| Json::Number(n).to_text();
        assert_eq!(text(0.0), "0");
        assert_eq!(text(-0.0), "0");
        assert_eq!(text(-0.0000001), "0", "rounds to zero without a sign");
        assert_eq!(text(-3.0), "-3");
        assert_eq!(text(0.5), "0.5");
        assert_eq!(text(-12.000001), "-12.000001");
        assert_eq!(text(1.1234567), "1.123457");
        assert_eq!(text(0.000_010), "0.00001");
        assert_eq!(text(9_007_199_254_740_993.0), "9007199254740992");
        assert_eq!(text(-1e12), "-1000000000000");
        assert_eq!(text(f64::NAN), "null");
    }

    #[test]
    fn decimal_text_becomes_the_nearest_double() {
        for (text, value) in [
            ("0", 0.0),
            ("0.42", 0.42),
            ("0.63", 0.63),
            ("1", 1.0),
            ("-2.5", -2.5),
            ("3e2", 300.0),
            ("1.5E-3", 0.0015),
            ("25.500", 25.5),
            ("+7", 7.0),
            ("9007199254740993", 9007199254740992.0),
            ("0.000000000000000000000000001", 1e-27),
        ] {
            assert_eq!(parse_f64(text), Some(value), "{text}");
        }
        // Beyond 19 digits the result is close, not necessarily the nearest double.
        let big = parse_f64("123456789012345678901234").unwrap();
        assert!((big / 1.2345678901234568e23 - 1.0).abs() < 1e-15);
        for bad in ["", "-", ".", "1x", "1e", "e5", "1.2.3", "1e+"] {
            assert_eq!(parse_f64(bad), None, "{bad}");
        }
    }

    #[test]
    fn duplicate_keys_take_the_last_like_json_parse() {
        let v = Json::parse(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(v.get("a"), Some(&Json::Number(2.0)));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn short_decimals_parse_exactly_like_std(int in 0u32..1_000_000, frac in 0u32..10_000, neg: bool) {
                let text = format!("{}{int}.{frac:04}", if neg { "-" } else { "" });
                prop_assert_eq!(parse_f64(&text), text.parse::<f64>().ok());
            }
        }

        fn value() -> impl Strategy<Value = Json> {
            let leaf = prop_oneof![
                Just(Json::Null),
                any::<bool>().prop_map(Json::Bool),
                (-1_000_000i64..1_000_000).prop_map(|n| Json::Number(n as f64)),
                ".*".prop_map(Json::String),
            ];
            leaf.prop_recursive(4, 32, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Json::Array),
                    prop::collection::vec(("[a-z]{0,4}", inner), 0..6).prop_map(Json::Object),
                ]
            })
        }

        proptest! {
            #[test]
            fn written_text_parses_back_to_the_same_value(v in value()) {
                prop_assert_eq!(Json::parse(&v.to_text()), Ok(v));
            }

            #[test]
            fn arbitrary_text_never_panics(s in ".{0,64}") {
                let _ = Json::parse(&s);
            }
        }
    }
}

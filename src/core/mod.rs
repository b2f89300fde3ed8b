//! The pure core: every decision the widget makes, with no `web_sys`, `js_sys`, clock or
//! randomness in it, so all of it is tested natively with `cargo test`.

pub mod analytics;
pub mod cart;
pub mod checkout;
pub mod config;
pub mod geometry;
pub mod i18n;
pub mod json;
pub mod money;
pub mod url;

use crate::prelude::*;

/// `text` split around the first `sep`, as `str::split_once(char)` does. Written out because
/// std's char searcher (with its `memchr`) is ~0.9 KB of wasm for the widget's dozen splits,
/// each at one known character.
pub fn split_once(text: &str, sep: char) -> Option<(&str, &str)> {
    let mut buf = [0; 4];
    let sep = sep.encode_utf8(&mut buf).as_bytes();
    let mut i = 0;
    // UTF-8 is self-synchronising: a whole encoded `sep` only matches at a char boundary.
    while let Some(rest) = text.as_bytes().get(i..) {
        if rest.starts_with(sep) {
            return Some((text.get(..i)?, text.get(i + sep.len()..)?));
        }
        if rest.is_empty() {
            return None;
        }
        i += 1;
    }
    None
}

/// The parts of `text` between each `sep`, as `str::split(char)` gives them, on top of
/// `split_once` (see there for why).
pub fn split(text: &str, sep: char) -> Split<'_> {
    Split {
        rest: Some(text),
        sep,
    }
}

pub struct Split<'a> {
    rest: Option<&'a str>,
    sep: char,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let text = self.rest?;
        match split_once(text, self.sep) {
            Some((part, rest)) => {
                self.rest = Some(rest);
                Some(part)
            }
            None => {
                self.rest = None;
                Some(text)
            }
        }
    }
}

/// `parts` joined, for `cat!` (`lib.rs`).
pub fn cat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// `x` rounded half away from zero, as `f64::round` does, saturating like `as i64`. Written
/// out because `round` is `std`'s, and the crate is `no_std` (see `lib.rs`). Exact: for
/// |x| < 2^52 the difference to the truncated value is computed without rounding, and above
/// that `x` is already whole.
pub fn round(x: f64) -> i64 {
    let whole = x as i64;
    let rest = x - whole as f64;
    if rest >= 0.5 {
        whole.saturating_add(1)
    } else if rest <= -0.5 {
        whole.saturating_sub(1)
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::*;

    #[test]
    fn split_and_split_once_are_std_s() {
        let texts = [
            "",
            ":",
            "a:",
            ":b",
            "a:b:c",
            "abc",
            "ar-KW",
            "\u{2068}title\u{2069} added",
            "x\u{2068}",
            "\u{2069}",
            "ş:ğ",
            "١٢:٣٤",
            "{title}, {price}",
            "a||b",
            "emoji 🛍️|x",
        ];
        let seps = [
            ':', '-', '|', '{', '}', '\u{2068}', '\u{2069}', 'ğ', '🛍', ' ',
        ];
        for text in texts {
            for sep in seps {
                assert_eq!(
                    super::split_once(text, sep),
                    text.split_once(sep),
                    "{text:?} at {sep:?}"
                );
                let parts: Vec<&str> = super::split(text, sep).collect();
                assert_eq!(
                    parts,
                    text.split(sep).collect::<Vec<_>>(),
                    "{text:?} by {sep:?}"
                );
            }
        }
    }

    #[test]
    fn round_is_std_round() {
        let cases = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            1234.5678,
            -1234.4999,
            4503599627370495.5,
            4503599627370497.0,
            9.3e18,
            -9.3e18,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MAX,
            f64::MIN_POSITIVE,
            1e-300,
        ];
        for x in cases {
            assert_eq!(super::round(x), x.round() as i64, "{x}");
        }
        for i in -20_000..20_000 {
            let x = f64::from(i) * 0.125 + 0.001 * f64::from(i % 7);
            assert_eq!(super::round(x), x.round() as i64, "{x}");
        }
    }
}

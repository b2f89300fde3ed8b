//! The one URL scheme check. Every URL that reaches an `src`, `href` or a navigation
//! (`image`, `url`, `checkout.endpoint`, `redirect_url`) passes through `UrlRef::parse`.
//!
//! Hand-written rather than a URL crate: we only need "is this http(s) or relative", the
//! browser's own `URL` resolves it later, and the `url` crate would add ~100 KB of wasm.

use crate::prelude::*;

use super::json::quoted;

/// A URL that is `http:`, `https:` or relative (path, query, fragment or `//host`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlRef(String);

impl UrlRef {
    pub fn parse(text: &str) -> Result<UrlRef, String> {
        if text.is_empty() {
            return Err("is empty".into());
        }
        // The WHATWG parser drops tabs and newlines anywhere and trims C0 controls and
        // spaces, so `java\tscript:` would run as `javascript:`. Refuse them outright.
        if text.chars().any(|c| c.is_control() || c == ' ') {
            return Err(cat!(quoted(text), " contains spaces or control characters"));
        }
        if let Some(scheme) = scheme_of(text) {
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(cat!(
                    quoted(text),
                    " uses the ",
                    scheme,
                    ": scheme, only http:, https: or relative URLs are allowed"
                ));
            }
        }
        Ok(UrlRef(text.to_owned()))
    }

    /// True when the URL names its own `http(s):` scheme (not relative).
    pub fn is_absolute(&self) -> bool {
        scheme_of(&self.0).is_some()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The scheme of an absolute URL, per the WHATWG grammar: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
fn scheme_of(text: &str) -> Option<&str> {
    let (scheme, _) = super::split_once(text, ':')?;
    let mut bytes = scheme.bytes();
    let first = bytes.next()?;
    (first.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
    .then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_http_https_and_relative() {
        for ok in [
            "https://cdn.example/a.jpg",
            "HTTP://x.example",
            "/img/a.svg",
            "img/a.svg",
            "../a.png?x=1:2",
            "//cdn.example/a.jpg",
            "#top",
            "?page=2",
            "a/b:c",
        ] {
            assert!(UrlRef::parse(ok).is_ok(), "{ok}");
        }
        assert!(UrlRef::parse("https://a.example").unwrap().is_absolute());
        assert!(!UrlRef::parse("/a").unwrap().is_absolute());
    }

    #[test]
    fn refuses_other_schemes_and_smuggling() {
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "java\tscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "file:///etc/passwd",
            "blob:https://x",
            "",
            "https://a.example/\n",
        ] {
            assert!(UrlRef::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            UrlRef::parse("javascript:x").unwrap_err(),
            "\"javascript:x\" uses the javascript: scheme, only http:, https: or relative URLs are allowed"
        );
    }
}

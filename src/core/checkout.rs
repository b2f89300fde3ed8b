//! Checkout policy (SPEC §6): the request body, and what to do with each answer — succeed,
//! show the server's refusal, retry after a delay, or give up. Decides only; the browser
//! shell sends, waits and renders. Time and randomness come in as arguments.

use crate::prelude::*;

use super::analytics::Detail;
use super::cart::{item_line, Cart};
use super::config::Config;
use super::i18n::{isolate, Key, Strings};
use super::json::{int, parse_digits, Json};
use super::money::Money;
use super::url::UrlRef;

/// First retry waits up to this long (full jitter: a random share of it).
pub const BASE_DELAY_MS: u32 = 500;
/// No single wait is longer than this, whatever `Retry-After` asks: a shopper is watching.
pub const MAX_DELAY_MS: u32 = 30_000;

/// The JSON body of `POST {checkout.endpoint}` (SPEC §6), fields in the spec's order.
pub fn request_body(cart: &Cart, config: &Config, page: &str) -> String {
    let currency = config.shop.currency;
    let mut lines = Vec::new();
    for l in cart.lines() {
        if let Some(item) = config.item(&l.item_id) {
            lines.push(
                item_line(&item, l.quantity, config)
                    .optional_text("post_id", l.post_id.as_deref())
                    .into_value(),
            );
        }
    }
    Detail::new()
        .text("currency", currency.code())
        .text("locale", &config.shop.locale)
        .text("subtotal", &cart.subtotal(config).to_decimal(currency))
        .value("lines", Json::Array(lines))
        .text("page", page)
        .finish()
}

/// The order as a WhatsApp message in the shop's language (SPEC §6, `mode: whatsapp`):
/// a greeting, one line per item with quantity and unit price, the subtotal and the page.
/// `price` formats money for people (the shell passes `Intl.NumberFormat`).
pub fn whatsapp_message(
    cart: &Cart,
    config: &Config,
    strings: &Strings,
    page: &str,
    price: impl Fn(Money) -> String,
    count: impl Fn(u32) -> String,
) -> String {
    let mut text = strings.fill(Key::WhatsAppIntro, &[("shop", &config.shop.name)]);
    let colon = strings.colon();
    // "• 2 × Classic abaya — 52: 25.500 KWD": the title isolated, so a Latin title keeps its
    // order in an Arabic message, and the price after a colon, since " — " already joins
    // product and variant.
    for line in cart.lines() {
        if let Some(item) = config.item(&line.item_id) {
            text.push_str(&cat!(
                "\n• ",
                count(line.quantity),
                " × ",
                isolate(&item.title()),
                colon,
                price(item.price())
            ));
        }
    }
    text.push_str(&cat!(
        "\n",
        strings.get(Key::Subtotal),
        colon,
        price(cart.subtotal(config)),
        "\n",
        strings.get(Key::Page),
        colon,
        page
    ));
    text
}

/// `https://wa.me/<digits>?text=<message>`, percent-encoded as RFC 3986 unreserved-only.
pub fn whatsapp_url(digits: &str, message: &str) -> String {
    let mut url = cat!("https://wa.me/", digits, "?text=");
    for byte in message.bytes() {
        // `matches!`, not `b"-._~".contains`: a byte slice's `contains` is `memchr`.
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            url.push(char::from(byte));
        } else {
            url.push('%');
            push_hex(&mut url, byte, HEX_UPPER);
        }
    }
    url
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Two hex digits, without `core::fmt`'s hex machinery.
fn push_hex(out: &mut String, byte: u8, digits: &[u8; 16]) {
    out.push(char::from(digits[usize::from(byte >> 4)]));
    out.push(char::from(digits[usize::from(byte & 15)]));
}

/// A version-4 UUID (RFC 9562) from 16 random bytes: for `Idempotency-Key` where the
/// browser lacks `crypto.randomUUID` (pages served over plain http).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        push_hex(&mut out, *b, HEX_LOWER);
    }
    out
}

/// What came back from one attempt.
#[derive(Clone, Debug)]
pub enum Answer<'a> {
    /// No response: offline, DNS, CORS, connection reset.
    NetworkError,
    /// No response within `checkout.timeout_ms`.
    Timeout,
    Http {
        status: u16,
        body: &'a str,
        retry_after: Option<&'a str>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineProblem {
    pub item_id: String,
    /// `out_of_stock`, `price_changed`, `unknown_item` or `quantity`.
    pub reason: String,
}

impl LineProblem {
    /// `{item_id, reason}`, as `shoppable:checkout-error` lists it (SPEC §4).
    pub fn detail(&self) -> Json {
        Detail::new()
            .text("item_id", &self.item_id)
            .text("reason", &self.reason)
            .into_value()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Decision {
    Success {
        order_id: String,
        /// Only when it passed the scheme check; otherwise the order id is shown.
        redirect_url: Option<UrlRef>,
    },
    /// 409/422: the server refused this cart. Not retried; the cart is kept.
    Rejected {
        message: Option<String>,
        lines: Vec<LineProblem>,
    },
    RetryAfter {
        delay_ms: u32,
    },
    Failed {
        message: String,
        retryable: bool,
    },
}

/// One checkout of one cart, as a state machine over its attempts: the shell sends
/// attempt `attempt()`, hands the answer to `on_answer`, and carries out the decision —
/// waits `delay_ms` and sends again for `RetryAfter` (the run has moved to the next
/// attempt), settles the checkout for anything else. Every attempt of a run goes with the
/// same body and `Idempotency-Key`; the run knows neither, they live in the shell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    attempt: u32,
    max_attempts: u32,
}

impl Run {
    pub fn new(max_attempts: u32) -> Run {
        Run {
            attempt: 1,
            max_attempts: max_attempts.max(1),
        }
    }

    /// The attempt being sent or waited for, from 1.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// What the current attempt's answer leads to. `jitter` is uniform in 0..1 (the
    /// shell's `Math.random()`), `now_ms` the wall clock (for `Retry-After` dates).
    pub fn on_answer(&mut self, answer: &Answer<'_>, jitter: f64, now_ms: f64) -> Decision {
        let decision = decide(answer, self.attempt, self.max_attempts, jitter, now_ms);
        if matches!(decision, Decision::RetryAfter { .. }) {
            self.attempt += 1;
        }
        decision
    }
}

/// Decides what attempt number `attempt` (1-based) of at most `max_attempts` led to.
/// `jitter` is uniform in 0..1; `now_ms` is the wall clock, for `Retry-After` dates.
pub fn decide(
    answer: &Answer<'_>,
    attempt: u32,
    max_attempts: u32,
    jitter: f64,
    now_ms: f64,
) -> Decision {
    let (status, body, retry_after) = match answer {
        Answer::NetworkError => (None, "", None),
        Answer::Timeout => (None, "", None),
        Answer::Http {
            status,
            body,
            retry_after,
        } => (Some(*status), *body, *retry_after),
    };
    match status {
        Some(200..=299) => success(body),
        Some(s @ (409 | 422)) => rejected(s, body),
        None | Some(408 | 425 | 429 | 500..=599) => {
            let what = match (answer, status) {
                (Answer::Timeout, _) => "the checkout endpoint did not answer in time".into(),
                (_, None) => "the checkout endpoint could not be reached".into(),
                (_, Some(s)) => cat!("the checkout endpoint answered ", int(s.into())),
            };
            if attempt >= max_attempts {
                return Decision::Failed {
                    message: cat!(what, " (", int(attempt.into()), " attempts)"),
                    retryable: true,
                };
            }
            let backoff = backoff_ms(attempt, jitter);
            match retry_after.and_then(|h| retry_after_ms(h, now_ms)) {
                Some(wait) if wait > MAX_DELAY_MS => Decision::Failed {
                    message: cat!(
                        what,
                        ", and asked to wait ",
                        int((wait / 1000).into()),
                        " s"
                    ),
                    retryable: true,
                },
                Some(wait) => Decision::RetryAfter {
                    delay_ms: wait.max(backoff),
                },
                None => Decision::RetryAfter { delay_ms: backoff },
            }
        }
        // The server's own words go to the page's developer (the event and the rejected
        // promise), not to the shopper: outside 409/422 they are not written for shoppers.
        Some(other) => {
            let said = Json::parse(body).ok().and_then(|o| {
                o.get("error")
                    .and_then(|e| string(e, "message"))
                    .map(|m| cat!(": ", m))
            });
            Decision::Failed {
                message: cat!(
                    "the checkout endpoint answered ",
                    int(other.into()),
                    said.as_deref().unwrap_or_default()
                ),
                retryable: false,
            }
        }
    }
}

/// Exponential backoff with full jitter: uniform in 0..=min(cap, base × 2^(attempt−1)).
pub fn backoff_ms(attempt: u32, jitter: f64) -> u32 {
    let ceiling = BASE_DELAY_MS
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(MAX_DELAY_MS);
    (f64::from(ceiling) * jitter.clamp(0.0, 1.0)) as u32
}

/// `Retry-After` as delay-seconds or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`).
pub fn retry_after_ms(header: &str, now_ms: f64) -> Option<u32> {
    // HTTP's optional whitespace is spaces and tabs.
    let header = header.trim_ascii();
    if let Some(seconds) = parse_digits(header).and_then(|s| u32::try_from(s).ok()) {
        return Some(seconds.saturating_mul(1000));
    }
    let at = imf_fixdate_ms(header)?;
    Some((at - now_ms).clamp(0.0, f64::from(u32::MAX)) as u32)
}

fn imf_fixdate_ms(text: &str) -> Option<f64> {
    // "Sun, 06 Nov 1994 08:49:37 GMT"
    let (_weekday, rest) = super::split_once(text, ' ')?;
    let (day, rest) = super::split_once(rest, ' ')?;
    let (month, rest) = super::split_once(rest, ' ')?;
    let (year, rest) = super::split_once(rest, ' ')?;
    let (time, zone) = super::split_once(rest, ' ')?;
    let (h, ms) = super::split_once(time, ':')?;
    let (m, s) = super::split_once(ms, ':')?;
    if zone != "GMT" {
        return None;
    }
    // Every field is a few digits, so `as i64` is exact.
    let number = |p: &str| parse_digits(p).filter(|n| *n < 100_000).map(|n| n as i64);
    let (day, year) = (number(day)?, number(year)?);
    let (h, m, s) = (number(h)?, number(m)?, number(s)?);
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    // Days from civil (Howard Hinnant's algorithm), 1970-01-01 = 0.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) as f64)
}

/// A non-empty string field.
fn string<'a>(o: &'a Json, key: &str) -> Option<&'a str> {
    o.get(key).and_then(Json::as_str).filter(|s| !s.is_empty())
}

fn success(body: &str) -> Decision {
    let Ok(o @ Json::Object(_)) = Json::parse(body) else {
        return Decision::Failed {
            message: "the checkout endpoint answered without a JSON body".into(),
            retryable: false,
        };
    };
    let order_id = match o.get("order_id") {
        Some(Json::String(s)) if !s.is_empty() => s.clone(),
        Some(n) if n.as_u64().is_some() => n.to_text(),
        _ => {
            return Decision::Failed {
                message: "the checkout endpoint answered without an order_id".into(),
                retryable: false,
            }
        }
    };
    Decision::Success {
        order_id,
        redirect_url: string(&o, "redirect_url").and_then(|u| UrlRef::parse(u).ok()),
    }
}

/// A 409/422 without the protocol's `error` object (a proxy's HTML page, say) refuses the
/// cart just the same, but has nothing to show the shopper: a failure, not retried, whose
/// message tells the developer what came back.
fn rejected(status: u16, body: &str) -> Decision {
    let parsed = Json::parse(body).ok();
    let Some(error @ Json::Object(_)) = parsed.as_ref().and_then(|o| o.get("error")) else {
        return Decision::Failed {
            message: cat!(
                "the checkout endpoint answered ",
                int(status.into()),
                " without an error object"
            ),
            retryable: false,
        };
    };
    let mut lines = Vec::new();
    if let Some(Json::Array(problems)) = error.get("lines") {
        for l in problems {
            if let Some(item_id) = string(l, "item_id") {
                lines.push(LineProblem {
                    item_id: item_id.to_owned(),
                    reason: string(l, "reason").unwrap_or("unknown_item").to_owned(),
                });
            }
        }
    }
    Decision::Rejected {
        message: string(error, "message").map(str::to_owned),
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cart::tests::shop;

    fn http(status: u16, body: &str) -> Answer<'_> {
        Answer::Http {
            status,
            body,
            retry_after: None,
        }
    }

    #[test]
    fn a_line_problem_is_listed_with_its_item_and_reason() {
        let problem = LineProblem {
            item_id: "p1:m".into(),
            reason: "out_of_stock".into(),
        };
        assert_eq!(
            problem.detail().to_text(),
            r#"{"item_id":"p1:m","reason":"out_of_stock"}"#
        );
    }

    #[test]
    fn body_follows_the_protocol() {
        let c = shop("KWD", &["25.500"]);
        let mut cart = Cart::default();
        cart.add(&c, "p0", 2, Some("eid-lookbook-1")).unwrap();
        cart.add(&c, "dress-m", 1, None).unwrap();
        let body = request_body(&cart, &c, "https://brand.example/lookbook");
        assert_eq!(
            body,
            r#"{"currency":"KWD","locale":"en","subtotal":"57.000","lines":[{"item_id":"p0","product_id":"p0","variant_id":null,"quantity":2,"unit_price":"25.500","post_id":"eid-lookbook-1"},{"item_id":"dress-m","product_id":"dress","variant_id":"dress-m","quantity":1,"unit_price":"6.000","post_id":null}],"page":"https://brand.example/lookbook"}"#
        );
    }

    #[test]
    fn success_reads_order_and_checks_redirect_scheme() {
        assert_eq!(
            decide(
                &http(
                    201,
                    r#"{"order_id":"o-1","redirect_url":"https://x.example/thanks"}"#
                ),
                1,
                4,
                0.5,
                0.0
            ),
            Decision::Success {
                order_id: "o-1".into(),
                redirect_url: Some(UrlRef::parse("https://x.example/thanks").unwrap()),
            }
        );
        assert_eq!(
            decide(
                &http(
                    200,
                    r#"{"order_id":"o-2","redirect_url":"javascript:alert(1)"}"#
                ),
                1,
                4,
                0.5,
                0.0
            ),
            Decision::Success {
                order_id: "o-2".into(),
                redirect_url: None
            }
        );
        assert!(matches!(
            decide(&http(200, "{}"), 1, 4, 0.5, 0.0),
            Decision::Failed {
                retryable: false,
                ..
            }
        ));
    }

    #[test]
    fn conflict_and_unprocessable_show_lines_and_are_not_retried() {
        let body = r#"{"error":{"message":"Prices changed","lines":[{"item_id":"p0","reason":"price_changed"}]}}"#;
        for status in [409, 422] {
            assert_eq!(
                decide(&http(status, body), 1, 4, 0.5, 0.0),
                Decision::Rejected {
                    message: Some("Prices changed".into()),
                    lines: vec![LineProblem {
                        item_id: "p0".into(),
                        reason: "price_changed".into()
                    }],
                }
            );
        }
        assert_eq!(
            decide(&http(409, "<html>oops</html>"), 1, 4, 0.5, 0.0),
            Decision::Failed {
                message: "the checkout endpoint answered 409 without an error object".into(),
                retryable: false
            }
        );
        assert_eq!(
            decide(&http(422, r#"{"error":{}}"#), 1, 4, 0.5, 0.0),
            Decision::Rejected {
                message: None,
                lines: vec![]
            }
        );
    }

    #[test]
    fn transient_failures_retry_until_max_attempts() {
        for answer in [
            Answer::NetworkError,
            Answer::Timeout,
            http(408, ""),
            http(425, ""),
            http(429, ""),
            http(500, ""),
            http(503, ""),
            http(599, ""),
        ] {
            assert!(
                matches!(
                    decide(&answer, 1, 4, 1.0, 0.0),
                    Decision::RetryAfter { delay_ms: 500 }
                ),
                "{answer:?}"
            );
            assert!(
                matches!(
                    decide(&answer, 4, 4, 1.0, 0.0),
                    Decision::Failed {
                        retryable: true,
                        ..
                    }
                ),
                "{answer:?}"
            );
        }
    }

    #[test]
    fn other_statuses_fail_at_once() {
        for status in [301, 400, 401, 403, 404, 410] {
            assert_eq!(
                decide(&http(status, ""), 1, 4, 0.5, 0.0),
                Decision::Failed {
                    message: format!("the checkout endpoint answered {status}"),
                    retryable: false
                }
            );
        }
        // The server's message, when it sent one, is the developer's to read.
        assert_eq!(
            decide(
                &http(400, r#"{"error":{"message":"bad X-Shop-Key"}}"#),
                1,
                4,
                0.5,
                0.0
            ),
            Decision::Failed {
                message: "the checkout endpoint answered 400: bad X-Shop-Key".into(),
                retryable: false
            }
        );
    }

    #[test]
    fn backoff_doubles_with_full_jitter_and_a_cap() {
        assert_eq!(backoff_ms(1, 1.0), 500);
        assert_eq!(backoff_ms(2, 1.0), 1000);
        assert_eq!(backoff_ms(3, 1.0), 2000);
        assert_eq!(backoff_ms(3, 0.5), 1000);
        assert_eq!(backoff_ms(3, 0.0), 0);
        assert_eq!(backoff_ms(40, 1.0), MAX_DELAY_MS);
    }

    #[test]
    fn retry_after_is_honoured_as_seconds_or_date() {
        let answer = Answer::Http {
            status: 503,
            body: "",
            retry_after: Some("3"),
        };
        assert_eq!(
            decide(&answer, 1, 4, 0.0, 0.0),
            Decision::RetryAfter { delay_ms: 3000 }
        );
        // 1994-11-06T08:49:37Z is 784111777 s after the epoch.
        assert_eq!(
            imf_fixdate_ms("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777_000.0)
        );
        assert_eq!(
            retry_after_ms("Sun, 06 Nov 1994 08:49:39 GMT", 784_111_777_000.0),
            Some(2000)
        );
        assert_eq!(retry_after_ms("soon", 0.0), None);
        assert_eq!(retry_after_ms(" \t7 ", 0.0), Some(7000));
        // Only the IMF-fixdate shape, exactly.
        for bad in [
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Xyz 1994 08:49:37 GMT",
            "Sun, 6a Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(imf_fixdate_ms(bad), None, "{bad}");
        }
        let too_long = Answer::Http {
            status: 429,
            body: "",
            retry_after: Some("3600"),
        };
        assert!(matches!(
            decide(&too_long, 1, 4, 0.0, 0.0),
            Decision::Failed {
                retryable: true,
                ..
            }
        ));
    }

    #[test]
    fn uuid_v4_sets_version_and_variant() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let u = uuid_v4([
            0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x0f, 1, 2, 3, 4, 5, 6, 7,
        ]);
        assert_eq!(u, "12345678-9abc-4ef0-8f01-020304050607");
    }

    #[test]
    fn whatsapp_order_is_written_in_the_shop_language_and_encoded() {
        let c = shop("KWD", &["25.500"]);
        let mut cart = Cart::default();
        cart.add(&c, "p0", 2, None).unwrap();
        let price = |m: Money| format!("{} KWD", m.to_decimal(c.shop.currency));
        let en = whatsapp_message(
            &cart,
            &c,
            &Strings::new("en", &[]),
            "https://b.example/",
            price,
            |n| n.to_string(),
        );
        assert_eq!(
            en,
            "Hello S, I'd like to order:\n• 2 × \u{2068}P0\u{2069}: 25.500 KWD\nSubtotal: 51.000 KWD\nFrom: https://b.example/"
        );
        let arabic_digits = |n: u32| {
            n.to_string()
                .chars()
                .map(|d| char::from_u32(0x660 + d.to_digit(10).unwrap()).unwrap())
                .collect::<String>()
        };
        let ar = whatsapp_message(
            &cart,
            &c,
            &Strings::new("ar", &[]),
            "/",
            price,
            arabic_digits,
        );
        assert!(
            ar.starts_with("مرحبًا \u{2068}S\u{2069}، أودّ أن أطلب:"),
            "the shop's name isolated: {ar}"
        );
        assert!(
            ar.contains("• ٢ × \u{2068}P0\u{2069}: "),
            "quantities in the shop's digits: {ar}"
        );
        assert!(ar.contains("المجموع الفرعي: 51.000 KWD"), "{ar}");
        assert_eq!(
            whatsapp_url("96550000000", "Hi & bye\n"),
            "https://wa.me/96550000000?text=Hi%20%26%20bye%0A"
        );
    }

    #[test]
    fn a_run_retries_transient_answers_until_its_last_attempt() {
        let http = |status| Answer::Http {
            status,
            body: "",
            retry_after: None,
        };
        let mut run = Run::new(4);
        for (answer, next) in [
            (http(503), 2),
            (Answer::Timeout, 3),
            (Answer::NetworkError, 4),
        ] {
            let d = run.on_answer(&answer, 0.5, 0.0);
            assert!(
                matches!(d, Decision::RetryAfter { .. }),
                "{answer:?}: {d:?}"
            );
            assert_eq!(run.attempt(), next);
        }
        match run.on_answer(&http(429), 0.5, 0.0) {
            Decision::Failed { message, retryable } => {
                assert!(retryable, "the shopper may try again");
                assert!(message.contains("answered 429 (4 attempts)"), "{message}");
            }
            d => panic!("the fourth of four attempts ends the run: {d:?}"),
        }
        assert_eq!(run.attempt(), 4, "a finished run does not move on");
    }

    #[test]
    fn a_run_ends_at_the_first_answer_that_is_not_transient() {
        type Expect = fn(&Decision) -> bool;
        let answers: [(Answer<'_>, Expect); 4] = [
            (
                Answer::Http {
                    status: 201,
                    body: r#"{"order_id":"o-1"}"#,
                    retry_after: None,
                },
                |d| matches!(d, Decision::Success { order_id, .. } if order_id == "o-1"),
            ),
            (
                Answer::Http {
                    status: 409,
                    body: r#"{"error":{"message":"gone","lines":[]}}"#,
                    retry_after: None,
                },
                |d| matches!(d, Decision::Rejected { .. }),
            ),
            (
                Answer::Http {
                    status: 400,
                    body: "",
                    retry_after: None,
                },
                |d| {
                    matches!(
                        d,
                        Decision::Failed {
                            retryable: false,
                            ..
                        }
                    )
                },
            ),
            (
                Answer::Http {
                    status: 503,
                    body: "",
                    retry_after: Some("120"),
                },
                |d| {
                    matches!(
                        d,
                        Decision::Failed {
                            retryable: true,
                            ..
                        }
                    )
                },
            ),
        ];
        for (answer, expected) in answers {
            let mut run = Run::new(4);
            // A first transient answer, then the one under test on attempt 2.
            let _ = run.on_answer(&Answer::NetworkError, 0.0, 0.0);
            let d = run.on_answer(&answer, 0.0, 0.0);
            assert!(expected(&d), "{answer:?} led to {d:?}");
            assert_eq!(run.attempt(), 2);
        }
    }

    #[test]
    fn a_run_has_at_least_one_attempt() {
        let mut run = Run::new(0);
        assert!(matches!(
            run.on_answer(&Answer::Timeout, 0.0, 0.0),
            Decision::Failed { .. }
        ));
    }
}

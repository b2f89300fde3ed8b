//! Money: ISO 4217 currencies with their minor-unit exponents, amounts as integer minor
//! units, and the exact decimal-string form used in config, the JS API and the checkout
//! protocol. Nothing here rounds: a price with more decimals than its currency allows is
//! an error, never a silently changed amount.

use crate::prelude::*;

use ::core::fmt;

use super::json::{int, push_int, quoted};

/// Every active ISO 4217 code a shop can price in (funds codes included, precious metals
/// and test codes left out), as one string of 3-letter codes. Kept current to the end of
/// 2026: XCG replaced ANG (2025), the euro replaced BGN (2026), ZWG replaced ZWL (2024),
/// SLE replaced SLL, VED sits beside VES; HRK (2023) and CUC (2021) are gone. A single `&str` costs about
/// 540 bytes of wasm; a table of structs would cost several times that.
const ACTIVE_CODES: &str =
    "AEDAFNALLAMDAOAARSAUDAWGAZNBAMBBDBDTBHDBIFBMDBNDBOBBOVBRLBSDBTNBWPBYNBZD\
CADCDFCHECHFCHWCLFCLPCNYCOPCOUCRCCUPCVECZKDJFDKKDOPDZDEGPERNETBEURFJDFKPGBPGELGHSGIPGMDGNF\
GTQGYDHKDHNLHTGHUFIDRILSINRIQDIRRISKJMDJODJPYKESKGSKHRKMFKPWKRWKWDKYDKZTLAKLBPLKRLRDLSLLYD\
MADMDLMGAMKDMMKMNTMOPMRUMURMVRMWKMXNMXVMYRMZNNADNGNNIONOKNPRNZDOMRPABPENPGKPHPPKRPLNPYGQAR\
RONRSDRUBRWFSARSBDSCRSDGSEKSGDSHPSLESOSSRDSSPSTNSVCSYPSZLTHBTJSTMTTNDTOPTRYTTDTWDTZSUAHUGX\
USDUSNUYIUYUUYWUZSVEDVESVNDVUVWSTXAFXCDXCGXOFXPFYERZARZMWZWG";

/// Codes whose minor unit is not the usual two digits (ISO 4217 list one, "Minor unit").
const EXPONENT_0: &str = "BIFCLPDJFGNFISKJPYKMFKRWPYGRWFUGXUYIVNDVUVXAFXOFXPF";
const EXPONENT_3: &str = "BHDIQDJODKWDLYDOMRTND";
const EXPONENT_4: &str = "CLFUYW";

/// The largest amount we accept, in minor units: 10^14 (a trillion rupiah, ten billion
/// Chilean UF), far above any shop price. A cart subtotal is at most 100 lines × 99 × this,
/// 9.9 × 10^17, which stays below `i64::MAX` (9.2 × 10^18): the sum cannot overflow. (It was
/// 10^15 until a review found that 100 × 99 × 10^15 does overflow.) Amounts leave the core
/// as decimal strings, so the browser's 2^53 limit on exact numbers does not apply.
pub const MAX_MINOR: i64 = 100_000_000_000_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Currency {
    /// Where the code stands in `ACTIVE_CODES`.
    at: u16,
    exponent: u8,
}

/// Where `code` stands in `table`, a run of three-letter codes.
fn find_code(table: &str, code: &str) -> Option<usize> {
    table
        .as_bytes()
        .chunks(3)
        .position(|c| c == code.as_bytes())
        .map(|i| i * 3)
}

fn contains_code(table: &str, code: &str) -> bool {
    find_code(table, code).is_some()
}

impl Currency {
    /// Looks a code up; `None` for anything that is not an active ISO 4217 code (codes are
    /// upper case by the standard, so `kwd` is refused rather than guessed).
    pub fn from_code(code: &str) -> Option<Currency> {
        let at = find_code(ACTIVE_CODES, code).filter(|_| code.len() == 3)?;
        let exponent = if contains_code(EXPONENT_0, code) {
            0
        } else if contains_code(EXPONENT_3, code) {
            3
        } else if contains_code(EXPONENT_4, code) {
            4
        } else {
            2
        };
        Some(Currency {
            at: at as u16,
            exponent,
        })
    }

    pub fn code(&self) -> &str {
        // `get`, not indexing: no panic path (and its formatting) for a range that is
        // always in the table.
        let at = usize::from(self.at);
        ACTIVE_CODES.get(at..at + 3).unwrap_or("XXX")
    }

    /// Number of decimal digits of the minor unit (3 for KWD, 0 for JPY).
    pub fn exponent(&self) -> u8 {
        self.exponent
    }
}

/// An amount in integer minor units of some currency (fils, cents, yen). The currency is
/// kept beside it by the owner (one currency per config), not inside every value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(pub i64);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    NotADecimal,
    Negative,
    TooManyDecimals { found: usize },
    TooLarge,
}

impl MoneyError {
    /// The reason in words, with the value and currency for the person fixing the config.
    pub fn describe(&self, text: &str, currency: Currency) -> String {
        match self {
            MoneyError::NotADecimal => {
                cat!(quoted(text), " is not a decimal amount like \"12.50\"")
            }
            MoneyError::Negative => cat!(quoted(text), " is negative"),
            MoneyError::TooManyDecimals { found } => cat!(
                quoted(text),
                " has ",
                int(*found as u64),
                " decimals, ",
                currency.code(),
                " allows ",
                int(u64::from(currency.exponent()))
            ),
            MoneyError::TooLarge => cat!(quoted(text), " is too large"),
        }
    }
}

impl Money {
    /// Parses a plain decimal string (`"25.5"`, `"25.500"`, `"100"`) into minor units.
    /// No signs, exponents, separators or spaces: money in config is written one way.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        if let Some(rest) = text.strip_prefix('-') {
            if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                return Err(MoneyError::Negative);
            }
            return Err(MoneyError::NotADecimal);
        }
        let (whole, frac) = match super::split_once(text, '.') {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || frac.is_some_and(|f| !digits(f)) {
            return Err(MoneyError::NotADecimal);
        }
        let frac = frac.unwrap_or("");
        let exp = usize::from(currency.exponent());
        if frac.len() > exp {
            return Err(MoneyError::TooManyDecimals { found: frac.len() });
        }
        let mut minor: i64 = 0;
        let padded = frac.bytes().chain(::core::iter::repeat(b'0')).take(exp);
        for b in whole.bytes().chain(padded) {
            minor = minor
                .checked_mul(10)
                .and_then(|m| m.checked_add(i64::from(b - b'0')))
                .filter(|m| *m <= MAX_MINOR)
                .ok_or(MoneyError::TooLarge)?;
        }
        Ok(Money(minor))
    }

    /// The exact decimal string with all of the currency's digits: `25500` fils → `"25.500"`.
    pub fn to_decimal(self, currency: Currency) -> String {
        let exp = u32::from(currency.exponent());
        let mut out = String::new();
        if self.0 < 0 {
            out.push('-');
        }
        let abs = self.0.unsigned_abs();
        let scale = 10u64.pow(exp);
        push_int(&mut out, abs / scale, 0);
        if exp > 0 {
            out.push('.');
            push_int(&mut out, abs % scale, exp as usize);
        }
        out
    }

    /// `self × quantity`, `None` on overflow (which config limits make unreachable).
    pub fn times(self, quantity: u32) -> Option<Money> {
        self.0.checked_mul(i64::from(quantity)).map(Money)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(code: &str) -> Currency {
        Currency::from_code(code).expect("test currency exists")
    }

    #[test]
    fn exponents_follow_iso_4217() {
        for (code, exp) in [
            ("KWD", 3),
            ("BHD", 3),
            ("OMR", 3),
            ("JOD", 3),
            ("TND", 3),
            ("IQD", 3),
            ("LYD", 3),
            ("JPY", 0),
            ("KRW", 0),
            ("CLP", 0),
            ("VND", 0),
            ("ISK", 0),
            ("UGX", 0),
            ("XOF", 0),
            ("XAF", 0),
            ("SAR", 2),
            ("AED", 2),
            ("IDR", 2),
            ("PKR", 2),
            ("TRY", 2),
            ("EGP", 2),
            ("MYR", 2),
            ("USD", 2),
            ("CLF", 4),
        ] {
            assert_eq!(cur(code).exponent(), exp, "{code}");
            assert_eq!(cur(code).code(), code);
        }
    }

    #[test]
    fn unknown_and_malformed_codes_are_refused() {
        for code in ["", "KW", "KWDD", "kwd", "XXX", "XAU", "ABC", "ZZZ", "AED "] {
            assert_eq!(Currency::from_code(code), None, "{code:?}");
        }
    }

    #[test]
    fn the_list_follows_recent_iso_4217_changes() {
        for gone in [
            "HRK", "CUC", "SLL", "ZWL", "ANG", "BGN", "MRO", "STD", "VEF",
        ] {
            assert_eq!(Currency::from_code(gone), None, "{gone} is withdrawn");
        }
        for new in ["XCG", "ZWG", "SLE", "VED", "MRU", "STN", "VES", "SSP"] {
            assert!(Currency::from_code(new).is_some(), "{new} is active");
        }
    }

    #[test]
    fn the_code_table_is_well_formed() {
        for table in [ACTIVE_CODES, EXPONENT_0, EXPONENT_3, EXPONENT_4] {
            assert_eq!(table.len() % 3, 0);
            assert!(table.bytes().all(|b| b.is_ascii_uppercase()));
        }
        for special in [EXPONENT_0, EXPONENT_3, EXPONENT_4] {
            for code in special.as_bytes().chunks(3) {
                let code = ::core::str::from_utf8(code).unwrap();
                assert!(contains_code(ACTIVE_CODES, code), "{code} not active");
            }
        }
    }

    #[test]
    fn parses_decimal_strings_into_minor_units() {
        let kwd = cur("KWD");
        let jpy = cur("JPY");
        let aed = cur("AED");
        for (text, c, minor) in [
            ("25.500", kwd, 25_500),
            ("25.5", kwd, 25_500),
            ("25", kwd, 25_000),
            ("0.001", kwd, 1),
            ("1500", jpy, 1500),
            ("349.00", aed, 34_900),
            ("0", aed, 0),
            ("007.10", aed, 710),
        ] {
            assert_eq!(Money::parse(text, c), Ok(Money(minor)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_exact_amount() {
        let kwd = cur("KWD");
        for (text, err) in [
            ("12.3456", MoneyError::TooManyDecimals { found: 4 }),
            ("-1.000", MoneyError::Negative),
            ("", MoneyError::NotADecimal),
            (".5", MoneyError::NotADecimal),
            ("5.", MoneyError::NotADecimal),
            ("1e3", MoneyError::NotADecimal),
            ("+1", MoneyError::NotADecimal),
            (" 1", MoneyError::NotADecimal),
            ("1,000", MoneyError::NotADecimal),
            ("١٢", MoneyError::NotADecimal),
            ("99999999999999999999", MoneyError::TooLarge),
        ] {
            assert_eq!(Money::parse(text, kwd), Err(err), "{text:?}");
        }
        assert_eq!(
            Money::parse("1.5", cur("JPY")),
            Err(MoneyError::TooManyDecimals { found: 1 })
        );
    }

    #[test]
    fn error_text_names_value_and_currency_rule() {
        let kwd = cur("KWD");
        let err = Money::parse("12.3456", kwd).unwrap_err();
        assert_eq!(
            err.describe("12.3456", kwd),
            "\"12.3456\" has 4 decimals, KWD allows 3"
        );
    }

    #[test]
    fn prints_every_minor_digit() {
        assert_eq!(Money(25_500).to_decimal(cur("KWD")), "25.500");
        assert_eq!(Money(5).to_decimal(cur("KWD")), "0.005");
        assert_eq!(Money(1500).to_decimal(cur("JPY")), "1500");
        assert_eq!(Money(34_900).to_decimal(cur("AED")), "349.00");
        assert_eq!(Money(-710).to_decimal(cur("AED")), "-7.10");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn decimal_round_trips(minor in 0i64..=MAX_MINOR, code in prop::sample::select(vec!["KWD", "JPY", "AED", "CLF"])) {
                let c = cur(code);
                let text = Money(minor).to_decimal(c);
                prop_assert_eq!(Money::parse(&text, c), Ok(Money(minor)));
            }
        }
    }
}

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! A small JSON reader and writer (RFC 8259) for Cognito's flat bodies, the claims of a token and
//! the values this client stores.
//!
//! - [`parse()`] reads one JSON text into a [`Value`]: at most [`MAX_INPUT_BYTES`] bytes and
//!   [`MAX_DEPTH`] nested arrays and objects; strings with every escape (`\uD83D\uDE00` pairs
//!   into one scalar; a lone surrogate is an error); numbers kept as their source text, so no
//!   float is ever formatted and an integer of any size reads back exactly.
//! - Duplicate keys: an [`Object`] keeps every pair in source order and [`Object::get`] answers
//!   the **last** one, as `JSON.parse` and `serde_json::Value` do.
//! - [`Writer`] writes an object member by member, escaping as `serde_json` does (`"`, `\`,
//!   and U+0000–U+001F; everything else as UTF-8).
//! - [`Fields`] reads an object's members as typed fields, failing with a [`DecodeError`] that
//!   names the field and the JSON types, never the value.

use crate::prelude::*;
mod decode;
mod parse;
mod write;

pub use decode::{element, fields, DecodeError, Fields, Kind};
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
pub use parse::set_host_reader;
pub use parse::{
    parse, parse_bytes, HostReader, ParseError, ParseErrorKind, MAX_DEPTH, MAX_INPUT_BYTES,
};
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
pub use write::set_host_quoter;
pub use write::{write_string, HostQuoter, Writer};

/// A JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Object),
}

/// A number as its source text, which follows RFC 8259's grammar
/// (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(String);

/// A JSON object: its members in source order, duplicates included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Object(Vec<(String, Value)>);

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Its JSON type.
    pub fn kind(&self) -> Kind {
        match self {
            Value::Null => Kind::Null,
            Value::Bool(_) => Kind::Boolean,
            Value::Number(n) if n.is_integer() => Kind::Integer,
            Value::Number(_) => Kind::Float,
            Value::String(_) => Kind::String,
            Value::Array(_) => Kind::Array,
            Value::Object(_) => Kind::Object,
        }
    }

    /// The JSON text of this value (numbers as their source text).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write::write_value(&mut out, self);
        out
    }
}

impl Number {
    /// `None` unless `text` follows the grammar above.
    pub fn new(text: &str) -> Option<Number> {
        parse::is_number(text).then(|| Number(text.to_owned()))
    }

    /// `text` as is: it must follow the grammar above (as `JSON.stringify` writes a finite
    /// number), for a [`parse::HostReader`].
    pub fn from_grammar(text: String) -> Number {
        Number(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Written without fraction or exponent.
    pub fn is_integer(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// The integer, when written as one and within `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.is_integer()
            .then(|| crate::text::parse_i64(&self.0))
            .flatten()
    }

    /// The integer, when written as one and within `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.is_integer()
            .then(|| crate::text::parse_u64(&self.0))
            .flatten()
    }

    /// The integer part of the number (its decimal value truncated toward zero), saturating at
    /// the bounds of `i64`: `trunc(m · 10^e)` of `m` the digits around the `.` and `e` the
    /// exponent, read by shifting digits (no float). For a NumericDate (RFC 7519: any JSON
    /// number, so a fraction or an exponent too).
    pub fn trunc_i64(&self) -> i64 {
        const CAP: u64 = 1 << 63;
        let text = self.0.as_bytes();
        // Digits before the `.`, and the exponent (clamped: beyond ±10^6 every digit is kept or
        // dropped alike).
        let (mut whole, mut e, mut point, mut in_exponent, mut negative_exponent) =
            (0i64, 0i64, false, false, false);
        for &b in text {
            match b {
                b'0'..=b'9' if in_exponent => e = (e * 10 + i64::from(b - b'0')).min(1_000_000),
                b'0'..=b'9' => whole += i64::from(!point),
                b'.' => point = true,
                b'-' => negative_exponent = in_exponent,
                b'+' => {}
                _ => in_exponent = true,
            }
        }
        // Digits of the integer part once shifted.
        let mut keep = whole + if negative_exponent { -e } else { e };
        // `m · 10 + digit`, saturating at `CAP`.
        let push = |m: u64, digit: u64| {
            if m > (CAP - digit) / 10 {
                CAP
            } else {
                m * 10 + digit
            }
        };
        let mut magnitude: u64 = 0;
        for &b in text {
            if b | 0x20 == b'e' || keep <= 0 {
                break;
            }
            if b.is_ascii_digit() {
                magnitude = push(magnitude, u64::from(b - b'0'));
                keep -= 1;
            }
        }
        // Zeros the exponent appends past the last digit (20 reach the cap from any digit).
        if magnitude != 0 {
            for _ in 0..keep.min(20) {
                magnitude = push(magnitude, 0);
            }
        }
        if text.first() == Some(&b'-') {
            0i64.wrapping_sub(magnitude as i64)
        } else {
            magnitude.min(CAP - 1) as i64
        }
    }

    /// The number as an `f64`, when finite: correctly rounded when its significant digits fit
    /// 2^53 and its decimal exponent is within ±22 (every date and count Cognito sends; Clinger's
    /// fast path: `digits · 10^e` or `digits / 10^-e`, both exact operands), else within a few
    /// ulps (`core`'s correctly rounded parser brings its tables into the wasm; docs/json.md).
    pub fn as_f64(&self) -> Option<f64> {
        Some(self.to_f64()).filter(|f| f.is_finite())
    }

    /// As [`Number::as_f64`], ±infinity beyond the range of `f64`.
    fn to_f64(&self) -> f64 {
        let text = self.0.as_bytes();
        // The mantissa, then `e`/`E` and the exponent (`b | 0x20` folds `E` into `e` and leaves
        // digits, signs and `.` as they are).
        let split = text.iter().position(|&b| b | 0x20 == b'e');
        let (mantissa, exponent_text) = text
            .split_at_checked(split.unwrap_or(text.len()))
            .unwrap_or((text, &[]));
        let mut digits: u64 = 0;
        // Decimal exponent of the last digit kept in `digits`.
        let mut exponent: i64 = 0;
        let mut in_fraction = false;
        for &b in mantissa {
            match b {
                b'.' => in_fraction = true,
                b'0'..=b'9' if digits < 1_000_000_000_000_000_000 / 10 => {
                    digits = digits * 10 + u64::from(b - b'0');
                    exponent -= i64::from(in_fraction);
                }
                // Digits past the 18th only shift the exponent.
                b'0'..=b'9' => exponent += i64::from(!in_fraction),
                _ => {}
            }
        }
        let mut e: i64 = 0;
        for &b in exponent_text {
            if b.is_ascii_digit() {
                e = (e * 10 + i64::from(b - b'0')).min(100_000);
            }
        }
        exponent += if exponent_text.contains(&b'-') { -e } else { e };
        let negative = text.first() == Some(&b'-');
        // `digits · 10^exponent`, in steps of at most 10^22 (exact in an f64): one rounding
        // per step, a single one on the fast path.
        let mut value = digits as f64;
        let mut rest = if digits == 0 {
            0
        } else {
            exponent.unsigned_abs().min(400)
        };
        while rest > 0 {
            let step = rest.min(22);
            let power = (0..step).fold(1.0f64, |p, _| p * 10.0);
            value = if exponent > 0 {
                value * power
            } else {
                value / power
            };
            rest -= step;
        }
        if negative {
            -value
        } else {
            value
        }
    }
}

impl Object {
    /// The value of the last member named `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0
            .iter()
            .rev()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    /// Every member in source order, duplicates included.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, key: impl Into<String>, value: Value) {
        self.0.push((key.into(), value));
    }
}

/// As `serde_json::Value` serializes (for the JS boundary): an integer within `i64`/`u64` as that
/// integer, any other number as the nearest `f64` (±infinity beyond its range, as `JSON.parse`),
/// objects as maps in source order (a later duplicate overwrites an earlier one in a JS object).
impl serde::Serialize for Value {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => serializer.collect_seq(items),
            Value::Object(o) => o.serialize(serializer),
        }
    }
}

impl serde::Serialize for Number {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(i) = self.as_i64() {
            serializer.serialize_i64(i)
        } else if let Some(u) = self.as_u64() {
            serializer.serialize_u64(u)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

impl serde::Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text() {
        let n = |t: &str| Number::new(t).unwrap();
        assert_eq!(n("12").as_i64(), Some(12));
        assert_eq!(n("-0").as_i64(), Some(0));
        assert_eq!(n("12.0").as_i64(), None, "a fraction is not an integer");
        assert_eq!(n("1e3").as_i64(), None);
        assert_eq!(n("1e3").as_f64(), Some(1000.0));
        assert_eq!(n("-1").as_u64(), None);
        assert_eq!(n("18446744073709551615").as_u64(), Some(u64::MAX));
        assert_eq!(n("18446744073709551615").as_i64(), None);
        assert_eq!(n("1e400").as_f64(), None, "not finite");
        let big = "123456789012345678901234567890";
        assert_eq!(n(big).as_str(), big);
        assert_eq!(Value::Number(n(big)).to_json(), big);
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "+1", "0x10", "1e+", "NaN", " 1",
        ] {
            assert!(Number::new(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn floats_match_a_correctly_rounded_parser() {
        let f = |t: &str| Number::new(t).unwrap().as_f64();
        let exact = |t: &str| t.parse::<f64>().ok().filter(|x| x.is_finite());
        // Fast path (digits ≤ 2^53, exponent within ±22): the same bits.
        let mut fast = vec![
            "0",
            "-0",
            "1",
            "-1",
            "0.1",
            "0.2",
            "0.3",
            "1.5",
            "3600",
            "1700000000.123",
            "1.700000000123E9",
            "1.7e9",
            "9007199254740992",
            "1e22",
            "1e-22",
            "4.9e-10",
            "0.000001",
            "-2.5e-3",
            "1234567890123456e5",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let generated: Vec<String> = (0..5000)
            .map(|_| {
                let mantissa = next() % (1 << 53);
                let e = (next() % 45) as i64 - 22;
                format!("{mantissa}e{e}")
            })
            .collect();
        fast.extend(generated.iter().map(String::as_str));
        for t in &fast {
            assert_eq!(f(t), exact(t), "{t}");
        }
        assert_eq!(f("-0").map(f64::is_sign_negative), Some(true));
        // Elsewhere: within a few ulps.
        for t in [
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "1e300",
            "1e-300",
            "123456789012345678901234567890",
            "0.1000000000000000055511151231257827",
            "5e-324",
            "3.14159265358979323846264338327950288",
            "1e23",
            "9007199254740993",
            "123456789.987654321",
            "12345678901234567e5",
        ] {
            let (ours, theirs) = (f(t).unwrap(), exact(t).unwrap());
            assert!(
                ((ours - theirs) / theirs).abs() < 1e-14 || ours == theirs,
                "{t}: {ours} vs {theirs}"
            );
        }
        assert_eq!(f("1e400"), None);
        assert_eq!(f("-1e400"), None);
        assert_eq!(f("1e-400"), Some(0.0));
        assert_eq!(f("0e99999999999"), Some(0.0));
    }

    /// The integer part as the claims read it before: `as_i64`, else `as_f64` cast.
    fn trunc_by_f64(n: &Number) -> i64 {
        n.as_i64().unwrap_or_else(|| n.to_f64() as i64)
    }

    #[test]
    fn trunc_i64_is_the_integer_part() {
        let t = |text: &str| Number::new(text).unwrap().trunc_i64();
        for (text, expected) in [
            ("0", 0),
            ("-0", 0),
            ("-0.9", 0),
            ("1700000000", 1_700_000_000),
            ("1700000000.999", 1_700_000_000),
            ("-1700000000.999", -1_700_000_000),
            ("1.7e9", 1_700_000_000),
            ("17E+8", 1_700_000_000),
            ("170000000000e-2", 1_700_000_000),
            ("1.23456789e2", 123),
            ("5e-1", 0),
            ("0.000001e6", 1),
            ("0e99999999999", 0),
            ("1e99999999999", i64::MAX),
            ("-1e99999999999", i64::MIN),
            ("1e-99999999999", 0),
            ("9223372036854775807", i64::MAX),
            ("9223372036854775808", i64::MAX),
            ("-9223372036854775808", i64::MIN),
            ("-9223372036854775809", i64::MIN),
            ("922337203685477580.7e1", i64::MAX),
            ("123456789012345678901234567890", i64::MAX),
            ("1e18", 1_000_000_000_000_000_000),
            ("1e19", i64::MAX),
            ("1e300", i64::MAX),
            ("-1e300", i64::MIN),
        ] {
            assert_eq!(t(text), expected, "{text}");
        }
        // As the f64 reading wherever that is exact (below 2^53, at most 17 digits, as
        // `JSON.stringify` writes a double), over generated texts of every shape.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut checked = 0;
        for _ in 0..20_000 {
            let digits = next() % (1 << 53);
            let sign = if next() % 4 == 0 { "-" } else { "" };
            let text = match next() % 4 {
                0 => format!("{sign}{digits}"),
                1 => {
                    let s = digits.to_string();
                    let at = (next() as usize) % s.len();
                    let (a, b) = s.split_at(at.max(1));
                    if b.is_empty() {
                        format!("{sign}{a}")
                    } else {
                        format!("{sign}{a}.{b}")
                    }
                }
                2 => format!("{sign}{digits}e-{}", next() % 20),
                _ => format!("{sign}{}e{}", digits % 100_000, next() % 12),
            };
            let n = Number::new(&text).unwrap();
            let f = n.to_f64();
            // Exact when the double is an integer or its integer part is far from a rounding.
            if f.abs() < 9_007_199_254_740_992.0 && (f.fract() == 0.0 || f.fract().abs() > 1e-6) {
                assert_eq!(n.trunc_i64(), trunc_by_f64(&n), "{text}");
                checked += 1;
            }
        }
        assert!(checked > 15_000, "{checked}");
        // And beyond `i64`, where both saturate.
        for text in ["1e19", "-1e19", "1e400", "-1e400", "99999999999999999999.5"] {
            let n = Number::new(text).unwrap();
            assert_eq!(n.trunc_i64(), trunc_by_f64(&n), "{text}");
        }
    }

    #[test]
    fn the_last_duplicate_wins() {
        let v = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        let o = v.as_object().unwrap();
        assert_eq!(o.get("a").and_then(Value::as_number).unwrap().as_str(), "3");
        assert_eq!(o.len(), 3, "every pair is kept");
        assert_eq!(
            o.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["a", "b", "a"]
        );
        assert!(o.get("c").is_none());
    }

    #[test]
    fn serializes_as_serde_json_value() {
        let text = r#"{"s":"x","i":-5,"u":18446744073709551615,"f":1.5,"big":1e400,
            "a":[true,null,{"k":[]}],"e":{}}"#;
        let ours = serde_json::to_value(parse(text).unwrap()).unwrap();
        let mut theirs: serde_json::Value =
            serde_json::from_str(&text.replace("1e400", "0")).unwrap();
        theirs["big"] = serde_json::Value::Null; // serde_json refuses 1e400; ±inf becomes null
        assert_eq!(ours, theirs);
    }
}

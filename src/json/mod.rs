#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

//! A small JSON reader and writer (RFC 8259) for Cognito's flat bodies, the claims of a token and
//! the values this client stores.
//!
//! - [`parse`] reads one JSON text into a [`Value`]: at most [`MAX_INPUT_BYTES`] bytes and
//!   [`MAX_DEPTH`] nested arrays and objects; strings with every escape (`\uD83D\uDE00` pairs
//!   into one scalar; a lone surrogate is an error); numbers kept as their source text, so no
//!   float is ever formatted and an integer of any size reads back exactly.
//! - Duplicate keys: an [`Object`] keeps every pair in source order and [`Object::get`] answers
//!   the **last** one, as `JSON.parse` and `serde_json::Value` do.
//! - [`Writer`] writes an object member by member, escaping as `serde_json` does (`"`, `\`,
//!   and U+0000–U+001F; everything else as UTF-8).
//! - [`Fields`] reads an object's members as typed fields, failing with a [`DecodeError`] that
//!   names the field and the JSON types, never the value.

mod decode;
mod parse;
mod write;

pub use decode::{element, fields, DecodeError, Fields, Kind};
pub use parse::{parse, parse_bytes, ParseError, ParseErrorKind, MAX_DEPTH, MAX_INPUT_BYTES};
pub use write::{write_string, Writer};

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

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Written without fraction or exponent.
    pub fn is_integer(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// The integer, when written as one and within `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        self.is_integer().then(|| self.0.parse().ok()).flatten()
    }

    /// The integer, when written as one and within `u64`.
    pub fn as_u64(&self) -> Option<u64> {
        self.is_integer().then(|| self.0.parse().ok()).flatten()
    }

    /// The nearest `f64`, when finite.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|f| f.is_finite())
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
            serializer.serialize_f64(self.0.parse::<f64>().unwrap_or(f64::NAN))
        }
    }
}

impl serde::Serialize for Object {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
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

//! Typed reads of a parsed object's members, with serde's conventions: an absent or `null`
//! member reads as `None` for `opt_*`; a list or map read with a default is empty when absent
//! (but `null` there is an error); extra members are ignored.

use crate::prelude::*;
use core::fmt;

use super::{Object, Value};

use crate::map::VecMap;

/// A JSON type, as an error names it (never the value itself: it may be a token).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Boolean,
    Integer,
    Float,
    String,
    Array,
    Object,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Integer => "integer",
            Kind::Float => "floating point",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

/// Why a parsed value is not the shape expected. `field` is the member it was found in (empty
/// for the whole value); `expected` says what it should have been (`"a string"`, `"u64"`,
/// `"struct AuthenticationResult"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// A required member is absent.
    Missing { field: &'static str },
    /// A value of another JSON type.
    InvalidType {
        field: &'static str,
        found: Kind,
        expected: &'static str,
    },
    /// A number the field cannot hold (negative for `u64`, beyond `i64`, not finite).
    InvalidValue {
        field: &'static str,
        found: Kind,
        expected: &'static str,
    },
}

impl DecodeError {
    /// The `Display` text, built without `core::fmt`: `missing field `f``, or
    /// `[`f`: ]invalid type|value: <found>, expected <expected>`.
    pub fn message(&self) -> String {
        let (field, what, found, expected) = match *self {
            DecodeError::Missing { field } => return ["missing field `", field, "`"].cat(),
            DecodeError::InvalidType {
                field,
                found,
                expected,
            } => (field, "invalid type", found, expected),
            DecodeError::InvalidValue {
                field,
                found,
                expected,
            } => (field, "invalid value", found, expected),
        };
        let quoted: [&str; 3] = match field.is_empty() {
            true => ["", "", ""],
            false => ["`", field, "`: "],
        };
        [
            quoted[0],
            quoted[1],
            quoted[2],
            what,
            ": ",
            found.name(),
            ", expected ",
            expected,
        ]
        .cat()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for DecodeError {}

fn invalid_type(field: &'static str, value: &Value, expected: &'static str) -> DecodeError {
    DecodeError::InvalidType {
        field,
        found: value.kind(),
        expected,
    }
}

/// The members of one object, read as fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    object: &'a Object,
}

/// `value` as an object (`expected` names it in the error: `"struct AuthResponse"`).
pub fn fields<'a>(value: &'a Value, expected: &'static str) -> Result<Fields<'a>, DecodeError> {
    element(value, "", expected)
}

/// `value`, found in member `field` (an array's element, say), as an object.
pub fn element<'a>(
    value: &'a Value,
    field: &'static str,
    expected: &'static str,
) -> Result<Fields<'a>, DecodeError> {
    match value {
        Value::Object(object) => Ok(Fields { object }),
        other => Err(invalid_type(field, other, expected)),
    }
}

impl<'a> Fields<'a> {
    /// The member, `None` when absent or `null`.
    fn present(&self, key: &'static str) -> Option<&'a Value> {
        self.object.get(key).filter(|v| **v != Value::Null)
    }

    fn required(&self, key: &'static str) -> Result<&'a Value, DecodeError> {
        self.object
            .get(key)
            .ok_or(DecodeError::Missing { field: key })
    }

    pub fn object(&self) -> &'a Object {
        self.object
    }

    pub fn str(&self, key: &'static str) -> Result<&'a str, DecodeError> {
        let value = self.required(key)?;
        value.as_str().ok_or(invalid_type(key, value, "a string"))
    }

    pub fn opt_str(&self, key: &'static str) -> Result<Option<&'a str>, DecodeError> {
        match self.present(key) {
            None => Ok(None),
            Some(value) => value
                .as_str()
                .map(Some)
                .ok_or(invalid_type(key, value, "a string")),
        }
    }

    pub fn string(&self, key: &'static str) -> Result<String, DecodeError> {
        self.str(key).map(str::to_owned)
    }

    pub fn opt_string(&self, key: &'static str) -> Result<Option<String>, DecodeError> {
        self.opt_str(key).map(|s| s.map(str::to_owned))
    }

    pub fn bool(&self, key: &'static str) -> Result<bool, DecodeError> {
        match self.required(key)? {
            Value::Bool(b) => Ok(*b),
            other => Err(invalid_type(key, other, "a boolean")),
        }
    }

    pub fn opt_i64(&self, key: &'static str) -> Result<Option<i64>, DecodeError> {
        self.opt_number(key, "i64", |n| n.as_i64())
    }

    pub fn opt_u64(&self, key: &'static str) -> Result<Option<u64>, DecodeError> {
        self.opt_number(key, "u64", |n| n.as_u64())
    }

    /// Any number, as the nearest `f64` (finite).
    pub fn opt_f64(&self, key: &'static str) -> Result<Option<f64>, DecodeError> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(DecodeError::InvalidValue {
                field: key,
                found: Kind::Float,
                expected: "a finite f64",
            }),
            Some(other) => Err(invalid_type(key, other, "f64")),
        }
    }

    /// An integer: a fraction or exponent is of the wrong type, an integer out of range of the
    /// wrong value (serde's distinction).
    fn opt_number<T>(
        &self,
        key: &'static str,
        expected: &'static str,
        read: fn(&super::Number) -> Option<T>,
    ) -> Result<Option<T>, DecodeError> {
        match self.present(key) {
            None => Ok(None),
            Some(value @ Value::Number(n)) if !n.is_integer() => {
                Err(invalid_type(key, value, expected))
            }
            Some(Value::Number(n)) => read(n).map(Some).ok_or(DecodeError::InvalidValue {
                field: key,
                found: Kind::Integer,
                expected,
            }),
            Some(other) => Err(invalid_type(key, other, expected)),
        }
    }

    /// A nested object, `None` when absent or `null`.
    pub fn opt_fields(
        &self,
        key: &'static str,
        expected: &'static str,
    ) -> Result<Option<Fields<'a>>, DecodeError> {
        self.present(key)
            .map(|value| element(value, key, expected))
            .transpose()
    }

    /// An array; empty when absent.
    pub fn array(&self, key: &'static str) -> Result<&'a [Value], DecodeError> {
        match self.object.get(key) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(other) => Err(invalid_type(key, other, "an array")),
        }
    }

    /// An array, `None` when absent or `null`.
    pub fn opt_array(&self, key: &'static str) -> Result<Option<&'a [Value]>, DecodeError> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(invalid_type(key, other, "an array")),
        }
    }

    /// An array of strings, `None` when absent or `null`.
    pub fn opt_string_array(&self, key: &'static str) -> Result<Option<Vec<String>>, DecodeError> {
        fn read(item: &Value, key: &'static str) -> Result<String, DecodeError> {
            item.as_str()
                .map(str::to_owned)
                .ok_or(invalid_type(key, item, "a string"))
        }
        self.opt_array(key)?
            .map(|items| read_all(items, key, read))
            .transpose()
    }

    /// The array in `key` (empty when absent), each element read by `read(element, key)`.
    pub fn list<T>(
        &self,
        key: &'static str,
        read: fn(&Value, &'static str) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        read_all(self.array(key)?, key, read)
    }

    /// As [`Fields::list`], `None` when absent or `null`.
    pub fn opt_list<T>(
        &self,
        key: &'static str,
        read: fn(&Value, &'static str) -> Result<T, DecodeError>,
    ) -> Result<Option<Vec<T>>, DecodeError> {
        self.opt_array(key)?
            .map(|items| read_all(items, key, read))
            .transpose()
    }

    /// An object of strings; empty when absent. Of duplicate names the last counts.
    pub fn string_map(&self, key: &'static str) -> Result<VecMap<String, String>, DecodeError> {
        let object = match self.object.get(key) {
            None => return Ok(VecMap::new()),
            Some(Value::Object(object)) => object,
            Some(other) => return Err(invalid_type(key, other, "a map of strings")),
        };
        let mut map = VecMap::with_capacity(object.len());
        for (name, value) in object.iter() {
            let value = value.as_str().ok_or(invalid_type(key, value, "a string"))?;
            map.insert(name.to_owned(), value.to_owned());
        }
        Ok(map)
    }
}

fn read_all<T>(
    items: &[Value],
    key: &'static str,
    read: fn(&Value, &'static str) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(read(item, key)?);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::parse;
    use super::*;

    #[test]
    fn fields_read_as_serde_would() {
        let v = parse(
            r#"{"s":"x","n":null,"i":-3,"u":7,"f":1.5e9,"b":true,"o":{"k":"v"},
                "a":["p","q"],"m":{"x":"1","x":"2"}}"#,
        )
        .unwrap();
        let f = fields(&v, "struct T").unwrap();
        assert_eq!(f.str("s"), Ok("x"));
        assert_eq!(f.opt_str("n"), Ok(None));
        assert_eq!(f.opt_str("absent"), Ok(None));
        assert_eq!(f.opt_i64("i"), Ok(Some(-3)));
        assert_eq!(f.opt_u64("u"), Ok(Some(7)));
        assert_eq!(f.opt_f64("f"), Ok(Some(1.5e9)));
        assert_eq!(f.opt_f64("i"), Ok(Some(-3.0)));
        assert_eq!(f.bool("b"), Ok(true));
        assert_eq!(
            f.opt_fields("o", "struct O").unwrap().unwrap().str("k"),
            Ok("v")
        );
        assert!(f.opt_fields("n", "struct O").unwrap().is_none());
        assert_eq!(
            f.opt_string_array("a"),
            Ok(Some(vec!["p".into(), "q".into()]))
        );
        assert_eq!(f.string_map("m").unwrap()["x"], "2");
        assert!(f.string_map("absent").unwrap().is_empty());
        assert!(f.array("absent").unwrap().is_empty());
    }

    #[test]
    fn errors_name_the_field_and_types_not_the_value() {
        let v = parse(
            r#"{"secret":"eyJ.token","n":null,"f":3600.0,"neg":-1,"big":99999999999999999999,
                "inf":1e999,"m":{"a":5}}"#,
        )
        .unwrap();
        let f = fields(&v, "struct T").unwrap();
        let message = |e: DecodeError| e.to_string();
        assert_eq!(
            message(f.str("absent").unwrap_err()),
            "missing field `absent`"
        );
        assert_eq!(
            message(f.opt_i64("secret").unwrap_err()),
            "`secret`: invalid type: string, expected i64"
        );
        assert_eq!(
            message(f.str("n").unwrap_err()),
            "`n`: invalid type: null, expected a string"
        );
        assert_eq!(
            message(f.opt_i64("f").unwrap_err()),
            "`f`: invalid type: floating point, expected i64"
        );
        assert_eq!(
            message(f.opt_u64("neg").unwrap_err()),
            "`neg`: invalid value: integer, expected u64"
        );
        assert_eq!(
            message(f.opt_i64("big").unwrap_err()),
            "`big`: invalid value: integer, expected i64"
        );
        assert!(f.opt_f64("inf").is_err());
        assert_eq!(
            message(
                f.opt_fields("secret", "struct AuthenticationResult")
                    .unwrap_err()
            ),
            "`secret`: invalid type: string, expected struct AuthenticationResult"
        );
        assert_eq!(
            message(f.string_map("n").unwrap_err()),
            "`n`: invalid type: null, expected a map of strings"
        );
        assert!(f.string_map("m").is_err());
        assert!(f.array("n").is_err(), "null is not an absent list");
        assert_eq!(
            message(fields(&parse("[]").unwrap(), "struct T").unwrap_err()),
            "invalid type: array, expected struct T"
        );
        assert!(!message(f.opt_u64("secret").unwrap_err()).contains("eyJ"));
    }
}

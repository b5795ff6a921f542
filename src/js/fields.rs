//! Options read by hand: typed readers over an options object's [`snapshot`] (plain data, so no
//! read can throw), each failure an `InvalidParameterError` naming the option — the session
//! module's options without serde (its `deserialize_struct` copies and the float formatting of
//! its messages).
//!
//! [`snapshot`]: super::args::snapshot

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::args::snapshot;
use crate::error::Error;

/// A value's kind in serde's words (`floating point`, `sequence`, …), never the value itself.
fn kind(value: &JsValue) -> &'static str {
    if value.is_string() {
        "string"
    } else if value.as_f64().is_some() {
        "floating point"
    } else if value.as_bool().is_some() {
        "boolean"
    } else if Array::is_array(value) {
        "sequence"
    } else if value.is_object() {
        "map"
    } else {
        "a value"
    }
}

/// The fields of one options object; `what` names it in messages (`CognitoAuth options`).
pub struct Fields {
    copy: JsValue,
    what: String,
}

impl Fields {
    /// The fields of `value`'s snapshot; `value` must be an object.
    pub fn of(value: &JsValue, what: &str) -> Result<Fields, Error> {
        let copy = snapshot(value, what)?;
        if !copy.is_object() || Array::is_array(&copy) {
            return Err(Error::invalid_parameter(
                [what, ": invalid type: a value, expected an object"].concat(),
            ));
        }
        Ok(Fields {
            copy,
            what: what.to_owned(),
        })
    }

    /// serde's message without the value (which may be a secret), as `redact_serde_message` leaves
    /// it: the kind of what was given ([`kind`]) and what was expected.
    fn invalid(&self, key: &str, expected: &str) -> Error {
        let given = Reflect::get(&self.copy, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        Error::invalid_parameter(
            [
                &self.what,
                ": ",
                key,
                ": invalid type: ",
                kind(&given),
                ", expected ",
                expected,
            ]
            .concat(),
        )
    }

    /// The value of `key`; `None` when `undefined` or `null` (as serde reads an `Option`).
    fn get(&self, key: &str) -> Option<JsValue> {
        Reflect::get(&self.copy, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, Error> {
        self.get(key)
            .map(|v| v.as_string().ok_or_else(|| self.invalid(key, "a string")))
            .transpose()
    }

    /// A string that must be there: `"{what}: missing field `key`"` otherwise.
    pub fn required_string(&self, key: &str) -> Result<String, Error> {
        self.string(key)?.ok_or_else(|| {
            Error::invalid_parameter([&self.what, ": missing field `", key, "`"].concat())
        })
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, Error> {
        self.get(key)
            .map(|v| v.as_bool().ok_or_else(|| self.invalid(key, "a boolean")))
            .transpose()
    }

    /// A finite number.
    pub fn number(&self, key: &str) -> Result<Option<f64>, Error> {
        self.get(key)
            .map(|v| {
                v.as_f64()
                    .filter(|n| n.is_finite())
                    .ok_or_else(|| self.invalid(key, "a number"))
            })
            .transpose()
    }

    /// An integer in `0..=u32::MAX`.
    pub fn u32(&self, key: &str) -> Result<Option<u32>, Error> {
        self.get(key)
            .map(|v| {
                v.as_f64()
                    .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
                    .map(|n| n as u32)
                    .ok_or_else(|| self.invalid(key, "an integer from 0 to 4294967295"))
            })
            .transpose()
    }

    /// A nested options object, named `{what}.{key}` in its messages.
    pub fn object(&self, key: &str) -> Result<Option<Fields>, Error> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        if !value.is_object() || Array::is_array(&value) {
            return Err(self.invalid(key, "an object"));
        }
        Ok(Some(Fields {
            copy: value,
            what: [&self.what, ".", key].concat(),
        }))
    }

    /// A `Record<string, string>`, as the map type `M` (`VecMap`).
    pub fn string_map<M: FromIterator<(String, String)>>(
        &self,
        key: &str,
    ) -> Result<Option<M>, Error> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        if !value.is_object() || Array::is_array(&value) {
            return Err(self.invalid(key, "a map of strings"));
        }
        // A loop, not `collect::<Result<M, _>>()`: no iterator adapters per map type.
        let mut pairs = Vec::new();
        for name in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
            let item = Reflect::get(&value, &name).ok().and_then(|v| v.as_string());
            match (name.as_string(), item) {
                (Some(name), Some(item)) => pairs.push((name, item)),
                _ => return Err(self.invalid(key, "a map of strings")),
            }
        }
        Ok(Some(pairs.into_iter().collect()))
    }

    /// An array of strings.
    pub fn strings(&self, key: &str) -> Result<Option<Vec<String>>, Error> {
        let Some(value) = self.get(key) else {
            return Ok(None);
        };
        let array: Array = value
            .dyn_into()
            .map_err(|_| self.invalid(key, "an array of strings"))?;
        let mut items = Vec::new();
        for item in array.iter() {
            match item.as_string() {
                Some(item) => items.push(item),
                None => return Err(self.invalid(key, "an array of strings")),
            }
        }
        Ok(Some(items))
    }
}

//! Options read by hand: typed readers over an options object's [`snapshot`] (plain data, so no
//! read can throw), each failure an `InvalidParameterError` naming the option — the session
//! module's options without serde (its `deserialize_struct` copies and the float formatting of
//! its messages).
//!
//! The readers (`text`, `flag`, …) give a plain value and record the first failure, as plain
//! data, for [`Fields::finish`]: a struct of many options is read with one error check (no early
//! return, and its drop glue, per field), the error being the first in field order.
//!
//! [`snapshot`]: super::args::snapshot

use crate::prelude::*;
use core::cell::Cell;

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::args::snapshot;
use crate::error::Error;
use crate::map::VecMap;

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

/// An object that is not an array.
fn is_record(value: &JsValue) -> bool {
    value.is_object() && !Array::is_array(value)
}

fn is_bool(value: &JsValue) -> bool {
    value.as_bool().is_some()
}

#[cfg(any(feature = "session", feature = "signin"))]
fn is_finite(value: &JsValue) -> bool {
    value.as_f64().is_some_and(f64::is_finite)
}

/// An integer in `0..=u32::MAX`.
fn is_u32(value: &JsValue) -> bool {
    value
        .as_f64()
        .is_some_and(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n))
}

/// A failed read, kept as plain data until its message is needed ([`Fields::error`]).
#[derive(Clone, Copy)]
struct Failure<'a> {
    /// The nested object's key (`oauth`), or empty.
    within: &'a str,
    key: &'a str,
    /// `None`: the field is missing; else what was given ([`kind`]) and what was expected.
    invalid: Option<(&'static str, &'static str)>,
}

/// The fields of one options object; `what` names it in messages (`CognitoAuth options`).
pub struct Fields<'a> {
    copy: JsValue,
    what: &'a str,
    /// A nested object's key (`oauth` of `CognitoAuth options.oauth`), or empty.
    within: &'a str,
    /// The first failed read.
    failed: Cell<Option<Failure<'a>>>,
}

impl<'a> Fields<'a> {
    /// The fields of `value`'s snapshot; `value` must be an object.
    pub fn of(value: &JsValue, what: &'a str) -> Result<Fields<'a>, Error> {
        let copy = snapshot(value, what)?;
        if !is_record(&copy) {
            return Err(Error::invalid_parameter(
                [what, ": invalid type: a value, expected an object"].cat(),
            ));
        }
        Ok(Fields {
            copy,
            what,
            within: "",
            failed: Cell::new(None),
        })
    }

    /// `value`, or the first failed read's error.
    pub fn finish<T>(self, value: T) -> Result<T, Error> {
        match self.failed.get() {
            None => Ok(value),
            Some(failure) => Err(self.error(failure)),
        }
    }

    /// The fields of a method's optional `params`: [`Fields::of`], `undefined` and `null` read as
    /// `{}` (every field absent).
    pub fn of_params(value: &JsValue, what: &'a str) -> Result<Fields<'a>, Error> {
        if value.is_undefined() || value.is_null() {
            return Ok(Fields {
                copy: js_sys::Object::new().into(),
                what,
                within: "",
                failed: Cell::new(None),
            });
        }
        Fields::of(value, what)
    }

    /// Whether every read so far succeeded (no message made: for a caller with one error of
    /// its own).
    #[cfg(any(feature = "session", feature = "signin"))]
    pub fn all_read(&self) -> bool {
        self.failed.get().is_none()
    }

    /// `"{what}: missing field `key`"`, or serde's message without the value (which may be a
    /// secret), as `redact_serde_message` leaves it: `"{what}: {key}: invalid type: {kind},
    /// expected {expected}"` (`what` with `.{within}` for a nested object's field).
    fn error(&self, failure: Failure<'a>) -> Error {
        let dot = if failure.within.is_empty() { "" } else { "." };
        let (head, tail) = match failure.invalid {
            None => (": missing field `", ["`", "", "", ""]),
            Some((kind, expected)) => (": ", [": invalid type: ", kind, ", expected ", expected]),
        };
        let [t0, t1, t2, t3] = tail;
        let message = [
            self.what,
            dot,
            failure.within,
            head,
            failure.key,
            t0,
            t1,
            t2,
            t3,
        ]
        .cat();
        Error::invalid_parameter(message)
    }

    /// Keeps `failure` unless a read failed before it.
    fn note(&self, failure: Failure<'a>) {
        if self.failed.get().is_none() {
            self.failed.set(Some(failure));
        }
    }

    /// Records that `key` holds `given`, not `expected`.
    fn fail(&self, key: &'a str, given: &JsValue, expected: &'static str) {
        self.note(Failure {
            within: self.within,
            key,
            invalid: Some((kind(given), expected)),
        });
    }

    /// The value of `key`; `None` when `undefined` or `null` (as serde reads an `Option`).
    fn get(&self, key: &str) -> Option<JsValue> {
        Reflect::get(&self.copy, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    }

    /// The value of `key` when `accept` takes it; otherwise `None`, the failure recorded.
    fn typed(
        &self,
        key: &'a str,
        expected: &'static str,
        accept: fn(&JsValue) -> bool,
    ) -> Option<JsValue> {
        let value = self.get(key)?;
        if accept(&value) {
            Some(value)
        } else {
            self.fail(key, &value, expected);
            None
        }
    }

    /// Whether `key` holds a value (neither `undefined` nor `null`; a function is none).
    #[cfg(not(feature = "session"))]
    pub fn given(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A string.
    pub fn text(&self, key: &'a str) -> Option<String> {
        self.typed(key, "a string", JsValue::is_string)?.as_string()
    }

    /// Whether `key` holds a string ([`Fields::text`] without the copy).
    #[cfg(not(feature = "session"))]
    pub fn has_text(&self, key: &'a str) -> bool {
        self.typed(key, "a string", JsValue::is_string).is_some()
    }

    /// A string that must be there (empty when it is not).
    pub fn required_text(&self, key: &'a str) -> String {
        let text = self.text(key);
        if text.is_none() && self.get(key).is_none() {
            self.note(Failure {
                within: self.within,
                key,
                invalid: None,
            });
        }
        text.unwrap_or_default()
    }

    /// A boolean.
    pub fn flag(&self, key: &'a str) -> Option<bool> {
        self.typed(key, "a boolean", is_bool)?.as_bool()
    }

    #[cfg(any(feature = "session", feature = "signin"))]
    /// A finite number.
    pub fn finite(&self, key: &'a str) -> Option<f64> {
        self.typed(key, "a number", is_finite)?.as_f64()
    }

    /// An integer in `0..=u32::MAX`.
    pub fn whole(&self, key: &'a str) -> Option<u32> {
        let n = self.typed(key, "an integer from 0 to 4294967295", is_u32)?;
        n.as_f64().map(|n| n as u32)
    }

    #[cfg(any(feature = "session", feature = "signin"))]
    /// A nested options object, named `{what}.{key}` in its messages; its reads'
    /// first failure comes back here with [`Fields::adopt`].
    pub fn nested(&self, key: &'a str) -> Option<Fields<'a>> {
        let copy = self.typed(key, "an object", is_record)?;
        Some(Fields {
            copy,
            what: self.what,
            within: key,
            failed: Cell::new(None),
        })
    }

    #[cfg(any(feature = "session", feature = "signin"))]
    /// Records the first failure of `nested`'s reads (unless one came before).
    pub fn adopt(&self, nested: Fields<'a>) {
        if let Some(failure) = nested.failed.get() {
            self.note(failure);
        }
    }

    /// A `Record<string, string>`.
    pub fn text_map(&self, key: &'a str) -> Option<VecMap<String, String>> {
        const EXPECTED: &str = "a map of strings";
        let value = self.typed(key, EXPECTED, is_record)?;
        // A loop, not `collect::<Result<_, _>>()`: no iterator adapters, no list in between.
        let mut map = VecMap::new();
        // The copy's own entries: plain data, so no read throws.
        for entry in js_sys::Object::entries(value.unchecked_ref::<js_sys::Object>()).iter() {
            let entry = entry.unchecked_into::<Array>();
            match (entry.get(0).as_string(), entry.get(1).as_string()) {
                (Some(name), Some(item)) => {
                    map.insert(name, item);
                }
                _ => {
                    self.fail(key, &value, EXPECTED);
                    return None;
                }
            }
        }
        Some(map)
    }

    #[cfg(any(feature = "session", feature = "signin"))]
    /// An array of strings.
    pub fn texts(&self, key: &'a str) -> Option<Vec<String>> {
        const EXPECTED: &str = "an array of strings";
        let value = self.typed(key, EXPECTED, Array::is_array)?;
        let mut items = Vec::new();
        for item in value.unchecked_ref::<Array>().iter() {
            match item.as_string() {
                Some(item) => items.push(item),
                None => {
                    self.fail(key, &value, EXPECTED);
                    return None;
                }
            }
        }
        Some(items)
    }
}

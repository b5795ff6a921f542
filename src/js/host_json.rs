//! The core's JSON reader ([`crate::json::HostReader`]) as the host's `JSON.parse`
//! (`host_json.js`), for the browser builds (feature `host-json`): its value tree converted into
//! the core's [`Value`]. Where the two readers differ is `docs/json.md`'s "The host's reader".

use crate::prelude::*;
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::json::{Number, Object, ParseError, ParseErrorKind, Value, MAX_DEPTH};
use crate::jwt::PartError;

#[wasm_bindgen(module = "/src/js/host_json.js")]
extern "C" {
    /// `JSON.parse(text)` as a tape; throws 1 (too deep), 2 (a number beyond `f64`), or
    /// `JSON.parse`'s error.
    #[wasm_bindgen(catch)]
    fn tape(text: &str, max: u32) -> Result<Array, JsValue>;
    /// The UTF-8 text of the base64url (unpadded) `part`, or 1 (not base64url) or 2 (not UTF-8).
    #[wasm_bindgen(js_name = text)]
    fn host_part_text(part: &str) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.stringify(text)`.
    #[wasm_bindgen(js_namespace = JSON, js_name = stringify)]
    fn stringify(text: &str) -> String;
}

/// Makes the core read JSON with [`read`], write its strings with `JSON.stringify` and read JWT
/// parts with [`part_text`].
pub(super) fn register() {
    crate::json::set_host_reader(read);
    crate::json::set_host_quoter(stringify);
    crate::jwt::set_host_text(part_text);
}

/// `part` decoded by `atob` and `TextDecoder` ([`crate::jwt::HostText`]).
fn part_text(part: &str) -> Result<String, PartError> {
    let answer = host_part_text(part);
    match answer.as_string() {
        Some(text) => Ok(text),
        None if answer.as_f64() == Some(2.0) => Err(PartError::NotUtf8),
        None => Err(PartError::NotBase64url),
    }
}

/// `text` read by `JSON.parse`.
fn read(text: &str) -> Result<Value, ParseError> {
    match tape(text, MAX_DEPTH as u32) {
        Ok(items) => Ok(Tape { items, next: 0 }.value()),
        Err(thrown) => {
            let kind = match thrown.as_f64() {
                Some(1.0) => ParseErrorKind::TooDeep,
                Some(2.0) => ParseErrorKind::InvalidNumber,
                _ => ParseErrorKind::NotJson,
            };
            Err(ParseError { kind, at: 0 })
        }
    }
}

/// A tape being read: its items from `next` on.
struct Tape {
    items: Array,
    next: u32,
}

impl Tape {
    fn item(&mut self) -> JsValue {
        let item = self.items.get(self.next);
        self.next = self.next.wrapping_add(1);
        item
    }

    /// A tag or a count (0 past the end).
    fn count(&mut self) -> u32 {
        self.item().as_f64().map_or(0, |n| n as u32)
    }

    fn text(&mut self) -> String {
        self.item().as_string().unwrap_or_default()
    }

    /// The value whose tag is next (its nesting bounded by the tape's `max`).
    fn value(&mut self) -> Value {
        match self.count() {
            0 => Value::Null,
            1 => Value::Bool(true),
            2 => Value::Bool(false),
            3 => Value::Number(Number::from_grammar(self.text())),
            4 => Value::String(self.text()),
            5 => {
                let mut items = Vec::new();
                for _ in 0..self.count() {
                    items.push(self.value());
                }
                Value::Array(items)
            }
            _ => {
                let mut members = Object::default();
                for _ in 0..self.count() {
                    let key = self.text();
                    let value = self.value();
                    members.push(key, value);
                }
                Value::Object(members)
            }
        }
    }
}

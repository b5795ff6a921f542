//! Options objects into Rust types and results into plain JS values (serde-wasm-bindgen over
//! the catching [`snapshot`] of `src/js/args.rs`).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use super::args::snapshot;
use super::error::invalid_options;
use crate::error::Error;

/// An options object parsed from its [`snapshot`] (read at once, with catching reads: call it
/// before any task starts).
pub(super) fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, Error> {
    serde_wasm_bindgen::from_value(snapshot(&value, what)?).map_err(|e| invalid_options(what, e))
}

/// Optional options: `undefined`/`null` read as `{}`.
pub(super) fn from_js_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    from_js(value, what)
}

pub(super) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::invalid_response(e.to_string()))
}

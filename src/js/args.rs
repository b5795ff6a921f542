//! Caller values read safely: a `string` parameter checked (never handed to wasm-bindgen's string
//! glue, which traps on a number or `{ length: 2**31 }`), a function parameter checked, and an
//! options object copied into plain data with catching reads before any task starts, so a
//! throwing getter or Proxy trap is an `InvalidParameterError` and serde then reads only the copy
//! (a JS exception never unwinds WebAssembly frames: the copy is made, and its exceptions caught,
//! in JS).

#[cfg(any(
    feature = "session",
    feature = "workers",
    feature = "oauth",
    feature = "verifier"
))]
use crate::prelude::*;
#[cfg(any(feature = "workers", feature = "session"))]
use js_sys::Function;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
#[cfg(any(feature = "workers", feature = "session"))]
use wasm_bindgen::JsCast;

use crate::error::Error;
use crate::text::Cat;

/// `value` as a string, else `InvalidParameterError` "`what` must be a string".
#[cfg(any(
    feature = "session",
    feature = "workers",
    feature = "oauth",
    feature = "verifier"
))]
pub fn string_arg(value: &JsValue, what: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| Error::invalid_parameter([what, " must be a string"].cat()))
}

/// `value` as a string, `None` when `undefined` or `null`.
#[cfg(feature = "oauth")]
pub fn optional_string_arg(value: &JsValue, what: &str) -> Result<Option<String>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    string_arg(value, what).map(Some)
}

/// `value` as a function, else `InvalidParameterError`.
#[cfg(feature = "workers")]
pub fn function_arg(value: JsValue, what: &str) -> Result<Function, Error> {
    value
        .dyn_into::<Function>()
        .map_err(|_| Error::invalid_parameter([what, " must be a function"].cat()))
}

/// Keys of an options object that are read by reference (`Reflect.get`), never copied: a storage
/// object (which may be `localStorage`) and functions; comma-separated.
const BY_REFERENCE: &str = "storage,fetch";
/// The most objects nested in one another, and the most properties, a copy takes.
const MAX_DEPTH: u32 = 16;
const MAX_PROPERTIES: u32 = 10_000;

#[wasm_bindgen(module = "/src/js/snapshot.js")]
extern "C" {
    /// The copy [`snapshot`] describes; throws 1 (too deep), 2 (too many properties) or 0 (a
    /// read threw).
    #[wasm_bindgen(catch, js_name = snapshot)]
    fn copy(
        value: &JsValue,
        by_reference: &str,
        max_depth: u32,
        budget: u32,
    ) -> Result<JsValue, JsValue>;
}

/// A copy of `value` made of fresh objects (without prototype) and arrays (primitives kept,
/// functions and the top-level [`BY_REFERENCE`] keys left out), read in JS (`snapshot.js`, its
/// exceptions caught there): own and inherited string-keyed properties (getters included, as
/// serde reads them) up to `Object.prototype`, an own one shadowing an inherited one; arrays by
/// index up to `length` (not a number: 0). A read that throws, a cycle (deeper than
/// [`MAX_DEPTH`]) or more than [`MAX_PROPERTIES`] properties (each key listed, each array
/// element and each prototype past the first spends one) is `InvalidParameterError`.
pub fn snapshot(value: &JsValue, what: &str) -> Result<JsValue, Error> {
    copy(value, BY_REFERENCE, MAX_DEPTH, MAX_PROPERTIES).map_err(|code| {
        let reason = match code.as_f64() {
            Some(1.0) => "the options nest too deeply (or contain a cycle)",
            Some(2.0) => "the options have too many properties",
            _ => "the options could not be read (a getter or Proxy trap threw)",
        };
        Error::invalid_parameter([what, ": ", reason].cat())
    })
}

/// `value` as a JS string, `undefined` when `None` (what an `Option<String>` return gives JS,
/// through a smaller export).
#[cfg(feature = "session")]
pub fn optional_string(value: Option<String>) -> JsValue {
    value.map_or(JsValue::UNDEFINED, JsValue::from)
}

/// An option given as a JS object (not read by serde): `undefined` when absent.
pub fn js_option(options: &JsValue, name: &str) -> Result<JsValue, Error> {
    Reflect::get(options, &JsValue::from_str(name))
        .map_err(|_| Error::invalid_parameter("options must be an object"))
}

/// The option `name` as a function (`undefined`/`null`: none); anything else is
/// `InvalidParameterError` with `message`.
#[cfg(feature = "session")]
pub fn optional_function(
    options: &JsValue,
    name: &str,
    message: &'static str,
) -> Result<Option<Function>, Error> {
    match js_option(options, name)? {
        f if f.is_undefined() || f.is_null() => Ok(None),
        f => f
            .dyn_into::<Function>()
            .map(Some)
            .map_err(|_| Error::invalid_parameter(message)),
    }
}

/// [`string_arg`] for a synchronous method: the error as the JS `Error` to throw.
#[cfg(any(feature = "session", feature = "workers"))]
pub fn string_param(value: &JsValue, what: &str) -> Result<String, JsValue> {
    string_arg(value, what).map_err(|e| super::error::to_js_error(&e))
}

//! Rust errors → JS `Error` objects with `name`, `code`, `message`, `status` and `retryable`;
//! JS values → Rust errors, without panicking.

use crate::prelude::*;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::error::Error;

/// An `Error` whose `name` is [`Error::name`] and `code` [`Error::code`].
pub fn to_js_error(error: &Error) -> JsValue {
    let js = js_sys::Error::new(&error.message());
    js.set_name(error.name());
    let set = |key: &str, value: JsValue| {
        let _ = Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(error.code()));
    set("retryable", JsValue::from_bool(error.retryable()));
    if let Some(status) = error.status() {
        set("status", JsValue::from(status));
    }
    js.into()
}

/// `name: message` of a JS `Error`; `None` for any other value.
pub fn name_and_message(value: &JsValue) -> Option<String> {
    let e = value.dyn_ref::<js_sys::Error>()?;
    Some([&String::from(e.name()), ": ", &String::from(e.message())].cat())
}

/// The `message` of a JS `Error`, a thrown string itself, else `fallback`.
pub fn thrown_message(value: &JsValue, fallback: &str) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| fallback.into())
}

/// An options object that does not deserialize.
#[cfg(any(feature = "account", feature = "oauth", feature = "verifier"))]
pub fn invalid_options(what: &str, e: serde_wasm_bindgen::Error) -> Error {
    // Without the value serde quotes: `{ code: 123456 }` must not put the code in the message.
    Error::invalid_parameter(
        [
            what,
            ": ",
            &crate::error::redact_serde_message(&e.to_string()),
        ]
        .cat(),
    )
}

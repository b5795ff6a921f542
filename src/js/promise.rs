//! Core futures as JS Promises that reject with a typed `Error`.

use std::future::Future;

use js_sys::Promise;
use wasm_bindgen::JsValue;

use super::error::to_js_error;
use crate::error::Error;

/// Runs `work` as a Promise that rejects with a typed `Error`.
pub(super) fn promise<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    super::panic::guard(async move { work.await.map_err(|e| to_js_error(&e)) })
}

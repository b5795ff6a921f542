//! Core futures as JS Promises that reject with a typed `Error`.

use std::future::Future;
use std::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::JsValue;

use super::error::to_js_error;
use crate::error::Error;

/// Runs `work` as a Promise that rejects with a typed `Error`. Generic only to box: the error
/// conversion and the guard are one copy ([`promise_boxed`]).
#[inline]
pub(super) fn promise<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    promise_boxed(Box::pin(work))
}

/// [`promise`] over a boxed future.
#[inline(never)]
fn promise_boxed(work: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    super::panic::guard(async move { work.await.map_err(|e| to_js_error(&e)) })
}

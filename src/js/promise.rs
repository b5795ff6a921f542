//! Core futures as JS Promises that reject with a typed `Error`.

use crate::prelude::*;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use js_sys::Promise;
use wasm_bindgen::JsValue;

use super::error::to_js_error;
use crate::error::Error;

/// Runs `work` as a Promise that rejects with a typed `Error`. Generic only to box: the error
/// conversion and the guard are one copy ([`ToJsError`]).
#[inline]
pub(super) fn promise<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    promise_boxed(Box::pin(work))
}

#[inline(never)]
fn promise_boxed(work: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    super::panic::guard(ToJsError(work))
}

/// A boxed core future whose error becomes the JS `Error` ([`to_js_error`]).
struct ToJsError(Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>);

impl Future for ToJsError {
    type Output = Result<JsValue, JsValue>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.0
            .as_mut()
            .poll(cx)
            .map(|outcome| outcome.map_err(|e| to_js_error(&e)))
    }
}

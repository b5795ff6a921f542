//! [`Platform`] over the host's `fetch` (or one the caller passes), `setTimeout` and `Date.now`.
//! Only globals every runtime has: no `window`, so it runs in browsers, Node and Workers alike.
//! The request's I/O and the timer are two JS functions (src/js/post.js); every rule is here.

use crate::prelude::*;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use super::task::{awaited, Awaited};
use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::{name_and_message, thrown_message};
use crate::transport::{FormRequest, HttpRequest, HttpResponse, Platform, TransportError};

#[wasm_bindgen(module = "/src/js/post.js")]
extern "C" {
    /// `POST url` through `fetch` (else `globalThis.fetch`) after `wait` ms (at once when
    /// negative), redirects not followed, aborted `ms` after it is sent: resolves with
    /// `[status, opaqueRedirect, errorType | null, text]`, rejects with `[kind, thrown?]` (kinds:
    /// [`Failure`]).
    #[wasm_bindgen(js_name = post)]
    fn js_post(
        fetch: Option<Function>,
        url: &str,
        content_type: &str,
        target: Option<&str>,
        authorization: Option<&str>,
        body: &str,
        ms: i32,
        wait: i32,
    ) -> Promise;

    /// A Promise resolved (with `undefined`) after `ms` ms.
    #[wasm_bindgen(js_name = sleep)]
    fn js_sleep(ms: i32) -> Promise;
}

/// What `post.js` rejects with: `[kind, thrown]`, `kind` in the order of these variants.
enum Failure {
    /// 0: the timer fired first (the request was aborted).
    Timeout,
    /// 1: no `fetch` given and no global one.
    NoFetch,
    /// 2: `new Request` threw `thrown`.
    Request,
    /// 3: `fetch`, the body read or `AbortController` threw or rejected with `thrown`.
    Thrown,
    /// 4: `fetch` resolved to something that is not a `Response`.
    NotResponse,
}

impl Failure {
    fn of(kind: JsValue) -> Failure {
        match kind.as_f64().unwrap_or(3.0) as u8 {
            0 => Failure::Timeout,
            1 => Failure::NoFetch,
            2 => Failure::Request,
            4 => Failure::NotResponse,
            _ => Failure::Thrown,
        }
    }

    /// The transport error: the timeout, else `NetworkError` with the thrown value's message.
    fn error(self, thrown: &JsValue) -> TransportError {
        TransportError::Network(match self {
            Failure::Timeout => return TransportError::Timeout,
            Failure::NoFetch => "this runtime has no global fetch".into(),
            Failure::Request => name_and_message(thrown).unwrap_or_else(|| js_message(thrown)),
            Failure::Thrown => js_message(thrown),
            Failure::NotResponse => "fetch resolved to something that is not a Response".into(),
        })
    }
}

/// Longest answer accepted: Cognito's are a few KB (tokens included).
const MAX_BODY_BYTES: usize = 1 << 20;
// The limit as the over-limit message writes it.
const _: () = assert!(MAX_BODY_BYTES == 1_048_576);

/// Sends with `fetch`: the one given at construction, else `globalThis.fetch`.
pub struct FetchPlatform {
    fetch: Option<Function>,
}

impl FetchPlatform {
    pub fn new(fetch: Option<Function>) -> Self {
        FetchPlatform { fetch }
    }
}

/// The message of a thrown JS value, for `NetworkError` (never contains the request).
pub(super) fn js_message(value: &JsValue) -> String {
    thrown_message(value, "fetch failed")
}

/// `[status, opaqueRedirect, errorType, text]` → the response: a redirect (an opaque one or a
/// 3xx) is a `NetworkError`, a body that is not text or over [`MAX_BODY_BYTES`] `Unreadable`.
fn response_of(answer: &Array) -> Result<HttpResponse, TransportError> {
    let status = answer.get(0).as_f64().unwrap_or(0.0) as u16;
    if answer.get(1).is_truthy() || (300..400).contains(&status) {
        return Err(TransportError::Network(
            "the endpoint answered with a redirect, which is not followed".into(),
        ));
    }
    let body = answer
        .get(3)
        .as_string()
        .ok_or_else(|| TransportError::Unreadable("body is not text".into()))?;
    if body.len() > MAX_BODY_BYTES {
        let mut reason = String::from("body of ");
        crate::text::push_u64(&mut reason, body.len() as u64);
        reason.push_str(" bytes is over the 1048576-byte limit");
        return Err(TransportError::Unreadable(reason));
    }
    Ok(HttpResponse {
        status,
        error_type: answer.get(2).as_string(),
        body,
    })
}

impl FetchPlatform {
    /// `POST url` with `Content-Type`, the headers given and `body`, redirects not followed, within
    /// `timeout_ms`: sent `wait_ms` after the future is made (at once when `None`), answered by
    /// [`Posting`].
    #[allow(clippy::too_many_arguments)]
    fn post(
        &self,
        wait_ms: Option<u32>,
        url: &str,
        content_type: &str,
        target: Option<&str>,
        authorization: Option<&str>,
        body: &str,
        timeout_ms: u32,
    ) -> Posting {
        // Cognito never redirects; following one would resend the body (a password) elsewhere:
        // post.js asks for "manual" ("error" fails in workerd, which accepts only "follow" and "manual").
        let ms = i32::try_from(timeout_ms).unwrap_or(i32::MAX);
        let wait = wait_ms.map_or(-1, |w| i32::try_from(w).unwrap_or(i32::MAX));
        let promise = js_post(
            self.fetch.clone(),
            url,
            content_type,
            target,
            authorization,
            body,
            ms,
            wait,
        );
        Posting(awaited(promise))
    }
}

/// `post.js`'s settled Promise as the transport's answer: [`response_of`], or the failure's
/// error ([`Failure`]). A plain future over the `Awaited`: no state machine of its own.
struct Posting(Awaited);

impl Future for Posting {
    type Output = Result<HttpResponse, TransportError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx).map(|settled| match settled {
            Ok(answer) => response_of(answer.unchecked_ref()),
            Err(failure) => {
                let failure: &Array = failure.unchecked_ref();
                Err(Failure::of(failure.get(0)).error(&failure.get(1)))
            }
        })
    }
}

/// `post.js`'s `sleep` Promise, resolved after the delay; `()` (a plain future over the `Awaited`).
struct Sleeping(Awaited);

impl Future for Sleeping {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        Pin::new(&mut self.0).poll(cx).map(drop)
    }
}

// `send` and `send_form` are `post`'s own future (no state machine around it), sent when made.
impl Platform for FetchPlatform {
    fn send(
        &self,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.send_after(None, request)
    }

    /// The wait is post.js's timer: one Promise for the backoff and the request.
    fn send_after(
        &self,
        wait_ms: Option<u32>,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.post(
            wait_ms,
            &request.url,
            "application/x-amz-json-1.1",
            Some(request.target.as_str()),
            None,
            request.body.expose_secret(),
            request.timeout_ms,
        )
    }

    fn send_form(
        &self,
        request: &FormRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self.post(
            None,
            &request.url,
            "application/x-www-form-urlencoded",
            None,
            request.authorization.as_ref().map(|a| a.expose_secret()),
            request.body.expose_secret(),
            request.timeout_ms,
        )
    }

    /// The timer starts when the future is made.
    fn sleep(&self, ms: u32) -> impl Future<Output = ()> {
        Sleeping(awaited(js_sleep(i32::try_from(ms).unwrap_or(i32::MAX))))
    }

    /// `Math.random()` scaled to 32 bits: the jitter needs no CSPRNG.
    fn random_u32(&self) -> u32 {
        (js_sys::Math::random() * 4_294_967_296.0) as u32
    }

    fn now_ms(&self) -> u64 {
        js_sys::Date::now().max(0.0) as u64
    }
}

/// `globalThis.fetch`.
impl Default for FetchPlatform {
    fn default() -> Self {
        FetchPlatform::new(None)
    }
}

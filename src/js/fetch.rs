//! [`Platform`] over the host's `fetch` (or one the caller passes), `setTimeout` and `Date.now`.
//! Only globals every runtime has: no `window`, so it runs in browsers, Node and Workers alike.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Response};

use super::error::{name_and_message, thrown_message};
use crate::transport::{FormRequest, HttpRequest, HttpResponse, Platform, TransportError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Longest answer accepted: Cognito's are a few KB (tokens included).
const MAX_BODY_BYTES: usize = 1 << 20;
// The limit as the over-limit message writes it.
const _: () = assert!(MAX_BODY_BYTES == 1_048_576);

/// A thrown JS error as `name: message` (a value that is no `Error`: [`js_message`]).
fn build_error(error: &JsValue) -> String {
    name_and_message(error).unwrap_or_else(|| js_message(error))
}

/// `target[name] = value`.
fn set(target: &Object, name: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(name), value);
}

/// Sends with `fetch`: the one given at construction, else `globalThis.fetch`.
pub struct FetchPlatform {
    fetch: Option<Function>,
}

impl FetchPlatform {
    pub fn new(fetch: Option<Function>) -> Self {
        FetchPlatform { fetch }
    }

    fn fetch_function(&self) -> Result<(Function, JsValue), TransportError> {
        fetch_function(self.fetch.as_ref()).map_err(TransportError::Network)
    }
}

/// `(fetch, this)`: the caller's `fetch` (called with `this` undefined), else `globalThis.fetch`.
pub(super) fn fetch_function(custom: Option<&Function>) -> Result<(Function, JsValue), String> {
    if let Some(fetch) = custom {
        return Ok((fetch.clone(), JsValue::UNDEFINED));
    }
    let global = js_sys::global();
    Reflect::get(&global, &JsValue::from_str("fetch"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .map(|f| (f, global.into()))
        .ok_or_else(|| "this runtime has no global fetch".into())
}

/// A timer that aborts the request and rejects, so that a `fetch` ignoring its signal (or a body
/// that never ends) still times out.
pub(super) struct Deadline {
    timer_id: JsValue,
    fired: Rc<Cell<bool>>,
    promise: Promise,
    _on_fire: Closure<dyn FnMut()>,
}

impl Deadline {
    pub(super) fn start(ms: u32, controller: &AbortController) -> Deadline {
        let fired = Rc::new(Cell::new(false));
        let mut reject_slot: Option<Function> = None;
        let promise = Promise::new(&mut |_resolve, reject| reject_slot = Some(reject));
        let on_fire = {
            let fired = fired.clone();
            let controller = controller.clone();
            Closure::<dyn FnMut()>::new(move || {
                fired.set(true);
                controller.abort();
                if let Some(reject) = &reject_slot {
                    let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from_str("timeout"));
                }
            })
        };
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let timer_id = set_timeout(on_fire.as_ref().unchecked_ref(), ms);
        Deadline {
            timer_id,
            fired,
            promise,
            _on_fire: on_fire,
        }
    }

    /// `work`, or the deadline if it comes first.
    pub(super) async fn race(&self, work: Promise) -> Result<JsValue, JsValue> {
        JsFuture::from(Promise::race(&Array::of2(&work, &self.promise))).await
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer_id);
    }
}

/// The message of a thrown JS value, for `NetworkError` (never contains the request).
pub(super) fn js_message(value: &JsValue) -> String {
    thrown_message(value, "fetch failed")
}

impl FetchPlatform {
    /// `POST url` with `headers` (those with a value) and `body`, redirects not followed, within `timeout_ms`.
    async fn post(
        &self,
        url: &str,
        headers: [(&str, Option<&str>); 2],
        body: &str,
        timeout_ms: u32,
    ) -> Result<HttpResponse, TransportError> {
        let (fetch, this) = self.fetch_function()?;
        let controller =
            AbortController::new().map_err(|e| TransportError::Network(js_message(&e)))?;
        // `new Request(url, {method, headers, body, signal, redirect})`.
        let header_values = Object::new();
        for (name, value) in headers {
            if let Some(value) = value {
                set(&header_values, name, &JsValue::from_str(value));
            }
        }
        let init = Object::new();
        set(&init, "method", &JsValue::from_str("POST"));
        set(&init, "headers", &header_values);
        set(&init, "body", &JsValue::from_str(body));
        set(&init, "signal", &controller.signal());
        // Cognito never redirects; following one would resend the body (a password) elsewhere.
        // "manual", not "error": workerd accepts only "follow" and "manual".
        set(&init, "redirect", &JsValue::from_str("manual"));
        let raw_request = Reflect::get(&js_sys::global(), &JsValue::from_str("Request"))
            .and_then(|c| c.dyn_into::<Function>())
            .and_then(|c| Reflect::construct(&c, &Array::of2(&JsValue::from_str(url), &init)))
            .map_err(|e| TransportError::Network(build_error(&e)))?;

        let deadline = Deadline::start(timeout_ms, &controller);
        let outcome = async {
            let called = fetch.call1(&this, &raw_request)?;
            let answer = deadline.race(Promise::resolve(&called)).await?;
            let response: Response = answer.dyn_into().map_err(|_| {
                JsValue::from_str("fetch resolved to something that is not a Response")
            })?;
            let text_promise = response.text()?;
            let text = deadline.race(text_promise).await?;
            Ok::<_, JsValue>((response, text))
        }
        .await;

        match outcome {
            Ok((response, _))
                if is_opaque_redirect(&response) || (300..400).contains(&response.status()) =>
            {
                Err(TransportError::Network(
                    "the endpoint answered with a redirect, which is not followed".into(),
                ))
            }
            Ok((response, text)) => {
                let body = text
                    .as_string()
                    .ok_or_else(|| TransportError::Unreadable("body is not text".into()))?;
                if body.len() > MAX_BODY_BYTES {
                    let mut reason = String::from("body of ");
                    crate::text::push_u64(&mut reason, body.len() as u64);
                    reason.push_str(" bytes is over the 1048576-byte limit");
                    return Err(TransportError::Unreadable(reason));
                }
                Ok(HttpResponse {
                    status: response.status(),
                    error_type: response.headers().get("x-amzn-errortype").ok().flatten(),
                    body,
                })
            }
            Err(_) if deadline.fired.get() => Err(TransportError::Timeout),
            Err(e) => Err(TransportError::Network(js_message(&e))),
        }
    }
}

/// Whether `response.type` is `"opaqueredirect"` (a redirect `redirect: "manual"` stopped), read
/// as a string: web-sys's `ResponseType` conversion brings a panic path.
fn is_opaque_redirect(response: &Response) -> bool {
    Reflect::get(response, &JsValue::from_str("type"))
        .ok()
        .and_then(|t| t.as_string())
        .is_some_and(|t| t == "opaqueredirect")
}

// `send` and `send_form` are `post`'s own future (no state machine around it).
impl Platform for FetchPlatform {
    fn send(
        &self,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let headers = [
            ("Content-Type", Some("application/x-amz-json-1.1")),
            ("X-Amz-Target", Some(request.target.as_str())),
        ];
        self.post(
            &request.url,
            headers,
            request.body.expose_secret(),
            request.timeout_ms,
        )
    }

    fn send_form(
        &self,
        request: &FormRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let headers = [
            ("Content-Type", Some("application/x-www-form-urlencoded")),
            (
                "Authorization",
                request.authorization.as_ref().map(|a| a.expose_secret()),
            ),
        ];
        self.post(
            &request.url,
            headers,
            request.body.expose_secret(),
            request.timeout_ms,
        )
    }

    async fn sleep(&self, ms: u32) {
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let promise = Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, ms);
        });
        let _ = JsFuture::from(promise).await;
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

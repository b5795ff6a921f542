//! The Fetch API's `Request` and `Response` from Rust, through the runtime's globals (workerd,
//! Node and browsers have them): header and body reads, JSON and redirect responses, and
//! `Set-Cookie` lines appended to a response.

use super::task::awaited;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Headers;

fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
}

/// `request.headers.get(name)`; `None` when absent or when `request` is not a Request.
pub fn header(request: &JsValue, name: &str) -> Option<String> {
    let headers = get(request, "headers").ok()?;
    if !headers.is_object() {
        return None;
    }
    headers.unchecked_into::<Headers>().get(name).ok().flatten()
}

/// `request.method`, `""` when missing.
pub fn method(request: &JsValue) -> String {
    get(request, "method")
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_default()
}

/// `request.url`, `""` when missing.
pub fn url(request: &JsValue) -> String {
    get(request, "url")
        .ok()
        .and_then(|u| u.as_string())
        .unwrap_or_default()
}

/// Appends `headers` to `response`'s (mutable: a Response this module made).
pub fn append_headers(response: &JsValue, headers: &[(&str, &str)]) -> Result<(), JsValue> {
    let all: Headers = get(response, "headers")?.dyn_into()?;
    for (name, value) in headers {
        all.append(name, value)?;
    }
    Ok(())
}

/// The path of `request.url` (`/auth/sign-in` of `https://x.dev/auth/sign-in?a=1`).
pub fn path(request: &JsValue) -> String {
    let url = url(request);
    let after_scheme = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
    let path_and_more = after_scheme
        .find('/')
        .map_or("/", |i| after_scheme.get(i..).unwrap_or("/"));
    path_and_more
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned()
}

/// `await request.json()`.
pub async fn json_body(request: &JsValue) -> Result<JsValue, JsValue> {
    let json: Function = get(request, "json")?.dyn_into()?;
    awaited(Promise::resolve(&json.call0(request)?)).await
}

fn response_class() -> Result<Function, JsValue> {
    get(&js_sys::global().into(), "Response")?.dyn_into()
}

/// `new Response(body, {status, headers})`, with each `Set-Cookie` line appended.
pub fn response(
    body: &JsValue,
    status: u16,
    headers: &[(&str, &str)],
    set_cookie: &[String],
) -> Result<JsValue, JsValue> {
    let all = Headers::new()?;
    for (name, value) in headers {
        all.append(name, value)?;
    }
    for line in set_cookie {
        all.append("Set-Cookie", line)?;
    }
    let init = Object::new();
    Reflect::set(&init, &"status".into(), &status.into())?;
    Reflect::set(&init, &"headers".into(), &all)?;
    Reflect::construct(&response_class()?, &Array::of2(body, &init))
}

/// A JSON response.
pub fn json_response(
    status: u16,
    body: &serde_json::Value,
    headers: &[(&str, &str)],
    set_cookie: &[String],
) -> Result<JsValue, JsValue> {
    let mut all = vec![("Content-Type", "application/json; charset=utf-8")];
    all.extend_from_slice(headers);
    response(
        &JsValue::from_str(&body.to_string()),
        status,
        &all,
        set_cookie,
    )
}

/// A copy of `original` (same body, status and headers) with the `Set-Cookie` lines appended;
/// `original` itself when there are none (its headers may be immutable).
pub fn with_set_cookie(original: &JsValue, set_cookie: &[String]) -> Result<JsValue, JsValue> {
    if set_cookie.is_empty() {
        return Ok(original.clone());
    }
    let copy = Reflect::construct(
        &response_class()?,
        &Array::of2(&get(original, "body")?, original),
    )?;
    let headers: Headers = get(&copy, "headers")?.dyn_into()?;
    for line in set_cookie {
        headers.append("Set-Cookie", line)?;
    }
    Ok(copy)
}

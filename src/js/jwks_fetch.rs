//! `GET <jwks url>` with the runtime's `fetch` (or the caller's) and a deadline: the body text,
//! or why there is none.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

use super::fetch::{fetch_function, js_message, Deadline};

/// The body of a 2xx answer to `GET url`; aborted after `timeout_ms`.
pub async fn fetch_text(
    fetch: Option<&Function>,
    url: &str,
    timeout_ms: u32,
) -> Result<String, String> {
    let (fetch, this) = fetch_function(fetch)?;
    let controller = AbortController::new().map_err(|e| js_message(&e))?;
    let deadline = Deadline::start(timeout_ms, &controller);
    let outcome = async {
        let init = Object::new();
        Reflect::set(&init, &"signal".into(), &controller.signal())?;
        let called = fetch.call2(&this, &url.into(), &init)?;
        let response = deadline.race(Promise::resolve(&called)).await?;
        let status = Reflect::get(&response, &"status".into())?
            .as_f64()
            .unwrap_or(0.0);
        if !(200.0..300.0).contains(&status) {
            return Err(JsValue::from_str(&format!("HTTP {status}")));
        }
        let text: Function = Reflect::get(&response, &"text".into())?.dyn_into()?;
        let body = deadline
            .race(Promise::resolve(&text.call0(&response)?))
            .await?;
        body.as_string()
            .ok_or_else(|| JsValue::from_str("body is not text"))
    }
    .await;
    outcome.map_err(|e| js_message(&e))
}

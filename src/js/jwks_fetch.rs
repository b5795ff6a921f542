//! `GET <jwks url>` with the runtime's `fetch` (or the caller's) and a deadline: the body text,
//! or why there is none.

use super::task::awaited;
use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::AbortController;

use super::fetch::js_message;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

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

/// `(fetch, this)`: the caller's `fetch` (called with `this` undefined), else `globalThis.fetch`.
fn fetch_function(custom: Option<&Function>) -> Result<(Function, JsValue), String> {
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

/// A timer that aborts the request and rejects with `"timeout"`, so that a `fetch` ignoring its
/// signal (or a body that never ends) still times out.
struct Deadline {
    timer_id: JsValue,
    promise: Promise,
    _on_fire: Closure<dyn FnMut()>,
}

impl Deadline {
    fn start(ms: u32, controller: &AbortController) -> Deadline {
        let mut reject_slot: Option<Function> = None;
        let promise = Promise::new(&mut |_resolve, reject| reject_slot = Some(reject));
        let on_fire = {
            let controller = controller.clone();
            Closure::<dyn FnMut()>::new(move || {
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
            promise,
            _on_fire: on_fire,
        }
    }

    /// `work`, or the deadline if it comes first.
    async fn race(&self, work: Promise) -> Result<JsValue, JsValue> {
        awaited(Promise::race(&Array::of2(&work, &self.promise))).await
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        clear_timeout(&self.timer_id);
    }
}

//! `GET <jwks url>` with the runtime's `fetch` (or the caller's) and a deadline: the body text,
//! or why there is none.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: i32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

fn message(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "fetch failed".into())
}

/// The body of a 2xx answer to `GET url`; aborted after `timeout_ms`.
pub async fn fetch_text(
    fetch: Option<&Function>,
    url: &str,
    timeout_ms: u32,
) -> Result<String, String> {
    let global = js_sys::global();
    let (fetch, this) = match fetch {
        Some(f) => (f.clone(), JsValue::UNDEFINED),
        None => (
            Reflect::get(&global, &"fetch".into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or("this runtime has no global fetch")?,
            global.into(),
        ),
    };
    let controller = AbortController::new().map_err(|e| message(&e))?;
    let abort = {
        let controller = controller.clone();
        Closure::once_into_js(move || controller.abort())
    };
    let timer = set_timeout(
        abort.unchecked_ref(),
        i32::try_from(timeout_ms).unwrap_or(i32::MAX),
    );
    let outcome = async {
        let init = Object::new();
        Reflect::set(&init, &"signal".into(), &controller.signal())?;
        let called = fetch.call2(&this, &url.into(), &init)?;
        let response = JsFuture::from(Promise::resolve(&called)).await?;
        let status = Reflect::get(&response, &"status".into())?
            .as_f64()
            .unwrap_or(0.0);
        if !(200.0..300.0).contains(&status) {
            return Err(JsValue::from_str(&format!("HTTP {status}")));
        }
        let text: Function = Reflect::get(&response, &"text".into())?.dyn_into()?;
        let body = JsFuture::from(Promise::resolve(&text.call0(&response)?)).await?;
        body.as_string()
            .ok_or_else(|| JsValue::from_str("body is not text"))
    }
    .await;
    clear_timeout(&timer);
    outcome.map_err(|e| message(&e))
}

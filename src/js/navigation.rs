//! Page navigation of the hosted UI: `location.assign` (the `/logout` URL `signOut` goes to:
//! [`crate::client::Cognito::sign_out_flow`]).

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::method;

/// `globalThis.location`, where there is one (browsers; not Node or Workers).
pub fn location() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .filter(JsValue::is_object)
}

/// `location.assign(url)` where there is a `location`; false elsewhere or when it throws.
pub fn navigate(url: Option<&str>) -> bool {
    let (Some(url), Some(location)) = (url, location()) else {
        return false;
    };
    method(&location, "assign").is_some_and(|assign| assign.call1(&location, &url.into()).is_ok())
}

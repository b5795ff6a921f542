//! The `userContextData` option as the core's [`ContextProvider`]: the app's function, else
//! Amazon's advanced-security script where the page loaded it (both asked in JS,
//! `post.js`'s `contextData`).

#[cfg(any(feature = "session", feature = "signin"))]
use crate::prelude::*;
use js_sys::Array;
#[cfg(feature = "session")]
use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[cfg(any(feature = "session", feature = "signin"))]
use crate::context_data::ContextProvider;
use crate::context_data::UserContextData;

#[wasm_bindgen(module = "/src/js/post.js")]
extern "C" {
    /// `[encodedData, ipAddress]` of `option(username)` (a function) or, when `option` is
    /// `undefined`, of `AmazonCognitoAdvancedSecurityData.getData(username, poolId, clientId)`;
    /// `undefined` when there is none. Never throws.
    #[wasm_bindgen(js_name = contextData)]
    fn js_context_data(option: &JsValue, username: &str, pool_id: &str, client_id: &str)
        -> JsValue;
}

/// The context of a request about `username`: `option(username)` when `option` is a function,
/// else `globalThis.AmazonCognitoAdvancedSecurityData.getData(username, poolId, clientId)` where
/// that exists (as amazon-cognito-identity-js does). A string answer is `EncodedData`; an object
/// gives `encodedData` and `ipAddress` (each when a string); anything else, or a throw, sends
/// nothing.
fn context_data(
    option: &JsValue,
    username: &str,
    pool_id: &str,
    client_id: &str,
) -> Option<UserContextData> {
    let pair = js_context_data(option, username, pool_id, client_id);
    if pair.is_undefined() {
        return None;
    }
    let pair = pair.unchecked_ref::<Array>();
    Some(UserContextData {
        ip_address: pair.get(1).as_string(),
        encoded_data: pair.get(0).as_string(),
    })
}

/// Per request: [`context_data`] of the option (the app's function) or, without it, of the
/// script.
#[cfg(feature = "session")]
pub(super) fn provider(
    option: Option<Function>,
    pool_id: String,
    client_id: String,
) -> ContextProvider {
    let option = option.map_or(JsValue::UNDEFINED, JsValue::from);
    Box::new(move |username: &str| context_data(&option, username, &pool_id, &client_id))
}

/// [`provider`] without the option (the plain signin module, which refuses it): the script
/// alone.
#[cfg(all(not(feature = "session"), feature = "signin"))]
pub(super) fn script_provider(pool_id: &str, client_id: &str) -> ContextProvider {
    let (pool_id, client_id) = (String::from(pool_id), String::from(client_id));
    Box::new(move |username: &str| script_context(username, &pool_id, &client_id))
}

/// The context of a request about `username` without the option (the plain modules, which
/// refuse it): [`context_data`] of the script alone.
#[cfg(not(feature = "session"))]
pub(super) fn script_context(
    username: &str,
    pool_id: &str,
    client_id: &str,
) -> Option<UserContextData> {
    context_data(&JsValue::UNDEFINED, username, pool_id, client_id)
}

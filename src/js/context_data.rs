//! The `userContextData` option as the core's [`ContextProvider`]: the app's function, else
//! Amazon's advanced-security script where the page loaded it.

use crate::prelude::*;
#[cfg(feature = "session")]
use js_sys::Function;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::method;
use crate::context_data::{ContextProvider, UserContextData};

/// Per request: `option(username)` when given, else [`script_data`] (as amazon-cognito-identity-js
/// does). A string is `EncodedData`; an object gives `encodedData` and `ipAddress`; anything
/// else, or a throw, sends nothing.
#[cfg(feature = "session")]
pub(super) fn provider(
    option: Option<Function>,
    pool_id: String,
    client_id: String,
) -> ContextProvider {
    let (pool_id, client_id) = (JsValue::from(pool_id), JsValue::from(client_id));
    Box::new(move |username: &str| {
        let value = match &option {
            Some(f) => f.call1(&JsValue::UNDEFINED, &username.into()).ok()?,
            None => script_data(username, &pool_id, &client_id)?,
        };
        from_value(&value)
    })
}

/// [`provider`] without the option (the plain modules, which refuse it): [`script_data`] alone.
#[cfg(not(feature = "session"))]
pub(super) fn script_provider(pool_id: &str, client_id: &str) -> ContextProvider {
    let (pool_id, client_id) = (JsValue::from_str(pool_id), JsValue::from_str(client_id));
    Box::new(move |username: &str| from_value(&script_data(username, &pool_id, &client_id)?))
}

/// `globalThis.AmazonCognitoAdvancedSecurityData.getData(username, userPoolId, clientId)` when
/// that exists and does not throw.
fn script_data(username: &str, pool_id: &JsValue, client_id: &JsValue) -> Option<JsValue> {
    let script = Reflect::get(
        &js_sys::global(),
        &"AmazonCognitoAdvancedSecurityData".into(),
    )
    .ok()
    .filter(JsValue::is_object)?;
    method(&script, "getData")?
        .call3(&script, &username.into(), pool_id, client_id)
        .ok()
}

fn from_value(value: &JsValue) -> Option<UserContextData> {
    if let Some(encoded) = value.as_string() {
        return Some(UserContextData {
            ip_address: None,
            encoded_data: Some(encoded),
        });
    }
    if !value.is_object() {
        return None;
    }
    let get = |key: &str| {
        Reflect::get(value, &key.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    Some(UserContextData {
        ip_address: get("ipAddress"),
        encoded_data: get("encodedData"),
    })
}

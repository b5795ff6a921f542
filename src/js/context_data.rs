//! The `userContextData` option as the core's [`ContextProvider`]: the app's function, else
//! Amazon's advanced-security script where the page loaded it.

use crate::prelude::*;
use js_sys::{Function, Reflect};
use wasm_bindgen::JsValue;

use super::method;
use crate::context_data::{ContextProvider, UserContextData};

/// Per request: `option(username)` when given, else
/// `globalThis.AmazonCognitoAdvancedSecurityData.getData(username, userPoolId, clientId)` when
/// that exists (as amazon-cognito-identity-js does). A string is `EncodedData`; an object gives
/// `encodedData` and `ipAddress`; anything else, or a throw, sends nothing.
pub(super) fn provider(
    option: Option<Function>,
    pool_id: String,
    client_id: String,
) -> ContextProvider {
    let (pool_id, client_id) = (JsValue::from(pool_id), JsValue::from(client_id));
    Box::new(move |username: &str| {
        let value = match &option {
            Some(f) => f.call1(&JsValue::UNDEFINED, &username.into()).ok()?,
            None => {
                let script = Reflect::get(
                    &js_sys::global(),
                    &"AmazonCognitoAdvancedSecurityData".into(),
                )
                .ok()
                .filter(JsValue::is_object)?;
                method(&script, "getData")?
                    .call3(&script, &username.into(), &pool_id, &client_id)
                    .ok()?
            }
        };
        from_value(&value)
    })
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

//! Page navigation of the hosted UI: `location.assign`, and the `/logout` URL `signOut` goes to.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use super::fetch::FetchPlatform;
use super::method;
use super::storage::JsStorage;
use crate::client::Cognito;
use crate::session::Session;

type Client = Cognito<FetchPlatform, JsStorage>;

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

/// The `/logout` URL `signOut` navigates to: for a hosted-UI session (`held`, the stored one, else
/// the one in memory) with `redirectSignOut` configured, unless `navigate: false`.
pub async fn logout_target(
    client: &Client,
    held: Option<&Session>,
    navigate: Option<bool>,
) -> Option<String> {
    if navigate == Some(false) {
        return None;
    }
    let username = match held {
        Some(session) => session.username.clone(),
        None => client.current_session()?.username,
    };
    match client.is_hosted_ui_session(&username).await {
        Ok(true) => client.logout_url(),
        _ => None,
    }
}

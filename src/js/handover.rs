//! The hand-over between the browser package's modules (docs/design/weight.md): when the loader
//! moves a `CognitoAuth` to a module with more methods, what the old instance holds only in
//! memory — the pending challenge, and a session the store failed to keep — goes to the new one
//! as a plain object: `__handover()` →
//! `{ pending?: { name, session?, username, parameters, availableChallenges }, session?: {
//! idToken, accessToken, refreshToken?, clockDriftMs } }`, then `__adopt(state)` on the new
//! instance. The loader moves an instance only to a higher module: the session module (the
//! lowest, without `signin`) has no `__adopt`, and without `signin` or `account` no challenge
//! to hand over.

#[cfg(any(feature = "signin", feature = "account"))]
use js_sys::Array;
use js_sys::Object;
#[cfg(feature = "signin")]
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::auth::CognitoAuth;
#[cfg(feature = "signin")]
use super::error::to_js_error;
use super::session_view::{set, set_tokens};
#[cfg(any(feature = "signin", feature = "account"))]
use crate::challenge::PendingChallenge;
#[cfg(feature = "signin")]
use crate::error::Error;
#[cfg(feature = "signin")]
use crate::map::VecMap;
use crate::session::Session;

#[cfg(feature = "signin")]
fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[cfg(feature = "signin")]
fn string(source: &JsValue, key: &str) -> Option<String> {
    get(source, key).as_string()
}

#[cfg(feature = "signin")]
fn malformed() -> JsValue {
    to_js_error(&Error::invalid_parameter(
        "__adopt: not a hand-over of this package",
    ))
}

#[cfg(any(feature = "signin", feature = "account"))]
fn pending_to_js(pending: &PendingChallenge) -> Object {
    let parameters = Object::new();
    for (key, value) in &pending.parameters {
        set(&parameters, key, &JsValue::from_str(value));
    }
    let out = Object::new();
    set(&out, "name", &JsValue::from_str(&pending.name));
    if let Some(session) = &pending.session {
        set(&out, "session", &JsValue::from_str(session));
    }
    set(&out, "username", &JsValue::from_str(&pending.username));
    set(&out, "parameters", &parameters);
    let available = Array::new();
    for challenge in &pending.available_challenges {
        available.push(&JsValue::from_str(challenge));
    }
    set(&out, "availableChallenges", &available);
    out
}

#[cfg(feature = "signin")]
fn pending_from_js(value: &JsValue) -> Option<PendingChallenge> {
    let mut parameters = VecMap::new();
    let given = get(value, "parameters");
    if given.is_object() {
        for entry in Object::entries(given.unchecked_ref()).iter() {
            let entry: Array = entry.unchecked_into();
            parameters.insert(entry.get(0).as_string()?, entry.get(1).as_string()?);
        }
    }
    let offered = get(value, "availableChallenges");
    let mut available_challenges = Vec::new();
    if let Some(list) = offered.dyn_ref::<Array>() {
        for challenge in list.iter() {
            available_challenges.push(challenge.as_string()?);
        }
    }
    Some(PendingChallenge {
        name: string(value, "name")?,
        session: string(value, "session"),
        username: string(value, "username")?,
        parameters,
        available_challenges,
    })
}

fn session_to_js(session: &Session) -> Object {
    let out = Object::new();
    set_tokens(&out, session);
    set(
        &out,
        "clockDriftMs",
        &JsValue::from_f64(session.clock_drift_ms as f64),
    );
    out
}

#[cfg(feature = "signin")]
fn session_from_js(value: &JsValue) -> Option<Session> {
    let drift = get(value, "clockDriftMs").as_f64()?;
    Session::restore(
        &string(value, "idToken")?,
        &string(value, "accessToken")?,
        string(value, "refreshToken").map(Into::into),
        drift as i64,
    )
    .ok()
}

#[wasm_bindgen]
impl CognitoAuth {
    /// What this instance holds only in memory, for `__adopt` on another module's instance.
    #[wasm_bindgen(js_name = __handover, skip_typescript)]
    pub fn handover(&self) -> JsValue {
        let state = Object::new();
        #[cfg(any(feature = "signin", feature = "account"))]
        if let Some(pending) = self.inner.pending.borrow().as_ref() {
            set(&state, "pending", &pending_to_js(pending));
        }
        if let Some(session) = self.inner.client.unpersisted_session() {
            set(&state, "session", &session_to_js(&session));
        }
        state.into()
    }

    /// Takes over what `__handover` gave: the pending challenge and an unstored session.
    #[cfg(feature = "signin")]
    #[wasm_bindgen(js_name = __adopt, skip_typescript)]
    pub fn adopt(&self, state: JsValue) -> Result<(), JsValue> {
        if !state.is_object() {
            return Err(malformed());
        }
        let pending = get(&state, "pending");
        if !pending.is_undefined() {
            let pending = pending_from_js(&pending).ok_or_else(malformed)?;
            self.inner.pending.replace(Some(pending));
        }
        let session = get(&state, "session");
        if !session.is_undefined() {
            let session = session_from_js(&session).ok_or_else(malformed)?;
            self.inner.client.hold_unpersisted(session);
        }
        Ok(())
    }
}

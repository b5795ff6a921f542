//! A [`Session`] as the JS API's `Session` object — `{ username, idToken, accessToken,
//! refreshToken?, expiresAt, claims }` — built with `Reflect.set`, its `claims` by the host's
//! `JSON.parse` of the ID token's payload: no serializer in the session module.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::JsValue;

use crate::error::Error;
use crate::jwt::payload_text;
use crate::session::Session;

/// `target[key] = value`.
pub(super) fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// `target[key] = text` (a JS string): one copy of the conversion for every string property.
pub(super) fn set_text(target: &Object, key: &str, text: &str) {
    set(target, key, &JsValue::from_str(text));
}

/// Sets `out`'s `idToken`, `accessToken` and (when held) `refreshToken` to `session`'s.
pub(super) fn set_tokens(out: &Object, session: &Session) {
    set_text(out, "idToken", session.id_token.expose_secret());
    set_text(out, "accessToken", session.access_token.expose_secret());
    if let Some(refresh) = &session.refresh_token {
        set_text(out, "refreshToken", refresh.expose_secret());
    }
}

/// `state.session = { idToken, accessToken, refreshToken?, clockDriftMs }` of the session held
/// only in memory, when there is one: the hand-over's session part (`handover.rs`).
pub(super) fn set_unpersisted(state: &Object, unpersisted: Option<Session>) {
    if let Some(session) = unpersisted {
        let out = Object::new();
        set_tokens(&out, &session);
        set(
            &out,
            "clockDriftMs",
            &JsValue::from_f64(session.clock_drift_ms as f64),
        );
        set(state, "session", &out);
    }
}

/// `session` as a plain object.
pub fn session_object(session: &Session) -> Result<Object, Error> {
    let claims = JSON::parse(&payload_text(session.id_token.expose_secret())?)
        .map_err(|_| Error::invalid_response("the ID token's payload is not JSON"))?;
    let out = Object::new();
    set_text(&out, "username", &session.username);
    set_tokens(&out, session);
    set(
        &out,
        "expiresAt",
        &JsValue::from_f64(session.expires_at_ms as f64),
    );
    set(&out, "claims", &claims);
    Ok(out)
}

/// `session` as a plain object, `null` for none.
pub fn session_to_js(session: Option<&Session>) -> Result<JsValue, Error> {
    match session {
        Some(session) => session_object(session).map(Into::into),
        None => Ok(JsValue::NULL),
    }
}

/// `signIn`'s `{ signedIn: true, session }`.
#[cfg(feature = "signin")]
pub fn signed_in_to_js(session: &Session) -> Result<JsValue, Error> {
    let out = Object::new();
    set(&out, "signedIn", &JsValue::TRUE);
    set(&out, "session", &session_object(session)?.into());
    Ok(out.into())
}

//! The signin module's parameters read by hand ([`Fields`]) and its results built with
//! `Reflect.set`, so that module needs no serde-wasm-bindgen (nor the float formatting of its
//! messages).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use super::fields::Fields;
use super::handover::map_to_js;
use super::types::{ChallengeParams, SignInParams};
use crate::challenge::PendingChallenge;
use crate::error::Error;
use crate::wire::CodeDeliveryDetails;

impl SignInParams {
    pub fn read(params: &JsValue) -> Result<SignInParams, Error> {
        let f = Fields::of(params, "signIn")?;
        let parsed = SignInParams {
            username: f.required_text("username"),
            password: f.text("password").unwrap_or_default(),
            flow: f.text("flow"),
            srp: f.flag("srp"),
            preferred_challenge: f.text("preferredChallenge"),
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
}

impl ChallengeParams {
    /// `undefined`/`null` read as `{}`.
    pub fn read(params: &JsValue) -> Result<ChallengeParams, Error> {
        if params.is_undefined() || params.is_null() {
            return Ok(ChallengeParams::default());
        }
        let f = Fields::of(params, "respondToChallenge")?;
        let parsed = ChallengeParams {
            code: f.text("code"),
            new_password: f.text("newPassword"),
            mfa_type: f.text("mfaType"),
            answer: f.text("answer"),
            password: f.text("password"),
            credential: f.text("credential"),
            email: f.text("email"),
            attributes: f.text_map("attributes").unwrap_or_default(),
            client_metadata: f.text_map("clientMetadata"),
            friendly_device_name: f.text("friendlyDeviceName"),
        };
        f.finish(parsed)
    }
}

pub(super) fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

fn set_opt(target: &Object, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        set(target, key, &JsValue::from_str(value));
    }
}

/// `{ destination?, medium?, attribute? }`.
pub fn code_delivery_to_js(details: &CodeDeliveryDetails) -> JsValue {
    let out = Object::new();
    set_opt(&out, "destination", details.destination.as_deref());
    set_opt(&out, "medium", details.delivery_medium.as_deref());
    set_opt(&out, "attribute", details.attribute_name.as_deref());
    out.into()
}

/// `{ signedIn: false, challenge, parameters, availableChallenges?, codeDelivery?,
/// credentialRequestOptions? }`.
pub fn challenge_to_js(pending: &PendingChallenge) -> JsValue {
    let out = Object::new();
    set(&out, "signedIn", &JsValue::FALSE);
    set(&out, "challenge", &JsValue::from_str(&pending.name));
    set(&out, "parameters", &map_to_js(&pending.parameters));
    // SELECT_CHALLENGE's (USER_AUTH: not in a signin build without `user-auth`).
    #[cfg(any(feature = "user-auth", not(feature = "signin")))]
    if !pending.available_challenges.is_empty() {
        let offered = super::handover::texts_to_js(&pending.available_challenges);
        set(&out, "availableChallenges", &offered);
    }
    if let Some(details) = pending.code_delivery() {
        set(&out, "codeDelivery", &code_delivery_to_js(&details));
    }
    set_opt(
        &out,
        "credentialRequestOptions",
        pending.credential_request_options(),
    );
    out.into()
}

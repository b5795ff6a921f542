//! The signin module's parameters read by hand ([`Fields`]) and its results built with
//! `Reflect.set`, so that module needs no serde-wasm-bindgen (nor the float formatting of its
//! messages).

use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

use super::fields::Fields;
use super::types::{
    ChallengeParams, ConfirmForgotPasswordParams, ConfirmSignUpParams, SignInParams, SignUpParams,
    UsernameParams,
};
use crate::challenge::PendingChallenge;
use crate::error::Error;
use crate::wire::CodeDeliveryDetails;

impl SignUpParams {
    pub fn read(params: &JsValue) -> Result<SignUpParams, Error> {
        let f = Fields::of(params, "signUp")?;
        Ok(SignUpParams {
            username: f.required_string("username")?,
            password: f.string("password")?,
            auto_sign_in: f.bool("autoSignIn")?.unwrap_or(false),
            attributes: f.string_map("attributes")?.unwrap_or_default(),
            validation_data: f.string_map("validationData")?.unwrap_or_default(),
            client_metadata: f.string_map("clientMetadata")?,
        })
    }
}

impl ConfirmSignUpParams {
    pub fn read(params: &JsValue) -> Result<ConfirmSignUpParams, Error> {
        let f = Fields::of(params, "confirmSignUp")?;
        Ok(ConfirmSignUpParams {
            username: f.required_string("username")?,
            code: f.required_string("code")?,
            force_alias_creation: f.bool("forceAliasCreation")?,
            client_metadata: f.string_map("clientMetadata")?,
        })
    }
}

impl UsernameParams {
    /// `what`: the method's name, for messages.
    pub fn read(params: &JsValue, what: &str) -> Result<UsernameParams, Error> {
        let f = Fields::of(params, what)?;
        Ok(UsernameParams {
            username: f.required_string("username")?,
            client_metadata: f.string_map("clientMetadata")?,
        })
    }
}

impl ConfirmForgotPasswordParams {
    pub fn read(params: &JsValue) -> Result<ConfirmForgotPasswordParams, Error> {
        let f = Fields::of(params, "confirmForgotPassword")?;
        Ok(ConfirmForgotPasswordParams {
            username: f.required_string("username")?,
            code: f.required_string("code")?,
            new_password: f.required_string("newPassword")?,
            client_metadata: f.string_map("clientMetadata")?,
        })
    }
}

impl SignInParams {
    pub fn read(params: &JsValue) -> Result<SignInParams, Error> {
        let f = Fields::of(params, "signIn")?;
        Ok(SignInParams {
            username: f.required_string("username")?,
            password: f.string("password")?.unwrap_or_default(),
            flow: f.string("flow")?,
            srp: f.bool("srp")?,
            preferred_challenge: f.string("preferredChallenge")?,
            client_metadata: f.string_map("clientMetadata")?,
        })
    }
}

impl ChallengeParams {
    /// `undefined`/`null` read as `{}`.
    pub fn read(params: &JsValue) -> Result<ChallengeParams, Error> {
        if params.is_undefined() || params.is_null() {
            return Ok(ChallengeParams::default());
        }
        let f = Fields::of(params, "respondToChallenge")?;
        Ok(ChallengeParams {
            code: f.string("code")?,
            new_password: f.string("newPassword")?,
            mfa_type: f.string("mfaType")?,
            answer: f.string("answer")?,
            password: f.string("password")?,
            credential: f.string("credential")?,
            email: f.string("email")?,
            attributes: f.string_map("attributes")?.unwrap_or_default(),
            client_metadata: f.string_map("clientMetadata")?,
            friendly_device_name: f.string("friendlyDeviceName")?,
        })
    }
}

fn set(target: &Object, key: &str, value: &JsValue) {
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

/// `{ codeDelivery }`.
pub fn code_delivery_result_to_js(details: &CodeDeliveryDetails) -> JsValue {
    let out = Object::new();
    set(&out, "codeDelivery", &code_delivery_to_js(details));
    out.into()
}

/// `{ userConfirmed, userSub, codeDelivery? }`.
pub fn sign_up_result_to_js(
    user_confirmed: bool,
    user_sub: &str,
    details: Option<&CodeDeliveryDetails>,
) -> JsValue {
    let out = Object::new();
    set(&out, "userConfirmed", &JsValue::from_bool(user_confirmed));
    set(&out, "userSub", &JsValue::from_str(user_sub));
    if let Some(details) = details {
        set(&out, "codeDelivery", &code_delivery_to_js(details));
    }
    out.into()
}

/// `{ signedIn: false, challenge, parameters, availableChallenges?, codeDelivery?,
/// credentialRequestOptions? }`.
pub fn challenge_to_js(pending: &PendingChallenge) -> JsValue {
    let parameters = Object::new();
    for (key, value) in &pending.parameters {
        set(&parameters, key, &JsValue::from_str(value));
    }
    let out = Object::new();
    set(&out, "signedIn", &JsValue::FALSE);
    set(&out, "challenge", &JsValue::from_str(&pending.name));
    set(&out, "parameters", &parameters);
    if !pending.available_challenges.is_empty() {
        let offered: js_sys::Array = pending
            .available_challenges
            .iter()
            .map(|c| JsValue::from_str(c))
            .collect();
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

//! The signup module's parameters read by hand ([`Fields`]) and its results built with
//! `Reflect.set`, as the signin module's (`sign_in_options`).

use js_sys::Object;
use wasm_bindgen::JsValue;

use super::fields::Fields;
use super::sign_in_options::{code_delivery_to_js, set};
use super::types::{
    ConfirmForgotPasswordParams, ConfirmSignUpParams, SignUpParams, UsernameParams,
};
use crate::error::Error;
use crate::wire::CodeDeliveryDetails;

impl SignUpParams {
    pub fn read(params: &JsValue) -> Result<SignUpParams, Error> {
        let f = Fields::of(params, "signUp")?;
        let parsed = SignUpParams {
            username: f.required_text("username"),
            password: f.text("password"),
            auto_sign_in: f.flag("autoSignIn").unwrap_or(false),
            attributes: f.text_map("attributes").unwrap_or_default(),
            validation_data: f.text_map("validationData").unwrap_or_default(),
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
}

impl ConfirmSignUpParams {
    pub fn read(params: &JsValue) -> Result<ConfirmSignUpParams, Error> {
        let f = Fields::of(params, "confirmSignUp")?;
        let parsed = ConfirmSignUpParams {
            username: f.required_text("username"),
            code: f.required_text("code"),
            force_alias_creation: f.flag("forceAliasCreation"),
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
}

impl UsernameParams {
    /// `what`: the method's name, for messages.
    pub fn read(params: &JsValue, what: &str) -> Result<UsernameParams, Error> {
        let f = Fields::of(params, what)?;
        let parsed = UsernameParams {
            username: f.required_text("username"),
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
}

impl ConfirmForgotPasswordParams {
    pub fn read(params: &JsValue) -> Result<ConfirmForgotPasswordParams, Error> {
        let f = Fields::of(params, "confirmForgotPassword")?;
        let parsed = ConfirmForgotPasswordParams {
            username: f.required_text("username"),
            code: f.required_text("code"),
            new_password: f.required_text("newPassword"),
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
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

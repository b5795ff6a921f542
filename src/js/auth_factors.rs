//! `getAuthFactors()`: GetUserAuthFactors as a plain object.

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::auth::CognitoAuth;
use super::convert::to_js;
use super::promise::promise;
use crate::auth_factors::AuthFactors;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** `getAuthFactors()`: GetUserAuthFactors. */
export interface AuthFactors {
  username: string;
  /** How the user can sign in with `flow: "USER_AUTH"`: PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN. */
  configuredAuthFactors: ("PASSWORD" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN" | (string & {}))[];
  /** `SOFTWARE_TOKEN_MFA`, `SMS_MFA` or `EMAIL_OTP`. */
  preferredMfa?: string;
  /** The MFA factors turned on. */
  mfaSettings: string[];
}
"#;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AuthFactorsView {
    username: String,
    configured_auth_factors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_mfa: Option<String>,
    mfa_settings: Vec<String>,
}

impl From<AuthFactors> for AuthFactorsView {
    fn from(f: AuthFactors) -> Self {
        AuthFactorsView {
            username: f.username,
            configured_auth_factors: f.configured,
            preferred_mfa: f.preferred_mfa,
            mfa_settings: f.mfa_settings,
        }
    }
}

#[wasm_bindgen]
impl CognitoAuth {
    /// GetUserAuthFactors for the signed-in user (`InvalidParameterError` when signed out).
    #[wasm_bindgen(js_name = getAuthFactors, unchecked_return_type = "Promise<AuthFactors>")]
    pub fn get_auth_factors(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let factors = inner.client.get_auth_factors().await?;
            to_js(&AuthFactorsView::from(factors))
        })
    }
}

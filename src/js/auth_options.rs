//! `new CognitoAuth(options)` and `signOut(params)` read by hand ([`Fields`]), so the session
//! module needs no serde deserializer.

use wasm_bindgen::JsValue;

use super::fields::Fields;
use super::types::{AuthOptions, OAuthOptions, RefreshParams, SignOutParams};
use crate::error::Error;

impl AuthOptions {
    /// The options of `new CognitoAuth`; `options` must be an object.
    pub fn read(options: &JsValue) -> Result<AuthOptions, Error> {
        let f = Fields::of(options, "CognitoAuth options")?;
        let oauth = match f.object("oauth")? {
            None => None,
            Some(o) => Some(OAuthOptions {
                domain: o.required_string("domain")?,
                redirect_sign_in: o.required_string("redirectSignIn")?,
                redirect_sign_out: o.string("redirectSignOut")?,
                scopes: o.strings("scopes")?,
            }),
        };
        Ok(AuthOptions {
            user_pool_id: f.required_string("userPoolId")?,
            client_id: f.required_string("clientId")?,
            client_secret: f.string("clientSecret")?,
            endpoint: f.string("endpoint")?,
            timeout_ms: f.u32("timeoutMs")?,
            max_retries: f.u32("maxRetries")?,
            oauth,
            remember_devices: f.bool("rememberDevices")?,
            device_name: f.string("deviceName")?,
            refresh_flow: f.string("refreshFlow")?,
        })
    }
}

impl SignOutParams {
    /// `signOut(params?)`: `undefined`/`null` read as `{}`.
    pub fn read(params: &JsValue) -> Result<SignOutParams, Error> {
        if params.is_undefined() || params.is_null() {
            return Ok(SignOutParams::default());
        }
        let f = Fields::of(params, "signOut")?;
        Ok(SignOutParams {
            global: f.bool("global")?.unwrap_or(false),
            navigate: f.bool("navigate")?,
        })
    }
}

impl RefreshParams {
    /// `refreshSession(params?)`: `undefined`/`null` read as `{}`.
    pub fn read(params: &JsValue) -> Result<RefreshParams, Error> {
        if params.is_undefined() || params.is_null() {
            return Ok(RefreshParams::default());
        }
        let f = Fields::of(params, "refreshSession")?;
        Ok(RefreshParams {
            client_metadata: f.string_map("clientMetadata")?,
        })
    }
}

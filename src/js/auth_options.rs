//! `new CognitoAuth(options)` and `signOut(params)` read by hand ([`Fields`]), so the session
//! module needs no serde deserializer. Each struct is read in one pass, checked once
//! ([`Fields::finish`]): the first failure in field order.

use wasm_bindgen::JsValue;

use super::fields::Fields;
use super::types::{AuthOptions, OAuthOptions, RefreshParams, SignOutParams};
use crate::client::{CallOptions, RefreshFlow, RetryPolicy};
use crate::error::Error;

/// The call options of `parsed`: `refreshFlow` (an unknown name is `InvalidParameterError`),
/// `timeoutMs` and `maxRetries`, the defaults for the rest.
pub fn call_options(parsed: &AuthOptions) -> Result<CallOptions, Error> {
    let defaults = CallOptions::default();
    let refresh_flow = match parsed.refresh_flow.as_deref() {
        None => defaults.refresh_flow,
        Some(name) => RefreshFlow::parse(name).ok_or_else(|| {
            Error::invalid_parameter(
                [
                    "refreshFlow must be \"GetTokensFromRefreshToken\" or \"REFRESH_TOKEN_AUTH\", not \"",
                    name,
                    "\"",
                ]
                .concat(),
            )
        })?,
    };
    Ok(CallOptions {
        refresh_flow,
        timeout_ms: parsed.timeout_ms.unwrap_or(defaults.timeout_ms),
        retry: RetryPolicy {
            max_retries: parsed.max_retries.unwrap_or(defaults.retry.max_retries),
            ..RetryPolicy::default()
        },
        ..defaults
    })
}

/// What `new CognitoAuth` names its options in messages.
const AUTH_OPTIONS: &str = "CognitoAuth options";

impl AuthOptions {
    /// The options of `new CognitoAuth`; `options` must be an object.
    #[cfg(feature = "session")]
    #[inline(never)]
    pub fn read(options: &JsValue) -> Result<AuthOptions, Error> {
        let f = Fields::of(options, AUTH_OPTIONS)?;
        let oauth = f.nested("oauth").map(|o| {
            let oauth = OAuthOptions {
                domain: o.required_text("domain"),
                redirect_sign_in: o.required_text("redirectSignIn"),
                redirect_sign_out: o.text("redirectSignOut"),
                scopes: o.texts("scopes"),
            };
            f.adopt(o);
            oauth
        });
        let parsed = AuthOptions::fields(&f, oauth);
        f.finish(parsed)
    }

    /// [`AuthOptions::read`] without `oauth` (the restore module, which refuses it): `None`
    /// there, and whether `options.oauth` is given (neither `undefined` nor `null`).
    #[cfg(not(feature = "session"))]
    pub fn read_plain(options: &JsValue) -> Result<(AuthOptions, bool), Error> {
        let f = Fields::of(options, AUTH_OPTIONS)?;
        let oauth = f.given("oauth");
        let parsed = AuthOptions::fields(&f, None);
        f.finish((parsed, oauth))
    }

    /// Every option but `oauth` (given), read in field order.
    fn fields(f: &Fields<'_>, oauth: Option<OAuthOptions>) -> AuthOptions {
        AuthOptions {
            user_pool_id: f.required_text("userPoolId"),
            client_id: f.required_text("clientId"),
            client_secret: f.text("clientSecret"),
            endpoint: f.text("endpoint"),
            timeout_ms: f.whole("timeoutMs"),
            max_retries: f.whole("maxRetries"),
            oauth,
            remember_devices: f.flag("rememberDevices"),
            device_name: f.text("deviceName"),
            refresh_flow: f.text("refreshFlow"),
        }
    }
}

impl SignOutParams {
    /// `signOut(params?)`: `undefined`/`null` read as `{}`.
    pub fn read(params: &JsValue) -> Result<SignOutParams, Error> {
        if params.is_undefined() || params.is_null() {
            return Ok(SignOutParams::default());
        }
        let f = Fields::of(params, "signOut")?;
        let parsed = SignOutParams {
            global: f.flag("global").unwrap_or(false),
            navigate: f.flag("navigate"),
        };
        f.finish(parsed)
    }
}

impl RefreshParams {
    /// `refreshSession(params?)`: `undefined`/`null` read as `{}`.
    pub fn read(params: &JsValue) -> Result<RefreshParams, Error> {
        if params.is_undefined() || params.is_null() {
            return Ok(RefreshParams::default());
        }
        let f = Fields::of(params, "refreshSession")?;
        let parsed = RefreshParams {
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
}

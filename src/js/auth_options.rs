//! `new CognitoAuth(options)` and `signOut(params)` read by hand ([`Fields`]), so the session
//! module needs no serde deserializer. Each struct is read in one pass, checked once
//! ([`Fields::finish`]): the first failure in field order.

use crate::text::Cat;
use wasm_bindgen::JsValue;

use super::fields::Fields;
#[cfg(feature = "session")]
use super::types::OAuthOptions;
use super::types::{AuthOptions, RefreshParams, SignOutParams};
use crate::client::{CallOptions, RefreshFlow, RetryPolicy};
use crate::error::Error;

/// The call options of `parsed` ([`call_options_of`]).
#[cfg(feature = "session")]
pub fn call_options(parsed: &AuthOptions) -> Result<CallOptions, Error> {
    call_options_of(
        parsed.refresh_flow.as_deref(),
        parsed.timeout_ms,
        parsed.max_retries,
    )
}

/// The call options of `refreshFlow` (an unknown name is `InvalidParameterError`), `timeoutMs`
/// and `maxRetries`, the defaults for the rest.
pub fn call_options_of(
    refresh_flow: Option<&str>,
    timeout_ms: Option<u32>,
    max_retries: Option<u32>,
) -> Result<CallOptions, Error> {
    let defaults = CallOptions::default();
    let refresh_flow = match refresh_flow {
        None => defaults.refresh_flow,
        Some(name) => RefreshFlow::parse(name).ok_or_else(|| {
            Error::invalid_parameter(
                [
                    "refreshFlow must be \"GetTokensFromRefreshToken\" or \"REFRESH_TOKEN_AUTH\", not \"",
                    name,
                    "\"",
                ]
                .cat(),
            )
        })?,
    };
    Ok(CallOptions {
        refresh_flow,
        timeout_ms: timeout_ms.unwrap_or(defaults.timeout_ms),
        retry: RetryPolicy {
            max_retries: max_retries.unwrap_or(defaults.retry.max_retries),
            ..RetryPolicy::default()
        },
        ..defaults
    })
}

/// What `new CognitoAuth` names its options in messages.
pub(super) const AUTH_OPTIONS: &str = "CognitoAuth options";

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

    /// Every option but `oauth` (given), read in field order (the restore module's reader,
    /// `restore/options.rs`, reads the same fields in the same order).
    #[cfg(feature = "session")]
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
        let f = Fields::of_params(params, "signOut")?;
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
        let f = Fields::of_params(params, "refreshSession")?;
        let parsed = RefreshParams {
            client_metadata: f.text_map("clientMetadata"),
        };
        f.finish(parsed)
    }
}

//! `new CognitoAuth(options)` of the restore module: the session module's options read and
//! checked the same way (`auth.rs`), but those it does not take, refused with
//! `InvalidParameterError` naming the option (the loader gives such objects to the session module).

use crate::text::Cat;
use alloc::rc::Rc;
use core::cell::Cell;

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use super::client::Lean;
use crate::config::ClientConfig;
use crate::error::Error;
use crate::held::Held;
use crate::js::args::js_option;
use crate::js::auth_options::{call_options_of, AUTH_OPTIONS};
#[cfg(feature = "signin")]
use crate::js::context_data::script_provider;
use crate::js::error::to_js_error;
use crate::js::fetch::FetchPlatform;
use crate::js::fields::Fields;
use crate::js::shared::Shared;
use crate::js::storage::JsStorage;
use crate::storage::StorageKeys;

/// `InvalidParameterError`: `options.<name>` needs the session module (from the plain signin
/// module: the signin module).
fn refused(name: &str) -> Error {
    #[cfg(not(feature = "signin"))]
    const NOT_HERE: &str =
        " is not taken by the restore module (cognito_wasm_restore); use the session module";
    #[cfg(feature = "signin")]
    const NOT_HERE: &str = concat!(
        " is not taken by the plain signin module (cognito_wasm_signin_plain);",
        " use the signin module"
    );
    Error::invalid_parameter(["options.", name, NOT_HERE].cat())
}

/// Whether `value` is present (neither `undefined` nor `null`).
fn given(value: &JsValue) -> bool {
    !(value.is_undefined() || value.is_null())
}

/// `error` as the JS error to throw: each failure below is converted where it arises, so what
/// moves on is one reference, not an [`Error`].
#[inline(never)]
fn thrown(error: Error) -> JsValue {
    to_js_error(&error)
}

/// `options[name]` (by reference), or the error to throw when the read throws.
#[inline(never)]
fn option(options: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    js_option(options, name).map_err(thrown)
}

/// The client of `options`, checked in the session module's order (`default_storage` when
/// `options.storage` is not given, as the session module's constructor); a failure is the
/// `InvalidParameterError` to throw.
pub(super) fn build(options: &JsValue, default_storage: JsValue) -> Result<Rc<Lean>, JsValue> {
    if !options.is_object() {
        return Err(thrown(Error::invalid_parameter(
            "options must be an object",
        )));
    }
    let fetch =
        match option(options, "fetch")? {
            f if !given(&f) => None,
            f => Some(f.dyn_into::<Function>().map_err(|_| {
                thrown(Error::invalid_parameter("options.fetch must be a function"))
            })?),
        };
    if given(&option(options, "userContextData")?) {
        return Err(thrown(refused("userContextData")));
    }
    let storage = match option(options, "storage")? {
        s if given(&s) => s,
        _ if given(&default_storage) => default_storage,
        _ => {
            return Err(thrown(Error::invalid_parameter(
                "options.storage must be given",
            )))
        }
    };
    let store = JsStorage::new(storage).map_err(thrown)?;
    // The session module's options in its field order (`AuthOptions::read`), each kept only as
    // far as this module uses it; the first failure is the error.
    let f = Fields::of(options, AUTH_OPTIONS).map_err(thrown)?;
    let user_pool_id = f.required_text("userPoolId");
    let client_id = f.required_text("clientId");
    let client_secret = f.has_text("clientSecret");
    let endpoint = f.text("endpoint");
    let timeout_ms = f.whole("timeoutMs");
    let max_retries = f.whole("maxRetries");
    let oauth = f.given("oauth");
    let _remember_devices = f.flag("rememberDevices");
    #[cfg(feature = "signin")]
    let device_name = f.text("deviceName");
    #[cfg(not(feature = "signin"))]
    f.has_text("deviceName");
    let refresh_flow = f.text("refreshFlow");
    f.finish(()).map_err(thrown)?;
    if client_secret {
        return Err(thrown(refused("clientSecret")));
    }
    if oauth {
        return Err(thrown(refused("oauth")));
    }
    let config =
        ClientConfig::from_owned(user_pool_id, client_id, None, endpoint).map_err(thrown)?;
    let call_options =
        call_options_of(refresh_flow.as_deref(), timeout_ms, max_retries).map_err(thrown)?;
    Ok(Rc::new(Lean {
        platform: FetchPlatform::new(fetch),
        store,
        keys: StorageKeys::new(&config.client_id),
        held: Held::default(),
        #[cfg(feature = "signin")]
        context: script_provider(config.user_pool.as_str(), &config.client_id),
        config,
        options: call_options,
        fell_back: Cell::new(false),
        shared: Shared::default(),
        #[cfg(feature = "signin")]
        signing: super::client::Signing::new(_remember_devices, device_name),
    }))
}

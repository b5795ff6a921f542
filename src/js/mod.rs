//! The JavaScript API: the only module that touches `JsValue`, `web_sys` and `js_sys`.

#[cfg(feature = "account")]
mod account;
mod args;
#[cfg(feature = "session")]
mod auth;
#[cfg(feature = "account")]
mod auth_factors;
mod auth_options;
#[cfg(feature = "bench")]
mod bench;
mod context_data;
#[cfg(any(feature = "account", feature = "oauth"))]
mod convert;
#[cfg(feature = "workers")]
mod cookie_jar;
#[cfg(feature = "session")]
mod cookie_storage;
#[cfg(any(feature = "signup", feature = "account"))]
mod device_key;
#[cfg(feature = "account")]
mod devices;
mod error;
mod fetch;
mod fields;
mod handover;
#[cfg(feature = "host-json")]
mod host_json;
#[cfg(feature = "workers")]
mod http;
#[cfg(feature = "verifier")]
mod jwks_fetch;
#[cfg(feature = "workers")]
mod kv;
mod listeners;
#[cfg(feature = "workers")]
mod middleware;
#[cfg(feature = "session")]
mod navigation;
#[cfg(feature = "oauth")]
mod oauth;
mod panic;
#[cfg(feature = "passkey-sign-in")]
mod passkey_sign_in;
#[cfg(feature = "account")]
mod passkeys;
// The restore module's methods reject through `panic::guard` directly.
#[cfg(any(feature = "session", feature = "signin"))]
mod promise;
#[cfg(not(feature = "session"))]
mod restore;
#[cfg(feature = "workers")]
mod restored;
#[cfg(feature = "session")]
mod session_methods;
mod session_view;
mod shared;
#[cfg(feature = "signin")]
mod sign_in;
#[cfg(feature = "signin")]
mod sign_in_object;
#[cfg(feature = "signin")]
mod sign_in_options;
#[cfg(feature = "signup")]
mod sign_up;
#[cfg(feature = "signup")]
mod sign_up_options;
#[cfg(any(feature = "signin", feature = "account"))]
mod slot;
mod storage;
mod task;
// The option and result shapes of every module; a build without some features uses part of them.
#[cfg_attr(
    not(all(
        feature = "signin",
        feature = "signup",
        feature = "account",
        feature = "oauth"
    )),
    allow(dead_code)
)]
mod types;
#[cfg(feature = "verifier")]
mod verifier;
mod web_store;
#[cfg(any(feature = "passkey-sign-in", feature = "account"))]
mod webauthn;
#[cfg(feature = "verifier")]
mod webcrypto;

#[cfg(feature = "session")]
pub use auth::CognitoAuth;
#[cfg(feature = "workers")]
pub use cookie_jar::CookieJar;
#[cfg(feature = "session")]
pub use cookie_storage::CookieStorage;
pub use fetch::FetchPlatform;
#[cfg(feature = "workers")]
pub use kv::KvStorage;
#[cfg(feature = "workers")]
pub use middleware::CognitoWorkerAuth;
#[cfg(not(feature = "session"))]
pub use restore::CognitoAuth;
#[cfg(feature = "verifier")]
pub use verifier::CognitoJwtVerifier;
pub use web_store::WebStorageStore;

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `target[name]` when it is a function.
fn method(target: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()?
        .dyn_into()
        .ok()
}

//! The JavaScript API: the only module that touches `JsValue`, `web_sys` and `js_sys`.

mod account;
mod args;
mod auth;
#[cfg(feature = "bench")]
mod bench;
mod context_data;
mod convert;
#[cfg(feature = "workers")]
mod cookie_jar;
mod cookie_storage;
mod devices;
mod error;
mod fetch;
#[cfg(feature = "workers")]
mod http;
mod jwks_fetch;
#[cfg(feature = "workers")]
mod kv;
#[cfg(feature = "workers")]
mod middleware;
mod navigation;
mod oauth;
mod panic;
mod promise;
#[cfg(feature = "workers")]
mod restored;
mod storage;
mod types;
mod verifier;
mod web_store;
mod webcrypto;

pub use auth::CognitoAuth;
#[cfg(feature = "workers")]
pub use cookie_jar::CookieJar;
pub use cookie_storage::CookieStorage;
pub use fetch::FetchPlatform;
#[cfg(feature = "workers")]
pub use kv::KvStorage;
#[cfg(feature = "workers")]
pub use middleware::CognitoWorkerAuth;
pub use storage::{MemoryStorage, WebStorage};
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

//! The JavaScript API: the only module that touches `JsValue`, `web_sys` and `js_sys`.

mod auth;
mod error;
mod fetch;
mod types;

pub use auth::CognitoAuth;
pub use fetch::FetchPlatform;

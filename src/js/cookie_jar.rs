//! `CookieJar` for Workers: a request's cookies as a token storage (`getItem`/`setItem`/
//! `removeItem`), whose changes become `Set-Cookie` headers on the response. The text work is in
//! [`crate::cookie`] and [`crate::cookie_jar`].

use alloc::rc::Rc;
use core::cell::RefCell;

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use js_sys::Reflect;

use super::args::{snapshot, string_param};
use super::error::{invalid_options, to_js_error};
use super::http;
use crate::cookie::{format_set_cookie, CookieAttributes, SameSite, DEFAULT_CHUNK_LIMIT};
use crate::cookie_jar::CookieJar as Jar;
use crate::error::Error;
use crate::storage::TokenStore;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Attributes of the cookies a `CookieJar` writes. */
export interface CookieOptions {
  domain?: string;
  /** Default "/". */
  path?: string;
  /** Default true. */
  secure?: boolean;
  /** Default true (scripts cannot read the tokens). */
  httpOnly?: boolean;
  /** Default "Lax". */
  sameSite?: "Strict" | "Lax" | "None";
  /** Default 2592000 (30 days, Cognito's default refresh-token lifetime). */
  maxAgeSeconds?: number;
  /** Longer (percent-encoded) values are split over `name`, `name.1`, …; default 3800. */
  chunkSize?: number;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CookieOptions {
    domain: Option<String>,
    path: Option<String>,
    secure: Option<bool>,
    http_only: Option<bool>,
    same_site: Option<String>,
    max_age_seconds: Option<i64>,
    chunk_size: Option<usize>,
}

/// 30 days: Cognito's default refresh-token lifetime.
pub const DEFAULT_MAX_AGE_S: i64 = 30 * 24 * 3600;

impl CookieOptions {
    pub fn from_js(value: &JsValue) -> Result<CookieOptions, Error> {
        if value.is_undefined() || value.is_null() {
            return Ok(CookieOptions::default());
        }
        serde_wasm_bindgen::from_value(snapshot(value, "cookie options")?)
            .map_err(|e| invalid_options("cookie options", e))
    }

    /// Whether the cookies are `Secure` (default true).
    pub fn secure(&self) -> bool {
        self.secure.unwrap_or(true)
    }

    /// The jar of `cookie_header`, its attributes checked.
    pub fn jar(&self, cookie_header: &str) -> Result<Jar, Error> {
        let same_site = match self.same_site.as_deref() {
            None => SameSite::Lax,
            Some(text) => SameSite::parse(text).ok_or_else(|| {
                Error::invalid_parameter("sameSite must be \"Strict\", \"Lax\" or \"None\"")
            })?,
        };
        let attributes = CookieAttributes {
            domain: self.domain.clone(),
            path: self.path.clone().unwrap_or_else(|| "/".into()),
            secure: self.secure.unwrap_or(true),
            http_only: self.http_only.unwrap_or(true),
            same_site,
            max_age_s: Some(self.max_age_seconds.unwrap_or(DEFAULT_MAX_AGE_S)),
        };
        format_set_cookie("probe", "", &attributes)
            .map_err(|e| Error::invalid_parameter(e.to_string()))?;
        let chunk_limit = self.chunk_size.unwrap_or(DEFAULT_CHUNK_LIMIT);
        Ok(Jar::new(cookie_header, attributes, chunk_limit))
    }
}

/// A shared jar: the Rust side of a `CookieJar`, and a [`TokenStore`] for the core client.
#[derive(Clone)]
pub struct SharedJar(pub Rc<RefCell<Jar>>);

impl SharedJar {
    pub fn set_cookie_headers(&self) -> Result<Vec<String>, Error> {
        self.0
            .borrow()
            .set_cookie_headers()
            .map_err(|e| Error::invalid_parameter(e.to_string()))
    }
}

impl TokenStore for SharedJar {
    async fn get_item(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(self.0.borrow().get(key))
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), Error> {
        self.0.borrow_mut().set(key, value);
        Ok(())
    }

    async fn remove_item(&self, key: &str) -> Result<(), Error> {
        self.0.borrow_mut().remove(key);
        Ok(())
    }
}

/// The `Cookie` header of a Request (`""` when it has none or `source` is not a Request).
pub fn cookie_header_of(source: &JsValue) -> String {
    http::header(source, "cookie").unwrap_or_default()
}

/// `CookieJar`'s `source`: the header string itself, `""` for `undefined`/`null`, a Request's
/// `Cookie` header; `InvalidParameterError` for anything else.
fn cookie_source(source: &JsValue) -> Result<String, Error> {
    if let Some(header) = source.as_string() {
        return Ok(header);
    }
    if source.is_undefined() || source.is_null() {
        return Ok(String::new());
    }
    let is_request =
        source.is_object() && Reflect::get(source, &"headers".into()).is_ok_and(|h| h.is_object());
    if !is_request {
        return Err(Error::invalid_parameter(
            "source must be a Request or a Cookie header string",
        ));
    }
    Ok(cookie_header_of(source))
}

/// A request's cookies as token storage; changes come out as `Set-Cookie` headers.
///
/// The cookies are whatever the client sent, forged ones included: a server authorises with
/// `CognitoWorkerAuth` or `CognitoJwtVerifier` (which verify the tokens), never with values read
/// from a jar. `CognitoAuth` over a `CookieJar` verifies the restored tokens in `getSession`.
#[wasm_bindgen]
pub struct CookieJar {
    jar: SharedJar,
}

#[wasm_bindgen]
impl CookieJar {
    /// Reads `source`'s `Cookie` header (a Request, or the header string). Throws
    /// `InvalidParameterError` for unusable options (`SameSite=None` without `Secure`, a `;` in
    /// `path` or `domain`).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Request | string | null | undefined")]
        source: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CookieOptions | undefined")] options: JsValue,
    ) -> Result<CookieJar, JsValue> {
        let jar = CookieOptions::from_js(&options)
            .and_then(|o| o.jar(&cookie_source(&source)?))
            .map_err(|e| to_js_error(&e))?;
        Ok(CookieJar {
            jar: SharedJar(Rc::new(RefCell::new(jar))),
        })
    }

    /// The value (joined from its chunks), or `null` (as Web Storage answers).
    #[wasm_bindgen(js_name = getItem, unchecked_return_type = "string | null")]
    pub fn get_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        let key = string_param(&key, "key")?;
        Ok(self
            .jar
            .0
            .borrow()
            .get(&key)
            .map_or(JsValue::NULL, |v| JsValue::from_str(&v)))
    }

    /// Records a write (split into chunks when long; stale chunks are expired).
    #[wasm_bindgen(js_name = setItem)]
    pub fn set_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<(), JsValue> {
        let (key, value) = (string_param(&key, "key")?, string_param(&value, "value")?);
        self.jar.0.borrow_mut().set(&key, &value);
        Ok(())
    }

    /// Records a removal (`Max-Age=0` for the cookie and its chunks).
    #[wasm_bindgen(js_name = removeItem)]
    pub fn remove_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<(), JsValue> {
        self.jar.0.borrow_mut().remove(&string_param(&key, "key")?);
        Ok(())
    }

    /// One `Set-Cookie` header value per changed cookie.
    #[wasm_bindgen(js_name = setCookieHeaders, unchecked_return_type = "string[]")]
    pub fn set_cookie_headers(&self) -> Result<Vec<String>, JsValue> {
        self.jar.set_cookie_headers().map_err(|e| to_js_error(&e))
    }

    /// A copy of `response` with the `Set-Cookie` headers appended (`response` itself when
    /// nothing changed).
    #[wasm_bindgen(js_name = applyTo, unchecked_return_type = "Response")]
    pub fn apply_to(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Response")] response: JsValue,
    ) -> Result<JsValue, JsValue> {
        http::with_set_cookie(&response, &self.set_cookie_headers()?)
    }
}

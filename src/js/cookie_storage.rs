//! `CookieStorage`: tokens in the page's cookies (`document.cookie`), for apps whose server also
//! needs them. Values over the ~4 KB cookie limit are split into chunks and reassembled; stale
//! chunks are removed. Cookies set from script cannot be HttpOnly: use `CookieJar` in a Worker
//! for that.

use crate::text::Cat;
use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::args::{optional_string, string_param};
use super::error::to_js_error;
use super::fields::Fields;
use crate::cookie::{CookieAttributes, SameSite, DEFAULT_CHUNK_LIMIT};
use crate::cookie_jar::CookieJar;
use crate::error::Error;

#[derive(Default)]
struct CookieStorageOptions {
    domain: Option<String>,
    path: Option<String>,
    secure: Option<bool>,
    same_site: Option<String>,
    /// Days to keep the cookies (amazon-cognito-identity-js's `expires`); default 365.
    expires: Option<f64>,
}

impl CookieStorageOptions {
    /// `undefined`/`null` read as `{}`.
    fn read(options: &JsValue) -> Result<CookieStorageOptions, Error> {
        if options.is_undefined() || options.is_null() {
            return Ok(CookieStorageOptions::default());
        }
        let f = Fields::of(options, "CookieStorage options")?;
        let parsed = CookieStorageOptions {
            domain: f.text("domain"),
            path: f.text("path"),
            secure: f.flag("secure"),
            same_site: f.text("sameSite"),
            expires: f.finite("expires"),
        };
        f.finish(parsed)
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface CookieStorageOptions {
  domain?: string;
  /** Default "/". */
  path?: string;
  /** Default true (plain-http pages other than localhost need false). */
  secure?: boolean;
  /** Default "Lax". */
  sameSite?: "Strict" | "Lax" | "None";
  /** Days the cookies live; default 365. */
  expires?: number;
}
"#;

/// Tokens in `document.cookie`.
#[wasm_bindgen]
pub struct CookieStorage {
    attributes: CookieAttributes,
}

fn document() -> Result<JsValue, Error> {
    Reflect::get(&js_sys::global(), &"document".into())
        .ok()
        .filter(JsValue::is_object)
        .ok_or_else(|| Error::Storage {
            message: "CookieStorage needs a document (use CookieJar in Workers)".into(),
        })
}

fn read_cookies() -> Result<String, Error> {
    Reflect::get(&document()?, &"cookie".into())
        .ok()
        .and_then(|c| c.as_string())
        .ok_or_else(|| Error::Storage {
            message: "document.cookie is not readable".into(),
        })
}

#[wasm_bindgen]
impl CookieStorage {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CookieStorageOptions")] options: JsValue,
    ) -> Result<CookieStorage, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CookieStorage, Error> {
        let options = CookieStorageOptions::read(&options)?;
        let same_site = match options.same_site.as_deref() {
            None => SameSite::Lax,
            Some(text) => SameSite::parse(text)
                .ok_or_else(|| Error::invalid_parameter("sameSite must be Strict, Lax or None"))?,
        };
        let days = options.expires.unwrap_or(365.0);
        if !days.is_finite() || days <= 0.0 {
            return Err(Error::invalid_parameter(
                "expires must be a positive number of days",
            ));
        }
        let attributes = CookieAttributes {
            domain: options.domain,
            path: options.path.unwrap_or_else(|| "/".into()),
            secure: options.secure.unwrap_or(true),
            http_only: false,
            same_site,
            max_age_s: Some((days * 86_400.0) as i64),
        };
        if attributes.same_site == SameSite::None && !attributes.secure {
            return Err(Error::invalid_parameter("sameSite None requires secure"));
        }
        Ok(CookieStorage { attributes })
    }

    fn jar(&self) -> Result<CookieJar, Error> {
        Ok(CookieJar::new(
            &read_cookies()?,
            self.attributes.clone(),
            DEFAULT_CHUNK_LIMIT,
        ))
    }

    /// Writes every cookie the jar changed to `document.cookie`.
    fn write(jar: &CookieJar) -> Result<(), Error> {
        let document = document()?;
        let lines = jar.set_cookie_headers().map_err(|e| Error::Storage {
            message: e.message(),
        })?;
        for line in lines {
            Reflect::set(&document, &"cookie".into(), &JsValue::from_str(&line)).map_err(|_| {
                Error::Storage {
                    message: "document.cookie refused a write".into(),
                }
            })?;
        }
        Ok(())
    }

    #[wasm_bindgen(js_name = getItem, unchecked_return_type = "string | undefined")]
    pub fn get_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        let key = string_param(&key, "key")?;
        self.jar()
            .map(|jar| optional_string(jar.get(&key)))
            .map_err(|e| to_js_error(&e))
    }

    #[wasm_bindgen(js_name = setItem)]
    pub fn set_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<(), JsValue> {
        let (key, value) = (string_param(&key, "key")?, string_param(&value, "value")?);
        self.change(&key, Some(&value)).map_err(|e| to_js_error(&e))
    }

    #[wasm_bindgen(js_name = removeItem)]
    pub fn remove_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<(), JsValue> {
        let key = string_param(&key, "key")?;
        self.change(&key, None).map_err(|e| to_js_error(&e))
    }
}

impl CookieStorage {
    /// Sets `key` to `Some(value)` (then checks the browser kept it: it silently drops cookies
    /// it refuses, Secure on http or oversize), or removes it.
    fn change(&self, key: &str, value: Option<&str>) -> Result<(), Error> {
        let mut jar = self.jar()?;
        match value {
            Some(value) => jar.set(key, value),
            None => jar.remove(key),
        }
        Self::write(&jar)?;
        let Some(value) = value else {
            return Ok(());
        };
        match self.jar().map(|jar| jar.get(key)) {
            Ok(Some(stored)) if stored == value => Ok(()),
            _ => Err(Error::Storage {
                message: ["the browser did not keep cookie \"", key, "\""].cat(),
            }),
        }
    }
}

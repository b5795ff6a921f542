//! `KvStorage`: token storage over a Cloudflare Workers KV namespace binding.

use super::task::awaited;
use js_sys::{Function, Object, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::panic::guard;

use super::args::{snapshot, string_arg};
use super::error::{invalid_options, to_js_error};
use crate::error::Error;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** The part of a Workers KV namespace binding `KvStorage` uses. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface KvStorageOptions {
  /** Prepended to every key; default "". */
  prefix?: string;
  /** Seconds each write lives (KV's minimum is 60); default 2592000 (30 days, the refresh
   * token's default lifetime). */
  expirationTtl?: number;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct KvOptions {
    prefix: Option<String>,
    expiration_ttl: Option<u32>,
}

/// KV's smallest `expirationTtl`.
const MIN_TTL_S: u32 = 60;

/// Tokens in Workers KV: `getItem`/`setItem`/`removeItem` return Promises. Writes expire after
/// `expirationTtl` seconds (match it to the refresh-token lifetime).
///
/// KV is eventually consistent: a write is visible at once in the same location but may take
/// 60 s or more to reach other edge locations, so a refresh or sign-out written in one place can
/// be missed by a request served elsewhere. Use it for server-side sessions keyed per user, not
/// where a revocation must take effect everywhere at once.
#[wasm_bindgen]
pub struct KvStorage {
    namespace: JsValue,
    prefix: String,
    ttl_s: u32,
}

fn storage_error(what: &str, thrown: &JsValue) -> JsValue {
    let reason = thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| "it threw".into());
    to_js_error(&Error::Storage {
        message: format!("KV {what} failed: {reason}"),
    })
}

#[wasm_bindgen]
impl KvStorage {
    /// Throws `InvalidParameterError` when `namespace` lacks `get`/`put`/`delete` or
    /// `expirationTtl` is under 60.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "KvNamespaceLike")] namespace: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KvStorageOptions | undefined")] options: JsValue,
    ) -> Result<KvStorage, JsValue> {
        Self::build(namespace, options).map_err(|e| to_js_error(&e))
    }

    fn build(namespace: JsValue, options: JsValue) -> Result<KvStorage, Error> {
        for method in ["get", "put", "delete"] {
            let f = Reflect::get(&namespace, &method.into()).unwrap_or(JsValue::UNDEFINED);
            if !f.is_function() {
                return Err(Error::invalid_parameter(format!(
                    "the KV namespace must have a {method} method"
                )));
            }
        }
        let options: KvOptions = if options.is_undefined() || options.is_null() {
            KvOptions::default()
        } else {
            serde_wasm_bindgen::from_value(snapshot(&options, "KvStorage options")?)
                .map_err(|e| invalid_options("KvStorage options", e))?
        };
        let ttl_s = options.expiration_ttl.unwrap_or(30 * 24 * 3600);
        if ttl_s < MIN_TTL_S {
            return Err(Error::invalid_parameter(
                "expirationTtl must be at least 60 seconds",
            ));
        }
        Ok(KvStorage {
            namespace,
            prefix: options.prefix.unwrap_or_default(),
            ttl_s,
        })
    }

    /// Calls `namespace[method](prefix + key, …rest)` and awaits it.
    fn call(&self, method: &'static str, key: &str, rest: &[JsValue]) -> Promise {
        let namespace = self.namespace.clone();
        let full_key = JsValue::from_str(&format!("{}{key}", self.prefix));
        let args = js_sys::Array::of1(&full_key);
        for arg in rest {
            args.push(arg);
        }
        guard(async move {
            let f: Function = Reflect::get(&namespace, &method.into())
                .and_then(JsCast::dyn_into)
                .map_err(|e| storage_error(method, &e))?;
            let returned = f
                .apply(&namespace, &args)
                .map_err(|e| storage_error(method, &e))?;
            let value = awaited(Promise::resolve(&returned))
                .await
                .map_err(|e| storage_error(method, &e))?;
            Ok(match method {
                "get" if value.is_string() => value,
                "get" => JsValue::NULL,
                _ => JsValue::UNDEFINED,
            })
        })
    }

    /// The stored string, or `null`.
    #[wasm_bindgen(js_name = getItem, unchecked_return_type = "Promise<string | null>")]
    pub fn get_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Promise {
        match string_arg(&key, "key") {
            Ok(key) => self.call("get", &key, &[]),
            Err(e) => Promise::reject(&to_js_error(&e)),
        }
    }

    /// Writes with `expirationTtl`.
    #[wasm_bindgen(js_name = setItem, unchecked_return_type = "Promise<void>")]
    pub fn set_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Promise {
        let checked = string_arg(&key, "key").and_then(|k| Ok((k, string_arg(&value, "value")?)));
        let (key, value) = match checked {
            Ok(both) => both,
            Err(e) => return Promise::reject(&to_js_error(&e)),
        };
        let options = Object::new();
        let _ = Reflect::set(&options, &"expirationTtl".into(), &self.ttl_s.into());
        self.call("put", &key, &[value.into(), options.into()])
    }

    #[wasm_bindgen(js_name = removeItem, unchecked_return_type = "Promise<void>")]
    pub fn remove_item(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Promise {
        match string_arg(&key, "key") {
            Ok(key) => self.call("delete", &key, &[]),
            Err(e) => Promise::reject(&to_js_error(&e)),
        }
    }
}

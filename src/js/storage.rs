//! Token storage for JS: any object with `getItem`/`setItem`/`removeItem` (sync or returning
//! Promises — the Web Storage API and Amplify's KeyValueStorageInterface fit unchanged), and the
//! built-in `MemoryStorage` and `WebStorage` classes. A batch of reads or writes is one call of
//! `storage_io.js` (the calls in order, each awaited only when it returns a thenable); what an
//! answer means and the error texts are here.

use crate::prelude::*;
use core::future::Future;

use super::task::awaited;
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::args::{optional_string_arg, string_param};
use super::error::to_js_error;
use crate::error::Error;
use crate::map::VecMap;
use crate::secret::SecretString;
use crate::storage::TokenStore;

/// A JS storage object, called through its methods.
pub struct JsStorage {
    target: JsValue,
}

pub(super) fn storage_error(operation: &str, key: &str, thrown: &JsValue) -> Error {
    let reason = super::error::thrown_message(thrown, "it threw");
    Error::Storage {
        message: [operation, "(\"", key, "\") failed: ", &reason].cat(),
    }
}

impl JsStorage {
    /// Checks that `target` has the three methods.
    pub fn new(target: JsValue) -> Result<JsStorage, Error> {
        for method in ["getItem", "setItem", "removeItem"] {
            if super::method(&target, method).is_none() {
                return Err(Error::invalid_parameter(
                    ["storage must have a ", method, " method"].cat(),
                ));
            }
        }
        Ok(JsStorage { target })
    }

    pub fn target(&self) -> &JsValue {
        &self.target
    }

    /// One [`storage_io`] call for the batch `items` (key, then `null` for `getItem`,
    /// `undefined` for `removeItem` or the value for `setItem`): the error of the first call
    /// that failed, else the strings the first `reads.len()` calls (`getItem` of `reads`)
    /// answered, `null` and `undefined` as none; any other answer is an error (the first in
    /// order). The storage is called when the future is made, not at its first poll.
    fn batch<'a>(
        &self,
        items: &Array,
        try_all: bool,
        reads: &'a [String],
    ) -> impl Future<Output = Result<Vec<Option<String>>, Error>> + 'a {
        let answers = awaited(storage_io(
            &self.target,
            items,
            &JsValue::from_bool(try_all),
        ));
        async move {
            let answers: Array = answers
                .await
                .map_err(|failed| failure(failed.unchecked_ref()))?
                .unchecked_into();
            let mut values = Vec::with_capacity(reads.len());
            for (i, key) in (0..).zip(reads) {
                let answer = answers.get(i);
                let value = answer.as_string();
                if value.is_none() && !answer.is_null() && !answer.is_undefined() {
                    return Err(Error::Storage {
                        message: ["getItem(\"", key, "\") returned a non-string"].cat(),
                    });
                }
                values.push(value);
            }
            Ok(values)
        }
    }

    /// [`JsStorage::batch`] of the writes `items`, its answers dropped.
    fn write(&self, items: &Array, try_all: bool) -> impl Future<Output = Result<(), Error>> {
        let written = self.batch(items, try_all, &[]);
        async move { written.await.map(drop) }
    }
}

#[wasm_bindgen(module = "/src/js/storage_io.js")]
extern "C" {
    /// Calls, in order, `getItem(key)`, `removeItem(key)` or `setItem(key, value)` for each
    /// pair of `items` (value `null`, `undefined` or a string), each awaited when it returns a
    /// thenable: the answers, or a rejection `[method, thrown, key]` (`[method]`: no such
    /// method) for the first call that failed, at once or (`try_all`) after every call.
    #[wasm_bindgen(js_name = io)]
    fn storage_io(storage: &JsValue, items: &Array, try_all: &JsValue) -> Promise;
    /// `console.warn(message)`; nothing where there is no console or it throws.
    #[wasm_bindgen(js_name = warn)]
    fn console_warn(message: &str);
    /// `storage[method](key)`, or with a `value` `storage[method](key, value)`, the method
    /// looked up at the call, as `web_sys::Storage`'s methods call it; what it throws is the
    /// `Err`, and a method that is not a function is thrown itself.
    #[wasm_bindgen(js_name = call, catch)]
    fn storage_call(
        storage: &JsValue,
        method: &str,
        key: &str,
        value: Option<&str>,
    ) -> Result<JsValue, JsValue>;
}

/// The error [`storage_io`]'s rejection `failed` names: `[method, thrown, key]`, or `[method]`
/// when the storage had no such method.
fn failure(failed: &Array) -> Error {
    let method = failed.get(0).as_string().unwrap_or_default();
    match failed.length() {
        0 | 1 => Error::Storage {
            message: ["storage has no ", &method, " method"].cat(),
        },
        _ => storage_error(
            &method,
            &failed.get(2).as_string().unwrap_or_default(),
            &failed.get(1),
        ),
    }
}

/// `items` followed by `key` and `value` ([`storage_io`]'s layout).
fn push_item(items: &Array, key: &str, value: &JsValue) {
    items.push(&JsValue::from_str(key));
    items.push(value);
}

impl TokenStore for JsStorage {
    async fn get_item(&self, key: &str) -> Result<Option<String>, Error> {
        let mut values = self.read_items(&[key.to_owned()]).await?;
        Ok(values.pop().flatten())
    }

    fn set_item(&self, key: &str, value: &str) -> impl Future<Output = Result<(), Error>> {
        self.write_item(key, Some(value))
    }

    fn remove_item(&self, key: &str) -> impl Future<Output = Result<(), Error>> {
        self.write_item(key, None)
    }

    fn write_item(
        &self,
        key: &str,
        value: Option<&str>,
    ) -> impl Future<Output = Result<(), Error>> {
        let items = Array::new();
        push_item(
            &items,
            key,
            &value.map_or(JsValue::UNDEFINED, JsValue::from_str),
        );
        self.write(&items, false)
    }

    /// One [`storage_io`] call ([`JsStorage::batch`]).
    fn read_items(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<Vec<Option<String>>, Error>> {
        let items = Array::new();
        for key in keys {
            push_item(&items, key, &JsValue::NULL);
        }
        self.batch(&items, false, keys)
    }

    /// One [`storage_io`] call ([`JsStorage::batch`]); `items` dropped once passed.
    fn write_items(
        &self,
        items: Vec<(String, Option<SecretString>)>,
        try_all: bool,
    ) -> impl Future<Output = Result<(), Error>> {
        let batch = Array::new();
        for (key, value) in &items {
            let value = value.as_ref().map(SecretString::expose_secret);
            push_item(
                &batch,
                key,
                &value.map_or(JsValue::UNDEFINED, JsValue::from_str),
            );
        }
        self.write(&batch, try_all)
    }
}

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
export interface MemoryStorage {
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface WebStorage {
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}
"#;

/// A storage method and its value argument.
#[derive(Clone, Copy)]
enum Op<'a> {
    Get,
    Set(&'a JsValue),
    Remove,
}

/// What `MemoryStorage` and `WebStorage` hold: the browser's storage while it works (a
/// `WebStorage`'s; a `MemoryStorage` has none), else memory. The two classes' `getItem`,
/// `setItem` and `removeItem` are one body over it ([`Items::apply`]; the same code in both
/// exports). Every method of both classes takes `&mut self`, getters too: one borrow path.
#[derive(Default)]
struct Items {
    /// `localStorage` or `sessionStorage`, named in the fallback warning.
    kind: &'static str,
    browser: Option<web_sys::Storage>,
    /// The items kept in memory (held directly: every method borrows the class mutably).
    memory: VecMap<String, String>,
    fallback_reason: Option<String>,
}

impl Items {
    /// `getItem(key)` (`Get`): a string, or `undefined` for a missing key; `setItem(key, value)`
    /// (`Set`), `removeItem(key)` (`Remove`): `undefined`. In the browser's storage, or (none,
    /// or when it refuses, from then on) in memory. One body for the three methods.
    fn apply(&mut self, op: Op, key: &JsValue) -> Result<JsValue, JsValue> {
        let key = string_param(key, "key")?;
        let (method, value) = match op {
            Op::Get => ("getItem", None),
            Op::Set(value) => ("setItem", Some(string_param(value, "value")?)),
            Op::Remove => ("removeItem", None),
        };
        if let Some(storage) = &self.browser {
            match storage_call(storage, method, &key, value.as_deref()) {
                // `getItem`: a string, or `null` for a missing key (returned as `undefined`).
                Ok(answer) if matches!(op, Op::Get) && answer.is_string() => return Ok(answer),
                Ok(_) => return Ok(JsValue::UNDEFINED),
                Err(e) => self.fall_back(describe(&e)),
            }
        }
        match (op, value) {
            (Op::Get, _) => {
                return Ok(self
                    .memory
                    .get(&key)
                    .map_or(JsValue::UNDEFINED, |value| JsValue::from_str(value)))
            }
            (_, Some(value)) => {
                self.memory.insert(key, value);
            }
            (_, None) => {
                self.memory.remove(&key);
            }
        }
        Ok(JsValue::UNDEFINED)
    }

    /// Switches to memory for good. Memory starts empty (a refusing browser may not let us read
    /// what it holds); `CognitoAuth` keeps its in-memory session regardless.
    fn fall_back(&mut self, reason: String) {
        if self.fallback_reason.is_none() {
            warn(
                &[
                    "cognito-wasm: ",
                    self.kind,
                    " unavailable (",
                    &reason,
                    "); keeping tokens in memory",
                ]
                .cat(),
            );
            self.fallback_reason = Some(reason);
        }
        self.browser = None;
    }
}

/// Tokens in memory: gone with the page or process. The default where there is no
/// `localStorage` (Node, Workers).
#[wasm_bindgen]
#[derive(Default)]
pub struct MemoryStorage {
    items: Items,
}

#[wasm_bindgen]
impl MemoryStorage {
    #[wasm_bindgen(constructor)]
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    #[wasm_bindgen(js_name = getItem, unchecked_return_type = "string | undefined")]
    pub fn get_item(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.items.apply(Op::Get, &key)
    }

    /// Declared below (`void`): `undefined`, returned as a value so the export has the shape of
    /// `getItem`'s.
    #[wasm_bindgen(js_name = setItem, skip_typescript)]
    pub fn set_item(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.items.apply(Op::Set(&value), &key)
    }

    /// Declared below, as `setItem`.
    #[wasm_bindgen(js_name = removeItem, skip_typescript)]
    pub fn remove_item(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.items.apply(Op::Remove, &key)
    }

    /// The keys held, sorted.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn keys(&mut self) -> js_sys::Array {
        let keys = js_sys::Array::new();
        for key in self.items.memory.keys() {
            keys.push(&JsValue::from_str(key));
        }
        keys
    }
}

/// `localStorage` (the default in browsers) or `sessionStorage`. Where the browser refuses
/// (storage disabled, private mode, quota exceeded) it falls back to memory for good and says so
/// in `usingFallback`/`fallbackReason` and once on `console.warn`.
#[wasm_bindgen]
pub struct WebStorage {
    items: Items,
}

pub(super) fn web_storage(kind: &str) -> Result<web_sys::Storage, String> {
    let value =
        Reflect::get(&js_sys::global(), &JsValue::from_str(kind)).map_err(|e| describe(&e))?;
    value
        .dyn_into::<web_sys::Storage>()
        .map_err(|_| ["this runtime has no ", kind].cat())
}

fn describe(thrown: &JsValue) -> String {
    super::error::name_and_message(thrown).unwrap_or_else(|| "storage threw".into())
}

#[wasm_bindgen]
impl WebStorage {
    /// `kind` is `"local"` (default) or `"session"`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "\"local\" | \"session\"")] kind: JsValue,
    ) -> Result<WebStorage, JsValue> {
        let kind = optional_string_arg(&kind, "WebStorage kind").map_err(|e| to_js_error(&e))?;
        let kind = match kind.as_deref() {
            None | Some("local") => "localStorage",
            Some("session") => "sessionStorage",
            Some(other) => {
                let e = Error::invalid_parameter(
                    [
                        "WebStorage kind must be \"local\" or \"session\", not \"",
                        other,
                        "\"",
                    ]
                    .cat(),
                );
                return Err(to_js_error(&e));
            }
        };
        let mut items = Items {
            kind,
            ..Items::default()
        };
        match web_storage(kind) {
            Ok(storage) => items.browser = Some(storage),
            Err(reason) => items.fall_back(reason),
        }
        Ok(WebStorage { items })
    }

    /// Whether the browser refused and tokens are kept in memory instead.
    #[wasm_bindgen(getter, js_name = usingFallback)]
    pub fn using_fallback(&mut self) -> bool {
        self.items.fallback_reason.is_some()
    }

    /// Why, when `usingFallback`.
    #[wasm_bindgen(
        getter,
        js_name = fallbackReason,
        unchecked_return_type = "string | undefined"
    )]
    pub fn fallback_reason(&mut self) -> JsValue {
        self.items
            .fallback_reason
            .as_deref()
            .map_or(JsValue::UNDEFINED, JsValue::from_str)
    }

    #[wasm_bindgen(js_name = getItem, unchecked_return_type = "string | undefined")]
    pub fn get_item(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.items.apply(Op::Get, &key)
    }

    /// Declared below (`void`): `undefined`, returned as a value so the export has the shape of
    /// `getItem`'s.
    #[wasm_bindgen(js_name = setItem, skip_typescript)]
    pub fn set_item(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] value: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.items.apply(Op::Set(&value), &key)
    }

    /// Declared below, as `setItem`.
    #[wasm_bindgen(js_name = removeItem, skip_typescript)]
    pub fn remove_item(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.items.apply(Op::Remove, &key)
    }
}

/// `console.warn(message)` where there is a console ([`console_warn`]).
pub(super) fn warn(message: &str) {
    console_warn(message);
}

/// The storage used when none is given: `localStorage` where the runtime has a usable one,
/// memory otherwise.
pub fn default_storage() -> JsValue {
    let mut items = Items::default();
    match web_storage("localStorage") {
        Ok(local) => {
            items.kind = "localStorage";
            items.browser = Some(local);
            WebStorage { items }.into()
        }
        Err(_) => MemoryStorage { items }.into(),
    }
}

//! Token storage for JS: any object with `getItem`/`setItem`/`removeItem` (sync or returning
//! Promises — the Web Storage API, Amplify's KeyValueStorageInterface and the package's own
//! `MemoryStorage` and `WebStorage`, plain JS classes of its entries, fit unchanged). A batch of reads or writes is one call of
//! `storage_io.js` (the calls in order, each awaited only when it returns a thenable); what an
//! answer means and the error texts are here.

use crate::prelude::*;
use core::future::Future;

use super::task::awaited;
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::error::Error;
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

/// `globalThis[kind]` (`"localStorage"`, `"sessionStorage"`) when it is a `Storage`; else why not.
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

/// `console.warn(message)` where there is a console ([`console_warn`]).
pub(super) fn warn(message: &str) {
    console_warn(message);
}

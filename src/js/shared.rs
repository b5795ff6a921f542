//! What every `CognitoAuth` shares around its session methods, written once over
//! [`SessionObject`]: the listeners, other tabs' changes and the refresh shared by concurrent
//! callers under the cross-tab lock. The session module's object (over the generic client,
//! `auth.rs`, with its methods in `session_methods.rs`) and the restore module's (`restore/`)
//! implement it, and each build has one of them.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::Future;

use super::task::{awaited, Awaited};
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::to_js_error;
use super::listeners::Listeners;
use crate::error::Error;
use crate::events::Cause;
use crate::session::Session;

#[wasm_bindgen(module = "/src/js/session_io.js")]
extern "C" {
    /// Where the global has `addEventListener` and a `document`: listens to `storage` events and
    /// returns the watch; else `undefined`.
    #[wasm_bindgen(js_name = watch)]
    fn js_watch() -> JsValue;
    /// The keys (`null`: a clear) of a batch of `storage` events (one timer turn after the first);
    /// rejects once [`js_unwatch`] stopped `watch`.
    #[wasm_bindgen(js_name = next)]
    fn js_next(watch: &JsValue) -> Promise;
    /// Stops `watch` (`undefined`: nothing).
    #[wasm_bindgen(js_name = unwatch)]
    fn js_unwatch(watch: &JsValue);
    /// Requests the Web Lock `name`: resolves once it is held (at once without Web Locks), rejects
    /// with the request's rejection before that (`undefined`: the request threw or gave no
    /// Promise). The lock is held until the Promise given to [`js_keep`] next settles.
    #[wasm_bindgen(js_name = lock)]
    fn js_lock(name: &str) -> Promise;
    /// Holds the lock last requested by [`js_lock`] until `work` settles.
    #[wasm_bindgen(js_name = keep)]
    fn js_keep(work: &Promise);
}

/// What every `CognitoAuth` holds besides its client.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) listeners: Listeners,
    /// The refresh under way, shared by every concurrent `getSession`/`refreshSession`.
    refreshing: Cell<Option<Promise>>,
    /// The watch of other tabs' changes (`js_watch`; `undefined` when none), stopped on drop.
    watch: Cell<JsValue>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        js_unwatch(self.watch.get_mut());
    }
}

/// A `CognitoAuth`'s client, as the listeners, other tabs and the shared refresh use it.
pub(super) trait SessionObject: 'static {
    fn shared(&self) -> &Shared;
    fn client_id(&self) -> &str;
    /// `CognitoIdentityServiceProvider.<clientId>`.
    fn storage_prefix(&self) -> &str;
    fn current_session(&self) -> Option<Session>;
    /// The session as the store has it now (`crate::held::load_held`).
    fn load_session(&self) -> impl Future<Output = Result<Option<Session>, Error>>;
}

impl Shared {
    /// Marks the shared refresh as done: the next `getSession`/`refreshSession` starts another.
    pub(super) fn refresh_done(&self) {
        self.refreshing.set(None);
    }
}

impl Shared {
    /// What the refresh rejects with when the lock was refused (`thrown`: the request's
    /// rejection, `undefined` when it threw or gave no Promise: `StorageError`); the refresh is
    /// done.
    pub(super) fn lock_refused(&self, thrown: JsValue) -> JsValue {
        self.refresh_done();
        if !thrown.is_undefined() {
            return thrown;
        }
        to_js_error(&Error::Storage {
            message: "navigator.locks.request failed".into(),
        })
    }
}

/// The refresh under way, or a new one: `work(this, granted)`, which first awaits `granted`, the
/// cross-tab lock `cognito-wasm.refresh.<clientId>` (Web Locks, where they exist; a refusal is
/// [`Shared::lock_refused`]), then re-reads the store (another tab may have refreshed already),
/// refreshes only if still needed (or always, when forced), calls [`Shared::refresh_done`] and
/// tells the listeners. The lock is held until that work settles.
pub(super) fn shared_refresh_with<T: SessionObject, F>(
    this: &Rc<T>,
    work: impl FnOnce(Rc<T>, Awaited) -> F,
) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    // A `Cell`, taken and put back: no borrow flag (and no borrow panic path).
    if let Some(running) = this.shared().refreshing.take() {
        this.shared().refreshing.set(Some(running.clone()));
        return running;
    }
    let granted = js_lock(&["cognito-wasm.refresh.", this.client_id()].cat());
    let running = super::panic::guard(work(this.clone(), awaited(granted)));
    js_keep(&running);
    this.shared().refreshing.set(Some(running.clone()));
    running
}

/// Follows changes other tabs make to the stored session (`storage` events of Web Storage): after
/// each batch of events with a key under [`SessionObject::storage_prefix`] (or a clear), re-reads
/// the store and tells the listeners of the change. Holds the object weakly; ends when the object
/// is dropped (the watch stops).
pub(super) fn watch_other_tabs<T: SessionObject>(this: &Rc<T>) {
    let watch = js_watch();
    if watch.is_undefined() {
        return; // storage events exist only in documents
    }
    this.shared().watch.set(watch.clone());
    let weak = Rc::downgrade(this);
    super::task::spawn(Box::pin(async move {
        while let Ok(keys) = awaited(js_next(&watch)).await {
            let Some(inner) = weak.upgrade() else { return };
            let prefix = inner.storage_prefix();
            let mut ours = false;
            for key in keys.unchecked_into::<Array>().iter() {
                ours |= key.as_string().is_none_or(|k| k.starts_with(prefix));
            }
            if !ours {
                continue;
            }
            let before = inner.current_session();
            if let Ok(after) = inner.load_session().await {
                inner.shared().listeners.changed(
                    before.as_ref(),
                    after.as_ref(),
                    Cause::Store,
                    None,
                );
            }
        }
    }));
}

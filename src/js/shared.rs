//! The session methods of a `CognitoAuth` (getSession, refreshSession, signOut, the listeners,
//! other tabs' changes), written once over [`SessionObject`]: the session module's object (over
//! the generic client, `auth.rs`) and the restore module's (`restore/`) implement it, and each
//! build has one of them.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::Future;
use core::task::Poll;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::to_js_error;
use super::fetch::FetchPlatform;
use super::listeners::Listeners;
use super::promise::promise;
use super::session_view::session_to_js;
use super::types::{RefreshParams, SignOutParams};
use crate::client::SignedOut;
use crate::error::Error;
use crate::events::Cause;
use crate::map::VecMap;
use crate::session::Session;
use crate::transport::Platform;

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

/// A `CognitoAuth`'s client, as the shared methods use it.
pub(super) trait SessionObject: 'static {
    fn shared(&self) -> &Shared;
    fn platform(&self) -> &FetchPlatform;
    fn client_id(&self) -> &str;
    /// `CognitoIdentityServiceProvider.<clientId>`.
    fn storage_prefix(&self) -> &str;
    fn refresh_margin_ms(&self) -> u64;
    fn current_session(&self) -> Option<Session>;
    fn take_storage_warning(&self) -> Option<Error>;
    /// The session as the store has it now (`crate::held::load_held`).
    fn load_session(&self) -> impl Future<Output = Result<Option<Session>, Error>>;
    /// `crate::client::Cognito::refreshed_session`.
    fn refreshed_session(
        &self,
        force: bool,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> impl Future<Output = Result<Option<Session>, Error>>;
    /// Signs out (`crate::client::Cognito::sign_out_flow`).
    fn sign_out(&self, global: bool, navigate: bool) -> impl Future<Output = SignedOut>;
    /// Goes to `url` (the hosted UI's `/logout`) where the client has a hosted UI.
    fn navigate(&self, url: Option<&str>) {
        let _ = url;
    }
    /// Whether getSession may answer with `session` (a request's cookie jar checks its tokens).
    fn trusts(&self, session: &Session) -> impl Future<Output = Result<bool, JsValue>> {
        let _ = session;
        Trusted
    }
}

/// The default [`SessionObject::trusts`]: ready at once with `Ok(true)`, however often polled (no
/// state, no panic path).
struct Trusted;

impl Future for Trusted {
    type Output = Result<bool, JsValue>;

    fn poll(
        self: core::pin::Pin<&mut Self>,
        _: &mut core::task::Context<'_>,
    ) -> Poll<Self::Output> {
        Poll::Ready(Ok(true))
    }
}

/// The refresh under way, or a new one: under the cross-tab lock `cognito-wasm.refresh.<clientId>`
/// (Web Locks, where they exist), re-read the store (another tab may have refreshed already) and
/// refresh only if still needed — or always, with `force`. A lock request that throws or gives no
/// Promise rejects with `StorageError`; one that rejects, with its rejection.
pub(super) fn shared_refresh<T: SessionObject>(
    this: &Rc<T>,
    force: bool,
    client_metadata: Option<VecMap<String, String>>,
) -> Promise {
    // A `Cell`, taken and put back: no borrow flag (and no borrow panic path).
    if let Some(running) = this.shared().refreshing.take() {
        this.shared().refreshing.set(Some(running.clone()));
        return running;
    }
    let inner = this.clone();
    let granted = js_lock(&["cognito-wasm.refresh.", this.client_id()].concat());
    let running = super::panic::guard(async move {
        if let Err(thrown) = JsFuture::from(granted).await {
            inner.shared().refreshing.set(None);
            return Err(if thrown.is_undefined() {
                to_js_error(&Error::Storage {
                    message: "navigator.locks.request failed".into(),
                })
            } else {
                thrown
            });
        }
        let before = inner.current_session();
        let result = inner
            .refreshed_session(force, client_metadata.as_ref())
            .await;
        inner.shared().refreshing.set(None);
        let after = inner.current_session();
        let (cause, error) = match &result {
            Ok(_) => (Cause::Refresh, None),
            Err(e) => (Cause::RefreshFailed, Some(e)),
        };
        inner
            .shared()
            .listeners
            .changed(before.as_ref(), after.as_ref(), cause, error);
        result
            .and_then(|session| session_to_js(session.as_ref()))
            .map_err(|e| to_js_error(&e))
    });
    js_keep(&running);
    this.shared().refreshing.set(Some(running.clone()));
    running
}

/// `refreshSession(params?)`.
pub(super) fn refresh_session<T: SessionObject>(this: &Rc<T>, params: &JsValue) -> Promise {
    match RefreshParams::read(params) {
        Ok(p) => shared_refresh(this, true, p.client_metadata),
        Err(e) => Promise::reject(&to_js_error(&e)),
    }
}

/// `getSession()`: the stored session, refreshed first when it expires within the margin.
pub(super) fn get_session<T: SessionObject>(this: &Rc<T>) -> Promise {
    let inner = this.clone();
    super::panic::guard(async move {
        let before = inner.current_session();
        let loaded = inner.load_session().await.map_err(|e| to_js_error(&e))?;
        // Another tab or process changed the stored session since this one was held (the
        // first read after a page load is a restore, not a change).
        if before.is_some() {
            inner
                .shared()
                .listeners
                .changed(before.as_ref(), loaded.as_ref(), Cause::Store, None);
        }
        let Some(session) = loaded else {
            return Ok(JsValue::NULL);
        };
        let margin = inner.refresh_margin_ms();
        let session = if session.is_valid_at(inner.platform().now_ms(), margin) {
            session
        } else {
            // Rejects with an Error already made by `to_js_error`.
            let refreshed = JsFuture::from(shared_refresh(&inner, false, None)).await?;
            match inner.current_session() {
                Some(session) => session,
                None => return Ok(refreshed),
            }
        };
        if let Some(e) = inner.take_storage_warning() {
            super::storage::warn(
                &[
                    "cognito-wasm: the session is held in memory only: ",
                    &e.message(),
                ]
                .concat(),
            );
        }
        if !inner.trusts(&session).await? {
            return Ok(JsValue::NULL);
        }
        session_to_js(Some(&session)).map_err(|e| to_js_error(&e))
    })
}

/// `signOut(params?)`; `before` runs first (the pending challenge is dropped there).
pub(super) fn sign_out<T: SessionObject>(
    this: &Rc<T>,
    params: &JsValue,
    before: impl FnOnce(&T) + 'static,
) -> Promise {
    let inner = this.clone();
    let p = SignOutParams::read(params);
    promise(async move {
        let p = p?;
        before(&inner);
        let out = inner.sign_out(p.global, p.navigate != Some(false)).await;
        inner.navigate(out.logout.as_deref());
        if out.loaded.is_some() {
            inner
                .shared()
                .listeners
                .changed(out.loaded.as_ref(), None, Cause::SignOut, None);
        }
        out.result?;
        Ok(JsValue::UNDEFINED)
    })
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
    super::panic::spawn(Box::pin(async move {
        while let Ok(keys) = JsFuture::from(js_next(&watch)).await {
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

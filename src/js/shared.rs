//! The session methods of a `CognitoAuth` (getSession, refreshSession, signOut, the listeners,
//! other tabs' changes), written once over [`SessionObject`]: the session module's object (over
//! the generic client, `auth.rs`) and the restore module's (`restore/`) implement it, and each
//! build has one of them.

use crate::prelude::*;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::Future;
use core::task::Poll;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::error::to_js_error;
use super::fetch::FetchPlatform;
use super::listeners::Listeners;
use super::method;
use super::promise::promise;
use super::session_view::session_to_js;
use super::types::{RefreshParams, SignOutParams};
use crate::client::SignedOut;
use crate::error::Error;
use crate::events::Cause;
use crate::map::VecMap;
use crate::session::Session;
use crate::transport::Platform;

type EventListener = Closure<dyn FnMut(JsValue)>;

/// What every `CognitoAuth` holds besides its client.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) listeners: Listeners,
    /// The refresh under way, shared by every concurrent `getSession`/`refreshSession`.
    refreshing: Cell<Option<Promise>>,
    /// The `storage` event listener (other tabs' changes), removed on drop.
    storage_listener: Cell<Option<EventListener>>,
    /// A re-read for other tabs' changes is scheduled (the keys of one write arrive as several
    /// `storage` events: one re-read after them all).
    reread_pending: Cell<bool>,
}

impl Drop for Shared {
    fn drop(&mut self) {
        if let Some(listener) = self.storage_listener.get_mut().take() {
            let global = js_sys::global();
            if let Some(remove) = method(&global, "removeEventListener") {
                let _ = remove.call2(&global, &"storage".into(), listener.as_ref());
            }
        }
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

/// `navigator.locks.request(name, work)` where the Web Locks API exists (browsers: one refresh
/// across tabs), else `work()` directly.
fn with_lock(name: &str, work: impl FnOnce() -> Promise + 'static) -> Promise {
    let locks = Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|navigator| Reflect::get(&navigator, &"locks".into()))
        .ok()
        .filter(JsValue::is_object);
    let request = locks.as_ref().and_then(|locks| method(locks, "request"));
    match (locks, request) {
        (Some(locks), Some(request)) => {
            let callback =
                Closure::once_into_js(move |_lock: JsValue| -> JsValue { work().into() });
            match request
                .call2(&locks, &JsValue::from_str(name), &callback)
                .map(|p| p.dyn_into::<Promise>())
            {
                Ok(Ok(running)) => running,
                _ => Promise::reject(&to_js_error(&Error::Storage {
                    message: "navigator.locks.request failed".into(),
                })),
            }
        }
        _ => work(),
    }
}

/// The refresh under way, or a new one: under a cross-tab lock, re-read the store (another tab
/// may have refreshed already) and refresh only if still needed — or always, with `force`.
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
    let lock_name = ["cognito-wasm.refresh.", this.client_id()].concat();
    let running = with_lock(&lock_name, move || {
        promise(async move {
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
            session_to_js(result?.as_ref())
        })
    });
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

/// The function that removes the listener `added` (an `onSessionChange` or `on` id) from `this`.
pub(super) fn unsubscriber<T: SessionObject>(
    this: &Rc<T>,
    added: Result<u32, JsValue>,
) -> Result<JsValue, JsValue> {
    let id = added?;
    let weak = Rc::downgrade(this);
    Ok(Closure::<dyn FnMut()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            inner.shared().listeners.remove(id);
        }
    })
    .into_js_value())
}

/// Follows changes other tabs make to the stored session (`storage` events of Web Storage).
pub(super) fn watch_other_tabs<T: SessionObject>(this: &Rc<T>) {
    let global = js_sys::global();
    let Some(add) = method(&global, "addEventListener") else {
        return;
    };
    if Reflect::get(&global, &"document".into()).map_or(true, |d| d.is_undefined()) {
        return; // storage events exist only in documents
    }
    let weak = Rc::downgrade(this);
    let prefix = this.storage_prefix().to_owned();
    let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
        let key = Reflect::get(&event, &"key".into())
            .ok()
            .and_then(|k| k.as_string());
        if key.is_some_and(|k| !k.starts_with(&prefix)) {
            return;
        }
        let Some(inner) = weak.upgrade() else { return };
        if inner.shared().reread_pending.replace(true) {
            return;
        }
        super::panic::spawn(Box::pin(async move {
            inner.platform().sleep(0).await;
            inner.shared().reread_pending.set(false);
            let before = inner.current_session();
            if let Ok(after) = inner.load_session().await {
                inner.shared().listeners.changed(
                    before.as_ref(),
                    after.as_ref(),
                    Cause::Store,
                    None,
                );
            }
        }));
    });
    if add
        .call2(&global, &"storage".into(), listener.as_ref())
        .is_ok()
    {
        this.shared().storage_listener.set(Some(listener));
    }
}

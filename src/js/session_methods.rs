//! The session module's getSession, refreshSession and signOut, written over the generic
//! client's flows ([`SessionClient`]); the listeners, other tabs and the shared refresh are
//! `shared.rs`'s. The restore module has its own (`restore/methods.rs`).

use crate::prelude::*;
use alloc::rc::Rc;
use core::future::Future;
use core::task::Poll;

use super::task::awaited;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::error::to_js_error;
use super::fetch::FetchPlatform;
use super::listeners::Listeners;
use super::promise::promise;
use super::session_view::session_to_js;
use super::shared::{shared_refresh_with, SessionObject};
use super::types::{RefreshParams, SignOutParams};
use crate::client::SignedOut;
use crate::error::Error;
use crate::events::Cause;
use crate::map::VecMap;
use crate::session::Session;
use crate::transport::Platform;

/// The session module's client, as its getSession, refreshSession and signOut use it.
pub(super) trait SessionClient: SessionObject {
    fn platform(&self) -> &FetchPlatform;
    fn refresh_margin_ms(&self) -> u64;
    fn take_storage_warning(&self) -> Option<Error>;
    /// `crate::client::Cognito::refreshed_session`.
    fn refreshed_session(
        &self,
        force: bool,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> impl Future<Output = Result<Option<Session>, Error>>;
    /// Signs out (`crate::client::Cognito::sign_out_flow`).
    fn sign_out(&self, global: bool, navigate: bool) -> impl Future<Output = SignedOut>;
    /// Goes to `url` (the hosted UI's `/logout`).
    fn navigate(&self, url: Option<&str>);
    /// Whether getSession may answer with `session` (a request's cookie jar checks its tokens).
    fn trusts(&self, session: &Session) -> impl Future<Output = Result<bool, JsValue>> {
        let _ = session;
        Trusted
    }
}

/// The default [`SessionClient::trusts`]: ready at once with `Ok(true)`, however often polled (no
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

/// [`shared_refresh_with`] of [`SessionClient::refreshed_session`].
fn shared_refresh<T: SessionClient>(
    this: &Rc<T>,
    force: bool,
    client_metadata: Option<VecMap<String, String>>,
) -> Promise {
    shared_refresh_with(this, move |inner, granted| async move {
        if let Err(thrown) = granted.await {
            return Err(inner.shared().lock_refused(thrown));
        }
        let before = inner.current_session();
        let result = inner
            .refreshed_session(force, client_metadata.as_ref())
            .await;
        inner.shared().refresh_done();
        let after = inner.current_session();
        refreshed(&inner.shared().listeners, before, after, result)
    })
}

/// `refreshSession(params?)`.
pub(super) fn refresh_session<T: SessionClient>(this: &Rc<T>, params: &JsValue) -> Promise {
    match RefreshParams::read(params) {
        Ok(p) => shared_refresh(this, true, p.client_metadata),
        Err(e) => Promise::reject(&to_js_error(&e)),
    }
}

/// `getSession()`: the stored session, refreshed first when it expires within the margin.
pub(super) fn get_session<T: SessionClient>(this: &Rc<T>) -> Promise {
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
            let refreshed = awaited(shared_refresh(&inner, false, None)).await?;
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
                .cat(),
            );
        }
        if !inner.trusts(&session).await? {
            return Ok(JsValue::NULL);
        }
        session_to_js(Some(&session)).map_err(|e| to_js_error(&e))
    })
}

/// `signOut(params?)`; `before` runs first (the pending challenge is dropped there).
pub(super) fn sign_out<T: SessionClient>(
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

/// What a refresh that ended with `result` answers, after telling `listeners` of the change from
/// `before` to `after` (`Cause::Refresh`, or `Cause::RefreshFailed` with the error).
fn refreshed(
    listeners: &Listeners,
    before: Option<Session>,
    after: Option<Session>,
    result: Result<Option<Session>, Error>,
) -> Result<JsValue, JsValue> {
    let (cause, error) = match &result {
        Ok(_) => (Cause::Refresh, None),
        Err(e) => (Cause::RefreshFailed, Some(e)),
    };
    listeners.changed(before.as_ref(), after.as_ref(), cause, error);
    result
        .and_then(|session| session_to_js(session.as_ref()))
        .map_err(|e| to_js_error(&e))
}

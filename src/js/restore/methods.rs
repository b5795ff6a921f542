//! The restore module's getSession, refreshSession and signOut, each one flat `async` body over
//! the core's rules (`crate::refresh`, whose `refresh_locked` is the refresh's whole future,
//! `crate::held`, `crate::client`'s sign-out) and the client's parts: no `SessionObject` flow
//! between them. The listeners, other tabs and the refresh's lock are `shared.rs`'s, as for the
//! session module.

use crate::prelude::*;
use alloc::rc::Rc;

use crate::js::task::awaited;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use core::cell::Cell;

use super::client::Lean;
use crate::client::{sign_out_session, signing_out, Parts};
use crate::events::Cause;
use crate::held::load_held;
use crate::js::error::to_js_error;
use crate::js::fetch::FetchPlatform;
use crate::js::panic::guard;
use crate::js::session_view::session_to_js;
use crate::js::shared::shared_refresh_with;
use crate::js::storage::{warn, JsStorage};
use crate::js::types::{RefreshParams, SignOutParams};
use crate::map::VecMap;
use crate::refresh::{refresh_locked, RefreshClient, RefreshExtras};
use crate::transport::Platform;

/// The restore module's refresh extras: no secret; the client's context ([`Lean::context`]).
impl RefreshExtras for Lean {
    fn context(&self, username: &str) -> Option<crate::context_data::UserContextData> {
        Lean::context(self, username)
    }
}

impl RefreshClient for Lean {
    type P = FetchPlatform;
    type S = JsStorage;

    fn parts(&self) -> Parts<'_, FetchPlatform, JsStorage> {
        Lean::parts(self)
    }

    fn fell_back(&self) -> &Cell<bool> {
        &self.fell_back
    }
}

/// The shared refresh (`shared::shared_refresh_with`): [`refresh_locked`] under the lock, then
/// the lock's refresh done, the listeners told, and the held session the answer.
pub(super) fn refreshing(
    this: &Rc<Lean>,
    force: bool,
    client_metadata: Option<VecMap<String, String>>,
) -> Promise {
    shared_refresh_with(this, move |inner, granted| {
        refresh_locked(
            inner,
            granted,
            force,
            client_metadata,
            |this: &Lean, thrown| Err(this.shared.lock_refused(thrown)),
            |this: &Lean, before, result| {
                this.shared.refresh_done();
                let after = this.held.current();
                this.shared.listeners.changed(
                    before.as_ref(),
                    after.as_ref(),
                    match result {
                        Ok(()) => Cause::Refresh,
                        Err(_) => Cause::RefreshFailed,
                    },
                    result.as_ref().err(),
                );
                result
                    .and_then(|()| session_to_js(after.as_ref()))
                    .map_err(|e| to_js_error(&e))
            },
        )
    })
}

/// `refreshSession(params?)`: [`refreshing`], forced.
pub(super) fn refresh_session(this: &Rc<Lean>, params: &JsValue) -> Promise {
    match RefreshParams::read(params) {
        Ok(p) => refreshing(this, true, p.client_metadata),
        Err(e) => Promise::reject(&to_js_error(&e)),
    }
}

/// `getSession()`: the stored session, refreshed first ([`refreshing`]) when it expires within
/// the margin.
pub(super) fn get_session(this: &Rc<Lean>) -> Promise {
    let inner = this.clone();
    guard(async move {
        let held = &inner.held;
        let before = held.current();
        let loaded = load_held(held, &inner.store, &inner.keys)
            .await
            .map_err(|e| to_js_error(&e))?;
        // Another tab or process changed the stored session since this one was held (the
        // first read after a page load is a restore, not a change).
        if before.is_some() {
            inner
                .shared
                .listeners
                .changed(before.as_ref(), loaded.as_ref(), Cause::Store, None);
        }
        let Some(session) = loaded else {
            return Ok(JsValue::NULL);
        };
        let margin = inner.options.refresh_margin_ms;
        let refreshed = match session.is_valid_at(inner.platform.now_ms(), margin) {
            true => None,
            // The held session (`refresh`); rejects with an Error made by `to_js_error`.
            false => Some(awaited(refreshing(&inner, false, None)).await?),
        };
        if let Some(e) = held.take_warning() {
            warn(
                &[
                    "cognito-wasm: the session is held in memory only: ",
                    &e.message(),
                ]
                .cat(),
            );
        }
        match refreshed {
            Some(answer) => Ok(answer),
            None => session_to_js(Some(&session)).map_err(|e| to_js_error(&e)),
        }
    })
}

/// `signOut(params?)`: the pending challenge dropped (the plain signin module), the session the
/// store holds (else memory's) forgotten and revoked (`crate::client::sign_out_session`), the
/// listeners told. No hosted UI here: nowhere to navigate.
pub(super) fn sign_out(this: &Rc<Lean>, params: &JsValue) -> Promise {
    let inner = this.clone();
    let p = SignOutParams::read(params);
    guard(async move {
        let p = p.map_err(|e| to_js_error(&e))?;
        #[cfg(feature = "signin")]
        crate::js::handover::HandOver::pending(&*inner).replace(None);
        let held = &inner.held;
        let loaded = load_held(held, &inner.store, &inner.keys)
            .await
            .ok()
            .flatten();
        let result = match signing_out(loaded.as_ref(), held) {
            Some(session) => sign_out_session(&inner.parts(), &session, p.global).await,
            None => Ok(()),
        };
        if loaded.is_some() {
            inner
                .shared
                .listeners
                .changed(loaded.as_ref(), None, Cause::SignOut, None);
        }
        result
            .map(|()| JsValue::UNDEFINED)
            .map_err(|e| to_js_error(&e))
    })
}

//! The restore module's getSession, refreshSession and signOut, each one flat `async` body over
//! the core's rules (`crate::refresh`, `crate::held`, `crate::client`'s sign-out) and the
//! client's parts: no `SessionObject` flow between them. The listeners, other tabs and the
//! refresh's lock are `shared.rs`'s, as for the session module.

use crate::prelude::*;
use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::client::Lean;
use crate::client::{send, sign_out_session, signing_out};
use crate::error::Error;
use crate::events::Cause;
use crate::held::{adopt_held, forget_held, load_held};
use crate::js::error::to_js_error;
use crate::js::panic::guard;
use crate::js::session_view::session_to_js;
use crate::js::shared::shared_refresh_with;
use crate::js::storage::warn;
use crate::js::types::{RefreshParams, SignOutParams};
use crate::map::VecMap;
use crate::refresh::{
    after_refused, held_refresh_token, refresh_body, refresh_due, refresh_operation,
    refreshed_answer, Due, RefreshExtras, RefreshFailure,
};
use crate::storage::load_device;
use crate::transport::Platform;
use crate::wire::Operation;

/// The restore module's refresh extras: no secret; the client's context ([`Lean::context`]).
struct Extras<'a>(&'a Lean);

impl RefreshExtras for Extras<'_> {
    fn context(&self, username: &str) -> Option<crate::context_data::UserContextData> {
        self.0.context(username)
    }
}

/// The shared refresh (`shared::shared_refresh_with`) of [`refresh`].
pub(super) fn refreshing(
    this: &Rc<Lean>,
    force: bool,
    client_metadata: Option<VecMap<String, String>>,
) -> Promise {
    shared_refresh_with(this, move |inner, granted| {
        refresh(inner, granted, force, client_metadata)
    })
}

/// Once the lock is `granted`: the store re-read, the decision ([`refresh_due`]), the refresh at
/// Cognito's endpoint in the steps of `crate::refresh::refresh_at` (each decision the core's),
/// its outcome ([`crate::held::Held::after_refresh`]) and the listeners told. Every way to an
/// answer leaves the answer held (`load_held`, `adopt_held`, the unstored session), so the
/// answer is the held session.
async fn refresh(
    inner: Rc<Lean>,
    granted: JsFuture,
    force: bool,
    client_metadata: Option<VecMap<String, String>>,
) -> Result<JsValue, JsValue> {
    let this = &*inner;
    if let Err(thrown) = granted.await {
        return Err(this.shared.lock_refused(thrown));
    }
    let (held, store, keys) = (&this.held, &this.store, &this.keys);
    let (config, options, platform) = (&this.config, &this.options, &this.platform);
    let margin = options.refresh_margin_ms;
    let before = held.current();
    let result: Result<(), Error> = 'done: {
        let loaded = match load_held(held, store, keys).await {
            Ok(loaded) => loaded,
            Err(e) => break 'done Err(e),
        };
        let session = match refresh_due(loaded, force, platform.now_ms(), margin) {
            Ok(Due::Now(_)) => break 'done Ok(()),
            Ok(Due::Refresh(session)) => session,
            Err(e) => break 'done Err(e),
        };
        let refresh_token = match held_refresh_token(&session) {
            Ok(token) => token,
            Err(e) => break 'done Err(e),
        };
        let mut op = refresh_operation(options.refresh_flow, this.fell_back.get());
        let device_key = load_device(store, keys, &session.username)
            .await
            .ok()
            .flatten()
            .map(|d| d.device_key);
        // One send site: a second pass only after `UnknownOperation`, with REFRESH_TOKEN_AUTH.
        let error = loop {
            let body = refresh_body(
                op,
                &config.client_id,
                None,
                &Extras(this),
                &session.username,
                refresh_token,
                device_key.as_deref(),
                client_metadata.as_ref(),
            );
            let answer = send(platform, &config.endpoint, options, op, body).await;
            let error = match refreshed_answer(op, answer, refresh_token, platform.now_ms()) {
                Ok(refreshed) => {
                    let adopted = adopt_held(held, store, keys, &refreshed).await;
                    break 'done held
                        .after_refresh(adopted, force, platform.now_ms(), margin)
                        .map(drop);
                }
                Err(e) => e,
            };
            if RefreshFailure::classify(op, &error) != RefreshFailure::UnknownOperation {
                break error;
            }
            this.fell_back.set(true);
            op = Operation::InitiateAuth;
        };
        if RefreshFailure::classify(op, &error) != RefreshFailure::EndsSession
            || !held.holds(&session)
        {
            break 'done Err(error);
        }
        let stored = load_held(held, store, keys).await.ok().flatten();
        match after_refused(stored.as_ref(), refresh_token, platform.now_ms(), margin) {
            Some(true) => Ok(()),
            Some(false) => Err(error),
            None => {
                // The refresh token is dead: this session cannot come back.
                let _ = forget_held(held, store, keys, &session.username).await;
                Err(error)
            }
        }
    };
    this.shared.refresh_done();
    let after = held.current();
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
            false => Some(JsFuture::from(refreshing(&inner, false, None)).await?),
        };
        if let Some(e) = held.take_warning() {
            warn(
                &[
                    "cognito-wasm: the session is held in memory only: ",
                    &e.message(),
                ]
                .concat(),
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

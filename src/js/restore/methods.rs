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
use crate::events::Cause;
use crate::held::{adopt_held, forget_held, load_held};
use crate::js::error::to_js_error;
use crate::js::panic::guard;
use crate::js::session_view::session_to_js;
use crate::js::shared::shared_refresh_with;
use crate::js::storage::warn;
use crate::js::types::{RefreshParams, SignOutParams};
use crate::map::VecMap;
use crate::refresh::{Answer, RefreshExtras, RefreshSteps, Step};
use crate::storage::load_device;
use crate::transport::Platform;

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
    let before = held.current();
    let parts = this.parts();
    let mut steps = RefreshSteps::new(
        parts,
        &this.fell_back,
        Extras(this),
        force,
        client_metadata.as_ref(),
    );
    // The I/O of each step; the order and every decision are the core's.
    let mut answer = Answer::Start;
    let result = loop {
        answer = match steps.next(answer, platform.now_ms()) {
            Step::LoadHeld => Answer::Held(load_held(held, store, keys).await),
            Step::LoadDevice(username) => Answer::Device(
                load_device(store, keys, username)
                    .await
                    .ok()
                    .flatten()
                    .map(|d| d.device_key),
            ),
            Step::Send(op, body) => {
                Answer::Sent(send(platform, &config.endpoint, options, op, body).await)
            }
            Step::Adopt(session) => Answer::Adopted(adopt_held(held, store, keys, &session).await),
            Step::Forget(username) => {
                let _ = forget_held(held, store, keys, username).await;
                Answer::Forgot
            }
            Step::Done(result) => break result,
        };
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

//! The restore module's `CognitoAuth` (the browser package's lowest module, built without the
//! `session` feature): restore, refresh and sign out a stored session for plain options, over
//! the core's flows with the client's parts held flat ([`client::Lean`]), no generic client.
//! With `signin` (the plain signin module) it also signs in (`../sign_in.rs`, over the same
//! parts) and adopts a hand-over (`../handover.rs`, which has `__handover` for both).
//! Its options are those of the session module's class but `clientSecret`, `oauth` and
//! `userContextData`, which it refuses ([`options`]); any `storage` is a `TokenStorage`, as there
//! (the loader gives an object with the package's `CookieStorage` to the session module, which has
//! that class); every member behaves as the session module's (getSession, refreshSession and
//! signOut are [`methods`]' flat bodies; the listeners, other tabs and the lock `shared.rs`'s).

mod client;
mod methods;
mod options;

use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::shared;
#[cfg(feature = "signin")]
use super::sign_in_object::SignInObject;
use client::Lean;

/// An Amazon Cognito user-pool client.
#[wasm_bindgen]
pub struct CognitoAuth {
    pub(in crate::js) inner: Rc<Lean>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Throws `InvalidParameterError` for a malformed pool id, client id, endpoint or storage.
    /// `defaultStorage` is the storage used when `options.storage` is `undefined` or `null` (the
    /// package's entries pass one: `localStorage` where usable, else memory); with neither, an
    /// `InvalidParameterError` "options.storage must be given".
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoAuthOptions")] options: JsValue,
        #[wasm_bindgen(js_name = defaultStorage, unchecked_optional_param_type = "TokenStorage")]
        default_storage: Option<JsValue>,
    ) -> Result<CognitoAuth, JsValue> {
        let inner = options::build(&options, default_storage.unwrap_or_default())?;
        shared::watch_other_tabs(&inner);
        #[cfg(feature = "signin")]
        inner.prepare_ephemeral();
        Ok(CognitoAuth { inner })
    }

    /// The storage object tokens are kept in (the one given, or the default).
    #[wasm_bindgen(getter, unchecked_return_type = "TokenStorage")]
    pub fn storage(&self) -> JsValue {
        self.inner.store.target().clone()
    }

    /// The session from storage, refreshed first if it expires within a minute (one refresh for
    /// all concurrent callers, across tabs where the Web Locks API exists); `null` when signed
    /// out. A refresh that fails on the network or with 5xx keeps the session and rejects.
    ///
    /// Its tokens are not verified (`claims` are decoded only): in a browser the storage is the
    /// user's own. A server must not authorise with it over client-supplied storage — use
    /// `CognitoWorkerAuth` or `CognitoJwtVerifier`. Over a `CookieJar` (a request's cookies),
    /// `getSession` does verify both tokens against the pool's JWKS and resolves `null` when
    /// either is refused (rejects with `JwksUnavailableError` when the keys cannot be fetched).
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<Session | null>")]
    pub fn get_session(&self) -> Promise {
        methods::get_session(&self.inner)
    }

    /// Declared in `types.rs` (an optional parameter).
    #[wasm_bindgen(js_name = refreshSession, skip_typescript)]
    pub fn refresh_session(&self, params: JsValue) -> Promise {
        methods::refresh_session(&self.inner, &params)
    }

    /// Declared in `types.rs` (TS cannot mark a wasm-bindgen parameter optional).
    #[wasm_bindgen(js_name = signOut, skip_typescript)]
    pub fn sign_out(&self, params: JsValue) -> Promise {
        methods::sign_out(&self.inner, &params)
    }

    /// Calls `listener(session | null)` after every sign-in, refresh and sign-out, including
    /// those of other tabs sharing Web Storage. Returns the function that unsubscribes it.
    #[wasm_bindgen(js_name = onSessionChange, unchecked_return_type = "() => void")]
    pub fn on_session_change(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(session: Session | null) => void")]
        listener: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.inner.shared.listeners.on_session_change(listener)
    }

    /// Declared in `types.rs` (per-event listener types).
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event: JsValue, listener: JsValue) -> Result<JsValue, JsValue> {
        self.inner.shared.listeners.on(event, listener)
    }
}

//! `CognitoAuth`: the JS class. Each method parses its options, runs the core flow and turns the
//! outcome into a plain object or a typed `Error`.

use alloc::rc::Rc;
#[cfg(feature = "signup")]
use core::cell::RefCell;
use core::future::Future;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::args::{js_option, optional_function};
use super::auth_options::call_options;
use super::error::to_js_error;
use super::fetch::FetchPlatform;
use super::handover::HandOver;
#[cfg(feature = "workers")]
use super::restored::is_cookie_jar;
use super::session_methods::SessionClient;
use super::shared::{SessionObject, Shared};
#[cfg(feature = "signin")]
use super::sign_in_object::SignInObject;
#[cfg(any(feature = "signin", feature = "account"))]
use super::slot::Slot;
use super::storage::JsStorage;
use super::types::AuthOptions;
#[cfg(any(feature = "signin", feature = "account"))]
use crate::challenge::PendingChallenge;
use crate::client::{Cognito, SignedOut};
use crate::config::ClientConfig;
use crate::error::Error;
use crate::events::Cause;
use crate::map::VecMap;
#[cfg(feature = "signup")]
use crate::secret::SecretString;
use crate::session::Session;
#[cfg(feature = "signin")]
use crate::srp::ClientEphemeral;

type Client = Cognito<FetchPlatform, JsStorage>;

pub(super) struct Inner {
    pub(super) client: Client,
    /// The challenge `signIn` or `respondToChallenge` stopped at (none in the session module).
    #[cfg(any(feature = "signin", feature = "account"))]
    pub(super) pending: Slot<PendingChallenge>,
    /// `signUp({ autoSignIn: true })`: the username and SignUp's `Session`, for `confirmSignUp`.
    #[cfg(feature = "signup")]
    pub(super) auto_sign_in: RefCell<Option<(String, SecretString)>>,
    /// The listeners, the refresh under way and the other tabs' watch (`shared.rs`).
    shared: Shared,
    /// `A = g^a` for the next sign-in, computed while idle; taken (never reused) by `signIn`.
    #[cfg(feature = "signin")]
    pub(super) next_ephemeral: Slot<ClientEphemeral>,
    /// For a request's cookie jar: the verifiers `getSession` checks restored tokens with.
    #[cfg(feature = "workers")]
    restored: Option<super::restored::RestoredCheck>,
}

/// An Amazon Cognito user-pool client.
#[wasm_bindgen]
pub struct CognitoAuth {
    pub(super) inner: Rc<Inner>,
}

#[cfg_attr(not(any(feature = "account", feature = "oauth")), allow(dead_code))]
impl Inner {
    /// Calls every `onSessionChange` listener with the session (or `null`).
    pub(super) fn notify(&self, session: Option<&Session>) {
        self.shared.listeners.notify(session);
    }

    /// Calls the `on` listeners of each event the change stands for (`Listeners::emit`).
    pub(super) fn emit(
        &self,
        before: Option<&Session>,
        after: Option<&Session>,
        cause: Cause,
        error: Option<&Error>,
    ) {
        self.shared.listeners.emit(before, after, cause, error);
    }
}

impl HandOver for Inner {
    #[cfg(any(feature = "signin", feature = "account"))]
    fn pending(&self) -> &Slot<PendingChallenge> {
        &self.pending
    }

    fn unpersisted_session(&self) -> Option<Session> {
        self.client.unpersisted_session()
    }

    fn hold_unpersisted(&self, session: Session) {
        self.client.hold_unpersisted(session);
    }
}

#[cfg(feature = "signin")]
impl SignInObject for Inner {
    type Client = Client;

    fn client(&self) -> &Client {
        &self.client
    }

    fn next_ephemeral(&self) -> &Slot<ClientEphemeral> {
        &self.next_ephemeral
    }
}

impl SessionObject for Inner {
    fn shared(&self) -> &Shared {
        &self.shared
    }

    fn client_id(&self) -> &str {
        &self.client.config().client_id
    }

    fn storage_prefix(&self) -> &str {
        self.client.storage_keys().prefix()
    }

    fn current_session(&self) -> Option<Session> {
        self.client.current_session()
    }

    fn load_session(&self) -> impl Future<Output = Result<Option<Session>, Error>> {
        self.client.load_session()
    }
}

impl SessionClient for Inner {
    fn platform(&self) -> &FetchPlatform {
        self.client.platform()
    }

    fn refresh_margin_ms(&self) -> u64 {
        self.client.options().refresh_margin_ms
    }

    fn take_storage_warning(&self) -> Option<Error> {
        self.client.take_storage_warning()
    }

    fn refreshed_session(
        &self,
        force: bool,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> impl Future<Output = Result<Option<Session>, Error>> {
        self.client.refreshed_session(force, client_metadata)
    }

    fn sign_out(&self, global: bool, navigate: bool) -> impl Future<Output = SignedOut> {
        self.client.sign_out_flow(global, navigate)
    }

    fn navigate(&self, url: Option<&str>) {
        super::navigation::navigate(url);
    }

    #[cfg(feature = "workers")]
    async fn trusts(&self, session: &Session) -> Result<bool, JsValue> {
        match &self.restored {
            Some(check) => check
                .trusts(session)
                .await
                .map_err(|e| super::verifier::verify_error_to_js(&e)),
            None => Ok(true),
        }
    }
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
        Self::build(options, default_storage).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue, default_storage: Option<JsValue>) -> Result<CognitoAuth, Error> {
        if !options.is_object() {
            return Err(Error::invalid_parameter("options must be an object"));
        }
        let fetch = optional_function(&options, "fetch", "options.fetch must be a function")?;
        let context_data = optional_function(
            &options,
            "userContextData",
            "options.userContextData must be a function",
        )?;
        let storage = match js_option(&options, "storage")? {
            s if s.is_undefined() || s.is_null() => default_storage
                .filter(|s| !(s.is_undefined() || s.is_null()))
                .ok_or_else(|| Error::invalid_parameter("options.storage must be given"))?,
            s => s,
        };
        #[cfg(feature = "workers")]
        let is_jar = is_cookie_jar(&storage);
        let storage = JsStorage::new(storage)?;
        let mut parsed = AuthOptions::read(&options)?;
        #[cfg(feature = "workers")]
        let restored = match is_jar {
            true => Some(super::restored::RestoredCheck::new(
                &parsed.user_pool_id,
                parsed.endpoint.as_deref(),
                &parsed.client_id,
                fetch.clone(),
            )?),
            false => None,
        };
        let config = ClientConfig::new(
            &parsed.user_pool_id,
            &parsed.client_id,
            parsed.client_secret.take().map(Into::into),
            parsed.endpoint.as_deref(),
        )?;
        let call_options = call_options(&parsed)?;
        let provider = super::context_data::provider(
            context_data,
            parsed.user_pool_id.clone(),
            parsed.client_id.clone(),
        );
        let oauth = match parsed.oauth {
            Some(oauth) => Some(oauth.into_config()?),
            None => None,
        };
        let mut client = Cognito::new(config, FetchPlatform::new(fetch), storage, call_options)
            .with_context_data(provider)
            .with_devices(crate::client::DeviceOptions::new(
                parsed.remember_devices,
                parsed.device_name,
            ));
        if let Some(oauth) = oauth {
            client = client.with_oauth(oauth);
        }
        let inner = Rc::new(Inner {
            client,
            #[cfg(any(feature = "signin", feature = "account"))]
            pending: Slot::default(),
            #[cfg(feature = "signup")]
            auto_sign_in: RefCell::new(None),
            shared: Shared::default(),
            #[cfg(feature = "signin")]
            next_ephemeral: Slot::default(),
            #[cfg(feature = "workers")]
            restored,
        });
        super::shared::watch_other_tabs(&inner);
        #[cfg(feature = "signin")]
        inner.prepare_ephemeral();
        Ok(CognitoAuth { inner })
    }

    /// The storage object tokens are kept in (the one given, or the default).
    #[wasm_bindgen(getter, unchecked_return_type = "TokenStorage")]
    pub fn storage(&self) -> JsValue {
        self.inner.client.store().target().clone()
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
        super::session_methods::get_session(&self.inner)
    }

    /// Declared in `types.rs` (an optional parameter).
    #[wasm_bindgen(js_name = refreshSession, skip_typescript)]
    pub fn refresh_session(&self, params: JsValue) -> Promise {
        super::session_methods::refresh_session(&self.inner, &params)
    }

    /// Declared in `types.rs` (TS cannot mark a wasm-bindgen parameter optional).
    #[wasm_bindgen(js_name = signOut, skip_typescript)]
    pub fn sign_out(&self, params: JsValue) -> Promise {
        super::session_methods::sign_out(&self.inner, &params, |_inner: &Inner| {
            #[cfg(any(feature = "signin", feature = "account"))]
            _inner.pending.replace(None);
        })
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

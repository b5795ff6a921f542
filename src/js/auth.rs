//! `CognitoAuth`: the JS class. Each method parses its options, runs the core flow and turns the
//! outcome into a plain object or a typed `Error`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::args::function_arg;
use super::error::to_js_error;
use super::fetch::FetchPlatform;
use super::method;
use super::promise::promise;
#[cfg(feature = "workers")]
use super::restored::is_cookie_jar;
use super::session_view::session_to_js;
use super::storage::{default_storage, JsStorage};
use super::types::{AuthOptions, RefreshParams, SignOutParams};
#[cfg(any(feature = "signin", feature = "account"))]
use crate::challenge::PendingChallenge;
use crate::client::RefreshFlow;
use crate::client::{CallOptions, Cognito, RetryPolicy};
use crate::config::ClientConfig;
use crate::error::Error;
use crate::events::{events, AuthEvent, Cause};
use crate::map::VecMap;
#[cfg(feature = "signup")]
use crate::secret::SecretString;
use crate::session::Session;
#[cfg(feature = "signin")]
use crate::srp::ClientEphemeral;
use crate::transport::Platform;

type Client = Cognito<FetchPlatform, JsStorage>;
type EventListener = Closure<dyn FnMut(JsValue)>;

/// An `onSessionChange` listener (`event: None`) or an `on(event, …)` one.
struct Listener {
    id: u32,
    event: Option<AuthEvent>,
    function: Function,
}

pub(super) struct Inner {
    pub(super) client: Client,
    /// The challenge `signIn` or `respondToChallenge` stopped at (none in the session module).
    #[cfg(any(feature = "signin", feature = "account"))]
    pub(super) pending: RefCell<Option<PendingChallenge>>,
    /// `signUp({ autoSignIn: true })`: the username and SignUp's `Session`, for `confirmSignUp`.
    #[cfg(feature = "signup")]
    pub(super) auto_sign_in: RefCell<Option<(String, SecretString)>>,
    /// The refresh under way, shared by every concurrent `getSession`/`refreshSession`.
    refreshing: RefCell<Option<Promise>>,
    /// `onSessionChange` and `on` subscriptions, in order.
    listeners: RefCell<Vec<Listener>>,
    next_listener: Cell<u32>,
    /// `A = g^a` for the next sign-in, computed while idle; taken (never reused) by `signIn`.
    #[cfg(feature = "signin")]
    pub(super) next_ephemeral: RefCell<Option<ClientEphemeral>>,
    /// The `storage` event listener (other tabs' changes), removed on drop.
    storage_listener: RefCell<Option<EventListener>>,
    /// A re-read for other tabs' changes is scheduled (the keys of one write arrive as several
    /// `storage` events: one re-read after them all).
    reread_pending: Cell<bool>,
    /// For a request's cookie jar: the verifiers `getSession` checks restored tokens with.
    #[cfg(feature = "workers")]
    restored: Option<super::restored::RestoredCheck>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(listener) = self.storage_listener.get_mut().take() {
            let global = js_sys::global();
            if let Some(remove) = method(&global, "removeEventListener") {
                let _ = remove.call2(&global, &"storage".into(), listener.as_ref());
            }
        }
    }
}

/// An Amazon Cognito user-pool client.
#[wasm_bindgen]
pub struct CognitoAuth {
    pub(super) inner: Rc<Inner>,
}

/// An option given as a JS object (not read by serde): `undefined` when absent.
fn js_option(options: &JsValue, name: &str) -> Result<JsValue, Error> {
    Reflect::get(options, &JsValue::from_str(name))
        .map_err(|_| Error::invalid_parameter("options must be an object"))
}

/// The option `name` as a function (`undefined`/`null`: none); anything else is
/// `InvalidParameterError` with `message`.
fn optional_function(
    options: &JsValue,
    name: &str,
    message: &'static str,
) -> Result<Option<Function>, Error> {
    match js_option(options, name)? {
        f if f.is_undefined() || f.is_null() => Ok(None),
        f => f
            .dyn_into::<Function>()
            .map(Some)
            .map_err(|_| Error::invalid_parameter(message)),
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

impl Inner {
    /// Calls each listener of `event` (`None`: `onSessionChange`'s) with `value`; a throwing
    /// listener does not stop the others, and one (un)subscribed meanwhile is called as before.
    fn call(&self, event: Option<AuthEvent>, value: &JsValue) {
        let mut functions: Vec<Function> = Vec::new();
        for listener in self.listeners.borrow().iter() {
            if listener.event == event {
                functions.push(listener.function.clone());
            }
        }
        for function in functions {
            let _ = function.call1(&JsValue::UNDEFINED, value);
        }
    }

    /// Calls every `onSessionChange` listener with the session (or `null`).
    pub(super) fn notify(&self, session: Option<&Session>) {
        if let Ok(value) = session_to_js(session) {
            self.call(None, &value);
        }
    }

    /// Calls the `on` listeners of each event the change from `before` to `after` stands for
    /// ([`events`]): `signedIn`/`tokenRefresh` with the session, `tokenRefreshFailure` with the
    /// error, the others with nothing.
    pub(super) fn emit(
        &self,
        before: Option<&Session>,
        after: Option<&Session>,
        cause: Cause,
        error: Option<&Error>,
    ) {
        for &event in events(before, after, cause) {
            let value = match event {
                AuthEvent::SignedIn | AuthEvent::TokenRefresh => {
                    session_to_js(after).unwrap_or(JsValue::UNDEFINED)
                }
                AuthEvent::TokenRefreshFailure => error.map_or(JsValue::UNDEFINED, to_js_error),
                AuthEvent::SignedOut | AuthEvent::SessionExpired => JsValue::UNDEFINED,
            };
            self.call(Some(event), &value);
        }
    }

    /// [`Inner::notify`] when the session changed, then [`Inner::emit`].
    fn changed(
        &self,
        before: Option<&Session>,
        after: Option<&Session>,
        cause: Cause,
        error: Option<&Error>,
    ) {
        if after != before {
            self.notify(after);
        }
        self.emit(before, after, cause, error);
    }

    /// The refresh under way, or a new one: under a cross-tab lock, re-read the store (another tab
    /// may have refreshed already) and refresh only if still needed — or always, with `force`.
    fn shared_refresh(
        self: &Rc<Self>,
        force: bool,
        client_metadata: Option<VecMap<String, String>>,
    ) -> Promise {
        if let Some(running) = self.refreshing.borrow().as_ref() {
            return running.clone();
        }
        let inner = self.clone();
        let lock_name = ["cognito-wasm.refresh.", &self.client.config().client_id].concat();
        let running = with_lock(&lock_name, move || {
            promise(async move {
                let before = inner.client.current_session();
                let result = inner
                    .client
                    .refreshed_session(force, client_metadata.as_ref())
                    .await;
                inner.refreshing.replace(None);
                let after = inner.client.current_session();
                let (cause, error) = match &result {
                    Ok(_) => (Cause::Refresh, None),
                    Err(e) => (Cause::RefreshFailed, Some(e)),
                };
                inner.changed(before.as_ref(), after.as_ref(), cause, error);
                session_to_js(result?.as_ref())
            })
        });
        self.refreshing.replace(Some(running.clone()));
        running
    }

    /// Follows changes other tabs make to the stored session (`storage` events of Web Storage).
    fn watch_other_tabs(self: &Rc<Self>) {
        let global = js_sys::global();
        let Some(add) = method(&global, "addEventListener") else {
            return;
        };
        if Reflect::get(&global, &"document".into()).map_or(true, |d| d.is_undefined()) {
            return; // storage events exist only in documents
        }
        let weak = Rc::downgrade(self);
        let prefix = self.client.storage_keys().prefix().to_owned();
        let listener = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let key = Reflect::get(&event, &"key".into())
                .ok()
                .and_then(|k| k.as_string());
            if key.is_some_and(|k| !k.starts_with(&prefix)) {
                return;
            }
            let Some(inner) = weak.upgrade() else { return };
            if inner.reread_pending.replace(true) {
                return;
            }
            super::panic::spawn(Box::pin(async move {
                inner.client.platform().sleep(0).await;
                inner.reread_pending.set(false);
                let before = inner.client.current_session();
                if let Ok(after) = inner.client.load_session().await {
                    inner.changed(before.as_ref(), after.as_ref(), Cause::Store, None);
                }
            }));
        });
        if add
            .call2(&global, &"storage".into(), listener.as_ref())
            .is_ok()
        {
            self.storage_listener.replace(Some(listener));
        }
    }
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Throws `InvalidParameterError` for a malformed pool id, client id, endpoint or storage.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoAuthOptions")] options: JsValue,
    ) -> Result<CognitoAuth, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CognitoAuth, Error> {
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
            s if s.is_undefined() || s.is_null() => default_storage(),
            s => s,
        };
        #[cfg(feature = "workers")]
        let is_jar = is_cookie_jar(&storage);
        let storage = JsStorage::new(storage)?;
        let parsed = AuthOptions::read(&options)?;
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
            parsed.client_secret.map(Into::into),
            parsed.endpoint.as_deref(),
        )?;
        let defaults = CallOptions::default();
        let refresh_flow = match parsed.refresh_flow.as_deref() {
            None => defaults.refresh_flow,
            Some(name) => RefreshFlow::parse(name).ok_or_else(|| {
                Error::invalid_parameter(
                    [
                        "refreshFlow must be \"GetTokensFromRefreshToken\" or \"REFRESH_TOKEN_AUTH\", not \"",
                        name,
                        "\"",
                    ]
                    .concat(),
                )
            })?,
        };
        let call_options = CallOptions {
            refresh_flow,
            timeout_ms: parsed.timeout_ms.unwrap_or(defaults.timeout_ms),
            retry: RetryPolicy {
                max_retries: parsed.max_retries.unwrap_or(defaults.retry.max_retries),
                ..RetryPolicy::default()
            },
            ..defaults
        };
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
            pending: RefCell::new(None),
            #[cfg(feature = "signup")]
            auto_sign_in: RefCell::new(None),
            refreshing: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            next_listener: Cell::new(0),
            #[cfg(feature = "signin")]
            next_ephemeral: RefCell::new(None),
            storage_listener: RefCell::new(None),
            reread_pending: Cell::new(false),
            #[cfg(feature = "workers")]
            restored,
        });
        inner.watch_other_tabs();
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
        let inner = self.inner.clone();
        super::panic::guard(async move {
            let before = inner.client.current_session();
            let loaded = inner
                .client
                .load_session()
                .await
                .map_err(|e| to_js_error(&e))?;
            // Another tab or process changed the stored session since this one was held (the
            // first read after a page load is a restore, not a change).
            if before.is_some() {
                inner.changed(before.as_ref(), loaded.as_ref(), Cause::Store, None);
            }
            let Some(session) = loaded else {
                return Ok(JsValue::NULL);
            };
            let margin = inner.client.options().refresh_margin_ms;
            let session = if session.is_valid_at(inner.client.platform().now_ms(), margin) {
                session
            } else {
                // Rejects with an Error already made by `to_js_error`.
                let refreshed = JsFuture::from(inner.shared_refresh(false, None)).await?;
                match inner.client.current_session() {
                    Some(session) => session,
                    None => return Ok(refreshed),
                }
            };
            if let Some(e) = inner.client.take_storage_warning() {
                super::storage::warn(
                    &[
                        "cognito-wasm: the session is held in memory only: ",
                        &e.message(),
                    ]
                    .concat(),
                );
            }
            #[cfg(feature = "workers")]
            if let Some(check) = &inner.restored {
                let trusted = check
                    .trusts(&session)
                    .await
                    .map_err(|e| super::verifier::verify_error_to_js(&e))?;
                if !trusted {
                    return Ok(JsValue::NULL);
                }
            }
            session_to_js(Some(&session)).map_err(|e| to_js_error(&e))
        })
    }

    /// Declared in `types.rs` (an optional parameter).
    #[wasm_bindgen(js_name = refreshSession, skip_typescript)]
    pub fn refresh_session(&self, params: JsValue) -> Promise {
        match RefreshParams::read(&params) {
            Ok(p) => self.inner.shared_refresh(true, p.client_metadata),
            Err(e) => Promise::reject(&to_js_error(&e)),
        }
    }

    /// Declared in `types.rs` (TS cannot mark a wasm-bindgen parameter optional).
    #[wasm_bindgen(js_name = signOut, skip_typescript)]
    pub fn sign_out(&self, params: JsValue) -> Promise {
        let inner = self.inner.clone();
        let p = SignOutParams::read(&params);
        promise(async move {
            let p = p?;
            #[cfg(any(feature = "signin", feature = "account"))]
            inner.pending.replace(None);
            let out = inner
                .client
                .sign_out_flow(p.global, p.navigate != Some(false))
                .await;
            super::navigation::navigate(out.logout.as_deref());
            if out.loaded.is_some() {
                inner.changed(out.loaded.as_ref(), None, Cause::SignOut, None);
            }
            out.result?;
            Ok(JsValue::UNDEFINED)
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
        self.subscribe(None, listener, "onSessionChange's listener")
    }

    /// Declared in `types.rs` (per-event listener types).
    #[wasm_bindgen(skip_typescript)]
    pub fn on(&self, event: JsValue, listener: JsValue) -> Result<JsValue, JsValue> {
        let name = event.as_string().unwrap_or_default();
        let Some(event) = AuthEvent::parse(&name) else {
            return Err(to_js_error(&Error::invalid_parameter(
                [
                    "unknown event \"",
                    &name,
                    "\": signedIn, signedOut, tokenRefresh, tokenRefreshFailure or sessionExpired",
                ]
                .concat(),
            )));
        };
        self.subscribe(Some(event), listener, "on's listener")
    }
}

impl CognitoAuth {
    /// Adds `listener` for `event` (`None`: session changes); returns the function that removes it.
    fn subscribe(
        &self,
        event: Option<AuthEvent>,
        listener: JsValue,
        what: &str,
    ) -> Result<JsValue, JsValue> {
        let function = function_arg(listener, what).map_err(|e| to_js_error(&e))?;
        let id = self.inner.next_listener.get();
        self.inner.next_listener.set(id.wrapping_add(1));
        self.inner.listeners.borrow_mut().push(Listener {
            id,
            event,
            function,
        });
        let weak = Rc::downgrade(&self.inner);
        Ok(Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                inner.listeners.borrow_mut().retain(|l| l.id != id);
            }
        })
        .into_js_value())
    }
}

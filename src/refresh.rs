//! Refreshing the held session with Cognito: `GetTokensFromRefreshToken` (which rotates the
//! refresh token when the app client has rotation on) or `REFRESH_TOKEN_AUTH`, and what each
//! failure does to the session.

use crate::prelude::*;
use core::cell::Cell;
use core::future::Future;

use crate::client::{send, Cognito, Parts, RefreshFlow};
use crate::context_data::UserContextData;
use crate::error::Error;
use crate::held::{adopt_held, forget_held, load_held};
use crate::map::VecMap;
use crate::oauth::{refresh_token_form, TokenResponse};
use crate::secret::SecretString;
use crate::session::Session;
use crate::storage::{load_device, TokenStore};
use crate::transport::Platform;
use crate::wire::{
    decode, GetTokensFromRefreshTokenRequest, InitiateAuthRequest, Operation, RefreshAnswer,
};

/// The ID, access and (when rotated) refresh tokens of an answer.
pub type Tokens = (SecretString, SecretString, Option<SecretString>);

fn hosted_tokens(tokens: TokenResponse) -> Result<Tokens, Error> {
    let id_token = tokens
        .id_token
        .ok_or_else(|| Error::invalid_response("/oauth2/token answered without id_token"))?;
    Ok((id_token, tokens.access_token, tokens.refresh_token))
}

/// What a failed refresh call means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshFailure {
    /// Cognito refused the refresh token (`NotAuthorizedException`, or
    /// `RefreshTokenReuseException`: a rotated-out token used after its grace period). The
    /// session cannot come back.
    EndsSession,
    /// The endpoint does not know `GetTokensFromRefreshToken`: a 4xx answer whose exception is
    /// `UnknownOperationException` (what AWS JSON endpoints answer for an unknown
    /// `X-Amz-Target`). Nothing else counts: a 404, a 501 or any other error is reported as is.
    UnknownOperation,
    /// Anything else (network, timeout, 5xx, throttling, a malformed answer): the session is
    /// kept and the error reported.
    KeepsSession,
}

impl RefreshFailure {
    /// The meaning of `error`, the answer to a refresh sent with `op`.
    pub fn classify(op: Operation, error: &Error) -> RefreshFailure {
        let code = error.code();
        if matches!(error, Error::Service(_))
            && (code == "NotAuthorizedException" || code == "RefreshTokenReuseException")
        {
            return RefreshFailure::EndsSession;
        }
        let client_error = error.status().is_some_and(|s| (400..500).contains(&s));
        if op == Operation::GetTokensFromRefreshToken
            && matches!(error, Error::Service(_))
            && code == "UnknownOperationException"
            && client_error
        {
            return RefreshFailure::UnknownOperation;
        }
        RefreshFailure::KeepsSession
    }
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// The session, refreshed first when it expires within the refresh margin; `None` when
    /// signed out.
    pub async fn get_session(&self) -> Result<Option<Session>, Error> {
        self.refreshed_session(false, None).await
    }

    /// The stored session ([`Cognito::load_session`]), refreshed first when `force` or when it
    /// expires within the refresh margin; `None` when signed out (with `force`: an
    /// `InvalidParameterError`). Without `force`, a refresh whose tokens could not be stored
    /// answers with the refreshed session held in memory (the failure kept for
    /// [`Cognito::take_storage_warning`]); with `force` it reports the storage error. One flow
    /// for `getSession` and `refreshSession`: one copy of the refresh's future in a build.
    pub async fn refreshed_session(
        &self,
        force: bool,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<Option<Session>, Error> {
        let margin = self.options().refresh_margin_ms;
        let loaded = self.load_session().await?;
        let session = match refresh_due(loaded, force, self.platform().now_ms(), margin)? {
            Due::Now(answer) => return Ok(answer),
            Due::Refresh(session) => session,
        };
        let refreshed = self.refresh_held(&session, client_metadata).await;
        let now = self.platform().now_ms();
        match self
            .parts()
            .held
            .after_refresh(refreshed, force, now, margin)?
        {
            Some(session) => Ok(Some(session)),
            None => Ok(self.current_session()),
        }
    }

    /// Refreshes now with the stored refresh token (see `Cognito::refresh_held`).
    pub async fn refresh_session(&self) -> Result<Session, Error> {
        self.refresh_session_with(None).await
    }

    /// [`Cognito::refresh_session`] with `ClientMetadata` (sent on GetTokensFromRefreshToken and
    /// REFRESH_TOKEN_AUTH).
    pub async fn refresh_session_with(
        &self,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<Session, Error> {
        self.refreshed_session(true, client_metadata)
            .await?
            .ok_or_else(|| Error::invalid_parameter("no session to refresh: sign in first"))
    }

    /// Refreshes `session`: through the hosted UI's `/oauth2/token` ([`Cognito::refresh_hosted`])
    /// when it came from there (read first, before the flow), else at Cognito's endpoint
    /// ([`refresh_at`]).
    pub(crate) async fn refresh_held(
        &self,
        session: &Session,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<Session, Error> {
        if self.is_hosted_ui_session(&session.username).await? {
            return self.refresh_hosted(session).await;
        }
        let with = Refresher {
            parts: self.parts(),
            fell_back: self.refresh_fell_back_cell(),
        };
        refresh_at(
            with,
            ClientExtras { client: self },
            session,
            client_metadata,
        )
        .await
    }

    /// Refreshes `session`, which came from the hosted UI, through `/oauth2/token`
    /// (`grant_type=refresh_token`); the new tokens are stored as [`refresh_at`] stores them. An
    /// `invalid_grant` answer (the refresh token is dead) signs out.
    async fn refresh_hosted(&self, session: &Session) -> Result<Session, Error> {
        let refresh_token = held_refresh_token(session)?;
        let body = refresh_token_form(&self.config().client_id, refresh_token);
        let answer = self
            .token_endpoint(body)
            .await
            .and_then(hosted_tokens)
            .and_then(|tokens| {
                refreshed_session(tokens, refresh_token.clone(), self.platform().now_ms())
            });
        let parts = self.parts();
        let (held, store, keys) = (parts.held, parts.store, parts.keys);
        let error = match answer {
            Ok(refreshed) => {
                adopt_held(held, store, keys, &refreshed).await?;
                return Ok(refreshed);
            }
            Err(e) => e,
        };
        if error.code() == "invalid_grant" && held.holds(session) {
            let _ = forget_held(held, store, keys, &session.username).await;
        }
        Err(error)
    }
}

/// What a client adds to a refresh at Cognito's endpoint besides its [`Parts`]: `SECRET_HASH`
/// and `UserContextData` (REFRESH_TOKEN_AUTH's).
pub trait RefreshExtras {
    /// The client secret GetTokensFromRefreshToken sends (default: none).
    fn client_secret(&self) -> Option<&SecretString> {
        None
    }
    /// `SECRET_HASH` for `username` (default: no client secret).
    fn secret_hash(&self, username: &str) -> Option<String> {
        let _ = username;
        None
    }
    /// `UserContextData` for `username` (default: no context provider).
    fn context(&self, username: &str) -> Option<UserContextData> {
        let _ = username;
        None
    }
}

/// A client without a secret or context provider.
pub struct NoExtras;

impl RefreshExtras for NoExtras {}

/// The generic client's extras: its secret and context provider.
struct ClientExtras<'a, P, S> {
    client: &'a Cognito<P, S>,
}

impl<P: Platform, S: TokenStore> RefreshExtras for ClientExtras<'_, P, S> {
    fn secret_hash(&self, username: &str) -> Option<String> {
        self.client.secret_hash_for(username)
    }

    fn context(&self, username: &str) -> Option<UserContextData> {
        self.client.context_source().for_user(username)
    }
}

/// What a refresh works with: the client's [`Parts`], and its fallback flag.
pub struct Refresher<'a, P, S> {
    pub parts: Parts<'a, P, S>,
    /// Set for good once the endpoint answered that GetTokensFromRefreshToken is unknown.
    pub fell_back: &'a Cell<bool>,
}

/// The session's refresh token; none is `InvalidParameterError`.
#[inline]
pub fn held_refresh_token(session: &Session) -> Result<&SecretString, Error> {
    session
        .refresh_token
        .as_ref()
        .ok_or_else(|| Error::invalid_parameter("the session has no refresh token"))
}

/// What getSession / refreshSession do with the session the store answered.
#[derive(Debug, PartialEq)]
pub enum Due {
    /// Answer with this, no refresh.
    Now(Option<Session>),
    /// Refresh this session first.
    Refresh(Session),
}

/// The getSession decision: refresh `loaded` when `force`, or when it is not valid for
/// `margin_ms` more at `now_ms`; none is answered as none (with `force`: an
/// `InvalidParameterError`, nothing to refresh).
#[inline]
pub fn refresh_due(
    loaded: Option<Session>,
    force: bool,
    now_ms: u64,
    margin_ms: u64,
) -> Result<Due, Error> {
    match loaded {
        None if force => Err(Error::invalid_parameter(
            "no session to refresh: sign in first",
        )),
        None => Ok(Due::Now(None)),
        Some(session) if !force && session.is_valid_at(now_ms, margin_ms) => {
            Ok(Due::Now(Some(session)))
        }
        Some(session) => Ok(Due::Refresh(session)),
    }
}

/// The call that refreshes: GetTokensFromRefreshToken unless `flow` is REFRESH_TOKEN_AUTH or the
/// endpoint did not know it (`fell_back`), else InitiateAuth.
pub fn refresh_operation(flow: RefreshFlow, fell_back: bool) -> Operation {
    match flow {
        RefreshFlow::GetTokensFromRefreshToken if !fell_back => {
            Operation::GetTokensFromRefreshToken
        }
        _ => Operation::InitiateAuth,
    }
}

/// The session of refreshed `tokens` at `now_ms`: the rotated refresh token when the answer
/// carries one, else `refresh_token`.
#[inline]
pub fn refreshed_session(
    tokens: Tokens,
    refresh_token: SecretString,
    now_ms: u64,
) -> Result<Session, Error> {
    let (id_token, access_token, rotated) = tokens;
    Session::from_tokens(
        id_token.expose_secret(),
        access_token.expose_secret(),
        rotated.or(Some(refresh_token)),
        now_ms,
    )
}

/// Refreshes `session` at Cognito's endpoint with the configured [`RefreshFlow`]
/// ([`refresh_operation`]; after `UnknownOperation` once more with REFRESH_TOKEN_AUTH) and the
/// stored device's `DEVICE_KEY`. The new tokens, and the new refresh token when the answer
/// carries one (rotation), are stored in one write ([`crate::storage::save_session`]); without
/// one the old refresh token is kept. A refused refresh token ([`RefreshFailure::EndsSession`])
/// signs out — unless the store meanwhile holds another refresh token (another tab rotated it),
/// whose session is then taken instead (an error when it is not valid for the refresh margin).
/// [`refresh_locked`] takes the same steps as one whole future (the restore module's).
pub async fn refresh_at<P: Platform, S: TokenStore, E: RefreshExtras>(
    with: Refresher<'_, P, S>,
    extras: E,
    session: &Session,
    client_metadata: Option<&VecMap<String, String>>,
) -> Result<Session, Error> {
    let Parts {
        platform,
        store,
        keys,
        held,
        config,
        options,
    } = with.parts;
    let refresh_token = held_refresh_token(session)?;
    let mut op = refresh_operation(options.refresh_flow, with.fell_back.get());
    // `stored_device`'s reading, without its future around `load_device`'s.
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
            config.client_secret.as_ref(),
            &extras,
            &session.username,
            refresh_token,
            device_key.as_deref(),
            client_metadata,
        );
        let answer = send(platform, &config.endpoint, options, op, body).await;
        let error = match refreshed_answer(op, answer, refresh_token, platform.now_ms()) {
            Ok(refreshed) => {
                adopt_held(held, store, keys, &refreshed).await?;
                return Ok(refreshed);
            }
            Err(e) => e,
        };
        if RefreshFailure::classify(op, &error) != RefreshFailure::UnknownOperation {
            break error;
        }
        with.fell_back.set(true);
        op = Operation::InitiateAuth;
    };
    if RefreshFailure::classify(op, &error) != RefreshFailure::EndsSession || !held.holds(session) {
        return Err(error);
    }
    let stored = load_held(held, store, keys).await.ok().flatten();
    let margin = options.refresh_margin_ms;
    match after_refused(stored.as_ref(), refresh_token, platform.now_ms(), margin) {
        Some(true) => return stored.ok_or(error),
        Some(false) => return Err(error),
        None => {}
    }
    // The refresh token is dead: this session cannot come back.
    let _ = forget_held(held, store, keys, &session.username).await;
    Err(error)
}

/// A client [`refresh_locked`] works with: its [`Parts`], its fallback flag and its extras.
pub trait RefreshClient: RefreshExtras {
    type P: Platform;
    type S: TokenStore;
    fn parts(&self) -> Parts<'_, Self::P, Self::S>;
    /// Set for good once the endpoint answered that GetTokensFromRefreshToken is unknown.
    fn fell_back(&self) -> &Cell<bool>;
}

/// getSession / refreshSession at Cognito's endpoint (no hosted UI), in [`refresh_at`]'s steps,
/// once `granted` (a lock; its failure is `refused`'s answer): the stored session read
/// ([`load_held`]), the decision ([`refresh_due`]), the refresh and its outcome
/// ([`crate::held::Held::after_refresh`]), given to `finish` with the session held before. Every
/// way to `Ok` leaves the answer held. The client's whole future: a refresh nested in another
/// future weighs more (docs/performance.md, "refreshsteps").
pub async fn refresh_locked<C, L, G, X, Y, T>(
    client: C,
    granted: G,
    force: bool,
    client_metadata: Option<VecMap<String, String>>,
    refused: impl FnOnce(&L, Y) -> T,
    finish: impl FnOnce(&L, Option<Session>, Result<(), Error>) -> T,
) -> T
where
    C: core::ops::Deref<Target = L>,
    L: RefreshClient,
    G: Future<Output = Result<X, Y>>,
{
    let this = &*client;
    if let Err(thrown) = granted.await {
        return refused(this, thrown);
    }
    let Parts {
        platform,
        store,
        keys,
        held,
        config,
        options,
    } = this.parts();
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
        let mut op = refresh_operation(options.refresh_flow, this.fell_back().get());
        // `stored_device`'s reading, without its future around `load_device`'s.
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
                this.client_secret(),
                this,
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
            this.fell_back().set(true);
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
    finish(this, before, result)
}

/// After Cognito refused `refused` ([`RefreshFailure::EndsSession`]), what the session the store
/// then holds (`stored`) leaves: `None` when it holds no other refresh token (the session is
/// forgotten); else another tab rotated it, and `stored` is the answer (`Some(true)`) when valid
/// for `margin_ms` at `now_ms`, or the refusal is (`Some(false)`).
#[inline]
pub fn after_refused(
    stored: Option<&Session>,
    refused: &SecretString,
    now_ms: u64,
    margin_ms: u64,
) -> Option<bool> {
    match stored {
        Some(stored) if stored.refresh_token.as_ref() != Some(refused) => {
            Some(stored.is_valid_at(now_ms, margin_ms))
        }
        _ => None,
    }
}

/// The session of Cognito's `answer` to a refresh sent with `op`, at `now_ms`
/// ([`Session::from_result`]: the rotated refresh token when the answer carries one, else
/// `refresh_token`).
pub fn refreshed_answer(
    op: Operation,
    answer: Result<String, Error>,
    refresh_token: &SecretString,
    now_ms: u64,
) -> Result<Session, Error> {
    let result = decode::<RefreshAnswer>(op, &answer?)?
        .authentication_result
        .ok_or_else(|| Error::invalid_response("refresh answer has no AuthenticationResult"))?;
    Session::from_result(&result, Some(refresh_token.clone()), now_ms)
}

/// The body of `op`: GetTokensFromRefreshToken (with `ClientSecret` when the client has one), or
/// (any other `op`) InitiateAuth REFRESH_TOKEN_AUTH with the `extras`' `SECRET_HASH` and
/// `UserContextData` for `username`, and `DEVICE_KEY`, when given.
#[allow(clippy::too_many_arguments)]
pub fn refresh_body<E: RefreshExtras>(
    op: Operation,
    client_id: &str,
    client_secret: Option<&SecretString>,
    extras: &E,
    username: &str,
    refresh_token: &SecretString,
    device_key: Option<&str>,
    client_metadata: Option<&VecMap<String, String>>,
) -> String {
    if op == Operation::GetTokensFromRefreshToken {
        return GetTokensFromRefreshTokenRequest {
            refresh_token: refresh_token.expose_secret(),
            client_id,
            client_secret: client_secret.map(SecretString::expose_secret),
            device_key,
            client_metadata,
        }
        .to_json();
    }
    let secret_hash = extras.secret_hash(username);
    // In ascending order of name, as a `VecMap` writes them.
    let mut parameters = Vec::with_capacity(3);
    if let Some(key) = device_key {
        parameters.push(("DEVICE_KEY", key));
    }
    parameters.push(("REFRESH_TOKEN", refresh_token.expose_secret()));
    if let Some(hash) = &secret_hash {
        parameters.push(("SECRET_HASH", hash.as_str()));
    }
    InitiateAuthRequest {
        auth_flow: "REFRESH_TOKEN_AUTH",
        client_id,
        auth_parameters: &parameters,
        client_metadata,
        user_context_data: extras.context(username),
        session: None,
    }
    .to_json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::service;
    use crate::storage::save_session;

    #[test]
    fn which_failures_end_the_session_or_fall_back() {
        use RefreshFailure::*;
        let get = Operation::GetTokensFromRefreshToken;
        let auth = Operation::InitiateAuth;
        for (operation, name, status, expected) in [
            (get, "NotAuthorizedException", 400, EndsSession),
            (get, "RefreshTokenReuseException", 400, EndsSession),
            (auth, "NotAuthorizedException", 400, EndsSession),
            (get, "UnknownOperationException", 400, UnknownOperation),
            (get, "UnknownOperationException", 404, UnknownOperation),
        ] {
            assert_eq!(
                RefreshFailure::classify(operation, &service(name, status)),
                expected,
                "{name} {status}"
            );
        }
        for kept in [
            service("UnknownOperationException", 500),
            service("UnknownError", 404),
            service("UnknownError", 501),
            service("InvalidParameterException", 400),
            service("InternalErrorException", 500),
            service("TooManyRequestsException", 429),
            Error::Network {
                message: "offline".into(),
            },
            Error::Timeout { after_ms: 1 },
            Error::invalid_response("x"),
        ] {
            assert_eq!(
                RefreshFailure::classify(get, &kept),
                KeepsSession,
                "{kept:?}"
            );
        }
        assert_eq!(
            RefreshFailure::classify(auth, &service("UnknownOperationException", 400)),
            KeepsSession,
            "REFRESH_TOKEN_AUTH has nothing to fall back to"
        );
    }

    #[test]
    fn when_a_refresh_is_due() {
        use crate::testing::unsigned_jwt;
        let t = unsigned_jwt(r#"{"username":"ann","exp":100}"#);
        let ann = Session::restore(&t, &t, None, 0).unwrap();
        assert_eq!(refresh_due(None, false, 0, 0).unwrap(), Due::Now(None));
        assert_eq!(
            refresh_due(None, true, 0, 0).unwrap_err().code(),
            "InvalidParameterError"
        );
        let due = |force, now| refresh_due(Some(ann.clone()), force, now, 60_000).unwrap();
        assert_eq!(due(false, 39_999), Due::Now(Some(ann.clone())));
        assert_eq!(
            due(false, 40_000),
            Due::Refresh(ann.clone()),
            "within the margin"
        );
        assert_eq!(due(true, 0), Due::Refresh(ann.clone()), "forced");
    }

    #[test]
    fn the_operation_and_its_body() {
        use crate::json::parse;
        assert_eq!(
            refresh_operation(RefreshFlow::GetTokensFromRefreshToken, false),
            Operation::GetTokensFromRefreshToken
        );
        assert_eq!(
            refresh_operation(RefreshFlow::GetTokensFromRefreshToken, true),
            Operation::InitiateAuth,
            "after UnknownOperationException, for good"
        );
        assert_eq!(
            refresh_operation(RefreshFlow::RefreshTokenAuth, false),
            Operation::InitiateAuth
        );
        let token = SecretString::from("rt");
        let metadata = VecMap::from([("k".to_owned(), "v".to_owned())]);
        let get = refresh_body(
            Operation::GetTokensFromRefreshToken,
            "c",
            None,
            &NoExtras,
            "ann",
            &token,
            Some("dk"),
            Some(&metadata),
        );
        assert_eq!(
            get,
            r#"{"RefreshToken":"rt","ClientId":"c","DeviceKey":"dk","ClientMetadata":{"k":"v"}}"#
        );
        struct Extras;
        impl RefreshExtras for Extras {
            fn secret_hash(&self, username: &str) -> Option<String> {
                Some(["hash-of-", username].cat())
            }
            fn context(&self, _: &str) -> Option<UserContextData> {
                Some(UserContextData {
                    ip_address: None,
                    encoded_data: Some("e".into()),
                })
            }
        }
        let auth = refresh_body(
            Operation::InitiateAuth,
            "c",
            None,
            &Extras,
            "ann",
            &token,
            Some("dk"),
            None,
        );
        let v = parse(&auth).unwrap();
        let params = v.as_object().unwrap().get("AuthParameters").unwrap();
        let param = |k| params.as_object().unwrap().get(k).and_then(|v| v.as_str());
        assert_eq!(
            (
                param("REFRESH_TOKEN"),
                param("SECRET_HASH"),
                param("DEVICE_KEY")
            ),
            (Some("rt"), Some("hash-of-ann"), Some("dk"))
        );
        assert!(
            auth.contains(
                r#""AuthParameters":{"DEVICE_KEY":"dk","REFRESH_TOKEN":"rt","SECRET_HASH":"hash-of-ann"}"#
            ),
            "in ascending order: {auth}"
        );
        assert!(auth.contains(r#""AuthFlow":"REFRESH_TOKEN_AUTH""#));
        assert!(auth.contains(r#""UserContextData":{"EncodedData":"e"}"#));
        let plain = refresh_body(
            Operation::InitiateAuth,
            "c",
            None,
            &NoExtras,
            "ann",
            &token,
            None,
            None,
        );
        assert_eq!(
            plain,
            r#"{"AuthFlow":"REFRESH_TOKEN_AUTH","ClientId":"c","AuthParameters":{"REFRESH_TOKEN":"rt"}}"#
        );
    }

    #[test]
    fn a_refreshed_session_keeps_the_old_refresh_token_unless_rotated() {
        use crate::testing::unsigned_jwt;
        let jwt = unsigned_jwt(r#"{"username":"ann","iat":1000,"exp":4600}"#);
        let tokens = |rotated: Option<&str>| {
            (
                SecretString::from(jwt.as_str()),
                SecretString::from(jwt.as_str()),
                rotated.map(SecretString::from),
            )
        };
        let kept = refreshed_session(tokens(None), "old".into(), 1_000_500).unwrap();
        assert_eq!(
            kept.refresh_token.as_ref().map(|t| t.expose_secret()),
            Some("old")
        );
        assert_eq!(kept.clock_drift_ms, 500);
        let rotated = refreshed_session(tokens(Some("new")), "old".into(), 1_000_000).unwrap();
        assert_eq!(
            rotated.refresh_token.as_ref().map(|t| t.expose_secret()),
            Some("new")
        );
    }

    /// The flow over a scripted endpoint, as the restore module runs it (no hosted UI).
    mod at_cognito {
        use super::*;
        use crate::client::CallOptions;
        use crate::config::ClientConfig;
        use crate::held::Held;
        use crate::storage::{load_session, save_device, DeviceSecrets, MemoryStore, StorageKeys};
        use crate::testing::{block_on, tokens_answer, unsigned_jwt, Scripted};

        struct Client {
            platform: Scripted,
            store: MemoryStore,
            keys: StorageKeys,
            held: Held,
            config: ClientConfig,
            options: CallOptions,
            fell_back: Cell<bool>,
        }

        fn client() -> Client {
            let config = ClientConfig::new("us-east-1_AbC123", "c1", None, None).unwrap();
            Client {
                platform: Scripted::default(),
                store: MemoryStore::default(),
                keys: StorageKeys::new("c1"),
                held: Held::default(),
                config,
                options: CallOptions::default(),
                fell_back: Cell::new(false),
            }
        }

        fn expired(user: &str, refresh: &str) -> Session {
            let t = unsigned_jwt(&format!(r#"{{"username":"{user}","iat":1,"exp":2}}"#));
            Session::restore(&t, &t, Some(refresh.into()), 0).unwrap()
        }

        fn refresh(c: &Client, session: &Session) -> Result<Session, Error> {
            let platform = &c.platform;
            let with = Refresher {
                parts: Parts {
                    platform: &platform,
                    store: &c.store,
                    keys: &c.keys,
                    held: &c.held,
                    config: &c.config,
                    options: &c.options,
                },
                fell_back: &c.fell_back,
            };
            block_on(refresh_at(with, NoExtras, session, None))
        }

        #[test]
        fn falls_back_once_then_stores_with_the_device_key() {
            let c = client();
            let session = expired("ann", "r0");
            block_on(crate::held::adopt_held(
                &c.held, &c.store, &c.keys, &session,
            ))
            .unwrap();
            let device = DeviceSecrets {
                device_key: "dk".into(),
                device_group_key: "g".into(),
                password: "p".into(),
            };
            block_on(save_device(&c.store, &c.keys, "ann", &device)).unwrap();
            c.platform
                .answer(400, r#"{"__type":"UnknownOperationException"}"#)
                .answer(200, tokens_answer("ann"));
            let refreshed = refresh(&c, &session).unwrap();
            assert_eq!(
                c.platform.operations(),
                ["GetTokensFromRefreshToken", "InitiateAuth"]
            );
            assert!(c.fell_back.get());
            let sent = c.platform.sent();
            assert_eq!(sent[0].1["DeviceKey"], "dk");
            assert_eq!(sent[1].1["AuthParameters"]["DEVICE_KEY"], "dk");
            assert_eq!(
                refreshed.refresh_token.as_ref().map(|t| t.expose_secret()),
                Some("refresh-1"),
                "rotated"
            );
            let stored = block_on(load_session(&c.store, &c.keys)).unwrap();
            assert_eq!(stored.as_ref(), Some(&refreshed));
        }

        #[test]
        fn a_refused_token_ends_the_session_unless_another_tab_rotated_it() {
            let c = client();
            let session = expired("ann", "r0");
            block_on(crate::held::adopt_held(
                &c.held, &c.store, &c.keys, &session,
            ))
            .unwrap();
            c.platform
                .answer(400, r#"{"__type":"NotAuthorizedException","message":"no"}"#);
            let e = refresh(&c, &session).unwrap_err();
            assert_eq!(e.code(), "NotAuthorizedException");
            assert!(c.held.current().is_none());
            assert!(block_on(load_session(&c.store, &c.keys)).unwrap().is_none());

            // Another tab stored a rotated (and valid) session meanwhile: it is taken.
            let c = client();
            block_on(crate::held::adopt_held(
                &c.held, &c.store, &c.keys, &session,
            ))
            .unwrap();
            let fresh = {
                let now = Scripted::NOW_MS / 1000;
                let t = unsigned_jwt(&format!(
                    r#"{{"username":"ann","iat":{now},"exp":{}}}"#,
                    now + 3600
                ));
                Session::restore(&t, &t, Some("r1".into()), 0).unwrap()
            };
            block_on(save_session(&c.store, &c.keys, &fresh)).unwrap();
            c.platform
                .answer(400, r#"{"__type":"RefreshTokenReuseException"}"#);
            assert_eq!(refresh(&c, &session).unwrap(), fresh);

            // A network failure keeps the session.
            let c = client();
            block_on(crate::held::adopt_held(
                &c.held, &c.store, &c.keys, &session,
            ))
            .unwrap();
            c.platform
                .answer(400, r#"{"__type":"InvalidParameterException"}"#);
            assert!(refresh(&c, &session).is_err());
            assert_eq!(c.held.current(), Some(session));
        }
    }

    /// [`refresh_locked`] over a scripted endpoint, as the restore module runs it; another tab
    /// may change the store while a request is under way.
    mod locked {
        use super::*;
        use crate::client::CallOptions;
        use crate::config::ClientConfig;
        use crate::held::{adopt_held, Held};
        use crate::storage::{
            load_session, save_device, save_session, write_session, DeviceSecrets, MemoryStore,
            StorageKeys,
        };
        use crate::testing::{block_on, tokens_answer, unsigned_jwt, Scripted};
        use crate::transport::{HttpRequest, HttpResponse, TransportError};
        use core::cell::RefCell;
        use core::convert::Infallible;

        /// What another tab stores while the next request is under way.
        type Meanwhile<'a> = Box<dyn FnOnce(&MemoryStore, &StorageKeys) + 'a>;

        struct Endpoint<'a> {
            scripted: Scripted,
            store: &'a MemoryStore,
            keys: &'a StorageKeys,
            meanwhile: RefCell<Option<Meanwhile<'a>>>,
        }

        impl Platform for &Endpoint<'_> {
            async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
                if let Some(other_tab) = self.meanwhile.take() {
                    other_tab(self.store, self.keys);
                }
                (&self.scripted).send(request).await
            }

            async fn sleep(&self, ms: u32) {
                (&self.scripted).sleep(ms).await
            }

            fn now_ms(&self) -> u64 {
                Scripted::NOW_MS
            }
        }

        struct Client<'e, 'a> {
            endpoint: &'e Endpoint<'a>,
            held: Held,
            config: ClientConfig,
            options: CallOptions,
            fell_back: Cell<bool>,
        }

        impl RefreshExtras for Client<'_, '_> {}

        impl<'e, 'a> RefreshClient for Client<'e, 'a> {
            type P = &'e Endpoint<'a>;
            type S = MemoryStore;

            fn parts(&self) -> Parts<'_, &'e Endpoint<'a>, MemoryStore> {
                Parts {
                    platform: &self.endpoint,
                    store: self.endpoint.store,
                    keys: self.endpoint.keys,
                    held: &self.held,
                    config: &self.config,
                    options: &self.options,
                }
            }

            fn fell_back(&self) -> &Cell<bool> {
                &self.fell_back
            }
        }

        fn endpoint<'a>(store: &'a MemoryStore, keys: &'a StorageKeys) -> Endpoint<'a> {
            Endpoint {
                scripted: Scripted::default(),
                store,
                keys,
                meanwhile: RefCell::new(None),
            }
        }

        fn client<'e, 'a>(endpoint: &'e Endpoint<'a>) -> Client<'e, 'a> {
            Client {
                endpoint,
                held: Held::default(),
                config: ClientConfig::new("us-east-1_AbC123", "c1", None, None).unwrap(),
                options: CallOptions::default(),
                fell_back: Cell::new(false),
            }
        }

        /// `user`'s session, valid for an hour from [`Scripted::NOW_MS`] or long expired.
        fn session(user: &str, refresh: Option<&str>, valid: bool) -> Session {
            let now = Scripted::NOW_MS / 1000;
            let (iat, exp) = if valid { (now, now + 3600) } else { (1, 2) };
            let claims = format!(r#"{{"username":"{user}","iat":{iat},"exp":{exp}}}"#);
            let t = unsigned_jwt(&claims);
            Session::restore(&t, &t, refresh.map(SecretString::from), 0).unwrap()
        }

        fn hold(c: &Client, session: &Session) {
            let Parts {
                store, keys, held, ..
            } = c.parts();
            block_on(adopt_held(held, store, keys, session)).unwrap();
        }

        /// The session held before, and the answer (the held session) or the error.
        fn refresh(c: &Client, force: bool) -> (Option<Session>, Result<Option<Session>, Error>) {
            let granted = core::future::ready(Ok::<(), Infallible>(()));
            block_on(refresh_locked(
                c,
                granted,
                force,
                None,
                |_, no| match no {},
                |c: &Client, before, result| (before, result.map(|()| c.held.current())),
            ))
        }

        fn stored(c: &Client) -> Option<Session> {
            block_on(load_session(c.endpoint.store, c.endpoint.keys)).unwrap()
        }

        #[test]
        fn answers_without_a_request_unless_due_or_forced() {
            let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
            let endpoint = endpoint(&store, &keys);
            let c = client(&endpoint);
            assert_eq!(refresh(&c, false), (None, Ok(None)), "signed out");
            let e = refresh(&c, true).1.unwrap_err();
            assert_eq!(e.code(), "InvalidParameterError", "nothing to refresh");
            let valid = session("ann", Some("r0"), true);
            hold(&c, &valid);
            let answer = refresh(&c, false);
            assert_eq!(answer, (Some(valid.clone()), Ok(Some(valid.clone()))));
            assert!(endpoint.scripted.operations().is_empty());

            endpoint.scripted.answer(200, tokens_answer("ann"));
            let (before, refreshed) = refresh(&c, true);
            let refreshed = refreshed.unwrap().unwrap();
            assert_eq!(before, Some(valid), "forced");
            assert_eq!(
                endpoint.scripted.operations(),
                ["GetTokensFromRefreshToken"]
            );
            assert_eq!(endpoint.scripted.sent()[0].1["RefreshToken"], "r0");
            assert_eq!(
                refreshed.refresh_token.as_ref().map(|t| t.expose_secret()),
                Some("refresh-1"),
                "rotated"
            );
            assert_eq!(stored(&c), Some(refreshed));
        }

        #[test]
        fn an_expired_session_is_refreshed_and_one_without_a_refresh_token_is_refused() {
            let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
            let endpoint = endpoint(&store, &keys);
            let c = client(&endpoint);
            hold(&c, &session("ann", Some("r0"), false));
            endpoint.scripted.answer(200, tokens_answer("ann"));
            let refreshed = refresh(&c, false).1.unwrap().unwrap();
            assert!(refreshed.is_valid_at(Scripted::NOW_MS, 60_000));
            assert_eq!(c.held.current(), Some(refreshed));

            let without = session("ann", None, false);
            hold(&c, &without);
            let e = refresh(&c, false).1.unwrap_err();
            assert_eq!(e.code(), "InvalidParameterError");
            assert_eq!(endpoint.scripted.operations().len(), 1, "no second request");
            assert_eq!(c.held.current(), Some(without), "kept");
        }

        #[test]
        fn falls_back_once_for_good_then_stores_with_the_device_key() {
            let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
            let endpoint = endpoint(&store, &keys);
            let c = client(&endpoint);
            hold(&c, &session("ann", Some("r0"), false));
            let device = DeviceSecrets {
                device_key: "dk".into(),
                device_group_key: "g".into(),
                password: "p".into(),
            };
            block_on(save_device(&store, &keys, "ann", &device)).unwrap();
            endpoint
                .scripted
                .answer(400, r#"{"__type":"UnknownOperationException"}"#)
                .answer(200, tokens_answer("ann"))
                .answer(200, tokens_answer("ann"));
            let refreshed = refresh(&c, false).1.unwrap().unwrap();
            assert!(c.fell_back.get());
            let sent = endpoint.scripted.sent();
            assert_eq!(sent[0].1["DeviceKey"], "dk");
            assert_eq!(sent[1].1["AuthFlow"], "REFRESH_TOKEN_AUTH");
            assert_eq!(sent[1].1["AuthParameters"]["DEVICE_KEY"], "dk");
            assert_eq!(stored(&c), Some(refreshed));
            refresh(&c, true).1.unwrap();
            assert_eq!(
                endpoint.scripted.operations(),
                ["GetTokensFromRefreshToken", "InitiateAuth", "InitiateAuth"],
                "after the fall-back, REFRESH_TOKEN_AUTH only"
            );
        }

        #[test]
        fn a_refused_token_signs_out_unless_another_tab_rotated_it() {
            let refusal = r#"{"__type":"NotAuthorizedException","message":"no"}"#;
            let expired = session("ann", Some("r0"), false);
            let outcome = |meanwhile: Option<Meanwhile<'static>>| {
                let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
                let endpoint = endpoint(&store, &keys);
                let c = client(&endpoint);
                hold(&c, &expired);
                endpoint.meanwhile.replace(meanwhile);
                endpoint.scripted.answer(400, refusal);
                let answer = refresh(&c, false).1.map_err(|e| e.code().to_owned());
                (answer, c.held.current(), stored(&c))
            };
            assert_eq!(
                outcome(None),
                (Err("NotAuthorizedException".into()), None, None),
                "the store holds the refused token: forgotten"
            );
            let gone = Box::new(|s: &MemoryStore, k: &StorageKeys| {
                block_on(write_session(s, k, "ann", None)).unwrap()
            });
            assert_eq!(
                outcome(Some(gone)),
                (Err("NotAuthorizedException".into()), None, None),
                "the store holds none: forgotten"
            );
            let fresh = session("ann", Some("r1"), true);
            let rotated = |session: Session| -> Meanwhile<'static> {
                Box::new(move |s: &MemoryStore, k: &StorageKeys| {
                    block_on(save_session(s, k, &session)).unwrap()
                })
            };
            assert_eq!(
                outcome(Some(rotated(fresh.clone()))),
                (Ok(Some(fresh.clone())), Some(fresh.clone()), Some(fresh)),
                "another tab rotated it: its session is the answer"
            );
            let stale = session("ann", Some("r1"), false);
            assert_eq!(
                outcome(Some(rotated(stale.clone()))),
                (
                    Err("NotAuthorizedException".into()),
                    Some(stale.clone()),
                    Some(stale)
                ),
                "rotated but not valid: the refusal, the other tab's session kept"
            );
        }

        #[test]
        fn other_failures_keep_the_session() {
            for failure in [
                r#"{"__type":"InvalidParameterException"}"#,
                r#"{"__type":"UnknownOperationException"}"#,
            ] {
                let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
                let endpoint = endpoint(&store, &keys);
                let mut c = client(&endpoint);
                c.options.refresh_flow = RefreshFlow::RefreshTokenAuth;
                let expired = session("ann", Some("r0"), false);
                hold(&c, &expired);
                endpoint.scripted.answer(400, failure);
                assert!(refresh(&c, false).1.is_err(), "{failure}");
                assert_eq!(endpoint.scripted.operations(), ["InitiateAuth"]);
                assert_eq!(
                    (c.held.current(), stored(&c)),
                    (Some(expired.clone()), Some(expired))
                );
            }
            // The network fails (the script is empty): the session is kept.
            let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
            let endpoint = endpoint(&store, &keys);
            let c = client(&endpoint);
            let expired = session("ann", Some("r0"), false);
            hold(&c, &expired);
            let e = refresh(&c, false).1.unwrap_err();
            assert_eq!(e.code(), "NetworkError");
            assert_eq!(c.held.current(), Some(expired));
        }

        #[test]
        fn a_refused_lock_is_refused_s_answer() {
            let (store, keys) = (MemoryStore::default(), StorageKeys::new("c1"));
            let endpoint = endpoint(&store, &keys);
            let c = client(&endpoint);
            hold(&c, &session("ann", Some("r0"), false));
            let answer = block_on(refresh_locked(
                &c,
                core::future::ready(Err::<(), _>("no lock")),
                true,
                None,
                |_, thrown| Err(thrown),
                |_, _, _| Ok(()),
            ));
            assert_eq!(answer, Err("no lock"));
            assert!(endpoint.scripted.operations().is_empty());
        }
    }

    #[test]
    fn a_refused_token_leaves_the_session_another_tab_rotated_in() {
        use crate::testing::unsigned_jwt;
        let with = |refresh: &str| {
            let t = unsigned_jwt(r#"{"username":"ann","iat":1,"exp":100}"#);
            Session::restore(&t, &t, Some(refresh.into()), 0).unwrap()
        };
        let refused = SecretString::from("r0");
        assert_eq!(after_refused(None, &refused, 0, 0), None, "nothing stored");
        assert_eq!(
            after_refused(Some(&with("r0")), &refused, 0, 0),
            None,
            "the refused token itself"
        );
        assert_eq!(
            after_refused(Some(&with("r1")), &refused, 39_999, 60_000),
            Some(true),
            "rotated by another tab and valid"
        );
        assert_eq!(
            after_refused(Some(&with("r1")), &refused, 40_000, 60_000),
            Some(false),
            "rotated but within the margin"
        );
    }

    #[test]
    fn flow_names() {
        assert_eq!(
            RefreshFlow::parse("GetTokensFromRefreshToken"),
            Some(RefreshFlow::GetTokensFromRefreshToken)
        );
        assert_eq!(
            RefreshFlow::parse("REFRESH_TOKEN_AUTH"),
            Some(RefreshFlow::RefreshTokenAuth)
        );
        assert_eq!(RefreshFlow::parse("refresh_token_auth"), None);
        assert_eq!(
            RefreshFlow::default(),
            RefreshFlow::GetTokensFromRefreshToken
        );
    }
}

//! Refreshing the held session with Cognito: `GetTokensFromRefreshToken` (which rotates the
//! refresh token when the app client has rotation on) or `REFRESH_TOKEN_AUTH`, and what each
//! failure does to the session.

use std::cell::Cell;
use std::future::Future;

use crate::client::{call, Cognito, Parts, RefreshFlow};
use crate::context_data::{ContextSource, UserContextData};
use crate::error::Error;
use crate::held::{adopt_held, forget_held, load_held};
use crate::map::VecMap;
use crate::oauth::{refresh_token_form, TokenResponse};
use crate::secret::SecretString;
use crate::session::Session;
use crate::storage::{load_device, TokenStore};
use crate::transport::Platform;
use crate::wire::{
    GetTokensFromRefreshTokenRequest, InitiateAuthRequest, Operation, RefreshAnswer,
};

/// The ID, access and (when rotated) refresh tokens of an answer.
pub type Tokens = (SecretString, SecretString, Option<SecretString>);

pub fn cognito_tokens(answer: RefreshAnswer) -> Result<Tokens, Error> {
    let result = answer
        .authentication_result
        .ok_or_else(|| Error::invalid_response("refresh answer has no AuthenticationResult"))?;
    let id_token = result
        .id_token
        .ok_or_else(|| Error::invalid_response("AuthenticationResult has no IdToken"))?;
    Ok((
        id_token.into(),
        result.access_token.into(),
        result.refresh_token.map(SecretString::from),
    ))
}

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

    /// Refreshes `session` ([`refresh_at`]): through the hosted UI's `/oauth2/token`
    /// (`grant_type=refresh_token`) when it came from there.
    pub(crate) async fn refresh_held(
        &self,
        session: &Session,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<Session, Error> {
        let hosted = self.is_hosted_ui_session(&session.username).await?;
        let with = Refresher {
            parts: self.parts(),
            fell_back: self.refresh_fell_back_cell(),
            secret_hash: self.secret_hash_for(&session.username),
            context: self.context_source(),
        };
        let hosted_ui = HostedUi(self);
        refresh_at(
            &with,
            hosted.then_some(&hosted_ui),
            session,
            client_metadata,
        )
        .await
    }
}

/// The hosted UI's refresh: `/oauth2/token` with `grant_type=refresh_token`.
pub trait HostedRefresh {
    fn tokens(&self, refresh_token: &SecretString) -> impl Future<Output = Result<Tokens, Error>>;
}

/// A client without a hosted UI (the browser's restore module).
pub enum NoHostedUi {}

impl HostedRefresh for NoHostedUi {
    #[allow(clippy::manual_async_fn)]
    fn tokens(&self, _: &SecretString) -> impl Future<Output = Result<Tokens, Error>> {
        async move { match *self {} }
    }
}

/// The generic client's hosted UI.
struct HostedUi<'a, P, S>(&'a Cognito<P, S>);

impl<P: Platform, S: TokenStore> HostedRefresh for HostedUi<'_, P, S> {
    async fn tokens(&self, refresh_token: &SecretString) -> Result<Tokens, Error> {
        let body = refresh_token_form(&self.0.config().client_id, refresh_token);
        self.0.token_endpoint(body).await.and_then(hosted_tokens)
    }
}

/// What a refresh at Cognito's endpoint works with besides the client's [`Parts`].
pub struct Refresher<'a, P, S> {
    pub parts: Parts<'a, P, S>,
    /// Set for good once the endpoint answered that GetTokensFromRefreshToken is unknown.
    pub fell_back: &'a Cell<bool>,
    /// REFRESH_TOKEN_AUTH's `SECRET_HASH` for the session's user, when the client has a secret.
    pub secret_hash: Option<String>,
    /// REFRESH_TOKEN_AUTH's `UserContextData`.
    pub context: ContextSource<'a>,
}

/// The session's refresh token; none is `InvalidParameterError`.
fn held_refresh_token(session: &Session) -> Result<SecretString, Error> {
    session
        .refresh_token
        .clone()
        .ok_or_else(|| Error::invalid_parameter("the session has no refresh token"))
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

/// Refreshes `session`: with `hosted`, through the hosted UI, else at Cognito's endpoint with the
/// configured [`RefreshFlow`] ([`refresh_operation`]; after `UnknownOperation` once more with
/// REFRESH_TOKEN_AUTH) and the stored device's `DEVICE_KEY`. The new tokens, and the new refresh
/// token when the answer carries one (rotation), are stored in one write
/// ([`crate::storage::save_session`]); without one the old refresh token is kept. A refused
/// refresh token ([`RefreshFailure::EndsSession`], or `invalid_grant` from `/oauth2/token`) signs
/// out — unless (Cognito's endpoint only) the store meanwhile holds another refresh token
/// (another tab rotated it), whose session is then taken instead (an error when it is not valid
/// for the refresh margin).
pub async fn refresh_at<P: Platform, S: TokenStore, H: HostedRefresh>(
    with: &Refresher<'_, P, S>,
    hosted: Option<&H>,
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
    let device_key = match hosted {
        Some(_) => None,
        // A store that fails reads as no device.
        None => load_device(store, keys, &session.username)
            .await
            .ok()
            .flatten()
            .map(|d| d.device_key),
    };
    // One send site per endpoint: a second pass only after `UnknownOperation`, with
    // REFRESH_TOKEN_AUTH.
    let error = loop {
        let answer = match hosted {
            Some(hosted) => hosted.tokens(&refresh_token).await,
            None => {
                let context = match op == Operation::InitiateAuth {
                    true => with.context.for_user(&session.username),
                    false => None,
                };
                let body = refresh_body(
                    op,
                    &config.client_id,
                    config.client_secret.as_ref(),
                    with.secret_hash.as_deref(),
                    &refresh_token,
                    device_key.as_deref(),
                    client_metadata,
                    context,
                );
                call::<P, RefreshAnswer>(platform, &config.endpoint, options, op, body)
                    .await
                    .and_then(cognito_tokens)
            }
        };
        let error = match answer {
            Ok(tokens) => {
                let refreshed = refreshed_session(tokens, refresh_token, platform.now_ms())?;
                adopt_held(held, store, keys, &refreshed).await?;
                return Ok(refreshed);
            }
            Err(e) => e,
        };
        if hosted.is_some()
            || RefreshFailure::classify(op, &error) != RefreshFailure::UnknownOperation
        {
            break error;
        }
        with.fell_back.set(true);
        op = Operation::InitiateAuth;
    };
    let ends = match hosted {
        Some(_) => error.code() == "invalid_grant",
        None => RefreshFailure::classify(op, &error) == RefreshFailure::EndsSession,
    };
    if !ends || held.current().as_ref() != Some(session) {
        return Err(error);
    }
    if hosted.is_none() {
        if let Ok(Some(stored)) = load_held(held, store, keys).await {
            if stored.refresh_token.as_ref() != Some(&refresh_token) {
                let margin = options.refresh_margin_ms;
                return match stored.is_valid_at(platform.now_ms(), margin) {
                    true => Ok(stored),
                    false => Err(error),
                };
            }
        }
    }
    // The refresh token is dead: this session cannot come back.
    let _ = forget_held(held, store, keys, &session.username).await;
    Err(error)
}

/// The body of `op`: GetTokensFromRefreshToken (with `ClientSecret` when the client has one), or
/// (any other `op`) InitiateAuth REFRESH_TOKEN_AUTH with `SECRET_HASH`, `DEVICE_KEY` and
/// `UserContextData` when given.
#[allow(clippy::too_many_arguments)]
pub fn refresh_body(
    op: Operation,
    client_id: &str,
    client_secret: Option<&SecretString>,
    secret_hash: Option<&str>,
    refresh_token: &SecretString,
    device_key: Option<&str>,
    client_metadata: Option<&VecMap<String, String>>,
    user_context_data: Option<UserContextData>,
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
    let mut parameters = VecMap::from([("REFRESH_TOKEN", refresh_token.expose_secret())]);
    if let Some(hash) = secret_hash {
        parameters.insert("SECRET_HASH", hash);
    }
    if let Some(key) = device_key {
        parameters.insert("DEVICE_KEY", key);
    }
    InitiateAuthRequest {
        auth_flow: "REFRESH_TOKEN_AUTH",
        client_id,
        auth_parameters: parameters,
        client_metadata,
        user_context_data,
        session: None,
    }
    .to_json()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::service;

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

//! Refreshing the held session with Cognito: `GetTokensFromRefreshToken` (which rotates the
//! refresh token when the app client has rotation on) or `REFRESH_TOKEN_AUTH`, and what each
//! failure does to the session.

use crate::client::{Cognito, RefreshFlow};
use crate::error::Error;
use crate::map::VecMap;
use crate::oauth::{refresh_token_form, TokenResponse};
use crate::secret::SecretString;
use crate::session::Session;
use crate::storage::TokenStore;
use crate::transport::Platform;
use crate::wire::{
    GetTokensFromRefreshTokenRequest, InitiateAuthRequest, Operation, RefreshAnswer,
};

/// The ID, access and (when rotated) refresh tokens of an answer.
type Tokens = (SecretString, SecretString, Option<SecretString>);

fn cognito_tokens(answer: RefreshAnswer) -> Result<Tokens, Error> {
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

    /// Refreshes `session`: through the hosted UI's `/oauth2/token` (`grant_type=refresh_token`)
    /// when it came from there, else with the configured [`RefreshFlow`]. The new tokens, and the
    /// new refresh token when the answer carries one (rotation), are stored in one write
    /// ([`crate::storage::save_session`]); without one the old refresh token is kept. A refused
    /// refresh token ([`RefreshFailure::EndsSession`], or `invalid_grant` from `/oauth2/token`)
    /// signs out — unless (Cognito's endpoint only) the store meanwhile holds another refresh
    /// token (another tab rotated it), whose session is then taken instead.
    pub(crate) async fn refresh_held(
        &self,
        session: &Session,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<Session, Error> {
        let hosted = self.is_hosted_ui_session(&session.username).await?;
        let Some(refresh_token) = session.refresh_token.clone() else {
            return Err(Error::invalid_parameter("the session has no refresh token"));
        };
        let mut op = match self.options().refresh_flow {
            RefreshFlow::GetTokensFromRefreshToken if !self.refresh_fell_back() => {
                Operation::GetTokensFromRefreshToken
            }
            _ => Operation::InitiateAuth,
        };
        let device_key = match hosted {
            true => None,
            false => self
                .stored_device(&session.username)
                .await
                .map(|d| d.device_key),
        };
        // One send site per endpoint: a second pass only after `UnknownOperation`, with
        // REFRESH_TOKEN_AUTH.
        let error = loop {
            let answer = if hosted {
                let body = refresh_token_form(&self.config().client_id, &refresh_token);
                self.token_endpoint(body).await.and_then(hosted_tokens)
            } else {
                let body = self.refresh_body(
                    op,
                    session,
                    &refresh_token,
                    device_key.as_deref(),
                    client_metadata,
                );
                self.call::<RefreshAnswer>(op, body)
                    .await
                    .and_then(cognito_tokens)
            };
            let error = match answer {
                Ok((id_token, access_token, rotated)) => {
                    let refreshed = Session::from_tokens(
                        id_token.expose_secret(),
                        access_token.expose_secret(),
                        rotated.or(Some(refresh_token)),
                        self.platform().now_ms(),
                    )?;
                    self.adopt(&refreshed).await?;
                    return Ok(refreshed);
                }
                Err(e) => e,
            };
            if hosted || RefreshFailure::classify(op, &error) != RefreshFailure::UnknownOperation {
                break error;
            }
            self.set_refresh_fell_back();
            op = Operation::InitiateAuth;
        };
        let ends = match hosted {
            true => error.code() == "invalid_grant",
            false => RefreshFailure::classify(op, &error) == RefreshFailure::EndsSession,
        };
        if !ends || self.current_session().as_ref() != Some(session) {
            return Err(error);
        }
        if !hosted {
            if let Ok(Some(stored)) = self.load_session().await {
                if stored.refresh_token.as_ref() != Some(&refresh_token) {
                    let margin = self.options().refresh_margin_ms;
                    return match stored.is_valid_at(self.platform().now_ms(), margin) {
                        true => Ok(stored),
                        false => Err(error),
                    };
                }
            }
        }
        // The refresh token is dead: this session cannot come back.
        let _ = self.forget(&session.username).await;
        Err(error)
    }

    /// The body of `op`: GetTokensFromRefreshToken, or (any other `op`) InitiateAuth
    /// REFRESH_TOKEN_AUTH (with `SECRET_HASH` when the client has a secret).
    fn refresh_body(
        &self,
        op: Operation,
        session: &Session,
        refresh_token: &SecretString,
        device_key: Option<&str>,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> String {
        let config = self.config();
        if op == Operation::GetTokensFromRefreshToken {
            return GetTokensFromRefreshTokenRequest {
                refresh_token: refresh_token.expose_secret(),
                client_id: &config.client_id,
                client_secret: config
                    .client_secret
                    .as_ref()
                    .map(SecretString::expose_secret),
                device_key,
                client_metadata,
            }
            .to_json();
        }
        let secret_hash = self.secret_hash_for(&session.username);
        let mut parameters = VecMap::from([("REFRESH_TOKEN", refresh_token.expose_secret())]);
        if let Some(hash) = &secret_hash {
            parameters.insert("SECRET_HASH", hash);
        }
        if let Some(key) = device_key {
            parameters.insert("DEVICE_KEY", key);
        }
        InitiateAuthRequest {
            auth_flow: "REFRESH_TOKEN_AUTH",
            client_id: &config.client_id,
            auth_parameters: parameters,
            client_metadata,
            user_context_data: self.context_for(&session.username),
            session: None,
        }
        .to_json()
    }
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

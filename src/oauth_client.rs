//! The hosted-UI flows of [`Cognito`], over the pure pieces of [`crate::oauth`]:
//!
//! - [`Cognito::begin_authorization`]: a fresh state and PKCE verifier, stored under
//!   `P.oauth.pending` (so they survive the navigation), and the `/oauth2/authorize` URL.
//! - [`Cognito::complete_authorization`]: the redirect back → the pending request is taken (and
//!   removed: one use) → `state` checked → the code exchanged at `/oauth2/token` with the verifier
//!   → the session stored exactly as `sign_in` stores it, plus `P.<username>.oauthSession`.
//! - refresh of such a session with `grant_type=refresh_token` at `/oauth2/token`
//!   ([`Cognito::token_endpoint`], called by `refresh_held`).

use crate::client::Cognito;
use crate::error::Error;
use crate::oauth::{
    authorization_code_form, basic_authorization, parse_redirect, parse_token_response,
    OAuthConfig, PendingAuthorization, Redirect, TokenResponse, INVALID_STATE,
};
use crate::prelude::*;
use crate::secret::SecretString;
use crate::session::Session;
use crate::storage::TokenStore;
use crate::transport::{FormRequest, Platform, TransportError};

/// What a completed redirect gives back.
#[derive(Debug, Clone, PartialEq)]
pub struct RedirectSignIn {
    pub session: Session,
    /// The app's `state` given to `begin_authorization`.
    pub custom_state: Option<String>,
}

fn not_configured() -> Error {
    Error::invalid_parameter(
        "the hosted UI is not configured: pass oauth: { domain, redirectSignIn }",
    )
}

fn invalid_state(description: &str) -> Error {
    Error::OAuth {
        error: INVALID_STATE.into(),
        description: description.into(),
        status: None,
    }
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    fn oauth_config(&self) -> Result<&OAuthConfig, Error> {
        self.oauth().ok_or_else(not_configured)
    }

    /// Starts a hosted-UI sign-in: stores a new pending request (replacing any earlier one) and
    /// returns the `/oauth2/authorize` URL to navigate to.
    pub async fn begin_authorization(
        &self,
        provider: Option<&str>,
        scopes: &[String],
        custom_state: Option<String>,
    ) -> Result<String, Error> {
        let oauth = self.oauth_config()?;
        let pending = PendingAuthorization::random(&oauth.redirect_sign_in, custom_state)?;
        self.store()
            .set_item(&self.storage_keys().oauth_pending(), &pending.to_json()?)
            .await?;
        Ok(oauth.authorize_url(&self.config().client_id, &pending, provider, scopes))
    }

    /// Finishes a hosted-UI sign-in from the URL the hosted UI redirected to.
    pub async fn complete_authorization(&self, url: &str) -> Result<RedirectSignIn, Error> {
        self.oauth_config()?;
        let redirect = parse_redirect(url)?;
        let key = self.storage_keys().oauth_pending();
        let pending = self
            .store()
            .get_item(&key)
            .await?
            .and_then(|text| PendingAuthorization::from_json(&text));
        // One use: gone whatever the outcome.
        self.store().remove_item(&key).await?;
        let Some(pending) = pending else {
            return Err(invalid_state("no hosted-UI sign-in is pending"));
        };
        if !redirect
            .state()
            .is_some_and(|state| constant_time_eq(state.as_bytes(), pending.state.as_bytes()))
        {
            return Err(invalid_state(
                "the redirect's state is not the one of the pending sign-in",
            ));
        }
        let code = match redirect {
            Redirect::Error {
                error, description, ..
            } => {
                return Err(Error::OAuth {
                    error,
                    description: description.unwrap_or_default(),
                    status: None,
                })
            }
            Redirect::Code { code, .. } => code,
        };
        let body = authorization_code_form(&self.config().client_id, &code, &pending);
        let tokens = self.token_endpoint(body).await?;
        let id_token = tokens
            .id_token
            .ok_or_else(|| Error::invalid_response("/oauth2/token answered without id_token"))?;
        let session = Session::from_tokens(
            id_token.expose_secret(),
            tokens.access_token.expose_secret(),
            tokens.refresh_token,
            self.platform().now_ms(),
        )?;
        // Before the tokens: whoever sees the session sees its origin too.
        self.store()
            .set_item(
                &self.storage_keys().oauth_session(&session.username),
                "true",
            )
            .await?;
        self.adopt(&session).await?;
        Ok(RedirectSignIn {
            session,
            custom_state: pending.custom_state,
        })
    }

    /// Whether `username`'s stored session came from the hosted UI (and one is configured).
    pub async fn is_hosted_ui_session(&self, username: &str) -> Result<bool, Error> {
        if self.oauth().is_none() {
            return Ok(false);
        }
        let flag = self
            .store()
            .get_item(&self.storage_keys().oauth_session(username))
            .await?;
        Ok(flag.as_deref() == Some("true"))
    }

    /// `/logout?client_id&logout_uri` for the configured `redirectSignOut`, if any.
    pub fn logout_url(&self) -> Option<String> {
        self.oauth()?.logout_url(&self.config().client_id)
    }

    /// One POST to `/oauth2/token` (never retried: a code is consumed by the first attempt).
    pub(crate) async fn token_endpoint(&self, body: SecretString) -> Result<TokenResponse, Error> {
        let oauth = self.oauth_config()?;
        let config = self.config();
        let request = FormRequest {
            url: oauth.token_url(),
            body,
            authorization: config
                .client_secret
                .as_ref()
                .map(|secret| basic_authorization(&config.client_id, secret)),
            timeout_ms: self.options().timeout_ms,
        };
        let response = self
            .platform()
            .send_form(&request)
            .await
            .map_err(|e| match e {
                TransportError::Network(message) => Error::Network { message },
                TransportError::Timeout => Error::Timeout {
                    after_ms: request.timeout_ms,
                },
                TransportError::Unreadable(reason) => Error::invalid_response(reason),
            })?;
        parse_token_response(response.status, &response.body)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

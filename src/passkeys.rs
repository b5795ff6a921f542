//! The signed-in user's passkeys: StartWebAuthnRegistration (its options checked by
//! [`crate::webauthn::creation_options`]), CompleteWebAuthnRegistration, ListWebAuthnCredentials,
//! DeleteWebAuthnCredential. The browser's part (`navigator.credentials.create`) lies between the
//! first two, in the binding layer. Signed out: [`Error::InvalidParameter`], nothing sent.

use crate::client::Cognito;
use crate::error::Error;
use crate::json::Value;
use crate::prelude::*;
use crate::secret::SecretString;
use crate::storage::TokenStore;
use crate::transport::Platform;
use crate::webauthn::{creation_options, Options};
use crate::wire::{AccessTokenRequest, ListWebAuthnCredentialsResponse};
use crate::wire::{
    CompleteWebAuthnRegistrationRequest, DeleteWebAuthnCredentialRequest, Empty,
    ListWebAuthnCredentialsRequest, Operation, StartWebAuthnRegistrationResponse,
};

/// Cognito's largest `MaxResults` of ListWebAuthnCredentials.
pub const MAX_PASSKEYS_PER_PAGE: u32 = 20;

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    async fn passkey_access_token(&self) -> Result<SecretString, Error> {
        match self.get_session().await? {
            Some(session) => Ok(session.access_token),
            None => Err(Error::invalid_parameter("not signed in: sign in first")),
        }
    }

    /// StartWebAuthnRegistration: the creation options, checked and decoded.
    pub async fn start_passkey_registration(&self) -> Result<Options, Error> {
        let token = self.passkey_access_token().await?;
        let body = AccessTokenRequest {
            access_token: token.expose_secret(),
        };
        let answer: StartWebAuthnRegistrationResponse = self
            .call(Operation::StartWebAuthnRegistration, body.to_json())
            .await?;
        creation_options(&answer.credential_creation_options)
    }

    /// CompleteWebAuthnRegistration with RegistrationResponseJSON.
    pub async fn complete_passkey_registration(&self, credential: &Value) -> Result<(), Error> {
        let token = self.passkey_access_token().await?;
        let body = CompleteWebAuthnRegistrationRequest {
            access_token: token.expose_secret(),
            credential,
        };
        self.call::<Empty>(Operation::CompleteWebAuthnRegistration, body.to_json())
            .await
            .map(drop)
    }

    /// ListWebAuthnCredentials; `limit` 1 to [`MAX_PASSKEYS_PER_PAGE`] (else InvalidParameter).
    pub async fn list_passkeys(
        &self,
        limit: Option<u32>,
        next_token: Option<&str>,
    ) -> Result<ListWebAuthnCredentialsResponse, Error> {
        if limit.is_some_and(|l| l == 0 || l > MAX_PASSKEYS_PER_PAGE) {
            return Err(Error::invalid_parameter(format!(
                "limit must be 1 to {MAX_PASSKEYS_PER_PAGE}"
            )));
        }
        let token = self.passkey_access_token().await?;
        let body = ListWebAuthnCredentialsRequest {
            access_token: token.expose_secret(),
            max_results: limit,
            next_token: next_token.filter(|t| !t.is_empty()),
        };
        self.call(Operation::ListWebAuthnCredentials, body.to_json())
            .await
    }

    /// DeleteWebAuthnCredential.
    pub async fn delete_passkey(&self, credential_id: &str) -> Result<(), Error> {
        if credential_id.is_empty() {
            return Err(Error::invalid_parameter("credentialId is required"));
        }
        let token = self.passkey_access_token().await?;
        let body = DeleteWebAuthnCredentialRequest {
            access_token: token.expose_secret(),
            credential_id,
        };
        self.call::<Empty>(Operation::DeleteWebAuthnCredential, body.to_json())
            .await
            .map(drop)
    }
}

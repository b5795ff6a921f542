//! GetUserAuthFactors: how the signed-in user can sign in (`USER_AUTH`'s first factors) and
//! their MFA settings, through the access token of the current session.

use crate::client::Cognito;
use crate::error::Error;
use crate::prelude::*;
use crate::storage::TokenStore;
use crate::transport::Platform;
use crate::wire::{AccessTokenRequest, GetUserAuthFactorsResponse, Operation};

/// The answer of GetUserAuthFactors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthFactors {
    pub username: String,
    /// `ConfiguredUserAuthFactors`: `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`.
    pub configured: Vec<String>,
    /// `PreferredMfaSetting`.
    pub preferred_mfa: Option<String>,
    /// `UserMFASettingList`: `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`.
    pub mfa_settings: Vec<String>,
}

impl From<GetUserAuthFactorsResponse> for AuthFactors {
    fn from(r: GetUserAuthFactorsResponse) -> Self {
        AuthFactors {
            username: r.username,
            configured: r.configured_user_auth_factors,
            preferred_mfa: r.preferred_mfa_setting,
            mfa_settings: r.user_mfa_setting_list,
        }
    }
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// GetUserAuthFactors; signed out, it sends nothing and fails with `InvalidParameterError`.
    pub async fn get_auth_factors(&self) -> Result<AuthFactors, Error> {
        let token = self.access_token().await?;
        let body = AccessTokenRequest {
            access_token: token.expose_secret(),
        };
        let answer: GetUserAuthFactorsResponse = self
            .call(Operation::GetUserAuthFactors, body.to_json())
            .await?;
        Ok(answer.into())
    }
}

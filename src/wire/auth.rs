//! The sign-in bodies: InitiateAuth, RespondToAuthChallenge and their answer.

use super::{write_metadata, FromJson};
use crate::context_data::{write_user_context, UserContextData};
use crate::json::{fields, DecodeError, Fields, Value, Writer};
use crate::map::VecMap;
use crate::prelude::*;

/// Body of InitiateAuth.
pub struct InitiateAuthRequest<'a> {
    pub auth_flow: &'a str,
    pub client_id: &'a str,
    /// Written in this order (the callers' are ascending by name, as a [`VecMap`]'s).
    pub auth_parameters: &'a [(&'a str, &'a str)],
    pub client_metadata: Option<&'a VecMap<String, String>>,
    pub user_context_data: Option<UserContextData>,
    /// `USER_AUTH` after SignUp / ConfirmSignUp: the `Session` they returned.
    pub session: Option<&'a str>,
}

impl InitiateAuthRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AuthFlow", self.auth_flow);
        w.string("ClientId", self.client_id);
        w.string_map(
            "AuthParameters",
            &mut self.auth_parameters.iter().map(|&(k, v)| (k, v)),
        );
        write_metadata(&mut w, self.client_metadata);
        write_user_context(&mut w, self.user_context_data.as_ref());
        w.opt_string("Session", self.session);
        w.finish()
    }
}

/// Body of RespondToAuthChallenge.
pub struct RespondToAuthChallengeRequest<'a> {
    pub challenge_name: &'a str,
    pub client_id: &'a str,
    pub challenge_responses: VecMap<String, String>,
    pub session: Option<&'a str>,
    pub client_metadata: Option<&'a VecMap<String, String>>,
    pub user_context_data: Option<UserContextData>,
}

impl RespondToAuthChallengeRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("ChallengeName", self.challenge_name);
        w.string("ClientId", self.client_id);
        w.string_map(
            "ChallengeResponses",
            &mut self
                .challenge_responses
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        w.opt_string("Session", self.session);
        write_metadata(&mut w, self.client_metadata);
        write_user_context(&mut w, self.user_context_data.as_ref());
        w.finish()
    }
}

/// Body of GetTokensFromRefreshToken (its answer is an [`AuthResponse`] with tokens only).
pub struct GetTokensFromRefreshTokenRequest<'a> {
    pub refresh_token: &'a str,
    pub client_id: &'a str,
    pub client_secret: Option<&'a str>,
    pub device_key: Option<&'a str>,
    pub client_metadata: Option<&'a VecMap<String, String>>,
}

impl GetTokensFromRefreshTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("RefreshToken", self.refresh_token);
        w.string("ClientId", self.client_id);
        w.opt_string("ClientSecret", self.client_secret);
        w.opt_string("DeviceKey", self.device_key);
        write_metadata(&mut w, self.client_metadata);
        w.finish()
    }
}

/// Answer of InitiateAuth and RespondToAuthChallenge: tokens, or a further challenge.
#[derive(Debug, Clone)]
pub struct AuthResponse {
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    pub challenge_parameters: VecMap<String, String>,
    /// Boxed: the answer travels inside the sign-in's `Input`, which stays small.
    pub authentication_result: Option<Box<AuthenticationResult>>,
    /// SELECT_CHALLENGE: the first factors the user may choose.
    pub available_challenges: Vec<String>,
}

impl FromJson for AuthResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct AuthResponse")?;
        Ok(AuthResponse {
            challenge_name: f.opt_string("ChallengeName")?,
            session: f.opt_string("Session")?,
            challenge_parameters: f.string_map("ChallengeParameters")?,
            authentication_result: AuthenticationResult::read(&f)?,
            // Only SELECT_CHALLENGE (USER_AUTH) has it: a signin build without `user-auth` skips it.
            #[cfg(any(feature = "user-auth", not(feature = "signin")))]
            available_challenges: f
                .opt_string_array("AvailableChallenges")?
                .unwrap_or_default(),
            #[cfg(not(any(feature = "user-auth", not(feature = "signin"))))]
            available_challenges: Vec::new(),
        })
    }
}

/// Answer of a refresh (GetTokensFromRefreshToken, InitiateAuth REFRESH_TOKEN_AUTH): its tokens
/// only, since neither answers with a challenge.
pub struct RefreshAnswer {
    pub authentication_result: Option<Box<AuthenticationResult>>,
}

impl FromJson for RefreshAnswer {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct AuthResponse")?;
        Ok(RefreshAnswer {
            authentication_result: AuthenticationResult::read(&f)?,
        })
    }
}

/// The tokens.
#[derive(Clone)]
pub struct AuthenticationResult {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
    pub token_type: Option<String>,
    /// Offered when the pool tracks devices (`src/device.rs`).
    pub new_device_metadata: Option<NewDeviceMetadata>,
}

impl AuthenticationResult {
    /// `AuthenticationResult` of an answer's fields `f`, when there is one.
    fn read(f: &Fields<'_>) -> Result<Option<Box<Self>>, DecodeError> {
        match f.opt_fields("AuthenticationResult", "struct AuthenticationResult")? {
            Some(result) => Ok(Some(Box::new(AuthenticationResult::from_fields(result)?))),
            None => Ok(None),
        }
    }

    /// Every field read (borrowed) before any is copied: a failure has nothing to drop.
    fn from_fields(f: Fields<'_>) -> Result<Self, DecodeError> {
        let access_token = f.str("AccessToken")?;
        let id_token = f.opt_str("IdToken")?;
        let refresh_token = f.opt_str("RefreshToken")?;
        let expires_in = f.opt_i64("ExpiresIn")?;
        let token_type = f.opt_str("TokenType")?;
        let new_device = match f.opt_fields("NewDeviceMetadata", "struct NewDeviceMetadata")? {
            Some(d) => Some((d.str("DeviceKey")?, d.str("DeviceGroupKey")?)),
            None => None,
        };
        Ok(AuthenticationResult {
            access_token: access_token.to_owned(),
            id_token: id_token.map(str::to_owned),
            refresh_token: refresh_token.map(str::to_owned),
            expires_in,
            token_type: token_type.map(str::to_owned),
            new_device_metadata: new_device.map(|(key, group)| NewDeviceMetadata {
                device_key: key.to_owned(),
                device_group_key: group.to_owned(),
            }),
        })
    }
}

impl core::fmt::Debug for AuthenticationResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AuthenticationResult([redacted])")
    }
}

/// `NewDeviceMetadata` of an `AuthenticationResult`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDeviceMetadata {
    pub device_key: String,
    pub device_group_key: String,
}

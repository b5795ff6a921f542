//! Cognito's JSON-1.1 wire format: operation names, request and response bodies, error bodies.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ServiceError};

/// The operations this client calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    InitiateAuth,
    RespondToAuthChallenge,
    SignUp,
    ConfirmSignUp,
    ResendConfirmationCode,
    ForgotPassword,
    ConfirmForgotPassword,
    GlobalSignOut,
    RevokeToken,
    GetUser,
    UpdateUserAttributes,
    GetUserAttributeVerificationCode,
    VerifyUserAttribute,
    DeleteUserAttributes,
    ChangePassword,
    DeleteUser,
    AssociateSoftwareToken,
    VerifySoftwareToken,
    SetUserMfaPreference,
    ConfirmDevice,
    ListDevices,
    ForgetDevice,
    UpdateDeviceStatus,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::InitiateAuth => "InitiateAuth",
            Operation::RespondToAuthChallenge => "RespondToAuthChallenge",
            Operation::SignUp => "SignUp",
            Operation::ConfirmSignUp => "ConfirmSignUp",
            Operation::ResendConfirmationCode => "ResendConfirmationCode",
            Operation::ForgotPassword => "ForgotPassword",
            Operation::ConfirmForgotPassword => "ConfirmForgotPassword",
            Operation::GlobalSignOut => "GlobalSignOut",
            Operation::RevokeToken => "RevokeToken",
            Operation::GetUser => "GetUser",
            Operation::UpdateUserAttributes => "UpdateUserAttributes",
            Operation::GetUserAttributeVerificationCode => "GetUserAttributeVerificationCode",
            Operation::VerifyUserAttribute => "VerifyUserAttribute",
            Operation::DeleteUserAttributes => "DeleteUserAttributes",
            Operation::ChangePassword => "ChangePassword",
            Operation::DeleteUser => "DeleteUser",
            Operation::AssociateSoftwareToken => "AssociateSoftwareToken",
            Operation::VerifySoftwareToken => "VerifySoftwareToken",
            Operation::SetUserMfaPreference => "SetUserMFAPreference",
            Operation::ConfirmDevice => "ConfirmDevice",
            Operation::ListDevices => "ListDevices",
            Operation::ForgetDevice => "ForgetDevice",
            Operation::UpdateDeviceStatus => "UpdateDeviceStatus",
        }
    }

    /// The `X-Amz-Target` header value.
    pub fn target(self) -> String {
        format!("AWSCognitoIdentityProviderService.{}", self.name())
    }

    /// Whether sending the call twice does no harm when the first answer was lost (network error,
    /// timeout, 5xx). A consumed SRP session or confirmation code must not be replayed, and a
    /// code-sending call must not send two codes.
    pub fn is_idempotent(self) -> bool {
        matches!(
            self,
            Operation::InitiateAuth
                | Operation::GlobalSignOut
                | Operation::RevokeToken
                | Operation::GetUser
                | Operation::DeleteUserAttributes
                | Operation::SetUserMfaPreference
                | Operation::ListDevices
                | Operation::UpdateDeviceStatus
        )
    }
}

/// `{Name, Value}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeType {
    pub name: String,
    pub value: String,
}

/// Body of InitiateAuth.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct InitiateAuthRequest<'a> {
    pub auth_flow: &'a str,
    pub client_id: &'a str,
    pub auth_parameters: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<&'a HashMap<String, String>>,
}

/// Body of RespondToAuthChallenge.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RespondToAuthChallengeRequest<'a> {
    pub challenge_name: &'a str,
    pub client_id: &'a str,
    pub challenge_responses: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<&'a HashMap<String, String>>,
}

/// Answer of InitiateAuth and RespondToAuthChallenge: tokens, or a further challenge.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthResponse {
    pub challenge_name: Option<String>,
    pub session: Option<String>,
    #[serde(default)]
    pub challenge_parameters: HashMap<String, String>,
    pub authentication_result: Option<AuthenticationResult>,
}

/// The tokens.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AuthenticationResult {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
    pub token_type: Option<String>,
    /// Offered when the pool tracks devices (`src/device.rs`).
    pub new_device_metadata: Option<crate::device::NewDeviceMetadata>,
}

impl core::fmt::Debug for AuthenticationResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AuthenticationResult([redacted])")
    }
}

/// Body of SignUp.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    pub password: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    pub user_attributes: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub validation_data: Vec<AttributeType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<&'a HashMap<String, String>>,
}

/// Answer of SignUp.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    pub user_sub: String,
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// Where a code was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryDetails {
    pub destination: Option<String>,
    pub delivery_medium: Option<String>,
    pub attribute_name: Option<String>,
}

/// Answer of ResendConfirmationCode and ForgotPassword.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CodeDeliveryResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

/// Body of ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword:
/// a username and, depending on the call, a code and a new password.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserCodeRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub force_alias_creation: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_metadata: Option<&'a HashMap<String, String>>,
}

/// Body of RevokeToken.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeTokenRequest<'a> {
    pub token: &'a str,
    pub client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<&'a str>,
}

/// Body of GlobalSignOut and GetUser.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessTokenRequest<'a> {
    pub access_token: &'a str,
}

/// An answer whose content is not needed.
#[derive(Debug, Deserialize)]
pub struct Empty {}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(rename = "__type")]
    kind: Option<String>,
    #[serde(alias = "Message")]
    message: Option<String>,
}

/// Cognito's exception name from `__type` (`prefix#Name`) or `x-amzn-errortype` (`Name:uri`).
pub fn exception_name(raw: &str) -> Option<&str> {
    let after_hash = raw.rsplit_once('#').map_or(raw, |(_, name)| name);
    let name = after_hash
        .split_once(':')
        .map_or(after_hash, |(name, _)| name)
        .trim();
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(name)
}

/// The error a non-2xx answer stands for.
pub fn parse_error(status: u16, error_type_header: Option<&str>, body: &str) -> Error {
    let parsed: Option<ErrorBody> = serde_json::from_str(body).ok();
    let from_body = parsed
        .as_ref()
        .and_then(|b| b.kind.as_deref())
        .and_then(exception_name);
    let from_header = error_type_header.and_then(exception_name);
    let message = parsed.as_ref().and_then(|b| b.message.clone());
    match from_body.or(from_header) {
        Some(name) => Error::Service(ServiceError {
            name: name.to_owned(),
            message: message.unwrap_or_else(|| name.to_owned()),
            status,
        }),
        None => Error::Service(ServiceError {
            name: if status == 429 {
                "TooManyRequestsException"
            } else {
                "UnknownError"
            }
            .to_owned(),
            message: format!("HTTP {status} without a Cognito error body"),
            status,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_names() {
        assert_eq!(
            exception_name("NotAuthorizedException"),
            Some("NotAuthorizedException")
        );
        assert_eq!(
            exception_name("com.amazonaws.cognito.identity.idp.model#CodeMismatchException"),
            Some("CodeMismatchException")
        );
        assert_eq!(
            exception_name("UserNotFoundException:http://internal.amazon.com/coral/"),
            Some("UserNotFoundException")
        );
        assert_eq!(exception_name("<html>"), None);
        assert_eq!(exception_name(""), None);
    }

    #[test]
    fn error_bodies() {
        let e = parse_error(
            400,
            None,
            r#"{"__type":"x#UsernameExistsException","message":"User already exists"}"#,
        );
        assert_eq!(
            (e.code(), e.to_string(), e.status()),
            (
                "UsernameExistsException",
                "User already exists".into(),
                Some(400)
            )
        );
        let e = parse_error(400, Some("LimitExceededException:"), "<html>oops</html>");
        assert_eq!(e.code(), "LimitExceededException");
        let e = parse_error(503, None, "Service Unavailable");
        assert_eq!((e.code(), e.retryable()), ("UnknownError", true));
        let e = parse_error(429, None, "");
        assert!(e.is_throttling());
        let e = parse_error(
            400,
            None,
            r#"{"__type":"InvalidParameterException","Message":"bad"}"#,
        );
        assert_eq!(e.to_string(), "bad");
    }
}

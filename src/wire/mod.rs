//! Cognito's JSON-1.1 wire format: operation names, every request and response body, error
//! bodies. Requests are written by hand ([`crate::json::Writer`]); answers are read from the
//! parsed [`Value`] by each type's `from_json`, which ignores members it does not know.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use crate::prelude::*;
mod account;
mod auth;
mod device;
mod oauth;
mod user;
mod webauthn;

pub use account::*;
pub use auth::*;
pub use device::*;
pub use oauth::*;
pub use user::*;
pub use webauthn::*;

use crate::error::{Error, ServiceError};
use crate::json::{fields, DecodeError, Fields, ParseError, Value, Writer};
use crate::map::VecMap;
use crate::text::split_ascii;
/// The operations this client calls: a name and whether a retry is safe. Constants, not an enum
/// (`Operation::InitiateAuth` reads the same): a build holds the names of the calls it makes
/// only, not a table of every name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    name: &'static str,
    idempotent: bool,
}

#[allow(non_upper_case_globals)]
impl Operation {
    pub const InitiateAuth: Operation = Operation::new("InitiateAuth", true);
    pub const RespondToAuthChallenge: Operation = Operation::new("RespondToAuthChallenge", false);
    pub const SignUp: Operation = Operation::new("SignUp", false);
    pub const ConfirmSignUp: Operation = Operation::new("ConfirmSignUp", false);
    pub const ResendConfirmationCode: Operation = Operation::new("ResendConfirmationCode", false);
    pub const ForgotPassword: Operation = Operation::new("ForgotPassword", false);
    pub const ConfirmForgotPassword: Operation = Operation::new("ConfirmForgotPassword", false);
    pub const GlobalSignOut: Operation = Operation::new("GlobalSignOut", true);
    pub const RevokeToken: Operation = Operation::new("RevokeToken", true);
    pub const GetUser: Operation = Operation::new("GetUser", true);
    pub const UpdateUserAttributes: Operation = Operation::new("UpdateUserAttributes", false);
    pub const GetUserAttributeVerificationCode: Operation =
        Operation::new("GetUserAttributeVerificationCode", false);
    pub const VerifyUserAttribute: Operation = Operation::new("VerifyUserAttribute", false);
    pub const DeleteUserAttributes: Operation = Operation::new("DeleteUserAttributes", true);
    pub const ChangePassword: Operation = Operation::new("ChangePassword", false);
    pub const DeleteUser: Operation = Operation::new("DeleteUser", false);
    pub const AssociateSoftwareToken: Operation = Operation::new("AssociateSoftwareToken", false);
    pub const VerifySoftwareToken: Operation = Operation::new("VerifySoftwareToken", false);
    pub const SetUserMfaPreference: Operation = Operation::new("SetUserMFAPreference", true);
    pub const ConfirmDevice: Operation = Operation::new("ConfirmDevice", false);
    pub const ListDevices: Operation = Operation::new("ListDevices", true);
    pub const ForgetDevice: Operation = Operation::new("ForgetDevice", false);
    pub const UpdateDeviceStatus: Operation = Operation::new("UpdateDeviceStatus", true);
    pub const GetTokensFromRefreshToken: Operation =
        Operation::new("GetTokensFromRefreshToken", true);
    pub const StartWebAuthnRegistration: Operation =
        Operation::new("StartWebAuthnRegistration", false);
    pub const CompleteWebAuthnRegistration: Operation =
        Operation::new("CompleteWebAuthnRegistration", false);
    pub const ListWebAuthnCredentials: Operation = Operation::new("ListWebAuthnCredentials", true);
    pub const DeleteWebAuthnCredential: Operation =
        Operation::new("DeleteWebAuthnCredential", false);
    pub const GetUserAuthFactors: Operation = Operation::new("GetUserAuthFactors", true);

    const fn new(name: &'static str, idempotent: bool) -> Operation {
        Operation { name, idempotent }
    }

    pub fn name(self) -> &'static str {
        self.name
    }

    /// The `X-Amz-Target` header value.
    pub fn target(self) -> String {
        ["AWSCognitoIdentityProviderService.", self.name].cat()
    }

    /// Whether sending the call twice does no harm when the first answer was lost (network error,
    /// timeout, 5xx). GetTokensFromRefreshToken is: a rotated-out refresh token stays valid for
    /// the client's retry grace period, which exists for such retries. A consumed SRP session or
    /// confirmation code must not be replayed, and a code-sending call must not send two codes.
    pub fn is_idempotent(self) -> bool {
        self.idempotent
    }
}

/// A response body, read from its parsed JSON.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, DecodeError>;
}

/// `{Name, Value}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeType {
    pub name: String,
    pub value: String,
}

impl AttributeType {
    fn from_element(value: &Value, field: &'static str) -> Result<Self, DecodeError> {
        let f = crate::json::element(value, field, "struct AttributeType")?;
        Ok(AttributeType {
            name: f.string("Name")?,
            value: f.string("Value")?,
        })
    }

    /// The array in member `key` (empty when absent).
    fn list(f: &Fields<'_>, key: &'static str) -> Result<Vec<Self>, DecodeError> {
        f.list(key, Self::from_element)
    }
}

/// `"key":[{"Name":…,"Value":…},…]`.
fn write_attributes<'a>(
    w: &mut Writer,
    key: &str,
    pairs: &mut dyn Iterator<Item = (&'a str, &'a str)>,
) {
    w.begin_array(key);
    for (name, value) in pairs {
        w.begin_element();
        w.string("Name", name);
        w.string("Value", value);
        w.end_object();
    }
    w.end_array();
}

/// `"ClientMetadata":{…}` when given.
fn write_metadata(w: &mut Writer, metadata: Option<&VecMap<String, String>>) {
    if let Some(metadata) = metadata {
        w.string_map(
            "ClientMetadata",
            &mut metadata.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
    }
}

/// An answer whose content is not needed (but which must be a JSON object).
#[derive(Debug)]
pub struct Empty {}

impl FromJson for Empty {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        fields(value, "struct Empty").map(|_| Empty {})
    }
}

/// The answer of `op`, `T` read from `body`; any failure is [`Error::InvalidResponse`]
/// (`<target> answered with unexpected JSON: <why>`, naming types and fields, never values).
pub fn decode<T: FromJson>(op: Operation, body: &str) -> Result<T, Error> {
    let value = parse_answer(op, body)?;
    T::from_json(&value).map_err(|e| decode_error(op, e))
}

fn parse_answer(op: Operation, body: &str) -> Result<Value, Error> {
    crate::json::parse(body).map_err(|e| unexpected_json(op, Unexpected::Text(e)))
}

/// [`unexpected_json`] of a decode error (one copy for every answer type).
fn decode_error(op: Operation, e: DecodeError) -> Error {
    unexpected_json(op, Unexpected::Shape(e))
}

/// Why an answer is not what its operation answers.
enum Unexpected {
    /// Not JSON.
    Text(ParseError),
    /// JSON of another shape.
    Shape(DecodeError),
}

/// `<target> answered with unexpected JSON: <why>` (one function for both kinds of `why`).
#[inline(never)]
fn unexpected_json(op: Operation, why: Unexpected) -> Error {
    let why = match why {
        Unexpected::Text(e) => e.message(),
        Unexpected::Shape(e) => e.message(),
    };
    Error::invalid_response([&op.target(), " answered with unexpected JSON: ", &why].cat())
}

/// Cognito's exception name from `__type` (`prefix#Name`) or `x-amzn-errortype` (`Name:uri`).
pub fn exception_name(raw: &str) -> Option<&str> {
    let after_hash = split_ascii(raw, b'#', true).map_or(raw, |(_, name)| name);
    let name = split_ascii(after_hash, b':', false).map_or(after_hash, |(name, _)| name);
    let name = name.trim_ascii();
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(name)
}

/// The error a non-2xx answer stands for.
pub fn parse_error(status: u16, error_type_header: Option<&str>, body: &str) -> Error {
    // `{"__type": …, "message"|"Message": …}`; a body of any other shape counts as none.
    let parsed = crate::json::parse(body).ok();
    let read = |value| -> Result<(Option<&str>, Option<&str>), DecodeError> {
        let f = fields(value, "struct ErrorBody")?;
        let message = match f.opt_str("message")? {
            Some(message) => Some(message),
            None => f.opt_str("Message")?,
        };
        Ok((f.opt_str("__type")?, message))
    };
    let (kind, message) = parsed
        .as_ref()
        .and_then(|v| read(v).ok())
        .unwrap_or_default();
    let name = kind
        .and_then(exception_name)
        .or_else(|| error_type_header.and_then(exception_name));
    let (name, message) = match name {
        Some(name) => (name, message.unwrap_or(name).to_owned()),
        None => {
            let mut message = String::from("HTTP ");
            crate::text::push_u64(&mut message, u64::from(status));
            message.push_str(" without a Cognito error body");
            let name = match status {
                429 => "TooManyRequestsException",
                _ => "UnknownError",
            };
            (name, message)
        }
    };
    Error::Service(ServiceError {
        name: name.to_owned(),
        message,
        status,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
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
        // ASCII whitespace around the name is trimmed (`str::trim_ascii`), other whitespace not.
        assert_eq!(
            exception_name(" \tNotAuthorizedException \r\n"),
            Some("NotAuthorizedException")
        );
        assert_eq!(exception_name("\u{a0}NotAuthorizedException"), None);
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

    fn json(text: &str) -> serde_json::Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn requests_are_the_json_cognito_takes() {
        let metadata = VecMap::from([("k".to_owned(), "v\"".to_owned())]);
        let body = InitiateAuthRequest {
            auth_flow: "USER_SRP_AUTH",
            client_id: "c",
            auth_parameters: &[("SRP_A", "ab"), ("USERNAME", "ann")],
            client_metadata: Some(&metadata),
            user_context_data: None,
            session: None,
        };
        assert_eq!(
            json(&body.to_json()),
            serde_json::json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "c",
                "AuthParameters": {"USERNAME": "ann", "SRP_A": "ab"}, "ClientMetadata": {"k": "v\""}})
        );
        let body = InitiateAuthRequest {
            auth_flow: "USER_AUTH",
            client_id: "c",
            auth_parameters: &[("USERNAME", "ann")],
            client_metadata: None,
            user_context_data: None,
            session: Some("from-sign-up"),
        };
        assert_eq!(
            json(&body.to_json()),
            serde_json::json!({"AuthFlow": "USER_AUTH", "ClientId": "c",
                "AuthParameters": {"USERNAME": "ann"}, "Session": "from-sign-up"})
        );
        let body = SignUpRequest {
            client_id: "c",
            username: "ann",
            password: "p\u{1}w",
            secret_hash: None,
            user_attributes: vec![("email", "a@x")],
            validation_data: vec![],
            client_metadata: None,
            user_context_data: None,
        };
        assert_eq!(
            json(&body.to_json()),
            serde_json::json!({"ClientId": "c", "Username": "ann", "Password": "p\u{1}w",
                "UserAttributes": [{"Name": "email", "Value": "a@x"}]})
        );
        let body = ConfirmDeviceRequest {
            access_token: "t",
            device_key: "k",
            password_verifier: "v",
            salt: "s",
            device_name: Some("phone"),
        };
        assert_eq!(
            json(&body.to_json()),
            serde_json::json!({"AccessToken": "t", "DeviceKey": "k", "DeviceName": "phone",
                "DeviceSecretVerifierConfig": {"PasswordVerifier": "v", "Salt": "s"}})
        );
        let body = ListDevicesRequest {
            access_token: "t",
            limit: Some(60),
            pagination_token: None,
        };
        assert_eq!(body.to_json(), r#"{"AccessToken":"t","Limit":60}"#);
    }

    #[test]
    fn answers_of_the_wrong_shape_say_where_not_what() {
        let token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln";
        let failure = |body: &str| {
            decode::<AuthResponse>(Operation::InitiateAuth, body)
                .unwrap_err()
                .to_string()
        };
        let message = failure(&format!(r#"{{"AuthenticationResult":"{token}"}}"#));
        assert_eq!(
            message,
            "unexpected answer from Cognito: AWSCognitoIdentityProviderService.InitiateAuth \
             answered with unexpected JSON: `AuthenticationResult`: invalid type: string, \
             expected struct AuthenticationResult"
        );
        let message = failure(&format!(
            r#"{{"AuthenticationResult":{{"IdToken":"{token}"}}}}"#
        ));
        assert!(
            message.ends_with("missing field `AccessToken`"),
            "{message}"
        );
        let message = failure(&format!(
            r#"{{"AuthenticationResult":{{"AccessToken":"{token}","ExpiresIn":"{token}"}}}}"#
        ));
        assert!(message.ends_with("`ExpiresIn`: invalid type: string, expected i64"));
        assert!(failure(r#"{"ChallengeParameters":{"SRP_B":5}}"#).contains("`ChallengeParameters`"));
        assert!(failure("[]").ends_with("invalid type: array, expected struct AuthResponse"));
        assert!(failure(r#"{"Session":"#).ends_with("unexpected end of the text at byte 11"));
        assert!(failure("").contains("unexpected end"));
        for body in [
            &format!(r#"{{"AuthenticationResult":"{token}"}}"#),
            &format!(r#""{token}"#),
        ] {
            assert!(!failure(body).contains("eyJ"));
        }
        let ok = decode::<AuthResponse>(
            Operation::InitiateAuth,
            r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"ab"},"Extra":[1,{}]}"#,
        )
        .unwrap();
        assert_eq!(ok.challenge_parameters["SALT"], "ab");
        assert!(decode::<Empty>(Operation::ForgetDevice, "{}").is_ok());
        assert!(decode::<Empty>(Operation::ForgetDevice, "null").is_err());
    }

    #[test]
    fn a_refresh_answer_reads_its_tokens_and_nothing_else() {
        let refreshed = decode::<RefreshAnswer>(
            Operation::GetTokensFromRefreshToken,
            r#"{"AuthenticationResult":{"AccessToken":"a","IdToken":"i","ExpiresIn":3600},"ChallengeParameters":{"X":1}}"#,
        )
        .unwrap()
        .authentication_result
        .unwrap();
        assert_eq!(
            (refreshed.access_token.as_str(), refreshed.expires_in),
            ("a", Some(3600))
        );
        assert!(decode::<RefreshAnswer>(Operation::InitiateAuth, "{}")
            .unwrap()
            .authentication_result
            .is_none());
        let bad = decode::<RefreshAnswer>(
            Operation::InitiateAuth,
            r#"{"AuthenticationResult":{"IdToken":"i"}}"#,
        );
        assert!(matches!(bad, Err(Error::InvalidResponse { .. })));
    }
}

//! Every way a call can fail, as one enum. Messages never carry a token, password or code.

use crate::prelude::*;
use core::fmt;

use crate::srp::SrpError;

/// An exception Cognito answered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError {
    /// Cognito's exception name (`NotAuthorizedException`), without any `prefix#`.
    pub name: String,
    pub message: String,
    /// The HTTP status it came with.
    pub status: u16,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// Cognito rejected the call.
    Service(ServiceError),
    /// No answer: the connection failed or was refused.
    Network { message: String },
    /// No answer within the configured timeout.
    Timeout { after_ms: u32 },
    /// An answer that is not what Cognito sends (bad JSON, missing fields, a token that is not a JWT).
    InvalidResponse { reason: String },
    /// The SRP exchange was refused locally.
    Srp(SrpError),
    /// The caller's input is unusable (no request was sent).
    InvalidParameter { message: String },
    /// The token storage failed.
    Storage { message: String },
    /// The hosted UI or `/oauth2/token` refused (see [`crate::oauth`]): `error` is the OAuth
    /// error value (`invalid_grant`, `access_denied`, …, or the local `invalid_state`).
    OAuth {
        error: String,
        description: String,
        status: Option<u16>,
    },
    /// `navigator.credentials` refused or gave an unusable credential (see [`crate::webauthn`]):
    /// `code` is the DOMException's name (`NotAllowedError`, `AbortError`, …).
    WebAuthn { code: String, message: String },
}

impl Error {
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Error::InvalidParameter {
            message: message.into(),
        }
    }

    pub fn invalid_response(reason: impl Into<String>) -> Self {
        Error::InvalidResponse {
            reason: reason.into(),
        }
    }

    /// Whether Cognito said it does not know the device (a stale device key):
    /// ResourceNotFoundException whose message names a device.
    pub fn is_stale_device(&self) -> bool {
        self.code() == "ResourceNotFoundException"
            && crate::text::contains(&self.message().to_ascii_lowercase(), "device")
    }

    /// The JS `name`/`code`: Cognito's exception name, or a local kind.
    pub fn code(&self) -> &str {
        match self {
            Error::Service(e) => &e.name,
            Error::Network { .. } => "NetworkError",
            Error::Timeout { .. } => "TimeoutError",
            Error::InvalidResponse { .. } => "InvalidResponseError",
            Error::Srp(_) => "SrpError",
            Error::InvalidParameter { .. } => "InvalidParameterError",
            Error::Storage { .. } => "StorageError",
            Error::OAuth { error, .. } => error,
            Error::WebAuthn { code, .. } => code,
        }
    }

    /// The JS `name`: [`Error::code`], except `OAuthError` for every [`Error::OAuth`].
    pub fn name(&self) -> &str {
        match self {
            Error::OAuth { .. } => "OAuthError",
            Error::WebAuthn { .. } => "WebAuthnError",
            _ => self.code(),
        }
    }

    /// The HTTP status, when the error came over HTTP.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Service(e) => Some(e.status),
            Error::OAuth { status, .. } => *status,
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed: throttling, 5xx, no answer.
    pub fn retryable(&self) -> bool {
        match self {
            Error::Service(e) => is_throttling(e) || e.status >= 500,
            Error::Network { .. } | Error::Timeout { .. } => true,
            Error::OAuth { status, .. } => status.is_some_and(|s| s >= 500 || s == 429),
            _ => false,
        }
    }

    /// Whether the request certainly was not acted upon (throttled), so any call may be resent.
    pub fn is_throttling(&self) -> bool {
        matches!(self, Error::Service(e) if is_throttling(e))
    }
}

fn is_throttling(e: &ServiceError) -> bool {
    e.status == 429
        || matches!(
            e.name.as_str(),
            "TooManyRequestsException" | "ThrottlingException" | "RequestLimitExceeded"
        )
}

impl Error {
    /// The JS `message`: [`Error`]'s `Display` text, built without `core::fmt`. One copy: callers
    /// reach it through `Display` too.
    #[inline(never)]
    pub fn message(&self) -> String {
        let parts: [&str; 4] = match self {
            Error::Service(e) => [&e.message, "", "", ""],
            Error::Network { message } => ["network error: ", message, "", ""],
            Error::Timeout { after_ms } => {
                let mut out = String::from("no answer from Cognito within ");
                crate::text::push_u64(&mut out, u64::from(*after_ms));
                out.push_str(" ms");
                return out;
            }
            Error::InvalidResponse { reason } => {
                ["unexpected answer from Cognito: ", reason, "", ""]
            }
            Error::Srp(e) => {
                let [a, b, c] = srp_text(e);
                ["SRP: ", a, b, c]
            }
            Error::InvalidParameter { message } => [message, "", "", ""],
            Error::Storage { message } => ["token storage: ", message, "", ""],
            Error::OAuth {
                error, description, ..
            } if description.is_empty() => [error, "", "", ""],
            Error::OAuth {
                error, description, ..
            } => [error, ": ", description, ""],
            Error::WebAuthn { code, message } => ["passkey: ", code, ": ", message],
        };
        parts.cat()
    }
}

/// [`SrpError::message_parts`].
#[cfg(not(all(
    target_arch = "wasm32",
    feature = "small-heap",
    not(feature = "std"),
    not(feature = "signin")
)))]
fn srp_text(e: &SrpError) -> [&'static str; 3] {
    e.message_parts()
}

/// The restore module (wasm32 with `small-heap`, neither `std` nor `signin`) signs no one in, so
/// no SRP error arises there: one text in place of [`SrpError::message_parts`]'s.
#[cfg(all(
    target_arch = "wasm32",
    feature = "small-heap",
    not(feature = "std"),
    not(feature = "signin")
))]
fn srp_text(_: &SrpError) -> [&'static str; 3] {
    ["the exchange failed", "", ""]
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

/// A serde error message without the value it names: whatever stands between `invalid type: `
/// (or `invalid value: `) and `, expected ` becomes serde's kind word when it starts with one
/// (`string`, `integer`, `sequence`, …, [`SERDE_KINDS`]), `JsValue` for serde-wasm-bindgen's
/// `JsValue(…)`, else `a value`. So `invalid type: string "eyJ…", expected i64` becomes
/// `invalid type: string, expected i64` and `invalid type: JsValue(987654321n), expected a
/// string` becomes `invalid type: JsValue, expected a string`. The value can be a token, a
/// password or a code (a server's answer, a caller's option object).
pub fn redact_serde_message(message: &str) -> String {
    let start = ["invalid type: ", "invalid value: "]
        .iter()
        .filter_map(|prefix| message.find(prefix).map(|i| i + prefix.len()))
        .min();
    let Some(start) = start else {
        return message.to_owned();
    };
    // The value comes first, so the last ", expected " is serde's own.
    let end = message
        .rfind(", expected ")
        .filter(|&end| end >= start)
        .unwrap_or(message.len());
    let unexpected = message.get(start..end).unwrap_or_default();
    let kind = SERDE_KINDS
        .iter()
        .copied()
        .filter(|kind| {
            unexpected
                .strip_prefix(kind)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        })
        .max_by_key(|kind| kind.len())
        .unwrap_or(if unexpected.starts_with("JsValue(") {
            "JsValue"
        } else {
            "a value"
        });
    let (head, tail) = (
        message.get(..start).unwrap_or_default(),
        message.get(end..).unwrap_or_default(),
    );
    [head, kind, tail].cat()
}

/// serde's names of the kinds of value (`serde::de::Unexpected`'s `Display`), and serde_json's
/// `null`: all a redacted message keeps of the value.
pub const SERDE_KINDS: [&str; 17] = [
    "boolean",
    "integer",
    "floating point",
    "character",
    "string",
    "byte array",
    "unit value",
    "Option value",
    "newtype struct",
    "sequence",
    "map",
    "enum",
    "unit variant",
    "newtype variant",
    "tuple variant",
    "struct variant",
    "null",
];

impl From<SrpError> for Error {
    fn from(e: SrpError) -> Self {
        Error::Srp(e)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A Cognito exception with `name` and `status`, for tests.
    pub(crate) fn service(name: &str, status: u16) -> Error {
        Error::Service(ServiceError {
            name: name.into(),
            message: "m".into(),
            status,
        })
    }

    #[test]
    fn stale_device_errors() {
        let not_found = |message: &str| {
            Error::Service(ServiceError {
                name: "ResourceNotFoundException".into(),
                message: message.into(),
                status: 400,
            })
        };
        assert!(not_found("Device does not exist.").is_stale_device());
        assert!(!not_found("User pool client x does not exist.").is_stale_device());
        assert!(!service("NotAuthorizedException", 400).is_stale_device());
    }

    #[test]
    fn serde_messages_lose_the_values_they_quote() {
        let secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln";
        let parsed: Result<Option<i64>, _> = serde_json::from_str(&format!("\"{secret}\""));
        let message = redact_serde_message(&parsed.unwrap_err().to_string());
        assert_eq!(
            message,
            "invalid type: string, expected i64 at line 1 column 36"
        );
        // A value that itself contains ", expected " and quotes.
        let tricky = r#"x", expected nothing, `y` "#;
        let parsed: Result<u8, _> = serde_json::from_value(serde_json::json!(tricky));
        let message = redact_serde_message(&parsed.unwrap_err().to_string());
        assert_eq!(message, "invalid type: string, expected u8");
        let parsed: Result<String, _> = serde_json::from_str("123456");
        assert_eq!(
            redact_serde_message(&parsed.unwrap_err().to_string()),
            "invalid type: integer, expected a string at line 1 column 6"
        );
        // Messages that quote no value are kept.
        assert_eq!(
            redact_serde_message("missing field `UserSub` at line 1 column 2"),
            "missing field `UserSub` at line 1 column 2"
        );
    }

    #[test]
    fn serde_messages_lose_unquoted_values_too() {
        // serde-wasm-bindgen's `Unexpected::Other`: a bigint or an array, printed bare.
        for (message, redacted) in [
            (
                "signIn: invalid type: JsValue(987654321n), expected a string",
                "signIn: invalid type: JsValue, expected a string",
            ),
            (
                "invalid type: 987654321, expected a string",
                "invalid type: a value, expected a string",
            ),
            (
                r#"invalid type: JsValue(["x", "S3cret-Passw0rd!"]), expected a string"#,
                "invalid type: JsValue, expected a string",
            ),
            (
                "invalid value: integer `123456`, expected u8",
                "invalid value: integer, expected u8",
            ),
            (
                "invalid type: floating point `918273`, expected a string",
                "invalid type: floating point, expected a string",
            ),
            (
                "invalid type: sequence, expected a string",
                "invalid type: sequence, expected a string",
            ),
            (
                "invalid type: unit value, expected a string",
                "invalid type: unit value, expected a string",
            ),
            (
                "invalid type: hunter2 with no expected part",
                "invalid type: a value",
            ),
        ] {
            assert_eq!(redact_serde_message(message), redacted, "{message}");
        }
    }

    #[test]
    fn retryable_kinds() {
        assert!(service("TooManyRequestsException", 400).retryable());
        assert!(service("Whatever", 429).is_throttling());
        assert!(service("InternalErrorException", 500).retryable());
        assert!(!service("InternalErrorException", 500).is_throttling());
        assert!(!service("NotAuthorizedException", 400).retryable());
        assert!(Error::Timeout { after_ms: 1 }.retryable());
        assert!(!Error::invalid_response("x").retryable());
        assert_eq!(
            service("CodeMismatchException", 400).code(),
            "CodeMismatchException"
        );
        assert_eq!(Error::Srp(SrpError::ZeroScrambler).code(), "SrpError");
    }

    #[test]
    fn srp_messages_are_the_display_text() {
        for (e, text) in [
            (
                SrpError::MissingParameter { field: "SRP_B" },
                "challenge parameter SRP_B is missing",
            ),
            (
                SrpError::InvalidHex { field: "SALT" },
                "challenge parameter SALT is not a hex integer",
            ),
            (
                SrpError::InvalidBase64 {
                    field: "SECRET_BLOCK",
                },
                "challenge parameter SECRET_BLOCK is not base64",
            ),
            (
                SrpError::InvalidServerPublicKey,
                "server sent an SRP_B that is 0 mod N or not below N",
            ),
            (
                SrpError::ZeroScrambler,
                "SRP scrambling parameter u is zero",
            ),
        ] {
            assert_eq!(e.to_string(), text);
            assert_eq!(Error::Srp(e).message(), ["SRP: ", text].cat());
        }
    }
}

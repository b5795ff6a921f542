//! Why a token was refused: one variant per check. Messages never quote the token.

use crate::prelude::*;
use core::fmt;

use super::options::TokenUse;

/// The check a token failed, or why it could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not three base64url parts with JSON header and payload; says which part.
    Malformed(&'static str),
    /// The header's `alg` is not `RS256` (`none`, `HS256`, …).
    Algorithm,
    /// No `kid`, or one the pool's JWKS does not have (after one refetch).
    UnknownKid,
    /// The RS256 signature does not match.
    Signature,
    /// `iss` is not the pool's issuer.
    Issuer,
    /// `token_use` is not the one asked for.
    TokenUse { expected: TokenUse },
    /// ID token: `aud` names none of the allowed app clients.
    Audience,
    /// Access token: `client_id` is none of the allowed app clients.
    ClientId,
    /// No `exp`.
    MissingExp,
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// `nbf` is still ahead (beyond the leeway).
    NotYetValid,
    /// `iat` is ahead (beyond the leeway).
    IssuedInFuture,
    /// `cognito:groups` holds none of the required groups.
    MissingGroup,
    /// `scope` holds none of the required scopes.
    MissingScope,
    /// The JWKS could not be fetched or read (no verdict on the token).
    JwksUnavailable(String),
}

impl VerifyError {
    /// The check's name, stable for programs: the JS `code` and the 401 body's `check`.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::Malformed(_) => "Malformed",
            VerifyError::Algorithm => "Algorithm",
            VerifyError::UnknownKid => "UnknownKid",
            VerifyError::Signature => "Signature",
            VerifyError::Issuer => "Issuer",
            VerifyError::TokenUse { .. } => "TokenUse",
            VerifyError::Audience => "Audience",
            VerifyError::ClientId => "ClientId",
            VerifyError::MissingExp => "MissingExp",
            VerifyError::Expired => "Expired",
            VerifyError::NotYetValid => "NotYetValid",
            VerifyError::IssuedInFuture => "IssuedInFuture",
            VerifyError::MissingGroup => "MissingGroup",
            VerifyError::MissingScope => "MissingScope",
            VerifyError::JwksUnavailable(_) => "JwksUnavailable",
        }
    }

    /// Whether the token itself was refused (401); `false` for a JWKS outage (503).
    pub fn is_token_fault(&self) -> bool {
        !matches!(self, VerifyError::JwksUnavailable(_))
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Malformed(what) => write!(f, "token is malformed: {what}"),
            VerifyError::Algorithm => f.write_str("token alg is not RS256"),
            VerifyError::UnknownKid => f.write_str("token kid is not in the pool's JWKS"),
            VerifyError::Signature => f.write_str("token signature is invalid"),
            VerifyError::Issuer => f.write_str("token iss is not the user pool"),
            VerifyError::TokenUse { expected } => {
                write!(f, "token_use is not \"{}\"", expected.as_str())
            }
            VerifyError::Audience => f.write_str("token aud is not an allowed client"),
            VerifyError::ClientId => f.write_str("token client_id is not an allowed client"),
            VerifyError::MissingExp => f.write_str("token has no exp"),
            VerifyError::Expired => f.write_str("token has expired"),
            VerifyError::NotYetValid => f.write_str("token is not valid yet (nbf)"),
            VerifyError::IssuedInFuture => f.write_str("token iat is in the future"),
            VerifyError::MissingGroup => f.write_str("token has none of the required groups"),
            VerifyError::MissingScope => f.write_str("token has none of the required scopes"),
            VerifyError::JwksUnavailable(why) => write!(f, "JWKS unavailable: {why}"),
        }
    }
}

impl core::error::Error for VerifyError {}

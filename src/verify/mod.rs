//! Verifying a Cognito ID or access token, without I/O: the caller fetches the JWKS and runs
//! the RS256 signature check (WebCrypto in the binding layer). The order, each step failing with
//! the [`VerifyError`] that names it:
//!
//! 1. [`UnverifiedToken::parse`]: three base64url parts, JSON header and payload.
//! 2. [`check_header`]: `alg` is exactly `RS256`, `kid` is present.
//! 3. the key for `kid` from the [`KeyCache`] (one refetch on an unknown kid, penalty after a
//!    failed fetch), then the signature over [`UnverifiedToken::signing_input`].
//! 4. [`check_claims`]: `iss`, `token_use`, `aud`/`client_id`, `exp`/`nbf`/`iat`, groups, scopes.

mod claims;
mod error;
mod jwks;
mod options;
mod token;

pub use claims::{
    check_audience, check_claims, check_groups, check_issuer, check_scopes, check_times,
    check_token_use,
};
pub use error::VerifyError;
pub use jwks::{parse_jwks, Jwk, JwksPolicy, KeyCache, KeyLookup};
pub use options::{cognito_issuer, jwks_url, TokenUse, VerifyOptions};
pub use token::{check_header, Header, UnverifiedToken};

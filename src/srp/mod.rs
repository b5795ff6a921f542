//! Cognito's SRP-6a variant (USER_SRP_AUTH → PASSWORD_VERIFIER, and the device's in [`device`]),
//! as pure functions.
//!
//! Randomness and the clock come in as arguments, so every step is checked against the
//! reference vectors. The formulas are in each function's documentation; `hex()` is the signed
//! minimal encoding of [`hex`].

mod challenge;
mod client;
pub mod device;
pub mod group;
pub mod hex;
mod timestamp;

pub use challenge::{PasswordVerifierChallenge, PasswordVerifierResponse};
pub(crate) use client::os_random;
pub use client::{
    compute_premaster_secret, compute_u, compute_x, derive_key, password_signature,
    respond_to_password_verifier, scrambler_from_digest, ClientEphemeral, SessionKey,
};
/// The SRP values' integer type (big-endian bytes; see `cognito_wasm_modexp::Uint`).
pub use cognito_wasm_modexp::Uint;
pub use timestamp::format_timestamp;

use core::fmt;

/// Why an SRP step was refused. Each is a server answer (or a random source) the client will not
/// compute with; none is a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SrpError {
    /// A challenge parameter is absent.
    MissingParameter { field: &'static str },
    /// `SALT` or `SRP_B` is empty, signed, too long or not hex.
    InvalidHex { field: &'static str },
    /// `SECRET_BLOCK` is not standard base64.
    InvalidBase64 { field: &'static str },
    /// `B ≡ 0 (mod N)` or `B ≥ N`: the server's public value is unusable.
    InvalidServerPublicKey,
    /// `u = H(hex(A) ‖ hex(B))` is zero.
    ZeroScrambler,
    /// `A ≡ 0 (mod N)`: the secret exponent is unusable.
    InvalidClientSecret,
    /// The platform's random source failed.
    RandomSource,
    /// The exponentiation kernel refused the group's modulus (a build defect; see
    /// `Group::cognito`), or `B + N − k·g^x` came out negative, which `k·g^x mod N < N` rules out.
    Arithmetic,
}

impl SrpError {
    /// The `Display` text in three parts to join, without `core::fmt`.
    pub fn message_parts(&self) -> [&'static str; 3] {
        match self {
            SrpError::MissingParameter { field } => ["challenge parameter ", field, " is missing"],
            SrpError::InvalidHex { field } => {
                ["challenge parameter ", field, " is not a hex integer"]
            }
            SrpError::InvalidBase64 { field } => ["challenge parameter ", field, " is not base64"],
            SrpError::InvalidServerPublicKey => [
                "server sent an SRP_B that is 0 mod N or not below N",
                "",
                "",
            ],
            SrpError::ZeroScrambler => ["SRP scrambling parameter u is zero", "", ""],
            SrpError::InvalidClientSecret => ["client SRP secret gives A = 0 mod N", "", ""],
            SrpError::RandomSource => ["the platform's secure random source failed", "", ""],
            SrpError::Arithmetic => ["the SRP group's arithmetic is unavailable", "", ""],
        }
    }
}

impl fmt::Display for SrpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message_parts()
            .iter()
            .try_for_each(|part| f.write_str(part))
    }
}

impl core::error::Error for SrpError {}

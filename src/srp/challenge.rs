//! The PASSWORD_VERIFIER challenge as Cognito sends it, and the answer the client sends back.

use crate::prelude::*;
use cognito_wasm_modexp::Uint;

use super::hex::parse_hex;
use super::SrpError;

use crate::map::VecMap;

/// Longest `SALT` accepted, in hex digits (Cognito's is 16 bytes).
const MAX_SALT_DIGITS: usize = 1024;
/// Longest `SRP_B` accepted: the width of N plus a few leading zeros.
const MAX_B_DIGITS: usize = 2 * 385 + 8;

/// `ChallengeParameters` of a PASSWORD_VERIFIER challenge, parsed and checked for form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifierChallenge {
    /// `SALT` as an integer (it is re-encoded with `hex()` when hashed).
    pub salt: Uint,
    /// `SRP_B`, the server's public value (range-checked when used).
    pub server_public: Uint,
    /// `SECRET_BLOCK` as sent (echoed back verbatim).
    pub secret_block: String,
    /// `SECRET_BLOCK` decoded (signed over).
    pub secret_block_bytes: Vec<u8>,
    /// `USER_ID_FOR_SRP`: the name to hash and to answer with, not the one the user typed.
    pub user_id_for_srp: String,
}

impl PasswordVerifierChallenge {
    /// Reads `SALT`, `SRP_B`, `SECRET_BLOCK` and `USER_ID_FOR_SRP`.
    pub fn from_parameters(parameters: &VecMap<String, String>) -> Result<Self, SrpError> {
        let get = |field: &'static str| {
            parameters
                .get(field)
                .map(String::as_str)
                .ok_or(SrpError::MissingParameter { field })
        };
        let salt = parse_hex("SALT", get("SALT")?, MAX_SALT_DIGITS)?;
        let server_public = parse_hex("SRP_B", get("SRP_B")?, MAX_B_DIGITS)?;
        let secret_block = get("SECRET_BLOCK")?.to_owned();
        let secret_block_bytes =
            crate::b64::decode(&secret_block).ok_or(SrpError::InvalidBase64 {
                field: "SECRET_BLOCK",
            })?;
        let user_id_for_srp = get("USER_ID_FOR_SRP")?.to_owned();
        if user_id_for_srp.is_empty() {
            return Err(SrpError::MissingParameter {
                field: "USER_ID_FOR_SRP",
            });
        }
        Ok(PasswordVerifierChallenge {
            salt,
            server_public,
            secret_block,
            secret_block_bytes,
            user_id_for_srp,
        })
    }
}

/// `ChallengeResponses` of a PASSWORD_VERIFIER answer (without `SECRET_HASH`/`DEVICE_KEY`, which
/// the flow adds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordVerifierResponse {
    /// `USERNAME`: the challenge's `USER_ID_FOR_SRP`.
    pub username: String,
    /// `PASSWORD_CLAIM_SECRET_BLOCK`: the challenge's `SECRET_BLOCK`, verbatim.
    pub secret_block: String,
    /// `TIMESTAMP`.
    pub timestamp: String,
    /// `PASSWORD_CLAIM_SIGNATURE`.
    pub signature: String,
}

impl PasswordVerifierResponse {
    /// The `ChallengeResponses` entries.
    pub fn into_parameters(self) -> VecMap<String, String> {
        VecMap::from([
            ("USERNAME".to_owned(), self.username),
            ("PASSWORD_CLAIM_SECRET_BLOCK".to_owned(), self.secret_block),
            ("TIMESTAMP".to_owned(), self.timestamp),
            ("PASSWORD_CLAIM_SIGNATURE".to_owned(), self.signature),
        ])
    }
}

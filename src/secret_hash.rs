//! `SECRET_HASH`, required on every call of an app client that has a secret.

use crate::crypto::hmac_sha256;
use crate::prelude::*;
use crate::secret::SecretString;

/// `base64(HMAC-SHA-256(utf8(clientSecret), utf8(username ‖ clientId)))`.
///
/// `username` is the name the call is about: the typed one on InitiateAuth, SignUp and the like,
/// but `USER_ID_FOR_SRP` on a challenge response.
pub fn secret_hash(client_secret: &SecretString, username: &str, client_id: &str) -> String {
    let mac = hmac_sha256(
        client_secret.expose_secret().as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    );
    crate::b64::encode(&mac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_an_independent_computation() {
        // python3: base64(hmac.new(b"s3cr3t", b"alice" + b"client123", sha256).digest())
        assert_eq!(
            secret_hash(&SecretString::new("s3cr3t"), "alice", "client123"),
            "kOPeHzvKtscBvBM4zlIffwOT074cplXWBq9MCfoDa4k="
        );
    }
}

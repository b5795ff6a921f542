//! The SRP challenge handler: `PasswordVerifierChallenge::from_parameters` over arbitrary
//! `ChallengeParameters`, then `respond_to_password_verifier` with a fixed ephemeral `a`.
//! Input: `SALT \0 SRP_B \0 SECRET_BLOCK \0 USER_ID_FOR_SRP \0 password` (a missing part is a
//! missing parameter).
#![no_main]
use std::sync::OnceLock;

use cognito_wasm::map::VecMap;
use cognito_wasm::secret::{SecretBytes, SecretString};
use cognito_wasm::srp::{respond_to_password_verifier, ClientEphemeral, PasswordVerifierChallenge};
use libfuzzer_sys::fuzz_target;

fn ephemeral() -> &'static ClientEphemeral {
    static A: OnceLock<ClientEphemeral> = OnceLock::new();
    A.get_or_init(|| {
        ClientEphemeral::from_secret(SecretBytes::new((1..=32).collect())).expect("a fixed a")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut parts = text.split('\0');
    let mut parameters = VecMap::new();
    for field in ["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"] {
        if let Some(value) = parts.next() {
            parameters.insert(field.to_owned(), value.to_owned());
        }
    }
    let password = SecretString::from(parts.next().unwrap_or("P@ssw0rd"));
    if let Ok(challenge) = PasswordVerifierChallenge::from_parameters(&parameters) {
        let _ = respond_to_password_verifier(
            "AbCdEfGhI",
            &password,
            ephemeral(),
            &challenge,
            1_700_000_000,
        );
    }
});

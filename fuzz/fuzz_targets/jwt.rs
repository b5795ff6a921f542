//! `jwt::decode_claims_unverified` and the claim readers, then `Session::restore` over the same
//! token: any input is an `Ok` or an `Err`, never a panic.
#![no_main]
use cognito_wasm::jwt::{decode_claims_unverified, numeric_claim, string_claim};
use cognito_wasm::session::Session;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(claims) = decode_claims_unverified(token) {
        let _ = numeric_claim(&claims, "exp");
        let _ = numeric_claim(&claims, "iat");
        let _ = string_claim(&claims, "username");
    }
    // As a session: the same string as both tokens, a drift taken from the input's length.
    let drift = (token.len() as i64).wrapping_mul(0x9e37_79b9_7f4a_7c15u64 as i64);
    let _ = Session::restore(token, token, None, drift);
    let _ = Session::from_tokens(token, token, None, u64::MAX - token.len() as u64);
});

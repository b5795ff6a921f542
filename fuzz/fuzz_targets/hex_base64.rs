//! `srp::hex::parse_hex` (and its inverse `to_hex`), and the base64 decodings (`b64`: `SECRET_BLOCK`,
//! a JWT's payload, WebAuthn), each the same as the `base64` crate's.
#![no_main]
use base64::Engine;
use cognito_wasm::srp::hex::{parse_hex, to_hex, to_signed_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(n) = parse_hex("SRP_B", text, 800) {
        // Round trip: hex(n) parses back to n; bytes(hex(n)) never reads as negative.
        assert_eq!(parse_hex("SRP_B", &to_hex(&n), 2000), Ok(n.clone()));
        assert!(to_signed_bytes(&n).first().is_some_and(|&b| b < 0x80));
    }
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    assert_eq!(cognito_wasm::b64::decode(text), STANDARD.decode(text).ok());
    assert_eq!(cognito_wasm::b64::decode_url(text), URL_SAFE_NO_PAD.decode(text).ok());
});

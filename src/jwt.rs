//! Reading a JWT's claims **without verifying it**: for tokens this client just received from
//! Cognito over TLS. Verification against the pool's keys is a separate concern.

use crate::error::Error;
use crate::json::{Object, Value};
use crate::prelude::*;
use crate::text::{split_ascii, trim_end_ascii};

/// A JWT's decoded payload (of duplicate names the last counts).
pub type Claims = Object;

/// The payload of `header.payload.signature`, base64url (padding tolerated), UTF-8, as a JSON
/// object ([`payload_text`] read). Does not check the signature.
pub fn decode_claims_unverified(token: &str) -> Result<Claims, Error> {
    match crate::json::parse(&payload_text(token)?) {
        Ok(Value::Object(claims)) => Ok(claims),
        _ => Err(not_jwt("payload is not a JSON object")),
    }
}

/// The payload's text (UTF-8), not parsed: for a host's own `JSON.parse` of a token whose claims
/// already decoded ([`decode_claims_unverified`]: a `Session`'s ID token), the JS boundary's
/// `claims` without a serializer.
pub fn payload_text(token: &str) -> Result<String, Error> {
    utf8(&payload(token)?).ok_or_else(|| not_jwt("payload is not UTF-8"))
}

/// `bytes` as text when they are UTF-8 (`String::from_utf8`'s rules: no overlong form, no
/// surrogate, nothing past U+10FFFF), decoded char by char: without core's word-at-a-time
/// validator.
fn utf8(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while let [first, tail @ ..] = rest {
        // The continuation bytes that follow `first`, the least code point they may encode, and
        // `first`'s bits.
        let (follow, least, bits) = match *first {
            0x00..=0x7F => (0, 0, *first),
            0xC2..=0xDF => (1, 0x80, first & 0x1F),
            0xE0..=0xEF => (2, 0x800, first & 0x0F),
            0xF0..=0xF4 => (3, 0x1_0000, first & 0x07),
            _ => return None,
        };
        let mut code = u32::from(bits);
        for &byte in tail.get(..follow)? {
            if byte & 0xC0 != 0x80 {
                return None;
            }
            code = code << 6 | u32::from(byte & 0x3F);
        }
        if code < least {
            return None;
        }
        // `None` for a surrogate or past U+10FFFF.
        out.push(char::from_u32(code)?);
        rest = tail.get(follow..)?;
    }
    Some(out)
}

fn not_jwt(why: &str) -> Error {
    Error::invalid_response(["token is not a JWT: ", why].concat())
}

/// The payload's bytes: the middle of exactly three dot-separated parts, base64url-decoded.
fn payload(token: &str) -> Result<Vec<u8>, Error> {
    let payload = split_ascii(token, b'.', false)
        .and_then(|(_header, rest)| split_ascii(rest, b'.', false))
        .filter(|(_, signature)| split_ascii(signature, b'.', false).is_none())
        .map(|(payload, _)| payload);
    let Some(payload) = payload else {
        return Err(not_jwt("expected three dot-separated parts"));
    };
    crate::b64::decode_url(trim_end_ascii(payload, b'='))
        .ok_or_else(|| not_jwt("payload is not base64url"))
}

/// A numeric date claim (`exp`, `iat`) in whole seconds: the number's integer part
/// ([`crate::json::Number::trunc_i64`], saturating).
pub fn numeric_claim(claims: &Claims, name: &str) -> Option<i64> {
    Some(claims.get(name)?.as_number()?.trunc_i64())
}

/// A string claim.
pub fn string_claim<'a>(claims: &'a Claims, name: &str) -> Option<&'a str> {
    claims.get(name).and_then(Value::as_str)
}

#[cfg(test)]
pub(crate) fn fake_jwt(claims: &serde_json::Value) -> String {
    use base64::Engine;
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.c2ln",
        b64(br#"{"alg":"RS256"}"#),
        b64(claims.to_string().as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use serde_json::json;

    #[test]
    fn payload_text_is_the_decoded_payload() {
        let token = fake_jwt(&json!({"sub": "u1", "x": 1.5}));
        assert_eq!(payload_text(&token).unwrap(), r#"{"sub":"u1","x":1.5}"#);
        let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        assert_eq!(
            payload_text(&format!("e30.{}.c2ln", b64(b"[1]"))).unwrap(),
            "[1]",
            "not parsed: the caller's token decoded already"
        );
        assert!(
            payload_text(&format!("e30.{}.c2ln", b64(b"\xff"))).is_err(),
            "not UTF-8"
        );
        assert!(payload_text("e30.e30").is_err(), "two parts");
    }

    /// Every sequence of one to three bytes, every four-byte sequence that starts with a lead byte
    /// of four or with a lead of two or three then ASCII, and longer texts: as `String::from_utf8`.
    #[test]
    fn utf8_is_string_from_utf8() {
        let same = |bytes: &[u8]| {
            assert_eq!(
                utf8(bytes),
                String::from_utf8(bytes.to_vec()).ok(),
                "{bytes:02x?}"
            )
        };
        same(b"");
        for a in 0..=255u8 {
            same(&[a]);
            for b in 0..=255u8 {
                same(&[a, b]);
                for c in 0..=255u8 {
                    same(&[a, b, c]);
                }
            }
        }
        for a in 0xF0..=0xFFu8 {
            for b in 0x70..=0xC0u8 {
                for c in 0x70..=0xC0u8 {
                    for d in [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF] {
                        same(&[a, b, c, d]);
                    }
                }
            }
        }
        for text in [
            "{\"sub\":\"é\u{1F600}x\"}",
            "\u{10FFFF}\u{FFFF}\u{800}\u{7FF}\u{80}\u{7F}",
        ] {
            same(text.as_bytes());
            let bytes = text.as_bytes();
            for cut in 0..=bytes.len() {
                same(bytes.get(..cut).unwrap());
                same(bytes.get(cut..).unwrap());
            }
        }
    }

    #[test]
    fn decodes_payload() {
        let claims = decode_claims_unverified(&fake_jwt(
            &json!({"sub": "u1", "exp": 1700000000, "x": 1.5}),
        ))
        .unwrap();
        assert_eq!(string_claim(&claims, "sub"), Some("u1"));
        assert_eq!(numeric_claim(&claims, "exp"), Some(1_700_000_000));
        assert_eq!(numeric_claim(&claims, "x"), Some(1));
        assert_eq!(numeric_claim(&claims, "sub"), None);
        let claims = decode_claims_unverified(&fake_jwt(
            &json!({"exp": 1e3, "big": 1e300, "neg": -5, "dup": 1, "s": "x\u{1F600}"}),
        ))
        .unwrap();
        assert_eq!(numeric_claim(&claims, "exp"), Some(1000));
        assert_eq!(numeric_claim(&claims, "big"), Some(i64::MAX), "saturates");
        assert_eq!(numeric_claim(&claims, "neg"), Some(-5));
        assert_eq!(string_claim(&claims, "s"), Some("x\u{1F600}"));
        // Of duplicate names the last counts, as JSON.parse.
        let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
        let dup = format!("e30.{}.c2ln", b64(br#"{"exp":1,"exp":2}"#));
        let claims = decode_claims_unverified(&dup).unwrap();
        assert_eq!(numeric_claim(&claims, "exp"), Some(2));
    }

    #[test]
    fn rejects_what_is_not_a_jwt() {
        for bad in [
            "",
            "abc",
            "a.b",
            "a.b.c.d",
            "a.!!!.c",
            "a.WzFd.c", /* [1] */
            "a.bm90IGpzb24.c",
            "a._w.c", /* 0xff: not UTF-8 */
        ] {
            assert!(
                matches!(
                    decode_claims_unverified(bad),
                    Err(Error::InvalidResponse { .. })
                ),
                "{bad:?}"
            );
        }
    }
}

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
    crate::text::utf8(&payload(token)?).ok_or_else(|| not_jwt("payload is not UTF-8"))
}

fn not_jwt(why: &str) -> Error {
    Error::invalid_response(["token is not a JWT: ", why].cat())
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

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
    let payload = payload(token)?;
    #[cfg(all(feature = "host-json", target_arch = "wasm32"))]
    let text = HOST_TEXT
        .get()
        .map_or(Err(PartError::NotBase64url), |decode| decode(payload));
    #[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
    let text = part_text(payload);
    text.map_err(|e| {
        not_jwt(match e {
            PartError::NotBase64url => "payload is not base64url",
            PartError::NotUtf8 => "payload is not UTF-8",
        })
    })
}

/// Why a JWT part is not base64url-encoded UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartError {
    /// Not base64url without padding ([`crate::b64::decode_url`] refuses it).
    NotBase64url,
    /// Its bytes are not UTF-8.
    NotUtf8,
}

/// The text of a JWT part: base64url without padding ([`crate::b64::decode_url`]), UTF-8
/// ([`crate::text::utf8`], a byte-order mark kept).
#[cfg_attr(all(feature = "host-json", target_arch = "wasm32"), allow(dead_code))]
pub fn part_text(part: &str) -> Result<String, PartError> {
    let bytes = crate::b64::decode_url(part).ok_or(PartError::NotBase64url)?;
    crate::text::utf8(&bytes).ok_or(PartError::NotUtf8)
}

/// A decoder of a JWT part that stands in for [`part_text`]: the host's `atob` and `TextDecoder`
/// (`src/js/host_json.rs`). It answers as [`part_text`] does for every input.
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
pub type HostText = fn(&str) -> Result<String, PartError>;

#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
static HOST_TEXT: crate::local::Local<core::cell::Cell<Option<HostText>>> =
    crate::local::Local::new(core::cell::Cell::new(None));

/// Makes [`payload_text`] decode with `decoder` (built with the `host-json` feature on wasm32,
/// where [`part_text`] is then not on that path: until one is registered, every payload is
/// [`PartError::NotBase64url`]).
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
pub fn set_host_text(decoder: HostText) {
    HOST_TEXT.set(Some(decoder));
}

fn not_jwt(why: &str) -> Error {
    Error::invalid_response(["token is not a JWT: ", why].cat())
}

/// The payload part: the middle of exactly three dot-separated parts, its trailing `=` dropped.
fn payload(token: &str) -> Result<&str, Error> {
    let payload = split_ascii(token, b'.', false)
        .and_then(|(_header, rest)| split_ascii(rest, b'.', false))
        .filter(|(_, signature)| split_ascii(signature, b'.', false).is_none())
        .map(|(payload, _)| payload);
    match payload {
        Some(payload) => Ok(trim_end_ascii(payload, b'=')),
        None => Err(not_jwt("expected three dot-separated parts")),
    }
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
    fn part_text_cases_shared_with_the_hosts_decoder() {
        // The same cases as tests/js/host-json.test.mjs's for `text` (the host-json builds').
        assert_eq!(part_text("e30"), Ok("{}".into()));
        assert_eq!(part_text(""), Ok(String::new()));
        assert_eq!(
            part_text("77u_e30"),
            Ok("\u{FEFF}{}".into()),
            "a byte-order mark kept"
        );
        assert_eq!(part_text("_w"), Err(PartError::NotUtf8));
        assert_eq!(part_text("7aCA"), Err(PartError::NotUtf8), "a surrogate");
        for refused in [
            "e3 0", "e30=", "e3=0", "e31", "e+8", "e/8", "a", "abcde", "é30", "e30\n",
        ] {
            assert_eq!(
                part_text(refused),
                Err(PartError::NotBase64url),
                "{refused:?}"
            );
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

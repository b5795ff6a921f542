//! A JWT taken apart **before** its signature is checked: nothing in an [`UnverifiedToken`] may
//! be trusted until the signature over [`UnverifiedToken::signing_input`] verifies.

use super::error::VerifyError;
use crate::json::{Object, Value};
use crate::jwt::Claims;
use crate::prelude::*;

/// Longer tokens are refused unparsed (Cognito's are under 4 KB).
const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The JOSE header fields the verifier reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub alg: Option<String>,
    pub kid: Option<String>,
    /// Whether the header lists `crit` extensions (none are understood, so it is refused).
    pub has_crit: bool,
}

/// `header.payload.signature`, decoded but not verified.
#[derive(Debug, Clone, PartialEq)]
pub struct UnverifiedToken<'a> {
    pub header: Header,
    pub claims: Claims,
    /// The payload's JSON text, as sent (what `claims` was read from).
    pub payload_json: String,
    /// `header.payload` as sent: the bytes the signature covers.
    pub signing_input: &'a str,
    pub signature: Vec<u8>,
}

fn b64(part: &str, what: &'static str) -> Result<Vec<u8>, VerifyError> {
    crate::b64::decode_url(part).ok_or(VerifyError::Malformed(what))
}

fn json_object(bytes: &[u8], what: &'static str) -> Result<Object, VerifyError> {
    match crate::json::parse_bytes(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(VerifyError::Malformed(what)),
    }
}

impl<'a> UnverifiedToken<'a> {
    /// Splits and decodes; fails with [`VerifyError::Malformed`] naming the bad part.
    pub fn parse(token: &'a str) -> Result<Self, VerifyError> {
        if token.len() > MAX_TOKEN_LEN {
            return Err(VerifyError::Malformed("token is too long"));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(VerifyError::Malformed("expected three dot-separated parts"));
        };
        let header_json = json_object(&b64(header, "header")?, "header")?;
        let text = |key: &str| {
            header_json
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let payload_bytes = b64(payload, "payload")?;
        let claims = json_object(&payload_bytes, "payload")?;
        // JSON that parsed is UTF-8; checked all the same rather than assumed.
        let payload_json =
            String::from_utf8(payload_bytes).map_err(|_| VerifyError::Malformed("payload"))?;
        Ok(UnverifiedToken {
            header: Header {
                alg: text("alg"),
                kid: text("kid"),
                has_crit: header_json.get("crit").is_some(),
            },
            claims,
            payload_json,
            signing_input: token
                .get(..header.len() + 1 + payload.len())
                .unwrap_or_default(),
            signature: b64(signature, "signature")?,
        })
    }
}

/// `alg` must be exactly `RS256` (never `none`, `HS256`, `RS512`, …), no `crit`, and a `kid`;
/// returns the `kid`.
pub fn check_header(header: &Header) -> Result<&str, VerifyError> {
    if header.alg.as_deref() != Some("RS256") {
        return Err(VerifyError::Algorithm);
    }
    if header.has_crit {
        return Err(VerifyError::Malformed("header has crit extensions"));
    }
    header.kid.as_deref().ok_or(VerifyError::UnknownKid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn enc(text: &str) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
    }

    fn token(header: &str, payload: &str) -> String {
        format!("{}.{}.{}", enc(header), enc(payload), enc("sig"))
    }

    #[test]
    fn parses_the_three_parts() {
        let t = token(r#"{"alg":"RS256","kid":"k1"}"#, r#"{"sub":"u"}"#);
        let parsed = UnverifiedToken::parse(&t).unwrap();
        assert_eq!(parsed.header.kid.as_deref(), Some("k1"));
        assert_eq!(parsed.claims.get("sub").and_then(Value::as_str), Some("u"));
        assert_eq!(parsed.payload_json, r#"{"sub":"u"}"#);
        assert_eq!(parsed.signature, b"sig");
        assert_eq!(
            parsed.signing_input,
            &t[..t.rfind('.').unwrap()],
            "signing input is header.payload"
        );
        assert_eq!(check_header(&parsed.header), Ok("k1"));
    }

    #[test]
    fn refuses_malformed_tokens_naming_the_part() {
        let good = enc(r#"{"alg":"RS256"}"#);
        let cases = [
            (String::new(), "expected three dot-separated parts"),
            ("a.b".into(), "expected three dot-separated parts"),
            ("a.b.c.d".into(), "expected three dot-separated parts"),
            (format!("!.{good}.c2ln"), "header"),
            (format!("{}.{good}.c2ln", enc("[1]")), "header"),
            (format!("{good}.{}.c2ln", enc("nope")), "payload"),
            (format!("{good}.{good}.c2ln="), "signature"),
            (
                format!("{good}.{good}.{}", "A".repeat(MAX_TOKEN_LEN)),
                "token is too long",
            ),
        ];
        for (bad, why) in cases {
            assert_eq!(
                UnverifiedToken::parse(&bad),
                Err(VerifyError::Malformed(why)),
                "{bad:.40}"
            );
        }
    }

    #[test]
    fn only_rs256_with_a_kid_passes_the_header_check() {
        let header = |alg: Option<&str>, kid: Option<&str>, has_crit| Header {
            alg: alg.map(Into::into),
            kid: kid.map(Into::into),
            has_crit,
        };
        for alg in [
            None,
            Some("none"),
            Some("HS256"),
            Some("RS512"),
            Some("rs256"),
        ] {
            assert_eq!(
                check_header(&header(alg, Some("k"), false)),
                Err(VerifyError::Algorithm)
            );
        }
        assert_eq!(
            check_header(&header(Some("RS256"), None, false)),
            Err(VerifyError::UnknownKid)
        );
        assert!(matches!(
            check_header(&header(Some("RS256"), Some("k"), true)),
            Err(VerifyError::Malformed(_))
        ));
    }
}

//! The pool's signing keys: reading a JWKS document, and the cache deciding when to fetch it.
//!
//! [`KeyCache::lookup`] with time passed in:
//! - the kid is cached and the keys are younger than `ttl_ms` → use it;
//! - a fetch failed less than `penalty_ms` ago → use the cached (stale) key if there is one,
//!   else unavailable; no fetch during the penalty, so an outage does not become a storm;
//! - the kid is unknown and a fetch made for an unknown kid did not bring it less than
//!   `penalty_ms` ago → unknown, no fetch;
//! - otherwise → fetch, then [`KeyCache::lookup_after_fetch`] gives the verdict. So unknown
//!   kids cost at most one fetch per `penalty_ms`.

use crate::map::VecMap;
use crate::prelude::*;

use super::error::VerifyError;
use crate::json::Value;

/// An RSA signing key of the JWKS (base64url modulus and exponent, as WebCrypto imports them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    pub kid: String,
    pub n: String,
    pub e: String,
}

/// The members of a JWKS key that are read, in this order.
const KEY_FIELDS: [&str; 6] = ["kty", "alg", "use", "kid", "n", "e"];

/// The RSA keys of a JWKS document usable for RS256 (`kty: RSA`, `alg` absent or `RS256`,
/// `use` absent or `sig`, with `kid`, `n` and `e`, and `is_strong_rsa`); other keys are skipped. A document that is not
/// `{"keys": [...]}` is [`VerifyError::JwksUnavailable`]: not JSON, `keys` missing, repeated or not
/// an array, a key not an object, one of `KEY_FIELDS` repeated or neither a string nor `null`, or
/// over [`crate::json::MAX_INPUT_BYTES`].
pub fn parse_jwks(json: &str) -> Result<Vec<Jwk>, VerifyError> {
    let not_jwks = || VerifyError::JwksUnavailable("the JWKS is not {\"keys\": [...]}".into());
    let document = match crate::json::parse(json) {
        Ok(Value::Object(document)) => document,
        _ => return Err(not_jwks()),
    };
    let mut keys = None;
    for (name, value) in document.iter() {
        if name == "keys" {
            match (keys, value) {
                (None, Value::Array(list)) => keys = Some(list),
                _ => return Err(not_jwks()),
            }
        }
    }
    let mut usable = Vec::new();
    for key in keys.ok_or_else(not_jwks)? {
        let Value::Object(key) = key else {
            return Err(not_jwks());
        };
        let mut fields: [Option<&str>; 6] = [None; 6];
        let mut seen = [false; 6];
        for (name, value) in key.iter() {
            let Some(i) = KEY_FIELDS.iter().position(|f| *f == name) else {
                continue;
            };
            let (Some(seen), Some(field)) = (seen.get_mut(i), fields.get_mut(i)) else {
                continue;
            };
            if core::mem::replace(seen, true) {
                return Err(not_jwks());
            }
            *field = match value {
                Value::Null => None,
                Value::String(text) => Some(text),
                _ => return Err(not_jwks()),
            };
        }
        let [kty, alg, use_, kid, n, e] = fields;
        if kty != Some("RSA")
            || !matches!(alg, None | Some("RS256"))
            || !matches!(use_, None | Some("sig"))
        {
            continue;
        }
        if let (Some(kid), Some(n), Some(e)) = (kid, n, e) {
            if is_strong_rsa(n, e) {
                usable.push(Jwk {
                    kid: kid.to_owned(),
                    n: n.to_owned(),
                    e: e.to_owned(),
                });
            }
        }
    }
    Ok(usable)
}

/// Whether base64url `n` and `e` make a key Cognito would sign with: a modulus of at least
/// [`MIN_MODULUS_BITS`] bits (leading zero bytes not counted) and `e = 65537`. WebCrypto in
/// Node accepts 512-bit keys and `e = 1`, with which anyone can "sign" (`s = m`).
pub fn is_strong_rsa(n: &str, e: &str) -> bool {
    let unpadded = |b64: &str| -> Option<Vec<u8>> {
        let bytes = crate::b64::decode_url(b64)?;
        let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        Some(bytes.get(first..).unwrap_or_default().to_vec())
    };
    let (Some(n), Some(e)) = (unpadded(n), unpadded(e)) else {
        return false;
    };
    let bits = n.first().map_or(0, |&top| {
        (n.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
    });
    bits >= MIN_MODULUS_BITS && e == [1, 0, 1]
}

/// The smallest RSA modulus accepted (Cognito's keys are 2048-bit).
pub const MIN_MODULUS_BITS: usize = 2048;

/// How long keys are trusted and how long fetching pauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwksPolicy {
    /// Keys are refetched when older than this (default 1 h).
    pub ttl_ms: u64,
    /// No fetch for this long after a failed fetch, nor after a fetch that did not bring the kid
    /// asked for (default 10 s).
    pub penalty_ms: u64,
}

impl Default for JwksPolicy {
    fn default() -> Self {
        JwksPolicy {
            ttl_ms: 3_600_000,
            penalty_ms: 10_000,
        }
    }
}

/// What to do about a `kid`.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyLookup<'a, K> {
    Found(&'a K),
    /// Fetch the JWKS, record the outcome, then call [`KeyCache::lookup_after_fetch`].
    Fetch,
    Unknown,
    Unavailable,
}

/// Keys by `kid` (`K`: the imported key) and the fetch history.
#[derive(Debug)]
pub struct KeyCache<K> {
    keys: VecMap<String, K>,
    policy: JwksPolicy,
    fetched_at_ms: Option<u64>,
    failed_at_ms: Option<u64>,
    /// When a fetch last ended without the kid it was made for.
    missed_at_ms: Option<u64>,
}

impl<K> KeyCache<K> {
    pub fn new(policy: JwksPolicy) -> Self {
        KeyCache {
            keys: VecMap::new(),
            policy,
            fetched_at_ms: None,
            failed_at_ms: None,
            missed_at_ms: None,
        }
    }

    fn within(since: Option<u64>, now_ms: u64, window_ms: u64) -> bool {
        since.is_some_and(|t| now_ms < t.saturating_add(window_ms))
    }

    /// The decision for `kid` at `now_ms` (see the module doc).
    pub fn lookup(&self, kid: &str, now_ms: u64) -> KeyLookup<'_, K> {
        let fresh = Self::within(self.fetched_at_ms, now_ms, self.policy.ttl_ms);
        let penalized = Self::within(self.failed_at_ms, now_ms, self.policy.penalty_ms);
        let missed = Self::within(self.missed_at_ms, now_ms, self.policy.penalty_ms);
        match self.keys.get(kid) {
            Some(key) if fresh || penalized => KeyLookup::Found(key),
            Some(_) => KeyLookup::Fetch,
            None if penalized => KeyLookup::Unavailable,
            None if missed => KeyLookup::Unknown,
            None => KeyLookup::Fetch,
        }
    }

    /// The verdict right after a fetch was recorded: never asks for another fetch. A kid still
    /// unknown starts the penalty for unknown kids.
    pub fn lookup_after_fetch(&mut self, kid: &str, now_ms: u64) -> KeyLookup<'_, K> {
        if self.last_fetch_failed() {
            return self
                .keys
                .get(kid)
                .map_or(KeyLookup::Unavailable, KeyLookup::Found);
        }
        if !self.keys.contains_key(kid) {
            self.missed_at_ms = Some(now_ms);
        }
        self.keys
            .get(kid)
            .map_or(KeyLookup::Unknown, KeyLookup::Found)
    }

    fn last_fetch_failed(&self) -> bool {
        match (self.failed_at_ms, self.fetched_at_ms) {
            (Some(failed), Some(fetched)) => failed >= fetched,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// A fetch brought `keys` (they replace the old ones).
    pub fn fetch_succeeded(&mut self, keys: VecMap<String, K>, now_ms: u64) {
        self.keys = keys;
        self.fetched_at_ms = Some(now_ms);
        self.failed_at_ms = None;
    }

    /// A fetch failed: the penalty starts; cached keys are kept.
    pub fn fetch_failed(&mut self, now_ms: u64) {
        self.failed_at_ms = Some(now_ms);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JWKS: &str = r#"{"keys": [
        {"kty": "RSA", "alg": "RS256", "use": "sig", "kid": "a", "n": "N", "e": "AQAB"},
        {"kty": "RSA", "kid": "b", "n": "N", "e": "AQAB"},
        {"kty": "RSA", "alg": "RS512", "kid": "c", "n": "N", "e": "AQAB"},
        {"kty": "RSA", "use": "enc", "kid": "d", "n": "N", "e": "AQAB"},
        {"kty": "EC", "kid": "e", "crv": "P-256", "x": "x", "y": "y"},
        {"kty": "RSA", "n": "N", "e": "AQAB"}
    ]}"#;

    #[test]
    fn keeps_only_rs256_signing_keys() {
        let jwks = JWKS.replace("\"N\"", &format!("{:?}", modulus(2048)));
        let kids: Vec<String> = parse_jwks(&jwks)
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect();
        assert_eq!(kids, ["a", "b"]);
        let key = r#"{"kty": "RSA", "kid": "a", "n": "N", "e": "AQAB"}"#;
        let refused = [
            r#"{"keys": [1]}"#.to_owned(),
            format!(r#"{{"keys": [{key}], "keys": [{key}]}}"#),
            r#"{"keys": [{"kty": "RSA", "kid": 5}]}"#.to_owned(),
            r#"{"keys": [{"kty": "RSA", "kid": "a", "kid": "b"}]}"#.to_owned(),
            format!(r#"{{"keys": [{key}]}} x"#),
        ];
        for bad in
            refused
                .iter()
                .map(String::as_str)
                .chain(["", "[]", "{}", r#"{"keys": 1}"#, "<html>"])
        {
            assert!(
                matches!(parse_jwks(bad), Err(VerifyError::JwksUnavailable(_))),
                "{bad}"
            );
        }
    }

    /// `bits` bits with the top one set, as base64url.
    fn modulus(bits: usize) -> String {
        use base64::Engine;
        let mut bytes = vec![0xa5u8; bits.div_ceil(8)];
        bytes[0] = 0x80 >> ((8 - bits % 8) % 8);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    fn kids_of(keys: &[(&str, String, &str)]) -> Vec<String> {
        let json = serde_json::json!({"keys": keys.iter().map(|(kid, n, e)|
            serde_json::json!({"kty": "RSA", "kid": kid, "n": n, "e": e})).collect::<Vec<_>>()});
        parse_jwks(&json.to_string())
            .unwrap()
            .into_iter()
            .map(|k| k.kid)
            .collect()
    }

    #[test]
    fn a_modulus_under_2048_bits_is_skipped() {
        assert_eq!(
            kids_of(&[("rsa512", modulus(512), "AQAB")]),
            Vec::<String>::new()
        );
        assert_eq!(
            kids_of(&[("rsa2047", modulus(2047), "AQAB")]),
            Vec::<String>::new()
        );
        // Leading zero bytes do not count.
        let padded = {
            use base64::Engine;
            let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
            let mut bytes = vec![0, 0];
            bytes.extend(engine.decode(modulus(1024)).unwrap());
            engine.encode(bytes)
        };
        assert_eq!(
            kids_of(&[("padded1024", padded, "AQAB")]),
            Vec::<String>::new()
        );
        assert_eq!(kids_of(&[("rsa2048", modulus(2048), "AQAB")]), ["rsa2048"]);
        assert_eq!(kids_of(&[("rsa4096", modulus(4096), "AQAB")]), ["rsa4096"]);
        assert_eq!(
            kids_of(&[("not-base64", "n*n".into(), "AQAB")]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_exponent_other_than_65537_is_skipped() {
        let n = modulus(2048);
        for e in ["AQ", "Aw", "AQAA", "AAEAAQ", "", "AQAB="] {
            let expected: Vec<String> = if e == "AAEAAQ" {
                vec!["k".into()] // 65537 with a leading zero byte
            } else {
                vec![]
            };
            assert_eq!(kids_of(&[("k", n.clone(), e)]), expected, "e = {e}");
        }
        assert_eq!(kids_of(&[("k", n, "AQAB")]), ["k"]);
    }

    fn keys(kids: &[&str]) -> VecMap<String, String> {
        kids.iter()
            .map(|k| (k.to_string(), format!("key {k}")))
            .collect()
    }

    const POLICY: JwksPolicy = JwksPolicy {
        ttl_ms: 1_000,
        penalty_ms: 100,
    };

    #[test]
    fn fetches_first_then_serves_from_cache_until_the_ttl() {
        let mut cache = KeyCache::new(POLICY);
        assert_eq!(cache.lookup("a", 0), KeyLookup::Fetch);
        cache.fetch_succeeded(keys(&["a"]), 0);
        assert_eq!(
            cache.lookup_after_fetch("a", 0),
            KeyLookup::Found(&"key a".into())
        );
        assert_eq!(cache.lookup("a", 999), KeyLookup::Found(&"key a".into()));
        assert_eq!(cache.lookup("a", 1_000), KeyLookup::Fetch);
    }

    #[test]
    fn an_unknown_kid_costs_one_fetch_per_penalty_window() {
        let mut cache = KeyCache::new(POLICY);
        cache.fetch_succeeded(keys(&["a"]), 0);
        // Right after a fetch for another kid, an unknown kid still gets its one refetch.
        assert_eq!(cache.lookup("x", 10), KeyLookup::Fetch);
        cache.fetch_succeeded(keys(&["a"]), 10);
        assert_eq!(cache.lookup_after_fetch("x", 10), KeyLookup::Unknown);
        // Then no fetch for any unknown kid during the penalty, while known kids still pass.
        assert_eq!(cache.lookup("x", 109), KeyLookup::Unknown);
        assert_eq!(cache.lookup("y", 109), KeyLookup::Unknown);
        assert_eq!(cache.lookup("a", 109), KeyLookup::Found(&"key a".into()));
        // After it, a rotated-in key is found by its refetch.
        assert_eq!(cache.lookup("b", 110), KeyLookup::Fetch);
        cache.fetch_succeeded(keys(&["a", "b"]), 110);
        assert_eq!(
            cache.lookup_after_fetch("b", 110),
            KeyLookup::Found(&"key b".into())
        );
    }

    #[test]
    fn a_failed_fetch_pauses_fetching_and_keeps_stale_keys() {
        let mut cache: KeyCache<String> = KeyCache::new(POLICY);
        cache.fetch_failed(0);
        assert_eq!(cache.lookup_after_fetch("a", 0), KeyLookup::Unavailable);
        assert_eq!(cache.lookup("a", 99), KeyLookup::Unavailable);
        assert_eq!(cache.lookup("a", 100), KeyLookup::Fetch);
        cache.fetch_succeeded(keys(&["a"]), 100);
        // The TTL passes during an outage: the stale key still serves during the penalty.
        assert_eq!(cache.lookup("a", 1_100), KeyLookup::Fetch);
        cache.fetch_failed(1_100);
        assert_eq!(
            cache.lookup_after_fetch("a", 1_100),
            KeyLookup::Found(&"key a".into())
        );
        assert_eq!(cache.lookup("a", 1_150), KeyLookup::Found(&"key a".into()));
        assert_eq!(cache.lookup("x", 1_150), KeyLookup::Unavailable);
        assert_eq!(cache.lookup("a", 1_200), KeyLookup::Fetch);
    }
}

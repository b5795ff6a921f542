//! A signed-in user's tokens, and when they stop being usable by this machine's clock.

use crate::error::Error;
use crate::jwt::{decode_claims_unverified, numeric_claim, string_claim, Claims};
use crate::prelude::*;
use crate::secret::SecretString;
use crate::wire::AuthenticationResult;

/// `seconds · 1000`, saturating at the bounds of `i64` (as `i64::saturating_mul`, without the
/// 128-bit product wasm32 computes that with).
pub fn seconds_to_ms(seconds: i64) -> i64 {
    match seconds {
        s if s > i64::MAX / 1000 => i64::MAX,
        s if s < i64::MIN / 1000 => i64::MIN,
        s => s * 1000,
    }
}

/// How [`Session::of`] has the clock drift: known (stored with the tokens), or measured from
/// the tokens' `iat` at this time in ms (freshly issued tokens).
enum Drift {
    Known(i64),
    MeasuredAt(u64),
}

/// The tokens of one signed-in user.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// The user's username (`username` of the access token), the name refresh and `SECRET_HASH`
    /// use.
    pub username: String,
    pub id_token: SecretString,
    pub access_token: SecretString,
    pub refresh_token: Option<SecretString>,
    /// When the earlier of the two tokens expires, in ms by this machine's clock:
    /// `min(exp) · 1000 + clock_drift_ms`.
    pub expires_at_ms: u64,
    /// This machine's clock minus Cognito's, in ms, taken from the tokens' `iat` when they
    /// arrived: `now_ms − min(iat) · 1000`.
    pub clock_drift_ms: i64,
}

impl Session {
    /// A session from freshly issued tokens at `now_ms`.
    pub fn from_tokens(
        id_token: &str,
        access_token: &str,
        refresh_token: Option<SecretString>,
        now_ms: u64,
    ) -> Result<Session, Error> {
        Self::of(
            id_token,
            access_token,
            refresh_token,
            Drift::MeasuredAt(now_ms),
        )
    }

    /// A session from stored tokens and the drift measured when they were issued.
    pub fn restore(
        id_token: &str,
        access_token: &str,
        refresh_token: Option<SecretString>,
        clock_drift_ms: i64,
    ) -> Result<Session, Error> {
        Self::of(
            id_token,
            access_token,
            refresh_token,
            Drift::Known(clock_drift_ms),
        )
    }

    /// The session of the two tokens, each decoded once: its expiry from their `exp`, its
    /// username from the access token's `username` (else the ID token's `cognito:username`).
    fn of(
        id_token: &str,
        access_token: &str,
        refresh_token: Option<SecretString>,
        drift: Drift,
    ) -> Result<Session, Error> {
        let id_claims = decode_claims_unverified(id_token)?;
        let access_claims = decode_claims_unverified(access_token)?;
        let clock_drift_ms = match drift {
            Drift::Known(ms) => ms,
            // As amazon-cognito-identity-js: the earlier of the two tokens' `iat`.
            Drift::MeasuredAt(now_ms) => {
                let iat = |claims: &Claims| numeric_claim(claims, "iat");
                match (iat(&id_claims), iat(&access_claims)) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
                .map_or(0, |iat| (now_ms as i64).saturating_sub(seconds_to_ms(iat)))
            }
        };
        let exp = |claims: &Claims, missing: &'static str| {
            numeric_claim(claims, "exp").ok_or_else(|| Error::invalid_response(missing))
        };
        let exp_ms = seconds_to_ms(
            exp(&id_claims, "ID token has no exp")?
                .min(exp(&access_claims, "access token has no exp")?),
        );
        let username = string_claim(&access_claims, "username")
            .or_else(|| string_claim(&id_claims, "cognito:username"))
            .ok_or_else(|| Error::invalid_response("tokens name no username"))?
            .to_owned();
        Ok(Session {
            username,
            id_token: id_token.into(),
            access_token: access_token.into(),
            refresh_token,
            expires_at_ms: exp_ms.saturating_add(clock_drift_ms).max(0) as u64,
            clock_drift_ms,
        })
    }

    /// A session from an AuthenticationResult; `previous_refresh` is kept when the answer carries
    /// none (REFRESH_TOKEN_AUTH does not rotate it).
    pub fn from_result(
        result: &AuthenticationResult,
        previous_refresh: Option<SecretString>,
        now_ms: u64,
    ) -> Result<Session, Error> {
        let id_token = result
            .id_token
            .as_deref()
            .ok_or_else(|| Error::invalid_response("AuthenticationResult has no IdToken"))?;
        let refresh = result
            .refresh_token
            .as_deref()
            .map(SecretString::from)
            .or(previous_refresh);
        Self::from_tokens(id_token, &result.access_token, refresh, now_ms)
    }

    /// Whether the tokens are still usable for `margin_ms` more at `now_ms`.
    pub fn is_valid_at(&self, now_ms: u64, margin_ms: u64) -> bool {
        now_ms.saturating_add(margin_ms) < self.expires_at_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::fake_jwt;
    use serde_json::json;

    #[test]
    fn drift_and_expiry() {
        // The machine's clock is 30 s ahead of Cognito's.
        let id = fake_jwt(
            &json!({"exp": 2_000, "iat": 1_000, "cognito:username": "alice", "email": "a@x"}),
        );
        let access = fake_jwt(&json!({"exp": 1_900, "iat": 1_000, "username": "alice-id"}));
        let session = Session::from_tokens(&id, &access, None, 1_030_000).unwrap();
        assert_eq!(session.clock_drift_ms, 30_000);
        assert_eq!(session.expires_at_ms, 1_930_000);
        assert_eq!(session.username, "alice-id");
        assert!(session.is_valid_at(1_900_000, 29_000));
        assert!(!session.is_valid_at(1_900_000, 30_000));
        let id_claims = decode_claims_unverified(session.id_token.expose_secret()).unwrap();
        assert_eq!(string_claim(&id_claims, "email"), Some("a@x"));
        assert!(!format!("{session:?}").contains(&access));
    }

    #[test]
    fn seconds_to_ms_saturates_as_saturating_mul() {
        for s in [
            0,
            1,
            -1,
            1_700_000_000,
            i64::MAX / 1000,
            i64::MAX / 1000 + 1,
            i64::MIN / 1000,
            i64::MIN / 1000 - 1,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(seconds_to_ms(s), s.saturating_mul(1000), "{s}");
        }
    }

    #[test]
    fn tokens_without_exp_or_username_are_refused() {
        let no_exp = fake_jwt(&json!({"username": "a"}));
        let ok = fake_jwt(&json!({"username": "a", "exp": 5}));
        assert!(Session::restore(&no_exp, &ok, None, 0).is_err());
        let anonymous = fake_jwt(&json!({"exp": 5}));
        assert!(Session::restore(&anonymous, &anonymous, None, 0).is_err());
        assert!(Session::restore(&ok, &ok, None, 0).is_ok());
    }
}

//! The claim checks, each a function failing with the [`VerifyError`] that names it. Run them
//! only on a token whose signature verified.

use super::error::VerifyError;
use super::options::{TokenUse, VerifyOptions};
use crate::json::{Number, Value};
use crate::jwt::Claims;
use crate::prelude::*;

/// Every claim check, in this order: issuer, token use, audience or client id, times, groups,
/// scopes.
pub fn check_claims(
    claims: &Claims,
    options: &VerifyOptions,
    now_ms: u64,
) -> Result<(), VerifyError> {
    check_issuer(claims, &options.issuer)?;
    check_token_use(claims, options.token_use)?;
    check_audience(claims, options.token_use, &options.client_ids)?;
    check_times(claims, now_ms, options.leeway_s)?;
    check_groups(claims, &options.groups)?;
    check_scopes(claims, &options.scopes)
}

/// `iss == issuer`, exactly.
pub fn check_issuer(claims: &Claims, issuer: &str) -> Result<(), VerifyError> {
    match claims.get("iss") {
        Some(Value::String(iss)) if iss == issuer => Ok(()),
        _ => Err(VerifyError::Issuer),
    }
}

/// `token_use == expected` (`"id"` or `"access"`).
pub fn check_token_use(claims: &Claims, expected: TokenUse) -> Result<(), VerifyError> {
    match claims.get("token_use") {
        Some(Value::String(used)) if used == expected.as_str() => Ok(()),
        _ => Err(VerifyError::TokenUse { expected }),
    }
}

/// ID token: `aud` (a string, or an array of strings) names an allowed client. Access token:
/// `client_id` is an allowed client.
pub fn check_audience(
    claims: &Claims,
    token_use: TokenUse,
    client_ids: &[String],
) -> Result<(), VerifyError> {
    let allowed = |v: &Value| {
        v.as_str()
            .is_some_and(|id| client_ids.iter().any(|c| c == id))
    };
    match token_use {
        TokenUse::Id => match claims.get("aud") {
            Some(Value::Array(auds)) if auds.iter().any(allowed) => Ok(()),
            Some(aud) if allowed(aud) => Ok(()),
            _ => Err(VerifyError::Audience),
        },
        TokenUse::Access => match claims.get("client_id") {
            Some(id) if allowed(id) => Ok(()),
            _ => Err(VerifyError::ClientId),
        },
    }
}

/// With `now = now_ms / 1000` and `leeway` in seconds: `exp` must be present and
/// `now < exp + leeway`; when present, `nbf ≤ now + leeway` and `iat ≤ now + leeway`.
/// A present but non-numeric time claim is [`VerifyError::Malformed`].
pub fn check_times(claims: &Claims, now_ms: u64, leeway_s: u32) -> Result<(), VerifyError> {
    let now = now_ms as f64 / 1000.0;
    let leeway = f64::from(leeway_s);
    let time = |name: &'static str| match claims.get(name) {
        None => Ok(None),
        Some(value) => value
            .as_number()
            .and_then(Number::as_f64)
            .map(Some)
            .ok_or(VerifyError::Malformed(name)),
    };
    let exp = time("exp")?.ok_or(VerifyError::MissingExp)?;
    if now >= exp + leeway {
        return Err(VerifyError::Expired);
    }
    if time("nbf")?.is_some_and(|nbf| nbf > now + leeway) {
        return Err(VerifyError::NotYetValid);
    }
    if time("iat")?.is_some_and(|iat| iat > now + leeway) {
        return Err(VerifyError::IssuedInFuture);
    }
    Ok(())
}

/// When `required` is non-empty, `cognito:groups` holds at least one of them.
pub fn check_groups(claims: &Claims, required: &[String]) -> Result<(), VerifyError> {
    if required.is_empty() {
        return Ok(());
    }
    let held = match claims.get("cognito:groups") {
        Some(Value::Array(groups)) => groups.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if required.iter().any(|g| held.contains(&g.as_str())) {
        Ok(())
    } else {
        Err(VerifyError::MissingGroup)
    }
}

/// When `required` is non-empty, the space-separated `scope` holds at least one of them.
pub fn check_scopes(claims: &Claims, required: &[String]) -> Result<(), VerifyError> {
    if required.is_empty() {
        return Ok(());
    }
    let held: Vec<&str> = claims
        .get("scope")
        .and_then(Value::as_str)
        .map(|s| s.split(' ').collect())
        .unwrap_or_default();
    if required.iter().any(|s| held.contains(&s.as_str())) {
        Ok(())
    } else {
        Err(VerifyError::MissingScope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_P";
    const NOW_MS: u64 = 1_700_000_000_000;

    fn claims(value: Value) -> Claims {
        match crate::json::parse(&value.to_string()) {
            Ok(crate::json::Value::Object(object)) => object,
            _ => Claims::default(),
        }
    }

    fn access() -> Value {
        json!({"iss": ISS, "token_use": "access", "client_id": "c1", "exp": 1_700_000_060,
               "iat": 1_700_000_000, "scope": "openid aws.cognito.signin.user.admin",
               "cognito:groups": ["admins", "staff"]})
    }

    fn options(token_use: TokenUse) -> VerifyOptions {
        VerifyOptions {
            issuer: ISS.into(),
            token_use,
            client_ids: vec!["c0".into(), "c1".into()],
            leeway_s: 0,
            groups: vec![],
            scopes: vec![],
        }
    }

    fn with(mut base: Value, key: &str, value: Value) -> Claims {
        if let Some(map) = base.as_object_mut() {
            if value.is_null() {
                map.remove(key);
            } else {
                map.insert(key.into(), value);
            }
        }
        claims(base)
    }

    #[test]
    fn a_good_access_token_passes() {
        assert_eq!(
            check_claims(&claims(access()), &options(TokenUse::Access), NOW_MS),
            Ok(())
        );
    }

    #[test]
    fn each_claim_fails_with_its_own_check() {
        let opts = options(TokenUse::Access);
        let cases = [
            (
                "iss",
                json!("https://evil.example/us-east-1_P"),
                VerifyError::Issuer,
            ),
            ("iss", json!(1), VerifyError::Issuer),
            (
                "token_use",
                json!("id"),
                VerifyError::TokenUse {
                    expected: TokenUse::Access,
                },
            ),
            ("client_id", json!("c9"), VerifyError::ClientId),
            ("client_id", Value::Null, VerifyError::ClientId),
            ("exp", Value::Null, VerifyError::MissingExp),
            ("exp", json!("1700000060"), VerifyError::Malformed("exp")),
            ("exp", json!(1_700_000_000), VerifyError::Expired),
            ("nbf", json!(1_700_000_001), VerifyError::NotYetValid),
            ("iat", json!(1_700_000_001), VerifyError::IssuedInFuture),
        ];
        for (key, value, expected) in cases {
            assert_eq!(
                check_claims(&with(access(), key, value.clone()), &opts, NOW_MS),
                Err(expected),
                "{key} = {value}"
            );
        }
    }

    #[test]
    fn id_tokens_check_aud_as_string_or_array() {
        let id = json!({"iss": ISS, "token_use": "id", "aud": "c1", "exp": 1_700_000_060});
        let opts = options(TokenUse::Id);
        assert_eq!(check_claims(&claims(id.clone()), &opts, NOW_MS), Ok(()));
        let array = with(id.clone(), "aud", json!(["x", "c0"]));
        assert_eq!(check_claims(&array, &opts, NOW_MS), Ok(()));
        for bad in [json!("c9"), json!(["x"]), json!(5), Value::Null] {
            let c = with(id.clone(), "aud", bad);
            assert_eq!(check_claims(&c, &opts, NOW_MS), Err(VerifyError::Audience));
        }
        // An access token is not an ID token, and the reverse.
        assert_eq!(
            check_claims(&claims(access()), &opts, NOW_MS),
            Err(VerifyError::TokenUse {
                expected: TokenUse::Id
            })
        );
        assert_eq!(
            check_claims(&claims(id), &options(TokenUse::Access), NOW_MS),
            Err(VerifyError::TokenUse {
                expected: TokenUse::Access
            })
        );
    }

    #[test]
    fn leeway_widens_every_time_check_by_the_same_seconds() {
        let c = claims(access());
        let exp_ms = 1_700_000_060_000;
        assert_eq!(check_times(&c, exp_ms - 1, 0), Ok(()));
        assert_eq!(check_times(&c, exp_ms, 0), Err(VerifyError::Expired));
        assert_eq!(check_times(&c, exp_ms + 4_999, 5), Ok(()));
        assert_eq!(
            check_times(&c, exp_ms + 5_000, 5),
            Err(VerifyError::Expired)
        );
        let early = with(access(), "nbf", json!(1_700_000_010));
        assert_eq!(
            check_times(&early, NOW_MS, 9),
            Err(VerifyError::NotYetValid)
        );
        assert_eq!(check_times(&early, NOW_MS, 10), Ok(()));
        let future = with(access(), "iat", json!(1_700_000_010));
        assert_eq!(
            check_times(&future, NOW_MS, 9),
            Err(VerifyError::IssuedInFuture)
        );
        assert_eq!(check_times(&future, NOW_MS, 10), Ok(()));
    }

    #[test]
    fn groups_and_scopes_need_any_one_of_the_required() {
        let c = claims(access());
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(check_groups(&c, &[]), Ok(()));
        assert_eq!(check_groups(&c, &list(&["x", "staff"])), Ok(()));
        assert_eq!(
            check_groups(&c, &list(&["x"])),
            Err(VerifyError::MissingGroup)
        );
        let no_groups = with(access(), "cognito:groups", Value::Null);
        assert_eq!(
            check_groups(&no_groups, &list(&["staff"])),
            Err(VerifyError::MissingGroup)
        );
        assert_eq!(check_scopes(&c, &list(&["openid"])), Ok(()));
        assert_eq!(
            check_scopes(&c, &list(&["open"])),
            Err(VerifyError::MissingScope)
        );
        let mut opts = options(TokenUse::Access);
        opts.scopes = list(&["email"]);
        assert_eq!(
            check_claims(&c, &opts, NOW_MS),
            Err(VerifyError::MissingScope)
        );
    }
}

//! What a token must say to be accepted. Nothing is optional by default: the issuer, the token
//! use and at least one client id are required; the leeway defaults to 0.

use crate::config::UserPoolId;
use crate::error::Error;
use crate::prelude::*;

/// `token_use`: which of Cognito's two JWTs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    Id,
    Access,
}

impl TokenUse {
    /// `"id"` or `"access"`.
    pub fn parse(text: &str) -> Option<TokenUse> {
        match text {
            "id" => Some(TokenUse::Id),
            "access" => Some(TokenUse::Access),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

/// The expected claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Exact `iss`.
    pub issuer: String,
    pub token_use: TokenUse,
    /// `aud` (ID token) or `client_id` (access token) must be one of these; never empty.
    pub client_ids: Vec<String>,
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
    pub leeway_s: u32,
    /// When non-empty, `cognito:groups` must hold at least one of these.
    pub groups: Vec<String>,
    /// When non-empty, `scope` must hold at least one of these.
    pub scopes: Vec<String>,
}

impl VerifyOptions {
    /// Options for `user_pool_id`'s tokens (issuer from [`cognito_issuer`]), leeway 0, no group
    /// or scope required. Fails on a malformed pool id or an empty client list.
    pub fn new(
        user_pool_id: &str,
        endpoint: Option<&str>,
        token_use: TokenUse,
        client_ids: Vec<String>,
    ) -> Result<Self, Error> {
        let pool = UserPoolId::parse(user_pool_id)?;
        if client_ids.is_empty() || client_ids.iter().any(String::is_empty) {
            return Err(Error::invalid_parameter(
                "clientId must name at least one app client",
            ));
        }
        Ok(VerifyOptions {
            issuer: cognito_issuer(&pool, endpoint)?,
            token_use,
            client_ids,
            leeway_s: 0,
            groups: Vec::new(),
            scopes: Vec::new(),
        })
    }
}

/// `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or `<endpoint>/<poolId>` for a custom
/// endpoint (the local emulator), as [`crate::config::ClientConfig::issuer`] derives it.
pub fn cognito_issuer(pool: &UserPoolId, endpoint: Option<&str>) -> Result<String, Error> {
    match endpoint {
        None => Ok(format!(
            "https://cognito-idp.{}.amazonaws.com/{}",
            pool.region(),
            pool.as_str()
        )),
        Some(url) if url.starts_with("https://") || url.starts_with("http://") => {
            Ok(format!("{}/{}", url.trim_end_matches('/'), pool.as_str()))
        }
        Some(_) => Err(Error::invalid_parameter("endpoint must be an http(s) URL")),
    }
}

/// `<issuer>/.well-known/jwks.json`.
pub fn jwks_url(issuer: &str) -> String {
    format!("{issuer}/.well-known/jwks.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_and_validation() {
        let aws = VerifyOptions::new("eu-west-2_x1", None, TokenUse::Id, vec!["c".into()]).unwrap();
        assert_eq!(
            aws.issuer,
            "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_x1"
        );
        assert_eq!(
            jwks_url(&aws.issuer),
            "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_x1/.well-known/jwks.json"
        );
        assert_eq!(aws.leeway_s, 0);
        let local = VerifyOptions::new(
            "eu-west-2_x1",
            Some("http://127.0.0.1:9229/"),
            TokenUse::Access,
            vec!["c".into()],
        )
        .unwrap();
        assert_eq!(local.issuer, "http://127.0.0.1:9229/eu-west-2_x1");
        for (pool, endpoint, clients) in [
            ("bad", None, vec!["c".to_owned()]),
            ("eu-west-2_x1", None, vec![]),
            ("eu-west-2_x1", None, vec![String::new()]),
            ("eu-west-2_x1", Some("ftp://x"), vec!["c".to_owned()]),
        ] {
            assert!(
                VerifyOptions::new(pool, endpoint, TokenUse::Id, clients).is_err(),
                "{pool} {endpoint:?}"
            );
        }
        assert_eq!(TokenUse::parse("access"), Some(TokenUse::Access));
        assert_eq!(TokenUse::parse("refresh"), None);
    }
}

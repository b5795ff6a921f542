//! What identifies a user pool and an app client, checked once at construction.

use crate::error::Error;
use crate::prelude::*;
use crate::secret::SecretString;

/// Whether `text` is non-empty and every byte passes `ok` (a loop over a function pointer: one
/// copy for every byte class, not one iterator adapter per closure).
pub(crate) fn non_empty_of(text: &str, ok: fn(u8) -> bool) -> bool {
    if text.is_empty() {
        return false;
    }
    for byte in text.bytes() {
        if !ok(byte) {
            return false;
        }
    }
    true
}

/// A user pool id, `<region>_<poolName>` (`us-east-1_AbC123`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPoolId {
    id: String,
    split: usize,
}

impl UserPoolId {
    /// Accepts `<region>_<name>` where the region is lowercase letters, digits and dashes and the
    /// name is ASCII letters and digits.
    pub fn parse(id: &str) -> Result<Self, Error> {
        Self::parse_owned(id.to_owned())
    }

    /// [`UserPoolId::parse`] of an owned id (kept, not copied).
    pub(crate) fn parse_owned(id: String) -> Result<Self, Error> {
        let split = match crate::text::split_ascii(&id, b'_', false) {
            Some((region, name))
                if non_empty_of(region, |b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'
                }) && non_empty_of(name, |b| b.is_ascii_alphanumeric()) =>
            {
                region.len()
            }
            _ => {
                return Err(Error::invalid_parameter(
                    ["userPoolId \"", &id, "\" is not of the form <region>_<id>"].cat(),
                ))
            }
        };
        Ok(UserPoolId { id, split })
    }

    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// `us-east-1` of `us-east-1_AbC123`.
    pub fn region(&self) -> &str {
        self.id.get(..self.split).unwrap_or_default()
    }

    /// `AbC123` of `us-east-1_AbC123`: the pool name SRP hashes.
    pub fn pool_name(&self) -> &str {
        self.id.get(self.split + 1..).unwrap_or_default()
    }
}

/// An app client of a user pool, and where its API lives.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub user_pool: UserPoolId,
    pub client_id: String,
    /// Set for app clients with a secret (server-side use): adds `SECRET_HASH` to calls.
    pub client_secret: Option<SecretString>,
    /// The JSON-1.1 endpoint, ending in `/`.
    pub endpoint: String,
}

impl ClientConfig {
    /// `endpoint` defaults to `https://cognito-idp.<region>.amazonaws.com/`.
    pub fn new(
        user_pool_id: &str,
        client_id: &str,
        client_secret: Option<SecretString>,
        endpoint: Option<&str>,
    ) -> Result<Self, Error> {
        Self::from_owned(
            user_pool_id.to_owned(),
            client_id.to_owned(),
            client_secret,
            endpoint.map(str::to_owned),
        )
    }

    /// [`ClientConfig::new`] of owned values (kept, not copied): the JS constructors' form.
    pub(crate) fn from_owned(
        user_pool_id: String,
        client_id: String,
        client_secret: Option<SecretString>,
        endpoint: Option<String>,
    ) -> Result<Self, Error> {
        let user_pool = UserPoolId::parse_owned(user_pool_id)?;
        if !non_empty_of(&client_id, |b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid_parameter(
                "clientId must be non-empty letters and digits",
            ));
        }
        let client_secret = client_secret.filter(|secret| !secret.is_empty());
        let endpoint = match endpoint {
            Some(mut url) if url.starts_with("https://") || url.starts_with("http://") => {
                if url.as_bytes().last() != Some(&b'/') {
                    url.push('/');
                }
                url
            }
            Some(_) => return Err(Error::invalid_parameter("endpoint must be an http(s) URL")),
            None => [
                "https://cognito-idp.",
                user_pool.region(),
                ".amazonaws.com/",
            ]
            .cat(),
        };
        Ok(ClientConfig {
            user_pool,
            client_id,
            client_secret,
            endpoint,
        })
    }

    /// The token issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>` for AWS, or
    /// `<endpoint><poolId>` for a custom endpoint (the local emulator).
    pub fn issuer(&self) -> String {
        [&self.endpoint, self.user_pool.as_str()].cat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_ids() {
        let id = UserPoolId::parse("us-east-1_AbC123").unwrap();
        assert_eq!((id.region(), id.pool_name()), ("us-east-1", "AbC123"));
        for bad in [
            "",
            "us-east-1",
            "_AbC",
            "us-east-1_",
            "US_abc",
            "us-east-1_a-b",
            "us east_1",
        ] {
            assert!(
                matches!(UserPoolId::parse(bad), Err(Error::InvalidParameter { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn endpoints() {
        let aws = ClientConfig::new("eu-west-2_x1", "abc", None, None).unwrap();
        assert_eq!(aws.endpoint, "https://cognito-idp.eu-west-2.amazonaws.com/");
        assert_eq!(
            aws.issuer(),
            "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_x1"
        );
        let local =
            ClientConfig::new("eu-west-2_x1", "abc", None, Some("http://127.0.0.1:9229")).unwrap();
        assert_eq!(local.endpoint, "http://127.0.0.1:9229/");
        assert!(ClientConfig::new("eu-west-2_x1", "abc", None, Some("ftp://x")).is_err());
        assert!(ClientConfig::new("eu-west-2_x1", "", None, None).is_err());
        let empty_secret = ClientConfig::new("eu-west-2_x1", "abc", Some("".into()), None).unwrap();
        assert!(empty_secret.client_secret.is_none());
    }
}

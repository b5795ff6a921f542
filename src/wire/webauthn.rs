//! Passkeys of the signed-in user: StartWebAuthnRegistration, CompleteWebAuthnRegistration,
//! ListWebAuthnCredentials, DeleteWebAuthnCredential.

use super::FromJson;
use crate::json::{element, fields, DecodeError, Value, Writer};
use crate::prelude::*;

/// Answer of StartWebAuthnRegistration: `CredentialCreationOptions`, a JSON document.
#[derive(Debug, Clone)]
pub struct StartWebAuthnRegistrationResponse {
    pub credential_creation_options: Value,
}

impl FromJson for StartWebAuthnRegistrationResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct StartWebAuthnRegistrationResponse")?;
        let options = f
            .object()
            .get("CredentialCreationOptions")
            .ok_or(DecodeError::Missing {
                field: "CredentialCreationOptions",
            })?;
        Ok(StartWebAuthnRegistrationResponse {
            credential_creation_options: options.clone(),
        })
    }
}

/// Body of CompleteWebAuthnRegistration: `Credential` is RegistrationResponseJSON, as a document.
pub struct CompleteWebAuthnRegistrationRequest<'a> {
    pub access_token: &'a str,
    pub credential: &'a Value,
}

impl CompleteWebAuthnRegistrationRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.value("Credential", self.credential);
        w.finish()
    }
}

/// Body of ListWebAuthnCredentials.
pub struct ListWebAuthnCredentialsRequest<'a> {
    pub access_token: &'a str,
    pub max_results: Option<u32>,
    pub next_token: Option<&'a str>,
}

impl ListWebAuthnCredentialsRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.opt_uint("MaxResults", self.max_results.map(u64::from));
        w.opt_string("NextToken", self.next_token);
        w.finish()
    }
}

/// A passkey as ListWebAuthnCredentials describes it (`WebAuthnCredentialDescription`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WebAuthnCredential {
    pub credential_id: String,
    pub friendly_credential_name: Option<String>,
    pub relying_party_id: Option<String>,
    pub authenticator_attachment: Option<String>,
    pub authenticator_transports: Vec<String>,
    /// Seconds since the Unix epoch.
    pub created_at: Option<f64>,
}

/// Answer of ListWebAuthnCredentials.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListWebAuthnCredentialsResponse {
    pub credentials: Vec<WebAuthnCredential>,
    pub next_token: Option<String>,
}

impl FromJson for ListWebAuthnCredentialsResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        fn credential(item: &Value, key: &'static str) -> Result<WebAuthnCredential, DecodeError> {
            let c = element(item, key, "struct WebAuthnCredentialDescription")?;
            Ok(WebAuthnCredential {
                credential_id: c.string("CredentialId")?,
                friendly_credential_name: c.opt_string("FriendlyCredentialName")?,
                relying_party_id: c.opt_string("RelyingPartyId")?,
                authenticator_attachment: c.opt_string("AuthenticatorAttachment")?,
                authenticator_transports: c
                    .opt_string_array("AuthenticatorTransports")?
                    .unwrap_or_default(),
                created_at: c.opt_f64("CreatedAt")?,
            })
        }
        let f = fields(value, "struct ListWebAuthnCredentialsResponse")?;
        Ok(ListWebAuthnCredentialsResponse {
            credentials: f.list("Credentials", credential)?,
            next_token: f.opt_string("NextToken")?,
        })
    }
}

/// Body of DeleteWebAuthnCredential.
pub struct DeleteWebAuthnCredentialRequest<'a> {
    pub access_token: &'a str,
    pub credential_id: &'a str,
}

impl DeleteWebAuthnCredentialRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.string("CredentialId", self.credential_id);
        w.finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use crate::wire::{decode, Operation};

    #[test]
    fn bodies_and_answers() {
        let credential = crate::json::parse(r#"{"id":"q83v","type":"public-key"}"#).unwrap();
        let body = CompleteWebAuthnRegistrationRequest {
            access_token: "at",
            credential: &credential,
        };
        assert_eq!(
            body.to_json(),
            r#"{"AccessToken":"at","Credential":{"id":"q83v","type":"public-key"}}"#
        );
        let list = ListWebAuthnCredentialsRequest {
            access_token: "at",
            max_results: Some(2),
            next_token: Some("n"),
        };
        assert_eq!(
            list.to_json(),
            r#"{"AccessToken":"at","MaxResults":2,"NextToken":"n"}"#
        );
        let answer: ListWebAuthnCredentialsResponse = decode(
            Operation::ListWebAuthnCredentials,
            r#"{"Credentials":[{"CredentialId":"q83v","FriendlyCredentialName":"Key","RelyingPartyId":"localhost","AuthenticatorAttachment":"platform","AuthenticatorTransports":["internal"],"CreatedAt":1.7e9}],"NextToken":"t"}"#,
        )
        .unwrap();
        assert_eq!(answer.credentials[0].credential_id, "q83v");
        assert_eq!(answer.credentials[0].authenticator_transports, ["internal"]);
        assert_eq!(answer.credentials[0].created_at, Some(1.7e9));
        assert_eq!(answer.next_token.as_deref(), Some("t"));
        let start: StartWebAuthnRegistrationResponse = decode(
            Operation::StartWebAuthnRegistration,
            r#"{"CredentialCreationOptions":{"challenge":"AA"}}"#,
        )
        .unwrap();
        assert!(start.credential_creation_options.as_object().is_some());
        assert!(decode::<StartWebAuthnRegistrationResponse>(
            Operation::StartWebAuthnRegistration,
            "{}"
        )
        .is_err());
    }
}

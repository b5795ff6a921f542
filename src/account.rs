//! What a signed-in user does with their own account, through the access token of the current
//! session (refreshed first when near expiry): attributes, password, deletion, TOTP MFA.
//!
//! A call made while signed out sends nothing and fails with
//! [`Error::InvalidParameter`] (`"not signed in"`). DeleteUser clears the session.
//!
//! `AttributesRequireVerificationBeforeUpdate` (Cognito's 2022 behaviour): a new email or phone
//! number the pool holds for verification keeps its old value until VerifyUserAttribute. Cognito's
//! answer does not say which attributes were held (and an app client cannot read the pool's
//! settings), so after UpdateUserAttributes the client reads the user back (GetUser): every
//! requested attribute whose value is not the requested one is reported as pending.

use crate::prelude::*;
use alloc::collections::BTreeMap;

use crate::challenge::{ChallengeAnswer, PendingChallenge, SignInStep};
use crate::client::Cognito;
use crate::error::Error;
use crate::map::VecMap;
use crate::secret::SecretString;
use crate::storage::TokenStore;
use crate::transport::Platform;
use crate::wire::{
    AccessTokenRequest, AssociateSoftwareTokenResponse, AttributeCodeRequest,
    ChangePasswordRequest, CodeDeliveryDetails, CodeDeliveryResponse, DeleteUserAttributesRequest,
    Empty, Operation, SetUserMfaPreferenceRequest, SoftwareTokenRequest,
    UpdateUserAttributesRequest, UpdateUserAttributesResponse,
};
pub use crate::wire::{GetUserResponse, MfaOption, MfaSetting, VerifySoftwareTokenResponse};

/// The signed-in user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserInfo {
    pub username: String,
    pub attributes: BTreeMap<String, String>,
    pub mfa_options: Option<Vec<MfaOption>>,
    pub preferred_mfa: Option<String>,
    pub mfa_settings: Option<Vec<String>>,
}

impl From<GetUserResponse> for UserInfo {
    fn from(r: GetUserResponse) -> Self {
        UserInfo {
            username: r.username,
            attributes: r
                .user_attributes
                .into_iter()
                .map(|a| (a.name, a.value))
                .collect(),
            mfa_options: r.mfa_options,
            preferred_mfa: r.preferred_mfa_setting,
            mfa_settings: r.user_mfa_setting_list,
        }
    }
}

/// What UpdateUserAttributes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeUpdate {
    /// Where verification codes went.
    pub code_deliveries: Vec<CodeDeliveryDetails>,
    /// Requested attributes that keep their old value until verified (VerifyUserAttribute).
    pub pending_verification: Vec<String>,
}

/// Which requested attributes do not (yet) have the requested value.
pub fn pending_attributes(
    requested: &BTreeMap<String, String>,
    now: &BTreeMap<String, String>,
) -> Vec<String> {
    requested
        .iter()
        .filter(|(name, value)| now.get(*name) != Some(*value))
        .map(|(name, _)| name.clone())
        .collect()
}

/// A TOTP secret to put into an authenticator app.
#[derive(Clone, PartialEq, Eq)]
pub struct SoftwareTokenAssociation {
    /// Base32.
    pub secret_code: SecretString,
    /// The MFA_SETUP challenge's next `Session`, when associated during sign-in.
    pub session: Option<String>,
}

impl core::fmt::Debug for SoftwareTokenAssociation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SoftwareTokenAssociation([redacted])")
    }
}

/// Body of SetUserMFAPreference; an absent factor is left as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MfaPreference {
    pub totp: Option<MfaSetting>,
    pub sms: Option<MfaSetting>,
    pub email: Option<MfaSetting>,
}

/// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`, label and values
/// percent-encoded (RFC 3986 unreserved characters kept).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let issuer = percent_encode(issuer);
    format!(
        "otpauth://totp/{issuer}:{}?secret={}&issuer={issuer}",
        percent_encode(account),
        percent_encode(secret)
    )
}

fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_parameter(format!("{field} is required")));
    }
    Ok(())
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// The current session's access token (refreshed first when near expiry), or
    /// `InvalidParameterError` "not signed in".
    pub(crate) async fn access_token(&self) -> Result<SecretString, Error> {
        match self.get_session().await? {
            Some(session) => Ok(session.access_token),
            None => Err(Error::invalid_parameter("not signed in: sign in first")),
        }
    }

    /// GetUser.
    pub async fn get_user(&self) -> Result<UserInfo, Error> {
        let token = self.access_token().await?;
        let body = AccessTokenRequest {
            access_token: token.expose_secret(),
        };
        let answer: GetUserResponse = self.call(Operation::GetUser, body.to_json()).await?;
        Ok(answer.into())
    }

    /// UpdateUserAttributes, then GetUser to tell which attributes wait for verification.
    pub async fn update_user_attributes(
        &self,
        attributes: &BTreeMap<String, String>,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<AttributeUpdate, Error> {
        if attributes.is_empty() {
            return Err(Error::invalid_parameter("attributes is required"));
        }
        let token = self.access_token().await?;
        let body = UpdateUserAttributesRequest {
            access_token: token.expose_secret(),
            user_attributes: attributes
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect(),
            client_metadata,
        };
        let answer: UpdateUserAttributesResponse = self
            .call(Operation::UpdateUserAttributes, body.to_json())
            .await?;
        let now = self.get_user().await?;
        Ok(AttributeUpdate {
            code_deliveries: answer.code_delivery_details_list,
            pending_verification: pending_attributes(attributes, &now.attributes),
        })
    }

    /// GetUserAttributeVerificationCode.
    pub async fn get_user_attribute_verification_code(
        &self,
        attribute: &str,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<CodeDeliveryDetails, Error> {
        require("attribute", attribute)?;
        let token = self.access_token().await?;
        let body = AttributeCodeRequest {
            access_token: token.expose_secret(),
            attribute_name: attribute,
            code: None,
            client_metadata,
        };
        let answer: CodeDeliveryResponse = self
            .call(Operation::GetUserAttributeVerificationCode, body.to_json())
            .await?;
        Ok(answer.code_delivery_details.unwrap_or_default())
    }

    /// VerifyUserAttribute: a held value takes effect, verified.
    pub async fn verify_user_attribute(
        &self,
        attribute: &str,
        code: &SecretString,
    ) -> Result<(), Error> {
        require("attribute", attribute)?;
        require("code", code.expose_secret())?;
        let token = self.access_token().await?;
        let body = AttributeCodeRequest {
            access_token: token.expose_secret(),
            attribute_name: attribute,
            code: Some(code.expose_secret()),
            client_metadata: None,
        };
        self.call::<Empty>(Operation::VerifyUserAttribute, body.to_json())
            .await
            .map(drop)
    }

    /// DeleteUserAttributes.
    pub async fn delete_user_attributes(&self, names: &[String]) -> Result<(), Error> {
        if names.is_empty() || names.iter().any(String::is_empty) {
            return Err(Error::invalid_parameter(
                "attributes must be a non-empty list of names",
            ));
        }
        let token = self.access_token().await?;
        let body = DeleteUserAttributesRequest {
            access_token: token.expose_secret(),
            user_attribute_names: names,
        };
        self.call::<Empty>(Operation::DeleteUserAttributes, body.to_json())
            .await
            .map(drop)
    }

    /// ChangePassword.
    pub async fn change_password(
        &self,
        old_password: &SecretString,
        new_password: &SecretString,
    ) -> Result<(), Error> {
        require("oldPassword", old_password.expose_secret())?;
        require("newPassword", new_password.expose_secret())?;
        let token = self.access_token().await?;
        let body = ChangePasswordRequest {
            access_token: token.expose_secret(),
            previous_password: old_password.expose_secret(),
            proposed_password: new_password.expose_secret(),
        };
        self.call::<Empty>(Operation::ChangePassword, body.to_json())
            .await
            .map(drop)
    }

    /// DeleteUser; on success the session is cleared (memory and store).
    pub async fn delete_user(&self) -> Result<(), Error> {
        let Some(session) = self.get_session().await? else {
            return Err(Error::invalid_parameter("not signed in: sign in first"));
        };
        let body = AccessTokenRequest {
            access_token: session.access_token.expose_secret(),
        };
        self.call::<Empty>(Operation::DeleteUser, body.to_json())
            .await?;
        self.forget(&session.username).await
    }

    /// The access token, or `None` when the MFA_SETUP challenge's session authorises the call.
    async fn token_unless_challenge(
        &self,
        challenge: Option<&PendingChallenge>,
    ) -> Result<Option<SecretString>, Error> {
        match challenge {
            Some(_) => Ok(None),
            None => self.access_token().await.map(Some),
        }
    }

    /// AssociateSoftwareToken: with the MFA_SETUP challenge's session when `challenge` is given
    /// (during sign-in), else with the signed-in user's access token.
    pub async fn associate_software_token(
        &self,
        challenge: Option<&PendingChallenge>,
    ) -> Result<SoftwareTokenAssociation, Error> {
        let token = self.token_unless_challenge(challenge).await?;
        let body = SoftwareTokenRequest {
            access_token: token.as_ref().map(SecretString::expose_secret),
            session: challenge.and_then(|c| c.session.as_deref()),
            user_code: None,
            friendly_device_name: None,
        };
        let answer: AssociateSoftwareTokenResponse = self
            .call(Operation::AssociateSoftwareToken, body.to_json())
            .await?;
        Ok(SoftwareTokenAssociation {
            secret_code: answer.secret_code.into(),
            session: answer.session,
        })
    }

    /// VerifySoftwareToken with the access token, or with the MFA_SETUP challenge's session.
    pub async fn verify_software_token(
        &self,
        code: &SecretString,
        friendly_device_name: Option<&str>,
        challenge: Option<&PendingChallenge>,
    ) -> Result<VerifySoftwareTokenResponse, Error> {
        require("code", code.expose_secret())?;
        let token = self.token_unless_challenge(challenge).await?;
        let body = SoftwareTokenRequest {
            access_token: token.as_ref().map(SecretString::expose_secret),
            session: challenge.and_then(|c| c.session.as_deref()),
            user_code: Some(code.expose_secret()),
            friendly_device_name: friendly_device_name.filter(|n| !n.is_empty()),
        };
        let answer: VerifySoftwareTokenResponse = self
            .call(Operation::VerifySoftwareToken, body.to_json())
            .await?;
        if answer.status.as_deref() == Some("ERROR") {
            return Err(Error::Service(crate::error::ServiceError {
                name: "EnableSoftwareTokenMFAException".into(),
                message: "VerifySoftwareToken answered with status ERROR".into(),
                status: 200,
            }));
        }
        Ok(answer)
    }

    /// Answers MFA_SETUP: VerifySoftwareToken with the challenge's session (after
    /// AssociateSoftwareToken with it), then RespondToAuthChallenge MFA_SETUP with the session
    /// that returned.
    pub async fn complete_mfa_setup(
        &self,
        pending: &PendingChallenge,
        code: &SecretString,
        friendly_device_name: Option<&str>,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        let verified = self
            .verify_software_token(code, friendly_device_name, Some(pending))
            .await?;
        let next = PendingChallenge {
            session: verified.session.or_else(|| pending.session.clone()),
            ..pending.clone()
        };
        self.respond_to_challenge(&next, &ChallengeAnswer::default(), client_metadata)
            .await
    }

    /// SetUserMFAPreference.
    pub async fn set_mfa_preference(&self, preference: &MfaPreference) -> Result<(), Error> {
        if preference == &MfaPreference::default() {
            return Err(Error::invalid_parameter(
                "give at least one of totp, sms, email",
            ));
        }
        let token = self.access_token().await?;
        let body = SetUserMfaPreferenceRequest {
            access_token: token.expose_secret(),
            software_token_mfa_settings: preference.totp,
            sms_mfa_settings: preference.sms,
            email_mfa_settings: preference.email,
        };
        self.call::<Empty>(Operation::SetUserMfaPreference, body.to_json())
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn otpauth_uri_is_percent_encoded() {
        assert_eq!(
            otpauth_uri("us-east-1_Ab", "ann lee@x.com", "JBSWY3DP"),
            "otpauth://totp/us-east-1_Ab:ann%20lee%40x.com?secret=JBSWY3DP&issuer=us-east-1_Ab"
        );
        assert_eq!(
            otpauth_uri("My App:é", "u", "S"),
            "otpauth://totp/My%20App%3A%C3%A9:u?secret=S&issuer=My%20App%3A%C3%A9"
        );
    }

    #[test]
    fn pending_are_requested_values_not_in_effect() {
        let requested = BTreeMap::from([
            ("email".to_owned(), "new@x.com".to_owned()),
            ("name".to_owned(), "Ann".to_owned()),
        ]);
        let now = BTreeMap::from([
            ("email".to_owned(), "old@x.com".to_owned()),
            ("name".to_owned(), "Ann".to_owned()),
        ]);
        assert_eq!(pending_attributes(&requested, &now), vec!["email"]);
        assert!(pending_attributes(&requested, &requested).is_empty());
    }

    #[test]
    fn wire_shapes() {
        let body = SetUserMfaPreferenceRequest {
            access_token: "t",
            software_token_mfa_settings: Some(MfaSetting {
                enabled: true,
                preferred_mfa: true,
            }),
            sms_mfa_settings: Some(MfaSetting {
                enabled: false,
                preferred_mfa: false,
            }),
            email_mfa_settings: None,
        };
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body.to_json()).unwrap(),
            serde_json::json!({"AccessToken": "t",
                "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
                "SMSMfaSettings": {"Enabled": false, "PreferredMfa": false}})
        );
        let user: GetUserResponse = crate::wire::decode(
            Operation::GetUser,
            r#"{"Username":"u","UserAttributes":[{"Name":"email","Value":"a@b.c"}],
                "MFAOptions":[{"DeliveryMedium":"SMS","AttributeName":"phone_number"}],
                "PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}"#,
        )
        .unwrap();
        let info = UserInfo::from(user);
        assert_eq!(info.attributes["email"], "a@b.c");
        assert_eq!(info.preferred_mfa.as_deref(), Some("SOFTWARE_TOKEN_MFA"));
        assert_eq!(info.mfa_options.map(|o| o.len()), Some(1));
    }
}

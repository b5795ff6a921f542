//! A signed-in user's own account: GetUser, UpdateUserAttributes, attribute codes,
//! DeleteUserAttributes, ChangePassword, the TOTP calls, SetUserMFAPreference.

use super::{write_attributes, write_metadata, AttributeType, CodeDeliveryDetails, FromJson};
use crate::json::{element, fields, DecodeError, Value, Writer};
use crate::map::VecMap;
use crate::prelude::*;

/// Answer of GetUser.
#[derive(Debug, Clone, Default)]
pub struct GetUserResponse {
    pub username: String,
    pub user_attributes: Vec<AttributeType>,
    pub mfa_options: Option<Vec<MfaOption>>,
    pub preferred_mfa_setting: Option<String>,
    pub user_mfa_setting_list: Option<Vec<String>>,
}

impl FromJson for GetUserResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct GetUserResponse")?;
        fn mfa_option(item: &Value, key: &'static str) -> Result<MfaOption, DecodeError> {
            let o = element(item, key, "struct MfaOption")?;
            Ok(MfaOption {
                delivery_medium: o.opt_string("DeliveryMedium")?,
                attribute_name: o.opt_string("AttributeName")?,
            })
        }
        Ok(GetUserResponse {
            username: f.string("Username")?,
            user_attributes: AttributeType::list(&f, "UserAttributes")?,
            mfa_options: f.opt_list("MFAOptions", mfa_option)?,
            preferred_mfa_setting: f.opt_string("PreferredMfaSetting")?,
            user_mfa_setting_list: f.opt_string_array("UserMFASettingList")?,
        })
    }
}

/// A legacy SMS MFA option of GetUser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaOption {
    pub delivery_medium: Option<String>,
    pub attribute_name: Option<String>,
}

/// Body of UpdateUserAttributes.
pub struct UpdateUserAttributesRequest<'a> {
    pub access_token: &'a str,
    pub user_attributes: Vec<(&'a str, &'a str)>,
    pub client_metadata: Option<&'a VecMap<String, String>>,
}

impl UpdateUserAttributesRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        write_attributes(
            &mut w,
            "UserAttributes",
            &mut self.user_attributes.iter().copied(),
        );
        write_metadata(&mut w, self.client_metadata);
        w.finish()
    }
}

/// Answer of UpdateUserAttributes.
pub struct UpdateUserAttributesResponse {
    pub code_delivery_details_list: Vec<CodeDeliveryDetails>,
}

impl FromJson for UpdateUserAttributesResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        fn details(item: &Value, key: &'static str) -> Result<CodeDeliveryDetails, DecodeError> {
            CodeDeliveryDetails::from_fields(element(item, key, "struct CodeDeliveryDetails")?)
        }
        let f = fields(value, "struct UpdateUserAttributesResponse")?;
        Ok(UpdateUserAttributesResponse {
            code_delivery_details_list: f.list("CodeDeliveryDetailsList", details)?,
        })
    }
}

/// Body of GetUserAttributeVerificationCode and VerifyUserAttribute.
pub struct AttributeCodeRequest<'a> {
    pub access_token: &'a str,
    pub attribute_name: &'a str,
    pub code: Option<&'a str>,
    pub client_metadata: Option<&'a VecMap<String, String>>,
}

impl AttributeCodeRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.string("AttributeName", self.attribute_name);
        w.opt_string("Code", self.code);
        write_metadata(&mut w, self.client_metadata);
        w.finish()
    }
}

/// Body of DeleteUserAttributes.
pub struct DeleteUserAttributesRequest<'a> {
    pub access_token: &'a str,
    pub user_attribute_names: &'a [String],
}

impl DeleteUserAttributesRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.string_array("UserAttributeNames", self.user_attribute_names);
        w.finish()
    }
}

/// Body of ChangePassword.
pub struct ChangePasswordRequest<'a> {
    pub access_token: &'a str,
    pub previous_password: &'a str,
    pub proposed_password: &'a str,
}

impl ChangePasswordRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.string("PreviousPassword", self.previous_password);
        w.string("ProposedPassword", self.proposed_password);
        w.finish()
    }
}

/// Body of AssociateSoftwareToken and VerifySoftwareToken: an access token or a challenge session.
pub struct SoftwareTokenRequest<'a> {
    pub access_token: Option<&'a str>,
    pub session: Option<&'a str>,
    pub user_code: Option<&'a str>,
    pub friendly_device_name: Option<&'a str>,
}

impl SoftwareTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.opt_string("AccessToken", self.access_token);
        w.opt_string("Session", self.session);
        w.opt_string("UserCode", self.user_code);
        w.opt_string("FriendlyDeviceName", self.friendly_device_name);
        w.finish()
    }
}

/// Answer of AssociateSoftwareToken.
pub struct AssociateSoftwareTokenResponse {
    pub secret_code: String,
    pub session: Option<String>,
}

impl FromJson for AssociateSoftwareTokenResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct AssociateSoftwareTokenResponse")?;
        Ok(AssociateSoftwareTokenResponse {
            secret_code: f.string("SecretCode")?,
            session: f.opt_string("Session")?,
        })
    }
}

/// Answer of VerifySoftwareToken.
#[derive(Debug, Clone)]
pub struct VerifySoftwareTokenResponse {
    /// `SUCCESS` or `ERROR`.
    pub status: Option<String>,
    pub session: Option<String>,
}

impl FromJson for VerifySoftwareTokenResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct VerifySoftwareTokenResponse")?;
        Ok(VerifySoftwareTokenResponse {
            status: f.opt_string("Status")?,
            session: f.opt_string("Session")?,
        })
    }
}

/// One factor's setting in SetUserMFAPreference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MfaSetting {
    pub enabled: bool,
    pub preferred_mfa: bool,
}

/// Body of SetUserMFAPreference; an absent factor is left as it is.
pub struct SetUserMfaPreferenceRequest<'a> {
    pub access_token: &'a str,
    pub software_token_mfa_settings: Option<MfaSetting>,
    pub sms_mfa_settings: Option<MfaSetting>,
    pub email_mfa_settings: Option<MfaSetting>,
}

impl SetUserMfaPreferenceRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        for (key, setting) in [
            ("SoftwareTokenMfaSettings", self.software_token_mfa_settings),
            ("SMSMfaSettings", self.sms_mfa_settings),
            ("EmailMfaSettings", self.email_mfa_settings),
        ] {
            if let Some(setting) = setting {
                w.begin_object(key);
                w.bool("Enabled", setting.enabled);
                w.bool("PreferredMfa", setting.preferred_mfa);
                w.end_object();
            }
        }
        w.finish()
    }
}

/// Answer of GetUserAuthFactors.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GetUserAuthFactorsResponse {
    pub username: String,
    pub preferred_mfa_setting: Option<String>,
    pub user_mfa_setting_list: Vec<String>,
    /// `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`.
    pub configured_user_auth_factors: Vec<String>,
}

impl FromJson for GetUserAuthFactorsResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct GetUserAuthFactorsResponse")?;
        Ok(GetUserAuthFactorsResponse {
            username: f.string("Username")?,
            preferred_mfa_setting: f.opt_string("PreferredMfaSetting")?,
            user_mfa_setting_list: f
                .opt_string_array("UserMFASettingList")?
                .unwrap_or_default(),
            configured_user_auth_factors: f
                .opt_string_array("ConfiguredUserAuthFactors")?
                .unwrap_or_default(),
        })
    }
}

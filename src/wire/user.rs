//! Sign-up, codes, sign-out: SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword,
//! ConfirmForgotPassword, RevokeToken, GlobalSignOut (and GetUser's request).

use crate::context_data::{write_user_context, UserContextData};
use crate::map::VecMap;
use crate::prelude::*;

use super::{write_attributes, write_metadata, FromJson};
use crate::json::{fields, DecodeError, Fields, Value, Writer};

/// Body of SignUp.
pub struct SignUpRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    /// Empty: none sent (a passwordless user).
    pub password: &'a str,
    pub secret_hash: Option<String>,
    pub user_attributes: Vec<(&'a str, &'a str)>,
    /// Written only when not empty.
    pub validation_data: Vec<(&'a str, &'a str)>,
    pub client_metadata: Option<&'a VecMap<String, String>>,
    pub user_context_data: Option<UserContextData>,
}

impl SignUpRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("ClientId", self.client_id);
        w.string("Username", self.username);
        if !self.password.is_empty() {
            w.string("Password", self.password);
        }
        w.opt_string("SecretHash", self.secret_hash.as_deref());
        write_attributes(
            &mut w,
            "UserAttributes",
            &mut self.user_attributes.iter().copied(),
        );
        if !self.validation_data.is_empty() {
            write_attributes(
                &mut w,
                "ValidationData",
                &mut self.validation_data.iter().copied(),
            );
        }
        write_metadata(&mut w, self.client_metadata);
        write_user_context(&mut w, self.user_context_data.as_ref());
        w.finish()
    }
}

/// Answer of SignUp.
#[derive(Debug, Clone)]
pub struct SignUpResponse {
    pub user_confirmed: bool,
    pub user_sub: String,
    pub code_delivery_details: Option<CodeDeliveryDetails>,
    /// For a `USER_AUTH` sign-in right after sign-up (given to ConfirmSignUp).
    pub session: Option<String>,
}

impl FromJson for SignUpResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct SignUpResponse")?;
        Ok(SignUpResponse {
            user_confirmed: f.bool("UserConfirmed")?,
            user_sub: f.string("UserSub")?,
            code_delivery_details: CodeDeliveryDetails::member(&f)?,
            session: f.opt_string("Session")?,
        })
    }
}

/// Answer of ConfirmSignUp: the `Session` of a `USER_AUTH` sign-in right after it.
#[derive(Debug, Clone)]
pub struct ConfirmSignUpResponse {
    pub session: Option<String>,
}

impl FromJson for ConfirmSignUpResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct ConfirmSignUpResponse")?;
        Ok(ConfirmSignUpResponse {
            session: f.opt_string("Session")?,
        })
    }
}

/// Where a code was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeDeliveryDetails {
    pub destination: Option<String>,
    pub delivery_medium: Option<String>,
    pub attribute_name: Option<String>,
}

impl CodeDeliveryDetails {
    pub(crate) fn from_fields(f: Fields<'_>) -> Result<Self, DecodeError> {
        Ok(CodeDeliveryDetails {
            destination: f.opt_string("Destination")?,
            delivery_medium: f.opt_string("DeliveryMedium")?,
            attribute_name: f.opt_string("AttributeName")?,
        })
    }

    /// The `CodeDeliveryDetails` member, when present.
    fn member(f: &Fields<'_>) -> Result<Option<Self>, DecodeError> {
        f.opt_fields("CodeDeliveryDetails", "struct CodeDeliveryDetails")?
            .map(Self::from_fields)
            .transpose()
    }
}

/// Answer of ResendConfirmationCode, ForgotPassword and GetUserAttributeVerificationCode.
#[derive(Debug, Clone)]
pub struct CodeDeliveryResponse {
    pub code_delivery_details: Option<CodeDeliveryDetails>,
}

impl FromJson for CodeDeliveryResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct CodeDeliveryResponse")?;
        Ok(CodeDeliveryResponse {
            code_delivery_details: CodeDeliveryDetails::member(&f)?,
        })
    }
}

/// Body of ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword:
/// a username and, depending on the call, a code and a new password.
pub struct UserCodeRequest<'a> {
    pub client_id: &'a str,
    pub username: &'a str,
    pub confirmation_code: Option<&'a str>,
    pub password: Option<&'a str>,
    pub secret_hash: Option<String>,
    pub force_alias_creation: Option<bool>,
    pub client_metadata: Option<&'a VecMap<String, String>>,
    pub user_context_data: Option<UserContextData>,
    /// ConfirmSignUp: SignUp's `Session`.
    pub session: Option<&'a str>,
}

impl UserCodeRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("ClientId", self.client_id);
        w.string("Username", self.username);
        w.opt_string("ConfirmationCode", self.confirmation_code);
        w.opt_string("Password", self.password);
        w.opt_string("SecretHash", self.secret_hash.as_deref());
        w.opt_bool("ForceAliasCreation", self.force_alias_creation);
        write_metadata(&mut w, self.client_metadata);
        write_user_context(&mut w, self.user_context_data.as_ref());
        w.opt_string("Session", self.session);
        w.finish()
    }
}

/// Body of RevokeToken.
pub struct RevokeTokenRequest<'a> {
    pub token: &'a str,
    pub client_id: &'a str,
    pub client_secret: Option<&'a str>,
}

impl RevokeTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("Token", self.token);
        w.string("ClientId", self.client_id);
        w.opt_string("ClientSecret", self.client_secret);
        w.finish()
    }
}

/// Body of GlobalSignOut, GetUser and DeleteUser.
pub struct AccessTokenRequest<'a> {
    pub access_token: &'a str,
}

impl AccessTokenRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.finish()
    }
}

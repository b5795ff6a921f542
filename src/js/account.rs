//! `CognitoAuth`'s account methods (a second `impl` block): the signed-in user's attributes,
//! password, deletion and TOTP MFA, including the MFA_SETUP challenge of a sign-in.

use alloc::collections::BTreeMap;

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::auth::{CognitoAuth, Inner};
use super::convert::{from_js, from_js_or_default, to_js};
use super::promise::promise;
use super::types::{CodeDelivery, CodeDeliveryResult};
use crate::account::{otpauth_uri, MfaOption, MfaPreference, MfaSetting, UserInfo};
use crate::challenge::PendingChallenge;
use crate::map::VecMap;

#[wasm_bindgen(typescript_custom_section)]
const ACCOUNT_TYPES: &str = r#"
export interface UserInfo {
  username: string;
  attributes: Record<string, string>;
  /** Legacy SMS MFA options. */
  mfaOptions?: { deliveryMedium?: string; attributeName?: string }[];
  /** `SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`. */
  preferredMfa?: string;
  /** The MFA factors turned on. */
  userMfaSettings?: string[];
}

export interface UpdateUserAttributesParams {
  attributes: Record<string, string>;
  clientMetadata?: Record<string, string>;
}

export interface UpdateUserAttributesResult {
  /** Where verification codes went. */
  codeDeliveries: CodeDelivery[];
  /** Attributes that keep their old value until `verifyUserAttribute` (the pool's
   * AttributesRequireVerificationBeforeUpdate): the requested attributes whose value, read back
   * with GetUser after the update, is not the requested one. */
  pendingVerification: string[];
}

export interface AttributeParams {
  attribute: string;
  clientMetadata?: Record<string, string>;
}

export interface VerifyUserAttributeParams {
  attribute: string;
  code: string;
}

export interface DeleteUserAttributesParams {
  attributes: string[];
}

export interface ChangePasswordParams {
  oldPassword: string;
  newPassword: string;
}

export interface AssociateSoftwareTokenParams {
  /** The `otpauth://` issuer; default the user pool id. */
  issuer?: string;
  /** The `otpauth://` account name; default the username. */
  accountName?: string;
}

export interface SoftwareTokenSecret {
  /** Base32 TOTP secret. */
  secretCode: string;
  /** `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>` (for a QR code). */
  uri: string;
}

export interface VerifySoftwareTokenParams {
  code: string;
  friendlyDeviceName?: string;
}

export interface MfaFactorSetting {
  enabled: boolean;
  /** Default false. */
  preferred?: boolean;
}

export interface MfaPreferenceParams {
  totp?: MfaFactorSetting;
  sms?: MfaFactorSetting;
  email?: MfaFactorSetting;
}

export interface CognitoAuth {
  /**
   * AssociateSoftwareToken. While a sign-in waits at MFA_SETUP it uses that challenge (then
   * answer with `respondToChallenge({code})`); otherwise the signed-in user's access token.
   */
  associateSoftwareToken(params?: AssociateSoftwareTokenParams): Promise<SoftwareTokenSecret>;
}
"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateUserAttributesParams {
    attributes: BTreeMap<String, String>,
    client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AttributeParams {
    attribute: String,
    client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifyUserAttributeParams {
    attribute: String,
    code: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeleteUserAttributesParams {
    attributes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChangePasswordParams {
    old_password: String,
    new_password: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct AssociateSoftwareTokenParams {
    issuer: Option<String>,
    account_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifySoftwareTokenParams {
    code: String,
    friendly_device_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FactorSetting {
    enabled: bool,
    #[serde(default)]
    preferred: bool,
}

impl From<FactorSetting> for MfaSetting {
    fn from(s: FactorSetting) -> Self {
        MfaSetting {
            enabled: s.enabled,
            preferred_mfa: s.preferred,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MfaPreferenceParams {
    totp: Option<FactorSetting>,
    sms: Option<FactorSetting>,
    email: Option<FactorSetting>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UserView {
    username: String,
    attributes: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mfa_options: Option<Vec<MfaOptionView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preferred_mfa: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user_mfa_settings: Option<Vec<String>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MfaOptionView {
    #[serde(skip_serializing_if = "Option::is_none")]
    delivery_medium: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribute_name: Option<String>,
}

impl From<MfaOption> for MfaOptionView {
    fn from(o: MfaOption) -> Self {
        MfaOptionView {
            delivery_medium: o.delivery_medium,
            attribute_name: o.attribute_name,
        }
    }
}

impl From<UserInfo> for UserView {
    fn from(u: UserInfo) -> Self {
        UserView {
            username: u.username,
            attributes: u.attributes,
            mfa_options: u
                .mfa_options
                .map(|options| options.into_iter().map(Into::into).collect()),
            preferred_mfa: u.preferred_mfa,
            user_mfa_settings: u.mfa_settings,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UpdateView {
    code_deliveries: Vec<CodeDelivery>,
    pending_verification: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SecretView<'a> {
    secret_code: &'a str,
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyView {
    status: String,
}

/// The pending MFA_SETUP challenge, if the sign-in waits at one.
fn pending_mfa_setup(inner: &Inner) -> Option<PendingChallenge> {
    inner.pending.cloned().filter(|p| p.name == "MFA_SETUP")
}

#[wasm_bindgen]
impl CognitoAuth {
    /// GetUser: the signed-in user's attributes and MFA settings.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Promise<UserInfo>")]
    pub fn get_user(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let user = inner.client.get_user().await?;
            to_js(&UserView::from(user))
        })
    }

    /// UpdateUserAttributes; reports which attributes wait for verification.
    #[wasm_bindgen(
        js_name = updateUserAttributes,
        unchecked_return_type = "Promise<UpdateUserAttributesResult>"
    )]
    pub fn update_user_attributes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateUserAttributesParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<UpdateUserAttributesParams>(params, "updateUserAttributes");
        promise(async move {
            let p = p?;
            let update = inner
                .client
                .update_user_attributes(&p.attributes, p.client_metadata.as_ref())
                .await?;
            to_js(&UpdateView {
                code_deliveries: update.code_deliveries.into_iter().map(Into::into).collect(),
                pending_verification: update.pending_verification,
            })
        })
    }

    /// GetUserAttributeVerificationCode.
    #[wasm_bindgen(
        js_name = getUserAttributeVerificationCode,
        unchecked_return_type = "Promise<CodeDeliveryResult>"
    )]
    pub fn get_user_attribute_verification_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AttributeParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<AttributeParams>(params, "getUserAttributeVerificationCode");
        promise(async move {
            let p = p?;
            let details = inner
                .client
                .get_user_attribute_verification_code(&p.attribute, p.client_metadata.as_ref())
                .await?;
            to_js(&CodeDeliveryResult {
                code_delivery: details.into(),
            })
        })
    }

    /// VerifyUserAttribute.
    #[wasm_bindgen(js_name = verifyUserAttribute, unchecked_return_type = "Promise<void>")]
    pub fn verify_user_attribute(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifyUserAttributeParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<VerifyUserAttributeParams>(params, "verifyUserAttribute");
        promise(async move {
            let p = p?;
            let code = p.code.into();
            inner
                .client
                .verify_user_attribute(&p.attribute, &code)
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// DeleteUserAttributes.
    #[wasm_bindgen(js_name = deleteUserAttributes, unchecked_return_type = "Promise<void>")]
    pub fn delete_user_attributes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeleteUserAttributesParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<DeleteUserAttributesParams>(params, "deleteUserAttributes");
        promise(async move {
            let p = p?;
            inner.client.delete_user_attributes(&p.attributes).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// ChangePassword.
    #[wasm_bindgen(js_name = changePassword, unchecked_return_type = "Promise<void>")]
    pub fn change_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChangePasswordParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<ChangePasswordParams>(params, "changePassword");
        promise(async move {
            let p = p?;
            let (old, new) = (p.old_password.into(), p.new_password.into());
            inner.client.change_password(&old, &new).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// DeleteUser; the session is cleared and `onSessionChange` listeners get `null`.
    #[wasm_bindgen(js_name = deleteUser, unchecked_return_type = "Promise<void>")]
    pub fn delete_user(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            inner.pending.replace(None);
            let before = inner.client.current_session();
            let result = inner.client.delete_user().await;
            if inner.client.current_session().is_none() {
                inner.notify(None);
                inner.emit(before.as_ref(), None, crate::events::Cause::SignOut, None);
            }
            result?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Declared in the custom section above (its parameter is optional).
    #[wasm_bindgen(js_name = associateSoftwareToken, skip_typescript)]
    pub fn associate_software_token(&self, params: JsValue) -> Promise {
        let inner = self.inner.clone();
        let p =
            from_js_or_default::<AssociateSoftwareTokenParams>(params, "associateSoftwareToken");
        promise(async move {
            let p = p?;
            let challenge = pending_mfa_setup(&inner);
            let association = inner
                .client
                .associate_software_token(challenge.as_ref())
                .await?;
            let username = match &challenge {
                Some(pending) => {
                    // Cognito answers with the challenge's next Session.
                    if let Some(session) = &association.session {
                        inner.pending.with(|slot| {
                            if let Some(held) = slot.as_mut().filter(|held| *held == pending) {
                                held.session = Some(session.clone());
                            }
                        });
                    }
                    pending.username.clone()
                }
                None => inner
                    .client
                    .current_session()
                    .map(|s| s.username)
                    .unwrap_or_default(),
            };
            let issuer = p
                .issuer
                .unwrap_or_else(|| inner.client.config().user_pool.as_str().to_owned());
            let account = p.account_name.unwrap_or(username);
            let secret = association.secret_code.expose_secret();
            to_js(&SecretView {
                secret_code: secret,
                uri: otpauth_uri(&issuer, &account, secret),
            })
        })
    }

    /// VerifySoftwareToken for the signed-in user (then turn TOTP on with `setMfaPreference`).
    #[wasm_bindgen(
        js_name = verifySoftwareToken,
        unchecked_return_type = "Promise<{ status: string }>"
    )]
    pub fn verify_software_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "VerifySoftwareTokenParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<VerifySoftwareTokenParams>(params, "verifySoftwareToken");
        promise(async move {
            let p = p?;
            let code = p.code.into();
            let answer = inner
                .client
                .verify_software_token(&code, p.friendly_device_name.as_deref(), None)
                .await?;
            to_js(&VerifyView {
                status: answer.status.unwrap_or_else(|| "SUCCESS".into()),
            })
        })
    }

    /// SetUserMFAPreference; an absent factor is left as it is.
    #[wasm_bindgen(js_name = setMfaPreference, unchecked_return_type = "Promise<void>")]
    pub fn set_mfa_preference(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MfaPreferenceParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<MfaPreferenceParams>(params, "setMfaPreference");
        promise(async move {
            let p = p?;
            let preference = MfaPreference {
                totp: p.totp.map(Into::into),
                sms: p.sms.map(Into::into),
                email: p.email.map(Into::into),
            };
            inner.client.set_mfa_preference(&preference).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

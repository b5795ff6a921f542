//! `CognitoAuth`'s passkey methods (another `impl` block): associatePasskey, listPasskeys,
//! deletePasskey. The calls are in [`crate::passkeys`], the browser's part in `super::webauthn`.

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::auth::CognitoAuth;
use super::convert::{from_js, from_js_or_default, to_js};
use super::promise::promise;
use super::webauthn;
use crate::wire::WebAuthnCredential;

#[wasm_bindgen(typescript_custom_section)]
const PASSKEY_TYPES: &str = r#"
export interface ListPasskeysParams {
  /** 1–20 (Cognito's maximum and default). */
  limit?: number;
  nextToken?: string;
}

export interface PasskeyInfo {
  /** base64url. */
  credentialId: string;
  friendlyName?: string;
  relyingPartyId?: string;
  /** `platform` or `cross-platform`, when known. */
  authenticatorAttachment?: string;
  /** `internal`, `usb`, `nfc`, `ble`, `hybrid`, … */
  transports: string[];
  /** Epoch milliseconds. */
  createdAt?: number;
}

export interface ListPasskeysResult {
  passkeys: PasskeyInfo[];
  nextToken?: string;
}

export interface DeletePasskeyParams {
  credentialId: string;
}

export interface CognitoAuth {
  /** ListWebAuthnCredentials: the signed-in user's passkeys. */
  listPasskeys(params?: ListPasskeysParams): Promise<ListPasskeysResult>;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListPasskeysParams {
    limit: Option<u32>,
    next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DeletePasskeyParams {
    credential_id: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PasskeyView {
    credential_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    friendly_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    relying_party_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authenticator_attachment: Option<String>,
    transports: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<f64>,
}

impl From<WebAuthnCredential> for PasskeyView {
    fn from(c: WebAuthnCredential) -> Self {
        PasskeyView {
            credential_id: c.credential_id,
            friendly_name: c.friendly_credential_name,
            relying_party_id: c.relying_party_id,
            authenticator_attachment: c.authenticator_attachment,
            transports: c.authenticator_transports,
            created_at: c.created_at.map(|s| (s * 1000.0).round()),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListPasskeysView {
    passkeys: Vec<PasskeyView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Registers a passkey for the signed-in user: StartWebAuthnRegistration,
    /// `navigator.credentials.create`, CompleteWebAuthnRegistration. Rejects with
    /// `WebAuthnError` (`code` = the DOMException's name) when the prompt is refused, and with
    /// `InvalidParameterError` before any request where there is no `navigator.credentials`.
    #[wasm_bindgen(js_name = associatePasskey, unchecked_return_type = "Promise<void>")]
    pub fn associate_passkey(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            webauthn::credentials()?;
            let options = inner.client.start_passkey_registration().await?;
            let credential = webauthn::create(&options).await?;
            inner
                .client
                .complete_passkey_registration(&credential)
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Declared in the section above (optional parameter).
    #[wasm_bindgen(js_name = listPasskeys, skip_typescript)]
    pub fn list_passkeys(&self, params: JsValue) -> Promise {
        let inner = self.inner.clone();
        let p = from_js_or_default::<ListPasskeysParams>(params, "listPasskeys");
        promise(async move {
            let p = p?;
            let answer = inner
                .client
                .list_passkeys(p.limit, p.next_token.as_deref())
                .await?;
            to_js(&ListPasskeysView {
                passkeys: answer.credentials.into_iter().map(Into::into).collect(),
                next_token: answer.next_token,
            })
        })
    }

    /// DeleteWebAuthnCredential: removes one of the signed-in user's passkeys.
    #[wasm_bindgen(js_name = deletePasskey, unchecked_return_type = "Promise<void>")]
    pub fn delete_passkey(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeletePasskeyParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<DeletePasskeyParams>(params, "deletePasskey");
        promise(async move {
            let p = p?;
            inner.client.delete_passkey(&p.credential_id).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

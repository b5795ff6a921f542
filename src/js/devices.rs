//! `CognitoAuth`'s device methods (another `impl` block): ListDevices, ForgetDevice,
//! UpdateDeviceStatus (this device's key: `device_key.rs`). Remembering is the constructor's
//! `rememberDevices`.

use js_sys::Promise;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use super::auth::CognitoAuth;
use super::convert::{from_js, from_js_or_default, to_js};
use super::promise::promise;
use crate::device::DeviceType;

#[wasm_bindgen(typescript_custom_section)]
const DEVICE_TYPES: &str = r#"
export interface ListDevicesParams {
  /** 1–60; Cognito's default when absent. */
  limit?: number;
  paginationToken?: string;
}

export interface DeviceInfo {
  deviceKey: string;
  /** `device_name`, `device_status`, `device_remembered_status`, … */
  attributes: Record<string, string>;
  /** Epoch milliseconds. */
  createdAt?: number;
  lastModifiedAt?: number;
  lastAuthenticatedAt?: number;
}

export interface ListDevicesResult {
  devices: DeviceInfo[];
  paginationToken?: string;
}

export interface ForgetDeviceParams {
  /** Default: this device (its stored keys are then removed). */
  deviceKey?: string;
}

export interface UpdateDeviceStatusParams {
  /** Default: this device. */
  deviceKey?: string;
  remembered: boolean;
}

export interface CognitoAuth {
  /** ListDevices: the signed-in user's devices. */
  listDevices(params?: ListDevicesParams): Promise<ListDevicesResult>;
  /** ForgetDevice (default this device; its stored keys are removed). */
  forgetDevice(params?: ForgetDeviceParams): Promise<void>;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ListDevicesParams {
    limit: Option<u32>,
    pagination_token: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct ForgetDeviceParams {
    device_key: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UpdateDeviceStatusParams {
    device_key: Option<String>,
    remembered: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeviceView {
    device_key: String,
    attributes: alloc::collections::BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_modified_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_authenticated_at: Option<f64>,
}

impl From<DeviceType> for DeviceView {
    fn from(d: DeviceType) -> Self {
        let ms = |s: Option<f64>| s.map(|s| (s * 1000.0).round());
        DeviceView {
            device_key: d.device_key.unwrap_or_default(),
            attributes: d
                .device_attributes
                .into_iter()
                .map(|a| (a.name, a.value))
                .collect(),
            created_at: ms(d.device_create_date),
            last_modified_at: ms(d.device_last_modified_date),
            last_authenticated_at: ms(d.device_last_authenticated_date),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ListDevicesView {
    devices: Vec<DeviceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination_token: Option<String>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Declared in the section above (optional parameter).
    #[wasm_bindgen(js_name = listDevices, skip_typescript)]
    pub fn list_devices(&self, params: JsValue) -> Promise {
        let inner = self.inner.clone();
        let p = from_js_or_default::<ListDevicesParams>(params, "listDevices");
        promise(async move {
            let p = p?;
            let answer = inner
                .client
                .list_devices(p.limit, p.pagination_token.as_deref())
                .await?;
            to_js(&ListDevicesView {
                devices: answer.devices.into_iter().map(Into::into).collect(),
                pagination_token: answer.pagination_token,
            })
        })
    }

    /// Declared in the section above (optional parameter).
    #[wasm_bindgen(js_name = forgetDevice, skip_typescript)]
    pub fn forget_device(&self, params: JsValue) -> Promise {
        let inner = self.inner.clone();
        let p = from_js_or_default::<ForgetDeviceParams>(params, "forgetDevice");
        promise(async move {
            let p = p?;
            inner.client.forget_device(p.device_key.as_deref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// UpdateDeviceStatus (default this device): `remembered` or `not_remembered`.
    #[wasm_bindgen(js_name = updateDeviceStatus, unchecked_return_type = "Promise<void>")]
    pub fn update_device_status(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UpdateDeviceStatusParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = from_js::<UpdateDeviceStatusParams>(params, "updateDeviceStatus");
        promise(async move {
            let p = p?;
            inner
                .client
                .update_device_status(p.device_key.as_deref(), p.remembered)
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

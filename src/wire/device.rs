//! Remembered devices: ConfirmDevice, ListDevices, ForgetDevice, UpdateDeviceStatus.

use super::{AttributeType, FromJson};
use crate::json::{element, fields, DecodeError, Value, Writer};
use crate::prelude::*;

/// Body of ConfirmDevice.
pub struct ConfirmDeviceRequest<'a> {
    pub access_token: &'a str,
    pub device_key: &'a str,
    /// `DeviceSecretVerifierConfig.PasswordVerifier`.
    pub password_verifier: &'a str,
    /// `DeviceSecretVerifierConfig.Salt`.
    pub salt: &'a str,
    pub device_name: Option<&'a str>,
}

impl ConfirmDeviceRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.string("DeviceKey", self.device_key);
        w.begin_object("DeviceSecretVerifierConfig");
        w.string("PasswordVerifier", self.password_verifier);
        w.string("Salt", self.salt);
        w.end_object();
        w.opt_string("DeviceName", self.device_name);
        w.finish()
    }
}

/// Body of ListDevices.
pub struct ListDevicesRequest<'a> {
    pub access_token: &'a str,
    pub limit: Option<u32>,
    pub pagination_token: Option<&'a str>,
}

impl ListDevicesRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.opt_uint("Limit", self.limit.map(u64::from));
        w.opt_string("PaginationToken", self.pagination_token);
        w.finish()
    }
}

/// A device as ListDevices describes it.
#[derive(Debug, Clone, Default)]
pub struct DeviceType {
    pub device_key: Option<String>,
    pub device_attributes: Vec<AttributeType>,
    /// Seconds since the Unix epoch (with a fraction).
    pub device_create_date: Option<f64>,
    pub device_last_modified_date: Option<f64>,
    pub device_last_authenticated_date: Option<f64>,
}

/// Answer of ListDevices.
#[derive(Debug, Clone, Default)]
pub struct ListDevicesResponse {
    pub devices: Vec<DeviceType>,
    pub pagination_token: Option<String>,
}

impl FromJson for ListDevicesResponse {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        fn device(item: &Value, key: &'static str) -> Result<DeviceType, DecodeError> {
            let d = element(item, key, "struct DeviceType")?;
            Ok(DeviceType {
                device_key: d.opt_string("DeviceKey")?,
                device_attributes: AttributeType::list(&d, "DeviceAttributes")?,
                device_create_date: d.opt_f64("DeviceCreateDate")?,
                device_last_modified_date: d.opt_f64("DeviceLastModifiedDate")?,
                device_last_authenticated_date: d.opt_f64("DeviceLastAuthenticatedDate")?,
            })
        }
        let f = fields(value, "struct ListDevicesResponse")?;
        Ok(ListDevicesResponse {
            devices: f.list("Devices", device)?,
            pagination_token: f.opt_string("PaginationToken")?,
        })
    }
}

/// Body of ForgetDevice and UpdateDeviceStatus.
pub struct DeviceRequest<'a> {
    pub access_token: &'a str,
    pub device_key: &'a str,
    pub device_remembered_status: Option<&'a str>,
}

impl DeviceRequest<'_> {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("AccessToken", self.access_token);
        w.string("DeviceKey", self.device_key);
        w.opt_string("DeviceRememberedStatus", self.device_remembered_status);
        w.finish()
    }
}

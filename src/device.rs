//! The signed-in user's remembered devices: this device's key, ListDevices, ForgetDevice,
//! UpdateDeviceStatus. Remembering one (ConfirmDevice) and signing in with it (DEVICE_SRP_AUTH)
//! are steps of the sign-in (`src/sign_in.rs`); the device math is in [`crate::srp::device`] and
//! the stored keys in [`crate::storage`].

use crate::client::Cognito;
use crate::error::Error;
use crate::prelude::*;
use crate::secret::SecretString;
use crate::session::Session;
use crate::storage::{clear_device, load_device, TokenStore};
use crate::transport::Platform;
use crate::wire::{DeviceRequest, Empty, ListDevicesRequest, Operation};

pub use crate::client::DeviceOptions;
pub use crate::storage::DeviceSecrets;
pub use crate::wire::{DeviceType, ListDevicesResponse, NewDeviceMetadata};

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// The access token of the current session (refreshed first when near expiry).
    async fn device_access_token(&self) -> Result<(Session, SecretString), Error> {
        let session = self
            .get_session()
            .await?
            .ok_or_else(|| Error::invalid_parameter("not signed in"))?;
        let token = session.access_token.clone();
        Ok((session, token))
    }

    /// The device key stored for the signed-in user.
    pub async fn current_device_key(&self) -> Result<Option<String>, Error> {
        let Some(session) = self.load_session().await? else {
            return Ok(None);
        };
        Ok(
            load_device(self.store(), self.storage_keys(), &session.username)
                .await?
                .map(|d| d.device_key),
        )
    }

    /// ListDevices.
    pub async fn list_devices(
        &self,
        limit: Option<u32>,
        pagination_token: Option<&str>,
    ) -> Result<ListDevicesResponse, Error> {
        let (_, token) = self.device_access_token().await?;
        let body = ListDevicesRequest {
            access_token: token.expose_secret(),
            limit,
            pagination_token,
        };
        self.call(Operation::ListDevices, body.to_json()).await
    }

    /// `device_key`, or this device's, or an error when neither is known.
    async fn which_device(
        &self,
        session: &Session,
        device_key: Option<&str>,
    ) -> Result<(String, bool), Error> {
        let stored = load_device(self.store(), self.storage_keys(), &session.username)
            .await?
            .map(|d| d.device_key);
        match (device_key.filter(|k| !k.is_empty()), stored) {
            (Some(key), stored) => Ok((key.to_owned(), stored.as_deref() == Some(key))),
            (None, Some(stored)) => Ok((stored, true)),
            (None, None) => Err(Error::invalid_parameter(
                "deviceKey is required: this device is not remembered",
            )),
        }
    }

    /// ForgetDevice (default: this device, whose stored keys are then removed).
    pub async fn forget_device(&self, device_key: Option<&str>) -> Result<(), Error> {
        let (session, token) = self.device_access_token().await?;
        let (key, is_this) = self.which_device(&session, device_key).await?;
        let body = DeviceRequest {
            access_token: token.expose_secret(),
            device_key: &key,
            device_remembered_status: None,
        };
        let sent = self
            .call::<Empty>(Operation::ForgetDevice, body.to_json())
            .await;
        if is_this && (sent.is_ok() || sent.as_ref().is_err_and(Error::is_stale_device)) {
            clear_device(self.store(), self.storage_keys(), &session.username).await?;
        }
        sent.map(drop)
    }

    /// UpdateDeviceStatus (default: this device).
    pub async fn update_device_status(
        &self,
        device_key: Option<&str>,
        remembered: bool,
    ) -> Result<(), Error> {
        let (session, token) = self.device_access_token().await?;
        let (key, _) = self.which_device(&session, device_key).await?;
        let body = DeviceRequest {
            access_token: token.expose_secret(),
            device_key: &key,
            device_remembered_status: Some(if remembered {
                "remembered"
            } else {
                "not_remembered"
            }),
        };
        self.call::<Empty>(Operation::UpdateDeviceStatus, body.to_json())
            .await
            .map(drop)
    }
}

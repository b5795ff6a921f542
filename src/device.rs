//! Remembered devices, as amazon-cognito-identity-js 6.x does them.
//!
//! - After a sign-in whose `AuthenticationResult` carries `NewDeviceMetadata`, and only when the
//!   client was built with [`DeviceOptions::remember`], the client makes a device password (40
//!   random bytes, base64) and a 16-byte salt, and sends ConfirmDevice with the SRP verifier
//!   `v = g^x`, `x = H(bytes(hex(salt)) ‖ H(deviceGroupKey ‖ deviceKey ‖ ":" ‖ password))`
//!   (`generateHashDevice`). It then stores, with `P = CognitoIdentityServiceProvider.<clientId>`,
//!   `P.<username>.deviceKey`, `.deviceGroupKey` and `.randomPasswordKey`. Sign-out keeps them.
//! - Later sign-ins send `DEVICE_KEY` with InitiateAuth and the PASSWORD_VERIFIER answer. When
//!   Cognito answers DEVICE_SRP_AUTH the client sends a fresh `SRP_A`, then answers
//!   DEVICE_PASSWORD_VERIFIER exactly as PASSWORD_VERIFIER with `deviceGroupKey` for the pool name,
//!   `deviceKey` for the user id and the device password.
//! - A device Cognito no longer knows (ResourceNotFoundException about the device) is removed from
//!   storage and the sign-in is tried once more without it.

use std::collections::{BTreeMap, HashMap};

use base64::Engine;
use num_bigint::BigUint;
use zeroize::Zeroize;

use crate::challenge::SignInStep;
use crate::client::{AuthFlow, Cognito};
use crate::error::Error;
use crate::secret::SecretString;
use crate::session::Session;
use crate::srp::group::Group;
use crate::srp::hex::to_signed_bytes;
use crate::srp::{
    compute_x, respond_to_password_verifier, ClientEphemeral, PasswordVerifierChallenge, SrpError,
};
use crate::storage::{StorageKeys, TokenStore};
use crate::transport::Platform;
use crate::wire::{
    AuthResponse, ConfirmDeviceRequest, DeviceRequest, Empty, ListDevicesRequest, Operation,
    RespondToAuthChallengeRequest,
};
pub use crate::wire::{DeviceType, ListDevicesResponse, NewDeviceMetadata};

/// Whether and how the client remembers the devices it signs in on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceOptions {
    /// ConfirmDevice after each sign-in that offers `NewDeviceMetadata`.
    pub remember: bool,
    /// ConfirmDevice's `DeviceName`.
    pub device_name: Option<String>,
}

/// What is stored for a confirmed device.
#[derive(Debug, Clone)]
pub struct DeviceSecrets {
    pub device_key: String,
    pub device_group_key: String,
    /// The device password (`randomPasswordKey`).
    pub password: SecretString,
}

/// ConfirmDevice's `DeviceSecretVerifierConfig` and the password it was made from.
#[derive(Debug, Clone)]
pub struct DeviceVerifier {
    pub password: SecretString,
    /// `base64(bytes(hex(salt)))`.
    pub salt: String,
    /// `base64(bytes(hex(v)))`.
    pub password_verifier: String,
}

/// Length of the device password's random bytes and of the salt (amazon-cognito-identity-js).
pub const PASSWORD_BYTES: usize = 40;
pub const SALT_BYTES: usize = 16;

/// The verifier of `password` for a device, with `salt` as big-endian bytes
/// (`generateHashDevice`: leading zero bytes of the salt do not count).
pub fn device_verifier(
    device_group_key: &str,
    device_key: &str,
    password: &SecretString,
    salt: &[u8],
) -> DeviceVerifier {
    let salt = BigUint::from_bytes_be(salt);
    let x = compute_x(&salt, device_group_key, device_key, password);
    let v = Group::cognito().pow_g(&x);
    let b64 = base64::engine::general_purpose::STANDARD;
    DeviceVerifier {
        password: password.clone(),
        salt: b64.encode(to_signed_bytes(&salt)),
        password_verifier: b64.encode(to_signed_bytes(&v)),
    }
}

/// A fresh device password (`base64` of 40 random bytes) and salt, and their verifier.
pub fn random_device_verifier(
    device_group_key: &str,
    device_key: &str,
) -> Result<DeviceVerifier, SrpError> {
    let mut bytes = [0u8; PASSWORD_BYTES + SALT_BYTES];
    if getrandom::fill(&mut bytes).is_err() {
        return Err(SrpError::RandomSource);
    }
    let password = SecretString::new(
        base64::engine::general_purpose::STANDARD.encode(&bytes[..PASSWORD_BYTES]),
    );
    let verifier = device_verifier(
        device_group_key,
        device_key,
        &password,
        &bytes[PASSWORD_BYTES..],
    );
    bytes.zeroize();
    Ok(verifier)
}

/// The DEVICE_PASSWORD_VERIFIER `ChallengeResponses` (without `SECRET_HASH`) at `unix_seconds`:
/// PASSWORD_VERIFIER's math with `deviceGroupKey` as the pool name and `deviceKey` as the user id.
pub fn respond_to_device_password_verifier(
    username: &str,
    device: &DeviceSecrets,
    ephemeral: &ClientEphemeral,
    parameters: &HashMap<String, String>,
    unix_seconds: u64,
) -> Result<BTreeMap<String, String>, SrpError> {
    let mut parameters = parameters.clone();
    parameters.insert("USER_ID_FOR_SRP".into(), device.device_key.clone());
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters)?;
    let response = respond_to_password_verifier(
        &device.device_group_key,
        &device.password,
        ephemeral,
        &challenge,
        unix_seconds,
    )?;
    let mut responses: BTreeMap<String, String> = response
        .into_parameters()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
    responses.insert("USERNAME".into(), username.to_owned());
    responses.insert("DEVICE_KEY".into(), device.device_key.clone());
    Ok(responses)
}

/// `[deviceKey, deviceGroupKey, randomPasswordKey]` keys of `username`.
pub fn device_storage_keys(keys: &StorageKeys, username: &str) -> [String; 3] {
    ["deviceKey", "deviceGroupKey", "randomPasswordKey"]
        .map(|name| format!("{}.{username}.{name}", keys.prefix()))
}

/// The device stored for `username`, if all three keys are there and not empty.
pub async fn load_device<S: TokenStore>(
    store: &S,
    keys: &StorageKeys,
    username: &str,
) -> Result<Option<DeviceSecrets>, Error> {
    let [key, group, password] = device_storage_keys(keys, username);
    let get = |k: String| async move {
        store
            .get_item(&k)
            .await
            .map(|v| v.filter(|v| !v.is_empty()))
    };
    let (Some(device_key), Some(device_group_key), Some(password)) =
        (get(key).await?, get(group).await?, get(password).await?)
    else {
        return Ok(None);
    };
    Ok(Some(DeviceSecrets {
        device_key,
        device_group_key,
        password: SecretString::new(password),
    }))
}

/// Stores `device` for `username` (the device key last, so a reader never sees a half device).
pub async fn save_device<S: TokenStore>(
    store: &S,
    keys: &StorageKeys,
    username: &str,
    device: &DeviceSecrets,
) -> Result<(), Error> {
    let [key, group, password] = device_storage_keys(keys, username);
    store
        .set_item(&password, device.password.expose_secret())
        .await?;
    store.set_item(&group, &device.device_group_key).await?;
    store.set_item(&key, &device.device_key).await
}

/// Removes the device keys of `username`; tries all three, reports the first failure.
pub async fn clear_device<S: TokenStore>(
    store: &S,
    keys: &StorageKeys,
    username: &str,
) -> Result<(), Error> {
    let mut first_error = None;
    for key in device_storage_keys(keys, username) {
        if let Err(e) = store.remove_item(&key).await {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// Whether `e` says Cognito does not know the device (a stale device key).
pub fn is_stale_device_error(e: &Error) -> bool {
    e.code() == "ResourceNotFoundException" && e.to_string().to_ascii_lowercase().contains("device")
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// Signs in (see `sign_in_once`), with the device stored for `username` when there is one; a
    /// stale device is forgotten here and the sign-in tried once more without it.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &SecretString,
        flow: AuthFlow,
        ephemeral: Option<ClientEphemeral>,
        client_metadata: Option<&HashMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        let device = self.stored_device(username).await;
        let first = self
            .sign_in_once(
                username,
                password,
                flow,
                ephemeral,
                client_metadata,
                device.as_ref(),
            )
            .await;
        match first {
            Err(e) if is_stale_device_error(&e) => {
                let _ = clear_device(self.store(), self.storage_keys(), username).await;
                self.sign_in_once(username, password, flow, None, client_metadata, None)
                    .await
            }
            other => other,
        }
    }

    /// The device stored for `username`; a store that fails reads as none.
    pub(crate) async fn stored_device(&self, username: &str) -> Option<DeviceSecrets> {
        load_device(self.store(), self.storage_keys(), username)
            .await
            .ok()
            .flatten()
    }

    /// The device for the PASSWORD_VERIFIER answer: the one found for the typed name, else the one
    /// stored for `USER_ID_FOR_SRP` (amazon-cognito-identity-js looks it up again under that name).
    pub(crate) async fn device_for_user(
        &self,
        device: Option<&DeviceSecrets>,
        user_id: &str,
    ) -> Option<DeviceSecrets> {
        match device {
            Some(device) => Some(device.clone()),
            None => self.stored_device(user_id).await,
        }
    }

    /// After the PASSWORD_VERIFIER answer (or InitiateAuth): DEVICE_SRP_AUTH is answered with the
    /// device; anything else concludes as usual. A stale device is removed from storage.
    pub(crate) async fn after_password(
        &self,
        sent: Result<AuthResponse, Error>,
        user_id: &str,
        device: Option<&DeviceSecrets>,
        client_metadata: Option<&HashMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        let result = match (sent, device) {
            (Ok(answer), Some(device))
                if answer.challenge_name.as_deref() == Some("DEVICE_SRP_AUTH") =>
            {
                self.device_srp_auth(answer, user_id, device, client_metadata)
                    .await
            }
            (Ok(answer), _) => self.conclude(answer, user_id).await,
            (Err(e), _) => Err(e),
        };
        if let (Err(e), Some(_)) = (&result, device) {
            if is_stale_device_error(e) {
                let _ = clear_device(self.store(), self.storage_keys(), user_id).await;
            }
        }
        result
    }

    /// DEVICE_SRP_AUTH with a fresh `A`, then DEVICE_PASSWORD_VERIFIER.
    async fn device_srp_auth(
        &self,
        answer: AuthResponse,
        user_id: &str,
        device: &DeviceSecrets,
        client_metadata: Option<&HashMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        let ephemeral = ClientEphemeral::random()?;
        let username = answer
            .challenge_parameters
            .get("USERNAME")
            .cloned()
            .unwrap_or_else(|| user_id.to_owned());
        let mut responses = BTreeMap::from([
            ("USERNAME".to_owned(), username.clone()),
            ("DEVICE_KEY".to_owned(), device.device_key.clone()),
            ("SRP_A".to_owned(), ephemeral.public_hex()),
        ]);
        self.add_secret_hash(&mut responses, &username);
        let body = RespondToAuthChallengeRequest {
            challenge_name: "DEVICE_SRP_AUTH",
            client_id: &self.config().client_id,
            challenge_responses: responses,
            session: answer.session.as_deref(),
            client_metadata,
        };
        let verifier: AuthResponse = self
            .call(Operation::RespondToAuthChallenge, body.to_json())
            .await?;
        if verifier.challenge_name.as_deref() != Some("DEVICE_PASSWORD_VERIFIER") {
            return self.conclude(verifier, &username).await;
        }
        let username = verifier
            .challenge_parameters
            .get("USERNAME")
            .cloned()
            .unwrap_or(username);
        let now_s = self.platform().now_ms() / 1000;
        let mut responses = respond_to_device_password_verifier(
            &username,
            device,
            &ephemeral,
            &verifier.challenge_parameters,
            now_s,
        )?;
        self.add_secret_hash(&mut responses, &username);
        let body = RespondToAuthChallengeRequest {
            challenge_name: "DEVICE_PASSWORD_VERIFIER",
            client_id: &self.config().client_id,
            challenge_responses: responses,
            session: verifier.session.as_deref(),
            client_metadata,
        };
        let next: AuthResponse = self
            .call(Operation::RespondToAuthChallenge, body.to_json())
            .await?;
        self.conclude(next, &username).await
    }

    fn add_secret_hash(&self, responses: &mut BTreeMap<String, String>, username: &str) {
        if let Some(secret) = self.config().client_secret.as_ref() {
            let hash = crate::secret_hash::secret_hash(secret, username, &self.config().client_id);
            responses.insert("SECRET_HASH".into(), hash);
        }
    }

    /// With [`DeviceOptions::remember`]: ConfirmDevice for `metadata` and store the device.
    pub(crate) async fn remember_new_device(
        &self,
        metadata: Option<&NewDeviceMetadata>,
        session: &Session,
    ) -> Result<(), Error> {
        let (Some(metadata), true) = (metadata, self.device_options().remember) else {
            return Ok(());
        };
        let verifier = random_device_verifier(&metadata.device_group_key, &metadata.device_key)?;
        let body = ConfirmDeviceRequest {
            access_token: session.access_token.expose_secret(),
            device_key: &metadata.device_key,
            password_verifier: &verifier.password_verifier,
            salt: &verifier.salt,
            device_name: self.device_options().device_name.as_deref(),
        };
        self.call::<Empty>(Operation::ConfirmDevice, body.to_json())
            .await?;
        let device = DeviceSecrets {
            device_key: metadata.device_key.clone(),
            device_group_key: metadata.device_group_key.clone(),
            password: verifier.password,
        };
        save_device(
            self.store(),
            self.storage_keys(),
            &session.username,
            &device,
        )
        .await
    }

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
        if is_this && (sent.is_ok() || sent.as_ref().is_err_and(is_stale_device_error)) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::{compute_premaster_secret, compute_u, derive_key, password_signature};
    use crate::storage::MemoryStore;
    use crate::testing::block_on;

    #[test]
    fn verifier_is_generate_hash_device() {
        let password = SecretString::from("pw");
        let salt = [0u8, 0x80, 1, 2];
        let v = device_verifier("-group", "us-east-1_dev", &password, &salt);
        let b64 = base64::engine::general_purpose::STANDARD;
        // Leading zero bytes dropped, then 00 prepended as the top bit is set.
        assert_eq!(b64.decode(&v.salt).unwrap(), vec![0, 0x80, 1, 2]);
        let salt_int = BigUint::from_bytes_be(&salt);
        let x = compute_x(&salt_int, "-group", "us-east-1_dev", &password);
        let expected = Group::cognito().pow_g(&x);
        assert_eq!(
            BigUint::from_bytes_be(&b64.decode(&v.password_verifier).unwrap()),
            expected
        );
    }

    #[test]
    fn device_answer_verifies_against_the_verifier() {
        // Server side of SRP with the device verifier: S = (A·v^u)^b.
        let verifier = random_device_verifier("-grp", "dk").unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        let v = BigUint::from_bytes_be(&b64.decode(&verifier.password_verifier).unwrap());
        let salt = BigUint::from_bytes_be(&b64.decode(&verifier.salt).unwrap());
        let group = Group::cognito();
        let b = BigUint::from(123_456_789u64);
        let big_b = (&group.k * &v + group.pow_g(&b)) % &group.n;
        let ephemeral = ClientEphemeral::random().unwrap();
        let params = HashMap::from([
            ("SALT".to_owned(), salt.to_str_radix(16)),
            ("SRP_B".to_owned(), big_b.to_str_radix(16)),
            ("SECRET_BLOCK".to_owned(), b64.encode(b"block")),
            ("USERNAME".to_owned(), "alice".to_owned()),
        ]);
        let device = DeviceSecrets {
            device_key: "dk".into(),
            device_group_key: "-grp".into(),
            password: verifier.password.clone(),
        };
        let r =
            respond_to_device_password_verifier("alice", &device, &ephemeral, &params, 0).unwrap();
        assert_eq!(
            (r["USERNAME"].as_str(), r["DEVICE_KEY"].as_str()),
            ("alice", "dk")
        );
        let u = compute_u(ephemeral.public(), &big_b).unwrap();
        let s_server = group.pow(&((ephemeral.public() * group.pow(&v, &u)) % &group.n), &b);
        let key = derive_key(&u, &s_server);
        let expected = password_signature(&key, "-grp", "dk", b"block", &r["TIMESTAMP"]);
        assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"], expected);
        // The client's own S agrees.
        let x = compute_x(&salt, "-grp", "dk", &verifier.password);
        let s_client = compute_premaster_secret(&ephemeral, &big_b, &u, &x).unwrap();
        assert_eq!(s_client, s_server);
    }

    #[test]
    fn storage_layout_and_clearing() {
        let store = MemoryStore::default();
        let keys = StorageKeys::new("c1");
        let device = DeviceSecrets {
            device_key: "k".into(),
            device_group_key: "g".into(),
            password: "p".into(),
        };
        block_on(save_device(&store, &keys, "u", &device)).unwrap();
        let p = "CognitoIdentityServiceProvider.c1.u";
        assert_eq!(store.get(&format!("{p}.deviceKey")).as_deref(), Some("k"));
        assert_eq!(
            store.get(&format!("{p}.deviceGroupKey")).as_deref(),
            Some("g")
        );
        assert_eq!(
            store.get(&format!("{p}.randomPasswordKey")).as_deref(),
            Some("p")
        );
        let loaded = block_on(load_device(&store, &keys, "u")).unwrap().unwrap();
        assert_eq!(loaded.password.expose_secret(), "p");
        block_on(crate::storage::clear_session(&store, &keys, "u")).unwrap();
        assert_eq!(store.keys().len(), 3, "sign-out keeps the device");
        block_on(clear_device(&store, &keys, "u")).unwrap();
        assert!(store.keys().is_empty());
        assert!(block_on(load_device(&store, &keys, "u")).unwrap().is_none());
    }

    #[test]
    fn stale_device_errors() {
        let e = crate::wire::parse_error(
            400,
            None,
            r#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#,
        );
        assert!(is_stale_device_error(&e));
        let e = crate::wire::parse_error(
            400,
            None,
            r#"{"__type":"ResourceNotFoundException","message":"User pool client x does not exist."}"#,
        );
        assert!(!is_stale_device_error(&e));
    }
}

//! Where a session is kept between page loads, in amazon-cognito-identity-js's layout so an app
//! can switch libraries without signing its users out.
//!
//! Keys, with `P = CognitoIdentityServiceProvider.<clientId>`:
//! - `P.LastAuthUser` = the username (`USER_ID_FOR_SRP`, the access token's `username`)
//! - `P.<username>.idToken`, `.accessToken`, `.refreshToken`
//! - `P.<username>.clockDrift` = this machine's clock minus Cognito's, in whole **seconds**
//!   (`floor(now/1000) − iat`), as amazon-cognito-identity-js 5.x/6.x (and Amplify v5) write it.
//!   Amplify v6 stores milliseconds with the opposite sign under the same key; such a value is
//!   read as seconds here (documented limitation: the drift only shifts when a refresh happens).
//! - `P.<username>.deviceKey`, `.deviceGroupKey`, `.randomPasswordKey`: the remembered device
//!   (ConfirmDevice, `src/sign_in.rs`); sign-out keeps them.

use crate::prelude::*;
use core::cell::RefCell;
use core::future::Future;

use crate::error::Error;
use crate::map::VecMap;
use crate::secret::SecretString;
use crate::session::Session;

/// A key-value store for tokens (Web Storage, cookies, KV, memory, or the app's own object).
pub trait TokenStore {
    fn get_item(&self, key: &str) -> impl Future<Output = Result<Option<String>, Error>>;
    fn set_item(&self, key: &str, value: &str) -> impl Future<Output = Result<(), Error>>;
    fn remove_item(&self, key: &str) -> impl Future<Output = Result<(), Error>>;
    /// `set_item(key, value)` for `Some(value)`, else `remove_item(key)`: what every write of
    /// this module calls (a store may answer both with one future).
    fn write_item(
        &self,
        key: &str,
        value: Option<&str>,
    ) -> impl Future<Output = Result<(), Error>> {
        async move {
            match value {
                Some(value) => self.set_item(key, value).await,
                None => self.remove_item(key).await,
            }
        }
    }

    /// `get_item` of each key, in order, up to the first failure (which is the answer): the
    /// values in the keys' order. Every read of this module calls it (a store may answer with
    /// one call for the batch).
    fn read_items(
        &self,
        keys: &[String],
    ) -> impl Future<Output = Result<Vec<Option<String>>, Error>> {
        async move {
            let mut values = Vec::with_capacity(keys.len());
            for key in keys {
                values.push(self.get_item(key).await?);
            }
            Ok(values)
        }
    }

    /// `write_item` of each `(key, value)`, in order: up to the first failure, or (`try_all`)
    /// every item; the first failure is the answer. Every write of this module calls it (a
    /// store may answer with one call for the batch).
    fn write_items(
        &self,
        items: Vec<(String, Option<SecretString>)>,
        try_all: bool,
    ) -> impl Future<Output = Result<(), Error>> {
        async move {
            let mut first_error = None;
            for (key, value) in &items {
                if let Err(e) = self
                    .write_item(key, value.as_ref().map(SecretString::expose_secret))
                    .await
                {
                    first_error.get_or_insert(e);
                    if !try_all {
                        break;
                    }
                }
            }
            first_error.map_or(Ok(()), Err)
        }
    }
}

/// A store in memory: lost with the process or page.
#[derive(Debug, Default)]
pub struct MemoryStore {
    items: RefCell<VecMap<String, String>>,
}

impl MemoryStore {
    pub fn get(&self, key: &str) -> Option<String> {
        self.items.borrow().get(key).cloned()
    }

    pub fn set(&self, key: &str, value: &str) {
        self.items
            .borrow_mut()
            .insert(key.to_owned(), value.to_owned());
    }

    pub fn remove(&self, key: &str) {
        self.items.borrow_mut().remove(key);
    }

    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for key in self.items.borrow().keys() {
            keys.push(key.clone());
        }
        keys
    }
}

impl TokenStore for MemoryStore {
    async fn get_item(&self, key: &str) -> Result<Option<String>, Error> {
        Ok(self.get(key))
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), Error> {
        self.set(key, value);
        Ok(())
    }

    async fn remove_item(&self, key: &str) -> Result<(), Error> {
        self.remove(key);
        Ok(())
    }
}

/// The storage keys of one app client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageKeys {
    prefix: String,
}

impl StorageKeys {
    pub fn new(client_id: &str) -> Self {
        StorageKeys {
            prefix: ["CognitoIdentityServiceProvider.", client_id].cat(),
        }
    }

    /// `CognitoIdentityServiceProvider.<clientId>`: every key starts with it.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn last_auth_user(&self) -> String {
        [&self.prefix, ".LastAuthUser"].cat()
    }

    fn user_key(&self, username: &str, name: &str) -> String {
        [&self.prefix, ".", username, ".", name].cat()
    }

    /// `P.<username>.oauthSession` = `"true"` when the session came from the hosted UI (it then
    /// refreshes through `/oauth2/token`, not REFRESH_TOKEN_AUTH). Not an
    /// amazon-cognito-identity-js key.
    pub fn oauth_session(&self, username: &str) -> String {
        self.user_key(username, "oauthSession")
    }

    /// `P.oauth.pending`: the hosted-UI request under way (`{state, verifier, redirectUri}`).
    pub fn oauth_pending(&self) -> String {
        [&self.prefix, ".oauth.pending"].cat()
    }

    /// `[idToken, accessToken, refreshToken, clockDrift]` keys of `username`.
    pub fn user_keys(&self, username: &str) -> [String; 4] {
        [
            self.user_key(username, "idToken"),
            self.user_key(username, "accessToken"),
            self.user_key(username, "refreshToken"),
            self.user_key(username, "clockDrift"),
        ]
    }

    /// `[deviceKey, deviceGroupKey, randomPasswordKey]` keys of `username`.
    pub fn device_keys(&self, username: &str) -> [String; 3] {
        [
            self.user_key(username, "deviceKey"),
            self.user_key(username, "deviceGroupKey"),
            self.user_key(username, "randomPasswordKey"),
        ]
    }
}

/// What is stored for a confirmed device.
#[derive(Debug, Clone)]
pub struct DeviceSecrets {
    pub device_key: String,
    pub device_group_key: String,
    /// The device password (`randomPasswordKey`).
    pub password: SecretString,
}

/// The device stored for `username`, if all three keys are there and not empty (one
/// [`TokenStore::read_items`]).
pub async fn load_device<S: TokenStore>(
    store: &S,
    keys: &StorageKeys,
    username: &str,
) -> Result<Option<DeviceSecrets>, Error> {
    let values = store.read_items(&keys.device_keys(username)).await?;
    Ok(match <[Option<String>; 3]>::try_from(values) {
        Ok([Some(device_key), Some(device_group_key), Some(password)])
            if !device_key.is_empty() && !device_group_key.is_empty() && !password.is_empty() =>
        {
            Some(DeviceSecrets {
                device_key,
                device_group_key,
                password: SecretString::new(password),
            })
        }
        _ => None,
    })
}

/// [`load_device`], a store that fails reading as no device: what sign-in and refresh use.
pub async fn stored_device<S: TokenStore>(
    store: &S,
    keys: &StorageKeys,
    username: &str,
) -> Option<DeviceSecrets> {
    load_device(store, keys, username).await.ok().flatten()
}

/// Stores `device` for `username` (the device key last, so a reader never sees a half device,
/// and the first failure ends it), or with `None` removes the device keys of `username` (the
/// device key first; tries all three, reports the first failure): one
/// [`TokenStore::write_items`].
pub fn write_device<'a, S: TokenStore>(
    store: &'a S,
    keys: &StorageKeys,
    username: &str,
    device: Option<&DeviceSecrets>,
) -> impl Future<Output = Result<(), Error>> + 'a {
    let [key, group, password] = keys.device_keys(username);
    let items = match device {
        Some(device) => vec![
            (password, Some(device.password.clone())),
            (group, Some(device.device_group_key.as_str().into())),
            (key, Some(device.device_key.as_str().into())),
        ],
        None => vec![(key, None), (group, None), (password, None)],
    };
    store.write_items(items, device.is_none())
}

/// Stores `device` for `username` ([`write_device`]).
pub fn save_device<'a, S: TokenStore>(
    store: &'a S,
    keys: &StorageKeys,
    username: &str,
    device: &DeviceSecrets,
) -> impl Future<Output = Result<(), Error>> + 'a {
    write_device(store, keys, username, Some(device))
}

/// Removes the device keys of `username` ([`write_device`]).
pub fn clear_device<'a, S: TokenStore>(
    store: &'a S,
    keys: &StorageKeys,
    username: &str,
) -> impl Future<Output = Result<(), Error>> + 'a {
    write_device(store, keys, username, None)
}

/// The session stored for the last user, if complete. Tokens that do not decode count as none.
pub async fn load_session<S: TokenStore>(
    store: &S,
    keys: &StorageKeys,
) -> Result<Option<Session>, Error> {
    // LastAuthUser, then (one batch, all four read) that user's idToken, accessToken,
    // refreshToken and clockDrift; no user or a missing token is no session. One read site for
    // both batches.
    let mut batch = vec![keys.last_auth_user()];
    let mut user_read = false;
    loop {
        let values = store.read_items(&batch).await?;
        if user_read {
            return Ok(stored_session(&values));
        }
        let [Some(username)] = values.as_slice() else {
            return Ok(None);
        };
        if username.is_empty() {
            return Ok(None);
        }
        batch = keys.user_keys(username).into();
        user_read = true;
    }
}

/// The session that a user's `[idToken, accessToken, refreshToken, clockDrift]` values hold:
/// none without both tokens or when they do not decode; an empty refresh token is none, an
/// unreadable drift 0.
fn stored_session(values: &[Option<String>]) -> Option<Session> {
    let [Some(id_token), Some(access_token), refresh_token, drift] = values else {
        return None;
    };
    let refresh_token = refresh_token
        .as_ref()
        .filter(|t| !t.is_empty())
        .map(|t| SecretString::from(t.as_str()));
    let drift_seconds = drift
        .as_deref()
        .and_then(|d| crate::text::parse_i64(d.trim_ascii()))
        .unwrap_or(0);
    Session::restore(
        id_token,
        access_token,
        refresh_token,
        crate::session::seconds_to_ms(drift_seconds),
    )
    .ok()
}

/// Writes `session` in one go: ID and access tokens, refresh token, clock drift, then
/// LastAuthUser (last, so a reader never sees a user without tokens). The tokens come before
/// the refresh token: a reader that sees only part of the write (another tab, while Chromium
/// propagates the keys) then holds either new tokens with the old refresh token (valid; the next
/// refresh re-reads the store) or expiring tokens with the old one (a refresh within the rotation
/// grace period), never a new refresh token with expiring tokens (a second rotation). The first
/// failure ends it.
pub fn save_session<'a, S: TokenStore>(
    store: &'a S,
    keys: &StorageKeys,
    session: &Session,
) -> impl Future<Output = Result<(), Error>> + 'a {
    write_session(store, keys, &session.username, Some(session))
}

/// Removes every key this library writes for `username`, and LastAuthUser. Tries them all even
/// when one fails; reports the first failure.
pub fn clear_session<'a, S: TokenStore>(
    store: &'a S,
    keys: &StorageKeys,
    username: &str,
) -> impl Future<Output = Result<(), Error>> + 'a {
    write_session(store, keys, username, None)
}

/// [`save_session`] of `session` (whose user is `username`), or with `None` [`clear_session`]
/// of `username`: one future for both.
pub fn write_session<'a, S: TokenStore>(
    store: &'a S,
    keys: &StorageKeys,
    username: &str,
    session: Option<&Session>,
) -> impl Future<Output = Result<(), Error>> + 'a {
    let [id_key, access_key, refresh_key, drift_key] = keys.user_keys(username);
    let mut items = vec![
        (id_key, session.map(|s| s.id_token.clone())),
        (access_key, session.map(|s| s.access_token.clone())),
        (refresh_key, session.and_then(|s| s.refresh_token.clone())),
        (
            drift_key,
            session.map(|s| crate::text::decimal(s.clock_drift_ms.div_euclid(1000)).into()),
        ),
        (keys.last_auth_user(), session.map(|_| username.into())),
    ];
    // A write leaves `oauthSession` as it is (the hosted UI's sign-in sets it first).
    if session.is_none() {
        items.push((keys.oauth_session(username), None));
    }
    store.write_items(items, session.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::fake_jwt;
    use crate::testing::block_on;
    use serde_json::json;

    fn session(drift_ms: i64) -> Session {
        let id = fake_jwt(&json!({"exp": 2_000, "iat": 1_000, "cognito:username": "u-1"}));
        let access = fake_jwt(&json!({"exp": 2_000, "iat": 1_000, "username": "u-1"}));
        Session::restore(&id, &access, Some("refresh".into()), drift_ms).unwrap()
    }

    #[test]
    fn layout_is_amazon_cognito_identity_js() {
        let store = MemoryStore::default();
        let keys = StorageKeys::new("client1");
        block_on(save_session(&store, &keys, &session(-2_500))).unwrap();
        let p = "CognitoIdentityServiceProvider.client1";
        assert_eq!(
            store.get(&format!("{p}.LastAuthUser")).as_deref(),
            Some("u-1")
        );
        assert_eq!(
            store.get(&format!("{p}.u-1.refreshToken")).as_deref(),
            Some("refresh")
        );
        assert_eq!(
            store.get(&format!("{p}.u-1.clockDrift")).as_deref(),
            Some("-3"),
            "floor(-2.5 s)"
        );
        assert_eq!(store.keys().len(), 5);

        let loaded = block_on(load_session(&store, &keys)).unwrap().unwrap();
        assert_eq!(loaded.username, "u-1");
        assert_eq!(loaded.clock_drift_ms, -3_000);
        assert_eq!(loaded.expires_at_ms, 2_000_000 - 3_000);

        block_on(clear_session(&store, &keys, "u-1")).unwrap();
        assert!(store.keys().is_empty());
        assert!(block_on(load_session(&store, &keys)).unwrap().is_none());
    }

    #[test]
    fn device_layout_and_clearing() {
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
        block_on(clear_session(&store, &keys, "u")).unwrap();
        assert_eq!(store.keys().len(), 3, "sign-out keeps the device");
        block_on(clear_device(&store, &keys, "u")).unwrap();
        assert!(store.keys().is_empty());
        assert!(block_on(load_device(&store, &keys, "u")).unwrap().is_none());
    }

    #[test]
    fn incomplete_or_garbled_storage_is_no_session() {
        let store = MemoryStore::default();
        let keys = StorageKeys::new("c");
        store.set("CognitoIdentityServiceProvider.c.LastAuthUser", "u-1");
        assert!(
            block_on(load_session(&store, &keys)).unwrap().is_none(),
            "no tokens"
        );
        store.set("CognitoIdentityServiceProvider.c.u-1.idToken", "garbage");
        store.set(
            "CognitoIdentityServiceProvider.c.u-1.accessToken",
            "garbage",
        );
        assert!(
            block_on(load_session(&store, &keys)).unwrap().is_none(),
            "tokens not JWTs"
        );
    }
}

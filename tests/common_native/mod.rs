//! Fixtures shared by the native tests of the core client over
//! [`cognito_wasm::testing::Scripted`]: the client, a stored session, unsigned tokens.
#![allow(dead_code)]

use cognito_wasm::client::{CallOptions, Cognito};
use cognito_wasm::config::ClientConfig;
use cognito_wasm::session::Session;
use cognito_wasm::storage::{save_session, MemoryStore, StorageKeys};
use cognito_wasm::testing::{block_on, unsigned_jwt, Scripted};
use serde_json::{json, Value};

/// An unsigned JWT with the JSON object `claims` as payload.
pub fn jwt(claims: &Value) -> String {
    unsigned_jwt(&claims.to_string())
}

/// Claims of `username` valid until 2033 (`iat` = [`Scripted::NOW_MS`]).
pub fn claims(username: &str) -> Value {
    json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "username": username,
        "cognito:username": username})
}

/// A client of pool `us-east-1_AbC123`, app client `client1` (no secret, default endpoint), over
/// `platform` with an empty [`MemoryStore`].
pub fn client(platform: &Scripted) -> Cognito<&Scripted, MemoryStore> {
    let config = ClientConfig::new("us-east-1_AbC123", "client1", None, None).unwrap();
    Cognito::new(
        config,
        platform,
        MemoryStore::default(),
        CallOptions::default(),
    )
}

/// Stores a valid session of `ann` (tokens `jwt(&claims("ann"))`, refresh token `r`) in `c`'s
/// store; returns its access token.
pub fn sign_in(c: &Cognito<&Scripted, MemoryStore>) -> String {
    let access = jwt(&claims("ann"));
    let session = Session::restore(&access, &access, Some("r".into()), 0).unwrap();
    block_on(save_session(
        c.store(),
        &StorageKeys::new("client1"),
        &session,
    ))
    .unwrap();
    access
}

//! Token storage through the JS API against the emulator: custom sync and Promise-based objects,
//! `CookieStorage`, amazon-cognito-identity-js's key layout, restore on "reload", failures
//! that keep the session, sign-out that removes every key, and `onSessionChange`.
#![cfg(target_arch = "wasm32")]

mod common;

use cognito_wasm::js::{CognitoAuth, CookieStorage};
use common::*;
use js_sys::{Array, Function, Object, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A storage object written in JS: a Map behind getItem/setItem/removeItem, returning Promises
/// when `promises`, throwing on setItem when `failing_writes`.
fn js_storage(promises: bool, failing_writes: bool) -> JsValue {
    let wrap = if promises { "Promise.resolve" } else { "" };
    let body = format!(
        "const map = new Map();
         return {{
           map,
           getItem: (k) => {wrap}(map.has(k) ? map.get(k) : null),
           setItem: (k, v) => {{ if ({failing_writes}) throw new Error('QuotaExceededError: full'); return {wrap}(void map.set(k, v)); }},
           removeItem: (k) => {wrap}(void map.delete(k)),
         }};"
    );
    Function::new_no_args(&body)
        .call0(&JsValue::UNDEFINED)
        .expect("storage object")
}

/// The keys of a `js_storage` object.
fn stored(storage: &JsValue) -> Value {
    let map = Reflect::get(storage, &"map".into()).unwrap();
    let entries = Object::from_entries(&map).unwrap();
    from_js(entries.into())
}

fn auth_with(cfg: &Value, storage: &JsValue) -> CognitoAuth {
    let options = to_js(
        &json!({"userPoolId": cfg["userPoolId"], "clientId": cfg["clientId"], "endpoint": cfg["endpoint"]}),
    );
    Reflect::set(&options, &"storage".into(), storage).unwrap();
    CognitoAuth::new(options, None).expect("constructor")
}

async fn signed_in_user(cfg: &Value, storage: &JsValue) -> (CognitoAuth, String, Value) {
    let a = auth_with(cfg, storage);
    let username = unique("store");
    confirmed_user(&a, cfg["userPoolId"].as_str().unwrap(), &username).await;
    let result = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    (a, username, result["session"].clone())
}

async fn restores_after_reload(storage: JsValue) {
    let cfg = emulator().await;
    let (_, username, session) = signed_in_user(&cfg, &storage).await;
    let keys = stored(&storage);
    let prefix = format!(
        "CognitoIdentityServiceProvider.{}",
        cfg["clientId"].as_str().unwrap()
    );
    assert_eq!(keys[format!("{prefix}.LastAuthUser")], username.as_str());
    assert_eq!(
        keys[format!("{prefix}.{username}.idToken")],
        session["idToken"]
    );
    assert_eq!(
        keys[format!("{prefix}.{username}.accessToken")],
        session["accessToken"]
    );
    assert_eq!(
        keys[format!("{prefix}.{username}.refreshToken")],
        session["refreshToken"]
    );
    let drift: i64 = keys[format!("{prefix}.{username}.clockDrift")]
        .as_str()
        .unwrap()
        .parse()
        .expect("integer seconds");
    assert!(drift.abs() < 60, "same machine, small drift: {drift}");

    // A new instance over the same storage: the page after a reload.
    let reloaded = auth_with(&cfg, &storage);
    let restored = call(reloaded.get_session()).await.expect("getSession");
    assert_eq!(restored["accessToken"], session["accessToken"]);
    assert_eq!(restored["username"], username.as_str());

    call(reloaded.sign_out(JsValue::UNDEFINED))
        .await
        .expect("signOut");
    assert_eq!(
        stored(&storage),
        json!({}),
        "signOut removes every key it wrote"
    );
    assert_eq!(
        call(auth_with(&cfg, &storage).get_session()).await,
        Ok(Value::Null)
    );
}

#[test]
async fn custom_synchronous_storage() {
    restores_after_reload(js_storage(false, false)).await;
}

#[test]
async fn custom_promise_based_storage() {
    restores_after_reload(js_storage(true, false)).await;
}

#[test]
async fn a_failing_store_keeps_the_in_memory_session() {
    let cfg = emulator().await;
    let storage = js_storage(false, true);
    let a = auth_with(&cfg, &storage);
    let username = unique("quota");
    confirmed_user(&a, cfg["userPoolId"].as_str().unwrap(), &username).await;
    assert_eq!(
        call(a.sign_in(sign_in_params(&username, PASSWORD))).await,
        Err("StorageError".into())
    );
    let session = call(a.get_session()).await.expect("still signed in");
    assert_eq!(session["username"], username.as_str());
}

#[test]
async fn a_refresh_without_network_keeps_the_session_and_a_revoked_token_clears_it() {
    let cfg = emulator().await;
    let storage = js_storage(false, false);
    let (a, username, session) = signed_in_user(&cfg, &storage).await;
    // The same storage seen by a client whose Cognito is unreachable (the emulator "stopped").
    let options = to_js(
        &json!({"userPoolId": cfg["userPoolId"], "clientId": cfg["clientId"], "endpoint": "http://127.0.0.1:9/", "maxRetries": 0}),
    );
    Reflect::set(&options, &"storage".into(), &storage).unwrap();
    let offline = CognitoAuth::new(options, None).unwrap();
    assert_eq!(
        call(offline.refresh_session(JsValue::UNDEFINED)).await,
        Err("NetworkError".into())
    );
    let prefix = format!(
        "CognitoIdentityServiceProvider.{}.{username}",
        cfg["clientId"].as_str().unwrap()
    );
    assert_eq!(
        stored(&storage)[format!("{prefix}.refreshToken")],
        session["refreshToken"],
        "tokens kept"
    );
    assert_eq!(
        call(offline.get_session()).await.expect("still there")["username"],
        username.as_str()
    );

    // Cognito refusing the refresh token signs out.
    http(
        "",
        Some("RevokeToken"),
        Some(json!({"Token": session["refreshToken"], "ClientId": cfg["clientId"]})),
    )
    .await;
    assert_eq!(
        call(a.refresh_session(JsValue::UNDEFINED)).await,
        Err("NotAuthorizedException".into())
    );
    assert_eq!(call(a.get_session()).await, Ok(Value::Null));
    assert_eq!(stored(&storage), json!({}));
}

#[test]
async fn session_change_listeners() {
    let cfg = emulator().await;
    let storage = js_storage(false, false);
    let a = auth_with(&cfg, &storage);
    let seen = Array::new();
    let record = Function::new_with_args(
        "seen",
        "return (s) => seen.push(s === null ? null : s.username);",
    )
    .call1(&JsValue::UNDEFINED, &seen)
    .unwrap()
    .dyn_into::<Function>()
    .unwrap();
    let unsubscribe = a
        .on_session_change(record.into())
        .unwrap()
        .dyn_into::<Function>()
        .expect("unsubscribe function");
    let username = unique("events");
    confirmed_user(&a, cfg["userPoolId"].as_str().unwrap(), &username).await;
    call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    call(a.refresh_session(JsValue::UNDEFINED))
        .await
        .expect("refresh");
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    assert_eq!(
        from_js(seen.clone().into()),
        json!([username, username, null])
    );
    unsubscribe.call0(&JsValue::UNDEFINED).unwrap();
    call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(seen.length(), 3, "no call after unsubscribe");
}

#[test]
fn storage_without_methods_is_refused() {
    let options = to_js(
        &json!({"userPoolId": "us-east-1_abc", "clientId": "abc", "storage": {"getItem": 1}}),
    );
    let error = CognitoAuth::new(options, Some(memory_storage()))
        .err()
        .expect("throws");
    assert_eq!(
        Reflect::get(&error, &"code".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("InvalidParameterError")
    );
}

/// `CookieStorage` in a page: a 6 KB value is chunked and reassembled, a shorter one removes the
/// stale chunks, and a signed-in session survives a "reload". Browser only (needs `document`).
#[test]
async fn cookie_storage_chunks_and_restores() {
    if Reflect::get(&js_sys::global(), &"document".into()).map_or(true, |d| d.is_undefined()) {
        let error = CookieStorage::new(JsValue::UNDEFINED)
            .expect("constructor")
            .get_item("k".into())
            .expect_err("no document");
        assert_eq!(
            Reflect::get(&error, &"code".into())
                .unwrap()
                .as_string()
                .as_deref(),
            Some("StorageError")
        );
        return;
    }
    let cookies = CookieStorage::new(to_js(&json!({"sameSite": "Strict"}))).expect("constructor");
    let document = Reflect::get(&js_sys::global(), &"document".into()).unwrap();
    let cookie_text = || {
        Reflect::get(&document, &"cookie".into())
            .unwrap()
            .as_string()
            .unwrap()
    };
    let big: String = (0..6 * 1024)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    cookies
        .set_item("test.big".into(), big.as_str().into())
        .expect("setItem");
    assert!(
        cookie_text().contains("test.big.2="),
        "chunked: {} bytes of cookies",
        cookie_text().len()
    );
    assert_eq!(
        cookies
            .get_item("test.big".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some(big.as_str())
    );
    cookies
        .set_item("test.big".into(), "short".into())
        .expect("setItem");
    assert!(
        !cookie_text().contains("test.big.1="),
        "stale chunks removed"
    );
    assert_eq!(
        cookies
            .get_item("test.big".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("short")
    );
    cookies.remove_item("test.big".into()).expect("removeItem");
    assert!(cookies.get_item("test.big".into()).unwrap().is_undefined());

    let cfg = emulator().await;
    let storage: JsValue = CookieStorage::new(JsValue::UNDEFINED)
        .expect("constructor")
        .into();
    let (_, username, session) = signed_in_user(&cfg, &storage).await;
    assert!(cookie_text().contains(&format!(".{username}.accessToken=")));
    let reloaded = auth_with(
        &cfg,
        &CookieStorage::new(JsValue::UNDEFINED)
            .expect("constructor")
            .into(),
    );
    let restored = call(reloaded.get_session()).await.expect("getSession");
    assert_eq!(restored["accessToken"], session["accessToken"]);
    call(reloaded.sign_out(JsValue::UNDEFINED))
        .await
        .expect("signOut");
    assert!(
        !cookie_text().contains(&username),
        "signOut removed every cookie"
    );
}

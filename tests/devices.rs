//! Remembered devices (`src/device.rs`, `src/js/devices.rs`) against the local emulator's devices
//! pool, in Node and headless Chromium: ConfirmDevice after sign-in, DEVICE_SRP_AUTH →
//! DEVICE_PASSWORD_VERIFIER on the next sign-in, a tampered device password, ListDevices,
//! UpdateDeviceStatus, ForgetDevice, and a device key the server has forgotten.
#![cfg(target_arch = "wasm32")]

mod common;

use cognito_wasm::js::CognitoAuth;
use common::*;
use js_sys::{Function, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test as test;

fn storage_call(a: &CognitoAuth, method: &str, args: &[&str]) -> Option<String> {
    let storage = a.storage();
    let f: Function = Reflect::get(&storage, &method.into())
        .unwrap()
        .dyn_into()
        .unwrap();
    let args: js_sys::Array = args.iter().map(|s| JsValue::from_str(s)).collect();
    f.apply(&storage, &args).unwrap().as_string()
}

fn device_keys(cfg: &Value, username: &str) -> [String; 3] {
    let p = format!(
        "CognitoIdentityServiceProvider.{}.{username}",
        cfg["devicesClientId"].as_str().unwrap()
    );
    ["deviceKey", "deviceGroupKey", "randomPasswordKey"].map(|k| format!("{p}.{k}"))
}

fn stored(a: &CognitoAuth, cfg: &Value, username: &str) -> [Option<String>; 3] {
    device_keys(cfg, username).map(|k| storage_call(a, "getItem", &[&k]))
}

async fn device_stats() -> (u64, u64) {
    let stats = http("_emulator/stats", None, None).await;
    let n = |k: &str| stats["authFlows"][k].as_u64().unwrap_or(0);
    (n("DEVICE_SRP_AUTH"), n("DEVICE_PASSWORD_VERIFIER"))
}

/// A confirmed user of the devices pool, signed in once with `rememberDevices`.
async fn remembered(prefix: &str) -> (Value, CognitoAuth, String, Value) {
    let cfg = emulator().await;
    let a = auth(json!({
        "userPoolId": cfg["devicesUserPoolId"], "clientId": cfg["devicesClientId"],
        "endpoint": cfg["endpoint"], "rememberDevices": true, "deviceName": "wasm-test"
    }));
    let username = unique(prefix);
    confirmed_user(&a, cfg["devicesUserPoolId"].as_str().unwrap(), &username).await;
    let signed_in = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(signed_in["signedIn"], true);
    (cfg, a, username, signed_in)
}

async fn list(a: &CognitoAuth) -> Vec<Value> {
    let listed = call(a.list_devices(JsValue::UNDEFINED))
        .await
        .expect("listDevices");
    listed["devices"].as_array().unwrap().clone()
}

#[test]
async fn confirm_device_then_device_srp_on_the_next_sign_in() {
    let (cfg, a, username, _) = remembered("device").await;
    let [key, group, password] = stored(&a, &cfg, &username);
    let key = key.expect("deviceKey stored");
    assert!(group.is_some_and(|g| !g.is_empty()));
    assert!(
        password.is_some_and(|p| p.len() == 56),
        "base64 of 40 bytes"
    );
    assert_eq!(
        call(a.get_device_key()).await,
        Ok(Value::String(key.clone()))
    );
    let devices = list(&a).await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["deviceKey"], key.as_str());
    assert_eq!(devices[0]["attributes"]["device_name"], "wasm-test");
    assert_eq!(
        devices[0]["attributes"]["device_remembered_status"],
        "remembered"
    );

    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    assert!(
        stored(&a, &cfg, &username).iter().all(Option::is_some),
        "sign-out keeps the device"
    );
    let (srp_before, verifier_before) = device_stats().await;
    let again = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn with the device");
    assert_eq!(again["signedIn"], true);
    let (srp_after, verifier_after) = device_stats().await;
    assert!(srp_after > srp_before && verifier_after > verifier_before);
    assert_eq!(
        stored(&a, &cfg, &username)[0].as_deref(),
        Some(key.as_str())
    );
    assert_eq!(list(&a).await.len(), 1, "no new device");
}

#[test]
async fn a_tampered_device_password_is_refused() {
    let (cfg, a, username, _) = remembered("devtamper").await;
    let [_, _, password_key] = device_keys(&cfg, &username);
    storage_call(&a, "setItem", &[&password_key, "not-the-device-password"]);
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    assert_eq!(
        call(a.sign_in(sign_in_params(&username, PASSWORD))).await,
        Err("NotAuthorizedException".into())
    );
    assert!(stored(&a, &cfg, &username)[0].is_some(), "device kept");
}

#[test]
async fn update_status_and_forget_this_device() {
    let (cfg, a, username, _) = remembered("devforget").await;
    call(a.update_device_status(to_js(&json!({"remembered": false}))))
        .await
        .expect("updateDeviceStatus");
    assert_eq!(
        list(&a).await[0]["attributes"]["device_remembered_status"],
        "not_remembered"
    );
    call(a.forget_device(JsValue::UNDEFINED))
        .await
        .expect("forgetDevice");
    assert!(stored(&a, &cfg, &username).iter().all(Option::is_none));
    assert!(list(&a).await.is_empty());
    assert_eq!(
        call(a.forget_device(JsValue::UNDEFINED)).await,
        Err("InvalidParameterError".into()),
        "no device left to forget"
    );
}

#[test]
async fn a_device_forgotten_at_the_server_is_cleared_and_the_sign_in_retried() {
    let (cfg, a, username, signed_in) = remembered("devstale").await;
    let key = stored(&a, &cfg, &username)[0].clone().expect("deviceKey");
    http(
        "",
        Some("ForgetDevice"),
        Some(json!({"AccessToken": signed_in["session"]["accessToken"], "DeviceKey": key})),
    )
    .await;
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    let again = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn retried without the stale device");
    assert_eq!(again["signedIn"], true);
    // The retry's sign-in was offered a new device, which was confirmed and stored.
    let fresh = stored(&a, &cfg, &username)[0]
        .clone()
        .expect("new deviceKey");
    assert_ne!(fresh, key);
    let devices = list(&a).await;
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0]["deviceKey"], fresh.as_str());
}

#[test]
async fn without_remember_devices_nothing_is_confirmed() {
    let cfg = emulator().await;
    let a = auth(json!({
        "userPoolId": cfg["devicesUserPoolId"], "clientId": cfg["devicesClientId"],
        "endpoint": cfg["endpoint"]
    }));
    let username = unique("devoff");
    confirmed_user(&a, cfg["devicesUserPoolId"].as_str().unwrap(), &username).await;
    call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert!(stored(&a, &cfg, &username).iter().all(Option::is_none));
    assert!(list(&a).await.is_empty());
    assert_eq!(call(a.get_device_key()).await, Ok(Value::Null));
}

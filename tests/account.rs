//! The signed-in user's account operations (`src/js/account.rs`) against the local emulator, in
//! Node and headless Chromium: attributes (with AttributesRequireVerificationBeforeUpdate),
//! password, deletion, TOTP setup while signed in and the MFA_SETUP challenge of a sign-in.
#![cfg(target_arch = "wasm32")]

mod common;

use cognito_wasm::js::CognitoAuth;
use common::*;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn now_s() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

async fn signed_in_user(prefix: &str) -> (Value, CognitoAuth, String) {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap().to_owned();
    let a = default_auth(&cfg);
    let username = unique(prefix);
    confirmed_user(&a, &pool, &username).await;
    let signed_in = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(signed_in["signedIn"], true);
    (cfg, a, username)
}

#[test]
async fn signed_out_calls_reject_without_a_request() {
    let cfg = emulator().await;
    let a = default_auth(&cfg);
    assert_eq!(
        call(a.get_user()).await,
        Err("InvalidParameterError".into())
    );
    assert_eq!(
        call(a.delete_user()).await,
        Err("InvalidParameterError".into())
    );
    assert_eq!(
        call(a.associate_software_token(JsValue::UNDEFINED)).await,
        Err("InvalidParameterError".into())
    );
}

#[test]
async fn get_user_returns_attributes() {
    let (_, a, username) = signed_in_user("getuser").await;
    let user = call(a.get_user()).await.expect("getUser");
    assert_eq!(user["username"], username.as_str());
    assert_eq!(
        user["attributes"]["email"],
        format!("{username}@example.com")
    );
    assert_eq!(user["attributes"]["email_verified"], "true");
    assert!(user["attributes"]["sub"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert!(user.get("preferredMfa").is_none());
}

#[test]
async fn email_change_waits_for_verification() {
    let (cfg, a, username) = signed_in_user("attrs").await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let old_email = format!("{username}@example.com");
    let new_email = format!("{username}@new.example.com");
    let update = call(a.update_user_attributes(to_js(
        &json!({"attributes": {"email": new_email, "name": "Ann Lee"}}),
    )))
    .await
    .expect("updateUserAttributes");
    assert_eq!(update["pendingVerification"], json!(["email"]));
    assert_eq!(update["codeDeliveries"][0]["medium"], "EMAIL");
    assert_eq!(update["codeDeliveries"][0]["attribute"], "email");

    let user = call(a.get_user()).await.expect("getUser");
    assert_eq!(user["attributes"]["email"], old_email, "old value kept");
    assert_eq!(user["attributes"]["email_verified"], "true");
    assert_eq!(user["attributes"]["name"], "Ann Lee", "others at once");

    let wrong =
        call(a.verify_user_attribute(to_js(&json!({"attribute": "email", "code": "000000"}))))
            .await;
    assert_eq!(wrong, Err("CodeMismatchException".into()));

    // A new code (GetUserAttributeVerificationCode) goes to the pending address.
    let resent =
        call(a.get_user_attribute_verification_code(to_js(&json!({"attribute": "email"}))))
            .await
            .expect("getUserAttributeVerificationCode");
    assert_eq!(resent["codeDelivery"]["attribute"], "email");
    assert_eq!(resent["codeDelivery"]["medium"], "EMAIL");
    let code = code_for(pool, &username).await;
    call(a.verify_user_attribute(to_js(&json!({"attribute": "email", "code": code}))))
        .await
        .expect("verifyUserAttribute");
    let user = call(a.get_user()).await.expect("getUser");
    assert_eq!(user["attributes"]["email"], new_email);
    assert_eq!(user["attributes"]["email_verified"], "true");

    let nothing = call(a.update_user_attributes(to_js(&json!({"attributes": {}})))).await;
    assert_eq!(nothing, Err("InvalidParameterError".into()));
}

#[test]
async fn delete_user_attributes_removes_them() {
    let (_, a, _) = signed_in_user("delattr").await;
    let update = call(a.update_user_attributes(to_js(
        &json!({"attributes": {"name": "Ann", "given_name": "A"}}),
    )))
    .await
    .expect("updateUserAttributes");
    assert_eq!(update["pendingVerification"], json!([]));
    assert_eq!(update["codeDeliveries"], json!([]));
    call(a.delete_user_attributes(to_js(&json!({"attributes": ["name"]}))))
        .await
        .expect("deleteUserAttributes");
    let user = call(a.get_user()).await.expect("getUser");
    assert!(user["attributes"].get("name").is_none());
    assert_eq!(user["attributes"]["given_name"], "A");
    let empty = call(a.delete_user_attributes(to_js(&json!({"attributes": []})))).await;
    assert_eq!(empty, Err("InvalidParameterError".into()));
}

#[test]
async fn change_password_then_sign_in_with_it() {
    let (_, a, username) = signed_in_user("chpw").await;
    let new_password = "N3w-Passw0rd!";
    let wrong = call(a.change_password(to_js(
        &json!({"oldPassword": "Wr0ng-Pass!", "newPassword": new_password}),
    )))
    .await;
    assert_eq!(wrong, Err("NotAuthorizedException".into()));
    call(a.change_password(to_js(
        &json!({"oldPassword": PASSWORD, "newPassword": new_password}),
    )))
    .await
    .expect("changePassword");
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    let old = call(a.sign_in(sign_in_params(&username, PASSWORD))).await;
    assert_eq!(old, Err("NotAuthorizedException".into()));
    let again = call(a.sign_in(sign_in_params(&username, new_password)))
        .await
        .expect("signIn with the new password");
    assert_eq!(again["signedIn"], true);
}

#[test]
async fn delete_user_clears_the_session() {
    let (_, a, username) = signed_in_user("deluser").await;
    call(a.delete_user()).await.expect("deleteUser");
    assert!(call(a.get_session()).await.expect("getSession").is_null());
    let storage = a.storage();
    let keys: js_sys::Function = js_sys::Reflect::get(&storage, &"keys".into())
        .unwrap()
        .into();
    let keys = js_sys::Array::from(&keys.call0(&storage).unwrap());
    assert_eq!(keys.length(), 0, "no stored keys left");
    let gone = call(a.sign_in(sign_in_params(&username, PASSWORD))).await;
    assert_eq!(gone, Err("NotAuthorizedException".into()));
}

#[test]
async fn totp_setup_while_signed_in() {
    let (cfg, a, username) = signed_in_user("totpsetup").await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let secret = call(a.associate_software_token(JsValue::UNDEFINED))
        .await
        .expect("associateSoftwareToken");
    let code = secret["secretCode"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 52);
    assert_eq!(
        secret["uri"],
        format!("otpauth://totp/{pool}:{username}?secret={code}&issuer={pool}")
    );
    let wrong = call(a.verify_software_token(to_js(&json!({"code": "000000"})))).await;
    assert_eq!(wrong, Err("EnableSoftwareTokenMFAException".into()));
    let verified = call(a.verify_software_token(to_js(
        &json!({"code": totp(&code, now_s()), "friendlyDeviceName": "phone"}),
    )))
    .await
    .expect("verifySoftwareToken");
    assert_eq!(verified["status"], "SUCCESS");
    call(a.set_mfa_preference(to_js(
        &json!({"totp": {"enabled": true, "preferred": true}}),
    )))
    .await
    .expect("setMfaPreference");
    let user = call(a.get_user()).await.expect("getUser");
    assert_eq!(user["preferredMfa"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(user["userMfaSettings"], json!(["SOFTWARE_TOKEN_MFA"]));
    let sms = call(a.set_mfa_preference(to_js(&json!({"sms": {"enabled": true}})))).await;
    assert_eq!(sms, Err("InvalidParameterException".into()));

    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "SOFTWARE_TOKEN_MFA");
    let done = call(a.respond_to_challenge(to_js(&json!({"code": totp(&code, now_s())}))))
        .await
        .expect("TOTP");
    assert_eq!(done["signedIn"], true);

    // Turning it off: the next sign-in needs no code.
    call(a.set_mfa_preference(to_js(&json!({"totp": {"enabled": false}}))))
        .await
        .expect("setMfaPreference off");
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["signedIn"], true);
}

#[test]
async fn mfa_setup_challenge_during_sign_in() {
    let cfg = emulator().await;
    let pool = cfg["mfaUserPoolId"]
        .as_str()
        .expect("the emulator's MFA pool");
    let a = auth(
        json!({"userPoolId": pool, "clientId": cfg["mfaClientId"], "endpoint": cfg["endpoint"]}),
    );
    let username = unique("mfasetup");
    confirmed_user(&a, pool, &username).await;
    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "MFA_SETUP");
    assert_eq!(
        step["parameters"]["MFAS_CAN_SETUP"],
        "[\"SOFTWARE_TOKEN_MFA\"]"
    );
    let no_code = call(a.respond_to_challenge(JsValue::UNDEFINED)).await;
    assert_eq!(no_code, Err("InvalidParameterError".into()));

    let secret = call(a.associate_software_token(to_js(&json!({"issuer": "My App"}))))
        .await
        .expect("associateSoftwareToken with the challenge session");
    let code = secret["secretCode"].as_str().unwrap().to_owned();
    assert_eq!(
        secret["uri"],
        format!("otpauth://totp/My%20App:{username}?secret={code}&issuer=My%20App")
    );
    let wrong = call(a.respond_to_challenge(to_js(&json!({"code": "000000"})))).await;
    assert_eq!(wrong, Err("EnableSoftwareTokenMFAException".into()));
    let done = call(a.respond_to_challenge(to_js(
        &json!({"code": totp(&code, now_s()), "friendlyDeviceName": "phone"}),
    )))
    .await
    .expect("MFA_SETUP answered");
    assert_eq!(done["signedIn"], true);
    let user = call(a.get_user()).await.expect("getUser");
    assert_eq!(user["preferredMfa"], "SOFTWARE_TOKEN_MFA");

    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "SOFTWARE_TOKEN_MFA");
}

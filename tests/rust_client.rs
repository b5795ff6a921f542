//! The Rust API for wasm32 apps (`cognito_wasm::web::Client`) against the local emulator, in
//! Node and in headless Chromium: sign-up, confirmation, SRP sign-in, the session, the account,
//! TOTP MFA as a challenge, forgotten password, sign-out, and each store.
#![cfg(target_arch = "wasm32")]

mod common;

use cognito_wasm::web::{Client, FetchPlatform, MemoryStore, TokenStore, WebStorageStore};
use cognito_wasm::{
    AuthFlow, CallOptions, ChallengeAnswer, ClientConfig, Error, MfaPreference, MfaSetting,
    SignInStep, SignUpInput,
};
use common::{code_for, emulator, totp, unique, PASSWORD};
use wasm_bindgen_test::wasm_bindgen_test as test;

fn now_s() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// A client of the emulator's pool with `store`, and the pool id.
async fn new_client<S: TokenStore>(store: S) -> (Client<S>, String) {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap().to_owned();
    let config = ClientConfig::new(
        &pool,
        cfg["clientId"].as_str().unwrap(),
        None,
        cfg["endpoint"].as_str(),
    )
    .expect("config");
    let client = Client::new(
        config,
        FetchPlatform::default(),
        store,
        CallOptions::default(),
    );
    (client, pool)
}

/// Signs up and confirms `username` with an email.
async fn confirmed<S: TokenStore>(client: &Client<S>, pool: &str, username: &str) {
    let input = SignUpInput {
        username: username.into(),
        password: PASSWORD.into(),
        attributes: [("email".into(), format!("{username}@example.com"))].into(),
        ..Default::default()
    };
    let signed_up = client.sign_up(&input).await.expect("sign_up");
    assert!(!signed_up.user_confirmed);
    let delivery = signed_up.code_delivery_details.expect("code delivery");
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
    let code = code_for(pool, username).await;
    client
        .confirm_sign_up(username, &code.into(), None, None)
        .await
        .expect("confirm_sign_up");
}

async fn sign_in<S: TokenStore>(client: &Client<S>, username: &str) -> SignInStep {
    client
        .sign_in(username, &PASSWORD.into(), AuthFlow::UserSrp, None, None)
        .await
        .expect("sign_in")
}

#[test]
async fn sign_up_sign_in_session_account_sign_out() {
    let (client, pool) = new_client(MemoryStore::default()).await;
    let username = unique("rust");
    confirmed(&client, &pool, &username).await;

    assert!(client.get_session().await.expect("get_session").is_none());
    let SignInStep::SignedIn(session) = sign_in(&client, &username).await else {
        panic!("a challenge without MFA");
    };
    assert_eq!(session.username, username);
    assert!(session.expires_at_ms as f64 > js_sys::Date::now() + 60_000.0);
    let held = client.get_session().await.expect("get_session").unwrap();
    assert_eq!(held.access_token, session.access_token);
    let refreshed = client.refresh_session().await.expect("refresh_session");
    assert_eq!(refreshed.username, username);

    let user = client.get_user().await.expect("get_user");
    assert_eq!(
        user.attributes.get("email").map(String::as_str),
        Some(format!("{username}@example.com").as_str())
    );
    client
        .update_user_attributes(&[("name".into(), "Ann".into())].into(), None)
        .await
        .expect("update_user_attributes");
    let user = client.get_user().await.expect("get_user");
    assert_eq!(user.attributes.get("name").map(String::as_str), Some("Ann"));

    client.sign_out(false).await.expect("sign_out");
    assert!(client.get_session().await.expect("get_session").is_none());
    assert!(client.store().keys().is_empty(), "every key removed");

    let wrong = client
        .sign_in(
            &username,
            &"Wr0ng-pass!".into(),
            AuthFlow::UserSrp,
            None,
            None,
        )
        .await;
    match wrong {
        Err(Error::Service(e)) => assert_eq!(e.name, "NotAuthorizedException"),
        other => panic!("expected NotAuthorizedException, got {other:?}"),
    }
}

#[test]
async fn totp_mfa_is_a_challenge_answered_with_a_code() {
    let (client, pool) = new_client(MemoryStore::default()).await;
    let username = unique("rusttotp");
    confirmed(&client, &pool, &username).await;
    sign_in(&client, &username).await;
    let secret = client
        .associate_software_token(None)
        .await
        .expect("associate_software_token");
    let secret = secret.secret_code.expose_secret().to_owned();
    let verified = client
        .verify_software_token(&totp(&secret, now_s()).into(), Some("phone"), None)
        .await
        .expect("verify_software_token");
    assert_eq!(verified.status.as_deref(), Some("SUCCESS"));
    let on = MfaSetting {
        enabled: true,
        preferred_mfa: true,
    };
    client
        .set_mfa_preference(&MfaPreference {
            totp: Some(on),
            ..Default::default()
        })
        .await
        .expect("set_mfa_preference");
    client.sign_out(false).await.expect("sign_out");

    let SignInStep::Challenge(pending) = sign_in(&client, &username).await else {
        panic!("TOTP is on: a challenge");
    };
    assert_eq!(pending.name, "SOFTWARE_TOKEN_MFA");
    let wrong = ChallengeAnswer {
        code: Some("000000".into()),
        ..Default::default()
    };
    let refused = client.respond_to_challenge(&pending, &wrong, None).await;
    assert!(
        matches!(&refused, Err(e) if e.code() == "CodeMismatchException"),
        "{refused:?}"
    );
    let SignInStep::Challenge(pending) = sign_in(&client, &username).await else {
        panic!("TOTP is on: a challenge");
    };
    let answer = ChallengeAnswer {
        code: Some(totp(&secret, now_s()).into()),
        ..Default::default()
    };
    let step = client
        .respond_to_challenge(&pending, &answer, None)
        .await
        .expect("respond_to_challenge");
    assert!(matches!(step, SignInStep::SignedIn(s) if s.username == username));
}

#[test]
async fn forgot_password_then_sign_in_with_the_new_one() {
    let (client, pool) = new_client(MemoryStore::default()).await;
    let username = unique("rustforgot");
    confirmed(&client, &pool, &username).await;
    let sent = client
        .forgot_password(&username, None)
        .await
        .expect("forgot_password");
    assert_eq!(sent.delivery_medium.as_deref(), Some("EMAIL"));
    let code = code_for(&pool, &username).await;
    let new_password = "N3w-Passw0rd!Ω";
    client
        .confirm_forgot_password(&username, &code.into(), &new_password.into(), None)
        .await
        .expect("confirm_forgot_password");
    let step = client
        .sign_in(
            &username,
            &new_password.into(),
            AuthFlow::UserSrp,
            None,
            None,
        )
        .await
        .expect("sign_in with the new password");
    assert!(matches!(step, SignInStep::SignedIn(_)));
}

/// `localStorage` where the runtime has one (Chromium), else the error that says so (Node).
#[test]
async fn web_storage_keeps_the_session_in_local_storage() {
    let local = match WebStorageStore::local() {
        Ok(local) => local,
        Err(e) => {
            assert!(matches!(e, Error::Storage { .. }), "{e:?}");
            assert!(js_sys::Reflect::has(&js_sys::global(), &"process".into()).unwrap());
            return;
        }
    };
    let (client, pool) = new_client(local.clone()).await;
    let username = unique("rustlocal");
    confirmed(&client, &pool, &username).await;
    sign_in(&client, &username).await;
    let prefix = format!(
        "CognitoIdentityServiceProvider.{}",
        client.config().client_id
    );
    assert_eq!(
        local
            .storage()
            .get_item(&format!("{prefix}.LastAuthUser"))
            .unwrap(),
        Some(username.clone())
    );

    // A second client over the same storage (a reload) finds the session.
    let (reloaded, _) = new_client(WebStorageStore::local().expect("local")).await;
    let restored = reloaded.get_session().await.expect("get_session").unwrap();
    assert_eq!(restored.username, username);
    reloaded.sign_out(false).await.expect("sign_out");
    assert_eq!(
        local
            .storage()
            .get_item(&format!("{prefix}.{username}.idToken"))
            .unwrap(),
        None
    );
}

//! The JS API (`CognitoAuth`) driven through its wasm-bindgen surface against the local emulator
//! (`tests/emulator/start`), in Node and, with `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium.
//! The emulator's URL comes from `COGNITO_EMULATOR_URL` at build time (default port 9229).
#![cfg(target_arch = "wasm32")]

mod common;

use cognito_wasm::js::CognitoAuth;
use common::*;
use js_sys::{Function, Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
async fn sign_up_confirm_sign_in_refresh_sign_out() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let a = default_auth(&cfg);
    let username = unique("flow");
    confirmed_user(&a, pool, &username).await;

    assert!(
        call(a.get_session()).await.expect("getSession").is_null(),
        "signed out before signIn"
    );
    let signed_in = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(signed_in["signedIn"], true);
    let session = &signed_in["session"];
    assert_eq!(session["username"], username.as_str());
    assert_eq!(
        session["claims"]["email"],
        format!("{username}@example.com")
    );
    assert_eq!(session["claims"]["token_use"], "id");
    let expires_at = session["expiresAt"].as_f64().unwrap();
    assert!(expires_at > js_sys::Date::now() + 60_000.0);

    let same = call(a.get_session()).await.expect("getSession");
    assert_eq!(
        same["accessToken"], session["accessToken"],
        "a valid session is returned as is"
    );

    let refreshed = call(a.refresh_session(JsValue::UNDEFINED))
        .await
        .expect("refreshSession");
    assert_eq!(
        refreshed["refreshToken"], session["refreshToken"],
        "refresh token kept"
    );
    assert_eq!(refreshed["username"], username.as_str());
    let refresh_token = session["refreshToken"].as_str().unwrap().to_owned();

    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    assert!(
        call(a.get_session()).await.expect("getSession").is_null(),
        "signed out"
    );
    // The refresh token was revoked at Cognito.
    let reuse = JsFuture::from(
        gloo_net::http::Request::post(EMULATOR)
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "AWSCognitoIdentityProviderService.InitiateAuth")
            .body(
                json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cfg["clientId"], "AuthParameters": {"REFRESH_TOKEN": refresh_token}})
                    .to_string(),
            )
            .unwrap()
            .send()
            .await
            .map(|r| Promise::resolve(&JsValue::from(r.status())))
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        reuse.as_f64(),
        Some(400.0),
        "revoked refresh token is refused"
    );
}

#[test]
async fn expired_session_is_refreshed_once_for_concurrent_callers() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let username = unique("refresh");
    let a = default_auth(&cfg);
    confirmed_user(&a, pool, &username).await;
    // Tokens that live 30 s are inside the 60 s refresh margin from the start.
    http("_emulator/token-ttl", None, Some(json!({"seconds": 30}))).await;
    let first = call(a.sign_in(sign_in_params(&username, PASSWORD))).await;
    http("_emulator/token-ttl", None, Some(json!({"seconds": 3600}))).await;
    let first = first.expect("signIn");
    http("_emulator/reset-stats", None, Some(json!({}))).await;
    let calls: Vec<Promise> = (0..50).map(|_| a.get_session()).collect();
    let mut tokens = Vec::new();
    for p in calls {
        tokens.push(call(p).await.expect("getSession")["accessToken"].clone());
    }
    assert!(
        tokens.iter().all(|t| t == &tokens[0]),
        "all callers got the same refreshed session"
    );
    assert_ne!(
        tokens[0], first["session"]["accessToken"],
        "it was refreshed"
    );
    let stats = http("_emulator/stats", None, None).await;
    assert_eq!(
        stats["operations"]["GetTokensFromRefreshToken"], 1,
        "one refresh request (the default refreshFlow): {stats}"
    );
    assert!(
        stats["authFlows"]["REFRESH_TOKEN_AUTH"].is_null(),
        "no REFRESH_TOKEN_AUTH: {stats}"
    );
}

#[test]
async fn forgot_password_then_sign_in_with_the_new_one() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let a = default_auth(&cfg);
    let username = unique("forgot");
    confirmed_user(&a, pool, &username).await;
    let sent = call(a.forgot_password(to_js(&json!({"username": username}))))
        .await
        .expect("forgotPassword");
    assert_eq!(sent["codeDelivery"]["medium"], "EMAIL");
    let code = code_for(pool, &username).await;
    let new_password = "N3w-Passw0rd!";
    let wrong = call(a.confirm_forgot_password(to_js(
        &json!({"username": username, "code": "000000", "newPassword": new_password}),
    )));
    assert_eq!(wrong.await, Err("CodeMismatchException".into()));
    call(a.confirm_forgot_password(to_js(
        &json!({"username": username, "code": code, "newPassword": new_password}),
    )))
    .await
    .expect("confirmForgotPassword");
    let old = call(a.sign_in(sign_in_params(&username, PASSWORD))).await;
    assert_eq!(old, Err("NotAuthorizedException".into()));
    let signed_in = call(a.sign_in(sign_in_params(&username, new_password)))
        .await
        .expect("new password");
    assert_eq!(signed_in["signedIn"], true);
}

#[test]
async fn email_alias_sign_in_answers_with_user_id_for_srp() {
    let cfg = emulator().await;
    let pool = cfg["aliasUserPoolId"].as_str().unwrap();
    let a = auth(
        json!({"userPoolId": pool, "clientId": cfg["aliasClientId"], "endpoint": cfg["endpoint"]}),
    );
    let username = unique("alias");
    confirmed_user(&a, pool, &username).await;
    let email = format!("{username}@example.com");
    let signed_in = call(a.sign_in(sign_in_params(&email, PASSWORD)))
        .await
        .expect("signIn by email");
    assert_eq!(signed_in["session"]["username"], username.as_str());
    let wrong = call(a.sign_in(sign_in_params(&email, "Wr0ng-password!"))).await;
    assert_eq!(wrong, Err("NotAuthorizedException".into()));
}

#[test]
async fn client_with_a_secret() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let with_secret = |secret: &Value| {
        auth(
            json!({"userPoolId": pool, "clientId": cfg["secretClientId"], "clientSecret": secret, "endpoint": cfg["endpoint"]}),
        )
    };
    let a = with_secret(&cfg["clientSecret"]);
    let username = unique("secret");
    confirmed_user(&a, pool, &username).await;
    let signed_in = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn with secret");
    assert_eq!(signed_in["signedIn"], true);
    call(a.refresh_session(JsValue::UNDEFINED))
        .await
        .expect("refresh with SECRET_HASH");
    call(a.sign_out(JsValue::UNDEFINED))
        .await
        .expect("RevokeToken with the client secret");

    let wrong = with_secret(&json!("not-the-secret"));
    assert_eq!(
        call(wrong.sign_in(sign_in_params(&username, PASSWORD))).await,
        Err("NotAuthorizedException".into())
    );
    let none = auth(
        json!({"userPoolId": pool, "clientId": cfg["secretClientId"], "endpoint": cfg["endpoint"]}),
    );
    assert_eq!(
        call(none.sign_in(sign_in_params(&username, PASSWORD))).await,
        Err("NotAuthorizedException".into())
    );
}

#[test]
async fn new_password_required_for_admin_created_users() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let username = unique("admin");
    let temporary = "Temp0rary-Pass!";
    http(
        "",
        Some("AdminCreateUser"),
        Some(json!({"UserPoolId": pool, "Username": username, "TemporaryPassword": temporary, "MessageAction": "SUPPRESS",
            "UserAttributes": [{"Name": "email", "Value": format!("{username}@example.com")}]})),
    )
    .await;
    let a = default_auth(&cfg);
    let step = call(a.sign_in(sign_in_params(&username, temporary)))
        .await
        .expect("signIn");
    assert_eq!(step["signedIn"], false);
    assert_eq!(step["challenge"], "NEW_PASSWORD_REQUIRED");
    assert!(step["parameters"]["userAttributes"].as_str().is_some());
    let weak = call(a.respond_to_challenge(to_js(&json!({"newPassword": "short"})))).await;
    assert_eq!(weak, Err("InvalidPasswordException".into()));
    let done = call(a.respond_to_challenge(to_js(&json!({"newPassword": "Fresh-Passw0rd!"}))))
        .await
        .expect("answer");
    assert_eq!(done["signedIn"], true);
    assert_eq!(done["session"]["username"], username.as_str());
    let again = call(a.sign_in(sign_in_params(&username, "Fresh-Passw0rd!")))
        .await
        .expect("new password works");
    assert_eq!(again["signedIn"], true);
}

#[test]
async fn software_token_mfa() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let a = default_auth(&cfg);
    let username = unique("totp");
    confirmed_user(&a, pool, &username).await;
    let session = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn")["session"]
        .clone();
    let access = session["accessToken"].clone();
    let secret = http(
        "",
        Some("AssociateSoftwareToken"),
        Some(json!({"AccessToken": access})),
    )
    .await["SecretCode"]
        .as_str()
        .unwrap()
        .to_owned();
    let now = (js_sys::Date::now() / 1000.0) as u64;
    http(
        "",
        Some("VerifySoftwareToken"),
        Some(json!({"AccessToken": access, "UserCode": totp(&secret, now)})),
    )
    .await;
    http(
        "",
        Some("SetUserMFAPreference"),
        Some(json!({"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true}})),
    )
    .await;
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");

    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "SOFTWARE_TOKEN_MFA");
    let wrong = call(a.respond_to_challenge(to_js(&json!({"code": "000000"})))).await;
    assert_eq!(wrong, Err("CodeMismatchException".into()));
    let missing = call(a.respond_to_challenge(JsValue::UNDEFINED)).await;
    assert_eq!(missing, Err("InvalidParameterError".into()));
    let now = (js_sys::Date::now() / 1000.0) as u64;
    let done = call(a.respond_to_challenge(to_js(&json!({"code": totp(&secret, now + 30)}))))
        .await
        .expect("TOTP");
    assert_eq!(done["signedIn"], true);
}

#[test]
async fn cognito_errors_are_typed() {
    let cfg = emulator().await;
    let pool = cfg["userPoolId"].as_str().unwrap();
    let a = default_auth(&cfg);
    let username = unique("errors");
    let sign_up = |name: &str, password: &str| {
        a.sign_up(to_js(&json!({"username": name, "password": password, "attributes": {"email": "e@example.com"}})))
    };
    assert_eq!(
        call(sign_up(&username, "weak")).await,
        Err("InvalidPasswordException".into())
    );
    call(sign_up(&username, PASSWORD)).await.expect("signUp");
    assert_eq!(
        call(sign_up(&username, PASSWORD)).await,
        Err("UsernameExistsException".into())
    );
    assert_eq!(
        call(a.sign_in(sign_in_params(&username, PASSWORD))).await,
        Err("UserNotConfirmedException".into())
    );
    let confirm =
        |code: &str| a.confirm_sign_up(to_js(&json!({"username": username, "code": code})));
    assert_eq!(
        call(confirm("000000")).await,
        Err("CodeMismatchException".into())
    );
    http(
        "_emulator/expire-codes",
        None,
        Some(json!({"userPoolId": pool, "username": username})),
    )
    .await;
    let expired = code_for(pool, &username).await;
    assert_eq!(
        call(confirm(&expired)).await,
        Err("ExpiredCodeException".into())
    );
    call(a.resend_confirmation_code(to_js(&json!({"username": username}))))
        .await
        .expect("resend");
    call(confirm(&code_for(pool, &username).await))
        .await
        .expect("fresh code confirms");

    assert_eq!(
        call(a.sign_in(sign_in_params(&username, "Wr0ng-password!"))).await,
        Err("NotAuthorizedException".into())
    );
    let unknown = call(a.sign_in(sign_in_params(&unique("nobody"), PASSWORD))).await;
    assert!(
        matches!(
            unknown.as_ref().map_err(String::as_str),
            Err("UserNotFoundException" | "NotAuthorizedException")
        ),
        "{unknown:?}"
    );
    assert_eq!(
        call(a.sign_in(sign_in_params("", PASSWORD))).await,
        Err("InvalidParameterError".into())
    );
    assert_eq!(
        call(a.sign_in(to_js(&json!({"username": 5})))).await,
        Err("InvalidParameterError".into())
    );
    assert_eq!(
        call(a.respond_to_challenge(to_js(&json!({"code": "1"})))).await,
        Err("InvalidParameterError".into())
    );
}

#[test]
async fn transport_failures_are_typed() {
    let cfg = emulator().await;
    let base = |extra: Value| {
        let mut options =
            json!({"userPoolId": cfg["userPoolId"], "clientId": cfg["clientId"], "maxRetries": 0});
        options
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        options
    };
    // Nothing listens on port 9: the emulator "stopped".
    let stopped = auth(base(json!({"endpoint": "http://127.0.0.1:9/"})));
    assert_eq!(
        call(stopped.sign_in(sign_in_params("u", PASSWORD))).await,
        Err("NetworkError".into())
    );

    let with_fetch = |body: &str, timeout_ms: u32| {
        let options = to_js(&base(
            json!({"endpoint": cfg["endpoint"], "timeoutMs": timeout_ms}),
        ));
        let fetch = Function::new_with_args("request", body);
        Reflect::set(&options, &JsValue::from_str("fetch"), &fetch).unwrap();
        CognitoAuth::new(options, Some(memory_storage())).expect("constructor")
    };
    let never = with_fetch("return new Promise(() => {});", 200);
    assert_eq!(
        call(never.sign_in(sign_in_params("u", PASSWORD))).await,
        Err("TimeoutError".into())
    );
    let garbage = with_fetch(
        "return Promise.resolve(new Response('{not json', {status: 200}));",
        5_000,
    );
    assert_eq!(
        call(garbage.forgot_password(to_js(&json!({"username": "u"})))).await,
        Err("InvalidResponseError".into())
    );
    let html = with_fetch(
        "return Promise.resolve(new Response('<html>bad gateway</html>', {status: 502}));",
        5_000,
    );
    assert_eq!(
        call(html.forgot_password(to_js(&json!({"username": "u"})))).await,
        Err("UnknownError".into())
    );
    let throttled = with_fetch(
        "return Promise.resolve(new Response(JSON.stringify({__type: 'TooManyRequestsException', message: 'slow down'}), {status: 400}));",
        5_000,
    );
    assert_eq!(
        call(throttled.sign_up(to_js(&json!({"username": "u", "password": "p"})))).await,
        Err("TooManyRequestsException".into())
    );
    let not_a_response = with_fetch("return Promise.resolve(42);", 5_000);
    assert_eq!(
        call(not_a_response.forgot_password(to_js(&json!({"username": "u"})))).await,
        Err("NetworkError".into())
    );
    // The instance still works after all of that.
    assert_eq!(
        call(never.forgot_password(to_js(&json!({})))).await,
        Err("InvalidParameterError".into())
    );
}

#[test]
fn constructor_rejects_bad_options() {
    for options in [
        json!({"userPoolId": "nope", "clientId": "abc"}),
        json!({"userPoolId": "us-east-1_abc", "clientId": ""}),
        json!({"userPoolId": "us-east-1_abc", "clientId": "abc", "endpoint": "ftp://x"}),
        json!({"clientId": "abc"}),
    ] {
        let error = CognitoAuth::new(to_js(&options), Some(memory_storage()))
            .err()
            .expect("throws");
        let code = Reflect::get(&error, &JsValue::from_str("code"))
            .unwrap()
            .as_string();
        assert_eq!(code.as_deref(), Some("InvalidParameterError"), "{options}");
    }
    let options = to_js(&json!({"userPoolId": "us-east-1_abc", "clientId": "abc"}));
    Reflect::set(&options, &JsValue::from_str("fetch"), &JsValue::from(3)).unwrap();
    assert!(
        CognitoAuth::new(options, Some(memory_storage())).is_err(),
        "fetch must be a function"
    );
    // Neither `options.storage` nor a default storage (the raw module, used directly).
    let options = to_js(&json!({"userPoolId": "us-east-1_abc", "clientId": "abc"}));
    let error = CognitoAuth::new(options.clone(), None)
        .err()
        .expect("throws");
    let message = Reflect::get(&error, &JsValue::from_str("message"))
        .unwrap()
        .as_string();
    assert_eq!(message.as_deref(), Some("options.storage must be given"));
    assert!(CognitoAuth::new(options, Some(memory_storage())).is_ok());
}

#[test]
fn totp_matches_rfc_6238() {
    // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32), T = 59 s → 94287082.
    assert_eq!(totp("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 59), "287082");
}

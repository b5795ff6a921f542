//! Choice-based sign-in (`USER_AUTH`) through the JS API against the local emulator, in Node and,
//! with `WASM_BINDGEN_USE_BROWSER=1`, in headless Chromium: EMAIL_OTP and SMS_OTP codes,
//! SELECT_CHALLENGE, PASSWORD and PASSWORD_SRP, a wrong code then the right one, passwordless
//! sign-up with auto sign-in, getAuthFactors and email MFA set-up.
#![cfg(target_arch = "wasm32")]

mod common;

use cognito_wasm::js::CognitoAuth;
use common::*;
use serde_json::{json, Value};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test as test;

fn passwordless_auth(cfg: &Value) -> CognitoAuth {
    auth(
        json!({"userPoolId": cfg["passwordlessUserPoolId"], "clientId": cfg["passwordlessClientId"],
        "endpoint": cfg["endpoint"]}),
    )
}

/// The latest code of `purpose` the emulator sent `username`.
async fn code_of(pool: &str, username: &str, purpose: &str) -> String {
    let answer = http(
        &format!("_emulator/codes?userPoolId={pool}&username={username}&purpose={purpose}"),
        None,
        None,
    )
    .await;
    answer["code"].as_str().expect("code").to_owned()
}

/// A code that is not `right`.
fn wrong(right: &str) -> &'static str {
    if right == "000000" {
        "111111"
    } else {
        "000000"
    }
}

/// Signs up `username` (with a password, an email and optionally a phone) and confirms it: both
/// are then verified.
async fn user_with(a: &CognitoAuth, pool: &str, username: &str, phone: bool) {
    let mut attributes = json!({"email": format!("{username}@example.com")});
    if phone {
        attributes["phone_number"] = json!("+15555550100");
    }
    call(a.sign_up(to_js(
        &json!({"username": username, "password": PASSWORD, "attributes": attributes}),
    )))
    .await
    .expect("signUp");
    let code = code_of(pool, username, "SIGN_UP").await;
    call(a.confirm_sign_up(to_js(&json!({"username": username, "code": code}))))
        .await
        .expect("confirmSignUp");
}

#[test]
async fn email_otp_sign_in_wrong_code_then_right_code() {
    let cfg = emulator().await;
    let pool = cfg["passwordlessUserPoolId"].as_str().unwrap();
    let a = passwordless_auth(&cfg);
    let username = unique("otp");
    user_with(&a, pool, &username, false).await;

    let step = call(
        a.sign_in(to_js(&json!({"username": username, "flow": "USER_AUTH",
        "preferredChallenge": "EMAIL_OTP"}))),
    )
    .await
    .expect("signIn");
    assert_eq!(
        (&step["signedIn"], &step["challenge"]),
        (&json!(false), &json!("EMAIL_OTP"))
    );
    assert_eq!(step["codeDelivery"]["medium"], "EMAIL");
    assert!(step["codeDelivery"]["destination"]
        .as_str()
        .is_some_and(|d| d.contains("***")));
    let right = code_of(pool, &username, "EMAIL_OTP").await;
    let missing = call(a.respond_to_challenge(to_js(&json!({})))).await;
    assert_eq!(missing, Err("InvalidParameterError".into()));
    let mismatch = call(a.respond_to_challenge(to_js(&json!({"code": wrong(&right)})))).await;
    assert_eq!(mismatch, Err("CodeMismatchException".into()));
    let done = call(a.respond_to_challenge(to_js(&json!({"code": right}))))
        .await
        .expect("the right code after a wrong one");
    assert_eq!(done["signedIn"], true);
    assert_eq!(done["session"]["username"], username.as_str());
    let held = call(a.get_session()).await.expect("getSession");
    assert_eq!(held["username"], username.as_str());
}

#[test]
async fn select_challenge_then_sms_otp() {
    let cfg = emulator().await;
    let pool = cfg["passwordlessUserPoolId"].as_str().unwrap();
    let a = passwordless_auth(&cfg);
    let username = unique("sms");
    user_with(&a, pool, &username, true).await;

    let step = call(a.sign_in(to_js(&json!({"username": username, "flow": "USER_AUTH"}))))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "SELECT_CHALLENGE");
    assert_eq!(
        step["availableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"])
    );
    let not_offered = call(a.respond_to_challenge(to_js(&json!({"answer": "WEB_AUTHN"})))).await;
    assert_eq!(not_offered, Err("InvalidParameterError".into()));
    let sms = call(a.respond_to_challenge(to_js(&json!({"answer": "SMS_OTP"}))))
        .await
        .expect("answer SMS_OTP");
    assert_eq!(sms["challenge"], "SMS_OTP");
    assert_eq!(sms["codeDelivery"]["medium"], "SMS");
    let code = code_of(pool, &username, "SMS_OTP").await;
    let done = call(a.respond_to_challenge(to_js(&json!({"code": code}))))
        .await
        .expect("SMS code");
    assert_eq!(done["signedIn"], true);
}

#[test]
async fn password_and_password_srp_in_user_auth() {
    let cfg = emulator().await;
    let pool = cfg["passwordlessUserPoolId"].as_str().unwrap();
    let a = passwordless_auth(&cfg);
    let username = unique("uapw");
    user_with(&a, pool, &username, false).await;
    let sign_in = |preferred: &str, password: Option<&str>| {
        let mut params =
            json!({"username": username, "flow": "USER_AUTH", "preferredChallenge": preferred});
        if let Some(password) = password {
            params["password"] = json!(password);
        }
        a.sign_in(to_js(&params))
    };
    for preferred in ["PASSWORD", "PASSWORD_SRP"] {
        let done = call(sign_in(preferred, Some(PASSWORD)))
            .await
            .unwrap_or_else(|e| panic!("{preferred}: {e}"));
        assert_eq!(
            done["signedIn"], true,
            "{preferred} ends signed in in one call"
        );
        assert_eq!(
            call(sign_in(preferred, None)).await,
            Err("InvalidParameterError".into()),
            "{preferred} without a password"
        );
    }
    assert_eq!(
        call(sign_in("PASSWORD_SRP", Some("Wr0ng-Password!"))).await,
        Err("NotAuthorizedException".into())
    );
    assert_eq!(
        call(sign_in("SMS_MFA", None)).await,
        Err("InvalidParameterError".into())
    );
    let no_flow = a.sign_in(to_js(
        &json!({"username": username, "password": PASSWORD, "preferredChallenge": "PASSWORD"}),
    ));
    assert_eq!(call(no_flow).await, Err("InvalidParameterError".into()));

    // The same through SELECT_CHALLENGE, the password given with the answer.
    for answer in ["PASSWORD_SRP", "PASSWORD"] {
        let step = call(a.sign_in(to_js(&json!({"username": username, "flow": "USER_AUTH"}))))
            .await
            .expect("signIn");
        assert_eq!(step["challenge"], "SELECT_CHALLENGE");
        let no_password = call(a.respond_to_challenge(to_js(&json!({"answer": answer})))).await;
        assert_eq!(no_password, Err("InvalidParameterError".into()));
        let done =
            call(a.respond_to_challenge(to_js(&json!({"answer": answer, "password": PASSWORD}))))
                .await
                .unwrap_or_else(|e| panic!("{answer}: {e}"));
        assert_eq!(done["signedIn"], true, "{answer}");
    }
}

#[test]
async fn passwordless_sign_up_with_auto_sign_in() {
    let cfg = emulator().await;
    let pool = cfg["passwordlessUserPoolId"].as_str().unwrap();
    let a = passwordless_auth(&cfg);
    let username = unique("auto");
    let up = call(
        a.sign_up(to_js(&json!({"username": username, "autoSignIn": true,
        "attributes": {"email": format!("{username}@example.com")}}))),
    )
    .await
    .expect("signUp without a password");
    assert_eq!(up["userConfirmed"], false);
    let code = code_of(pool, &username, "SIGN_UP").await;
    let done = call(a.confirm_sign_up(to_js(&json!({"username": username, "code": code}))))
        .await
        .expect("confirmSignUp");
    assert_eq!(done["signedIn"], true, "confirmSignUp ends signed in");
    assert_eq!(done["session"]["username"], username.as_str());
    let factors = call(a.get_auth_factors()).await.expect("getAuthFactors");
    assert_eq!(factors["configuredAuthFactors"], json!(["EMAIL_OTP"]));
    assert_eq!(factors["mfaSettings"], json!([]));

    // Without autoSignIn, confirmSignUp only confirms.
    let b = passwordless_auth(&cfg);
    let other = unique("noauto");
    call(b.sign_up(to_js(&json!({"username": other,
        "attributes": {"email": format!("{other}@example.com")}}))))
    .await
    .expect("signUp");
    let code = code_of(pool, &other, "SIGN_UP").await;
    let confirmed = call(b.confirm_sign_up(to_js(&json!({"username": other, "code": code}))))
        .await
        .expect("confirmSignUp");
    assert_eq!(confirmed, Value::Null);
    assert_eq!(call(b.get_session()).await, Ok(Value::Null));

    // A pool without passwordless sign-in still needs the password.
    let main = auth(
        json!({"userPoolId": cfg["aliasUserPoolId"], "clientId": cfg["aliasClientId"],
        "endpoint": cfg["endpoint"]}),
    );
    let refused = call(main.sign_up(to_js(&json!({"username": unique("nopw"),
        "attributes": {"email": "nopw@example.com"}}))))
    .await;
    assert_eq!(refused, Err("InvalidParameterException".into()));
}

#[test]
async fn get_auth_factors_of_a_password_user() {
    let cfg = emulator().await;
    let pool = cfg["passwordlessUserPoolId"].as_str().unwrap();
    let a = passwordless_auth(&cfg);
    assert_eq!(
        call(a.get_auth_factors()).await,
        Err("InvalidParameterError".into()),
        "signed out"
    );
    let username = unique("factors");
    user_with(&a, pool, &username, true).await;
    call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    let factors = call(a.get_auth_factors()).await.expect("getAuthFactors");
    assert_eq!(factors["username"], username.as_str());
    assert_eq!(
        factors["configuredAuthFactors"],
        json!(["PASSWORD", "EMAIL_OTP", "SMS_OTP"])
    );
}

#[test]
async fn email_mfa_set_up_at_sign_in() {
    let cfg = emulator().await;
    let pool = cfg["emailMfaUserPoolId"].as_str().unwrap();
    let a = auth(
        json!({"userPoolId": pool, "clientId": cfg["emailMfaClientId"],
        "endpoint": cfg["endpoint"]}),
    );
    let username = unique("mfamail");
    user_with(&a, pool, &username, false).await;
    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "MFA_SETUP");
    assert!(step["parameters"]["MFAS_CAN_SETUP"]
        .as_str()
        .is_some_and(|can| can.contains("EMAIL_OTP")));
    let bad = call(a.respond_to_challenge(to_js(&json!({"email": "not-an-address"})))).await;
    assert_eq!(bad, Err("InvalidParameterError".into()));
    let address = format!("{username}-mfa@example.com");
    let otp = call(a.respond_to_challenge(to_js(&json!({"email": address}))))
        .await
        .expect("MFA_SETUP with EMAIL");
    assert_eq!(otp["challenge"], "EMAIL_OTP");
    assert_eq!(otp["codeDelivery"]["medium"], "EMAIL");
    let code = code_of(pool, &username, "EMAIL_OTP").await;
    let done = call(a.respond_to_challenge(to_js(&json!({"code": code}))))
        .await
        .expect("email code");
    assert_eq!(done["signedIn"], true);
    assert_eq!(done["session"]["claims"]["email"], address.as_str());
    let factors = call(a.get_auth_factors()).await.expect("getAuthFactors");
    assert_eq!(
        (&factors["mfaSettings"], &factors["preferredMfa"]),
        (&json!(["EMAIL_OTP"]), &json!("EMAIL_OTP"))
    );

    // The next sign-in asks for an emailed code after the password.
    call(a.sign_out(JsValue::UNDEFINED)).await.expect("signOut");
    let step = call(a.sign_in(sign_in_params(&username, PASSWORD)))
        .await
        .expect("signIn");
    assert_eq!(step["challenge"], "EMAIL_OTP");
    let code = code_of(pool, &username, "EMAIL_OTP").await;
    let done = call(a.respond_to_challenge(to_js(&json!({"code": code}))))
        .await
        .expect("email MFA");
    assert_eq!(done["signedIn"], true);
}

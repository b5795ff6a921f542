//! Passwordless pieces of the core client over a scripted [`Platform`], natively: SignUp without a
//! password, ConfirmSignUp's Session and the `USER_AUTH` auto sign-in with it, GetUserAuthFactors.
//!
//! [`Platform`]: cognito_wasm::transport::Platform
#![cfg(not(target_arch = "wasm32"))]

mod common_native;

use cognito_wasm::challenge::SignInStep;
use cognito_wasm::client::SignUpInput;
use cognito_wasm::storage::{load_session, StorageKeys};
use cognito_wasm::testing::{block_on, tokens_answer, Scripted};
use common_native::{client, sign_in};
use serde_json::json;

#[test]
fn passwordless_sign_up_then_auto_sign_in() {
    let platform = Scripted::default();
    platform
        .answer(
            200,
            json!({"UserConfirmed": false, "UserSub": "sub-1", "Session": "from-sign-up"}),
        )
        .answer(200, json!({"Session": "from-confirm"}))
        .answer(200, tokens_answer("ann"));
    let c = client(&platform);
    let input = SignUpInput {
        username: "ann".into(),
        attributes: [("email".to_owned(), "ann@example.com".to_owned())].into(),
        ..SignUpInput::default()
    };
    let up = block_on(c.sign_up(&input)).unwrap();
    assert_eq!(up.session.as_deref(), Some("from-sign-up"));
    let session = block_on(c.confirm_sign_up_with_session(
        "ann",
        &"123456".into(),
        None,
        None,
        up.session.as_deref(),
    ))
    .unwrap();
    assert_eq!(session.as_deref(), Some("from-confirm"));
    let step = block_on(c.sign_in_with_session("ann", "from-confirm", None)).unwrap();
    assert!(matches!(step, SignInStep::SignedIn(s) if s.username == "ann"));
    let stored = block_on(load_session(c.store(), &StorageKeys::new("client1"))).unwrap();
    assert!(stored.is_some(), "the session is stored as after signIn");

    let sent = platform.sent();
    assert_eq!(sent[0].0, "SignUp");
    assert!(sent[0].1.get("Password").is_none(), "no password sent");
    assert_eq!(sent[1].0, "ConfirmSignUp");
    assert_eq!(
        (&sent[1].1["Session"], &sent[1].1["ConfirmationCode"]),
        (&json!("from-sign-up"), &json!("123456"))
    );
    assert_eq!(sent[2].0, "InitiateAuth");
    assert_eq!(
        sent[2].1,
        json!({"AuthFlow": "USER_AUTH", "ClientId": "client1",
            "AuthParameters": {"USERNAME": "ann"}, "Session": "from-confirm"})
    );
}

#[test]
fn auto_sign_in_needs_a_session() {
    let platform = Scripted::default();
    let c = client(&platform);
    let e = block_on(c.sign_in_with_session("ann", "", None)).unwrap_err();
    assert_eq!(e.code(), "InvalidParameterError");
    assert!(platform.sent().is_empty());
}

#[test]
fn get_auth_factors_reads_the_answer() {
    let platform = Scripted::default();
    let c = client(&platform);
    let e = block_on(c.get_auth_factors()).unwrap_err();
    assert_eq!(e.code(), "InvalidParameterError", "signed out");

    let access = sign_in(&c);
    platform.answer(
        200,
        json!({"Username": "ann",
        "ConfiguredUserAuthFactors": ["PASSWORD", "EMAIL_OTP"], "UserMFASettingList": ["EMAIL_OTP"],
        "PreferredMfaSetting": "EMAIL_OTP"}),
    );
    let factors = block_on(c.get_auth_factors()).unwrap();
    assert_eq!(factors.configured, ["PASSWORD", "EMAIL_OTP"]);
    assert_eq!(
        (
            factors.preferred_mfa.as_deref(),
            factors.mfa_settings.as_slice()
        ),
        (Some("EMAIL_OTP"), ["EMAIL_OTP".to_owned()].as_slice())
    );
    let sent = platform.sent();
    assert_eq!(
        sent,
        [(
            "GetUserAuthFactors".to_owned(),
            json!({"AccessToken": access})
        )]
    );
}

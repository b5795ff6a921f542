//! The account flows of the core client (`src/account.rs`) over a scripted [`Platform`],
//! natively: what each sends, the pending-verification rule, MFA_SETUP's session hand-over and
//! DeleteUser clearing the stored session.
//!
//! [`Platform`]: cognito_wasm::transport::Platform
#![cfg(not(target_arch = "wasm32"))]

mod common_native;

use std::collections::BTreeMap;

use cognito_wasm::challenge::{PendingChallenge, SignInStep};
use cognito_wasm::map::VecMap;
use cognito_wasm::testing::{block_on, Scripted};
use common_native::{client, jwt, sign_in};
use serde_json::json;

#[test]
fn signed_out_calls_send_nothing() {
    let platform = Scripted::default();
    let c = client(&platform);
    let e = block_on(c.get_user()).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        ("InvalidParameterError", "not signed in: sign in first")
    );
    assert_eq!(
        block_on(c.delete_user()).unwrap_err().code(),
        "InvalidParameterError"
    );
    assert!(platform.sent().is_empty());
}

#[test]
fn held_attributes_are_reported_pending() {
    let platform = Scripted::default();
    platform
        .answer(
            200,
            json!({"CodeDeliveryDetailsList": [{"Destination": "n***@e***",
            "DeliveryMedium": "EMAIL", "AttributeName": "email"}]}),
        )
        .answer(
            200,
            json!({"Username": "ann", "UserAttributes": [
            {"Name": "email", "Value": "old@example.com"}, {"Name": "name", "Value": "Ann"}]}),
        );
    let c = client(&platform);
    let access = sign_in(&c);
    let requested = BTreeMap::from([
        ("email".to_owned(), "new@example.com".to_owned()),
        ("name".to_owned(), "Ann".to_owned()),
    ]);
    let update = block_on(c.update_user_attributes(&requested, None)).unwrap();
    assert_eq!(update.pending_verification, vec!["email"]);
    assert_eq!(
        update.code_deliveries[0].attribute_name.as_deref(),
        Some("email")
    );
    let sent = platform.sent();
    assert_eq!(sent[0].0, "UpdateUserAttributes");
    assert_eq!(sent[0].1["AccessToken"], access.as_str());
    assert_eq!(
        sent[0].1["UserAttributes"],
        json!([{"Name": "email", "Value": "new@example.com"}, {"Name": "name", "Value": "Ann"}])
    );
    assert_eq!(sent[1].0, "GetUser");
}

#[test]
fn mfa_setup_answers_with_the_session_verify_returned() {
    let platform = Scripted::default();
    platform
        .answer(200, json!({"Status": "SUCCESS", "Session": "s2"}))
        .answer(200, json!({"AuthenticationResult": {
            "AccessToken": jwt(&json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "username": "ann"})),
            "IdToken": jwt(&json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "cognito:username": "ann"})),
            "RefreshToken": "r", "ExpiresIn": 3600}}));
    let c = client(&platform);
    let pending = PendingChallenge {
        name: "MFA_SETUP".into(),
        session: Some("s1".into()),
        username: "ann".into(),
        parameters: VecMap::new(),
        available_challenges: Vec::new(),
    };
    let step =
        block_on(c.complete_mfa_setup(&pending, &"123456".into(), Some("phone"), None)).unwrap();
    assert!(matches!(step, SignInStep::SignedIn(_)));
    let sent = platform.sent();
    assert_eq!(sent[0].0, "VerifySoftwareToken");
    assert_eq!(
        sent[0].1,
        json!({"Session": "s1", "UserCode": "123456", "FriendlyDeviceName": "phone"})
    );
    assert_eq!(sent[1].0, "RespondToAuthChallenge");
    assert_eq!(sent[1].1["ChallengeName"], "MFA_SETUP");
    assert_eq!(sent[1].1["Session"], "s2");
    assert_eq!(sent[1].1["ChallengeResponses"], json!({"USERNAME": "ann"}));
}

#[test]
fn delete_user_clears_the_stored_session() {
    let platform = Scripted::default();
    platform.answer(200, json!({}));
    let c = client(&platform);
    sign_in(&c);
    block_on(c.delete_user()).unwrap();
    assert!(c.store().keys().is_empty());
    assert!(c.current_session().is_none());
    assert_eq!(platform.sent()[0].0, "DeleteUser");
}

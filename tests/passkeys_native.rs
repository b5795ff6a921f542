//! The passkey calls of the core client (`src/passkeys.rs`) over a scripted [`Platform`]:
//! what each sends, the checked creation options, the limits, signed-out calls sending nothing.
//!
//! [`Platform`]: cognito_wasm::transport::Platform
#![cfg(not(target_arch = "wasm32"))]

mod common_native;

use cognito_wasm::testing::{block_on, Scripted};
use common_native::{client, sign_in};
use serde_json::json;

#[test]
fn signed_out_passkey_calls_send_nothing() {
    let platform = Scripted::default();
    let c = client(&platform);
    let e = block_on(c.start_passkey_registration()).unwrap_err();
    assert_eq!(e.code(), "InvalidParameterError");
    assert!(block_on(c.list_passkeys(None, None)).is_err());
    assert!(block_on(c.delete_passkey("q83v")).is_err());
    assert!(platform.sent().is_empty());
}

#[test]
fn registration_list_and_delete_send_cognito_bodies() {
    let platform = Scripted::default();
    let c = client(&platform);
    let access = sign_in(&c);
    let options = json!({"challenge": "AAEC", "rp": {"id": "localhost", "name": "p"},
        "user": {"id": "dQ", "name": "ann", "displayName": "ann"},
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}]});
    platform
        .answer(200, json!({ "CredentialCreationOptions": options }))
        .answer(200, json!({}))
        .answer(
            200,
            json!({"Credentials": [{"CredentialId": "q83v", "FriendlyCredentialName": "k",
            "RelyingPartyId": "localhost", "AuthenticatorTransports": ["internal"],
            "CreatedAt": 1_700_000_000}], "NextToken": "n2"}),
        )
        .answer(200, json!({}));
    let decoded = block_on(c.start_passkey_registration()).unwrap();
    assert_eq!(
        (decoded.challenge, decoded.user_id),
        (vec![0, 1, 2], Some(b"u".to_vec()))
    );
    let credential = cognito_wasm::json::parse(r#"{"id":"q83v"}"#).unwrap();
    block_on(c.complete_passkey_registration(&credential)).unwrap();
    let page = block_on(c.list_passkeys(Some(5), Some("n1"))).unwrap();
    assert_eq!(page.credentials[0].credential_id, "q83v");
    assert_eq!(page.next_token.as_deref(), Some("n2"));
    block_on(c.delete_passkey("q83v")).unwrap();
    let sent = platform.sent();
    let names: Vec<_> = sent.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "StartWebAuthnRegistration",
            "CompleteWebAuthnRegistration",
            "ListWebAuthnCredentials",
            "DeleteWebAuthnCredential"
        ]
    );
    assert_eq!(sent[0].1, json!({ "AccessToken": access }));
    assert_eq!(
        sent[1].1,
        json!({"AccessToken": access, "Credential": {"id": "q83v"}})
    );
    assert_eq!(
        sent[2].1,
        json!({"AccessToken": access, "MaxResults": 5, "NextToken": "n1"})
    );
    assert_eq!(
        sent[3].1,
        json!({"AccessToken": access, "CredentialId": "q83v"})
    );
}

#[test]
fn bad_options_and_limits_are_refused() {
    let platform = Scripted::default();
    let c = client(&platform);
    sign_in(&c);
    platform.answer(
        200,
        json!({"CredentialCreationOptions": {"challenge": "AAEC"}}),
    );
    let e = block_on(c.start_passkey_registration()).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        (
            "InvalidResponseError",
            "unexpected answer from Cognito: rp is missing"
        )
    );
    for limit in [0, 21] {
        assert_eq!(
            block_on(c.list_passkeys(Some(limit), None))
                .unwrap_err()
                .code(),
            "InvalidParameterError"
        );
    }
    assert_eq!(
        block_on(c.delete_passkey("")).unwrap_err().code(),
        "InvalidParameterError"
    );
    assert_eq!(platform.sent().len(), 1);
}

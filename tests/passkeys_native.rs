//! The passkey calls of the core client (`src/passkeys.rs`) over a scripted [`Platform`]:
//! what each sends, the checked creation options, the limits, signed-out calls sending nothing.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::VecDeque;

use base64::Engine;
use cognito_wasm::client::{CallOptions, Cognito};
use cognito_wasm::config::ClientConfig;
use cognito_wasm::session::Session;
use cognito_wasm::storage::{save_session, MemoryStore, StorageKeys};
use cognito_wasm::testing::block_on;
use cognito_wasm::transport::{HttpRequest, HttpResponse, Platform, TransportError};
use serde_json::{json, Value};

#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<Value>>,
    requests: RefCell<Vec<(String, Value)>>,
}

impl Scripted {
    fn answer(&self, body: Value) -> &Self {
        self.answers.borrow_mut().push_back(body);
        self
    }
    fn sent(&self) -> Vec<(String, Value)> {
        self.requests.borrow().clone()
    }
}

impl Platform for &Scripted {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let body = serde_json::from_str(request.body.expose_secret()).expect("JSON body");
        let target = request
            .target
            .replace("AWSCognitoIdentityProviderService.", "");
        self.requests.borrow_mut().push((target, body));
        match self.answers.borrow_mut().pop_front() {
            Some(body) => Ok(HttpResponse {
                status: 200,
                error_type: None,
                body: body.to_string(),
            }),
            None => Err(TransportError::Network("script exhausted".into())),
        }
    }
    async fn sleep(&self, _ms: u32) {}
    fn now_ms(&self) -> u64 {
        1_000_000_000_000
    }
}

fn jwt(claims: &Value) -> String {
    let b64 = |v: &Value| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string().as_bytes())
    };
    format!("{}.{}.c2ln", b64(&json!({"alg": "RS256"})), b64(claims))
}

fn client(platform: &Scripted) -> Cognito<&Scripted, MemoryStore> {
    let config = ClientConfig::new("us-east-1_AbC123", "client1", None, None).unwrap();
    Cognito::new(
        config,
        platform,
        MemoryStore::default(),
        CallOptions::default(),
    )
}

/// Stores a valid session of `ann` with access token `jwt(…)`; returns that token.
fn sign_in(c: &Cognito<&Scripted, MemoryStore>) -> String {
    let claims = json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "username": "ann",
        "cognito:username": "ann"});
    let access = jwt(&claims);
    let session = Session::restore(&jwt(&claims), &access, Some("r".into()), 0).unwrap();
    block_on(save_session(
        c.store(),
        &StorageKeys::new("client1"),
        &session,
    ))
    .unwrap();
    access
}

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
        .answer(json!({ "CredentialCreationOptions": options }))
        .answer(json!({}))
        .answer(
            json!({"Credentials": [{"CredentialId": "q83v", "FriendlyCredentialName": "k",
            "RelyingPartyId": "localhost", "AuthenticatorTransports": ["internal"],
            "CreatedAt": 1_700_000_000}], "NextToken": "n2"}),
        )
        .answer(json!({}));
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
    platform.answer(json!({"CredentialCreationOptions": {"challenge": "AAEC"}}));
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

//! The account flows of the core client (`src/account.rs`) over a scripted [`Platform`],
//! natively: what each sends, the pending-verification rule, MFA_SETUP's session hand-over and
//! DeleteUser clearing the stored session.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};

use base64::Engine;
use cognito_wasm::challenge::{PendingChallenge, SignInStep};
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
            json!({"CodeDeliveryDetailsList": [{"Destination": "n***@e***",
            "DeliveryMedium": "EMAIL", "AttributeName": "email"}]}),
        )
        .answer(json!({"Username": "ann", "UserAttributes": [
            {"Name": "email", "Value": "old@example.com"}, {"Name": "name", "Value": "Ann"}]}));
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
        .answer(json!({"Status": "SUCCESS", "Session": "s2"}))
        .answer(json!({"AuthenticationResult": {
            "AccessToken": jwt(&json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "username": "ann"})),
            "IdToken": jwt(&json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "cognito:username": "ann"})),
            "RefreshToken": "r", "ExpiresIn": 3600}}));
    let c = client(&platform);
    let pending = PendingChallenge {
        name: "MFA_SETUP".into(),
        session: Some("s1".into()),
        username: "ann".into(),
        parameters: HashMap::new(),
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
    platform.answer(json!({}));
    let c = client(&platform);
    sign_in(&c);
    block_on(c.delete_user()).unwrap();
    assert!(c.store().keys().is_empty());
    assert!(c.current_session().is_none());
    assert_eq!(platform.sent()[0].0, "DeleteUser");
}

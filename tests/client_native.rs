//! The core client over a scripted [`Platform`], natively: retry rules, the PASSWORD_VERIFIER
//! answer's USERNAME and SECRET_HASH, and what storage and refresh failures do to the session.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::VecDeque;

use base64::Engine;
use cognito_wasm::challenge::SignInStep;
use cognito_wasm::client::{AuthFlow, CallOptions, Cognito, SignUpInput};
use cognito_wasm::config::ClientConfig;
use cognito_wasm::secret::{SecretBytes, SecretString};
use cognito_wasm::secret_hash::secret_hash;
use cognito_wasm::srp::ClientEphemeral;
use cognito_wasm::storage::{MemoryStore, TokenStore};
use cognito_wasm::testing::block_on;
use cognito_wasm::transport::{HttpRequest, HttpResponse, Platform, TransportError};
use serde_json::{json, Value};

/// Answers requests from a script and records them.
#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    requests: RefCell<Vec<(String, Value)>>,
    sleeps: RefCell<Vec<u32>>,
}

impl Scripted {
    fn answer(&self, status: u16, body: Value) -> &Self {
        self.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            error_type: None,
            body: body.to_string(),
        }));
        self
    }
    fn fail(&self, error: TransportError) -> &Self {
        self.answers.borrow_mut().push_back(Err(error));
        self
    }
    fn targets(&self) -> Vec<String> {
        self.requests
            .borrow()
            .iter()
            .map(|(t, _)| t.replace("AWSCognitoIdentityProviderService.", ""))
            .collect()
    }
}

impl Platform for &Scripted {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        let body = serde_json::from_str(request.body.expose_secret()).expect("JSON body");
        self.requests
            .borrow_mut()
            .push((request.target.clone(), body));
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or(Err(TransportError::Network("script exhausted".into())))
    }
    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
    }
    fn now_ms(&self) -> u64 {
        1_000_000_000_000 // 2001-09-09T01:46:40Z
    }
}

/// A store that refuses writes.
#[derive(Default)]
struct FullStore(MemoryStore);

impl TokenStore for FullStore {
    async fn get_item(&self, key: &str) -> Result<Option<String>, cognito_wasm::error::Error> {
        self.0.get_item(key).await
    }
    async fn set_item(&self, _: &str, _: &str) -> Result<(), cognito_wasm::error::Error> {
        Err(cognito_wasm::error::Error::Storage {
            message: "quota exceeded".into(),
        })
    }
    async fn remove_item(&self, key: &str) -> Result<(), cognito_wasm::error::Error> {
        self.0.remove_item(key).await
    }
}

fn jwt(claims: Value) -> String {
    let b64 = |v: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v);
    format!(
        "{}.{}.sig",
        b64(br#"{"alg":"RS256"}"#),
        b64(claims.to_string().as_bytes())
    )
}

fn tokens(username: &str, refresh: Option<&str>) -> Value {
    let claims = json!({"username": username, "cognito:username": username, "iat": 1_000_000, "exp": 1_003_600});
    let mut result = json!({"AccessToken": jwt(claims.clone()), "IdToken": jwt(claims), "ExpiresIn": 3600, "TokenType": "Bearer"});
    if let Some(refresh) = refresh {
        result["RefreshToken"] = json!(refresh);
    }
    json!({"AuthenticationResult": result, "ChallengeParameters": {}})
}

fn client<'a, S: TokenStore>(
    platform: &'a Scripted,
    store: S,
    secret: Option<&str>,
) -> Cognito<&'a Scripted, S> {
    let config = ClientConfig::new(
        "us-east-1_Pool1",
        "client1",
        secret.map(SecretString::from),
        Some("http://stub/"),
    )
    .unwrap();
    Cognito::new(config, platform, store, CallOptions::default())
}

fn sign_up_input() -> SignUpInput {
    SignUpInput {
        username: "ann".into(),
        password: "Passw0rd!".into(),
        ..Default::default()
    }
}

#[test]
fn throttling_is_retried_even_for_calls_that_are_not_idempotent() {
    let stub = Scripted::default();
    let throttled = json!({"__type": "TooManyRequestsException", "message": "slow down"});
    stub.answer(400, throttled.clone())
        .answer(429, json!({}))
        .answer(200, json!({"UserConfirmed": false, "UserSub": "s-1"}));
    let answer = block_on(client(&stub, MemoryStore::default(), None).sign_up(&sign_up_input()))
        .expect("third try");
    assert_eq!(answer.user_sub, "s-1");
    assert_eq!(stub.targets(), ["SignUp", "SignUp", "SignUp"]);
    assert_eq!(stub.sleeps.borrow().len(), 2);
    assert!(stub.sleeps.borrow().iter().all(|&ms| ms <= 2_000));
}

#[test]
fn a_5xx_is_retried_only_where_repeating_is_harmless() {
    let stub = Scripted::default();
    stub.answer(503, json!({})).answer(200, json!({}));
    let e = block_on(client(&stub, MemoryStore::default(), None).sign_up(&sign_up_input()))
        .unwrap_err();
    assert_eq!(
        (e.code(), e.status(), e.retryable()),
        ("UnknownError", Some(503), true)
    );
    assert_eq!(
        stub.targets(),
        ["SignUp"],
        "SignUp is not repeated after a 5xx"
    );

    let stub = Scripted::default();
    stub.fail(TransportError::Timeout).answer(502, json!({})).answer(200, json!({"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s", "ChallengeParameters": {"USERNAME": "ann"}}));
    let step = block_on(client(&stub, MemoryStore::default(), None).sign_in(
        "ann",
        &"pw".into(),
        AuthFlow::UserPassword,
        None,
        None,
    ))
    .expect("InitiateAuth retried");
    assert!(matches!(step, SignInStep::Challenge(ref c) if c.name == "CUSTOM_CHALLENGE"));
    assert_eq!(stub.targets(), ["InitiateAuth"; 3]);

    let stub = Scripted::default();
    stub.fail(TransportError::Timeout)
        .fail(TransportError::Timeout)
        .fail(TransportError::Timeout)
        .fail(TransportError::Timeout);
    let e = block_on(client(&stub, MemoryStore::default(), None).sign_in(
        "ann",
        &"pw".into(),
        AuthFlow::UserPassword,
        None,
        None,
    ))
    .unwrap_err();
    assert_eq!(e.code(), "TimeoutError");
    assert_eq!(stub.targets().len(), 4, "1 try + maxRetries (3)");
}

#[test]
fn password_verifier_answers_as_user_id_for_srp_with_its_secret_hash() {
    let stub = Scripted::default();
    let challenge = json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": "sess-1",
        "ChallengeParameters": {
            "SALT": "00ab", "SRP_B": "1234567890abcdef", "SECRET_BLOCK": "c2VjcmV0",
            "USER_ID_FOR_SRP": "real-user-id", "USERNAME": "real-user-id"
        }
    });
    stub.answer(200, challenge)
        .answer(200, tokens("real-user-id", Some("refresh-1")));
    let store = MemoryStore::default();
    let cognito = client(&stub, store, Some("s3cret"));
    let ephemeral = ClientEphemeral::from_secret(SecretBytes::new(vec![9; 32])).unwrap();
    let step = block_on(cognito.sign_in(
        "ann@example.com",
        &"pw".into(),
        AuthFlow::UserSrp,
        Some(ephemeral),
        None,
    ))
    .expect("signed in");
    assert!(matches!(step, SignInStep::SignedIn(ref s) if s.username == "real-user-id"));

    let requests = stub.requests.borrow();
    let initiate = &requests[0].1;
    assert_eq!(initiate["AuthParameters"]["USERNAME"], "ann@example.com");
    assert_eq!(
        initiate["AuthParameters"]["SECRET_HASH"],
        secret_hash(&"s3cret".into(), "ann@example.com", "client1")
    );
    let respond = &requests[1].1;
    assert_eq!(respond["Session"], "sess-1");
    assert_eq!(respond["ChallengeResponses"]["USERNAME"], "real-user-id");
    assert_eq!(
        respond["ChallengeResponses"]["SECRET_HASH"],
        secret_hash(&"s3cret".into(), "real-user-id", "client1")
    );
    assert_eq!(
        respond["ChallengeResponses"]["PASSWORD_CLAIM_SECRET_BLOCK"],
        "c2VjcmV0"
    );
    assert_eq!(
        respond["ChallengeResponses"]["TIMESTAMP"],
        "Sun Sep 9 01:46:40 UTC 2001"
    );
    assert_eq!(
        cognito
            .store()
            .get("CognitoIdentityServiceProvider.client1.LastAuthUser")
            .as_deref(),
        Some("real-user-id")
    );
}

#[test]
fn a_failed_store_write_is_reported_and_the_session_kept_in_memory() {
    let stub = Scripted::default();
    stub.answer(200, tokens("ann", Some("r")));
    let cognito = client(&stub, FullStore::default(), None);
    let e = block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None))
        .unwrap_err();
    assert_eq!(e.code(), "StorageError");
    let held = block_on(cognito.get_session())
        .expect("no error")
        .expect("session kept");
    assert_eq!(held.username, "ann");
}

#[test]
fn refresh_keeps_the_session_on_network_errors_and_drops_it_when_cognito_refuses() {
    let stub = Scripted::default();
    stub.answer(200, tokens("ann", Some("r-1")));
    let cognito = client(&stub, MemoryStore::default(), None);
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None))
        .expect("signed in");

    stub.fail(TransportError::Network("offline".into()))
        .fail(TransportError::Network("offline".into()))
        .fail(TransportError::Network("offline".into()))
        .fail(TransportError::Network("offline".into()));
    assert_eq!(
        block_on(cognito.refresh_session()).unwrap_err().code(),
        "NetworkError"
    );
    assert!(
        cognito
            .store()
            .get("CognitoIdentityServiceProvider.client1.ann.refreshToken")
            .is_some(),
        "kept"
    );

    stub.answer(200, tokens("ann", None));
    let refreshed = block_on(cognito.refresh_session()).expect("refreshed");
    assert_eq!(
        refreshed
            .refresh_token
            .as_ref()
            .map(SecretString::expose_secret),
        Some("r-1"),
        "refresh token kept"
    );
    let last = stub.requests.borrow().last().unwrap().1.clone();
    assert_eq!(last["AuthParameters"]["REFRESH_TOKEN"], "r-1");

    stub.answer(
        400,
        json!({"__type": "NotAuthorizedException", "message": "Refresh Token has been revoked"}),
    );
    assert_eq!(
        block_on(cognito.refresh_session()).unwrap_err().code(),
        "NotAuthorizedException"
    );
    assert!(block_on(cognito.get_session()).unwrap().is_none());
    assert!(cognito.store().keys().is_empty(), "every key removed");
}

//! The core client over a scripted [`Platform`], natively: retry rules, the PASSWORD_VERIFIER
//! answer's USERNAME and SECRET_HASH, and what storage and refresh failures do to the session.
#![cfg(not(target_arch = "wasm32"))]

mod common_native;

use std::cell::RefCell;

use cognito_wasm::challenge::SignInStep;
use cognito_wasm::client::RefreshFlow;
use cognito_wasm::client::{AuthFlow, CallOptions, Cognito, SignUpInput};
use cognito_wasm::config::ClientConfig;
use cognito_wasm::secret::{SecretBytes, SecretString};
use cognito_wasm::secret_hash::secret_hash;
use cognito_wasm::session::Session;
use cognito_wasm::srp::ClientEphemeral;
use cognito_wasm::storage::{MemoryStore, TokenStore};
use cognito_wasm::testing::{block_on, Scripted};
use cognito_wasm::transport::{HttpRequest, HttpResponse, Platform, TransportError};
use common_native::jwt;
use serde_json::{json, Value};

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

fn tokens(username: &str, refresh: Option<&str>) -> Value {
    let claims = json!({"username": username, "cognito:username": username, "iat": 1_000_000, "exp": 1_003_600});
    let mut result = json!({"AccessToken": jwt(&claims), "IdToken": jwt(&claims), "ExpiresIn": 3600, "TokenType": "Bearer"});
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
    assert_eq!(stub.operations(), ["SignUp", "SignUp", "SignUp"]);
    assert_eq!(stub.sleeps().len(), 2);
    assert!(stub.sleeps().iter().all(|&ms| ms <= 2_000));
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
        stub.operations(),
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
    assert_eq!(stub.operations(), ["InitiateAuth"; 3]);

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
    assert_eq!(stub.operations().len(), 4, "1 try + maxRetries (3)");
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

    let requests = stub.sent();
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
    assert_eq!(refresh_of(&refreshed), Some("r-1"), "refresh token kept");
    let last = stub.sent().last().unwrap().clone();
    assert_eq!(last.0, "GetTokensFromRefreshToken");
    assert_eq!(
        last.1,
        json!({"RefreshToken": "r-1", "ClientId": "client1"})
    );

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

const P: &str = "CognitoIdentityServiceProvider.client1";

/// The refresh token a session holds.
fn refresh_of(session: &Session) -> Option<&str> {
    session
        .refresh_token
        .as_ref()
        .map(SecretString::expose_secret)
}

fn signed_in<'a>(stub: &'a Scripted, secret: Option<&str>) -> Cognito<&'a Scripted, MemoryStore> {
    stub.answer(200, tokens("ann", Some("r-1")));
    let cognito = client(stub, MemoryStore::default(), secret);
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None))
        .expect("signed in");
    cognito
}

fn stored_refresh(cognito: &Cognito<&Scripted, MemoryStore>) -> Option<String> {
    cognito.store().get(&format!("{P}.ann.refreshToken"))
}

#[test]
fn a_rotated_refresh_token_is_stored_with_the_new_tokens() {
    let stub = Scripted::default();
    let cognito = signed_in(&stub, Some("s3cret"));
    cognito
        .store()
        .set(&format!("{P}.ann.deviceKey"), "us-east-1_dev");
    cognito
        .store()
        .set(&format!("{P}.ann.deviceGroupKey"), "group");
    cognito
        .store()
        .set(&format!("{P}.ann.randomPasswordKey"), "pw");
    let metadata = cognito_wasm::map::VecMap::from([("k".to_owned(), "v".to_owned())]);
    stub.answer(200, tokens("ann", Some("r-2")));
    let refreshed = block_on(cognito.refresh_session_with(Some(&metadata))).expect("refreshed");
    assert_eq!(
        refreshed
            .refresh_token
            .as_ref()
            .map(SecretString::expose_secret),
        Some("r-2")
    );
    assert_eq!(stored_refresh(&cognito).as_deref(), Some("r-2"));
    assert_eq!(
        cognito
            .store()
            .get(&format!("{P}.ann.accessToken"))
            .as_deref(),
        Some(refreshed.access_token.expose_secret())
    );
    let (target, body) = stub.sent().last().unwrap().clone();
    assert_eq!(target, "GetTokensFromRefreshToken");
    assert_eq!(
        body,
        json!({"RefreshToken": "r-1", "ClientId": "client1", "ClientSecret": "s3cret",
            "DeviceKey": "us-east-1_dev", "ClientMetadata": {"k": "v"}})
    );

    // The next refresh sends the rotated token.
    stub.answer(200, tokens("ann", None));
    block_on(cognito.refresh_session()).expect("refreshed again");
    assert_eq!(stub.sent().last().unwrap().1["RefreshToken"], "r-2");
    assert_eq!(
        stored_refresh(&cognito).as_deref(),
        Some("r-2"),
        "kept when none comes"
    );
}

#[test]
fn an_endpoint_without_the_operation_falls_back_to_refresh_token_auth_for_good() {
    let stub = Scripted::default();
    let cognito = signed_in(&stub, None);
    stub.answer(
        400,
        json!({"__type": "com.amazon.coral.service#UnknownOperationException"}),
    )
    .answer(200, tokens("ann", None));
    block_on(cognito.refresh_session()).expect("refreshed by REFRESH_TOKEN_AUTH");
    stub.answer(200, tokens("ann", None));
    block_on(cognito.refresh_session()).expect("again");
    assert_eq!(
        stub.operations(),
        [
            "InitiateAuth",
            "GetTokensFromRefreshToken",
            "InitiateAuth",
            "InitiateAuth"
        ]
    );
    let last = stub.sent().last().unwrap().1.clone();
    assert_eq!(last["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(last["AuthParameters"]["REFRESH_TOKEN"], "r-1");

    // Any other refusal of the operation is reported, not a reason to switch.
    for (status, body) in [
        (404, json!({})),
        (501, json!({})),
        (
            400,
            json!({"__type": "InvalidParameterException", "message": "no"}),
        ),
    ] {
        let stub = Scripted::default();
        let cognito = signed_in(&stub, None);
        stub.answer(status, body);
        assert!(block_on(cognito.refresh_session()).is_err());
        let targets = stub.operations();
        assert!(
            targets[1..]
                .iter()
                .all(|t| t == "GetTokensFromRefreshToken"),
            "{status}: {targets:?}"
        );
        assert_eq!(
            stored_refresh(&cognito).as_deref(),
            Some("r-1"),
            "session kept"
        );
    }
}

#[test]
fn the_refresh_flow_option_sends_refresh_token_auth_only() {
    let stub = Scripted::default();
    stub.answer(200, tokens("ann", Some("r-1")))
        .answer(200, tokens("ann", None));
    let config =
        ClientConfig::new("us-east-1_Pool1", "client1", None, Some("http://stub/")).unwrap();
    let options = CallOptions {
        refresh_flow: RefreshFlow::RefreshTokenAuth,
        ..CallOptions::default()
    };
    let cognito = Cognito::new(config, &stub, MemoryStore::default(), options);
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None)).unwrap();
    block_on(cognito.refresh_session()).expect("refreshed");
    assert_eq!(stub.operations(), ["InitiateAuth", "InitiateAuth"]);
}

#[test]
fn a_reused_refresh_token_ends_the_session() {
    let stub = Scripted::default();
    let cognito = signed_in(&stub, None);
    stub.answer(
        400,
        json!({"__type": "RefreshTokenReuseException", "message": "Refresh token has been reused"}),
    );
    let e = block_on(cognito.refresh_session()).unwrap_err();
    assert_eq!(e.code(), "RefreshTokenReuseException");
    assert!(cognito.current_session().is_none());
    assert!(cognito.store().keys().is_empty());
}

/// A store shared with the test (the "other tab" writes to it while a request is out).
#[derive(Default, Clone)]
struct Shared(std::rc::Rc<MemoryStore>);

impl TokenStore for Shared {
    async fn get_item(&self, key: &str) -> Result<Option<String>, cognito_wasm::error::Error> {
        self.0.get_item(key).await
    }
    async fn set_item(&self, key: &str, value: &str) -> Result<(), cognito_wasm::error::Error> {
        self.0.set_item(key, value).await
    }
    async fn remove_item(&self, key: &str) -> Result<(), cognito_wasm::error::Error> {
        self.0.remove_item(key).await
    }
}

/// Answers like [`Scripted`], after running `during` (what another tab does meanwhile).
struct Racing<'a> {
    inner: &'a Scripted,
    during: RefCell<Option<Box<dyn FnOnce() + 'a>>>,
}

impl Platform for &Racing<'_> {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        if request.target.ends_with("GetTokensFromRefreshToken") {
            if let Some(during) = self.during.borrow_mut().take() {
                during();
            }
        }
        (&self.inner).send(request).await
    }
    async fn sleep(&self, ms: u32) {
        (&self.inner).sleep(ms).await
    }
    fn now_ms(&self) -> u64 {
        (&self.inner).now_ms()
    }
}

#[test]
fn a_refused_token_that_another_tab_rotated_meanwhile_keeps_that_tabs_session() {
    let stub = Scripted::default();
    let store = Shared::default();
    let other_tab = store.clone();
    let racing = Racing {
        inner: &stub,
        during: RefCell::new(Some(Box::new(move || {
            other_tab.0.set(&format!("{P}.ann.refreshToken"), "r-2");
        }))),
    };
    let config =
        ClientConfig::new("us-east-1_Pool1", "client1", None, Some("http://stub/")).unwrap();
    let cognito = Cognito::new(config, &racing, store.clone(), CallOptions::default());
    stub.answer(200, tokens("ann", Some("r-1")));
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None)).unwrap();
    stub.answer(
        400,
        json!({"__type": "RefreshTokenReuseException", "message": "reused"}),
    );
    let session = block_on(cognito.refresh_session()).expect("the other tab's session");
    assert_eq!(
        session
            .refresh_token
            .as_ref()
            .map(SecretString::expose_secret),
        Some("r-2")
    );
    assert_eq!(
        store.0.get(&format!("{P}.ann.refreshToken")).as_deref(),
        Some("r-2"),
        "not cleared"
    );
    assert_eq!(stub.sent().last().unwrap().1["RefreshToken"], "r-1");

    // Without such a change, the same answer signs out.
    stub.answer(
        400,
        json!({"__type": "RefreshTokenReuseException", "message": "reused"}),
    );
    assert!(block_on(cognito.refresh_session()).is_err());
    assert!(store.0.keys().is_empty());
}

/// A store whose writes fail while `full` is set.
#[derive(Default)]
struct Flaky {
    items: MemoryStore,
    full: std::cell::Cell<bool>,
}

impl TokenStore for Flaky {
    async fn get_item(&self, key: &str) -> Result<Option<String>, cognito_wasm::error::Error> {
        self.items.get_item(key).await
    }
    async fn set_item(&self, key: &str, value: &str) -> Result<(), cognito_wasm::error::Error> {
        if self.full.get() {
            return Err(cognito_wasm::error::Error::Storage {
                message: "quota exceeded".into(),
            });
        }
        self.items.set_item(key, value).await
    }
    async fn remove_item(&self, key: &str) -> Result<(), cognito_wasm::error::Error> {
        self.items.remove_item(key).await
    }
}

/// Tokens of `username` that expire `exp` seconds after the stub's clock origin (iat 1_000_000).
fn tokens_expiring(username: &str, refresh: &str, lifetime_s: u64) -> Value {
    let claims = json!({"username": username, "cognito:username": username, "iat": 1_000_000, "exp": 1_000_000 + lifetime_s});
    json!({"AuthenticationResult": {"AccessToken": jwt(&claims), "IdToken": jwt(&claims), "RefreshToken": refresh}})
}

#[test]
fn after_a_failed_write_the_held_session_stays_readable_over_older_stored_tokens() {
    let stub = Scripted::default();
    let cognito = client(&stub, Flaky::default(), None);
    // An earlier sign-in of the same user is stored, about to expire (inside the refresh margin).
    stub.answer(200, tokens_expiring("ann", "r-old", 30));
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None)).unwrap();
    // The next sign-in's write fails.
    cognito.store().full.set(true);
    stub.answer(200, tokens_expiring("ann", "r-new", 3600));
    let e = block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None))
        .unwrap_err();
    assert_eq!(e.code(), "StorageError");
    let requests = stub.sent().len();

    let held = block_on(cognito.get_session())
        .expect("no StorageError")
        .expect("the held session");
    assert_eq!(
        held.refresh_token.as_ref().map(SecretString::expose_secret),
        Some("r-new"),
        "the new session, not the stored older one"
    );
    assert_eq!(stub.sent().len(), requests, "no refresh of the old tokens");
    let warning = cognito.take_storage_warning().expect("warned");
    assert_eq!(warning.code(), "StorageError");
    block_on(cognito.get_session()).unwrap().unwrap();
    assert!(cognito.take_storage_warning().is_none(), "once");

    // The store works again: the next read writes the held session.
    cognito.store().full.set(false);
    block_on(cognito.get_session()).unwrap().unwrap();
    assert_eq!(
        cognito
            .store()
            .items
            .get(&format!("{P}.ann.refreshToken"))
            .as_deref(),
        Some("r-new")
    );
}

#[test]
fn a_refresh_whose_write_fails_still_answers_the_refreshed_session() {
    let stub = Scripted::default();
    let cognito = client(&stub, Flaky::default(), None);
    stub.answer(200, tokens_expiring("ann", "r-1", 30));
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None)).unwrap();
    cognito.store().full.set(true);
    stub.answer(200, tokens_expiring("ann", "r-2", 3600));
    let session = block_on(cognito.get_session())
        .expect("no StorageError")
        .expect("session");
    assert_eq!(
        session
            .refresh_token
            .as_ref()
            .map(SecretString::expose_secret),
        Some("r-2")
    );
    assert_eq!(
        stub.operations(),
        ["InitiateAuth", "GetTokensFromRefreshToken"]
    );
    assert!(cognito.take_storage_warning().is_some());
    // The next read answers the same held session without another refresh.
    block_on(cognito.get_session()).unwrap().unwrap();
    assert_eq!(stub.operations().len(), 2);
}

#[test]
fn the_context_provider_is_asked_per_request_and_sent_outside_sign_in() {
    use cognito_wasm::context_data::UserContextData;
    let stub = Scripted::default();
    let asked = std::rc::Rc::new(RefCell::new(Vec::<String>::new()));
    let log = asked.clone();
    let cognito = client(&stub, MemoryStore::default(), None).with_context_data(Box::new(
        move |username: &str| {
            log.borrow_mut().push(username.to_owned());
            Some(UserContextData {
                ip_address: None,
                encoded_data: Some(format!("data-for-{username}")),
            })
        },
    ));
    stub.answer(200, json!({"UserConfirmed": false, "UserSub": "s-1"}))
        .answer(200, json!({}))
        .answer(200, json!({"CodeDeliveryDetails": {}}))
        .answer(200, json!({"CodeDeliveryDetails": {}}))
        .answer(200, json!({}));
    block_on(cognito.sign_up(&sign_up_input())).unwrap();
    block_on(cognito.confirm_sign_up("ann", &"123456".into(), None, None)).unwrap();
    block_on(cognito.resend_confirmation_code("ann", None)).unwrap();
    block_on(cognito.forgot_password("bob", None)).unwrap();
    block_on(cognito.confirm_forgot_password("bob", &"1".into(), &"Pw-1234!".into(), None))
        .unwrap();
    let sent: Vec<Value> = stub
        .sent()
        .iter()
        .map(|(_, body)| body["UserContextData"].clone())
        .collect();
    let for_user = |u: &str| json!({"EncodedData": format!("data-for-{u}")});
    assert_eq!(
        sent,
        [
            for_user("ann"),
            for_user("ann"),
            for_user("ann"),
            for_user("bob"),
            for_user("bob")
        ]
    );
    assert_eq!(asked.borrow().len(), 5, "once per request");
    assert_eq!(
        stub.operations(),
        [
            "SignUp",
            "ConfirmSignUp",
            "ResendConfirmationCode",
            "ForgotPassword",
            "ConfirmForgotPassword"
        ]
    );
}

#[test]
fn user_context_data_goes_on_initiate_auth_sign_ins_and_refreshes_not_on_get_tokens() {
    use cognito_wasm::context_data::UserContextData;
    let stub = Scripted::default();
    stub.answer(200, tokens("ann", Some("r-1")))
        .answer(200, tokens("ann", None))
        .answer(200, tokens("ann", None));
    let config =
        ClientConfig::new("us-east-1_Pool1", "client1", None, Some("http://stub/")).unwrap();
    let options = CallOptions {
        refresh_flow: RefreshFlow::RefreshTokenAuth,
        ..CallOptions::default()
    };
    let context = |username: &str| {
        Some(UserContextData {
            ip_address: None,
            encoded_data: Some(format!("enc-{username}")),
        })
    };
    let cognito = Cognito::new(config.clone(), &stub, MemoryStore::default(), options)
        .with_context_data(Box::new(context));
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None)).unwrap();
    let metadata = cognito_wasm::map::VecMap::from([("k".to_owned(), "v".to_owned())]);
    block_on(cognito.refresh_session_with(Some(&metadata))).expect("refreshed");
    let requests = stub.sent();
    for (_, body) in &requests {
        assert_eq!(body["UserContextData"], json!({"EncodedData": "enc-ann"}));
    }
    assert_eq!(requests[1].1["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(requests[1].1["ClientMetadata"], json!({"k": "v"}));

    // GetTokensFromRefreshToken has no UserContextData; ClientMetadata goes with it.
    let stub = Scripted::default();
    stub.answer(200, tokens("ann", Some("r-1")))
        .answer(200, tokens("ann", None));
    let cognito = Cognito::new(
        config,
        &stub,
        MemoryStore::default(),
        CallOptions::default(),
    )
    .with_context_data(Box::new(context));
    block_on(cognito.sign_in("ann", &"pw".into(), AuthFlow::UserPassword, None, None)).unwrap();
    block_on(cognito.refresh_session_with(Some(&metadata))).expect("refreshed");
    let (target, body) = stub.sent()[1].clone();
    assert!(target.ends_with("GetTokensFromRefreshToken"));
    assert!(body.get("UserContextData").is_none());
    assert_eq!(body["ClientMetadata"], json!({"k": "v"}));
}

/// A hosted UI's `/oauth2/token` over a queue of answers; JSON-1.1 calls fail.
#[derive(Default)]
struct TokenEndpoint {
    answers: RefCell<Vec<HttpResponse>>,
    forms: RefCell<Vec<(String, String)>>,
}

impl Platform for &TokenEndpoint {
    async fn send(&self, _: &HttpRequest) -> Result<HttpResponse, TransportError> {
        Err(TransportError::Network("no JSON-1.1 endpoint here".into()))
    }
    async fn send_form(
        &self,
        request: &cognito_wasm::transport::FormRequest,
    ) -> Result<HttpResponse, TransportError> {
        self.forms
            .borrow_mut()
            .push((request.url.clone(), request.body.expose_secret().to_owned()));
        let mut answers = self.answers.borrow_mut();
        match answers.is_empty() {
            true => Err(TransportError::Network("script exhausted".into())),
            false => Ok(answers.remove(0)),
        }
    }
    async fn sleep(&self, _: u32) {}
    fn now_ms(&self) -> u64 {
        Scripted::NOW_MS
    }
}

#[test]
fn a_hosted_ui_session_refreshes_at_the_token_endpoint_and_invalid_grant_signs_out() {
    use cognito_wasm::oauth::OAuthConfig;
    use cognito_wasm::session::Session;
    use cognito_wasm::storage::{save_session, StorageKeys};
    let endpoint = TokenEndpoint::default();
    let config = ClientConfig::new("us-east-1_Pool1", "client1", None, None).unwrap();
    let oauth = OAuthConfig::new("http://idp.test", "http://app.test/cb", None, vec![]).unwrap();
    let cognito = Cognito::new(
        config,
        &endpoint,
        MemoryStore::default(),
        CallOptions::default(),
    )
    .with_oauth(oauth);
    let old = jwt(&json!({"username": "ann", "iat": 1_000, "exp": 2_000}));
    let session = Session::restore(&old, &old, Some("r-1".into()), 0).unwrap();
    block_on(save_session(
        cognito.store(),
        &StorageKeys::new("client1"),
        &session,
    ))
    .unwrap();
    cognito
        .store()
        .set(&format!("{P}.ann.oauthSession"), "true");
    let answer = |status: u16, body: Value| HttpResponse {
        status,
        error_type: None,
        body: body.to_string(),
    };
    let fresh = jwt(&json!({"username": "ann", "iat": 1_000_000_000, "exp": 1_000_003_600}));
    endpoint.answers.borrow_mut().extend([
        answer(
            200,
            json!({"access_token": fresh, "id_token": fresh, "token_type": "Bearer", "expires_in": 3600}),
        ),
        answer(200, json!({"access_token": fresh, "token_type": "Bearer"})),
        answer(500, json!({})),
        answer(400, json!({"error": "invalid_grant"})),
    ]);

    let refreshed = block_on(cognito.refresh_session()).expect("refreshed");
    assert_eq!(refreshed.access_token.expose_secret(), fresh);
    assert_eq!(refresh_of(&refreshed), Some("r-1"), "kept");
    assert_eq!(
        cognito
            .store()
            .get(&format!("{P}.ann.refreshToken"))
            .as_deref(),
        Some("r-1")
    );
    assert_eq!(
        cognito.store().get(&format!("{P}.ann.accessToken")),
        Some(fresh.clone())
    );
    let (url, form) = endpoint.forms.borrow()[0].clone();
    assert_eq!(url, "http://idp.test/oauth2/token");
    assert_eq!(
        form,
        "grant_type=refresh_token&client_id=client1&refresh_token=r-1"
    );

    let e = block_on(cognito.refresh_session()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unexpected answer from Cognito: /oauth2/token answered without id_token"
    );
    let e = block_on(cognito.refresh_session()).unwrap_err();
    assert_eq!(e.code(), "server_error");
    assert!(
        cognito
            .store()
            .get(&format!("{P}.ann.refreshToken"))
            .is_some(),
        "kept after {e:?}"
    );

    let e = block_on(cognito.refresh_session()).unwrap_err();
    assert_eq!(e.code(), "invalid_grant");
    assert!(cognito.store().keys().is_empty(), "signed out");
    assert!(cognito.current_session().is_none());
    assert_eq!(endpoint.forms.borrow().len(), 4, "never retried");
}

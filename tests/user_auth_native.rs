//! Passwordless pieces of the core client over a scripted [`Platform`], natively: SignUp without a
//! password, ConfirmSignUp's Session and the `USER_AUTH` auto sign-in with it, GetUserAuthFactors.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::RefCell;
use std::collections::VecDeque;

use base64::Engine;
use cognito_wasm::challenge::SignInStep;
use cognito_wasm::client::{CallOptions, Cognito, SignUpInput};
use cognito_wasm::config::ClientConfig;
use cognito_wasm::session::Session;
use cognito_wasm::storage::{load_session, save_session, MemoryStore, StorageKeys};
use cognito_wasm::testing::block_on;
use cognito_wasm::transport::{HttpRequest, HttpResponse, Platform, TransportError};
use serde_json::{json, Value};

#[derive(Default)]
struct Scripted {
    answers: RefCell<VecDeque<Value>>,
    requests: RefCell<Vec<(String, Value)>>,
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

fn tokens(username: &str) -> Value {
    let claims = json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "username": username,
        "cognito:username": username});
    json!({"AuthenticationResult": {"AccessToken": jwt(&claims), "IdToken": jwt(&claims),
        "RefreshToken": "r", "ExpiresIn": 3600}, "ChallengeParameters": {}})
}

#[test]
fn passwordless_sign_up_then_auto_sign_in() {
    let platform = Scripted::default();
    platform.answers.borrow_mut().extend([
        json!({"UserConfirmed": false, "UserSub": "sub-1", "Session": "from-sign-up"}),
        json!({"Session": "from-confirm"}),
        tokens("ann"),
    ]);
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

    let sent = platform.requests.borrow().clone();
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
    assert!(platform.requests.borrow().is_empty());
}

#[test]
fn get_auth_factors_reads_the_answer() {
    let platform = Scripted::default();
    let c = client(&platform);
    let e = block_on(c.get_auth_factors()).unwrap_err();
    assert_eq!(e.code(), "InvalidParameterError", "signed out");

    let claims = json!({"exp": 2_000_000_000, "iat": 1_000_000_000, "username": "ann"});
    let access = jwt(&claims);
    let session = Session::restore(&jwt(&claims), &access, Some("r".into()), 0).unwrap();
    block_on(save_session(
        c.store(),
        &StorageKeys::new("client1"),
        &session,
    ))
    .unwrap();
    platform
        .answers
        .borrow_mut()
        .push_back(json!({"Username": "ann",
        "ConfiguredUserAuthFactors": ["PASSWORD", "EMAIL_OTP"], "UserMFASettingList": ["EMAIL_OTP"],
        "PreferredMfaSetting": "EMAIL_OTP"}));
    let factors = block_on(c.get_auth_factors()).unwrap();
    assert_eq!(factors.configured, ["PASSWORD", "EMAIL_OTP"]);
    assert_eq!(
        (
            factors.preferred_mfa.as_deref(),
            factors.mfa_settings.as_slice()
        ),
        (Some("EMAIL_OTP"), ["EMAIL_OTP".to_owned()].as_slice())
    );
    let sent = platform.requests.borrow().clone();
    assert_eq!(
        sent,
        [(
            "GetUserAuthFactors".to_owned(),
            json!({"AccessToken": access})
        )]
    );
}

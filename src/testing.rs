//! Test support: a minimal executor for futures that never wait on I/O, and a scripted
//! [`Platform`] (answers queued in advance, requests recorded) for the crate's tests and doc
//! examples. Not part of the API.

use crate::prelude::*;
use alloc::collections::VecDeque;
use core::cell::RefCell;
use core::fmt::Display;
use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use crate::transport::{HttpRequest, HttpResponse, Platform, TransportError};

/// Polls `future` to completion; it must make progress on every poll (no real I/O).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A [`Platform`] that answers each request with the next queued answer (a network error once
/// the queue is empty) and records what was sent. Sleeps return at once (and are recorded); the
/// clock stands at [`Scripted::NOW_MS`].
#[derive(Debug, Default)]
pub struct Scripted {
    answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<(String, String)>>,
    sleeps: RefCell<Vec<u32>>,
}

/// The operation of an `X-Amz-Target`: `AWSCognitoIdentityProviderService.SignUp` → `SignUp`; a
/// target without that prefix → `unprefixed:<target>`, so a name assertion checks the prefix too.
fn operation(target: &str) -> String {
    target
        .strip_prefix("AWSCognitoIdentityProviderService.")
        .map_or_else(|| format!("unprefixed:{target}"), str::to_owned)
}

impl Scripted {
    /// 2001-09-09T01:46:40Z.
    pub const NOW_MS: u64 = 1_000_000_000_000;

    /// Queues a `status` answer with a JSON `body` (a `&str` or a `serde_json::Value`).
    pub fn answer(&self, status: u16, body: impl Display) -> &Self {
        self.answers.borrow_mut().push_back(Ok(HttpResponse {
            status,
            error_type: None,
            body: body.to_string(),
        }));
        self
    }

    /// Queues a request that gets no answer.
    pub fn fail(&self, error: TransportError) -> &Self {
        self.answers.borrow_mut().push_back(Err(error));
        self
    }

    /// The operations sent so far (`SignUp`, `InitiateAuth`, …), in order.
    pub fn operations(&self) -> Vec<String> {
        self.sent
            .borrow()
            .iter()
            .map(|(t, _)| operation(t))
            .collect()
    }

    /// The JSON bodies sent so far, in order.
    pub fn bodies(&self) -> Vec<String> {
        self.sent.borrow().iter().map(|(_, b)| b.clone()).collect()
    }

    /// The requests sent so far, in order: (operation as in [`Scripted::operations`], body parsed;
    /// a body that is not JSON → that text as a JSON string).
    pub fn sent(&self) -> Vec<(String, serde_json::Value)> {
        self.sent
            .borrow()
            .iter()
            .map(|(target, body)| {
                let json = serde_json::from_str(body)
                    .unwrap_or_else(|_| serde_json::Value::String(body.clone()));
                (operation(target), json)
            })
            .collect()
    }

    /// Each sleep the client asked for (ms), in order.
    pub fn sleeps(&self) -> Vec<u32> {
        self.sleeps.borrow().clone()
    }
}

impl Platform for &Scripted {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push((
            request.target.clone(),
            request.body.expose_secret().to_owned(),
        ));
        self.answers
            .borrow_mut()
            .pop_front()
            .unwrap_or(Err(TransportError::Network("script exhausted".into())))
    }

    async fn sleep(&self, ms: u32) {
        self.sleeps.borrow_mut().push(ms);
    }

    fn now_ms(&self) -> u64 {
        Scripted::NOW_MS
    }
}

/// An unsigned JWT (`alg` RS256, signature `c2ln`) with the JSON object `claims` as payload: the
/// client reads claims without verifying.
pub fn unsigned_jwt(claims: &str) -> String {
    use crate::b64::encode_url;
    format!(
        "{}.{}.c2ln",
        encode_url(br#"{"alg":"RS256"}"#),
        encode_url(claims.as_bytes())
    )
}

/// InitiateAuth's answer with tokens for `username`, issued at [`Scripted::NOW_MS`] for an hour.
pub fn tokens_answer(username: &str) -> String {
    let iat = Scripted::NOW_MS / 1000;
    let claims = format!(
        r#"{{"username":"{username}","cognito:username":"{username}","iat":{iat},"exp":{}}}"#,
        iat + 3600
    );
    let jwt = unsigned_jwt(&claims);
    format!(
        r#"{{"AuthenticationResult":{{"AccessToken":"{jwt}","IdToken":"{jwt}","RefreshToken":"refresh-1","ExpiresIn":3600,"TokenType":"Bearer"}},"ChallengeParameters":{{}}}}"#
    )
}

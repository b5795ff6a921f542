//! The one I/O seam: a request goes out, a response (or a transport failure) comes back.
//!
//! The core builds requests and parses responses; a [`Platform`] moves bytes and keeps time.
//! The wasm build implements it over `fetch`; tests implement it with a scripted server.

use crate::prelude::*;
use core::future::Future;

use crate::secret::SecretString;

/// One JSON-1.1 call: `POST <url>` with `X-Amz-Target: <target>`.
#[derive(Debug)]
pub struct HttpRequest {
    pub url: String,
    /// `AWSCognitoIdentityProviderService.<Operation>`.
    pub target: String,
    /// The JSON body; secret because it may carry a password, a code or a token.
    pub body: SecretString,
    /// Abort after this long.
    pub timeout_ms: u32,
}

/// One `application/x-www-form-urlencoded` POST to any URL (the hosted UI's `/oauth2/token`).
#[derive(Debug)]
pub struct FormRequest {
    pub url: String,
    /// The form body; secret because it carries a code, a verifier or a refresh token.
    pub body: SecretString,
    /// The `Authorization` header (HTTP Basic with the client secret), if any.
    pub authorization: Option<SecretString>,
    /// Abort after this long.
    pub timeout_ms: u32,
}

/// What came back, whatever the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    /// The `x-amzn-errortype` header, if any.
    pub error_type: Option<String>,
    pub body: String,
}

/// A request that got no HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportError {
    /// Refused, reset, DNS, CORS, or the runtime's `fetch` threw.
    Network(String),
    /// Aborted after `HttpRequest::timeout_ms`.
    Timeout,
    /// The answer could not be read (body not text, too large).
    Unreadable(String),
}

/// What the core needs from its host: sending, waiting and the time.
pub trait Platform {
    /// Sends one request.
    fn send(
        &self,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
    /// Sends one form POST (no `X-Amz-Target`; redirects are not followed). Platforms that never
    /// talk to a hosted UI may keep this default, which fails with a network error.
    fn send_form(
        &self,
        request: &FormRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let _ = request;
        async {
            Err(TransportError::Network(
                "this platform cannot send form requests".into(),
            ))
        }
    }
    /// Sends `request` after `wait_ms` (a retry's backoff), at once when `None`: one future for
    /// the wait and the request. Platforms that can wait and send in one step override it.
    fn send_after(
        &self,
        wait_ms: Option<u32>,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        async move {
            if let Some(ms) = wait_ms {
                self.sleep(ms).await;
            }
            self.send(request).await
        }
    }
    /// Resolves after `ms` milliseconds.
    fn sleep(&self, ms: u32) -> impl Future<Output = ()>;
    /// A uniform random `u32` for the backoff's jitter (not for secrets): the system's CSPRNG
    /// unless the platform has a cheaper source.
    fn random_u32(&self) -> u32 {
        getrandom::u32().unwrap_or(u32::MAX / 2)
    }
    /// Milliseconds since the Unix epoch, by this machine's clock.
    fn now_ms(&self) -> u64;
}

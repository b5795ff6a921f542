//! # cognito-wasm
//!
//! An Amazon Cognito User Pools client: SRP sign-in with every challenge, sign-up, forgotten
//! passwords, the session (refresh, sign-out) and the signed-in user's account, over Cognito's
//! JSON-1.1 API. For JavaScript it ships as an npm package (browsers, Node, Cloudflare
//! Workers); for Rust apps compiled to `wasm32-unknown-unknown` it is this crate's
//! [`web::Client`].
//!
//! # Contents
//! - [Getting started](#getting-started): the calls of a sign-up and a sign-in.
//! - [In a wasm32 app](#in-a-wasm32-app): [`web::Client`], where the tokens go.
//! - [Challenges](#challenges): what [`SignInStep::Challenge`] asks and how each is answered.
//! - [Errors](#errors): [`Error`].
//! - [Other hosts](#other-hosts): [`Cognito`] over the app's own [`Platform`].
//!
//! # Getting started
//!
//! Every operation is an `async` method of [`Cognito`] named as in the JavaScript API, in
//! snake case (`signUp` → [`Cognito::sign_up`]). This example runs (natively, in this crate's
//! doctests) against a scripted Cognito; in an app the client is a [`web::Client`].
//!
//! ```
//! use cognito_wasm::{
//!     AuthFlow, CallOptions, ChallengeAnswer, ClientConfig, Cognito, MemoryStore,
//!     PendingChallenge, SignInStep, SignUpInput,
//! };
//! # use cognito_wasm::testing::{block_on, tokens_answer, Scripted};
//! # let platform = Scripted::default();
//! # platform
//! #     .answer(200, r#"{"UserConfirmed":false,"UserSub":"5e1c","CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#)
//! #     .answer(200, "{}")
//! #     .answer(200, r#"{"ChallengeName":"PASSWORD_VERIFIER","Session":"s0","ChallengeParameters":{"SALT":"00ab","SRP_B":"1234567890abcdef","SECRET_BLOCK":"c2VjcmV0","USER_ID_FOR_SRP":"ann","USERNAME":"ann"}}"#)
//! #     .answer(200, r#"{"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s1","ChallengeParameters":{}}"#)
//! #     .answer(200, &tokens_answer("ann"))
//! #     .answer(200, "{}");
//!
//! /// The user's answer to a challenge (in an app: a form).
//! fn ask_user(pending: &PendingChallenge) -> ChallengeAnswer {
//!     match pending.name.as_str() {
//!         "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" => ChallengeAnswer {
//!             code: Some("123456".into()),
//!             ..Default::default()
//!         },
//!         "NEW_PASSWORD_REQUIRED" => ChallengeAnswer {
//!             new_password: Some("An0ther-Passw0rd!".into()),
//!             ..Default::default()
//!         },
//!         _ => ChallengeAnswer::default(),
//!     }
//! }
//!
//! # block_on(async {
//! let config = ClientConfig::new("us-east-1_AbC123", "client1", None, None)?;
//! // In a wasm32 app: `web::Client::new(config, FetchPlatform::default(), store, options)`.
//! let client = Cognito::new(config, &platform, MemoryStore::default(), CallOptions::default());
//!
//! let sign_up = SignUpInput {
//!     username: "ann".into(),
//!     password: "Corr3ct-Horse!".into(),
//!     attributes: [("email".into(), "ann@example.com".into())].into(),
//!     ..Default::default()
//! };
//! let signed_up = client.sign_up(&sign_up).await?;
//! assert!(!signed_up.user_confirmed);
//! client.confirm_sign_up("ann", &"123456".into(), None, None).await?;
//!
//! let password = "Corr3ct-Horse!".into();
//! // SRP: the password never leaves the page; PASSWORD_VERIFIER is answered inside.
//! let mut step = client.sign_in("ann", &password, AuthFlow::UserSrp, None, None).await;
//! while let Ok(SignInStep::Challenge(pending)) = &step {
//!     step = client.respond_to_challenge(pending, &ask_user(pending), None).await;
//! }
//! let SignInStep::SignedIn(session) = step? else { unreachable!() };
//! assert_eq!(session.username, "ann");
//!
//! // The held (and stored) session; refreshed first when it is about to expire.
//! let held = client.get_session().await?;
//! assert_eq!(held.map(|s| s.username).as_deref(), Some("ann"));
//!
//! client.sign_out(false).await?; // RevokeToken
//! assert!(client.get_session().await?.is_none());
//! # assert_eq!(
//! #     platform.operations(),
//! #     ["SignUp", "ConfirmSignUp", "InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge", "RevokeToken"]
//! # );
//! # Ok::<(), cognito_wasm::Error>(())
//! # })?;
//! # Ok::<(), cognito_wasm::Error>(())
//! ```
//!
//! # In a wasm32 app
//!
//! [`web::Client`] is [`Cognito`] over the runtime's `fetch` ([`web::FetchPlatform`]) with a
//! store of the app's choice: [`web::WebStorageStore`] (`localStorage`, `sessionStorage`),
//! [`MemoryStore`], or any [`TokenStore`]. See [`web`].
//!
//! # Challenges
//!
//! [`Cognito::sign_in`] ends signed in or at a [`PendingChallenge`]; answer it with
//! [`Cognito::respond_to_challenge`] and a [`ChallengeAnswer`] until [`SignInStep::SignedIn`]:
//! - `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_OTP`: [`ChallengeAnswer::code`].
//! - `SELECT_MFA_TYPE`: [`ChallengeAnswer::mfa_type`], then the code of the chosen factor.
//! - `NEW_PASSWORD_REQUIRED`: [`ChallengeAnswer::new_password`] (and
//!   [`ChallengeAnswer::attributes`] for the pool's required attributes).
//! - `CUSTOM_CHALLENGE`: [`ChallengeAnswer::answer`].
//! - `MFA_SETUP`: [`Cognito::associate_software_token`] with the challenge (show its secret,
//!   e.g. as [`otpauth_uri`]), then [`Cognito::complete_mfa_setup`] with the app's code.
//! - `DEVICE_SRP_AUTH` and `PASSWORD_VERIFIER` are answered by the client itself (remembered
//!   devices: [`DeviceOptions`], [`Cognito::with_devices`]).
//!
//! # Errors
//!
//! Every call fails with one [`Error`]: [`Error::Service`] carries Cognito's exception name
//! ([`Error::code`], e.g. `NotAuthorizedException`, `UsernameExistsException`,
//! `CodeMismatchException`); the others are local ([`Error::Network`], [`Error::Timeout`],
//! [`Error::InvalidParameter`] before any request, [`Error::Storage`], …).
//! [`Error::retryable`] says whether trying again may help; throttled and transient failures
//! of idempotent calls are already retried ([`RetryPolicy`]).
//!
//! # Other hosts
//!
//! [`Cognito`] is generic over its I/O ([`Platform`]: send a request, sleep, the clock) and
//! its storage ([`TokenStore`]), and builds natively: a server or a test gives its own.
//!
//! Everything else public in this crate (the protocol core's modules, the JavaScript API's
//! bindings, test support) is hidden from these docs and may change without notice.
#![cfg_attr(
    not(target_arch = "wasm32"),
    doc = "\n\n[`web`]: https://docs.rs/cognito-wasm/latest/wasm32-unknown-unknown/cognito_wasm/web/index.html\n[`web::Client`]: https://docs.rs/cognito-wasm/latest/wasm32-unknown-unknown/cognito_wasm/web/type.Client.html\n[`web::FetchPlatform`]: https://docs.rs/cognito-wasm/latest/wasm32-unknown-unknown/cognito_wasm/web/struct.FetchPlatform.html\n[`web::WebStorageStore`]: https://docs.rs/cognito-wasm/latest/wasm32-unknown-unknown/cognito_wasm/web/struct.WebStorageStore.html"
)]
// Nothing on a path that handles outside data may panic: these lints make `unwrap`, `expect`,
// `panic!` and unchecked indexing errors outside tests.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// The browser modules without the `std` feature (restore, signin_plain: `small-heap`, the
// package's own globals) link only `core` and `alloc`, with the crate's own panic handler
// (src/js/panic.rs). Native builds, and an app's wasm32 build (no `small-heap`), link std.
#![cfg_attr(
    all(target_arch = "wasm32", not(feature = "std"), feature = "small-heap"),
    no_std
)]
// What core or alloc has is named from there, so the no_std builds compile the same paths.
#![warn(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

extern crate alloc;

/// The browser modules' allocator (`small-heap`).
#[cfg(all(target_arch = "wasm32", feature = "small-heap"))]
#[global_allocator]
static HEAP: heap::WasmHeap = heap::WasmHeap::new();

// A signed-in user's own account: attributes, password, deletion, TOTP MFA.
#[doc(hidden)]
pub mod account;
// Base64 (RFC 4648) in a few lines, for every base64 the crate reads or writes.
#[doc(hidden)]
pub mod b64;
// GetUserAuthFactors: the signed-in user's sign-in factors and MFA settings.
#[doc(hidden)]
pub mod auth_factors;
// Challenges after the password and how each is answered.
#[doc(hidden)]
pub mod challenge;
// The client: operations, retries, the held session.
#[doc(hidden)]
pub mod client;
// User pool id, app client, endpoint.
#[doc(hidden)]
pub mod config;
// Threat-protection context (`UserContextData`) per request.
#[doc(hidden)]
pub mod context_data;
// Cookie headers: parse, format `Set-Cookie`, percent-encode, split long values into chunks.
#[doc(hidden)]
pub mod cookie;
// A request's cookies and the changes made since, as `Set-Cookie` lines.
#[doc(hidden)]
pub mod cookie_jar;
// SHA-256 and HMAC-SHA-256 over byte strings given in parts.
#[doc(hidden)]
pub mod crypto;
// The signed-in user's remembered devices: ListDevices, ForgetDevice, UpdateDeviceStatus.
#[doc(hidden)]
pub mod device;
// The edge challenge route: the challenge cookie, the answer's fields, the status of each outcome.
#[doc(hidden)]
pub mod edge_challenge;
// Which browser requests may run the edge routes: the origin policy, the JSON media type.
#[doc(hidden)]
pub mod edge_guard;
// Every way a call fails.
#[doc(hidden)]
pub mod error;
// Session events (`signedIn`, `tokenRefresh`, …) from a change of the held session.
#[doc(hidden)]
pub mod events;
// The session held in memory against the store's: the rules of a failed write.
#[doc(hidden)]
pub mod held;
// A small JSON reader and writer: the wire bodies, token claims and stored values.
#[doc(hidden)]
pub mod json;
// A `static` of the wasm32 builds' one thread (in place of `thread_local!`).
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod local;
// JWT claims, read without verification.
// The browser modules' allocator: power-of-two blocks with one free list per size.
#[doc(hidden)]
pub mod heap;

#[doc(hidden)]
pub mod jwt;
// The crate's one map type: a sorted `Vec` of pairs.
#[doc(hidden)]
pub mod map;
// The hosted UI (OAuth code grant with PKCE), pure: URLs, PKCE, state, token forms and answers.
#[doc(hidden)]
pub mod oauth;
// The hosted-UI flows of the client: redirect sign-in, code exchange, refresh via `/oauth2/token`.
#[doc(hidden)]
pub mod oauth_client;
// The signed-in user's passkeys: registration, list, delete.
#[doc(hidden)]
pub mod passkeys;
// std's prelude names from `alloc`, for the no_std builds.
#[doc(hidden)]
pub mod prelude;
// Refreshing the session: GetTokensFromRefreshToken (rotation) or REFRESH_TOKEN_AUTH.
#[doc(hidden)]
pub mod refresh;
// Secret newtypes: zeroized on drop, `[redacted]` in `Debug`.
#[doc(hidden)]
pub mod secret;
// `SECRET_HASH` for app clients with a secret.
#[doc(hidden)]
pub mod secret_hash;
// A signed-in user's tokens and their expiry.
#[doc(hidden)]
pub mod session;
// The sign-in as one state machine (InitiateAuth → … → ConfirmDevice) and its driver.
#[doc(hidden)]
pub mod sign_in;
// Cognito's SRP-6a variant, one pure function per step.
#[doc(hidden)]
pub mod srp;
// The session in a key-value store, in amazon-cognito-identity-js's layout.
#[doc(hidden)]
pub mod storage;
// Text search by bytes (no substring searcher in the browser modules).
#[doc(hidden)]
pub mod text;
// Test support (an executor, a scripted platform), for this crate's tests and doc examples.
#[doc(hidden)]
pub mod testing;
// The I/O seam: request in, response out.
#[doc(hidden)]
pub mod transport;
// Choice-based sign-in (`USER_AUTH`): first factors and the SELECT_CHALLENGE answer.
#[doc(hidden)]
pub mod user_auth;
// JWT verification against a pool's JWKS: each check, the key cache (pure, time passed in).
#[doc(hidden)]
pub mod verify;
// Passkeys (WebAuthn) as JSON: required members, base64url, the browser's errors.
#[doc(hidden)]
pub mod webauthn;
// Cognito's JSON-1.1 bodies and error shapes.
#[doc(hidden)]
pub mod wire;

// The JavaScript API (wasm32 only).
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
pub mod js;

// The client for Rust apps on wasm32 (wasm32 only): `web::Client`, its stores.
#[cfg(target_arch = "wasm32")]
pub mod web;

#[doc(inline)]
pub use account::{
    otpauth_uri, AttributeUpdate, MfaOption, MfaPreference, MfaSetting, SoftwareTokenAssociation,
    UserInfo, VerifySoftwareTokenResponse,
};
#[doc(inline)]
pub use challenge::{ChallengeAnswer, PendingChallenge, SignInStep};
#[doc(inline)]
pub use client::{
    AuthFlow, CallOptions, Cognito, DeviceOptions, RefreshFlow, RetryPolicy, SignUpInput,
};
#[doc(inline)]
pub use config::{ClientConfig, UserPoolId};
#[doc(inline)]
pub use context_data::{ContextProvider, UserContextData};
#[doc(inline)]
pub use error::{Error, ServiceError};
#[doc(inline)]
pub use map::VecMap;
#[doc(inline)]
pub use oauth::OAuthConfig;
#[doc(inline)]
pub use oauth_client::RedirectSignIn;
#[doc(inline)]
pub use secret::SecretString;
#[doc(inline)]
pub use session::Session;
#[doc(inline)]
pub use srp::{ClientEphemeral, SrpError};
#[doc(inline)]
pub use storage::{MemoryStore, TokenStore};
#[doc(inline)]
pub use transport::{FormRequest, HttpRequest, HttpResponse, Platform, TransportError};
#[doc(inline)]
pub use wire::{CodeDeliveryDetails, DeviceType, ListDevicesResponse, SignUpResponse};

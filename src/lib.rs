//! # cognito-wasm
//!
//! An Amazon Cognito User Pools client for browsers, Node and Cloudflare Workers, compiled to
//! WebAssembly. The crate has two layers:
//!
//! - the **protocol core** (everything outside [`js`]): Cognito's SRP variant, the JSON-1.1 wire
//!   format, the flows over one I/O seam ([`transport::Platform`]), token decoding and the
//!   session. It never touches `JsValue`, `web_sys` or `js_sys` and builds and tests natively.
//! - the **binding layer** ([`js`], wasm32 only): the JavaScript API over `fetch`.
//!
//! Nothing on a path that handles outside data may panic: the lints below make `unwrap`, `expect`,
//! `panic!` and unchecked indexing errors outside tests.

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

/// A signed-in user's own account: attributes, password, deletion, TOTP MFA.
pub mod account;
/// GetUserAuthFactors: the signed-in user's sign-in factors and MFA settings.
pub mod auth_factors;
/// Challenges after the password and how each is answered.
pub mod challenge;
/// The client: operations, retries, the held session.
pub mod client;
/// User pool id, app client, endpoint.
pub mod config;
/// Threat-protection context (`UserContextData`) per request.
pub mod context_data;
/// Cookie headers: parse, format `Set-Cookie`, percent-encode, split long values into chunks.
pub mod cookie;
/// A request's cookies and the changes made since, as `Set-Cookie` lines.
pub mod cookie_jar;
/// SHA-256 and HMAC-SHA-256 over byte strings given in parts.
pub mod crypto;
/// The signed-in user's remembered devices: ListDevices, ForgetDevice, UpdateDeviceStatus.
pub mod device;
/// Which browser requests may run the edge routes: the origin policy, the JSON media type.
pub mod edge_challenge;
pub mod edge_guard;
/// Every way a call fails.
pub mod error;
/// Session events (`signedIn`, `tokenRefresh`, …) from a change of the held session.
pub mod events;
/// A small JSON reader and writer: the wire bodies, token claims and stored values.
pub mod json;
/// JWT claims, read without verification.
pub mod jwt;
/// The hosted UI (OAuth code grant with PKCE), pure: URLs, PKCE, state, token forms and answers.
pub mod oauth;
/// The hosted-UI flows of the client: redirect sign-in, code exchange, refresh via `/oauth2/token`.
pub mod oauth_client;
/// The signed-in user's passkeys: registration, list, delete.
pub mod passkeys;
/// Refreshing the session: GetTokensFromRefreshToken (rotation) or REFRESH_TOKEN_AUTH.
pub mod refresh;
/// Secret newtypes: zeroized on drop, `[redacted]` in `Debug`.
pub mod secret;
/// `SECRET_HASH` for app clients with a secret.
pub mod secret_hash;
/// A signed-in user's tokens and their expiry.
pub mod session;
/// The sign-in as one state machine (InitiateAuth → … → ConfirmDevice) and its driver.
pub mod sign_in;
/// Cognito's SRP-6a variant, one pure function per step.
pub mod srp;
/// The session in a key-value store, in amazon-cognito-identity-js's layout.
pub mod storage;
/// Test support (a minimal executor), for this crate's tests.
#[doc(hidden)]
pub mod testing;
/// The I/O seam: request in, response out.
pub mod transport;
/// Choice-based sign-in (`USER_AUTH`): first factors and the SELECT_CHALLENGE answer.
pub mod user_auth;
/// JWT verification against a pool's JWKS: each check, the key cache (pure, time passed in).
pub mod verify;
/// Passkeys (WebAuthn) as JSON: required members, base64url, the browser's errors.
pub mod webauthn;
/// Cognito's JSON-1.1 bodies and error shapes.
pub mod wire;

/// The JavaScript API (wasm32 only).
#[cfg(target_arch = "wasm32")]
pub mod js;

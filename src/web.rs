//! The client for Rust apps compiled to `wasm32-unknown-unknown` (plain wasm-bindgen, Leptos,
//! Dioxus, Yew, …), in browsers, Node and Workers: the core [`Cognito`] over `fetch`.
//!
//! ```ignore
//! use cognito_wasm::web::{Client, FetchPlatform, WebStorageStore};
//! use cognito_wasm::{AuthFlow, CallOptions, ClientConfig, SignInStep};
//!
//! let config = ClientConfig::new("us-east-1_AbC123", "4l6bb3eqbs1iqv3shv7e5bmrsd", None, None)?;
//! let client = Client::new(config, FetchPlatform::default(), WebStorageStore::local()?, CallOptions::default());
//! let step = client.sign_in("ann", &password.into(), AuthFlow::UserSrp, None, None).await?;
//! ```
//!
//! (`examples/rust-app/` in the repository is this client in a page, built and driven in
//! Chromium by the repository's tests; the crate root's example runs natively.)
//!
//! Where the tokens go, the type parameter of [`Client`]:
//! - [`WebStorageStore`]: `localStorage` ([`WebStorageStore::local`], the default type) or
//!   `sessionStorage`; the session survives reloads and is shared with other tabs and with
//!   amazon-cognito-identity-js (same keys). Fails where the runtime has none (Node, Workers).
//! - [`MemoryStore`]: gone with the page; `Client<MemoryStore>`.
//! - the app's own: any type implementing [`TokenStore`] (IndexedDB, a cookie, a server).
//!
//! A failing store never loses the signed-in session: the client keeps it in memory, reports
//! the failed write once ([`Cognito::take_storage_warning`]) and writes again on the next read.

pub use crate::js::{FetchPlatform, WebStorageStore};
pub use crate::storage::{MemoryStore, TokenStore};

use crate::client::Cognito;

/// The Cognito client over the runtime's `fetch`, keeping its session in `S`
/// (`localStorage` by default). Built with [`Cognito::new`]; every method is [`Cognito`]'s.
pub type Client<S = WebStorageStore> = Cognito<FetchPlatform, S>;

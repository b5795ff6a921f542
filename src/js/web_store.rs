//! [`TokenStore`] over a Web Storage object (`localStorage`, `sessionStorage`), for Rust apps:
//! the Rust side's counterpart of the JS `WebStorage` class, without its fallback to memory (the
//! client keeps its session in memory when a write fails; the app chooses
//! [`crate::storage::MemoryStore`] when [`WebStorageStore::local`] fails).

use super::storage::storage_error;
use crate::error::Error;
use crate::prelude::*;
use crate::storage::TokenStore;

/// The tokens in a [`web_sys::Storage`], in amazon-cognito-identity-js's key layout: a page using
/// that library (or this crate's JS API) with the same app client shares the session.
#[derive(Debug, Clone)]
pub struct WebStorageStore {
    storage: web_sys::Storage,
}

impl WebStorageStore {
    /// Over `storage` (any `Storage` object the app holds).
    pub fn new(storage: web_sys::Storage) -> Self {
        WebStorageStore { storage }
    }

    /// `globalThis.localStorage`; [`Error::Storage`] where the runtime has none or refuses it
    /// (Node, Workers, storage disabled).
    pub fn local() -> Result<Self, Error> {
        Self::global("localStorage")
    }

    /// `globalThis.sessionStorage`, as [`WebStorageStore::local`].
    pub fn session() -> Result<Self, Error> {
        Self::global("sessionStorage")
    }

    fn global(kind: &str) -> Result<Self, Error> {
        super::storage::web_storage(kind)
            .map(Self::new)
            .map_err(|message| Error::Storage { message })
    }

    /// The `Storage` object written to.
    pub fn storage(&self) -> &web_sys::Storage {
        &self.storage
    }
}

impl TokenStore for WebStorageStore {
    async fn get_item(&self, key: &str) -> Result<Option<String>, Error> {
        self.storage
            .get_item(key)
            .map_err(|e| storage_error("getItem", key, &e))
    }

    async fn set_item(&self, key: &str, value: &str) -> Result<(), Error> {
        self.storage
            .set_item(key, value)
            .map_err(|e| storage_error("setItem", key, &e))
    }

    async fn remove_item(&self, key: &str) -> Result<(), Error> {
        self.storage
            .remove_item(key)
            .map_err(|e| storage_error("removeItem", key, &e))
    }
}

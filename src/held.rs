//! The session a client holds in memory against what its store holds: one set of rules for the
//! generic client (`src/client.rs`) and the browser's restore module (`src/js/restore/`).
//!
//! The rules: a write that fails keeps the session held (the store is not trusted over memory
//! until a write succeeds); the next read writes the held session again first, and while that
//! fails memory is the answer; the first failure of such a re-write is kept once per client for
//! the binding's one warning.

use core::cell::Cell;
use core::future::Future;

use crate::error::Error;
use crate::session::Session;
use crate::storage::{load_session, write_session, StorageKeys, TokenStore};

/// The held session and whether the store holds it too. Its cells are moved in and out, never
/// borrowed: no borrow flag, no panic path.
pub struct Held {
    session: Cell<Option<Session>>,
    /// Whether the store holds what memory holds (false after a failed write).
    persisted: Cell<bool>,
    /// A failed re-write of the held session not yet reported, and whether one ever was.
    warning: Cell<Option<Error>>,
    warned: Cell<bool>,
}

impl Default for Held {
    fn default() -> Self {
        Held {
            session: Cell::new(None),
            persisted: Cell::new(true),
            warning: Cell::new(None),
            warned: Cell::new(false),
        }
    }
}

impl core::fmt::Debug for Held {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Held")
            .field("persisted", &self.persisted.get())
            .finish_non_exhaustive()
    }
}

impl Held {
    /// `f` over the held session in place (taken out for the call, then put back: `f` must not
    /// reach this `Held`, which holds none meanwhile).
    fn with_session<R>(&self, f: impl FnOnce(&Option<Session>) -> R) -> R {
        let session = self.session.take();
        let out = f(&session);
        self.session.set(session);
        out
    }

    /// The session held in memory, valid or not.
    pub fn current(&self) -> Option<Session> {
        self.with_session(Option::clone)
    }

    /// Whether memory holds `session` (compared in place, not cloned).
    pub fn holds(&self, session: &Session) -> bool {
        self.with_session(|held| held.as_ref() == Some(session))
    }

    /// Whether the store holds what memory holds.
    pub fn persisted(&self) -> bool {
        self.persisted.get()
    }

    /// The held session when the store does not hold it (its last write failed).
    pub fn unpersisted(&self) -> Option<Session> {
        match self.persisted.get() {
            true => None,
            false => self.current(),
        }
    }

    /// Holds `session` as one the store does not hold: the next [`load_held`] writes it first.
    pub fn hold_unpersisted(&self, session: Session) {
        self.session.replace(Some(session));
        self.persisted.set(false);
    }

    /// Keeps `error` for [`Held::take_warning`] unless one was ever kept.
    pub fn note_storage_failure(&self, error: Error) {
        if !self.warned.replace(true) {
            self.warning.replace(Some(error));
        }
    }

    /// The first failed re-write of the held session, once per client.
    pub fn take_warning(&self) -> Option<Error> {
        self.warning.take()
    }

    /// What a read of the store means: a stored session is held (and persisted); none clears
    /// memory only when memory was persisted; a failing store answers with memory, else fails.
    pub fn after_read(
        &self,
        stored: Result<Option<Session>, Error>,
    ) -> Result<Option<Session>, Error> {
        match stored {
            Ok(stored) => {
                if stored.is_some() || self.persisted.get() {
                    self.session.replace(stored);
                    self.persisted.set(true);
                }
                Ok(self.current())
            }
            Err(e) => self.current().map(Some).ok_or(e),
        }
    }

    /// The answer to a refresh that ended with `result`: `Ok(None)` when the held session is the
    /// answer. One that got tokens but could not store them (a [`Error::Storage`]) answers,
    /// without `force`, with the refreshed session held in memory when it is unpersisted and
    /// valid for `margin_ms` at `now_ms` (the failure kept for the warning); anything else is
    /// `result`.
    #[inline]
    pub fn after_refresh<T>(
        &self,
        result: Result<T, Error>,
        force: bool,
        now_ms: u64,
        margin_ms: u64,
    ) -> Result<Option<T>, Error> {
        let error = match result {
            Err(e @ Error::Storage { .. }) if !force => e,
            other => return other.map(Some),
        };
        let usable = self.with_session(|held| match held {
            Some(held) => !self.persisted.get() && held.is_valid_at(now_ms, margin_ms),
            None => false,
        });
        if !usable {
            return Err(error);
        }
        self.note_storage_failure(error);
        Ok(None)
    }
}

/// Holds `session` and writes it to `store`; a failed write is reported, the session stays held.
pub fn adopt_held<'a, S: TokenStore>(
    held: &'a Held,
    store: &'a S,
    keys: &'a StorageKeys,
    session: &'a Session,
) -> impl Future<Output = Result<(), Error>> + 'a {
    set_held(held, store, keys, &session.username, Some(session))
}

/// Forgets the held session and removes `username`'s session from `store`.
pub fn forget_held<'a, S: TokenStore>(
    held: &'a Held,
    store: &'a S,
    keys: &'a StorageKeys,
    username: &'a str,
) -> impl Future<Output = Result<(), Error>> + 'a {
    set_held(held, store, keys, username, None)
}

/// Holds `session` (none: forgets the held one) and writes it for `username` to `store`
/// ([`write_session`]); whether the store then holds what memory holds is whether the write
/// succeeded. One future for [`adopt_held`] and [`forget_held`].
async fn set_held<S: TokenStore>(
    held: &Held,
    store: &S,
    keys: &StorageKeys,
    username: &str,
    session: Option<&Session>,
) -> Result<(), Error> {
    held.session.replace(session.cloned());
    let written = write_session(store, keys, username, session).await;
    held.persisted.set(written.is_ok());
    written
}

/// The session as `store` has it now, valid or not, without any request, by the rules above
/// ([`Held::after_read`]): after a failed write the held session is written again first, and
/// until that succeeds it is the answer.
pub async fn load_held<S: TokenStore>(
    held: &Held,
    store: &S,
    keys: &StorageKeys,
) -> Result<Option<Session>, Error> {
    if let Some(unstored) = held.unpersisted() {
        if let Err(e) = adopt_held(held, store, keys, &unstored).await {
            held.note_storage_failure(e);
            return Ok(Some(unstored));
        }
    }
    held.after_read(load_session(store, keys).await)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::fake_jwt;
    use crate::storage::MemoryStore;
    use crate::testing::block_on;
    use serde_json::json;

    fn session(user: &str, exp: u64) -> Session {
        let t = fake_jwt(&json!({"exp": exp, "iat": 1, "username": user}));
        Session::restore(&t, &t, Some("r".into()), 0).unwrap()
    }

    /// A store whose writes fail while `failing`.
    #[derive(Default)]
    struct Flaky {
        inner: MemoryStore,
        failing: Cell<bool>,
    }

    impl TokenStore for Flaky {
        async fn get_item(&self, key: &str) -> Result<Option<String>, Error> {
            self.inner.get_item(key).await
        }
        async fn set_item(&self, key: &str, value: &str) -> Result<(), Error> {
            if self.failing.get() {
                return Err(Error::Storage {
                    message: "full".into(),
                });
            }
            self.inner.set_item(key, value).await
        }
        async fn remove_item(&self, key: &str) -> Result<(), Error> {
            self.inner.remove_item(key).await
        }
    }

    #[test]
    fn a_failed_write_keeps_memory_until_a_rewrite_succeeds() {
        let (held, store, keys) = (Held::default(), Flaky::default(), StorageKeys::new("c"));
        let ann = session("ann", 5_000);
        store.failing.set(true);
        assert!(block_on(adopt_held(&held, &store, &keys, &ann)).is_err());
        assert_eq!(held.unpersisted(), Some(ann.clone()));
        // The re-write fails: memory answers, the failure is kept once.
        assert_eq!(
            block_on(load_held(&held, &store, &keys)).unwrap(),
            Some(ann.clone())
        );
        assert_eq!(held.take_warning().unwrap().code(), "StorageError");
        block_on(load_held(&held, &store, &keys)).unwrap();
        assert!(held.take_warning().is_none(), "one warning per client");
        // The store works again: the re-write lands and the store is read.
        store.failing.set(false);
        assert_eq!(
            block_on(load_held(&held, &store, &keys)).unwrap(),
            Some(ann.clone())
        );
        assert!(held.persisted() && held.unpersisted().is_none());
        assert!(block_on(load_session(&store, &keys)).unwrap().is_some());
        block_on(forget_held(&held, &store, &keys, "ann")).unwrap();
        assert_eq!(block_on(load_held(&held, &store, &keys)).unwrap(), None);
    }

    #[test]
    fn reads_of_the_store() {
        let held = Held::default();
        let (ann, bob) = (session("ann", 5_000), session("bob", 5_000));
        assert_eq!(held.after_read(Ok(Some(ann.clone()))).unwrap(), Some(ann));
        assert_eq!(
            held.after_read(Ok(None)).unwrap(),
            None,
            "signed out elsewhere"
        );
        let failing = || {
            Err(Error::Storage {
                message: "x".into(),
            })
        };
        assert!(
            held.after_read(failing()).is_err(),
            "nothing to fall back on"
        );
        held.hold_unpersisted(bob.clone());
        assert_eq!(
            held.after_read(Ok(None)).unwrap(),
            Some(bob.clone()),
            "an unstored session is not cleared by an empty store"
        );
        assert_eq!(held.after_read(failing()).unwrap(), Some(bob.clone()));
        assert!(held.holds(&bob) && !held.holds(&session("ann", 5_000)));
    }

    #[test]
    fn an_unstored_refresh_answers_with_memory_only_when_usable() {
        let held = Held::default();
        let e = || -> Result<Session, Error> {
            Err(Error::Storage {
                message: "x".into(),
            })
        };
        held.hold_unpersisted(session("ann", 100));
        assert_eq!(
            held.after_refresh(e(), false, 10_000, 60_000).ok(),
            Some(None)
        );
        assert!(held.take_warning().is_some());
        assert!(held.after_refresh(e(), true, 10_000, 60_000).is_err());
        assert!(
            held.after_refresh(e(), false, 50_000, 60_000).is_err(),
            "expires within the margin"
        );
        let other: Result<Session, Error> = Err(Error::Network {
            message: "x".into(),
        });
        assert!(held.after_refresh(other, false, 0, 0).is_err());
        let bob = session("bob", 100);
        assert_eq!(
            held.after_refresh(Ok(bob.clone()), false, 0, 0).ok(),
            Some(Some(bob))
        );
        let persisted = Held::default();
        persisted.after_read(Ok(Some(session("ann", 100)))).unwrap();
        assert!(persisted.after_refresh(e(), false, 0, 0).is_err());
    }
}

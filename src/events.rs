//! Session events: which events a change of the held session stands for, given what caused it.

use crate::session::Session;

/// An event `auth.on(name, listener)` subscribes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthEvent {
    SignedIn,
    SignedOut,
    TokenRefresh,
    TokenRefreshFailure,
    SessionExpired,
}

impl AuthEvent {
    /// The JS name: `signedIn`, `signedOut`, `tokenRefresh`, `tokenRefreshFailure`,
    /// `sessionExpired`.
    pub fn name(self) -> &'static str {
        match self {
            AuthEvent::SignedIn => "signedIn",
            AuthEvent::SignedOut => "signedOut",
            AuthEvent::TokenRefresh => "tokenRefresh",
            AuthEvent::TokenRefreshFailure => "tokenRefreshFailure",
            AuthEvent::SessionExpired => "sessionExpired",
        }
    }

    /// The event of a JS name ([`AuthEvent::name`]).
    pub fn parse(name: &str) -> Option<AuthEvent> {
        Some(match name {
            "signedIn" => AuthEvent::SignedIn,
            "signedOut" => AuthEvent::SignedOut,
            "tokenRefresh" => AuthEvent::TokenRefresh,
            "tokenRefreshFailure" => AuthEvent::TokenRefreshFailure,
            "sessionExpired" => AuthEvent::SessionExpired,
            _ => return None,
        })
    }
}

/// What changed (or tried to change) the held session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// A sign-in of this client ended with tokens.
    SignIn,
    /// `signOut` or `deleteUser` of this client.
    SignOut,
    /// A refresh (or a re-read under the refresh lock) that succeeded.
    Refresh,
    /// A refresh that failed.
    RefreshFailed,
    /// The store changed under us (another tab or process).
    Store,
}

/// The events of a change from `before` to `after` caused by `cause`:
/// - `SignIn` → `signedIn` when signed in after;
/// - `SignOut` → `signedOut` when signed in before;
/// - `Refresh` → `tokenRefresh` when the tokens changed and the user is the same, else as `Store`;
/// - `RefreshFailed` → `tokenRefreshFailure`, plus `sessionExpired` when the session is gone
///   after (Cognito refused the refresh token);
/// - `Store` → `signedIn` (none → some), `signedOut` (some → none), `tokenRefresh` (same user,
///   other tokens), `signedOut` then `signedIn` (another user); nothing when equal.
pub fn events(
    before: Option<&Session>,
    after: Option<&Session>,
    cause: Cause,
) -> &'static [AuthEvent] {
    use AuthEvent::*;
    match cause {
        Cause::SignIn => match after {
            Some(_) => &[SignedIn],
            None => &[],
        },
        Cause::SignOut => match before {
            Some(_) => &[SignedOut],
            None => &[],
        },
        Cause::RefreshFailed => match (before, after) {
            (Some(_), None) => &[TokenRefreshFailure, SessionExpired],
            _ => &[TokenRefreshFailure],
        },
        Cause::Refresh | Cause::Store => match (before, after) {
            (None, None) => &[],
            (None, Some(_)) => &[SignedIn],
            (Some(_), None) => &[SignedOut],
            (Some(b), Some(a)) if b == a => &[],
            (Some(b), Some(a)) if b.username == a.username => &[TokenRefresh],
            (Some(_), Some(_)) => &[SignedOut, SignedIn],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::AuthEvent::*;
    use super::*;
    use crate::jwt::fake_jwt;
    use serde_json::json;

    fn session(user: &str, iat: u64) -> Session {
        let t = fake_jwt(&json!({"exp": iat + 3600, "iat": iat, "username": user}));
        Session::restore(&t, &t, Some("r".into()), 0).unwrap()
    }

    #[test]
    fn transitions() {
        let (ann, ann2, bob) = (session("ann", 1), session("ann", 2), session("bob", 1));
        let (a, a2, b) = (Some(&ann), Some(&ann2), Some(&bob));
        assert_eq!(events(None, a, Cause::SignIn), [SignedIn]);
        assert_eq!(events(a, b, Cause::SignIn), [SignedIn]);
        assert_eq!(events(None, None, Cause::SignIn), []);
        assert_eq!(events(a, None, Cause::SignOut), [SignedOut]);
        assert_eq!(
            events(None, None, Cause::SignOut),
            [],
            "nothing to sign out"
        );
        assert_eq!(events(a, a2, Cause::Refresh), [TokenRefresh]);
        assert_eq!(
            events(a, a, Cause::Refresh),
            [],
            "another caller already had it"
        );
        assert_eq!(events(a, a, Cause::RefreshFailed), [TokenRefreshFailure]);
        assert_eq!(
            events(a, None, Cause::RefreshFailed),
            [TokenRefreshFailure, SessionExpired]
        );
        assert_eq!(
            events(None, None, Cause::RefreshFailed),
            [TokenRefreshFailure]
        );
        assert_eq!(events(None, a, Cause::Store), [SignedIn]);
        assert_eq!(events(a, None, Cause::Store), [SignedOut]);
        assert_eq!(events(a, a2, Cause::Store), [TokenRefresh]);
        assert_eq!(events(a, b, Cause::Store), [SignedOut, SignedIn]);
        assert_eq!(events(a, a, Cause::Store), []);
        assert_eq!(
            events(a, None, Cause::Refresh),
            [SignedOut],
            "the lock's re-read found none"
        );
    }

    #[test]
    fn names_round_trip() {
        for e in [
            SignedIn,
            SignedOut,
            TokenRefresh,
            TokenRefreshFailure,
            SessionExpired,
        ] {
            assert_eq!(AuthEvent::parse(e.name()), Some(e));
        }
        assert_eq!(AuthEvent::parse("tokenRefresh_failure"), None);
    }
}

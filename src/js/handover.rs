//! The hand-over between the browser package's modules (docs/design/weight.md): when the loader
//! moves a `CognitoAuth` to a module with more methods, what the old instance holds only in
//! memory — the pending challenge, and a session the store failed to keep — goes to the new one
//! as a plain object: `__handover()` →
//! `{ pending?: { name, session?, username, parameters, availableChallenges }, session?: {
//! idToken, accessToken, refreshToken?, clockDriftMs } }`, then `__adopt(state)` on the new
//! instance. The loader moves an instance only to a higher module. Both methods are written once
//! over [`HandOver`] for whichever `CognitoAuth` the build has; the restore module (the lowest,
//! `src/js/restore/`, without `signin`) has `__handover` only (with a session part at most), and
//! without `signin` or `account` there is no challenge to hand over (nor one adopted).

#[cfg(any(feature = "signin", feature = "account"))]
use crate::prelude::*;
#[cfg(any(feature = "signin", feature = "account"))]
use js_sys::Array;
use js_sys::Object;
use wasm_bindgen::prelude::*;

#[cfg(any(feature = "session", feature = "signin"))]
use super::error::to_js_error;
#[cfg(any(feature = "session", feature = "signin"))]
use super::fields::Fields;
use super::session_view::set_unpersisted;
#[cfg(any(feature = "signin", feature = "account"))]
use super::session_view::{set, set_text};
#[cfg(any(feature = "signin", feature = "account"))]
use super::slot::Slot;
use super::CognitoAuth;
#[cfg(any(feature = "signin", feature = "account"))]
use crate::challenge::PendingChallenge;
#[cfg(any(feature = "session", feature = "signin"))]
use crate::error::Error;
#[cfg(any(feature = "signin", feature = "account"))]
use crate::map::VecMap;
use crate::session::Session;

/// What a `CognitoAuth` holds only in memory.
pub(super) trait HandOver {
    /// The challenge `signIn` or `respondToChallenge` stopped at.
    #[cfg(any(feature = "signin", feature = "account"))]
    fn pending(&self) -> &Slot<PendingChallenge>;
    /// The held session when the store does not hold it (`crate::held::Held::unpersisted`).
    fn unpersisted_session(&self) -> Option<Session>;
    /// Holds `session` as one the store does not hold (`crate::held::Held::hold_unpersisted`).
    #[cfg(any(feature = "session", feature = "signin"))]
    fn hold_unpersisted(&self, session: Session);
}

#[cfg(any(feature = "session", feature = "signin"))]
fn malformed() -> JsValue {
    to_js_error(&Error::invalid_parameter(
        "__adopt: not a hand-over of this package",
    ))
}

/// `{ [key]: value }` of `map`.
#[cfg(any(feature = "signin", feature = "account"))]
pub(super) fn map_to_js(map: &VecMap<String, String>) -> Object {
    let out = Object::new();
    for (key, value) in map {
        set_text(&out, key, value);
    }
    out
}

/// `[...texts]`.
#[cfg(any(feature = "signin", feature = "account"))]
pub(super) fn texts_to_js(texts: &[String]) -> Array {
    let out = Array::new();
    for text in texts {
        out.push(&JsValue::from_str(text));
    }
    out
}

#[cfg(any(feature = "signin", feature = "account"))]
fn pending_to_js(pending: &PendingChallenge) -> Object {
    let out = Object::new();
    set_text(&out, "name", &pending.name);
    if let Some(session) = &pending.session {
        set_text(&out, "session", session);
    }
    set_text(&out, "username", &pending.username);
    set(&out, "parameters", &map_to_js(&pending.parameters));
    set(
        &out,
        "availableChallenges",
        &texts_to_js(&pending.available_challenges),
    );
    out
}

#[wasm_bindgen]
impl CognitoAuth {
    /// What this instance holds only in memory, for `__adopt` on another module's instance.
    #[wasm_bindgen(js_name = __handover, skip_typescript)]
    pub fn handover(&self) -> JsValue {
        let state = Object::new();
        #[cfg(any(feature = "signin", feature = "account"))]
        self.inner.pending().with(|pending| {
            if let Some(pending) = pending {
                set(&state, "pending", &pending_to_js(pending));
            }
        });
        set_unpersisted(&state, self.inner.unpersisted_session());
        state.into()
    }

    /// Takes over what `__handover` gave: the pending challenge and an unstored session.
    #[cfg(any(feature = "session", feature = "signin"))]
    #[wasm_bindgen(js_name = __adopt, skip_typescript)]
    pub fn adopt(&self, state: JsValue) -> Result<(), JsValue> {
        let Ok(f) = Fields::of(&state, "__adopt") else {
            return Err(malformed());
        };
        #[cfg(any(feature = "signin", feature = "account"))]
        let mut pending = None;
        #[cfg(any(feature = "signin", feature = "account"))]
        if let Some(p) = f.nested("pending") {
            pending = Some(PendingChallenge {
                name: p.required_text("name"),
                session: p.text("session"),
                username: p.required_text("username"),
                parameters: p.text_map("parameters").unwrap_or_default(),
                available_challenges: p.texts("availableChallenges").unwrap_or_default(),
            });
            f.adopt(p);
        }
        let mut session = None;
        if let Some(s) = f.nested("session") {
            let parts = (
                s.required_text("idToken"),
                s.required_text("accessToken"),
                s.text("refreshToken"),
                s.finite("clockDriftMs"),
            );
            f.adopt(s);
            let (id, access, refresh, Some(drift)) = parts else {
                return Err(malformed());
            };
            let Ok(restored) =
                Session::restore(&id, &access, refresh.map(Into::into), drift as i64)
            else {
                return Err(malformed());
            };
            session = Some(restored);
        }
        if !f.all_read() {
            return Err(malformed());
        }
        #[cfg(any(feature = "signin", feature = "account"))]
        if let Some(pending) = pending {
            self.inner.pending().replace(Some(pending));
        }
        if let Some(session) = session {
            self.inner.hold_unpersisted(session);
        }
        Ok(())
    }
}

//! `onSessionChange` and `on(event, …)` subscriptions, and calling them for a change of the held
//! session ([`events`]): one copy for every `CognitoAuth` class of the package. The list itself
//! is JS (`session_io.js`: add, remove, call); which listeners an event calls and with what, and
//! which subscriptions are refused, are decided here.

use crate::text::Cat;
use wasm_bindgen::prelude::*;

use super::error::to_js_error;
use super::session_view::session_to_js;
use crate::error::Error;
use crate::events::{events, AuthEvent, Cause};
use crate::session::Session;

#[wasm_bindgen(module = "/src/js/session_io.js")]
extern "C" {
    /// Appends `[key, function]` to `list`; returns the function that removes that entry.
    #[wasm_bindgen(js_name = add)]
    fn js_add(list: &JsValue, key: i32, function: &JsValue) -> JsValue;
    /// Calls each function of `list` added with `key` (the list as it is now) with `value`; what
    /// one throws is dropped.
    #[wasm_bindgen(js_name = call)]
    fn js_call(list: &JsValue, key: i32, value: &JsValue);
}

/// The list key of `onSessionChange` (`None`) and of each `on` event: 0, else 1 + the variant's
/// index.
fn key(event: Option<AuthEvent>) -> i32 {
    event.map_or(0, |e| e as i32 + 1)
}

/// The subscriptions, in order: a JS array of `[key, function]`.
pub(super) struct Listeners {
    list: JsValue,
}

impl Default for Listeners {
    fn default() -> Self {
        Listeners {
            list: js_sys::Array::new().into(),
        }
    }
}

impl Listeners {
    /// Calls each listener of `event` (`None`: `onSessionChange`'s) with `value`; a throwing
    /// listener does not stop the others, and one (un)subscribed meanwhile is called as before.
    fn call(&self, event: Option<AuthEvent>, value: &JsValue) {
        js_call(&self.list, key(event), value);
    }

    /// Calls every `onSessionChange` listener with the session (or `null`).
    pub(super) fn notify(&self, session: Option<&Session>) {
        if let Ok(value) = session_to_js(session) {
            self.call(None, &value);
        }
    }

    /// Calls the `on` listeners of each event the change from `before` to `after` stands for
    /// ([`events`]): `signedIn`/`tokenRefresh` with the session, `tokenRefreshFailure` with the
    /// error, the others with nothing.
    pub(super) fn emit(
        &self,
        before: Option<&Session>,
        after: Option<&Session>,
        cause: Cause,
        error: Option<&Error>,
    ) {
        for &event in events(before, after, cause) {
            let value = match event {
                AuthEvent::SignedIn | AuthEvent::TokenRefresh => {
                    session_to_js(after).unwrap_or(JsValue::UNDEFINED)
                }
                AuthEvent::TokenRefreshFailure => error.map_or(JsValue::UNDEFINED, to_js_error),
                AuthEvent::SignedOut | AuthEvent::SessionExpired => JsValue::UNDEFINED,
            };
            self.call(Some(event), &value);
        }
    }

    /// [`Listeners::notify`] when the session changed, then [`Listeners::emit`].
    pub(super) fn changed(
        &self,
        before: Option<&Session>,
        after: Option<&Session>,
        cause: Cause,
        error: Option<&Error>,
    ) {
        if after != before {
            self.notify(after);
        }
        self.emit(before, after, cause, error);
    }

    /// `onSessionChange(listener)`: the function that unsubscribes it.
    pub(super) fn on_session_change(&self, listener: JsValue) -> Result<JsValue, JsValue> {
        self.subscribe(None, listener)
    }

    /// `on(event, listener)`: the function that unsubscribes it; an unknown event name is
    /// `InvalidParameterError`.
    pub(super) fn on(&self, event: JsValue, listener: JsValue) -> Result<JsValue, JsValue> {
        self.subscribe(Some(&event), listener)
    }

    /// `on(event, listener)` for `Some(event)`, else `onSessionChange(listener)`: one body for
    /// both methods. A listener that is no function is `InvalidParameterError` naming the method.
    #[inline(never)]
    fn subscribe(&self, event: Option<&JsValue>, listener: JsValue) -> Result<JsValue, JsValue> {
        let (event, what) = match event {
            None => (None, "onSessionChange's listener"),
            Some(event) => {
                let name = event.as_string().unwrap_or_default();
                let Some(event) = AuthEvent::parse(&name) else {
                    return Err(to_js_error(&Error::invalid_parameter(
                        [
                            "unknown event \"",
                            &name,
                            "\": signedIn, signedOut, tokenRefresh, tokenRefreshFailure or sessionExpired",
                        ]
                        .cat(),
                    )));
                };
                (Some(event), "on's listener")
            }
        };
        if !listener.is_function() {
            return Err(to_js_error(&Error::invalid_parameter(
                [what, " must be a function"].cat(),
            )));
        }
        Ok(js_add(&self.list, key(event), &listener))
    }
}

//! `onSessionChange` and `on(event, …)` subscriptions, and calling them for a change of the held
//! session ([`events`]): one copy for every `CognitoAuth` class of the package.

use crate::prelude::*;
use core::cell::{Cell, RefCell};

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use super::args::function_arg;
use super::error::to_js_error;
use super::session_view::session_to_js;
use crate::error::Error;
use crate::events::{events, AuthEvent, Cause};
use crate::session::Session;

/// An `onSessionChange` listener (`event: None`) or an `on(event, …)` one.
struct Listener {
    id: u32,
    event: Option<AuthEvent>,
    function: Function,
}

/// The subscriptions, in order.
#[derive(Default)]
pub(super) struct Listeners {
    list: RefCell<Vec<Listener>>,
    next: Cell<u32>,
}

impl Listeners {
    /// Calls each listener of `event` (`None`: `onSessionChange`'s) with `value`; a throwing
    /// listener does not stop the others, and one (un)subscribed meanwhile is called as before.
    fn call(&self, event: Option<AuthEvent>, value: &JsValue) {
        // The listeners of now, in a JS array (no Vec of references to grow and drop).
        let functions = js_sys::Array::new();
        for listener in self.list.borrow().iter() {
            if listener.event == event {
                functions.push(&listener.function);
            }
        }
        for function in functions.iter() {
            let _ = function
                .unchecked_ref::<Function>()
                .call1(&JsValue::UNDEFINED, value);
        }
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

    /// Adds `listener` for `event` (`None`: session changes) and returns its id; `what` names the
    /// listener in the error when it is no function.
    fn add(&self, event: Option<AuthEvent>, listener: JsValue, what: &str) -> Result<u32, JsValue> {
        let function = function_arg(listener, what).map_err(|e| to_js_error(&e))?;
        let id = self.next.get();
        self.next.set(id.wrapping_add(1));
        self.list.borrow_mut().push(Listener {
            id,
            event,
            function,
        });
        Ok(id)
    }

    /// Removes the listener `id`.
    pub(super) fn remove(&self, id: u32) {
        self.list.borrow_mut().retain(|l| l.id != id);
    }

    /// `onSessionChange(listener)`: its id.
    pub(super) fn on_session_change(&self, listener: JsValue) -> Result<u32, JsValue> {
        self.subscribe(None, listener)
    }

    /// `on(event, listener)`: its id; an unknown event name is `InvalidParameterError`.
    pub(super) fn on(&self, event: JsValue, listener: JsValue) -> Result<u32, JsValue> {
        self.subscribe(Some(&event), listener)
    }

    /// `on(event, listener)` for `Some(event)`, else `onSessionChange(listener)`: one body for
    /// both methods.
    #[inline(never)]
    fn subscribe(&self, event: Option<&JsValue>, listener: JsValue) -> Result<u32, JsValue> {
        let Some(event) = event else {
            return self.add(None, listener, "onSessionChange's listener");
        };
        let name = event.as_string().unwrap_or_default();
        let Some(event) = AuthEvent::parse(&name) else {
            return Err(to_js_error(&Error::invalid_parameter(
                [
                    "unknown event \"",
                    &name,
                    "\": signedIn, signedOut, tokenRefresh, tokenRefreshFailure or sessionExpired",
                ]
                .concat(),
            )));
        };
        self.add(Some(event), listener, "on's listener")
    }
}

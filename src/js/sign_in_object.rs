//! What a `CognitoAuth` that signs in gives `sign_in.rs`'s methods ([`SignInObject`]): the
//! session module's (`auth.rs`) and the restore module's (`restore/`) implement it.

use crate::prelude::*;
use alloc::rc::Rc;

use wasm_bindgen::JsValue;

use super::fetch::FetchPlatform;
use super::handover::HandOver;
use super::shared::SessionObject;
use super::sign_in_options::challenge_to_js;
use super::slot::Slot;
use super::storage::JsStorage;
use crate::challenge::SignInStep;
use crate::error::Error;
use crate::events::Cause;
use crate::sign_in::SignInClient;
use crate::srp::ClientEphemeral;
use crate::transport::Platform;

/// A `CognitoAuth` that signs in: its client as the core's sign-in drives it, the pending
/// challenge ([`HandOver::pending`]) and the next SRP pair.
pub(super) trait SignInObject: SessionObject + HandOver {
    type Client: SignInClient<Platform = FetchPlatform, Store = JsStorage>;
    /// The client the core's sign-in drives.
    fn client(&self) -> &Self::Client;
    /// `A = g^a` for the next sign-in, computed while idle; taken (never reused) by `signIn`.
    fn next_ephemeral(&self) -> &Slot<ClientEphemeral>;

    /// Computes the next sign-in's SRP pair after the current task (a timer of 0 ms), so
    /// `signIn` does not wait for it. `signIn` asks for it when it starts: the pair (~1 ms) is
    /// computed while InitiateAuth is on the network, and no timer outlives the sign-in (one
    /// scheduled after it would still be pending if a later call panicked and re-initialised
    /// the module: its callback would then throw from the old instance).
    fn prepare_ephemeral(self: &Rc<Self>)
    where
        Self: Sized,
    {
        let weak = Rc::downgrade(self);
        super::task::spawn(Box::pin(async move {
            let Some(inner) = weak.upgrade() else { return };
            inner.client().parts().platform.sleep(0).await;
            inner.next_ephemeral().with(|next| {
                if next.is_none() {
                    *next = ClientEphemeral::random().ok();
                }
            });
        }));
    }

    /// `{ signedIn: true, session }` (listeners told) or the challenge's view (kept pending).
    fn step_to_js(&self, step: SignInStep) -> Result<JsValue, Error> {
        match step {
            SignInStep::SignedIn(session) => {
                self.pending().replace(None);
                let listeners = &self.shared().listeners;
                listeners.notify(Some(&session));
                listeners.emit(None, Some(&session), Cause::SignIn, None);
                super::session_view::signed_in_to_js(&session)
            }
            SignInStep::Challenge(pending) => {
                let view = Ok(challenge_to_js(&pending));
                self.pending().replace(Some(pending));
                view
            }
        }
    }
}

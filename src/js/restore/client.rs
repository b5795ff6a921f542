//! The restore module's client: its parts held flat, what the listeners, other tabs and the
//! shared refresh use ([`SessionObject`]; its methods are `methods.rs`); with `signin` (the plain
//! signin module), the sign-in's side too ([`SignInObject`]; the core's driver over the same
//! parts).

use core::cell::Cell;
use core::future::Future;

use crate::client::{CallOptions, Parts};
use crate::config::ClientConfig;
#[cfg(feature = "signin")]
use crate::context_data::ContextProvider;
use crate::error::Error;
use crate::held::{load_held, Held};
use crate::js::fetch::FetchPlatform;
use crate::js::handover::HandOver;
use crate::js::shared::{SessionObject, Shared};
#[cfg(feature = "signin")]
use crate::js::sign_in_object::SignInObject;
#[cfg(feature = "signin")]
use crate::js::slot::Slot;
use crate::js::storage::JsStorage;
use crate::session::Session;
use crate::storage::StorageKeys;

/// What the restore module's `CognitoAuth` holds.
pub(in crate::js) struct Lean {
    pub(super) platform: FetchPlatform,
    pub(super) store: JsStorage,
    pub(super) keys: StorageKeys,
    pub(super) held: Held,
    pub(super) config: ClientConfig,
    pub(super) options: CallOptions,
    /// Set for good once the endpoint answered that GetTokensFromRefreshToken is unknown.
    pub(super) fell_back: Cell<bool>,
    /// The sign-in's and REFRESH_TOKEN_AUTH's `UserContextData`: Amazon's advanced-security
    /// script where the page loaded it, as the session module sends it without the
    /// `userContextData` option (the restore module asks the script per request: [`Lean::context`]).
    #[cfg(feature = "signin")]
    pub(super) context: ContextProvider,
    pub(super) shared: Shared,
    /// What the sign-in holds between calls.
    #[cfg(feature = "signin")]
    pub(super) signing: Signing,
}

/// The plain signin module's sign-in state: the devices option, the pending challenge and the
/// next SRP pair.
#[cfg(feature = "signin")]
pub(super) struct Signing {
    devices: crate::client::DeviceOptions,
    pending: Slot<crate::challenge::PendingChallenge>,
    next_ephemeral: Slot<crate::srp::ClientEphemeral>,
}

#[cfg(feature = "signin")]
impl Signing {
    /// The constructor's `rememberDevices` and `deviceName`.
    pub(super) fn new(remember: Option<bool>, device_name: Option<alloc::string::String>) -> Self {
        Signing {
            devices: crate::client::DeviceOptions::new(remember, device_name),
            pending: Slot::default(),
            next_ephemeral: Slot::default(),
        }
    }
}

impl Lean {
    /// REFRESH_TOKEN_AUTH's `UserContextData` for `username` (the field's provider, or the script).
    pub(super) fn context(&self, username: &str) -> Option<crate::context_data::UserContextData> {
        #[cfg(feature = "signin")]
        return (self.context)(username);
        #[cfg(not(feature = "signin"))]
        crate::js::context_data::script_context(
            username,
            self.config.user_pool.as_str(),
            &self.config.client_id,
        )
    }

    pub(super) fn parts(&self) -> Parts<'_, FetchPlatform, JsStorage> {
        Parts {
            platform: &self.platform,
            store: &self.store,
            keys: &self.keys,
            held: &self.held,
            config: &self.config,
            options: &self.options,
        }
    }
}

impl HandOver for Lean {
    #[cfg(feature = "signin")]
    fn pending(&self) -> &Slot<crate::challenge::PendingChallenge> {
        &self.signing.pending
    }

    fn unpersisted_session(&self) -> Option<Session> {
        self.held.unpersisted()
    }

    #[cfg(feature = "signin")]
    fn hold_unpersisted(&self, session: Session) {
        self.held.hold_unpersisted(session);
    }
}

#[cfg(feature = "signin")]
impl SignInObject for Lean {
    type Client = Lean;

    fn client(&self) -> &Lean {
        self
    }

    fn next_ephemeral(&self) -> &Slot<crate::srp::ClientEphemeral> {
        &self.signing.next_ephemeral
    }
}

#[cfg(feature = "signin")]
impl crate::sign_in::SignInClient for Lean {
    type Platform = FetchPlatform;
    type Store = JsStorage;

    fn parts(&self) -> Parts<'_, FetchPlatform, JsStorage> {
        Lean::parts(self)
    }

    fn devices(&self) -> &crate::client::DeviceOptions {
        &self.signing.devices
    }

    fn context(&self) -> crate::context_data::ContextSource<'_> {
        crate::context_data::ContextSource(Some(&*self.context))
    }
}

impl SessionObject for Lean {
    fn shared(&self) -> &Shared {
        &self.shared
    }

    fn client_id(&self) -> &str {
        &self.config.client_id
    }

    fn storage_prefix(&self) -> &str {
        self.keys.prefix()
    }

    fn current_session(&self) -> Option<Session> {
        self.held.current()
    }

    fn load_session(&self) -> impl Future<Output = Result<Option<Session>, Error>> {
        load_held(&self.held, &self.store, &self.keys)
    }
}

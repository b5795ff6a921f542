//! The restore module's client: its parts held flat, and the session methods' client side
//! ([`SessionObject`]) as the core's flows over them; with `signin` (the plain signin module),
//! the sign-in's too ([`SignInObject`]; the core's driver over the same parts).

use crate::prelude::*;
use core::cell::Cell;
use core::future::Future;

use crate::client::{sign_out_session, signing_out, CallOptions, Parts, SignedOut};
use crate::config::ClientConfig;
use crate::context_data::{ContextProvider, UserContextData};
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
use crate::map::VecMap;
use crate::refresh::{refresh_at, refresh_due, Due, RefreshExtras, Refresher};
use crate::session::Session;
use crate::storage::StorageKeys;
use crate::transport::Platform;

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
    /// REFRESH_TOKEN_AUTH's `UserContextData`: Amazon's advanced-security script where the page
    /// loaded it, as the session module sends it without the `userContextData` option.
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
    pub(super) fn new(remember: Option<bool>, device_name: Option<String>) -> Self {
        Signing {
            devices: crate::client::DeviceOptions::new(remember, device_name),
            pending: Slot::default(),
            next_ephemeral: Slot::default(),
        }
    }
}

impl Lean {
    fn parts(&self) -> Parts<'_, FetchPlatform, JsStorage> {
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

/// The restore module's refresh extras: no hosted UI and no secret; the context provider.
struct Extras<'a>(&'a ContextProvider);

impl RefreshExtras for Extras<'_> {
    fn context(&self, username: &str) -> Option<UserContextData> {
        (self.0)(username)
    }
}

impl SessionObject for Lean {
    fn shared(&self) -> &Shared {
        &self.shared
    }

    fn platform(&self) -> &FetchPlatform {
        &self.platform
    }

    fn client_id(&self) -> &str {
        &self.config.client_id
    }

    fn storage_prefix(&self) -> &str {
        self.keys.prefix()
    }

    fn refresh_margin_ms(&self) -> u64 {
        self.options.refresh_margin_ms
    }

    fn current_session(&self) -> Option<Session> {
        self.held.current()
    }

    fn take_storage_warning(&self) -> Option<Error> {
        self.held.take_warning()
    }

    fn load_session(&self) -> impl Future<Output = Result<Option<Session>, Error>> {
        load_held(&self.held, &self.store, &self.keys)
    }

    async fn refreshed_session(
        &self,
        force: bool,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<Option<Session>, Error> {
        let margin = self.options.refresh_margin_ms;
        let loaded = self.load_session().await?;
        let session = match refresh_due(loaded, force, self.platform.now_ms(), margin)? {
            Due::Now(answer) => return Ok(answer),
            Due::Refresh(session) => session,
        };
        let with = Refresher {
            parts: self.parts(),
            fell_back: &self.fell_back,
        };
        // Boxed: `refresh_at`'s states polled through one pointer, not nested in this future.
        let refreshed = {
            let work: core::pin::Pin<Box<dyn Future<Output = Result<Session, Error>> + '_>> =
                Box::pin(refresh_at(
                    with,
                    Extras(&self.context),
                    &session,
                    client_metadata,
                ));
            work.await
        };
        self.held
            .after_refresh(refreshed, force, self.platform.now_ms(), margin)
            .map(Some)
    }

    async fn sign_out(&self, global: bool, _navigate: bool) -> SignedOut {
        // No hosted UI here: nowhere to navigate.
        let loaded = self.load_session().await.ok().flatten();
        let result = match signing_out(loaded.as_ref(), &self.held) {
            Some(session) => sign_out_session(&self.parts(), &session, global).await,
            None => Ok(()),
        };
        SignedOut {
            loaded,
            logout: None,
            result,
        }
    }
}

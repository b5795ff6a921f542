//! The Cognito client: each operation builds its request, sends it through the [`Platform`] with
//! retries where that is safe, and parses the answer. It holds the signed-in session in memory
//! and persists it through a [`TokenStore`]; storage failures never lose the in-memory session.

use crate::prelude::*;
use core::cell::Cell;
use core::future::Future;

use crate::config::ClientConfig;
use crate::error::Error;
use crate::held::{adopt_held, forget_held, load_held, Held};
use crate::map::VecMap;
use crate::secret::SecretString;
use crate::secret_hash::secret_hash;
use crate::session::Session;
use crate::storage::{StorageKeys, TokenStore};
use crate::transport::{HttpRequest, HttpResponse, Platform, TransportError};
use crate::wire::{
    decode, parse_error, AccessTokenRequest, CodeDeliveryDetails, CodeDeliveryResponse,
    ConfirmSignUpResponse, Empty, FromJson, Operation, RevokeTokenRequest, SignUpRequest,
    SignUpResponse, UserCodeRequest,
};

/// Retries of calls that failed transiently: full-jitter exponential backoff,
/// `delay = random(0, min(max_delay_ms, base_delay_ms · 2^attempt))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub max_retries: u32,
    pub base_delay_ms: u32,
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay_ms: 100,
            max_delay_ms: 2_000,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (0-based), given a uniform random `u32`:
    /// `random mod (cap + 1)` with `cap = min(base_delay_ms * 2^min(attempt, 20), max_delay_ms)`.
    pub fn delay_ms(&self, attempt: u32, random: u32) -> u32 {
        let cap = self
            .base_delay_ms
            .saturating_mul(1u32 << attempt.min(20))
            .min(self.max_delay_ms);
        // `random % (cap + 1)`; `cap + 1` is 2^32 (no reduction) when `cap` is `u32::MAX`.
        random.checked_rem(cap.wrapping_add(1)).unwrap_or(random)
    }

    /// Whether a call of `op` that failed with `error` on attempt `attempt` (0-based) is sent
    /// again: throttling always, other transient failures ([`Error::retryable`]) of idempotent
    /// operations only, at most `max_retries` times.
    #[inline]
    pub fn retries(&self, attempt: u32, error: &Error, op: Operation) -> bool {
        attempt < self.max_retries
            && (error.is_throttling() || (error.retryable() && op.is_idempotent()))
    }
}

/// Which call refreshes the tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshFlow {
    /// `GetTokensFromRefreshToken`; falls back to `REFRESH_TOKEN_AUTH` (for the client's
    /// lifetime) when the endpoint does not know the operation ([`crate::refresh::RefreshFailure::classify`]).
    #[default]
    GetTokensFromRefreshToken,
    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH` only (never rotates).
    RefreshTokenAuth,
}

impl RefreshFlow {
    /// The option's value: `"GetTokensFromRefreshToken"` or `"REFRESH_TOKEN_AUTH"`.
    pub fn parse(name: &str) -> Option<RefreshFlow> {
        match name {
            "GetTokensFromRefreshToken" => Some(RefreshFlow::GetTokensFromRefreshToken),
            "REFRESH_TOKEN_AUTH" => Some(RefreshFlow::RefreshTokenAuth),
            _ => None,
        }
    }
}

/// Options of [`Cognito::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallOptions {
    pub timeout_ms: u32,
    pub retry: RetryPolicy,
    /// A session is refreshed when it has less than this left.
    pub refresh_margin_ms: u64,
    /// Which call refreshes (`src/refresh.rs`).
    pub refresh_flow: RefreshFlow,
}

impl Default for CallOptions {
    fn default() -> Self {
        CallOptions {
            timeout_ms: 10_000,
            retry: RetryPolicy::default(),
            refresh_margin_ms: 60_000,
            refresh_flow: RefreshFlow::default(),
        }
    }
}

/// The sign-up form.
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    pub username: String,
    pub password: SecretString,
    pub attributes: VecMap<String, String>,
    pub validation_data: VecMap<String, String>,
    pub client_metadata: Option<VecMap<String, String>>,
}

/// Whether and how the client remembers the devices it signs in on (`src/sign_in.rs`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceOptions {
    /// ConfirmDevice after each sign-in that offers `NewDeviceMetadata`.
    pub remember: bool,
    /// ConfirmDevice's `DeviceName`.
    pub device_name: Option<String>,
}

impl DeviceOptions {
    /// The constructor's `rememberDevices` (absent: not remembered) and `deviceName`.
    pub fn new(remember: Option<bool>, device_name: Option<String>) -> Self {
        DeviceOptions {
            remember: remember.unwrap_or(false),
            device_name,
        }
    }
}

/// Which InitiateAuth flow `sign_in` uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthFlow {
    #[default]
    UserSrp,
    UserPassword,
    /// CUSTOM_AUTH with `USERNAME` only: the pool's custom challenges, no password.
    Custom,
    /// CUSTOM_AUTH with `SRP_A` and `CHALLENGE_NAME: "SRP_A"`: PASSWORD_VERIFIER first, then the
    /// custom challenges.
    CustomWithSrp,
    /// `USER_AUTH` with an optional `PREFERRED_CHALLENGE` (`src/user_auth.rs`).
    UserAuth(Option<crate::user_auth::FirstFactor>),
}

/// The refusal of a `USER_AUTH` sign-in (or a SELECT_CHALLENGE answer) by a build without
/// `user-auth` (the browser package's signin module: its loader sends `flow: "USER_AUTH"` calls
/// to the signup module, which has it).
#[cfg(not(any(feature = "user-auth", not(feature = "signin"))))]
pub fn no_user_auth() -> Error {
    Error::invalid_parameter("no USER_AUTH sign-in in this module (built without user-auth)")
}

impl AuthFlow {
    /// `signIn`'s `flow` (absent: USER_SRP_AUTH), `srp` (CUSTOM_AUTH only: verify the password
    /// first) and `preferredChallenge` (USER_AUTH only); anything else is `InvalidParameterError`.
    pub fn parse(
        flow: Option<&str>,
        srp: Option<bool>,
        preferred: Option<&str>,
    ) -> Result<AuthFlow, Error> {
        if srp.is_some() && flow != Some("CUSTOM_AUTH") {
            return Err(Error::invalid_parameter(
                "srp is an option of flow \"CUSTOM_AUTH\" only",
            ));
        }
        if preferred.is_some() && flow != Some("USER_AUTH") {
            return Err(Error::invalid_parameter(
                "preferredChallenge needs flow \"USER_AUTH\"",
            ));
        }
        match flow {
            None | Some("USER_SRP_AUTH") => Ok(AuthFlow::UserSrp),
            Some("USER_PASSWORD_AUTH") => Ok(AuthFlow::UserPassword),
            Some("CUSTOM_AUTH") if srp == Some(true) => Ok(AuthFlow::CustomWithSrp),
            Some("CUSTOM_AUTH") => Ok(AuthFlow::Custom),
            #[cfg(not(any(feature = "user-auth", not(feature = "signin"))))]
            Some("USER_AUTH") => Err(no_user_auth()),
            #[cfg(any(feature = "user-auth", not(feature = "signin")))]
            Some("USER_AUTH") => Ok(AuthFlow::UserAuth(
                preferred
                    .map(|p| crate::user_auth::FirstFactor::parse_param(p, "preferredChallenge"))
                    .transpose()?,
            )),
            Some(_) => Err(Error::invalid_parameter(
                "flow must be USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH or USER_AUTH",
            )),
        }
    }

    /// Whether the flow starts with the user's password.
    pub fn needs_password(self) -> bool {
        match self {
            AuthFlow::UserSrp | AuthFlow::UserPassword | AuthFlow::CustomWithSrp => true,
            AuthFlow::Custom => false,
            AuthFlow::UserAuth(preferred) => preferred.is_some_and(|f| f.needs_password()),
        }
    }
}

/// A Cognito user-pool client over a [`Platform`], keeping its session in a [`TokenStore`].
pub struct Cognito<P, S> {
    config: ClientConfig,
    platform: P,
    store: S,
    keys: StorageKeys,
    options: CallOptions,
    /// The held session and whether the store holds it (`src/held.rs`).
    held: Held,
    /// The hosted UI, when configured (`src/oauth_client.rs`).
    oauth: Option<crate::oauth::OAuthConfig>,
    /// Remembered devices.
    devices: DeviceOptions,
    /// Set once the endpoint answered that GetTokensFromRefreshToken is unknown
    /// (`src/refresh.rs`).
    refresh_fell_back: Cell<bool>,
    /// `UserContextData` per request (`src/context_data.rs`).
    context_provider: Option<crate::context_data::ContextProvider>,
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    pub fn new(config: ClientConfig, platform: P, store: S, options: CallOptions) -> Self {
        let keys = StorageKeys::new(&config.client_id);
        Cognito {
            config,
            platform,
            store,
            keys,
            options,
            held: Held::default(),
            oauth: None,
            devices: DeviceOptions::default(),
            refresh_fell_back: Cell::new(false),
            context_provider: None,
        }
    }

    /// Remembering devices (ConfirmDevice after sign-in).
    pub fn with_devices(mut self, devices: DeviceOptions) -> Self {
        self.devices = devices;
        self
    }

    pub fn device_options(&self) -> &DeviceOptions {
        &self.devices
    }

    /// With the hosted UI (`signInWithRedirect`, `handleRedirect`, refresh via `/oauth2/token`).
    pub fn with_oauth(mut self, oauth: crate::oauth::OAuthConfig) -> Self {
        self.oauth = Some(oauth);
        self
    }

    pub fn oauth(&self) -> Option<&crate::oauth::OAuthConfig> {
        self.oauth.as_ref()
    }

    pub fn store(&self) -> &S {
        &self.store
    }

    #[doc(hidden)]
    pub fn storage_keys(&self) -> &StorageKeys {
        &self.keys
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    pub fn platform(&self) -> &P {
        &self.platform
    }

    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    /// Sends `provider`'s context with InitiateAuth (sign-in and REFRESH_TOKEN_AUTH),
    /// RespondToAuthChallenge, SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword and
    /// ConfirmForgotPassword.
    pub fn with_context_data(mut self, provider: crate::context_data::ContextProvider) -> Self {
        self.context_provider = Some(provider);
        self
    }

    /// The provider's `UserContextData` for a request about `username`.
    pub(crate) fn context_for(
        &self,
        username: &str,
    ) -> Option<crate::context_data::UserContextData> {
        self.context_source().for_user(username)
    }

    /// The provider, borrowed for a sign-in.
    pub(crate) fn context_source(&self) -> crate::context_data::ContextSource<'_> {
        crate::context_data::ContextSource(self.context_provider.as_deref())
    }

    pub(crate) fn refresh_fell_back_cell(&self) -> &Cell<bool> {
        &self.refresh_fell_back
    }

    /// The parts the core's flows over any client work with ([`Parts`]).
    pub(crate) fn parts(&self) -> Parts<'_, P, S> {
        Parts {
            platform: &self.platform,
            store: &self.store,
            keys: &self.keys,
            held: &self.held,
            config: &self.config,
            options: &self.options,
        }
    }

    pub(crate) fn secret_hash_for(&self, username: &str) -> Option<String> {
        self.secret_hash(username)
    }

    /// `SECRET_HASH` for `username`, when the client has a secret.
    fn secret_hash(&self, username: &str) -> Option<String> {
        let secret = self.config.client_secret.as_ref()?;
        Some(secret_hash(secret, username, &self.config.client_id))
    }

    /// Sends `op` with the JSON `body` (a request's `to_json()`) and reads the answer as `T`
    /// ([`call`]).
    #[doc(hidden)]
    pub fn call<'a, T: FromJson + 'a>(
        &'a self,
        op: Operation,
        body: String,
    ) -> impl Future<Output = Result<T, Error>> + 'a {
        call(
            &self.platform,
            &self.config.endpoint,
            &self.options,
            op,
            body,
        )
    }

    /// SignUp.
    /// SignUp; without a password for passwordless users (the pool must allow it).
    pub async fn sign_up(&self, input: &SignUpInput) -> Result<SignUpResponse, Error> {
        require("username", &input.username)?;
        fn attributes(map: &VecMap<String, String>) -> Vec<(&str, &str)> {
            map.iter()
                .map(|(name, value)| (name.as_str(), value.as_str()))
                .collect()
        }
        let body = SignUpRequest {
            client_id: &self.config.client_id,
            username: &input.username,
            password: input.password.expose_secret(),
            secret_hash: self.secret_hash(&input.username),
            user_attributes: attributes(&input.attributes),
            validation_data: attributes(&input.validation_data),
            client_metadata: input.client_metadata.as_ref(),
            user_context_data: self.context_for(&input.username),
        };
        self.call(Operation::SignUp, body.to_json()).await
    }

    fn user_code_request<'a>(&'a self, username: &'a str) -> UserCodeRequest<'a> {
        UserCodeRequest {
            client_id: &self.config.client_id,
            username,
            confirmation_code: None,
            password: None,
            secret_hash: self.secret_hash(username),
            force_alias_creation: None,
            client_metadata: None,
            user_context_data: self.context_for(username),
            session: None,
        }
    }

    /// ConfirmSignUp with the code sent at sign-up.
    pub async fn confirm_sign_up(
        &self,
        username: &str,
        code: &SecretString,
        force_alias_creation: Option<bool>,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<(), Error> {
        self.confirm_sign_up_with_session(
            username,
            code,
            force_alias_creation,
            client_metadata,
            None,
        )
        .await
        .map(drop)
    }

    /// ConfirmSignUp carrying SignUp's `session`; returns the `Session` it answers, for
    /// [`Cognito::sign_in_with_session`].
    pub async fn confirm_sign_up_with_session(
        &self,
        username: &str,
        code: &SecretString,
        force_alias_creation: Option<bool>,
        client_metadata: Option<&VecMap<String, String>>,
        session: Option<&str>,
    ) -> Result<Option<String>, Error> {
        require("username", username)?;
        require("code", code.expose_secret())?;
        let body = UserCodeRequest {
            confirmation_code: Some(code.expose_secret()),
            force_alias_creation,
            client_metadata,
            session,
            ..self.user_code_request(username)
        };
        let answer: ConfirmSignUpResponse =
            self.call(Operation::ConfirmSignUp, body.to_json()).await?;
        Ok(answer.session)
    }

    /// ResendConfirmationCode.
    pub async fn resend_confirmation_code(
        &self,
        username: &str,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<CodeDeliveryDetails, Error> {
        require("username", username)?;
        let body = UserCodeRequest {
            client_metadata,
            ..self.user_code_request(username)
        };
        let answer: CodeDeliveryResponse = self
            .call(Operation::ResendConfirmationCode, body.to_json())
            .await?;
        Ok(answer.code_delivery_details.unwrap_or_default())
    }

    /// ForgotPassword.
    pub async fn forgot_password(
        &self,
        username: &str,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<CodeDeliveryDetails, Error> {
        require("username", username)?;
        let body = UserCodeRequest {
            client_metadata,
            ..self.user_code_request(username)
        };
        let answer: CodeDeliveryResponse =
            self.call(Operation::ForgotPassword, body.to_json()).await?;
        Ok(answer.code_delivery_details.unwrap_or_default())
    }

    /// ConfirmForgotPassword.
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &SecretString,
        new_password: &SecretString,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<(), Error> {
        require("username", username)?;
        require("code", code.expose_secret())?;
        require("newPassword", new_password.expose_secret())?;
        let body = UserCodeRequest {
            confirmation_code: Some(code.expose_secret()),
            password: Some(new_password.expose_secret()),
            client_metadata,
            ..self.user_code_request(username)
        };
        self.call::<Empty>(Operation::ConfirmForgotPassword, body.to_json())
            .await
            .map(drop)
    }

    /// The session held in memory, valid or not, without reading the store.
    pub fn current_session(&self) -> Option<Session> {
        self.held.current()
    }

    /// The held session when the store does not hold it (its last write failed): what another
    /// client over the same store must be given to answer as this one would.
    pub fn unpersisted_session(&self) -> Option<Session> {
        self.held.unpersisted()
    }

    /// Holds `session` as one the store does not hold (the other half of
    /// [`Cognito::unpersisted_session`]): the next [`Cognito::load_session`] writes it first.
    pub fn hold_unpersisted(&self, session: Session) {
        self.held.hold_unpersisted(session);
    }

    /// The first failure to write the held session again (see [`Cognito::load_session`]), once
    /// per client: the binding warns with it.
    pub fn take_storage_warning(&self) -> Option<Error> {
        self.held.take_warning()
    }

    /// Holds `session` and writes it to the store. A failed write is reported, but the session
    /// stays held (and the store is not trusted over memory until a write succeeds).
    pub(crate) fn adopt<'a>(
        &'a self,
        session: &'a Session,
    ) -> impl Future<Output = Result<(), Error>> + 'a {
        adopt_held(&self.held, &self.store, &self.keys, session)
    }

    /// Forgets the held session and removes it from the store.
    pub(crate) fn forget<'a>(
        &'a self,
        username: &'a str,
    ) -> impl Future<Output = Result<(), Error>> + 'a {
        forget_held(&self.held, &self.store, &self.keys, username)
    }

    /// The session as the store has it now (another tab or process may have changed it), valid
    /// or not, without any request ([`load_held`]): memory is kept when the store fails or
    /// missed a write; the first failure of a re-write is kept for
    /// [`Cognito::take_storage_warning`].
    pub fn load_session(&self) -> impl Future<Output = Result<Option<Session>, Error>> + '_ {
        load_held(&self.held, &self.store, &self.keys)
    }

    /// Forgets the session here (memory and every stored key), then revokes its refresh token
    /// (RevokeToken) and, with `global`, signs out every device (GlobalSignOut). The session is
    /// gone locally even if those calls fail; the first failure is reported.
    pub async fn sign_out(&self, global: bool) -> Result<(), Error> {
        self.sign_out_flow(global, false).await.result
    }

    /// [`Cognito::sign_out`] of the session [`Cognito::load_session`] answers (else the one in
    /// memory), in one flow; with `navigate`, also where the browser goes next: the hosted UI's
    /// `/logout` ([`Cognito::logout_url`]) when the session came from there.
    pub async fn sign_out_flow(&self, global: bool, navigate: bool) -> SignedOut {
        let loaded = self.load_session().await.ok().flatten();
        let Some(session) = signing_out(loaded.as_ref(), &self.held) else {
            return SignedOut {
                loaded,
                logout: None,
                result: Ok(()),
            };
        };
        let logout =
            match navigate && self.is_hosted_ui_session(&session.username).await == Ok(true) {
                true => self.logout_url(),
                false => None,
            };
        let result = sign_out_session(&self.parts(), &session, global).await;
        SignedOut {
            loaded,
            logout,
            result,
        }
    }
}

/// What [`Cognito::sign_out_flow`] did.
#[derive(Debug)]
pub struct SignedOut {
    /// The session the store held (the one the `signedOut` event is of).
    pub loaded: Option<Session>,
    /// The hosted UI's `/logout` URL to navigate to, if any.
    pub logout: Option<String>,
    /// The first failure of forgetting or of the requests.
    pub result: Result<(), Error>,
}

/// A client's parts, borrowed: what the core's flows work with, whichever client holds them
/// (the generic [`Cognito`], or the browser's restore module).
pub struct Parts<'a, P, S> {
    pub platform: &'a P,
    pub store: &'a S,
    pub keys: &'a StorageKeys,
    pub held: &'a Held,
    pub config: &'a ClientConfig,
    pub options: &'a CallOptions,
}

impl<P, S> Clone for Parts<'_, P, S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, S> Copy for Parts<'_, P, S> {}

/// The session a sign-out is of: the one the store holds (`loaded`), else the one in memory.
pub fn signing_out(loaded: Option<&Session>, held: &Held) -> Option<Session> {
    loaded.cloned().or_else(|| held.current())
}

/// Forgets `session` here (memory and every stored key), then revokes its refresh token
/// (RevokeToken) and, with `global` and first, signs out every device (GlobalSignOut); RevokeToken
/// only when GlobalSignOut (if sent) succeeded. The session is gone locally even if the calls
/// fail; the first failure of the calls, else of forgetting, is the result.
pub async fn sign_out_session<P: Platform, S: TokenStore>(
    parts: &Parts<'_, P, S>,
    session: &Session,
    global: bool,
) -> Result<(), Error> {
    let (config, options) = (parts.config, parts.options);
    let cleared = forget_held(parts.held, parts.store, parts.keys, &session.username).await;
    // One call site: GlobalSignOut first when `global`, then RevokeToken.
    let mut result = Ok(());
    let mut global_next = global;
    loop {
        let (op, body) = match (global_next, &session.refresh_token) {
            (true, _) => {
                let body = AccessTokenRequest {
                    access_token: session.access_token.expose_secret(),
                };
                (Operation::GlobalSignOut, body.to_json())
            }
            (false, Some(refresh_token)) => {
                let body = RevokeTokenRequest {
                    token: refresh_token.expose_secret(),
                    client_id: &config.client_id,
                    client_secret: config
                        .client_secret
                        .as_ref()
                        .map(SecretString::expose_secret),
                };
                (Operation::RevokeToken, body.to_json())
            }
            (false, None) => break,
        };
        result = send(parts.platform, &config.endpoint, options, op, body)
            .await
            .and_then(|answer| decode::<Empty>(op, &answer).map(drop));
        if result.is_err() || !global_next {
            break;
        }
        global_next = false;
    }
    result.and(cleared)
}

/// Sends `op` with the JSON `body` to `endpoint` ([`send`]) and reads the answer as `T`
/// ([`decode`]).
pub async fn call<P: Platform, T: FromJson>(
    platform: &P,
    endpoint: &str,
    options: &CallOptions,
    op: Operation,
    body: String,
) -> Result<T, Error> {
    let answer = send(platform, endpoint, options, op, body).await?;
    decode(op, &answer)
}

/// Sends `op` with `body` and returns the 2xx answer's body ([`answer_body`]), retrying as
/// [`RetryPolicy::retries`] says after the backoff [`RetryPolicy::delay_ms`].
pub async fn send<P: Platform>(
    platform: &P,
    endpoint: &str,
    options: &CallOptions,
    op: Operation,
    body: String,
) -> Result<String, Error> {
    let request = HttpRequest {
        url: endpoint.to_owned(),
        target: op.target(),
        body: SecretString::new(body),
        timeout_ms: options.timeout_ms,
    };
    // One await site: each retry is the request sent after its backoff.
    let (mut attempt, mut wait) = (0, None);
    loop {
        let result = answer_body(
            platform.send_after(wait, &request).await,
            request.timeout_ms,
        );
        match result {
            Err(e) if options.retry.retries(attempt, &e, op) => {
                wait = Some(options.retry.delay_ms(attempt, platform.random_u32()));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// The body of a 2xx answer; a transport failure or another status is its [`Error`]
/// (`parse_error` of the answer).
#[inline]
pub fn answer_body(
    sent: Result<HttpResponse, TransportError>,
    timeout_ms: u32,
) -> Result<String, Error> {
    let response = sent.map_err(|e| match e {
        TransportError::Network(message) => Error::Network { message },
        TransportError::Timeout => Error::Timeout {
            after_ms: timeout_ms,
        },
        TransportError::Unreadable(reason) => Error::invalid_response(reason),
    })?;
    if !(200..300).contains(&response.status) {
        return Err(parse_error(
            response.status,
            response.error_type.as_deref(),
            &response.body,
        ));
    }
    Ok(response.body)
}

pub(crate) fn require(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_parameter([field, " is required"].cat()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::AuthFlow;
    use crate::user_auth::FirstFactor;

    #[test]
    fn the_backoff_is_random_mod_cap_plus_one_without_a_panic_at_u32_max() {
        use super::RetryPolicy;
        let policy = RetryPolicy::default(); // 100 ms doubling, at most 2,000 ms
        assert_eq!(policy.delay_ms(0, 250), 250 % 101);
        assert_eq!(policy.delay_ms(3, 5_000), 5_000 % 801);
        assert_eq!(policy.delay_ms(30, u32::MAX), u32::MAX % 2_001);
        let zero = RetryPolicy {
            base_delay_ms: 0,
            ..RetryPolicy::default()
        };
        assert_eq!(zero.delay_ms(2, 12_345), 0);
        let unbounded = RetryPolicy {
            base_delay_ms: u32::MAX,
            max_delay_ms: u32::MAX,
            ..RetryPolicy::default()
        };
        assert_eq!(unbounded.delay_ms(0, 7), 7);
        assert_eq!(unbounded.delay_ms(5, u32::MAX), u32::MAX);
    }

    #[test]
    fn which_failures_are_retried() {
        use super::RetryPolicy;
        use crate::error::tests::service;
        use crate::error::Error;
        use crate::wire::Operation;
        let policy = RetryPolicy::default();
        let network = Error::Network {
            message: "x".into(),
        };
        let (idempotent, once) = (Operation::InitiateAuth, Operation::RespondToAuthChallenge);
        assert!(policy.retries(0, &service("TooManyRequestsException", 400), once));
        assert!(policy.retries(2, &network, idempotent));
        assert!(
            !policy.retries(3, &network, idempotent),
            "at most max_retries"
        );
        assert!(!policy.retries(0, &network, once), "never replayed");
        assert!(policy.retries(0, &service("InternalErrorException", 500), idempotent));
        assert!(!policy.retries(0, &service("NotAuthorizedException", 400), idempotent));
    }

    #[test]
    fn the_first_attempt_waits_for_nothing_and_each_retry_for_its_backoff() {
        use super::{send, CallOptions};
        use crate::testing::{block_on, Scripted};
        use crate::wire::Operation;
        let stub = Scripted::default();
        stub.answer(503, "{}")
            .answer(500, "{}")
            .answer(200, r#"{"ok":1}"#);
        let options = CallOptions::default();
        let body = block_on(send(
            &&stub,
            "https://x",
            &options,
            Operation::GetUser,
            "{}".into(),
        ));
        assert_eq!(body.unwrap(), r#"{"ok":1}"#);
        assert_eq!(stub.operations(), ["GetUser", "GetUser", "GetUser"]);
        let sleeps = stub.sleeps();
        assert_eq!(sleeps.len(), 2, "{sleeps:?}");
        // Attempt 0 waits at most 100 ms, attempt 1 at most 200 (the default policy's caps).
        assert!(sleeps[0] <= 100 && sleeps[1] <= 200, "{sleeps:?}");
        let once = Scripted::default();
        once.answer(200, "{}");
        assert!(block_on(send(
            &&once,
            "https://x",
            &options,
            Operation::GetUser,
            "{}".into()
        ))
        .is_ok());
        assert!(once.sleeps().is_empty());
    }

    #[test]
    fn answers_as_bodies_or_errors() {
        use super::answer_body;
        use crate::transport::{HttpResponse, TransportError};
        let answer = |status| {
            Ok(HttpResponse {
                status,
                error_type: None,
                body: r#"{"__type":"x#NotAuthorizedException","message":"m"}"#.into(),
            })
        };
        assert!(answer_body(answer(200), 1).unwrap().contains("Exception"));
        assert_eq!(
            answer_body(answer(400), 1).unwrap_err().code(),
            "NotAuthorizedException"
        );
        let timeout = answer_body(Err(TransportError::Timeout), 250).unwrap_err();
        assert_eq!(
            (timeout.code(), timeout.retryable()),
            ("TimeoutError", true)
        );
        let network = answer_body(Err(TransportError::Network("down".into())), 1);
        assert_eq!(network.unwrap_err().code(), "NetworkError");
        let unreadable = answer_body(Err(TransportError::Unreadable("big".into())), 1);
        assert_eq!(unreadable.unwrap_err().code(), "InvalidResponseError");
    }

    #[test]
    fn a_sign_out_sends_global_sign_out_first_and_revokes_only_after_it_succeeded() {
        use super::{sign_out_session, CallOptions, Parts};
        use crate::config::ClientConfig;
        use crate::held::Held;
        use crate::session::Session;
        use crate::storage::{MemoryStore, StorageKeys};
        use crate::testing::{block_on, unsigned_jwt, Scripted};
        let t = unsigned_jwt(r#"{"username":"ann","exp":5}"#);
        let refused = r#"{"__type":"NotAuthorizedException","message":"m"}"#;
        // (global, refresh token, answers) -> (operations sent, the result's error code)
        type Case<'a> = (
            bool,
            bool,
            &'a [(u16, &'a str)],
            &'a [&'a str],
            Option<&'a str>,
        );
        let cases: [Case; 5] = [
            (
                true,
                true,
                &[(200, "{}"), (200, "{}")],
                &["GlobalSignOut", "RevokeToken"],
                None,
            ),
            (
                true,
                true,
                &[(400, refused)],
                &["GlobalSignOut"],
                Some("NotAuthorizedException"),
            ),
            (false, true, &[(200, "{}")], &["RevokeToken"], None),
            (true, false, &[(200, "{}")], &["GlobalSignOut"], None),
            (false, false, &[], &[], None),
        ];
        for (global, with_refresh, answers, sent, error) in cases {
            let refresh = with_refresh.then(|| "r-1".into());
            let session = Session::restore(&t, &t, refresh, 0).unwrap();
            let platform = Scripted::default();
            for &(status, body) in answers {
                platform.answer(status, body);
            }
            let (store, keys, held) = (
                MemoryStore::default(),
                StorageKeys::new("c1"),
                Held::default(),
            );
            let config = ClientConfig::new("us-east-1_abc", "c1", None, None).unwrap();
            let options = CallOptions::default();
            let parts = Parts {
                platform: &&platform,
                store: &store,
                keys: &keys,
                held: &held,
                config: &config,
                options: &options,
            };
            let result = block_on(sign_out_session(&parts, &session, global));
            assert_eq!(
                platform.operations(),
                sent,
                "global {global}, refresh {with_refresh}"
            );
            assert_eq!(result.err().map(|e| e.code().to_owned()).as_deref(), error);
            assert_eq!(held.current(), None, "forgotten locally either way");
        }
    }

    #[test]
    fn a_sign_out_is_of_the_stored_session_else_the_held_one() {
        use super::signing_out;
        use crate::held::Held;
        use crate::session::Session;
        let t = crate::testing::unsigned_jwt(r#"{"username":"ann","exp":5}"#);
        let ann = Session::restore(&t, &t, None, 0).unwrap();
        let held = Held::default();
        assert_eq!(signing_out(None, &held), None);
        held.hold_unpersisted(ann.clone());
        assert_eq!(signing_out(None, &held), Some(ann.clone()));
        let u = crate::testing::unsigned_jwt(r#"{"username":"bob","exp":5}"#);
        let bob = Session::restore(&u, &u, None, 0).unwrap();
        assert_eq!(signing_out(Some(&bob), &held), Some(bob));
    }

    #[test]
    fn sign_in_options_pick_the_flow() {
        for (flow, srp, preferred, expected) in [
            (None, None, None, AuthFlow::UserSrp),
            (Some("USER_SRP_AUTH"), None, None, AuthFlow::UserSrp),
            (
                Some("USER_PASSWORD_AUTH"),
                None,
                None,
                AuthFlow::UserPassword,
            ),
            (Some("CUSTOM_AUTH"), None, None, AuthFlow::Custom),
            (Some("CUSTOM_AUTH"), Some(false), None, AuthFlow::Custom),
            (
                Some("CUSTOM_AUTH"),
                Some(true),
                None,
                AuthFlow::CustomWithSrp,
            ),
            (Some("USER_AUTH"), None, None, AuthFlow::UserAuth(None)),
            (
                Some("USER_AUTH"),
                None,
                Some("PASSWORD_SRP"),
                AuthFlow::UserAuth(Some(FirstFactor::PasswordSrp)),
            ),
        ] {
            let parsed = AuthFlow::parse(flow, srp, preferred);
            assert_eq!(
                parsed.ok(),
                Some(expected),
                "{flow:?} {srp:?} {preferred:?}"
            );
        }
        assert!(AuthFlow::UserAuth(Some(FirstFactor::PasswordSrp)).needs_password());
        assert!(!AuthFlow::UserAuth(None).needs_password());
        for (flow, srp, preferred) in [
            (Some("USER_SRP_AUTH"), Some(true), None),
            (None, Some(false), None),
            (Some("custom_auth"), None, None),
            (Some("CUSTOM_AUTH_X"), None, None),
            (Some("USER_AUTH"), None, Some("SMS_MFA")),
            (None, None, Some("EMAIL_OTP")),
            (Some("USER_SRP_AUTH"), None, Some("EMAIL_OTP")),
            (Some("CUSTOM_AUTH"), Some(true), Some("EMAIL_OTP")),
        ] {
            let e = AuthFlow::parse(flow, srp, preferred).unwrap_err();
            assert_eq!(
                e.code(),
                "InvalidParameterError",
                "{flow:?} {srp:?} {preferred:?}"
            );
        }
    }
}

//! The whole sign-in as one state machine: InitiateAuth → PASSWORD_VERIFIER → DEVICE_SRP_AUTH →
//! DEVICE_PASSWORD_VERIFIER → the user's challenges → ConfirmDevice.
//!
//! [`SignIn::next`] is pure: the state and what the last [`Step`] brought back ([`Input`]) give
//! the next step; the clock and the random source come in as [`Fresh`]. The driver at the end
//! ([`drive`] over a [`SignInClient`]: a client's [`Parts`], devices and context provider, so the
//! generic [`Cognito`] and the browser's restore module share it) only carries out each step: a call through
//! [`call`], a storage read or write.
//!
//! The flow, as amazon-cognito-identity-js 6.x runs it:
//! - InitiateAuth (USER_SRP_AUTH with `SRP_A`, USER_PASSWORD_AUTH with `PASSWORD`, CUSTOM_AUTH
//!   with `USERNAME` only, or with `SRP_A` and `CHALLENGE_NAME: "SRP_A"`), with the `DEVICE_KEY`
//!   stored for the typed name.
//! - PASSWORD_VERIFIER is answered as `USER_ID_FOR_SRP`, with the device stored for the typed
//!   name, else the one stored for `USER_ID_FOR_SRP`.
//! - With a device, DEVICE_SRP_AUTH is answered with a fresh `SRP_A`, then DEVICE_PASSWORD_VERIFIER
//!   with `deviceGroupKey` for the pool name, `deviceKey` for the user id and the device password
//!   ([`crate::srp::device`]). Without one, DEVICE_SRP_AUTH is a challenge like any other.
//! - Tokens: the session is held and stored; with [`DeviceOptions::remember`] and
//!   `NewDeviceMetadata`, ConfirmDevice with a fresh verifier, then the device is stored.
//! - Any other challenge stops the sign-in ([`SignInStep::Challenge`]) until the user answers it
//!   ([`SignIn::answer`]). CUSTOM_CHALLENGE is answered with the `DEVICE_KEY` stored for its
//!   user, and a DEVICE_SRP_AUTH after it is answered as after the password; a wrong answer is
//!   a new CUSTOM_CHALLENGE (or NotAuthorizedException) as the pool's triggers decide.
//! - A device Cognito no longer knows (ResourceNotFoundException about a device): once the
//!   password has been answered with it, it is removed from storage; and a first attempt that
//!   fails so removes the typed name's device and is tried once more without a device.
//!
//! - `USER_AUTH` ([`AuthFlow::UserAuth`], `src/user_auth.rs`): InitiateAuth with
//!   `PREFERRED_CHALLENGE` (and `PASSWORD` or `SRP_A` for the password factors; with the
//!   `Session` of SignUp / ConfirmSignUp for an auto sign-in); SELECT_CHALLENGE stops the
//!   sign-in, and its answer (`State::Select`) is sent with `PASSWORD` or a fresh `SRP_A`, then
//!   continues as after InitiateAuth (PASSWORD_VERIFIER, the user's challenges, devices).
//!
//! A new challenge kind is one more `State` and one more arm of [`SignIn::next`].

use crate::prelude::*;
use core::future::Future;

use zeroize::Zeroize;

use crate::challenge::{challenge_responses, ChallengeAnswer, PendingChallenge, SignInStep};
use crate::client::{call, require, AuthFlow, Cognito, DeviceOptions, Parts};
use crate::context_data::ContextSource;
use crate::error::Error;
use crate::held::adopt_held;
use crate::map::VecMap;
use crate::secret::SecretString;
use crate::secret_hash::secret_hash;
use crate::session::Session;
use crate::srp::device::{
    device_verifier_from_random, respond_to_device_password_verifier, RANDOM_BYTES,
};
use crate::srp::{
    respond_to_password_verifier, ClientEphemeral, PasswordVerifierChallenge, SrpError,
};
use crate::storage::{stored_device, write_device, DeviceSecrets, TokenStore};
use crate::transport::Platform;
#[cfg(any(feature = "user-auth", not(feature = "signin")))]
use crate::user_auth::{select_responses, FirstFactor};
use crate::wire::{
    AuthResponse, ConfirmDeviceRequest, InitiateAuthRequest, NewDeviceMetadata, Operation,
    RespondToAuthChallengeRequest,
};

/// What a sign-in knows of its client.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'a> {
    pub client_id: &'a str,
    /// The pool id's part after `_`: PASSWORD_VERIFIER's pool name.
    pub pool_name: &'a str,
    pub client_secret: Option<&'a SecretString>,
    pub devices: &'a DeviceOptions,
    pub client_metadata: Option<&'a VecMap<String, String>>,
    /// `UserContextData` of each InitiateAuth and RespondToAuthChallenge, asked with the
    /// request's `USERNAME`.
    pub context: ContextSource<'a>,
}

/// What a step draws on besides its input: the clock and the random source.
#[derive(Debug, Clone, Copy)]
pub struct Fresh {
    pub now_ms: u64,
    /// Fills the buffer with secure random bytes.
    pub random: fn(&mut [u8]) -> Result<(), SrpError>,
}

/// What the driver does next.
#[derive(Debug)]
pub enum Step {
    /// Send InitiateAuth, RespondToAuthChallenge or ConfirmDevice with this body:
    /// [`Input::Answer`] (ConfirmDevice's answer, `UserConfirmationNecessary` only, reads as an
    /// empty one: only its success counts).
    Call(Operation, String),
    /// Read the device stored for this name (a failing store reads as none): [`Input::Device`].
    LoadDevice(String),
    /// Hold the session [`SignIn::adopting`] gives and store it: [`Input::Written`].
    Adopt,
    /// Store this device for this name, or with `None` remove the one stored for it:
    /// [`Input::Written`].
    WriteDevice(String, Option<DeviceSecrets>),
    /// The sign-in is over.
    Finish(Result<SignInStep, Error>),
}

/// What the last [`Step`] brought back.
#[derive(Debug)]
pub enum Input {
    /// Nothing yet: the first step.
    Start,
    Answer(Result<AuthResponse, Error>),
    Device(Option<DeviceSecrets>),
    Written(Result<(), Error>),
}

/// Where a sign-in stands: what it waits for.
#[derive(Debug)]
enum State<'a> {
    /// Nothing done: the device stored for the typed name is read first.
    Begin,
    /// That device is being read; InitiateAuth next.
    TypedNameDevice,
    /// InitiateAuth sent.
    Initiated {
        ephemeral: Option<ClientEphemeral>,
        device: Option<DeviceSecrets>,
    },
    /// PASSWORD_VERIFIER's answer made; the device stored for `user_id` is being read.
    UserIdDevice {
        user_id: String,
        responses: VecMap<String, String>,
        session: Option<String>,
    },
    /// PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER or the user's answer sent: with `device`
    /// (the password's, or CUSTOM_CHALLENGE's with its key), DEVICE_SRP_AUTH may follow.
    AfterPassword {
        username: String,
        device: Option<DeviceSecrets>,
    },
    /// DEVICE_SRP_AUTH sent.
    DeviceSrpSent {
        username: String,
        device: DeviceSecrets,
        ephemeral: ClientEphemeral,
    },
    /// The user's answer to `pending` is to be sent.
    Answer {
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
    },
    /// CUSTOM_CHALLENGE's answer: the device stored for the challenge's user is being read.
    CustomAnswerDevice {
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
    },
    /// The user's choice at SELECT_CHALLENGE is to be sent; then as after InitiateAuth.
    #[cfg_attr(
        not(any(feature = "user-auth", not(feature = "signin"))),
        allow(dead_code)
    )]
    Select {
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
    },
    /// The session is being held and stored.
    Adopting {
        session: Session,
        new_device: Option<NewDeviceMetadata>,
    },
    /// ConfirmDevice sent.
    Confirming {
        session: Session,
        device: DeviceSecrets,
    },
    /// The confirmed device is being stored.
    SavingDevice { session: Session },
    /// A stale device is being removed, then the one for `next`; then `error` ends the
    /// sign-in, or it is tried again.
    Clearing {
        error: Error,
        retry: bool,
        next: Option<String>,
    },
    /// Over (or stepped after a failure).
    Done,
}

/// The typed credentials of a sign-in.
#[derive(Debug, Clone, Copy)]
struct Credentials<'a> {
    username: &'a str,
    /// `None` for a SELECT_CHALLENGE answered without one.
    password: Option<&'a SecretString>,
    flow: AuthFlow,
}

/// One sign-in, or one answer to a challenge, from its first request to its outcome.
#[derive(Debug)]
pub struct SignIn<'a> {
    settings: Settings<'a>,
    credentials: Option<Credentials<'a>>,
    /// The caller's `A` for the first USER_SRP_AUTH (made ahead of time).
    ephemeral: Option<ClientEphemeral>,
    state: State<'a>,
    /// The name whose stored device the password was answered with: removed when stale.
    device_user: Option<String>,
    /// Whether a stale device may still have the sign-in tried again without it.
    may_retry: bool,
    /// InitiateAuth's `Session` (SignUp's or ConfirmSignUp's, for `USER_AUTH`).
    initiate_session: Option<&'a str>,
}

impl<'a> SignIn<'a> {
    /// A sign-in with `username` and `password` by `flow`; `ephemeral` is USER_SRP_AUTH's `A`
    /// (a fresh one when `None`).
    pub fn new(
        settings: Settings<'a>,
        username: &'a str,
        password: &'a SecretString,
        flow: AuthFlow,
        ephemeral: Option<ClientEphemeral>,
    ) -> Self {
        SignIn {
            settings,
            credentials: Some(Credentials {
                username,
                password: Some(password),
                flow,
            }),
            ephemeral,
            state: State::Begin,
            device_user: None,
            may_retry: true,
            initiate_session: None,
        }
    }

    /// InitiateAuth carries `session` (a `USER_AUTH` auto sign-in after sign-up).
    pub fn with_session(mut self, session: Option<&'a str>) -> Self {
        self.initiate_session = session;
        self
    }

    /// The user's `answer` to the challenge a sign-in stopped at.
    pub fn answer(
        settings: Settings<'a>,
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
    ) -> Self {
        let state = match pending.name.as_str() {
            "SELECT_CHALLENGE" => State::Select { pending, answer },
            _ => State::Answer { pending, answer },
        };
        SignIn {
            settings,
            credentials: None,
            ephemeral: None,
            state,
            device_user: None,
            may_retry: false,
            initiate_session: None,
        }
    }

    /// The session a [`Step::Adopt`] is to hold and store.
    pub fn adopting(&self) -> Option<&Session> {
        match &self.state {
            State::Adopting { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The step after `input`, the outcome of the last step ([`Input::Start`] first).
    pub fn next(&mut self, input: Input, fresh: Fresh) -> Step {
        match self.advance(input, fresh) {
            Ok(step) => step,
            Err(e) => self.fail(e),
        }
    }

    fn advance(&mut self, input: Input, fresh: Fresh) -> Result<Step, Error> {
        let state = core::mem::replace(&mut self.state, State::Done);
        // A failed call or write ends the step whatever the state (Clearing ignores its writes).
        let input = match input {
            Input::Answer(Err(e)) => return Err(e),
            Input::Written(Err(e)) if !matches!(state, State::Clearing { .. }) => return Err(e),
            input => input,
        };
        match (state, input) {
            (State::Begin, Input::Start) => {
                self.state = State::TypedNameDevice;
                Ok(Step::LoadDevice(self.credentials()?.username.to_owned()))
            }
            (State::TypedNameDevice, Input::Device(device)) => {
                let c = self.credentials()?;
                require("username", c.username)?;
                if c.flow.needs_password() {
                    require("password", self.password()?.expose_secret())?;
                }
                let ephemeral = self.ephemeral.take();
                self.initiate(ephemeral, device, fresh)
            }
            (State::Initiated { ephemeral, device }, Input::Answer(Ok(answer))) => {
                match (answer.challenge_name.as_deref(), ephemeral) {
                    (Some("PASSWORD_VERIFIER"), Some(ephemeral)) => {
                        self.password_verifier(answer, &ephemeral, device, fresh)
                    }
                    _ => {
                        let username = self.credentials()?.username.to_owned();
                        self.after_password(answer, username, device, fresh)
                    }
                }
            }
            (
                State::UserIdDevice {
                    user_id,
                    responses,
                    session,
                },
                Input::Device(device),
            ) => Ok(self.send_password_verifier(user_id, responses, session, device)),
            (State::AfterPassword { username, device }, Input::Answer(Ok(answer))) => {
                self.after_password(answer, username, device, fresh)
            }
            (
                State::DeviceSrpSent {
                    username,
                    device,
                    ephemeral,
                },
                Input::Answer(Ok(answer)),
            ) => self.device_password_verifier(answer, username, &device, &ephemeral, fresh),
            (State::Answer { pending, answer }, Input::Start)
                if pending.name == "CUSTOM_CHALLENGE" =>
            {
                self.state = State::CustomAnswerDevice { pending, answer };
                Ok(Step::LoadDevice(pending.username.clone()))
            }
            (State::CustomAnswerDevice { pending, answer }, Input::Device(device)) => {
                self.send_answer(pending, answer, device)
            }
            (State::Answer { pending, answer }, Input::Start) => {
                self.send_answer(pending, answer, None)
            }
            #[cfg(any(feature = "user-auth", not(feature = "signin")))]
            (State::Select { pending, answer }, Input::Start) => {
                self.select(pending, answer, fresh)
            }
            #[cfg(not(any(feature = "user-auth", not(feature = "signin"))))]
            (State::Select { .. }, Input::Start) => Err(crate::client::no_user_auth()),
            (
                State::Adopting {
                    session,
                    new_device,
                },
                Input::Written(Ok(())),
            ) => self.confirm_device(session, new_device, fresh),
            (State::Confirming { session, device }, Input::Answer(Ok(_))) => {
                let username = session.username.clone();
                self.state = State::SavingDevice { session };
                Ok(Step::WriteDevice(username, Some(device)))
            }
            (State::SavingDevice { session }, Input::Written(Ok(()))) => {
                Ok(Step::Finish(Ok(SignInStep::SignedIn(session))))
            }
            (State::Clearing { error, retry, next }, Input::Written(_)) => {
                if let Some(name) = next {
                    self.state = State::Clearing {
                        error,
                        retry,
                        next: None,
                    };
                    Ok(Step::WriteDevice(name, None))
                } else if retry {
                    self.initiate(None, None, fresh)
                } else {
                    Ok(Step::Finish(Err(error)))
                }
            }
            (_, _) => Err(Error::invalid_parameter("sign-in stepped out of order")),
        }
    }

    fn credentials(&self) -> Result<Credentials<'a>, Error> {
        self.credentials
            .ok_or_else(|| Error::invalid_parameter("sign-in stepped out of order"))
    }

    fn password(&self) -> Result<&'a SecretString, Error> {
        self.credentials()?
            .password
            .ok_or_else(|| Error::invalid_parameter("password is required"))
    }

    /// SELECT_CHALLENGE's answer: `ANSWER`, with `PASSWORD` or a fresh `SRP_A`; its outcome is
    /// read as InitiateAuth's ([`State::Initiated`], no device yet).
    #[cfg(any(feature = "user-auth", not(feature = "signin")))]
    fn select(
        &mut self,
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        let (factor, mut responses) = select_responses(pending, answer)?;
        self.credentials = Some(Credentials {
            username: &pending.username,
            password: answer.password.as_ref(),
            flow: AuthFlow::UserAuth(Some(factor)),
        });
        let ephemeral = match factor {
            FirstFactor::PasswordSrp => Some(new_ephemeral(fresh)?),
            _ => None,
        };
        if let Some(ephemeral) = &ephemeral {
            responses.insert("SRP_A".into(), ephemeral.public_hex());
        }
        self.add_secret_hash(&mut responses, &pending.username);
        let step = self.respond(&pending.name, responses, pending.session.as_deref());
        self.state = State::Initiated {
            ephemeral,
            device: None,
        };
        Ok(step)
    }

    /// InitiateAuth with `device`'s key; USER_SRP_AUTH with `ephemeral` or a fresh one.
    fn initiate(
        &mut self,
        ephemeral: Option<ClientEphemeral>,
        device: Option<DeviceSecrets>,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        let c = self.credentials()?;
        let secret_hash = self.secret_hash(c.username);
        let mut parameters = VecMap::from([("USERNAME", c.username)]);
        if let Some(hash) = &secret_hash {
            parameters.insert("SECRET_HASH", hash);
        }
        // (AuthFlow, sends PASSWORD, sends SRP_A)
        let (flow_name, password, srp) = match c.flow {
            AuthFlow::UserPassword => ("USER_PASSWORD_AUTH", true, false),
            AuthFlow::Custom => ("CUSTOM_AUTH", false, false),
            AuthFlow::CustomWithSrp => {
                parameters.insert("CHALLENGE_NAME", "SRP_A");
                ("CUSTOM_AUTH", false, true)
            }
            AuthFlow::UserSrp => ("USER_SRP_AUTH", false, true),
            #[cfg(not(any(feature = "user-auth", not(feature = "signin"))))]
            AuthFlow::UserAuth(_) => return Err(crate::client::no_user_auth()),
            #[cfg(any(feature = "user-auth", not(feature = "signin")))]
            AuthFlow::UserAuth(preferred) => {
                if let Some(factor) = preferred {
                    parameters.insert("PREFERRED_CHALLENGE", factor.name());
                }
                (
                    "USER_AUTH",
                    preferred == Some(FirstFactor::Password),
                    preferred == Some(FirstFactor::PasswordSrp),
                )
            }
        };
        if password {
            parameters.insert("PASSWORD", self.password()?.expose_secret());
        }
        let ephemeral = match (srp, ephemeral) {
            (false, _) => None,
            (true, Some(ephemeral)) => Some(ephemeral),
            (true, None) => Some(new_ephemeral(fresh)?),
        };
        let a_hex = ephemeral.as_ref().map(ClientEphemeral::public_hex);
        if let Some(a_hex) = &a_hex {
            parameters.insert("SRP_A", a_hex);
        }
        if let Some(device) = &device {
            parameters.insert("DEVICE_KEY", &device.device_key);
        }
        let body = InitiateAuthRequest {
            auth_flow: flow_name,
            client_id: self.settings.client_id,
            auth_parameters: parameters.as_slice(),
            client_metadata: self.settings.client_metadata,
            user_context_data: self.settings.context.for_user(c.username),
            session: self.initiate_session,
        }
        .to_json();
        self.state = State::Initiated { ephemeral, device };
        Ok(Step::Call(Operation::InitiateAuth, body))
    }

    /// PASSWORD_VERIFIER's answer; without a device yet, the one stored for `USER_ID_FOR_SRP`
    /// is read first.
    fn password_verifier(
        &mut self,
        answer: AuthResponse,
        ephemeral: &ClientEphemeral,
        device: Option<DeviceSecrets>,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        let password = self.password()?;
        let challenge = PasswordVerifierChallenge::from_parameters(&answer.challenge_parameters)?;
        let response = respond_to_password_verifier(
            self.settings.pool_name,
            password,
            ephemeral,
            &challenge,
            fresh.now_ms / 1000,
        )?;
        let user_id = challenge.user_id_for_srp;
        let mut responses = response.into_parameters();
        self.add_secret_hash(&mut responses, &user_id);
        if device.is_some() {
            return Ok(self.send_password_verifier(user_id, responses, answer.session, device));
        }
        self.state = State::UserIdDevice {
            user_id: user_id.clone(),
            responses,
            session: answer.session,
        };
        Ok(Step::LoadDevice(user_id))
    }

    fn send_password_verifier(
        &mut self,
        user_id: String,
        mut responses: VecMap<String, String>,
        session: Option<String>,
        device: Option<DeviceSecrets>,
    ) -> Step {
        if let Some(device) = &device {
            responses.insert("DEVICE_KEY".into(), device.device_key.clone());
            self.device_user = Some(user_id.clone());
        }
        let step = self.respond("PASSWORD_VERIFIER", responses, session.as_deref());
        self.state = State::AfterPassword {
            username: user_id,
            device,
        };
        step
    }

    /// The user's `answer` to `pending`, with `device`'s key (CUSTOM_CHALLENGE's stored device).
    fn send_answer(
        &mut self,
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
        device: Option<DeviceSecrets>,
    ) -> Result<Step, Error> {
        let mut responses = challenge_responses(pending, answer)?;
        if let Some(device) = &device {
            responses.insert("DEVICE_KEY".into(), device.device_key.clone());
            self.device_user = Some(pending.username.clone());
        }
        self.add_secret_hash(&mut responses, &pending.username);
        let step = self.respond(&pending.name, responses, pending.session.as_deref());
        self.state = State::AfterPassword {
            username: pending.username.clone(),
            device,
        };
        Ok(step)
    }

    /// After the password: with a device, DEVICE_SRP_AUTH is answered with a fresh `A`;
    /// anything else concludes.
    fn after_password(
        &mut self,
        answer: AuthResponse,
        user_id: String,
        device: Option<DeviceSecrets>,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        let Some(device) = device else {
            return self.conclude(answer, &user_id, fresh);
        };
        self.device_user = Some(user_id.clone());
        if answer.challenge_name.as_deref() != Some("DEVICE_SRP_AUTH") {
            return self.conclude(answer, &user_id, fresh);
        }
        let ephemeral = new_ephemeral(fresh)?;
        let username = parameter(&answer, "USERNAME").unwrap_or(user_id);
        let mut responses = VecMap::from([
            ("USERNAME".to_owned(), username.clone()),
            ("DEVICE_KEY".to_owned(), device.device_key.clone()),
            ("SRP_A".to_owned(), ephemeral.public_hex()),
        ]);
        self.add_secret_hash(&mut responses, &username);
        let step = self.respond("DEVICE_SRP_AUTH", responses, answer.session.as_deref());
        self.state = State::DeviceSrpSent {
            username,
            device,
            ephemeral,
        };
        Ok(step)
    }

    /// DEVICE_PASSWORD_VERIFIER's answer (anything else concludes).
    fn device_password_verifier(
        &mut self,
        answer: AuthResponse,
        username: String,
        device: &DeviceSecrets,
        ephemeral: &ClientEphemeral,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        if answer.challenge_name.as_deref() != Some("DEVICE_PASSWORD_VERIFIER") {
            return self.conclude(answer, &username, fresh);
        }
        let username = parameter(&answer, "USERNAME").unwrap_or(username);
        let mut responses = respond_to_device_password_verifier(
            &username,
            &device.device_key,
            &device.device_group_key,
            &device.password,
            ephemeral,
            &answer.challenge_parameters,
            fresh.now_ms / 1000,
        )?;
        self.add_secret_hash(&mut responses, &username);
        let step = self.respond(
            "DEVICE_PASSWORD_VERIFIER",
            responses,
            answer.session.as_deref(),
        );
        self.state = State::AfterPassword {
            username,
            device: None,
        };
        Ok(step)
    }

    /// Tokens → the session is held and stored; a challenge → the sign-in stops at it; anything
    /// else is malformed.
    fn conclude(
        &mut self,
        answer: AuthResponse,
        username: &str,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        if let Some(result) = answer.authentication_result {
            let session = Session::from_result(&result, None, fresh.now_ms)?;
            self.state = State::Adopting {
                session,
                new_device: result.new_device_metadata,
            };
            return Ok(Step::Adopt);
        }
        match answer.challenge_name {
            Some(name) if !name.is_empty() => {
                let p = &answer.challenge_parameters;
                let username = match p.get("USER_ID_FOR_SRP") {
                    Some(name) => name,
                    None => p.get("USERNAME").map_or(username, String::as_str),
                }
                .to_owned();
                Ok(Step::Finish(Ok(SignInStep::Challenge(PendingChallenge {
                    name,
                    session: answer.session,
                    username,
                    parameters: answer.challenge_parameters,
                    available_challenges: answer.available_challenges,
                }))))
            }
            _ => Err(Error::invalid_response(
                "answer has neither tokens nor a challenge",
            )),
        }
    }

    /// With [`DeviceOptions::remember`] and `NewDeviceMetadata`: ConfirmDevice with a fresh
    /// verifier; else signed in.
    fn confirm_device(
        &mut self,
        session: Session,
        new_device: Option<NewDeviceMetadata>,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        let (Some(metadata), true) = (new_device, self.settings.devices.remember) else {
            return Ok(Step::Finish(Ok(SignInStep::SignedIn(session))));
        };
        let mut random = [0u8; RANDOM_BYTES];
        let verifier = match (fresh.random)(&mut random) {
            Ok(()) => device_verifier_from_random(
                &metadata.device_group_key,
                &metadata.device_key,
                &random,
            ),
            Err(e) => Err(e),
        };
        random.zeroize();
        let verifier = verifier?;
        let body = ConfirmDeviceRequest {
            access_token: session.access_token.expose_secret(),
            device_key: &metadata.device_key,
            password_verifier: &verifier.password_verifier,
            salt: &verifier.salt,
            device_name: self.settings.devices.device_name.as_deref(),
        }
        .to_json();
        self.state = State::Confirming {
            session,
            device: DeviceSecrets {
                device_key: metadata.device_key,
                device_group_key: metadata.device_group_key,
                password: verifier.password,
            },
        };
        Ok(Step::Call(Operation::ConfirmDevice, body))
    }

    /// `e` ends the sign-in, unless it says a device is stale: then the stale devices are removed
    /// and, on a first attempt, the sign-in is tried once more without a device.
    fn fail(&mut self, error: Error) -> Step {
        self.state = State::Done;
        if !error.is_stale_device() {
            return Step::Finish(Err(error));
        }
        // The typed name's device first (on a retry), then the password's.
        let device_user = self.device_user.take();
        let (first, next, retry) = match self.credentials {
            Some(c) if self.may_retry => (Some(c.username.to_owned()), device_user, true),
            _ => (device_user, None, false),
        };
        self.may_retry = false;
        let Some(first) = first else {
            return Step::Finish(Err(error));
        };
        self.state = State::Clearing { error, retry, next };
        Step::WriteDevice(first, None)
    }

    /// RespondToAuthChallenge `name` with `responses`.
    fn respond(
        &self,
        name: &str,
        responses: VecMap<String, String>,
        session: Option<&str>,
    ) -> Step {
        let user_context_data = match responses.get("USERNAME") {
            Some(username) => self.settings.context.for_user(username),
            None => None,
        };
        let body = RespondToAuthChallengeRequest {
            challenge_name: name,
            client_id: self.settings.client_id,
            challenge_responses: responses,
            session,
            client_metadata: self.settings.client_metadata,
            user_context_data,
        };
        Step::Call(Operation::RespondToAuthChallenge, body.to_json())
    }

    fn secret_hash(&self, username: &str) -> Option<String> {
        let secret = self.settings.client_secret?;
        Some(secret_hash(secret, username, self.settings.client_id))
    }

    fn add_secret_hash(&self, responses: &mut VecMap<String, String>, username: &str) {
        if let Some(hash) = self.secret_hash(username) {
            responses.insert("SECRET_HASH".into(), hash);
        }
    }
}

/// A fresh `A` from `fresh`'s random source.
fn new_ephemeral(fresh: Fresh) -> Result<ClientEphemeral, SrpError> {
    ClientEphemeral::from_random(fresh.random)
}

fn parameter(answer: &AuthResponse, name: &str) -> Option<String> {
    answer.challenge_parameters.get(name).cloned()
}

/// A client as a sign-in drives it: its parts ([`Parts`]), its devices and its context
/// provider. Whichever client holds them (the generic [`Cognito`], or the browser's restore
/// module) signs in through [`sign_in`] and [`respond_to_challenge`], so the driver is written
/// once.
pub trait SignInClient {
    type Platform: Platform;
    type Store: TokenStore;
    fn parts(&self) -> Parts<'_, Self::Platform, Self::Store>;
    fn devices(&self) -> &DeviceOptions;
    fn context(&self) -> ContextSource<'_>;
}

/// Signs in: USER_SRP_AUTH (with `ephemeral`, made by the caller so it can be computed ahead
/// of time), USER_PASSWORD_AUTH or CUSTOM_AUTH ([`AuthFlow`]; `password` unused by
/// [`AuthFlow::Custom`]), with the device stored for `username`. Ends signed in or at a
/// challenge.
pub fn sign_in<'a, C: SignInClient>(
    client: &'a C,
    username: &'a str,
    password: &'a SecretString,
    flow: AuthFlow,
    ephemeral: Option<ClientEphemeral>,
    client_metadata: Option<&'a VecMap<String, String>>,
) -> impl Future<Output = Result<SignInStep, Error>> + 'a {
    let machine = SignIn::new(
        settings(client, client_metadata),
        username,
        password,
        flow,
        ephemeral,
    );
    drive(client, machine)
}

/// Answers a challenge [`sign_in`] stopped at.
pub fn respond_to_challenge<'a, C: SignInClient>(
    client: &'a C,
    pending: &'a PendingChallenge,
    answer: &'a ChallengeAnswer,
    client_metadata: Option<&'a VecMap<String, String>>,
) -> impl Future<Output = Result<SignInStep, Error>> + 'a {
    let machine = SignIn::answer(settings(client, client_metadata), pending, answer);
    drive(client, machine)
}

/// What the state machine knows of `client`: ids, secret, devices, context.
pub fn settings<'a, C: SignInClient>(
    client: &'a C,
    client_metadata: Option<&'a VecMap<String, String>>,
) -> Settings<'a> {
    let config = client.parts().config;
    Settings {
        client_id: &config.client_id,
        pool_name: config.user_pool.pool_name(),
        client_secret: config.client_secret.as_ref(),
        devices: client.devices(),
        client_metadata,
        context: client.context(),
    }
}

/// Carries out each step of `machine` until it finishes: a call through [`call`], the device
/// and session reads and writes on the client's store and held session.
pub async fn drive<C: SignInClient>(
    client: &C,
    mut machine: SignIn<'_>,
) -> Result<SignInStep, Error> {
    let mut input = Input::Start;
    loop {
        let Parts {
            platform,
            store,
            keys,
            held,
            config,
            options,
        } = client.parts();
        let fresh = Fresh {
            now_ms: platform.now_ms(),
            random: crate::srp::os_random,
        };
        input = match machine.next(input, fresh) {
            Step::Call(op, body) => {
                Input::Answer(call(platform, &config.endpoint, options, op, body).await)
            }
            Step::LoadDevice(name) => Input::Device(stored_device(store, keys, &name).await),
            Step::Adopt => Input::Written(match machine.adopting() {
                Some(session) => adopt_held(held, store, keys, session).await,
                None => Ok(()),
            }),
            Step::WriteDevice(name, device) => {
                Input::Written(write_device(store, keys, &name, device.as_ref()).await)
            }
            Step::Finish(outcome) => return outcome,
        };
    }
}

impl<P: Platform, S: TokenStore> SignInClient for Cognito<P, S> {
    type Platform = P;
    type Store = S;

    fn parts(&self) -> Parts<'_, P, S> {
        Cognito::parts(self)
    }

    fn devices(&self) -> &DeviceOptions {
        self.device_options()
    }

    fn context(&self) -> ContextSource<'_> {
        self.context_source()
    }
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// [`sign_in()`] with this client.
    pub fn sign_in<'a>(
        &'a self,
        username: &'a str,
        password: &'a SecretString,
        flow: AuthFlow,
        ephemeral: Option<ClientEphemeral>,
        client_metadata: Option<&'a VecMap<String, String>>,
    ) -> impl Future<Output = Result<SignInStep, Error>> + 'a {
        sign_in(self, username, password, flow, ephemeral, client_metadata)
    }

    /// Signs in `username` right after sign-up: `USER_AUTH` with the `Session` SignUp or
    /// ConfirmSignUp returned (no password). Ends signed in or at a challenge.
    pub async fn sign_in_with_session(
        &self,
        username: &str,
        session: &str,
        client_metadata: Option<&VecMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        require("session", session)?;
        let no_password = SecretString::default();
        let machine = SignIn::new(
            settings(self, client_metadata),
            username,
            &no_password,
            AuthFlow::UserAuth(None),
            None,
        )
        .with_session(Some(session));
        drive(self, machine).await
    }

    /// [`respond_to_challenge()`] with this client.
    pub fn respond_to_challenge<'a>(
        &'a self,
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
        client_metadata: Option<&'a VecMap<String, String>>,
    ) -> impl Future<Output = Result<SignInStep, Error>> + 'a {
        respond_to_challenge(self, pending, answer, client_metadata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jwt::fake_jwt;
    use crate::secret::SecretBytes;
    use crate::srp::group::Group;
    use crate::wire::decode;
    use base64::Engine;
    use serde_json::{json, Value};

    fn sevens(buffer: &mut [u8]) -> Result<(), SrpError> {
        buffer.fill(7);
        Ok(())
    }

    fn broken(_: &mut [u8]) -> Result<(), SrpError> {
        Err(SrpError::RandomSource)
    }

    const NOW_MS: u64 = 1_000_000_000_000;
    const FRESH: Fresh = Fresh {
        now_ms: NOW_MS,
        random: sevens,
    };

    struct Client {
        secret: Option<SecretString>,
        devices: DeviceOptions,
        password: SecretString,
    }

    impl Client {
        fn new(secret: Option<&str>, remember: bool) -> Self {
            Client {
                secret: secret.map(SecretString::from),
                devices: DeviceOptions {
                    remember,
                    device_name: Some("phone".into()),
                },
                password: "Passw0rd!".into(),
            }
        }

        fn settings(&self) -> Settings<'_> {
            Settings {
                client_id: "client1",
                pool_name: "Pool1",
                client_secret: self.secret.as_ref(),
                devices: &self.devices,
                client_metadata: None,
                context: ContextSource::default(),
            }
        }

        fn sign_in(&self, username: &'static str, flow: AuthFlow) -> SignIn<'_> {
            SignIn::new(self.settings(), username, &self.password, flow, None)
        }
    }

    fn device() -> DeviceSecrets {
        DeviceSecrets {
            device_key: "us-east-1_dk".into(),
            device_group_key: "-grp".into(),
            password: "device-password".into(),
        }
    }

    fn answer(body: Value) -> Input {
        Input::Answer(decode(Operation::InitiateAuth, &body.to_string()))
    }

    fn service_error(name: &str, message: &str) -> Input {
        Input::Answer(Err(crate::wire::parse_error(
            400,
            None,
            &json!({"__type": name, "message": message}).to_string(),
        )))
    }

    /// A PASSWORD_VERIFIER-shaped challenge (valid `B`, salt and secret block).
    fn verifier_challenge(name: &str, user_id: &str) -> Value {
        let b = Group::cognito()
            .unwrap()
            .pow_g(&crate::srp::Uint::from(123_456_789));
        json!({
            "ChallengeName": name,
            "Session": format!("session-{name}"),
            "ChallengeParameters": {
                "SALT": "a1b2c3",
                "SRP_B": crate::srp::hex::to_hex(&b),
                "SECRET_BLOCK": base64::engine::general_purpose::STANDARD.encode(b"block"),
                "USER_ID_FOR_SRP": user_id,
                "USERNAME": user_id,
            }
        })
    }

    fn tokens(username: &str, new_device: bool) -> Value {
        let claims = json!({"username": username, "cognito:username": username,
            "iat": 1_000_000_000, "exp": 1_000_003_600});
        let mut result = json!({"AccessToken": fake_jwt(&claims), "IdToken": fake_jwt(&claims),
            "RefreshToken": "refresh", "ExpiresIn": 3600, "TokenType": "Bearer"});
        if new_device {
            result["NewDeviceMetadata"] =
                json!({"DeviceKey": "us-east-1_new", "DeviceGroupKey": "-new"});
        }
        json!({"AuthenticationResult": result, "ChallengeParameters": {}})
    }

    /// The operation and JSON body of a call step.
    fn call(step: Step) -> (Operation, Value) {
        match step {
            Step::Call(op, body) => (op, serde_json::from_str(&body).unwrap()),
            other => panic!("expected a call, got {other:?}"),
        }
    }

    fn finish(step: Step) -> Result<SignInStep, Error> {
        match step {
            Step::Finish(outcome) => outcome,
            other => panic!("expected the end, got {other:?}"),
        }
    }

    #[test]
    fn srp_with_a_stored_device_answers_every_verifier() {
        let client = Client::new(Some("shh"), false);
        let ephemeral =
            |byte| ClientEphemeral::from_secret(SecretBytes::new(vec![byte; 32])).unwrap();
        let (given, device_a) = (ephemeral(1), ephemeral(7).public_hex());
        let a = given.public_hex();
        let mut m = SignIn::new(
            client.settings(),
            "alice",
            &client.password,
            AuthFlow::UserSrp,
            Some(given),
        );
        assert!(matches!(m.next(Input::Start, FRESH), Step::LoadDevice(n) if n == "alice"));

        let (op, body) = call(m.next(Input::Device(Some(device())), FRESH));
        assert_eq!(op, Operation::InitiateAuth);
        assert_eq!(body["AuthFlow"], "USER_SRP_AUTH");
        let p = &body["AuthParameters"];
        assert_eq!(
            (&p["USERNAME"], &p["DEVICE_KEY"]),
            (&json!("alice"), &json!("us-east-1_dk"))
        );
        assert_eq!(
            p["SECRET_HASH"],
            secret_hash(&"shh".into(), "alice", "client1")
        );
        assert_eq!(p["SRP_A"], a, "the caller's A");

        let (op, body) = call(m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        ));
        assert_eq!(op, Operation::RespondToAuthChallenge);
        assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
        assert_eq!(body["Session"], "session-PASSWORD_VERIFIER");
        let r = &body["ChallengeResponses"];
        assert_eq!(
            (&r["USERNAME"], &r["DEVICE_KEY"]),
            (&json!("uid-1"), &json!("us-east-1_dk"))
        );
        assert_eq!(
            r["SECRET_HASH"],
            secret_hash(&"shh".into(), "uid-1", "client1")
        );
        assert_eq!(r["TIMESTAMP"], "Sun Sep 9 01:46:40 UTC 2001");

        let device_srp = json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s2",
            "ChallengeParameters": {"USERNAME": "uid-1"}});
        let (_, body) = call(m.next(answer(device_srp), FRESH));
        assert_eq!(body["ChallengeName"], "DEVICE_SRP_AUTH");
        let r = &body["ChallengeResponses"];
        assert_eq!(
            (&r["USERNAME"], &r["DEVICE_KEY"]),
            (&json!("uid-1"), &json!("us-east-1_dk"))
        );
        assert_eq!(r["SRP_A"], device_a, "a fresh A for the device");

        let (_, body) = call(m.next(
            answer(verifier_challenge("DEVICE_PASSWORD_VERIFIER", "ignored")),
            FRESH,
        ));
        assert_eq!(body["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
        assert_eq!(body["Session"], "session-DEVICE_PASSWORD_VERIFIER");
        let r = &body["ChallengeResponses"];
        assert_eq!(
            (&r["USERNAME"], &r["DEVICE_KEY"]),
            (&json!("ignored"), &json!("us-east-1_dk"))
        );
        assert!(r["PASSWORD_CLAIM_SIGNATURE"].is_string());

        let Step::Adopt = m.next(answer(tokens("uid-1", true)), FRESH) else {
            panic!("expected the session to be stored");
        };
        let session = m.adopting().cloned().unwrap();
        assert_eq!(session.username, "uid-1");
        let done = finish(m.next(Input::Written(Ok(())), FRESH)).unwrap();
        assert!(
            matches!(done, SignInStep::SignedIn(s) if s == session),
            "not remembering: no ConfirmDevice"
        );
    }

    #[test]
    fn a_new_device_is_confirmed_then_stored() {
        let client = Client::new(None, true);
        let mut m = client.sign_in("bob", AuthFlow::UserPassword);
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["AuthFlow"], "USER_PASSWORD_AUTH");
        assert_eq!(body["AuthParameters"]["PASSWORD"], "Passw0rd!");
        assert!(body["AuthParameters"].get("SRP_A").is_none());
        assert!(body["AuthParameters"].get("SECRET_HASH").is_none());

        assert!(matches!(
            m.next(answer(tokens("bob", true)), FRESH),
            Step::Adopt
        ));
        let (op, body) = call(m.next(Input::Written(Ok(())), FRESH));
        assert_eq!(op, Operation::ConfirmDevice);
        let expected =
            device_verifier_from_random("-new", "us-east-1_new", &[7; RANDOM_BYTES]).unwrap();
        assert_eq!(body["DeviceKey"], "us-east-1_new");
        assert_eq!(body["DeviceName"], "phone");
        assert_eq!(body["DeviceSecretVerifierConfig"]["Salt"], expected.salt);
        assert_eq!(
            body["DeviceSecretVerifierConfig"]["PasswordVerifier"],
            expected.password_verifier
        );

        let Step::WriteDevice(name, Some(saved)) =
            m.next(answer(json!({"UserConfirmationNecessary": false})), FRESH)
        else {
            panic!("expected the device to be stored");
        };
        assert_eq!(
            (name.as_str(), saved.device_group_key.as_str()),
            ("bob", "-new")
        );
        assert_eq!(saved.password, expected.password);
        assert!(matches!(
            finish(m.next(Input::Written(Ok(())), FRESH)),
            Ok(SignInStep::SignedIn(_))
        ));
    }

    #[test]
    fn confirm_device_failing_fails_the_sign_in() {
        let client = Client::new(None, true);
        let mut m = client.sign_in("bob", AuthFlow::UserPassword);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(None), FRESH);
        m.next(answer(tokens("bob", true)), FRESH);
        let broken_random = Fresh {
            random: broken,
            ..FRESH
        };
        let e = finish(m.next(Input::Written(Ok(())), broken_random)).unwrap_err();
        assert_eq!(e, Error::Srp(SrpError::RandomSource));
    }

    #[test]
    fn without_a_device_for_the_typed_name_the_user_ids_is_read() {
        let client = Client::new(None, false);
        let mut m = client.sign_in("alice@example.com", AuthFlow::UserSrp);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(None), FRESH);
        let step = m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        );
        assert!(matches!(step, Step::LoadDevice(n) if n == "uid-1"));
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert!(body["ChallengeResponses"].get("DEVICE_KEY").is_none());
        // DEVICE_SRP_AUTH without a device is a challenge like any other.
        let device_srp = json!({"ChallengeName": "DEVICE_SRP_AUTH", "ChallengeParameters": {}});
        let Ok(SignInStep::Challenge(pending)) = finish(m.next(answer(device_srp), FRESH)) else {
            panic!("expected a challenge");
        };
        assert_eq!(
            (pending.name.as_str(), pending.username.as_str()),
            ("DEVICE_SRP_AUTH", "uid-1")
        );
    }

    #[test]
    fn a_stale_device_is_removed_and_the_sign_in_tried_once_without_it() {
        let client = Client::new(None, false);
        let mut m = client.sign_in("alice", AuthFlow::UserSrp);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(Some(device())), FRESH);
        m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        );
        let step = m.next(
            service_error("ResourceNotFoundException", "Device does not exist."),
            FRESH,
        );
        assert!(matches!(step, Step::WriteDevice(name, None) if name == "alice"));
        let step = m.next(Input::Written(Ok(())), FRESH);
        assert!(matches!(step, Step::WriteDevice(name, None) if name == "uid-1"));

        let (op, body) = call(m.next(Input::Written(Ok(())), FRESH));
        assert_eq!(op, Operation::InitiateAuth);
        assert!(body["AuthParameters"].get("DEVICE_KEY").is_none());
        // The second attempt is the last: a stale error now ends the sign-in.
        let e = finish(m.next(
            service_error("ResourceNotFoundException", "Device does not exist."),
            FRESH,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "ResourceNotFoundException");
    }

    #[test]
    fn other_errors_end_the_sign_in_and_keep_the_device() {
        let client = Client::new(None, false);
        let mut m = client.sign_in("alice", AuthFlow::UserSrp);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(Some(device())), FRESH);
        let e = finish(m.next(
            service_error("NotAuthorizedException", "Incorrect username or password."),
            FRESH,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "NotAuthorizedException");
    }

    #[test]
    fn a_challenge_stops_the_sign_in_and_its_answer_continues_it() {
        let client = Client::new(Some("shh"), false);
        let mut m = client.sign_in("alice", AuthFlow::UserPassword);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(None), FRESH);
        let mfa = json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s-mfa",
            "ChallengeParameters": {"USER_ID_FOR_SRP": "uid-1"}});
        let Ok(SignInStep::Challenge(pending)) = finish(m.next(answer(mfa), FRESH)) else {
            panic!("expected a challenge");
        };
        assert_eq!(pending.username, "uid-1");

        let code = ChallengeAnswer {
            code: Some("123456".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &code);
        let (_, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(
            (&body["ChallengeName"], &body["Session"]),
            (&json!("SOFTWARE_TOKEN_MFA"), &json!("s-mfa"))
        );
        let r = &body["ChallengeResponses"];
        assert_eq!(
            (&r["USERNAME"], &r["SOFTWARE_TOKEN_MFA_CODE"]),
            (&json!("uid-1"), &json!("123456"))
        );
        assert_eq!(
            r["SECRET_HASH"],
            secret_hash(&"shh".into(), "uid-1", "client1")
        );

        assert!(matches!(
            m.next(answer(tokens("uid-1", false)), FRESH),
            Step::Adopt
        ));
        let full = Error::Storage {
            message: "quota exceeded".into(),
        };
        assert_eq!(
            finish(m.next(Input::Written(Err(full.clone())), FRESH)).unwrap_err(),
            full
        );
    }

    /// A challenge the sign-in stopped at.
    fn challenge(step: Step) -> PendingChallenge {
        match finish(step) {
            Ok(SignInStep::Challenge(pending)) => pending,
            other => panic!("expected a challenge, got {other:?}"),
        }
    }

    fn user_auth(preferred: Option<FirstFactor>) -> AuthFlow {
        AuthFlow::UserAuth(preferred)
    }

    #[test]
    fn user_auth_with_an_emailed_code() {
        let client = Client::new(Some("shh"), false);
        let none = SecretString::default();
        let mut m = SignIn::new(
            client.settings(),
            "ann",
            &none,
            user_auth(Some(FirstFactor::EmailOtp)),
            None,
        );
        m.next(Input::Start, FRESH);
        let (op, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(op, Operation::InitiateAuth);
        assert_eq!(body["AuthFlow"], "USER_AUTH");
        let p = &body["AuthParameters"];
        assert_eq!(
            (&p["USERNAME"], &p["PREFERRED_CHALLENGE"]),
            (&json!("ann"), &json!("EMAIL_OTP"))
        );
        assert!(p.get("PASSWORD").is_none() && p.get("SRP_A").is_none());
        assert!(body.get("Session").is_none());

        let otp = json!({"ChallengeName": "EMAIL_OTP", "Session": "s-otp", "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "EMAIL", "CODE_DELIVERY_DESTINATION": "a***@e***",
            "USERNAME": "uid-ann"}});
        let pending = challenge(m.next(answer(otp), FRESH));
        assert_eq!(
            (pending.name.as_str(), pending.username.as_str()),
            ("EMAIL_OTP", "uid-ann")
        );
        let delivery = pending.code_delivery().unwrap();
        assert_eq!(delivery.destination.as_deref(), Some("a***@e***"));

        let code = ChallengeAnswer {
            code: Some("123456".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &code);
        let (_, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(
            (&body["ChallengeName"], &body["Session"]),
            (&json!("EMAIL_OTP"), &json!("s-otp"))
        );
        let r = &body["ChallengeResponses"];
        assert_eq!(r["EMAIL_OTP_CODE"], "123456");
        assert_eq!(
            r["SECRET_HASH"],
            secret_hash(&"shh".into(), "uid-ann", "client1")
        );
        assert!(matches!(
            m.next(answer(tokens("uid-ann", false)), FRESH),
            Step::Adopt
        ));
        assert!(matches!(
            finish(m.next(Input::Written(Ok(())), FRESH)),
            Ok(SignInStep::SignedIn(_))
        ));
    }

    #[test]
    fn user_auth_with_a_password_factor_sends_it_at_once() {
        let client = Client::new(None, false);
        let mut m = client.sign_in("ann", user_auth(Some(FirstFactor::Password)));
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        let p = &body["AuthParameters"];
        assert_eq!(
            (&p["PREFERRED_CHALLENGE"], &p["PASSWORD"]),
            (&json!("PASSWORD"), &json!("Passw0rd!"))
        );
        // Any challenge after the password still follows.
        let mfa = json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s-mfa",
            "ChallengeParameters": {}});
        assert_eq!(
            challenge(m.next(answer(mfa), FRESH)).name,
            "SOFTWARE_TOKEN_MFA"
        );

        let mut m = client.sign_in("ann", user_auth(Some(FirstFactor::PasswordSrp)));
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        let p = &body["AuthParameters"];
        assert_eq!(p["PREFERRED_CHALLENGE"], "PASSWORD_SRP");
        assert!(p["SRP_A"].as_str().is_some_and(|a| a.len() > 100));
        assert!(p.get("PASSWORD").is_none());
        let step = m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        );
        assert!(matches!(step, Step::LoadDevice(n) if n == "uid-1"));
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
        assert!(body["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());

        let none = SecretString::default();
        for factor in [FirstFactor::Password, FirstFactor::PasswordSrp] {
            let mut m = SignIn::new(
                client.settings(),
                "ann",
                &none,
                user_auth(Some(factor)),
                None,
            );
            m.next(Input::Start, FRESH);
            let e = finish(m.next(Input::Device(None), FRESH)).unwrap_err();
            assert_eq!(
                e.code(),
                "InvalidParameterError",
                "{factor:?} without a password"
            );
        }
    }

    #[test]
    fn select_challenge_then_password_srp() {
        let client = Client::new(Some("shh"), false);
        let none = SecretString::default();
        let mut m = SignIn::new(client.settings(), "ann", &none, user_auth(None), None)
            .with_session(Some("sign-up-session"));
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["Session"], "sign-up-session");
        assert!(body["AuthParameters"].get("PREFERRED_CHALLENGE").is_none());

        let select = json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "s-select",
            "ChallengeParameters": {"USERNAME": "uid-ann"},
            "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]});
        let pending = challenge(m.next(answer(select), FRESH));
        assert_eq!(
            pending.available_challenges,
            ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
        );

        let choice = ChallengeAnswer {
            answer: Some("PASSWORD_SRP".into()),
            password: Some("Passw0rd!".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &choice);
        let (op, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(op, Operation::RespondToAuthChallenge);
        assert_eq!(
            (&body["ChallengeName"], &body["Session"]),
            (&json!("SELECT_CHALLENGE"), &json!("s-select"))
        );
        let r = &body["ChallengeResponses"];
        assert_eq!(
            (&r["USERNAME"], &r["ANSWER"]),
            (&json!("uid-ann"), &json!("PASSWORD_SRP"))
        );
        assert_eq!(
            r["SECRET_HASH"],
            secret_hash(&"shh".into(), "uid-ann", "client1")
        );
        let srp_a = r["SRP_A"].as_str().unwrap().to_owned();
        assert!(r.get("PASSWORD").is_none());

        let step = m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-ann")),
            FRESH,
        );
        assert!(matches!(step, Step::LoadDevice(n) if n == "uid-ann"));
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
        assert_eq!(body["Session"], "session-PASSWORD_VERIFIER");
        // The signature is over the `A` sent with the selection: the same as a USER_SRP_AUTH
        // from that `a` (the sevens of FRESH).
        let a = ClientEphemeral::from_secret(SecretBytes::new(vec![7; 32])).unwrap();
        assert_eq!(srp_a, a.public_hex());
        assert!(matches!(
            m.next(answer(tokens("uid-ann", false)), FRESH),
            Step::Adopt
        ));
    }

    #[test]
    fn select_challenge_then_a_code_or_a_password() {
        let client = Client::new(None, false);
        let pending = PendingChallenge {
            name: "SELECT_CHALLENGE".into(),
            session: Some("s-select".into()),
            username: "uid-ann".into(),
            parameters: VecMap::new(),
            available_challenges: vec!["PASSWORD".into(), "SMS_OTP".into()],
        };
        let sms = ChallengeAnswer {
            answer: Some("SMS_OTP".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &sms);
        let (_, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(
            body["ChallengeResponses"],
            json!({"USERNAME": "uid-ann", "ANSWER": "SMS_OTP"})
        );
        let otp = json!({"ChallengeName": "SMS_OTP", "Session": "s-sms", "ChallengeParameters": {
            "CODE_DELIVERY_DELIVERY_MEDIUM": "SMS", "CODE_DELIVERY_DESTINATION": "+*******0100"}});
        let next = challenge(m.next(answer(otp), FRESH));
        assert_eq!(
            (next.name.as_str(), next.username.as_str()),
            ("SMS_OTP", "uid-ann")
        );

        let password = ChallengeAnswer {
            answer: Some("PASSWORD".into()),
            password: Some("Passw0rd!".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &password);
        let (_, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(
            body["ChallengeResponses"],
            json!({"USERNAME": "uid-ann", "ANSWER": "PASSWORD", "PASSWORD": "Passw0rd!"})
        );
        assert!(matches!(
            m.next(answer(tokens("uid-ann", false)), FRESH),
            Step::Adopt
        ));

        let unavailable = ChallengeAnswer {
            answer: Some("EMAIL_OTP".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &unavailable);
        let e = finish(m.next(Input::Start, FRESH)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError");
    }

    #[test]
    fn user_auth_with_a_passkey_carries_the_options_and_the_credential() {
        let client = Client::new(None, false);
        let none = SecretString::default();
        let mut m = SignIn::new(
            client.settings(),
            "ann",
            &none,
            user_auth(Some(FirstFactor::WebAuthn)),
            None,
        );
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["AuthParameters"]["PREFERRED_CHALLENGE"], "WEB_AUTHN");
        let options = r#"{"challenge":"q83v","rpId":"localhost","allowCredentials":[]}"#;
        let webauthn = json!({"ChallengeName": "WEB_AUTHN", "Session": "s-wa",
            "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": options}});
        let pending = challenge(m.next(answer(webauthn), FRESH));
        assert_eq!(pending.credential_request_options(), Some(options));

        let assertion = r#"{"id":"cred","rawId":"cred","type":"public-key","response":{}}"#;
        let credential = ChallengeAnswer {
            credential: Some(assertion.into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &credential);
        let (_, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(
            (
                &body["ChallengeName"],
                &body["ChallengeResponses"]["CREDENTIAL"]
            ),
            (&json!("WEB_AUTHN"), &json!(assertion))
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        let client = Client::new(None, false);
        let mut m = client.sign_in("", AuthFlow::UserSrp);
        m.next(Input::Start, FRESH);
        let e = finish(m.next(Input::Device(None), FRESH)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError");

        let mut m = client.sign_in("alice", AuthFlow::UserSrp);
        let e = finish(m.next(Input::Written(Ok(())), FRESH)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError", "a step out of order");

        let mut m = client.sign_in("alice", AuthFlow::UserSrp);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(None), FRESH);
        let e = finish(m.next(answer(json!({"ChallengeParameters": {}})), FRESH)).unwrap_err();
        assert_eq!(e.code(), "InvalidResponseError");
    }

    #[test]
    fn user_context_data_goes_on_every_sign_in_call() {
        use crate::context_data::UserContextData;
        let client = Client::new(None, false);
        let asked = core::cell::RefCell::new(Vec::new());
        let provider = |username: &str| {
            asked.borrow_mut().push(username.to_owned());
            Some(UserContextData {
                ip_address: Some("192.0.2.1".into()),
                encoded_data: Some(format!("enc-{username}")),
            })
        };
        let settings = Settings {
            context: ContextSource(Some(&provider)),
            ..client.settings()
        };
        let mut m = SignIn::new(settings, "alice", &client.password, AuthFlow::UserSrp, None);
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(
            body["UserContextData"],
            json!({"EncodedData": "enc-alice", "IpAddress": "192.0.2.1"})
        );
        m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        );
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["UserContextData"]["EncodedData"], "enc-uid-1");
        let mfa = json!({"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s",
            "ChallengeParameters": {"USERNAME": "uid-1"}});
        let Ok(SignInStep::Challenge(pending)) = finish(m.next(answer(mfa), FRESH)) else {
            panic!("expected a challenge");
        };
        let code = ChallengeAnswer {
            code: Some("123456".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(settings, &pending, &code);
        let (_, body) = call(m.next(Input::Start, FRESH));
        assert_eq!(body["UserContextData"]["EncodedData"], "enc-uid-1");
        assert_eq!(*asked.borrow(), ["alice", "uid-1", "uid-1"]);

        let mut m = client.sign_in("alice", AuthFlow::UserSrp);
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert!(
            body.get("UserContextData").is_none(),
            "no provider, none sent"
        );
    }

    #[test]
    fn custom_auth_answers_until_tokens_then_device_srp() {
        let client = Client::new(Some("shh"), false);
        let nothing = SecretString::from("");
        let mut m = SignIn::new(client.settings(), "alice", &nothing, AuthFlow::Custom, None);
        m.next(Input::Start, FRESH);
        let (op, body) = call(m.next(Input::Device(Some(device())), FRESH));
        assert_eq!(op, Operation::InitiateAuth);
        assert_eq!(body["AuthFlow"], "CUSTOM_AUTH");
        let p = &body["AuthParameters"];
        assert_eq!(
            (&p["USERNAME"], &p["DEVICE_KEY"]),
            (&json!("alice"), &json!("us-east-1_dk"))
        );
        assert_eq!(
            p["SECRET_HASH"],
            secret_hash(&"shh".into(), "alice", "client1")
        );
        assert!(p.get("PASSWORD").is_none() && p.get("SRP_A").is_none());

        let custom = |session: &str| {
            json!({"ChallengeName": "CUSTOM_CHALLENGE", "Session": session,
                "ChallengeParameters": {"USERNAME": "uid-1", "attempt": "1"}})
        };
        let Ok(SignInStep::Challenge(pending)) = finish(m.next(answer(custom("s1")), FRESH)) else {
            panic!("expected the custom challenge");
        };
        assert_eq!(
            (pending.name.as_str(), pending.username.as_str()),
            ("CUSTOM_CHALLENGE", "uid-1")
        );
        assert_eq!(pending.parameters["attempt"], "1", "parameters as given");

        let wrong = ChallengeAnswer {
            answer: Some("000000".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &pending, &wrong);
        assert!(matches!(m.next(Input::Start, FRESH), Step::LoadDevice(n) if n == "uid-1"));
        let (op, body) = call(m.next(Input::Device(Some(device())), FRESH));
        assert_eq!(op, Operation::RespondToAuthChallenge);
        assert_eq!(
            (&body["ChallengeName"], &body["Session"]),
            (&json!("CUSTOM_CHALLENGE"), &json!("s1"))
        );
        let r = &body["ChallengeResponses"];
        assert_eq!(
            (&r["USERNAME"], &r["ANSWER"], &r["DEVICE_KEY"]),
            (&json!("uid-1"), &json!("000000"), &json!("us-east-1_dk"))
        );
        assert_eq!(
            r["SECRET_HASH"],
            secret_hash(&"shh".into(), "uid-1", "client1")
        );
        // A wrong answer: the triggers ask again.
        let Ok(SignInStep::Challenge(again)) = finish(m.next(answer(custom("s2")), FRESH)) else {
            panic!("expected the custom challenge again");
        };
        assert_eq!(again.session.as_deref(), Some("s2"));

        let right = ChallengeAnswer {
            answer: Some("123456".into()),
            ..ChallengeAnswer::default()
        };
        let mut m = SignIn::answer(client.settings(), &again, &right);
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(Some(device())), FRESH));
        assert_eq!(body["Session"], "s2");
        let device_srp = json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": "s3",
            "ChallengeParameters": {}});
        let (_, body) = call(m.next(answer(device_srp), FRESH));
        assert_eq!(body["ChallengeName"], "DEVICE_SRP_AUTH");
        assert_eq!(body["ChallengeResponses"]["DEVICE_KEY"], "us-east-1_dk");
        let (_, body) = call(m.next(
            answer(verifier_challenge("DEVICE_PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        ));
        assert_eq!(body["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
        assert!(matches!(
            m.next(answer(tokens("uid-1", false)), FRESH),
            Step::Adopt
        ));
        assert!(matches!(
            finish(m.next(Input::Written(Ok(())), FRESH)),
            Ok(SignInStep::SignedIn(_))
        ));

        // Out of tries: Cognito refuses, and the sign-in ends with its error.
        let mut m = SignIn::answer(client.settings(), &again, &wrong);
        m.next(Input::Start, FRESH);
        m.next(Input::Device(None), FRESH);
        let e = finish(m.next(
            service_error("NotAuthorizedException", "Incorrect username or password."),
            FRESH,
        ))
        .unwrap_err();
        assert_eq!(e.code(), "NotAuthorizedException");
        let empty = ChallengeAnswer::default();
        let mut m = SignIn::answer(client.settings(), &again, &empty);
        m.next(Input::Start, FRESH);
        let e = finish(m.next(Input::Device(None), FRESH)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError", "no answer, nothing sent");
    }

    #[test]
    fn custom_auth_with_srp_verifies_the_password_first() {
        let client = Client::new(None, false);
        let mut m = client.sign_in("alice", AuthFlow::CustomWithSrp);
        m.next(Input::Start, FRESH);
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["AuthFlow"], "CUSTOM_AUTH");
        let p = &body["AuthParameters"];
        assert_eq!(p["CHALLENGE_NAME"], "SRP_A");
        assert!(p["SRP_A"].is_string());
        assert!(p.get("PASSWORD").is_none());
        m.next(
            answer(verifier_challenge("PASSWORD_VERIFIER", "uid-1")),
            FRESH,
        );
        let (_, body) = call(m.next(Input::Device(None), FRESH));
        assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
        assert!(body["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());
        let custom = json!({"ChallengeName": "CUSTOM_CHALLENGE", "Session": "s",
            "ChallengeParameters": {"USERNAME": "uid-1"}});
        let Ok(SignInStep::Challenge(pending)) = finish(m.next(answer(custom), FRESH)) else {
            panic!("expected the custom challenge");
        };
        assert_eq!(pending.name, "CUSTOM_CHALLENGE");

        let nothing = SecretString::from("");
        let mut m = SignIn::new(
            client.settings(),
            "alice",
            &nothing,
            AuthFlow::CustomWithSrp,
            None,
        );
        m.next(Input::Start, FRESH);
        let e = finish(m.next(Input::Device(None), FRESH)).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError", "SRP needs the password");
    }

    /// A client held flat, as the browser's restore module holds one: no [`Cognito`].
    struct Flat<'p> {
        platform: &'p crate::testing::Scripted,
        store: crate::storage::MemoryStore,
        keys: crate::storage::StorageKeys,
        held: crate::held::Held,
        config: crate::config::ClientConfig,
        options: crate::client::CallOptions,
        devices: DeviceOptions,
    }

    impl<'p> Flat<'p> {
        fn new(platform: &'p crate::testing::Scripted, remember: bool) -> Self {
            Flat {
                platform,
                store: crate::storage::MemoryStore::default(),
                keys: crate::storage::StorageKeys::new("client1"),
                held: crate::held::Held::default(),
                config: crate::config::ClientConfig::new("us-east-1_Pool1", "client1", None, None)
                    .unwrap(),
                options: crate::client::CallOptions::default(),
                devices: DeviceOptions {
                    remember,
                    device_name: Some("phone".into()),
                },
            }
        }
    }

    impl<'p> SignInClient for Flat<'p> {
        type Platform = &'p crate::testing::Scripted;
        type Store = crate::storage::MemoryStore;

        fn parts(&self) -> Parts<'_, Self::Platform, Self::Store> {
            Parts {
                platform: &self.platform,
                store: &self.store,
                keys: &self.keys,
                held: &self.held,
                config: &self.config,
                options: &self.options,
            }
        }

        fn devices(&self) -> &DeviceOptions {
            &self.devices
        }

        fn context(&self) -> ContextSource<'_> {
            ContextSource::default()
        }
    }

    #[test]
    fn the_driver_over_flat_parts_holds_and_stores_the_session_and_the_new_device() {
        let scripted = crate::testing::Scripted::default();
        let flat = Flat::new(&scripted, true);
        flat.platform
            .answer(200, tokens("bob", true))
            .answer(200, json!({"UserConfirmationNecessary": false}));
        let password = SecretString::from("Passw0rd!");
        let step = crate::testing::block_on(sign_in(
            &flat,
            "bob",
            &password,
            AuthFlow::UserPassword,
            None,
            None,
        ))
        .unwrap();
        let SignInStep::SignedIn(session) = step else {
            panic!("expected signed in");
        };
        assert_eq!(session.username, "bob");
        assert_eq!(
            flat.platform.operations(),
            ["InitiateAuth", "ConfirmDevice"]
        );
        let sent = flat.platform.sent();
        assert_eq!(sent[0].1["AuthFlow"], "USER_PASSWORD_AUTH");
        assert_eq!(sent[0].1["ClientId"], "client1");
        assert_eq!(sent[1].1["DeviceKey"], "us-east-1_new");
        assert_eq!(flat.held.current().map(|s| s.username), Some("bob".into()));
        assert!(flat.held.persisted());
        assert_eq!(
            flat.store.get(&flat.keys.last_auth_user()).as_deref(),
            Some("bob")
        );
        let [token, ..] = flat.keys.user_keys("bob");
        assert_eq!(
            flat.store.get(&token),
            Some(session.id_token.expose_secret().to_owned())
        );
        let [device_key, group, _] = flat.keys.device_keys("bob");
        assert_eq!(
            flat.store.get(&device_key).as_deref(),
            Some("us-east-1_new")
        );
        assert_eq!(flat.store.get(&group).as_deref(), Some("-new"));
    }

    #[test]
    fn the_driver_over_flat_parts_removes_a_stale_device_and_tries_again_without_it() {
        let scripted = crate::testing::Scripted::default();
        let flat = Flat::new(&scripted, false);
        crate::testing::block_on(crate::storage::save_device(
            &flat.store,
            &flat.keys,
            "alice",
            &device(),
        ))
        .unwrap();
        flat.platform
            .answer(
                400,
                json!({"__type": "ResourceNotFoundException", "message": "Device does not exist."}),
            )
            .answer(200, tokens("alice", false));
        let password = SecretString::from("Passw0rd!");
        let step = crate::testing::block_on(sign_in(
            &flat,
            "alice",
            &password,
            AuthFlow::UserPassword,
            None,
            None,
        ))
        .unwrap();
        assert!(matches!(step, SignInStep::SignedIn(_)));
        let sent = flat.platform.sent();
        assert_eq!(flat.platform.operations(), ["InitiateAuth", "InitiateAuth"]);
        assert_eq!(sent[0].1["AuthParameters"]["DEVICE_KEY"], "us-east-1_dk");
        assert!(sent[1].1["AuthParameters"].get("DEVICE_KEY").is_none());
        for key in flat.keys.device_keys("alice") {
            assert_eq!(flat.store.get(&key), None, "{key} should be removed");
        }
    }

    #[test]
    fn the_driver_over_flat_parts_answers_a_challenge_and_keeps_a_wrong_answer_pending() {
        let scripted = crate::testing::Scripted::default();
        let flat = Flat::new(&scripted, false);
        flat.platform
            .answer(
                400,
                json!({"__type": "CodeMismatchException", "message": "Invalid code."}),
            )
            .answer(200, tokens("carol", false));
        let pending = PendingChallenge {
            name: "SOFTWARE_TOKEN_MFA".into(),
            session: Some("sess-1".into()),
            username: "carol".into(),
            parameters: VecMap::default(),
            available_challenges: Vec::new(),
        };
        let answer = ChallengeAnswer {
            code: Some("123456".into()),
            ..Default::default()
        };
        let wrong = crate::testing::block_on(respond_to_challenge(&flat, &pending, &answer, None));
        assert_eq!(wrong.unwrap_err().code(), "CodeMismatchException");
        assert_eq!(flat.held.current(), None);
        let step =
            crate::testing::block_on(respond_to_challenge(&flat, &pending, &answer, None)).unwrap();
        assert!(matches!(step, SignInStep::SignedIn(ref s) if s.username == "carol"));
        let sent = flat.platform.sent();
        assert_eq!(sent[1].1["ChallengeName"], "SOFTWARE_TOKEN_MFA");
        assert_eq!(sent[1].1["Session"], "sess-1");
        assert_eq!(
            sent[1].1["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"],
            "123456"
        );
        assert_eq!(
            flat.store.get(&flat.keys.last_auth_user()).as_deref(),
            Some("carol")
        );
    }
}

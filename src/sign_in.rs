//! The whole sign-in as one state machine: InitiateAuth → PASSWORD_VERIFIER → DEVICE_SRP_AUTH →
//! DEVICE_PASSWORD_VERIFIER → the user's challenges → ConfirmDevice.
//!
//! [`SignIn::next`] is pure: the state and what the last [`Step`] brought back ([`Input`]) give
//! the next step; the clock and the random source come in as [`Fresh`]. The driver at the end
//! ([`Cognito::sign_in`], [`Cognito::respond_to_challenge`]) only carries out each step: a call
//! through [`Cognito::call`], a storage read or write.
//!
//! The flow, as amazon-cognito-identity-js 6.x runs it:
//! - InitiateAuth (USER_SRP_AUTH with `SRP_A`, or USER_PASSWORD_AUTH with `PASSWORD`), with the
//!   `DEVICE_KEY` stored for the typed name.
//! - PASSWORD_VERIFIER is answered as `USER_ID_FOR_SRP`, with the device stored for the typed
//!   name, else the one stored for `USER_ID_FOR_SRP`.
//! - With a device, DEVICE_SRP_AUTH is answered with a fresh `SRP_A`, then DEVICE_PASSWORD_VERIFIER
//!   with `deviceGroupKey` for the pool name, `deviceKey` for the user id and the device password
//!   ([`crate::srp::device`]). Without one, DEVICE_SRP_AUTH is a challenge like any other.
//! - Tokens: the session is held and stored; with [`DeviceOptions::remember`] and
//!   `NewDeviceMetadata`, ConfirmDevice with a fresh verifier, then the device is stored.
//! - Any other challenge stops the sign-in ([`SignInStep::Challenge`]) until the user answers it
//!   ([`SignIn::answer`]).
//! - A device Cognito no longer knows (ResourceNotFoundException about a device): once the
//!   password has been answered with it, it is removed from storage; and a first attempt that
//!   fails so removes the typed name's device and is tried once more without a device.
//!
//! A new challenge kind is one more [`State`] and one more arm of [`SignIn::next`].

use std::collections::{BTreeMap, HashMap};

use zeroize::Zeroize;

use crate::challenge::{challenge_responses, ChallengeAnswer, PendingChallenge, SignInStep};
use crate::client::{require, AuthFlow, Cognito, DeviceOptions};
use crate::error::Error;
use crate::secret::{SecretBytes, SecretString};
use crate::secret_hash::secret_hash;
use crate::session::Session;
use crate::srp::device::{
    device_verifier_from_random, respond_to_device_password_verifier, RANDOM_BYTES,
};
use crate::srp::{
    respond_to_password_verifier, ClientEphemeral, PasswordVerifierChallenge, SrpError,
};
use crate::storage::{clear_device, save_device, DeviceSecrets, TokenStore};
use crate::transport::Platform;
use crate::wire::{
    AuthResponse, ConfirmDeviceRequest, Empty, InitiateAuthRequest, NewDeviceMetadata, Operation,
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
    pub client_metadata: Option<&'a HashMap<String, String>>,
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
    /// Send InitiateAuth or RespondToAuthChallenge with this body: [`Input::Answer`].
    Call(Operation, String),
    /// Send ConfirmDevice with this body: [`Input::Confirmed`].
    ConfirmDevice(String),
    /// Read the device stored for this name (a failing store reads as none): [`Input::Device`].
    LoadDevice(String),
    /// Hold the session and store it: [`Input::Written`].
    Adopt(Session),
    /// Store the device for this name: [`Input::Written`].
    SaveDevice(String, DeviceSecrets),
    /// Remove the devices stored for these names, failures ignored: [`Input::Written`].
    ClearDevices(Vec<String>),
    /// The sign-in is over.
    Finish(Result<SignInStep, Error>),
}

/// What the last [`Step`] brought back.
#[derive(Debug)]
pub enum Input {
    /// Nothing yet: the first step.
    Start,
    Answer(Result<AuthResponse, Error>),
    Confirmed(Result<(), Error>),
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
        responses: BTreeMap<String, String>,
        session: Option<String>,
    },
    /// PASSWORD_VERIFIER sent.
    PasswordSent {
        user_id: String,
        device: Option<DeviceSecrets>,
    },
    /// DEVICE_SRP_AUTH sent.
    DeviceSrpSent {
        username: String,
        device: DeviceSecrets,
        ephemeral: ClientEphemeral,
    },
    /// DEVICE_PASSWORD_VERIFIER sent.
    DevicePasswordSent { username: String },
    /// The user's answer to `pending` is to be sent.
    Answer {
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
    },
    /// The user's answer sent.
    AnswerSent { username: String },
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
    /// Stale devices are being removed; then `error` ends the sign-in, or it is tried again.
    Clearing { error: Error, retry: bool },
    /// Over (or stepped after a failure).
    Done,
}

/// The typed credentials of a sign-in.
#[derive(Debug, Clone, Copy)]
struct Credentials<'a> {
    username: &'a str,
    password: &'a SecretString,
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
                password,
                flow,
            }),
            ephemeral,
            state: State::Begin,
            device_user: None,
            may_retry: true,
        }
    }

    /// The user's `answer` to the challenge a sign-in stopped at.
    pub fn answer(
        settings: Settings<'a>,
        pending: &'a PendingChallenge,
        answer: &'a ChallengeAnswer,
    ) -> Self {
        SignIn {
            settings,
            credentials: None,
            ephemeral: None,
            state: State::Answer { pending, answer },
            device_user: None,
            may_retry: false,
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
        let state = std::mem::replace(&mut self.state, State::Done);
        match (state, input) {
            (State::Begin, Input::Start) => {
                self.state = State::TypedNameDevice;
                Ok(Step::LoadDevice(self.credentials()?.username.to_owned()))
            }
            (State::TypedNameDevice, Input::Device(device)) => {
                let c = self.credentials()?;
                require("username", c.username)?;
                require("password", c.password.expose_secret())?;
                let ephemeral = self.ephemeral.take();
                self.initiate(ephemeral, device, fresh)
            }
            (State::Initiated { ephemeral, device }, Input::Answer(answer)) => {
                let answer = answer?;
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
            (State::PasswordSent { user_id, device }, Input::Answer(answer)) => {
                self.after_password(answer?, user_id, device, fresh)
            }
            (
                State::DeviceSrpSent {
                    username,
                    device,
                    ephemeral,
                },
                Input::Answer(answer),
            ) => self.device_password_verifier(answer?, username, &device, &ephemeral, fresh),
            (State::Answer { pending, answer }, Input::Start) => {
                let mut responses = challenge_responses(pending, answer)?;
                self.add_secret_hash(&mut responses, &pending.username);
                let body = self.respond(&pending.name, responses, pending.session.as_deref());
                self.state = State::AnswerSent {
                    username: pending.username.clone(),
                };
                Ok(body)
            }
            (State::DevicePasswordSent { username }, Input::Answer(answer))
            | (State::AnswerSent { username }, Input::Answer(answer)) => {
                self.conclude(answer?, &username, fresh)
            }
            (
                State::Adopting {
                    session,
                    new_device,
                },
                Input::Written(written),
            ) => {
                written?;
                self.confirm_device(session, new_device, fresh)
            }
            (State::Confirming { session, device }, Input::Confirmed(confirmed)) => {
                confirmed?;
                let username = session.username.clone();
                self.state = State::SavingDevice { session };
                Ok(Step::SaveDevice(username, device))
            }
            (State::SavingDevice { session }, Input::Written(written)) => {
                written?;
                Ok(Step::Finish(Ok(SignInStep::SignedIn(session))))
            }
            (State::Clearing { error, retry }, Input::Written(_)) => {
                if retry {
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

    /// InitiateAuth with `device`'s key; USER_SRP_AUTH with `ephemeral` or a fresh one.
    fn initiate(
        &mut self,
        ephemeral: Option<ClientEphemeral>,
        device: Option<DeviceSecrets>,
        fresh: Fresh,
    ) -> Result<Step, Error> {
        let c = self.credentials()?;
        let secret_hash = self.secret_hash(c.username);
        let mut parameters = BTreeMap::from([("USERNAME", c.username)]);
        if let Some(hash) = &secret_hash {
            parameters.insert("SECRET_HASH", hash);
        }
        let (flow_name, ephemeral) = match c.flow {
            AuthFlow::UserPassword => {
                parameters.insert("PASSWORD", c.password.expose_secret());
                ("USER_PASSWORD_AUTH", None)
            }
            AuthFlow::UserSrp => {
                let ephemeral = match ephemeral {
                    Some(ephemeral) => ephemeral,
                    None => new_ephemeral(fresh)?,
                };
                ("USER_SRP_AUTH", Some(ephemeral))
            }
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
            auth_parameters: parameters,
            client_metadata: self.settings.client_metadata,
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
        let c = self.credentials()?;
        let challenge = PasswordVerifierChallenge::from_parameters(&answer.challenge_parameters)?;
        let response = respond_to_password_verifier(
            self.settings.pool_name,
            c.password,
            ephemeral,
            &challenge,
            fresh.now_ms / 1000,
        )?;
        let user_id = challenge.user_id_for_srp;
        let mut responses: BTreeMap<String, String> = response
            .into_parameters()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
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
        mut responses: BTreeMap<String, String>,
        session: Option<String>,
        device: Option<DeviceSecrets>,
    ) -> Step {
        if let Some(device) = &device {
            responses.insert("DEVICE_KEY".into(), device.device_key.clone());
            self.device_user = Some(user_id.clone());
        }
        let step = self.respond("PASSWORD_VERIFIER", responses, session.as_deref());
        self.state = State::PasswordSent { user_id, device };
        step
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
        let mut responses = BTreeMap::from([
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
        self.state = State::DevicePasswordSent { username };
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
                session: session.clone(),
                new_device: result.new_device_metadata,
            };
            return Ok(Step::Adopt(session));
        }
        match answer.challenge_name {
            Some(name) if !name.is_empty() => {
                let username = answer
                    .challenge_parameters
                    .get("USER_ID_FOR_SRP")
                    .or_else(|| answer.challenge_parameters.get("USERNAME"))
                    .cloned()
                    .unwrap_or_else(|| username.to_owned());
                Ok(Step::Finish(Ok(SignInStep::Challenge(PendingChallenge {
                    name,
                    session: answer.session,
                    username,
                    parameters: answer.challenge_parameters,
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
        let filled = (fresh.random)(&mut random);
        let verifier = filled.map(|()| {
            device_verifier_from_random(&metadata.device_group_key, &metadata.device_key, &random)
        });
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
        Ok(Step::ConfirmDevice(body))
    }

    /// `e` ends the sign-in, unless it says a device is stale: then the stale devices are removed
    /// and, on a first attempt, the sign-in is tried once more without a device.
    fn fail(&mut self, error: Error) -> Step {
        self.state = State::Done;
        if !error.is_stale_device() {
            return Step::Finish(Err(error));
        }
        let mut names: Vec<String> = self.device_user.take().into_iter().collect();
        let retry = match self.credentials {
            Some(c) if self.may_retry => {
                names.push(c.username.to_owned());
                true
            }
            _ => false,
        };
        self.may_retry = false;
        if names.is_empty() {
            return Step::Finish(Err(error));
        }
        self.state = State::Clearing { error, retry };
        Step::ClearDevices(names)
    }

    /// RespondToAuthChallenge `name` with `responses`.
    fn respond(
        &self,
        name: &str,
        responses: BTreeMap<String, String>,
        session: Option<&str>,
    ) -> Step {
        let body = RespondToAuthChallengeRequest {
            challenge_name: name,
            client_id: self.settings.client_id,
            challenge_responses: responses,
            session,
            client_metadata: self.settings.client_metadata,
        };
        Step::Call(Operation::RespondToAuthChallenge, body.to_json())
    }

    fn secret_hash(&self, username: &str) -> Option<String> {
        let secret = self.settings.client_secret?;
        Some(secret_hash(secret, username, self.settings.client_id))
    }

    fn add_secret_hash(&self, responses: &mut BTreeMap<String, String>, username: &str) {
        if let Some(hash) = self.secret_hash(username) {
            responses.insert("SECRET_HASH".into(), hash);
        }
    }
}

/// A fresh `A` from `fresh`'s random source.
fn new_ephemeral(fresh: Fresh) -> Result<ClientEphemeral, SrpError> {
    let mut a = vec![0u8; ClientEphemeral::SECRET_BYTES];
    if let Err(e) = (fresh.random)(&mut a) {
        a.zeroize();
        return Err(e);
    }
    ClientEphemeral::from_secret(SecretBytes::new(a))
}

fn parameter(answer: &AuthResponse, name: &str) -> Option<String> {
    answer.challenge_parameters.get(name).cloned()
}

/// The platform's CSPRNG (`crypto.getRandomValues` under wasm).
fn os_random(buffer: &mut [u8]) -> Result<(), SrpError> {
    getrandom::fill(buffer).map_err(|_| SrpError::RandomSource)
}

impl<P: Platform, S: TokenStore> Cognito<P, S> {
    /// Signs in: USER_SRP_AUTH (with `ephemeral`, made by the caller so it can be computed ahead
    /// of time) or USER_PASSWORD_AUTH, with the device stored for `username`. Ends signed in or
    /// at a challenge.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &SecretString,
        flow: AuthFlow,
        ephemeral: Option<ClientEphemeral>,
        client_metadata: Option<&HashMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        let settings = self.sign_in_settings(client_metadata);
        self.drive(SignIn::new(settings, username, password, flow, ephemeral))
            .await
    }

    /// Answers a challenge `sign_in` stopped at.
    pub async fn respond_to_challenge(
        &self,
        pending: &PendingChallenge,
        answer: &ChallengeAnswer,
        client_metadata: Option<&HashMap<String, String>>,
    ) -> Result<SignInStep, Error> {
        let settings = self.sign_in_settings(client_metadata);
        self.drive(SignIn::answer(settings, pending, answer)).await
    }

    fn sign_in_settings<'a>(
        &'a self,
        client_metadata: Option<&'a HashMap<String, String>>,
    ) -> Settings<'a> {
        let config = self.config();
        Settings {
            client_id: &config.client_id,
            pool_name: config.user_pool.pool_name(),
            client_secret: config.client_secret.as_ref(),
            devices: self.device_options(),
            client_metadata,
        }
    }

    /// Carries out each step of `machine` until it finishes.
    async fn drive(&self, mut machine: SignIn<'_>) -> Result<SignInStep, Error> {
        let mut input = Input::Start;
        loop {
            let fresh = Fresh {
                now_ms: self.platform().now_ms(),
                random: os_random,
            };
            input = match machine.next(input, fresh) {
                Step::Call(op, body) => Input::Answer(self.call(op, body).await),
                Step::ConfirmDevice(body) => Input::Confirmed(
                    self.call::<Empty>(Operation::ConfirmDevice, body)
                        .await
                        .map(drop),
                ),
                Step::LoadDevice(name) => Input::Device(self.stored_device(&name).await),
                Step::Adopt(session) => Input::Written(self.adopt(session).await),
                Step::SaveDevice(name, device) => Input::Written(
                    save_device(self.store(), self.storage_keys(), &name, &device).await,
                ),
                Step::ClearDevices(names) => {
                    for name in names {
                        let _ = clear_device(self.store(), self.storage_keys(), &name).await;
                    }
                    Input::Written(Ok(()))
                }
                Step::Finish(outcome) => return outcome,
            };
        }
    }
}

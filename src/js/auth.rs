//! `CognitoAuth`: the JS class. Each method parses its options, runs the core flow and turns the
//! outcome into a plain object or a typed `Error`.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::error::{invalid_options, to_js_error};
use super::fetch::FetchPlatform;
use super::types::{
    AuthOptions, ChallengeParams, ChallengeView, CodeDeliveryResult, ConfirmForgotPasswordParams,
    ConfirmSignUpParams, SessionView, SignInParams, SignOutParams, SignUpParams, SignUpResult,
    SignedIn, UsernameParams,
};
use crate::challenge::{PendingChallenge, SignInStep};
use crate::client::{AuthFlow, CallOptions, Cognito, RetryPolicy};
use crate::config::ClientConfig;
use crate::error::Error;
use crate::session::Session;
use crate::transport::Platform;

struct Inner {
    client: Cognito<FetchPlatform>,
    /// The challenge `signIn` or `respondToChallenge` stopped at.
    pending: RefCell<Option<PendingChallenge>>,
    /// The refresh under way, shared by every concurrent `getSession`.
    refreshing: RefCell<Option<Promise>>,
}

/// An Amazon Cognito user-pool client.
#[wasm_bindgen]
pub struct CognitoAuth {
    inner: Rc<Inner>,
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, Error> {
    serde_wasm_bindgen::from_value(value).map_err(|e| invalid_options(what, e))
}

/// Optional options: `undefined`/`null` read as `{}`.
fn from_js_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    from_js(value, what)
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, Error> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::invalid_response(e.to_string()))
}

fn session_to_js(session: &Session) -> Result<JsValue, Error> {
    to_js(&SessionView::from(session))
}

/// Runs `work` as a Promise that rejects with a typed `Error`.
fn promise<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, Error>> + 'static,
{
    future_to_promise(async move { work.await.map_err(|e| to_js_error(&e)) })
}

impl Inner {
    fn step_to_js(&self, step: SignInStep) -> Result<JsValue, Error> {
        match step {
            SignInStep::SignedIn(session) => {
                self.pending.replace(None);
                to_js(&SignedIn {
                    signed_in: true,
                    session: SessionView::from(&session),
                })
            }
            SignInStep::Challenge(pending) => {
                let view = to_js(&ChallengeView::from(&pending));
                self.pending.replace(Some(pending));
                view
            }
        }
    }

    /// The refresh under way, or a new one.
    fn shared_refresh(self: &Rc<Self>) -> Promise {
        if let Some(running) = self.refreshing.borrow().as_ref() {
            return running.clone();
        }
        let inner = self.clone();
        let running = promise(async move {
            let result = inner.client.refresh_session().await;
            inner.refreshing.replace(None);
            session_to_js(&result?)
        });
        self.refreshing.replace(Some(running.clone()));
        running
    }
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Throws `InvalidParameterError` for a malformed pool id, client id or endpoint.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoAuthOptions")] options: JsValue,
    ) -> Result<CognitoAuth, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CognitoAuth, Error> {
        let fetch = match Reflect::get(&options, &JsValue::from_str("fetch")) {
            Ok(f) if f.is_undefined() || f.is_null() => None,
            Ok(f) => Some(
                f.dyn_into::<Function>()
                    .map_err(|_| Error::invalid_parameter("options.fetch must be a function"))?,
            ),
            Err(_) => return Err(Error::invalid_parameter("options must be an object")),
        };
        let parsed: AuthOptions = from_js(options, "CognitoAuth options")?;
        let config = ClientConfig::new(
            &parsed.user_pool_id,
            &parsed.client_id,
            parsed.client_secret.map(Into::into),
            parsed.endpoint.as_deref(),
        )?;
        let defaults = CallOptions::default();
        let options = CallOptions {
            timeout_ms: parsed.timeout_ms.unwrap_or(defaults.timeout_ms),
            retry: RetryPolicy {
                max_retries: parsed.max_retries.unwrap_or(defaults.retry.max_retries),
                ..RetryPolicy::default()
            },
            ..defaults
        };
        let client = Cognito::new(config, FetchPlatform::new(fetch), options);
        Ok(CognitoAuth {
            inner: Rc::new(Inner {
                client,
                pending: RefCell::new(None),
                refreshing: RefCell::new(None),
            }),
        })
    }

    /// SignUp.
    #[wasm_bindgen(js_name = signUp, unchecked_return_type = "Promise<SignUpResult>")]
    pub fn sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignUpParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let params: SignUpParams = from_js(params, "signUp")?;
            let answer = inner.client.sign_up(&params.into()).await?;
            to_js(&SignUpResult {
                user_confirmed: answer.user_confirmed,
                user_sub: answer.user_sub,
                code_delivery: answer.code_delivery_details.map(Into::into),
            })
        })
    }

    /// ConfirmSignUp.
    #[wasm_bindgen(js_name = confirmSignUp, unchecked_return_type = "Promise<void>")]
    pub fn confirm_sign_up(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConfirmSignUpParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: ConfirmSignUpParams = from_js(params, "confirmSignUp")?;
            inner
                .client
                .confirm_sign_up(
                    &p.username,
                    &p.code.into(),
                    p.force_alias_creation,
                    p.client_metadata.as_ref(),
                )
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// ResendConfirmationCode.
    #[wasm_bindgen(js_name = resendConfirmationCode, unchecked_return_type = "Promise<CodeDeliveryResult>")]
    pub fn resend_confirmation_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UsernameParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: UsernameParams = from_js(params, "resendConfirmationCode")?;
            let details = inner
                .client
                .resend_confirmation_code(&p.username, p.client_metadata.as_ref())
                .await?;
            to_js(&CodeDeliveryResult {
                code_delivery: details.into(),
            })
        })
    }

    /// ForgotPassword.
    #[wasm_bindgen(js_name = forgotPassword, unchecked_return_type = "Promise<CodeDeliveryResult>")]
    pub fn forgot_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "UsernameParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: UsernameParams = from_js(params, "forgotPassword")?;
            let details = inner
                .client
                .forgot_password(&p.username, p.client_metadata.as_ref())
                .await?;
            to_js(&CodeDeliveryResult {
                code_delivery: details.into(),
            })
        })
    }

    /// ConfirmForgotPassword.
    #[wasm_bindgen(js_name = confirmForgotPassword, unchecked_return_type = "Promise<void>")]
    pub fn confirm_forgot_password(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ConfirmForgotPasswordParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: ConfirmForgotPasswordParams = from_js(params, "confirmForgotPassword")?;
            inner
                .client
                .confirm_forgot_password(
                    &p.username,
                    &p.code.into(),
                    &p.new_password.into(),
                    p.client_metadata.as_ref(),
                )
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Signs in (USER_SRP_AUTH unless `flow` says USER_PASSWORD_AUTH); ends signed in or at a
    /// challenge to answer with `respondToChallenge`.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<SignInResult>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: SignInParams = from_js(params, "signIn")?;
            let flow = match p.flow.as_deref() {
                None | Some("USER_SRP_AUTH") => AuthFlow::UserSrp,
                Some("USER_PASSWORD_AUTH") => AuthFlow::UserPassword,
                Some(other) => {
                    return Err(Error::invalid_parameter(format!(
                        "unsupported flow {other:?}"
                    )))
                }
            };
            inner.pending.replace(None);
            let step = inner
                .client
                .sign_in(
                    &p.username,
                    &p.password.into(),
                    flow,
                    None,
                    p.client_metadata.as_ref(),
                )
                .await?;
            inner.step_to_js(step)
        })
    }

    /// Answers the challenge the last `signIn`/`respondToChallenge` stopped at. A rejected answer
    /// (a wrong code) keeps the challenge so it can be answered again.
    #[wasm_bindgen(js_name = respondToChallenge, unchecked_return_type = "Promise<SignInResult>")]
    pub fn respond_to_challenge(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChallengeParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: ChallengeParams = from_js_or_default(params, "respondToChallenge")?;
            let pending = inner.pending.borrow().clone().ok_or_else(|| {
                Error::invalid_parameter("no challenge is waiting for an answer: call signIn first")
            })?;
            let step = inner
                .client
                .respond_to_challenge(&pending, &p.answer(), p.client_metadata.as_ref())
                .await?;
            inner.step_to_js(step)
        })
    }

    /// The session, refreshed first if it has expired (one refresh for all concurrent callers);
    /// `null` when signed out.
    #[wasm_bindgen(js_name = getSession, unchecked_return_type = "Promise<Session | null>")]
    pub fn get_session(&self) -> Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let Some(session) = inner.client.current_session() else {
                return Ok(JsValue::NULL);
            };
            if session.is_valid_at(
                inner.client.platform().now_ms(),
                inner.client.options().refresh_margin_ms,
            ) {
                return session_to_js(&session).map_err(|e| to_js_error(&e));
            }
            // Rejects with an Error already made by `to_js_error`.
            JsFuture::from(inner.shared_refresh()).await
        })
    }

    /// Refreshes now (REFRESH_TOKEN_AUTH). Network failures keep the session; a refused refresh
    /// token clears it.
    #[wasm_bindgen(js_name = refreshSession, unchecked_return_type = "Promise<Session>")]
    pub fn refresh_session(&self) -> Promise {
        self.inner.shared_refresh()
    }

    /// Signs out here (RevokeToken on the refresh token) and, with `global`, everywhere
    /// (GlobalSignOut). The local session is cleared even when those calls fail.
    /// Declared in `types.rs` (TS cannot mark a wasm-bindgen parameter optional).
    #[wasm_bindgen(js_name = signOut, skip_typescript)]
    pub fn sign_out(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignOutParams | undefined")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let p: SignOutParams = from_js_or_default(params, "signOut")?;
            inner.pending.replace(None);
            inner.client.sign_out(p.global).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

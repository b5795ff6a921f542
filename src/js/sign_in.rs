//! `CognitoAuth`'s sign-in methods (another `impl` block): signIn and respondToChallenge (the
//! TOTP MFA set-up only with `account`), written once over [`SignInObject`] for whichever
//! `CognitoAuth` the build has: the session module's (`auth.rs`; the browser package's signin
//! module) or, without `session`, the restore module's (`restore/`; the plain signin module). The
//! flows are the core's (`crate::sign_in::sign_in` over the object's `SignInClient`). With
//! `passkey-sign-in`, a WEB_AUTHN challenge is answered by the authenticator inside the call
//! (`passkey_sign_in`); without it (the browser package's signin modules) it is returned as the
//! step, and `respondToChallenge` at it rejects ([`crate::webauthn::no_passkey_sign_in`]) so the
//! module that has the feature can answer. Without `user-auth` (those modules too),
//! `flow: "USER_AUTH"` is refused by `AuthFlow::parse` (`crate::client::no_user_auth`); the loader
//! sends those calls up.

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::handover::HandOver;
#[cfg(feature = "passkey-sign-in")]
use super::passkey_sign_in;
use super::promise::promise;
use super::sign_in_object::SignInObject;
use super::types::{ChallengeParams, SignInParams};
use super::CognitoAuth;
#[cfg(feature = "account")]
use crate::challenge::PendingChallenge;
#[cfg(feature = "passkey-sign-in")]
use crate::challenge::SignInStep;
use crate::client::AuthFlow;
use crate::error::Error;
#[cfg(feature = "account")]
use crate::secret::SecretString;
use crate::sign_in;
use crate::webauthn::{passkey_answer, PasskeyAnswer};

/// `respondToChallenge` at MFA_SETUP: VerifySoftwareToken with the challenge's session, then the
/// MFA_SETUP answer. A wrong code keeps the challenge. Only with `account`, whose
/// `associateSoftwareToken` must come first on the same object (it gives the secret and the
/// challenge's next session), so the loader has moved the object to the full module by then.
#[cfg(feature = "account")]
async fn complete_mfa_setup(
    inner: &super::auth::Inner,
    pending: &PendingChallenge,
    params: ChallengeParams,
) -> Result<JsValue, Error> {
    let code: SecretString = params
        .code
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            Error::invalid_parameter(
                "code is required to answer MFA_SETUP (call associateSoftwareToken first)",
            )
        })?
        .into();
    let step = inner
        .client
        .complete_mfa_setup(
            pending,
            &code,
            params.friendly_device_name.as_deref(),
            params.client_metadata.as_ref(),
        )
        .await?;
    inner.step_to_js(step)
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Signs in (USER_SRP_AUTH unless `flow` says USER_PASSWORD_AUTH or CUSTOM_AUTH); ends signed
    /// in or at a challenge to answer with `respondToChallenge`.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<SignInResult>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInParams")] params: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let p = SignInParams::read(&params);
        promise(async move {
            let p = p?;
            let flow = AuthFlow::parse(p.flow.as_deref(), p.srp, p.preferred_challenge.as_deref())?;
            #[cfg(feature = "passkey-sign-in")]
            passkey_sign_in::check_before(p.preferred_challenge.as_deref() == Some("WEB_AUTHN"))?;
            inner.pending().replace(None);
            let password = p.password.into();
            let ephemeral = inner.next_ephemeral().take();
            inner.prepare_ephemeral();
            let step = sign_in::sign_in(
                inner.client(),
                &p.username,
                &password,
                flow,
                ephemeral,
                p.client_metadata.as_ref(),
            )
            .await?;
            #[cfg(feature = "passkey-sign-in")]
            let step = passkey_sign_in::follow(&inner, step, p.client_metadata.as_ref()).await?;
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
        let p = ChallengeParams::read(&params);
        promise(async move {
            let p = p?;
            let Some(pending) = inner.pending().cloned() else {
                return Err(Error::invalid_parameter(
                    "no challenge is waiting for an answer: call signIn first",
                ));
            };
            if pending.name == "MFA_SETUP" && p.email.is_none() {
                #[cfg(feature = "account")]
                return complete_mfa_setup(&inner, &pending, p).await;
                #[cfg(not(feature = "account"))]
                return Err(Error::invalid_parameter(
                    "answering MFA_SETUP with a code needs associateSoftwareToken first",
                ));
            }
            let passkey = passkey_answer(&pending.name, p.answer.as_deref());
            #[cfg(not(feature = "passkey-sign-in"))]
            if passkey == PasskeyAnswer::Assert {
                return Err(crate::webauthn::no_passkey_sign_in());
            }
            #[cfg(feature = "passkey-sign-in")]
            {
                passkey_sign_in::check_before(passkey != PasskeyAnswer::No)?;
                if passkey == PasskeyAnswer::Assert {
                    let step = SignInStep::Challenge(pending);
                    let step = passkey_sign_in::follow(&inner, step, p.client_metadata.as_ref());
                    return inner.step_to_js(step.await?);
                }
            }
            let answer = p.answer();
            let meta = p.client_metadata.as_ref();
            let step =
                sign_in::respond_to_challenge(inner.client(), &pending, &answer, meta).await?;
            #[cfg(feature = "passkey-sign-in")]
            let step = passkey_sign_in::follow(&inner, step, p.client_metadata.as_ref()).await?;
            inner.step_to_js(step)
        })
    }
}

//! WEB_AUTHN in the sign-in: a step that stops at the `WEB_AUTHN` challenge is answered at once
//! with the authenticator's assertion (`navigator.credentials.get`), so `signIn` /
//! `respondToChallenge` end signed in in one call. A refused prompt rejects with `WebAuthnError`
//! and keeps no challenge; without `navigator.credentials` nothing is sent. A WEB_AUTHN challenge
//! handed over by a module without this feature (it returned the challenge as the step) is
//! answered the same way by `respondToChallenge` ([`crate::webauthn::PasskeyAnswer::Assert`]).

use super::auth::Inner;
use super::webauthn;
use crate::challenge::{ChallengeAnswer, SignInStep};
use crate::error::Error;
use crate::map::VecMap;

/// InvalidParameterError, before any request, when the sign-in is to use a passkey
/// (`preferred` or the SELECT_CHALLENGE `answer` is `WEB_AUTHN`) where there is no
/// `navigator.credentials`.
pub(super) fn check_before(wants_passkey: bool) -> Result<(), Error> {
    if wants_passkey {
        webauthn::credentials()?;
    }
    Ok(())
}

/// `step`, or, when it is the WEB_AUTHN challenge, the step after answering it with
/// `CREDENTIAL` = the assertion (AuthenticationResponseJSON). Any failure clears the pending
/// challenge.
pub(super) async fn follow(
    inner: &Inner,
    step: SignInStep,
    client_metadata: Option<&VecMap<String, String>>,
) -> Result<SignInStep, Error> {
    let SignInStep::Challenge(pending) = &step else {
        return Ok(step);
    };
    if pending.name != "WEB_AUTHN" {
        return Ok(step);
    }
    let answered = async {
        let text = pending.credential_request_options().ok_or_else(|| {
            Error::invalid_response("WEB_AUTHN came without CREDENTIAL_REQUEST_OPTIONS")
        })?;
        let options = crate::webauthn::request_options(text)?;
        let credential = webauthn::get_assertion(&options).await?;
        let answer = ChallengeAnswer {
            credential: Some(credential.to_json()),
            ..Default::default()
        };
        inner
            .client
            .respond_to_challenge(pending, &answer, client_metadata)
            .await
    };
    let result = answered.await;
    if result.is_err() {
        inner.pending.replace(None);
    }
    result
}

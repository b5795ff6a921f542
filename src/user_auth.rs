//! Choice-based sign-in (`USER_AUTH`): its first factors, and the answer to SELECT_CHALLENGE.
//!
//! InitiateAuth `USER_AUTH` takes `PREFERRED_CHALLENGE` (and `PASSWORD` or `SRP_A` for the two
//! password factors). Without a preference Cognito answers SELECT_CHALLENGE with
//! `AvailableChallenges`; its answer is `ANSWER` = one of them, with `PASSWORD` or `SRP_A` in the
//! same responses for the password factors. EMAIL_OTP / SMS_OTP then follow as challenges
//! answered with `EMAIL_OTP_CODE` / `SMS_OTP_CODE` ([`crate::challenge::challenge_responses`]),
//! PASSWORD_SRP with PASSWORD_VERIFIER, WEB_AUTHN with `CREDENTIAL`.

use crate::challenge::{ChallengeAnswer, PendingChallenge};
use crate::error::Error;
use crate::map::VecMap;
use crate::prelude::*;

/// A first factor of `USER_AUTH`, by its wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstFactor {
    EmailOtp,
    SmsOtp,
    WebAuthn,
    Password,
    PasswordSrp,
}

impl FirstFactor {
    pub const ALL: [FirstFactor; 5] = [
        FirstFactor::EmailOtp,
        FirstFactor::SmsOtp,
        FirstFactor::WebAuthn,
        FirstFactor::Password,
        FirstFactor::PasswordSrp,
    ];

    /// `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`, `PASSWORD` or `PASSWORD_SRP`.
    pub fn name(self) -> &'static str {
        match self {
            FirstFactor::EmailOtp => "EMAIL_OTP",
            FirstFactor::SmsOtp => "SMS_OTP",
            FirstFactor::WebAuthn => "WEB_AUTHN",
            FirstFactor::Password => "PASSWORD",
            FirstFactor::PasswordSrp => "PASSWORD_SRP",
        }
    }

    pub fn parse(name: &str) -> Option<FirstFactor> {
        FirstFactor::ALL.into_iter().find(|f| f.name() == name)
    }

    /// [`FirstFactor::parse`], else `InvalidParameterError` naming `field` and the choices.
    pub fn parse_param(name: &str, field: &str) -> Result<FirstFactor, Error> {
        FirstFactor::parse(name).ok_or_else(|| {
            Error::invalid_parameter(format!(
                "{field} must be EMAIL_OTP, SMS_OTP, WEB_AUTHN, PASSWORD or PASSWORD_SRP, not \"{name}\""
            ))
        })
    }

    /// Whether the factor is answered with the user's password.
    pub fn needs_password(self) -> bool {
        matches!(self, FirstFactor::Password | FirstFactor::PasswordSrp)
    }
}

/// SELECT_CHALLENGE's answer as far as it needs no randomness: the factor chosen by
/// `answer.answer` (one of `pending`'s `AvailableChallenges` when Cognito listed them), and
/// `ChallengeResponses` `{USERNAME, ANSWER}` plus `PASSWORD` for [`FirstFactor::Password`]. For
/// [`FirstFactor::PasswordSrp`] the caller adds `SRP_A`. Bad input is `InvalidParameterError`.
pub fn select_responses(
    pending: &PendingChallenge,
    answer: &ChallengeAnswer,
) -> Result<(FirstFactor, VecMap<String, String>), Error> {
    let chosen = answer
        .answer
        .as_ref()
        .map(|a| a.expose_secret())
        .filter(|a| !a.is_empty())
        .ok_or_else(|| {
            Error::invalid_parameter(
                "answer is required to answer SELECT_CHALLENGE (one of availableChallenges)",
            )
        })?;
    let factor = FirstFactor::parse_param(chosen, "answer")?;
    if !pending.available_challenges.is_empty()
        && !pending.available_challenges.iter().any(|c| c == chosen)
    {
        return Err(Error::invalid_parameter(format!(
            "answer {chosen} is not in availableChallenges"
        )));
    }
    let password = answer.password.as_ref().filter(|p| !p.is_empty());
    if factor.needs_password() && password.is_none() {
        return Err(Error::invalid_parameter(format!(
            "password is required to answer SELECT_CHALLENGE with {chosen}"
        )));
    }
    let mut responses = VecMap::new();
    responses.insert("USERNAME".to_owned(), pending.username.clone());
    responses.insert("ANSWER".to_owned(), chosen.to_owned());
    if let (FirstFactor::Password, Some(password)) = (factor, password) {
        responses.insert("PASSWORD".into(), password.expose_secret().to_owned());
    }
    Ok((factor, responses))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::VecMap;

    fn select(available: &[&str]) -> PendingChallenge {
        PendingChallenge {
            name: "SELECT_CHALLENGE".into(),
            session: Some("s".into()),
            username: "uid".into(),
            parameters: VecMap::new(),
            available_challenges: available.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn choose(factor: &str, password: Option<&str>) -> ChallengeAnswer {
        ChallengeAnswer {
            answer: Some(factor.into()),
            password: password.map(Into::into),
            ..ChallengeAnswer::default()
        }
    }

    #[test]
    fn names_round_trip() {
        for factor in FirstFactor::ALL {
            assert_eq!(FirstFactor::parse(factor.name()), Some(factor));
        }
        assert_eq!(FirstFactor::parse("email_otp"), None);
        let e = FirstFactor::parse_param("SMS_MFA", "preferredChallenge").unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError");
        assert!(
            FirstFactor::PasswordSrp.needs_password() && !FirstFactor::EmailOtp.needs_password()
        );
    }

    #[test]
    fn selecting_a_code_or_a_password() {
        let pending = select(&["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]);
        let (factor, r) = select_responses(&pending, &choose("EMAIL_OTP", None)).unwrap();
        assert_eq!(factor, FirstFactor::EmailOtp);
        assert_eq!(
            (r["USERNAME"].as_str(), r["ANSWER"].as_str(), r.len()),
            ("uid", "EMAIL_OTP", 2)
        );

        let (_, r) = select_responses(&pending, &choose("PASSWORD", Some("pw"))).unwrap();
        assert_eq!(
            (r["ANSWER"].as_str(), r["PASSWORD"].as_str()),
            ("PASSWORD", "pw")
        );

        let (factor, r) = select_responses(&pending, &choose("PASSWORD_SRP", Some("pw"))).unwrap();
        assert_eq!(factor, FirstFactor::PasswordSrp);
        assert!(!r.contains_key("PASSWORD"), "SRP never sends the password");
    }

    #[test]
    fn bad_selections_send_nothing() {
        let pending = select(&["PASSWORD", "EMAIL_OTP"]);
        for (answer, why) in [
            (ChallengeAnswer::default(), "no answer"),
            (choose("SMS_OTP", None), "not available"),
            (choose("SOFTWARE_TOKEN_MFA", None), "not a first factor"),
            (choose("PASSWORD", None), "no password"),
            (choose("PASSWORD", Some("")), "empty password"),
        ] {
            let e = select_responses(&pending, &answer).unwrap_err();
            assert_eq!(e.code(), "InvalidParameterError", "{why}");
        }
        // Without a list from Cognito, any first factor may be tried.
        assert!(select_responses(&select(&[]), &choose("SMS_OTP", None)).is_ok());
    }
}

//! Challenges after the password: what Cognito asks, and how each answer is put.

use std::collections::{BTreeMap, HashMap};

use crate::error::Error;
use crate::secret::SecretString;
use crate::session::Session;

/// Where a sign-in stands after a round trip.
#[derive(Debug, Clone)]
pub enum SignInStep {
    SignedIn(Session),
    Challenge(PendingChallenge),
}

/// A challenge waiting for the user's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChallenge {
    /// `NEW_PASSWORD_REQUIRED`, `SOFTWARE_TOKEN_MFA`, …
    pub name: String,
    /// Cognito's `Session` for the next call.
    pub session: Option<String>,
    /// The name to answer with: `USER_ID_FOR_SRP` when Cognito gave one.
    pub username: String,
    /// `ChallengeParameters` as sent.
    pub parameters: HashMap<String, String>,
}

/// The user's answer; which fields matter depends on the challenge.
#[derive(Debug, Clone, Default)]
pub struct ChallengeAnswer {
    /// The MFA or OTP code (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SMS_OTP).
    pub code: Option<SecretString>,
    /// NEW_PASSWORD_REQUIRED.
    pub new_password: Option<SecretString>,
    /// SELECT_MFA_TYPE: `SMS_MFA`, `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`.
    pub mfa_type: Option<String>,
    /// CUSTOM_CHALLENGE.
    pub answer: Option<SecretString>,
    /// NEW_PASSWORD_REQUIRED: attributes to set (`requiredAttributes`), without the
    /// `userAttributes.` prefix.
    pub attributes: BTreeMap<String, String>,
}

/// `ChallengeResponses` for `pending` (without `SECRET_HASH`), or which answer is missing.
pub fn challenge_responses(
    pending: &PendingChallenge,
    answer: &ChallengeAnswer,
) -> Result<BTreeMap<String, String>, Error> {
    let missing = |field: &str| {
        Error::invalid_parameter(format!("{field} is required to answer {}", pending.name))
    };
    let secret = |value: &Option<SecretString>, field: &str| {
        value
            .as_ref()
            .filter(|v| !v.is_empty())
            .map(|v| v.expose_secret().to_owned())
            .ok_or_else(|| missing(field))
    };
    let mut responses = BTreeMap::from([("USERNAME".to_owned(), pending.username.clone())]);
    match pending.name.as_str() {
        "NEW_PASSWORD_REQUIRED" => {
            responses.insert(
                "NEW_PASSWORD".into(),
                secret(&answer.new_password, "newPassword")?,
            );
            for (name, value) in &answer.attributes {
                responses.insert(format!("userAttributes.{name}"), value.clone());
            }
        }
        "SMS_MFA" => {
            responses.insert("SMS_MFA_CODE".into(), secret(&answer.code, "code")?);
        }
        "SOFTWARE_TOKEN_MFA" => {
            responses.insert(
                "SOFTWARE_TOKEN_MFA_CODE".into(),
                secret(&answer.code, "code")?,
            );
        }
        "EMAIL_OTP" => {
            responses.insert("EMAIL_OTP_CODE".into(), secret(&answer.code, "code")?);
        }
        "SMS_OTP" => {
            responses.insert("SMS_OTP_CODE".into(), secret(&answer.code, "code")?);
        }
        "SELECT_MFA_TYPE" => {
            let mfa_type = answer
                .mfa_type
                .clone()
                .filter(|t| !t.is_empty())
                .ok_or_else(|| missing("mfaType"))?;
            responses.insert("ANSWER".into(), mfa_type);
        }
        "CUSTOM_CHALLENGE" => {
            responses.insert("ANSWER".into(), secret(&answer.answer, "answer")?);
        }
        // After VerifySoftwareToken with the challenge's Session (`Cognito::complete_mfa_setup`).
        "MFA_SETUP" => {}
        other => {
            return Err(Error::invalid_parameter(format!(
                "answering the {other} challenge is not supported yet"
            )));
        }
    }
    Ok(responses)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(name: &str) -> PendingChallenge {
        PendingChallenge {
            name: name.into(),
            session: Some("s".into()),
            username: "uid".into(),
            parameters: HashMap::new(),
        }
    }

    #[test]
    fn answers_by_challenge() {
        let code = ChallengeAnswer {
            code: Some("123456".into()),
            ..Default::default()
        };
        let r = challenge_responses(&pending("SOFTWARE_TOKEN_MFA"), &code).unwrap();
        assert_eq!(r["SOFTWARE_TOKEN_MFA_CODE"], "123456");
        assert_eq!(r["USERNAME"], "uid");
        let r = challenge_responses(&pending("SMS_MFA"), &code).unwrap();
        assert_eq!(r["SMS_MFA_CODE"], "123456");

        let new_password = ChallengeAnswer {
            new_password: Some("N3w!pass".into()),
            attributes: BTreeMap::from([("name".into(), "Ann".into())]),
            ..Default::default()
        };
        let r = challenge_responses(&pending("NEW_PASSWORD_REQUIRED"), &new_password).unwrap();
        assert_eq!(
            (
                r["NEW_PASSWORD"].as_str(),
                r["userAttributes.name"].as_str()
            ),
            ("N3w!pass", "Ann")
        );

        let select = ChallengeAnswer {
            mfa_type: Some("SOFTWARE_TOKEN_MFA".into()),
            ..Default::default()
        };
        assert_eq!(
            challenge_responses(&pending("SELECT_MFA_TYPE"), &select).unwrap()["ANSWER"],
            "SOFTWARE_TOKEN_MFA"
        );
    }

    #[test]
    fn missing_answers_send_nothing() {
        let empty = ChallengeAnswer::default();
        for name in [
            "NEW_PASSWORD_REQUIRED",
            "SMS_MFA",
            "SOFTWARE_TOKEN_MFA",
            "SELECT_MFA_TYPE",
            "CUSTOM_CHALLENGE",
            "DEVICE_SRP_AUTH",
        ] {
            let e = challenge_responses(&pending(name), &empty).unwrap_err();
            assert_eq!(e.code(), "InvalidParameterError", "{name}");
        }
    }
}

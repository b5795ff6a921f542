//! Challenges after the password: what Cognito asks, and how each answer is put.

use crate::error::Error;
use crate::map::VecMap;
use crate::prelude::*;
use crate::secret::SecretString;
use crate::session::Session;
use crate::wire::CodeDeliveryDetails;

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
    pub parameters: VecMap<String, String>,
    /// SELECT_CHALLENGE: `AvailableChallenges` (`USER_AUTH`'s first factors for this user).
    pub available_challenges: Vec<String>,
}

impl PendingChallenge {
    /// Where the code went: `CODE_DELIVERY_DELIVERY_MEDIUM` and `CODE_DELIVERY_DESTINATION`
    /// (EMAIL_OTP, SMS_OTP, SMS_MFA); `None` when the challenge names neither.
    pub fn code_delivery(&self) -> Option<CodeDeliveryDetails> {
        let get = |key: &str| self.parameters.get(key).cloned();
        let medium = get("CODE_DELIVERY_DELIVERY_MEDIUM");
        let destination = get("CODE_DELIVERY_DESTINATION");
        if medium.is_none() && destination.is_none() {
            return None;
        }
        Some(CodeDeliveryDetails {
            destination,
            delivery_medium: medium,
            attribute_name: None,
        })
    }

    /// WEB_AUTHN: `CREDENTIAL_REQUEST_OPTIONS`, the JSON of PublicKeyCredentialRequestOptions
    /// (base64url fields) as Cognito sent it.
    pub fn credential_request_options(&self) -> Option<&str> {
        self.parameters
            .get("CREDENTIAL_REQUEST_OPTIONS")
            .map(String::as_str)
    }
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
    /// CUSTOM_CHALLENGE; SELECT_CHALLENGE: the first factor chosen (`EMAIL_OTP`, `PASSWORD`, …).
    pub answer: Option<SecretString>,
    /// SELECT_CHALLENGE answered with `PASSWORD` or `PASSWORD_SRP`.
    pub password: Option<SecretString>,
    /// WEB_AUTHN: the assertion as AuthenticationResponseJSON (`CREDENTIAL`).
    pub credential: Option<String>,
    /// MFA_SETUP with email MFA: the address codes go to (`EMAIL`).
    pub email: Option<String>,
    /// NEW_PASSWORD_REQUIRED: attributes to set (`requiredAttributes`), without the
    /// `userAttributes.` prefix.
    pub attributes: VecMap<String, String>,
}

/// The answer field a challenge is answered with.
#[derive(Clone, Copy)]
enum Field {
    NewPassword,
    Code,
    Credential,
    MfaType,
    Answer,
}

/// The challenges answered with one field: (challenge, `ChallengeResponses` key, field).
const ONE_FIELD: [(&str, &str, Field); 8] = [
    ("NEW_PASSWORD_REQUIRED", "NEW_PASSWORD", Field::NewPassword),
    ("SMS_MFA", "SMS_MFA_CODE", Field::Code),
    ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE", Field::Code),
    ("EMAIL_OTP", "EMAIL_OTP_CODE", Field::Code),
    ("SMS_OTP", "SMS_OTP_CODE", Field::Code),
    ("WEB_AUTHN", "CREDENTIAL", Field::Credential),
    ("SELECT_MFA_TYPE", "ANSWER", Field::MfaType),
    ("CUSTOM_CHALLENGE", "ANSWER", Field::Answer),
];

/// `ChallengeResponses` for `pending` (without `SECRET_HASH`), or which answer is missing.
pub fn challenge_responses(
    pending: &PendingChallenge,
    answer: &ChallengeAnswer,
) -> Result<VecMap<String, String>, Error> {
    fn secret(value: &Option<SecretString>) -> Option<&str> {
        value.as_ref().map(SecretString::expose_secret)
    }
    let mut responses = VecMap::from([("USERNAME".to_owned(), pending.username.clone())]);
    // TOTP: after VerifySoftwareToken with the challenge's Session
    // (`Cognito::complete_mfa_setup`). Email: `EMAIL`, where `MFAS_CAN_SETUP` offers
    // EMAIL_OTP; Cognito then sends a code and asks EMAIL_OTP.
    if pending.name == "MFA_SETUP" {
        if let Some(email) = answer.email.as_deref() {
            let offered = pending
                .parameters
                .get("MFAS_CAN_SETUP")
                .is_none_or(|can| crate::text::contains(can, "\"EMAIL_OTP\""));
            if !offered {
                return Err(Error::invalid_parameter(
                    "this user pool does not offer email MFA (MFAS_CAN_SETUP has no EMAIL_OTP)",
                ));
            }
            if !email.contains('@') {
                return Err(Error::invalid_parameter("email must be an email address"));
            }
            responses.insert("EMAIL".into(), email.to_owned());
        }
        return Ok(responses);
    }
    let mut found = None;
    for &(name, key, field) in &ONE_FIELD {
        if name == pending.name {
            found = Some((key, field));
        }
    }
    let Some((key, field)) = found else {
        return Err(Error::invalid_parameter(
            [
                "answering the ",
                &pending.name,
                " challenge is not supported yet",
            ]
            .cat(),
        ));
    };
    let (value, field) = match field {
        Field::NewPassword => (secret(&answer.new_password), "newPassword"),
        Field::Code => (secret(&answer.code), "code"),
        Field::Credential => (answer.credential.as_deref(), "credential"),
        Field::MfaType => (answer.mfa_type.as_deref(), "mfaType"),
        Field::Answer => (secret(&answer.answer), "answer"),
    };
    let value = value.filter(|v| !v.is_empty()).ok_or_else(|| {
        Error::invalid_parameter([field, " is required to answer ", &pending.name].cat())
    })?;
    responses.insert(key.into(), value.to_owned());
    if key == "NEW_PASSWORD" {
        for (name, value) in &answer.attributes {
            responses.insert(["userAttributes.", name].cat(), value.clone());
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
            parameters: VecMap::new(),
            available_challenges: Vec::new(),
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
            attributes: VecMap::from([("name".into(), "Ann".into())]),
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
    fn one_time_codes_and_passkeys() {
        let code = ChallengeAnswer {
            code: Some("654321".into()),
            ..Default::default()
        };
        let r = challenge_responses(&pending("EMAIL_OTP"), &code).unwrap();
        assert_eq!(r["EMAIL_OTP_CODE"], "654321");
        let r = challenge_responses(&pending("SMS_OTP"), &code).unwrap();
        assert_eq!(r["SMS_OTP_CODE"], "654321");

        let assertion = r#"{"id":"abc","type":"public-key"}"#;
        let credential = ChallengeAnswer {
            credential: Some(assertion.into()),
            ..Default::default()
        };
        let r = challenge_responses(&pending("WEB_AUTHN"), &credential).unwrap();
        assert_eq!((r["CREDENTIAL"].as_str(), r.len()), (assertion, 2));
    }

    #[test]
    fn email_mfa_set_up_sends_the_address_where_it_is_offered() {
        let email = ChallengeAnswer {
            email: Some("ann@example.com".into()),
            ..Default::default()
        };
        let mut setup = pending("MFA_SETUP");
        setup.parameters = VecMap::from([(
            "MFAS_CAN_SETUP".into(),
            r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#.into(),
        )]);
        let r = challenge_responses(&setup, &email).unwrap();
        assert_eq!((r["EMAIL"].as_str(), r.len()), ("ann@example.com", 2));
        let plain = challenge_responses(&setup, &ChallengeAnswer::default()).unwrap();
        assert!(!plain.contains_key("EMAIL"));

        let not_an_address = ChallengeAnswer {
            email: Some("ann".into()),
            ..Default::default()
        };
        let e = challenge_responses(&setup, &not_an_address).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError");
        setup.parameters =
            VecMap::from([("MFAS_CAN_SETUP".into(), r#"["SOFTWARE_TOKEN_MFA"]"#.into())]);
        let e = challenge_responses(&setup, &email).unwrap_err();
        assert_eq!(e.code(), "InvalidParameterError", "not offered");
    }

    #[test]
    fn code_delivery_and_request_options_come_from_the_parameters() {
        let mut otp = pending("EMAIL_OTP");
        assert_eq!(otp.code_delivery(), None);
        otp.parameters = VecMap::from([
            ("CODE_DELIVERY_DELIVERY_MEDIUM".into(), "EMAIL".into()),
            ("CODE_DELIVERY_DESTINATION".into(), "a***@e***".into()),
        ]);
        let d = otp.code_delivery().unwrap();
        assert_eq!(
            (d.delivery_medium.as_deref(), d.destination.as_deref()),
            (Some("EMAIL"), Some("a***@e***"))
        );

        let mut passkey = pending("WEB_AUTHN");
        assert_eq!(passkey.credential_request_options(), None);
        passkey.parameters = VecMap::from([(
            "CREDENTIAL_REQUEST_OPTIONS".into(),
            r#"{"challenge":"AAE"}"#.into(),
        )]);
        assert_eq!(
            passkey.credential_request_options(),
            Some(r#"{"challenge":"AAE"}"#)
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
            "EMAIL_OTP",
            "SMS_OTP",
            "WEB_AUTHN",
        ] {
            let e = challenge_responses(&pending(name), &empty).unwrap_err();
            assert_eq!(e.code(), "InvalidParameterError", "{name}");
        }
    }
}

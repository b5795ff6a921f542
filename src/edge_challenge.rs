//! The challenge route of `CognitoWorkerAuth` (default `POST /auth/challenge`): the rules. When
//! the sign-in route meets a challenge it answers `200 {signedIn: false, challenge, parameters}`
//! and keeps what the next call needs — Cognito's `Session`, the challenge name and the name to
//! answer with — in one cookie, [`CHALLENGE_COOKIE`]: HttpOnly, SameSite=Strict, Secure (unless
//! the session cookies are configured without), `Max-Age` [`CHALLENGE_MAX_AGE_S`] (Cognito's
//! session lasts 3 minutes), `Path` the challenge route only. The challenge route reads it, sends
//! the answer ([`edge_answer`]) and:
//! - tokens → `200 {signedIn: true, …}`, the session cookies set, the challenge cookie cleared;
//! - another challenge → `200 {signedIn: false, challenge, parameters}`, the cookie replaced;
//! - a failure → [`failure_status`]; the cookie is kept when the same challenge may be answered
//!   again ([`keeps_challenge`]), else cleared.
//!
//! Pure: the binding layer passes the cookie header and the parsed body in.

use crate::map::VecMap;
use crate::prelude::*;

use crate::challenge::{ChallengeAnswer, PendingChallenge};
use crate::cookie::{decode, encode, format_set_cookie, CookieAttributes, CookieError, SameSite};
use crate::error::Error;
use crate::secret::SecretString;

/// The cookie that carries a challenge between the edge routes.
pub const CHALLENGE_COOKIE: &str = "cognito-wasm.challenge";

/// Its lifetime: Cognito's challenge session (3 minutes).
pub const CHALLENGE_MAX_AGE_S: i64 = 180;

/// The challenges the edge answers; others (MFA_SETUP, which needs AssociateSoftwareToken, and
/// DEVICE_SRP_AUTH) leave the sign-in route answering 403 `ChallengeUnsupported`.
pub const EDGE_CHALLENGES: [&str; 7] = [
    "NEW_PASSWORD_REQUIRED",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SELECT_MFA_TYPE",
    "CUSTOM_CHALLENGE",
];

/// Whether the edge routes can carry `challenge` ([`EDGE_CHALLENGES`]).
pub fn edge_supports(challenge: &str) -> bool {
    EDGE_CHALLENGES.contains(&challenge)
}

/// The challenge cookie's attributes for a route at `path`.
pub fn challenge_cookie_attributes(path: &str, secure: bool, max_age_s: i64) -> CookieAttributes {
    CookieAttributes {
        domain: None,
        path: path.to_owned(),
        secure,
        http_only: true,
        same_site: SameSite::Strict,
        max_age_s: Some(max_age_s),
    }
}

/// `Set-Cookie` keeping `pending` for the challenge route at `path`: the value is
/// `encode(name)~encode(session)~encode(username)` (`~` is never left unencoded).
pub fn set_challenge_cookie(
    pending: &PendingChallenge,
    path: &str,
    secure: bool,
) -> Result<String, CookieError> {
    let value = format!(
        "{}~{}~{}",
        encode(&pending.name),
        encode(pending.session.as_deref().unwrap_or("")),
        encode(&pending.username)
    );
    let attributes = challenge_cookie_attributes(path, secure, CHALLENGE_MAX_AGE_S);
    format_set_cookie(CHALLENGE_COOKIE, &value, &attributes)
}

/// `Set-Cookie` removing the challenge cookie of the route at `path`.
pub fn clear_challenge_cookie(path: &str, secure: bool) -> Result<String, CookieError> {
    format_set_cookie(
        CHALLENGE_COOKIE,
        "",
        &challenge_cookie_attributes(path, secure, 0),
    )
}

/// The challenge kept in a `Cookie` header, if it holds a well-formed one (its `parameters` are
/// not kept: answering does not need them).
pub fn read_challenge_cookie(cookie_header: &str) -> Option<PendingChallenge> {
    let jar = crate::cookie::parse_cookie_header(cookie_header);
    let value = jar.get(CHALLENGE_COOKIE)?;
    let mut parts = value.split('~');
    let (name, session, username) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let (name, session, username) = (decode(name)?, decode(session)?, decode(username)?);
    if name.is_empty() || username.is_empty() {
        return None;
    }
    Some(PendingChallenge {
        name,
        session: Some(session).filter(|s| !s.is_empty()),
        username,
        parameters: Default::default(),
        available_challenges: Vec::new(),
    })
}

/// The JSON body of `POST <challenge route>`: `{answer}`, or the challenge's own fields.
#[derive(Debug, Clone, Default)]
pub struct EdgeAnswer {
    pub answer: Option<String>,
    pub code: Option<String>,
    pub new_password: Option<String>,
    pub mfa_type: Option<String>,
    /// NEW_PASSWORD_REQUIRED: required attributes, without the `userAttributes.` prefix.
    pub attributes: VecMap<String, String>,
}

/// The answer to `challenge` in `body`: its own field when given, else `answer` — `code` for
/// SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP and SMS_OTP; `newPassword` (+ `attributes`) for
/// NEW_PASSWORD_REQUIRED; `mfaType` for SELECT_MFA_TYPE; `answer` only for CUSTOM_CHALLENGE.
pub fn edge_answer(challenge: &str, body: EdgeAnswer) -> ChallengeAnswer {
    let or_answer = |own: Option<String>| own.or_else(|| body.answer.clone());
    let secret = |value: Option<String>| value.map(SecretString::from);
    let mut answer = ChallengeAnswer {
        attributes: body.attributes.clone(),
        ..ChallengeAnswer::default()
    };
    match challenge {
        "NEW_PASSWORD_REQUIRED" => answer.new_password = secret(or_answer(body.new_password)),
        "SELECT_MFA_TYPE" => answer.mfa_type = or_answer(body.mfa_type),
        "CUSTOM_CHALLENGE" => answer.answer = secret(body.answer),
        _ => answer.code = secret(or_answer(body.code)),
    }
    answer
}

/// The status of a failed Cognito call at the edge: 503 when trying again may succeed, 401 for
/// NotAuthorizedException and UserNotFoundException (a wrong password, a refused or expired
/// challenge session), 400 for other Cognito errors and bad input (CodeMismatchException, …),
/// 502 for anything else (a malformed answer).
pub fn failure_status(error: &Error) -> u16 {
    match error {
        _ if error.retryable() => 503,
        Error::Service(s)
            if s.name == "NotAuthorizedException" || s.name == "UserNotFoundException" =>
        {
            401
        }
        Error::Service(_) | Error::InvalidParameter { .. } => 400,
        _ => 502,
    }
}

/// Whether the challenge may be answered again after `error` (the cookie is kept): a wrong code
/// (CodeMismatchException), a missing or malformed answer (InvalidParameterError,
/// InvalidParameterException, InvalidPasswordException), or a failure worth retrying. Anything
/// else (NotAuthorizedException: refused or expired) means signing in again.
pub fn keeps_challenge(error: &Error) -> bool {
    error.retryable()
        || matches!(error, Error::InvalidParameter { .. })
        || matches!(error, Error::Service(s) if matches!(s.name.as_str(),
            "CodeMismatchException" | "InvalidParameterException" | "InvalidPasswordException"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::tests::service;

    fn pending() -> PendingChallenge {
        PendingChallenge {
            name: "CUSTOM_CHALLENGE".into(),
            session: Some("AYAB+/=x~y".into()),
            username: "ann~é;x".into(),
            parameters: Default::default(),
            available_challenges: Vec::new(),
        }
    }

    #[test]
    fn the_cookie_keeps_the_challenge_for_its_route_only() {
        let line = set_challenge_cookie(&pending(), "/auth/challenge", true).unwrap();
        assert!(line.starts_with("cognito-wasm.challenge=CUSTOM_CHALLENGE~AYAB%2B%2F%3Dx%7Ey~"));
        assert!(line
            .ends_with("; Max-Age=180; Path=/auth/challenge; Secure; HttpOnly; SameSite=Strict"));
        let pair = line.split(';').next().unwrap();
        let read = read_challenge_cookie(&format!("other=1; {pair}; x=2")).unwrap();
        assert_eq!(read, pending());
        assert_eq!(
            clear_challenge_cookie("/auth/challenge", false).unwrap(),
            "cognito-wasm.challenge=; Max-Age=0; Path=/auth/challenge; HttpOnly; SameSite=Strict"
        );
        let without_session = PendingChallenge {
            session: None,
            ..pending()
        };
        let line = set_challenge_cookie(&without_session, "/c", true).unwrap();
        let pair = line.split(';').next().unwrap();
        assert_eq!(read_challenge_cookie(pair).unwrap().session, None);
    }

    #[test]
    fn malformed_cookies_are_no_challenge() {
        for header in [
            "",
            "cognito-wasm.challenge=",
            "cognito-wasm.challenge=A~s",
            "cognito-wasm.challenge=A~s~u~v",
            "cognito-wasm.challenge=~s~u",
            "cognito-wasm.challenge=A~s~",
            "cognito-wasm.challenge=A~%FF~u",
        ] {
            assert_eq!(read_challenge_cookie(header), None, "{header}");
        }
    }

    #[test]
    fn body_fields_by_challenge() {
        let body = |answer: Option<&str>, code: Option<&str>| EdgeAnswer {
            answer: answer.map(Into::into),
            code: code.map(Into::into),
            ..EdgeAnswer::default()
        };
        let exposed = |s: &Option<SecretString>| s.as_ref().map(|s| s.expose_secret().to_owned());
        for name in ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP", "SMS_OTP"] {
            let a = edge_answer(name, body(None, Some("123456")));
            assert_eq!(exposed(&a.code).as_deref(), Some("123456"), "{name}");
            let a = edge_answer(name, body(Some("654321"), None));
            assert_eq!(
                exposed(&a.code).as_deref(),
                Some("654321"),
                "{name}: answer"
            );
        }
        let a = edge_answer("CUSTOM_CHALLENGE", body(Some("42"), Some("ignored")));
        assert_eq!(
            (exposed(&a.answer).as_deref(), a.code.is_none()),
            (Some("42"), true)
        );
        let a = edge_answer("CUSTOM_CHALLENGE", body(None, Some("42")));
        assert!(a.answer.is_none(), "a custom challenge takes answer only");
        let new_password = EdgeAnswer {
            new_password: Some("N3w!pass".into()),
            attributes: VecMap::from([("name".into(), "Ann".into())]),
            ..EdgeAnswer::default()
        };
        let a = edge_answer("NEW_PASSWORD_REQUIRED", new_password);
        assert_eq!(exposed(&a.new_password).as_deref(), Some("N3w!pass"));
        assert_eq!(a.attributes["name"], "Ann");
        let a = edge_answer("SELECT_MFA_TYPE", body(Some("SOFTWARE_TOKEN_MFA"), None));
        assert_eq!(a.mfa_type.as_deref(), Some("SOFTWARE_TOKEN_MFA"));
        // Each answer then becomes ChallengeResponses as in the client.
        let pending = PendingChallenge {
            name: "SOFTWARE_TOKEN_MFA".into(),
            ..pending()
        };
        let r = crate::challenge::challenge_responses(
            &pending,
            &edge_answer("SOFTWARE_TOKEN_MFA", body(Some("111222"), None)),
        )
        .unwrap();
        assert_eq!(r["SOFTWARE_TOKEN_MFA_CODE"], "111222");
    }

    #[test]
    fn statuses_and_which_failures_keep_the_challenge() {
        let cases = [
            (service("NotAuthorizedException", 400), 401, false),
            (service("CodeMismatchException", 400), 400, true),
            (service("InvalidPasswordException", 400), 400, true),
            (service("ExpiredCodeException", 400), 400, false),
            (Error::invalid_parameter("answer is required"), 400, true),
            (service("InternalErrorException", 500), 503, true),
            (
                Error::Network {
                    message: "down".into(),
                },
                503,
                true,
            ),
            (Error::invalid_response("x"), 502, false),
        ];
        for (error, status, keeps) in cases {
            assert_eq!(failure_status(&error), status, "{error:?}");
            assert_eq!(keeps_challenge(&error), keeps, "{error:?}");
        }
        assert!(edge_supports("SOFTWARE_TOKEN_MFA") && edge_supports("CUSTOM_CHALLENGE"));
        assert!(!edge_supports("MFA_SETUP") && !edge_supports("DEVICE_SRP_AUTH"));
    }
}

"""Choice-based sign-in (InitiateAuth ``USER_AUTH``), its first factors, the auto sign-in
``Session`` of SignUp / ConfirmSignUp, and GetUserAuthFactors.

The pool's first factors are ``Policies.SignInPolicy.AllowedFirstAuthFactors`` (default
``["PASSWORD"]``); the app client needs ``ALLOW_USER_AUTH``. A user's AvailableChallenges:

* ``PASSWORD`` and ``PASSWORD_SRP`` when the user has a password;
* ``EMAIL_OTP`` with a verified ``email``; ``SMS_OTP`` with a verified ``phone_number``;
* ``WEB_AUTHN`` with a passkey (``webauthn.py``: offered only once the passkey side exists).

InitiateAuth ``USER_AUTH`` ``{USERNAME, PREFERRED_CHALLENGE?, PASSWORD?, SRP_A?}``:

* a ``Session`` from SignUp / ConfirmSignUp: tokens for that (confirmed) user, once, within the
  client's AuthSessionValidity (UserNotConfirmedException before ConfirmSignUp, session kept);
* an available ``PREFERRED_CHALLENGE``: that factor at once (PASSWORD: the password is checked
  and the sign-in goes on as USER_PASSWORD_AUTH; PASSWORD_SRP: PASSWORD_VERIFIER as
  USER_SRP_AUTH; EMAIL_OTP / SMS_OTP: a code is sent and the challenge answered);
* else SELECT_CHALLENGE with ``AvailableChallenges``, answered by ``ANSWER`` (+ ``PASSWORD`` /
  ``SRP_A``); a factor not offered is InvalidParameterException and keeps the challenge.

EMAIL_OTP / SMS_OTP: a 6-digit code (purpose ``EMAIL_OTP`` / ``SMS_OTP`` at ``/_emulator/codes``,
valid ``otp.TTL_SECONDS``); ``CODE_DELIVERY_DELIVERY_MEDIUM`` and ``CODE_DELIVERY_DESTINATION``
(masked) in the challenge parameters. A wrong code is CodeMismatchException and keeps the same
Session, for ``OTP_FAILURES_PER_SESSION`` wrong codes (then the session ends, as the emulator's
SOFTWARE_TOKEN_MFA does); the right code gives tokens (no further MFA after a passwordless first
factor). The same EMAIL_OTP answer ends the email-MFA challenges of ``email_mfa.py``.

Unknown users (PreventUserExistenceErrors ENABLED) get a decoy SELECT_CHALLENGE whose every answer
is NotAuthorizedException "Incorrect username or password."; with LEGACY, UserNotFoundException.
"""

from __future__ import annotations

from . import auth, email_mfa, errors, otp, webauthn
from .account import user_for_access_token
from .directory import CONFIRMED, UNCONFIRMED

FIRST_FACTORS = ("EMAIL_OTP", "SMS_OTP", "WEB_AUTHN", "PASSWORD", "PASSWORD_SRP")
OTP_FAILURES_PER_SESSION = 3
AUTO_SIGN_IN = "AUTO_SIGN_IN"  # the session kind of SignUp's / ConfirmSignUp's Session


def _status(user) -> str:
    return getattr(user.status, "value", user.status)


def allowed_first_factors(pool) -> list[str]:
    policy = (pool.extended_config.get("Policies") or {}).get("SignInPolicy") or {}
    return list(policy.get("AllowedFirstAuthFactors") or ["PASSWORD"])


def passwordless_factors(pool) -> list[str]:
    """The pool's first factors that need no password."""
    return [f for f in allowed_first_factors(pool) if f in ("EMAIL_OTP", "SMS_OTP", "WEB_AUTHN")]


def _verified(user, attr: str) -> bool:
    values = user.attribute_lookup
    return bool(values.get(attr)) and values.get(f"{attr}_verified") == "true"


def _has_password(user) -> bool:
    return getattr(user, "srp_verifier", None) is not None


def available_challenges(pool, user) -> list[str]:
    allowed = allowed_first_factors(pool)
    out = []
    if "PASSWORD" in allowed and _has_password(user):
        out += ["PASSWORD", "PASSWORD_SRP"]
    if "EMAIL_OTP" in allowed and _verified(user, "email"):
        out.append("EMAIL_OTP")
    if "SMS_OTP" in allowed and _verified(user, "phone_number"):
        out.append("SMS_OTP")
    if "WEB_AUTHN" in allowed and webauthn.has_passkey(user) and webauthn.sign_in_ready():
        out.append("WEB_AUTHN")
    return out


def configured_factors(pool, user) -> list[str]:
    """GetUserAuthFactors' ConfiguredUserAuthFactors: what the user can sign in with."""
    allowed = allowed_first_factors(pool)
    out = ["PASSWORD"] if _has_password(user) else []
    out += [f for f in ("EMAIL_OTP", "SMS_OTP") if f in allowed and _verified(user, otp.CHANNELS[f][0])]
    if "WEB_AUTHN" in allowed and webauthn.has_passkey(user):
        out.append("WEB_AUTHN")
    return out


# --- InitiateAuth ----------------------------------------------------------------------

def initiate_auth(emu, req: dict) -> dict:
    if req.get("AuthFlow") != "USER_AUTH":
        return auth.initiate_auth(emu, req)
    errors.require(req, "ClientId")
    pool, client = emu.directory.client(req["ClientId"])
    emu.stats.auth_flows["USER_AUTH"] += 1
    if not emu.directory.flow_allowed(client, "USER_AUTH"):
        raise errors.InvalidParameter("Auth flow not enabled for this client")
    params = req.get("AuthParameters") or {}
    errors.require(params, "USERNAME")
    login = params["USERNAME"]
    emu.directory.check_secret_hash(client, login, params.get("SECRET_HASH"))
    if req.get("Session"):
        return _auto_sign_in(emu, pool, client, login, req["Session"])
    preferred = params.get("PREFERRED_CHALLENGE")
    if preferred is not None and preferred not in FIRST_FACTORS:
        raise errors.InvalidParameter(f"Invalid PREFERRED_CHALLENGE: {preferred}")
    user = emu.directory.find_user(pool, login)
    if user is None:
        if not emu.directory.prevents_existence_errors(client):
            raise errors.UserNotFound("User does not exist.")
        if preferred == "PASSWORD_SRP" and params.get("SRP_A"):
            return auth._srp_start(emu, pool, client, params)  # its decoy PASSWORD_VERIFIER
        if preferred == "PASSWORD":
            raise errors.NotAuthorized(auth.INCORRECT)
        allowed = allowed_first_factors(pool)
        decoy = (["PASSWORD", "PASSWORD_SRP"] if "PASSWORD" in allowed else []) + \
            (["EMAIL_OTP"] if "EMAIL_OTP" in allowed else [])
        return _select(emu, pool, client, None, decoy)
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    available = available_challenges(pool, user)
    if preferred in available:
        return _begin(emu, pool, client, user, preferred, params)
    return _select(emu, pool, client, user, available)


def _select(emu, pool, client, user, available: list[str]) -> dict:
    username = user.username if user is not None else None
    ch = emu.sessions.open("SELECT_CHALLENGE", pool.id, client.id, username, auth._session_minutes(client),
                           available=list(available))
    return {"ChallengeName": "SELECT_CHALLENGE", "Session": ch.session,
            "ChallengeParameters": {"USERNAME": username} if username else {},
            "AvailableChallenges": list(available)}


def _begin(emu, pool, client, user, factor: str, params: dict) -> dict:
    """The first factor ``factor`` (available to ``user``) with ``params`` (AuthParameters, or
    SELECT_CHALLENGE's ChallengeResponses)."""
    if factor == "PASSWORD":
        errors.require(params, "PASSWORD")
        if not emu.directory.password_matches(pool, user, params["PASSWORD"]):
            raise errors.NotAuthorized(auth.INCORRECT)
        return auth.after_password(emu, pool, client, user)
    if factor == "PASSWORD_SRP":
        errors.require(params, "SRP_A")
        return auth._srp_start(emu, pool, client, params)
    if _status(user) == UNCONFIRMED:
        raise errors.UserNotConfirmed("User is not confirmed.")
    if factor in otp.CHANNELS:
        return otp.send_code(emu, pool, client, user, factor)
    started = webauthn.start_sign_in(emu, pool, client, user)  # offered only when it exists
    ch = emu.sessions.open("WEB_AUTHN", pool.id, client.id, user.username, auth._session_minutes(client),
                           webauthn=started.get("data", {}))
    return {"ChallengeName": "WEB_AUTHN", "Session": ch.session,
            "ChallengeParameters": dict(started["parameters"])}


# --- RespondToAuthChallenge -------------------------------------------------------------

def respond_to_auth_challenge(emu, req: dict) -> dict:
    name = req.get("ChallengeName")
    responses = req.get("ChallengeResponses") or {}
    handler = _CHALLENGES.get(name)
    if name == "MFA_SETUP" and "EMAIL" in responses:
        handler = email_mfa.answer_setup
    if handler is None:
        return auth.respond_to_auth_challenge(emu, req)
    errors.require(req, "ClientId")
    pool, client = emu.directory.client(req["ClientId"])
    return handler(emu, pool, client, responses, req.get("Session"))


def _select_answer(emu, pool, client, responses: dict, session) -> dict:
    ch = emu.sessions.get(session, "SELECT_CHALLENGE", client.id)
    errors.require(responses, "USERNAME", "ANSWER")
    if ch.username is None:  # the decoy of an unknown user
        emu.sessions.close(ch)
        raise errors.NotAuthorized(auth.INCORRECT)
    user = auth._challenge_user(emu, pool, ch, responses)
    auth._check_challenge_secret(emu, client, user, responses)
    answer = responses["ANSWER"]
    if answer not in ch.data["available"]:
        raise errors.InvalidParameter(f"The challenge {answer} is not available for this user.")
    emu.sessions.close(ch)
    return _begin(emu, pool, client, user, answer, responses)


def _otp_answer(name: str):
    def answer(emu, pool, client, responses: dict, session) -> dict:
        ch = emu.sessions.get(session, name, client.id)
        errors.require(responses, "USERNAME", f"{name}_CODE")
        user = auth._challenge_user(emu, pool, ch, responses)
        auth._check_challenge_secret(emu, client, user, responses)
        try:
            emu.codes.check(pool.id, user.username, name, responses[f"{name}_CODE"])
        except errors.CognitoError as err:
            if err.name == "CodeMismatchException":
                ch.data["failures"] = ch.data.get("failures", 0) + 1
                if ch.data["failures"] >= OTP_FAILURES_PER_SESSION:
                    emu.sessions.close(ch)
            raise
        emu.sessions.close(ch)
        if ch.data.get("setup_email"):
            email_mfa.enable(emu, user, ch.data["setup_email"])
        return auth.issue_tokens(emu, pool, client, user)
    return answer


def _webauthn_answer(emu, pool, client, responses: dict, session) -> dict:
    ch = emu.sessions.get(session, "WEB_AUTHN", client.id)
    errors.require(responses, "USERNAME", "CREDENTIAL")
    user = auth._challenge_user(emu, pool, ch, responses)
    auth._check_challenge_secret(emu, client, user, responses)
    if not webauthn.sign_in_ready():
        raise errors.InvalidParameter("WEB_AUTHN is not available for this user.")
    emu.sessions.close(ch)  # one assertion per challenge
    webauthn.verify_sign_in(emu, pool, client, user, ch.data.get("webauthn", {}), responses["CREDENTIAL"])
    return auth.issue_tokens(emu, pool, client, user)


_CHALLENGES = {"SELECT_CHALLENGE": _select_answer, "EMAIL_OTP": _otp_answer("EMAIL_OTP"),
               "SMS_OTP": _otp_answer("SMS_OTP"), "WEB_AUTHN": _webauthn_answer}


# --- auto sign-in after sign-up ---------------------------------------------------------

def sign_up_session(emu, pool, client, user) -> dict:
    """``{"Session": …}`` for SignUp / ConfirmSignUp answers of a client with ALLOW_USER_AUTH."""
    if not emu.directory.flow_allowed(client, "USER_AUTH"):
        return {}
    ch = emu.sessions.open(AUTO_SIGN_IN, pool.id, client.id, user.username, auth._session_minutes(client))
    return {"Session": ch.session}


def check_passwordless_sign_up(emu, pool, client, attrs: dict) -> None:
    """SignUp without Password: the pool and client sign in without one (a passwordless first
    factor, ALLOW_USER_AUTH), and the user gives an attribute of an allowed OTP factor that the
    pool verifies automatically; else InvalidParameterException."""
    factors = passwordless_factors(pool)
    if not factors or not emu.directory.flow_allowed(client, "USER_AUTH"):
        raise errors.InvalidParameter("Missing required parameter Password")
    auto = pool.extended_config.get("AutoVerifiedAttributes") or []
    usable = [otp.CHANNELS[f][0] for f in factors if f in otp.CHANNELS]
    if not any(attrs.get(a) and a in auto for a in usable):
        raise errors.InvalidParameter("A password is required unless the user has an automatically verified "
                                      + " or ".join(usable or ["email"]) + " for passwordless sign-in")


def end_sign_up_session(emu, client, session) -> None:
    """ConfirmSignUp was given SignUp's Session: it is replaced by the one ConfirmSignUp returns."""
    try:
        emu.sessions.close(emu.sessions.get(session, AUTO_SIGN_IN, client.id))
    except errors.CognitoError:
        pass


def _auto_sign_in(emu, pool, client, login: str, session: str) -> dict:
    ch = emu.sessions.get(session, AUTO_SIGN_IN, client.id)
    user = pool.users.get(ch.username or "")
    if user is None or emu.directory.find_user(pool, login) is not user:
        raise errors.NotAuthorized("Invalid session for the user.")
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    if _status(user) != CONFIRMED:
        raise errors.UserNotConfirmed("User is not confirmed.")
    emu.sessions.close(ch)  # one use
    return auth.mfa_or_tokens(emu, pool, client, user)


# --- GetUserAuthFactors -----------------------------------------------------------------

def get_user_auth_factors(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    out = {"Username": user.username, "ConfiguredUserAuthFactors": configured_factors(pool, user)}
    mfa = (["SOFTWARE_TOKEN_MFA"] if user.software_token_mfa_enabled else []) + email_mfa.setting(user)
    if mfa:
        out["UserMFASettingList"] = mfa
    if user.preferred_mfa_setting:
        out["PreferredMfaSetting"] = user.preferred_mfa_setting
    return out


OPERATIONS = {
    "InitiateAuth": initiate_auth,
    "RespondToAuthChallenge": respond_to_auth_challenge,
    "GetUserAuthFactors": get_user_auth_factors,
}

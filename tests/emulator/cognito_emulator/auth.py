"""InitiateAuth / RespondToAuthChallenge (and their Admin* twins).

Flows: USER_SRP_AUTH -> PASSWORD_VERIFIER, USER_PASSWORD_AUTH,
REFRESH_TOKEN_AUTH / REFRESH_TOKEN, ADMIN_USER_PASSWORD_AUTH / ADMIN_NO_SRP_AUTH.
After a verified password: UNCONFIRMED -> UserNotConfirmedException,
RESET_REQUIRED -> PasswordResetRequiredException, FORCE_CHANGE_PASSWORD ->
NEW_PASSWORD_REQUIRED, TOTP enabled -> SOFTWARE_TOKEN_MFA, pool MFA "ON" without
a factor -> MFA_SETUP, else tokens.

Unknown users: with the client's PreventUserExistenceErrors = ENABLED the SRP
flow hands out a decoy PASSWORD_VERIFIER challenge (stable fake salt) and
every flow ends in NotAuthorizedException "Incorrect username or password.";
with LEGACY it is UserNotFoundException "User does not exist.".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sys
from datetime import datetime, timezone

from . import attributes, devices, email_mfa, errors, passwords, refresh, srp, totp
from .directory import CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, UNCONFIRMED

INCORRECT = "Incorrect username or password."
_DECOY_KEY = secrets.token_bytes(32)


def _log(message: str) -> None:
    print(f"[cognito-emulator] {message}", file=sys.stderr, flush=True)


def _session_minutes(client) -> float:
    return float(client.extended_config.get("AuthSessionValidity", 3))


def _refresh_days(client) -> float:
    return float(client.extended_config.get("RefreshTokenValidity", 30))


def _unknown_user(emu, client):
    if emu.directory.prevents_existence_errors(client):
        return errors.NotAuthorized(INCORRECT)
    return errors.UserNotFound("User does not exist.")


# --- InitiateAuth ----------------------------------------------------------------

def initiate_auth(emu, req: dict, admin_pool_id: str | None = None) -> dict:
    errors.require(req, "ClientId", "AuthFlow")
    pool, client = emu.directory.client(req["ClientId"])
    if admin_pool_id is not None and pool.id != admin_pool_id:
        raise errors.ResourceNotFound(f"User pool client {client.id} does not exist.")
    flow = req["AuthFlow"]
    params = req.get("AuthParameters") or {}
    emu.stats.auth_flows[flow] += 1
    canonical = {"REFRESH_TOKEN": "REFRESH_TOKEN_AUTH", "ADMIN_NO_SRP_AUTH": "ADMIN_USER_PASSWORD_AUTH"}.get(flow, flow)
    handlers = {"USER_SRP_AUTH": _srp_start, "USER_PASSWORD_AUTH": _password_auth,
                "REFRESH_TOKEN_AUTH": _refresh_auth}
    if admin_pool_id is not None:
        handlers = {"ADMIN_USER_PASSWORD_AUTH": _password_auth, "REFRESH_TOKEN_AUTH": _refresh_auth,
                    "USER_SRP_AUTH": _srp_start}
    if canonical not in handlers:
        raise errors.InvalidParameter(f"Initiate Auth method not supported: {flow}")
    if not emu.directory.flow_allowed(client, canonical):
        raise errors.InvalidParameter("Auth flow not enabled for this client")
    return handlers[canonical](emu, pool, client, params)


def _srp_start(emu, pool, client, params: dict) -> dict:
    errors.require(params, "USERNAME", "SRP_A")
    login = params["USERNAME"]
    emu.directory.check_secret_hash(client, login, params.get("SECRET_HASH"))
    try:
        A = srp.parse_srp_a(params["SRP_A"])
    except ValueError as exc:
        raise errors.InvalidParameter(f"Invalid SRP_A: {exc}")
    user = emu.directory.find_user(pool, login)
    if user is None:
        if not emu.directory.prevents_existence_errors(client):
            raise errors.UserNotFound("User does not exist.")
        salt = hmac.new(_DECOY_KEY, f"{pool.id}/{login}".encode(), hashlib.sha256).digest()[:16]
        verifier, user_id = pow(srp.G, secrets.randbits(256), srp.N), login
    elif not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    else:
        salt, verifier, user_id = user.srp_salt, user.srp_verifier, user.username
        if verifier is None:  # a user without a password can't sign in
            raise errors.NotAuthorized(INCORRECT)
    b = srp.new_private_b()
    B = srp.compute_B(verifier, b)
    secret_block = secrets.token_bytes(768)
    secret_block_b64 = base64.b64encode(secret_block).decode("ascii")
    ch = emu.sessions.open("PASSWORD_VERIFIER", pool.id, client.id, user.username if user else None,
                           _session_minutes(client), A=A, B=B, b=b, v=verifier,
                           secret_block_b64=secret_block_b64, user_id=user_id)
    return {"ChallengeName": "PASSWORD_VERIFIER", "Session": ch.session,
            "ChallengeParameters": {"SALT": salt.hex(), "SRP_B": format(B, "x"),
                                    "SECRET_BLOCK": secret_block_b64, "USER_ID_FOR_SRP": user_id,
                                    "USERNAME": user_id}}


def _password_auth(emu, pool, client, params: dict) -> dict:
    errors.require(params, "USERNAME", "PASSWORD")
    login = params["USERNAME"]
    emu.directory.check_secret_hash(client, login, params.get("SECRET_HASH"))
    user = emu.directory.find_user(pool, login)
    if user is None:
        raise _unknown_user(emu, client)
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    if not emu.directory.password_matches(pool, user, params["PASSWORD"]):
        raise errors.NotAuthorized(INCORRECT)
    return after_password(emu, pool, client, user)


def _refresh_auth(emu, pool, client, params: dict) -> dict:
    errors.require(params, "REFRESH_TOKEN")
    if refresh.rotation(client)[0]:
        raise errors.InvalidParameter("Refresh token rotation is enabled for this client: use GetTokensFromRefreshToken")
    origin = emu.tokens.origin_for_refresh(params["REFRESH_TOKEN"], client.id)
    user = pool.users.get(origin.username)
    if user is None:
        raise errors.NotAuthorized("User does not exist.")
    names = [user.username] + ([params["USERNAME"]] if params.get("USERNAME") else [])
    emu.directory.check_secret_hash(client, names, params.get("SECRET_HASH"))
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    result = emu.tokens.mint(origin, emu.directory.sub(user), attributes.id_token_claims(user.attribute_lookup),
                             with_refresh=False)
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


# --- after the password -------------------------------------------------------------

def after_password(emu, pool, client, user) -> dict:
    status = getattr(user.status, "value", user.status)
    if status == UNCONFIRMED:
        raise errors.UserNotConfirmed("User is not confirmed.")
    if status == RESET_REQUIRED:
        raise errors.PasswordResetRequired("Password reset required for the user")
    if status == FORCE_CHANGE_PASSWORD:
        return _new_password_challenge(emu, pool, client, user)
    return mfa_or_tokens(emu, pool, client, user)


def _new_password_challenge(emu, pool, client, user) -> dict:
    if user.temp_password_expires_at and datetime.now(timezone.utc).timestamp() > user.temp_password_expires_at:
        raise errors.NotAuthorized("Temporary password has expired and must be reset by an administrator.")
    attrs = user.attribute_lookup
    required = [f"userAttributes.{n}" for n in attributes.missing_required(pool, attrs)]
    visible = {k: v for k, v in attrs.items() if k not in attributes.HIDDEN_IN_CHALLENGE}
    ch = emu.sessions.open("NEW_PASSWORD_REQUIRED", pool.id, client.id, user.username, _session_minutes(client))
    return {"ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": ch.session,
            "ChallengeParameters": {"USER_ID_FOR_SRP": user.username,
                                    "requiredAttributes": json.dumps(required),
                                    "userAttributes": json.dumps(visible)}}


def mfa_or_tokens(emu, pool, client, user) -> dict:
    if pool.mfa_config != "OFF" and user.software_token_mfa_enabled and user.totp_secret:
        ch = emu.sessions.open("SOFTWARE_TOKEN_MFA", pool.id, client.id, user.username, _session_minutes(client))
        return {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": ch.session, "ChallengeParameters": {}}
    if pool.mfa_config != "OFF" and email_mfa.enabled(user):
        return email_mfa.challenge(emu, pool, client, user)
    if pool.mfa_config == "ON":
        ch = emu.sessions.open("MFA_SETUP", pool.id, client.id, user.username, _session_minutes(client))
        return {"ChallengeName": "MFA_SETUP", "Session": ch.session,
                "ChallengeParameters": {"MFAS_CAN_SETUP": json.dumps(["SOFTWARE_TOKEN_MFA"] + email_mfa.can_setup(pool))}}
    return issue_tokens(emu, pool, client, user)


def issue_tokens(emu, pool, client, user, new_device: bool = True) -> dict:
    origin = emu.tokens.start_origin(pool.id, user.username, client.id, _refresh_days(client))
    result = emu.tokens.mint(origin, emu.directory.sub(user), attributes.id_token_claims(user.attribute_lookup),
                             with_refresh=True)
    metadata = devices.new_device_metadata(emu, pool, user) if new_device else None
    if metadata is not None:
        result["NewDeviceMetadata"] = metadata
    return {"ChallengeParameters": {}, "AuthenticationResult": result}


# --- RespondToAuthChallenge ------------------------------------------------------

def respond_to_auth_challenge(emu, req: dict, admin_pool_id: str | None = None) -> dict:
    errors.require(req, "ClientId", "ChallengeName")
    pool, client = emu.directory.client(req["ClientId"])
    if admin_pool_id is not None and pool.id != admin_pool_id:
        raise errors.ResourceNotFound(f"User pool client {client.id} does not exist.")
    responses = req.get("ChallengeResponses") or {}
    name = req["ChallengeName"]
    handlers = {"PASSWORD_VERIFIER": _password_verifier, "NEW_PASSWORD_REQUIRED": _new_password,
                "SOFTWARE_TOKEN_MFA": _software_token_mfa, "MFA_SETUP": _mfa_setup, **devices.CHALLENGES}
    if name not in handlers:
        raise errors.InvalidParameter(f"Unsupported challenge name: {name}")
    return handlers[name](emu, pool, client, responses, req.get("Session"))


def _challenge_user(emu, pool, ch, responses: dict):
    """The challenge's user; the USERNAME sent must denote the same user."""
    user = pool.users.get(ch.username or "")
    if user is None or emu.directory.find_user(pool, responses.get("USERNAME")) is not user:
        raise errors.NotAuthorized(INCORRECT)
    return user


def _password_verifier(emu, pool, client, responses: dict, session) -> dict:
    errors.require(responses, "USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")
    ch = emu.sessions.get_by_secret_block(responses["PASSWORD_CLAIM_SECRET_BLOCK"], session, client.id)
    emu.sessions.close(ch)  # one attempt per challenge, as Cognito
    user_id = ch.data["user_id"]
    emu.directory.check_secret_hash(client, user_id, responses.get("SECRET_HASH"))
    try:
        srp.check_timestamp(responses["TIMESTAMP"], datetime.now(timezone.utc))
    except ValueError as exc:
        _log(f"PASSWORD_VERIFIER rejected: {exc}")
        raise errors.NotAuthorized(INCORRECT)
    A, B, b, v = ch.data["A"], ch.data["B"], ch.data["b"], ch.data["v"]
    u = srp.compute_u(A, B)
    key = srp.derive_key(u, srp.server_S(A, v, u, b))
    ok = u != 0 and srp.signature_matches(key, srp.pool_name(pool.id), user_id,
                                          base64.b64decode(ch.data["secret_block_b64"]),
                                          responses["TIMESTAMP"], responses["PASSWORD_CLAIM_SIGNATURE"])
    if ch.username is None:
        raise errors.NotAuthorized(INCORRECT)  # decoy challenge for an unknown user
    user = _challenge_user(emu, pool, ch, responses)
    if not ok:
        _log(f"PASSWORD_VERIFIER rejected for {pool.id}/{user_id}: signature mismatch (wrong password or SRP bug)")
        raise errors.NotAuthorized(INCORRECT)
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    if getattr(user.status, "value", user.status) == CONFIRMED:  # a remembered device: DEVICE_SRP_AUTH
        device = devices.challenge_after_password(emu, pool, client, user, responses.get("DEVICE_KEY"),
                                                  _session_minutes(client))
        if device is not None:
            return device
    return after_password(emu, pool, client, user)


def _check_challenge_secret(emu, client, user, responses: dict) -> None:
    names = [user.username] + ([responses["USERNAME"]] if responses.get("USERNAME") else [])
    emu.directory.check_secret_hash(client, names, responses.get("SECRET_HASH"))


def _new_password(emu, pool, client, responses: dict, session) -> dict:
    ch = emu.sessions.get(session, "NEW_PASSWORD_REQUIRED", client.id)
    errors.require(responses, "USERNAME", "NEW_PASSWORD")
    user = _challenge_user(emu, pool, ch, responses)
    _check_challenge_secret(emu, client, user, responses)
    prefix = "userAttributes."
    updates = {k[len(prefix):]: v for k, v in responses.items() if k.startswith(prefix)}
    attributes.validate(pool, updates)
    merged = {**user.attribute_lookup, **updates}
    missing = attributes.missing_required(pool, merged)
    if missing:
        raise errors.InvalidParameter(f"Invalid attributes given, {missing[0]} is missing")
    passwords.validate(passwords.policy_of(pool), responses["NEW_PASSWORD"])
    emu.sessions.close(ch)
    if updates:
        emu.directory.set_attributes(user, updates)
    emu.directory.set_password(pool, user, responses["NEW_PASSWORD"])
    user.status = CONFIRMED
    user.temp_password_expires_at = None
    emu.codes.discard(pool.id, user.username, "TEMPORARY_PASSWORD")
    return mfa_or_tokens(emu, pool, client, user)


def _software_token_mfa(emu, pool, client, responses: dict, session) -> dict:
    ch = emu.sessions.get(session, "SOFTWARE_TOKEN_MFA", client.id)
    errors.require(responses, "USERNAME", "SOFTWARE_TOKEN_MFA_CODE")
    user = _challenge_user(emu, pool, ch, responses)
    _check_challenge_secret(emu, client, user, responses)
    if not user.totp_secret or not totp.verify(user.totp_secret, responses["SOFTWARE_TOKEN_MFA_CODE"]):
        ch.data["failures"] = ch.data.get("failures", 0) + 1
        if ch.data["failures"] >= 3:
            emu.sessions.close(ch)
        raise errors.CodeMismatch("Invalid code received for user")
    emu.sessions.close(ch)
    return issue_tokens(emu, pool, client, user)


def _mfa_setup(emu, pool, client, responses: dict, session) -> dict:
    ch = emu.sessions.get(session, "MFA_SETUP", client.id)
    errors.require(responses, "USERNAME")
    user = _challenge_user(emu, pool, ch, responses)
    _check_challenge_secret(emu, client, user, responses)
    if not ch.data.get("verified"):
        raise errors.InvalidParameter("MFA setup is not complete: call AssociateSoftwareToken and VerifySoftwareToken with this Session")
    emu.sessions.close(ch)
    return issue_tokens(emu, pool, client, user)


# --- Admin twins -----------------------------------------------------------------------

def admin_initiate_auth(emu, req: dict) -> dict:
    errors.require(req, "UserPoolId")
    emu.directory.pool(req["UserPoolId"])
    return initiate_auth(emu, req, admin_pool_id=req["UserPoolId"])


def admin_respond_to_auth_challenge(emu, req: dict) -> dict:
    errors.require(req, "UserPoolId")
    emu.directory.pool(req["UserPoolId"])
    return respond_to_auth_challenge(emu, req, admin_pool_id=req["UserPoolId"])


OPERATIONS = {
    "InitiateAuth": initiate_auth,
    "RespondToAuthChallenge": respond_to_auth_challenge,
    "AdminInitiateAuth": admin_initiate_auth,
    "AdminRespondToAuthChallenge": admin_respond_to_auth_challenge,
}

"""CUSTOM_AUTH with scripted Define/Create/VerifyAuthChallenge triggers.

A pool takes CUSTOM_AUTH when its ``LambdaConfig`` names the three triggers (the emulator runs
no Lambda: the names only switch the script on) and the app client allows ``CUSTOM_AUTH``.
The script, per sign-in:

* ``AuthParameters.CHALLENGE_NAME == "SRP_A"`` (with ``SRP_A``): PASSWORD_VERIFIER first, as
  USER_SRP_AUTH; a verified password then goes on to the custom challenge.
* The custom challenge: ``CUSTOM_CHALLENGE`` with ``ChallengeParameters``
  ``{USERNAME, attempt, maxAttempts}``; its answer is a fresh 6-digit code, readable through
  ``GET /_emulator/codes?purpose=CUSTOM_CHALLENGE`` (and printed to stderr).
* The answer (``ANSWER``): right -> DEVICE_SRP_AUTH when a confirmed device's ``DEVICE_KEY`` was
  sent (with the answer or with InitiateAuth), else tokens; wrong -> a new CUSTOM_CHALLENGE
  (new Session, same code) until ``MAX_ATTEMPTS`` (3) wrong answers, then
  NotAuthorizedException.  Each session takes one answer.
"""

from __future__ import annotations

import secrets

from . import auth, devices, errors
from .directory import UNCONFIRMED

PURPOSE = "CUSTOM_CHALLENGE"
MAX_ATTEMPTS = 3
TRIGGERS = ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse")


def enabled(pool) -> bool:
    config = (getattr(pool, "extended_config", None) or {}).get("LambdaConfig") or {}
    return all(config.get(name) for name in TRIGGERS)


def initiate(emu, pool, client, params: dict) -> dict:
    errors.require(params, "USERNAME")
    if not enabled(pool):
        raise errors.InvalidParameter("Custom auth lambda trigger is not configured for the user pool.")
    if params.get("CHALLENGE_NAME") == "SRP_A":
        answer = auth._srp_start(emu, pool, client, params)
        ch = emu.sessions.get(answer["Session"], "PASSWORD_VERIFIER", client.id)
        ch.data["custom"] = True
        ch.data["device_key"] = params.get("DEVICE_KEY")
        return answer
    login = params["USERNAME"]
    emu.directory.check_secret_hash(client, login, params.get("SECRET_HASH"))
    user = emu.directory.find_user(pool, login)
    if user is None:
        raise auth._unknown_user(emu, client)
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    return after_password(emu, pool, client, user, params.get("DEVICE_KEY"))


def after_password(emu, pool, client, user, device_key: str | None) -> dict:
    """The first custom challenge (a verified password, or none asked)."""
    if getattr(user.status, "value", user.status) == UNCONFIRMED:
        raise errors.UserNotConfirmed("User is not confirmed.")
    emu.codes.issue(pool.id, user.username, PURPOSE)
    return _challenge(emu, pool, client, user, attempt=1, device_key=device_key)


def _challenge(emu, pool, client, user, attempt: int, device_key: str | None) -> dict:
    ch = emu.sessions.open(PURPOSE, pool.id, client.id, user.username, auth._session_minutes(client),
                           attempt=attempt, device_key=device_key)
    return {"ChallengeName": PURPOSE, "Session": ch.session,
            "ChallengeParameters": {"USERNAME": user.username, "attempt": str(attempt),
                                    "maxAttempts": str(MAX_ATTEMPTS)}}


def _answer(emu, pool, client, responses: dict, session) -> dict:
    ch = emu.sessions.get(session, PURPOSE, client.id)
    errors.require(responses, "USERNAME", "ANSWER")
    user = auth._challenge_user(emu, pool, ch, responses)
    auth._check_challenge_secret(emu, client, user, responses)
    emu.sessions.close(ch)
    emu.stats.auth_flows["CUSTOM_CHALLENGE"] += 1
    code = emu.codes.latest(pool.id, user.username, PURPOSE)
    right = code is not None and secrets.compare_digest(code.code.encode(), str(responses["ANSWER"]).encode())
    device_key = responses.get("DEVICE_KEY") or ch.data.get("device_key")
    if right:
        emu.codes.discard(pool.id, user.username, PURPOSE)
        device = devices.challenge_after_password(emu, pool, client, user, device_key,
                                                  auth._session_minutes(client))
        return device if device is not None else auth.issue_tokens(emu, pool, client, user)
    if ch.data["attempt"] >= MAX_ATTEMPTS:
        emu.codes.discard(pool.id, user.username, PURPOSE)
        raise errors.NotAuthorized(auth.INCORRECT)
    return _challenge(emu, pool, client, user, ch.data["attempt"] + 1, device_key)


CHALLENGES = {PURPOSE: _answer}

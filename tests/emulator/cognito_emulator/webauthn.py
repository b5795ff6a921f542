"""Passkeys (WebAuthn): the pool as a relying party, verified with the ``webauthn`` library (PyPI).

USER_AUTH (user_auth.py) calls ``has_passkey``, ``start_sign_in`` and ``verify_sign_in``.

Operations (access token): StartWebAuthnRegistration, CompleteWebAuthnRegistration,
ListWebAuthnCredentials, DeleteWebAuthnCredential. For the sign-in's ``WEB_AUTHN`` challenge:
``request_options`` (the ``CREDENTIAL_REQUEST_OPTIONS`` parameter and the state to keep in the
challenge session) and ``verify_assertion`` (the ``CREDENTIAL`` answer).

Nothing the client sends is trusted: registration checks type ``webauthn.create``, the issued
challenge, the origin, SHA-256(rpId) in authenticatorData, the user-present flag (and
user-verified when the pool requires it) and the attestation (``none`` accepted); an assertion
checks type ``webauthn.get``, challenge, origin, rpIdHash, UP/UV, the signature over
``authenticatorData ‖ SHA-256(clientDataJSON)`` with the stored public key and that the sign
count grows (when either count is non-zero).

Relying party per pool (``pool.webauthn_config``; ``POST /_emulator/webauthn-config`` sets it):
``RelyingPartyId`` (default ``localhost``, the test pages' host), ``UserVerification``
(``preferred`` | ``required``, default ``preferred``), ``Enabled`` (default true) and the
emulator's ``AllowedOrigins``: a list of exact origins, or absent for "any https origin (http on
loopback hosts) whose host is the RP id or a subdomain of it".

Cognito behaviour guessed (its documentation says nothing more): challenge 32 random bytes, valid
5 minutes and single-use; ``user.id`` = the user's ``sub`` in UTF-8; the friendly name; which
failure gives which WebAuthn*Exception (see ``_registration_error``); a bad assertion is
NotAuthorizedException.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from webauthn import verify_authentication_response, verify_registration_response
from webauthn.helpers import (decode_credential_public_key, parse_attestation_object, parse_authenticator_data, parse_client_data_json,
                              parse_authentication_credential_json, parse_registration_credential_json)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse

from . import errors

CHALLENGE_SECONDS = 300
ES256, RS256 = -7, -257
MAX_RESULTS = 20
SUPPORTED_FORMATS = ("none", "packed", "fido-u2f", "apple", "tpm", "android-key")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1")


def _error(name: str, message: str) -> errors.CognitoError:
    return errors.CognitoError(name, message)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not a string")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class StoredCredential:
    credential_id: str            # base64url
    public_key: bytes             # COSE_Key
    sign_count: int
    rp_id: str
    user_handle: str              # base64url of user.id
    transports: list = field(default_factory=list)
    attachment: str | None = None
    friendly_name: str = ""
    created_at: float = field(default_factory=time.time)

    def to_json(self) -> dict:
        out = {"CredentialId": self.credential_id, "FriendlyCredentialName": self.friendly_name,
               "RelyingPartyId": self.rp_id, "AuthenticatorTransports": list(self.transports),
               "CreatedAt": self.created_at}
        if self.attachment:
            out["AuthenticatorAttachment"] = self.attachment
        return out


# --- configuration ----------------------------------------------------------------

def config(pool) -> dict:
    cfg = getattr(pool, "webauthn_config", None)
    if cfg is None:
        cfg = pool.webauthn_config = {"RelyingPartyId": "localhost", "UserVerification": "preferred",
                                      "Enabled": True, "AllowedOrigins": None}
    return cfg


def configure(pool, changes: dict) -> dict:
    """Update the pool's relying party from ``changes`` (keys as in ``config``); InvalidParameter."""
    cfg = dict(config(pool))
    for key, value in changes.items():
        if key == "RelyingPartyId" and (not isinstance(value, str) or not 1 <= len(value) <= 127):
            raise errors.InvalidParameter("RelyingPartyId must be 1 to 127 characters")
        if key == "UserVerification" and value not in ("required", "preferred"):
            raise errors.InvalidParameter("UserVerification must be required or preferred")
        if key == "Enabled" and not isinstance(value, bool):
            raise errors.InvalidParameter("Enabled must be a boolean")
        if key == "AllowedOrigins" and value is not None and (
                not isinstance(value, list) or not all(isinstance(o, str) for o in value)):
            raise errors.InvalidParameter("AllowedOrigins must be a list of origins or null")
        if key not in cfg:
            raise errors.InvalidParameter(f"unknown WebAuthn setting {key}")
        cfg[key] = value
    pool.webauthn_config = cfg
    return cfg


def origin_allowed(cfg: dict, origin: str) -> bool:
    """Exact match in AllowedOrigins, else https (http on loopback) with host = RP id or below it."""
    if not isinstance(origin, str):
        return False
    if cfg.get("AllowedOrigins") is not None:
        return origin in cfg["AllowedOrigins"]
    try:
        parts = urlsplit(origin)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.path or parts.query or parts.fragment:
        return False
    secure = parts.scheme == "https" or (parts.scheme == "http" and (host in LOOPBACK_HOSTS
                                                                     or host.endswith(".localhost")))
    rp = cfg["RelyingPartyId"].lower()
    return secure and (host == rp or host.endswith("." + rp))


def credentials_of(user) -> list:
    creds = getattr(user, "webauthn_credentials", None)
    if creds is None:
        creds = user.webauthn_credentials = []
    return creds


def has_credentials(user) -> bool:
    return bool(credentials_of(user))


def _enabled(pool) -> dict:
    cfg = config(pool)
    if not cfg["Enabled"]:
        raise _error("WebAuthnNotEnabledException", "Passkeys are not enabled for this user pool.")
    return cfg


def _user_for_token(emu, req: dict):
    from .account import user_for_access_token  # account imports nothing from here
    errors.require(req, "AccessToken")
    return user_for_access_token(emu, req["AccessToken"])


# --- registration -------------------------------------------------------------------

def start_registration(emu, req: dict) -> dict:
    pool, user, origin = _user_for_token(emu, req)
    cfg = _enabled(pool)
    challenge = secrets.token_bytes(32)
    user.webauthn_registration = {"challenge": challenge, "client_id": origin.client_id,
                                  "rp_id": cfg["RelyingPartyId"], "expires_at": time.time() + CHALLENGE_SECONDS}
    sub = user.attribute_lookup.get("sub", user.username)
    options = {
        "challenge": b64url(challenge),
        "rp": {"id": cfg["RelyingPartyId"], "name": cfg["RelyingPartyId"]},
        "user": {"id": b64url(sub.encode()), "name": user.username, "displayName": user.username},
        "pubKeyCredParams": [{"type": "public-key", "alg": ES256}, {"type": "public-key", "alg": RS256}],
        "timeout": CHALLENGE_SECONDS * 1000,
        "excludeCredentials": [{"type": "public-key", "id": c.credential_id, **(
            {"transports": c.transports} if c.transports else {})} for c in credentials_of(user)],
        "authenticatorSelection": {"requireResidentKey": True, "residentKey": "required",
                                   "userVerification": cfg["UserVerification"]},
    }
    return {"CredentialCreationOptions": options}


def _registration_error(cfg: dict, pending: dict, credential) -> None:
    """The named WebAuthn*Exception for what is wrong, checked before the library's full check."""
    response = credential.response
    try:
        client_data = parse_client_data_json(response.client_data_json)
    except Exception:
        raise errors.InvalidParameter("clientDataJSON is malformed")
    if client_data.type != "webauthn.create":
        raise errors.InvalidParameter(f"clientDataJSON type is {client_data.type!r}, not webauthn.create")
    if not secrets.compare_digest(client_data.challenge, pending["challenge"]):
        raise _error("WebAuthnChallengeNotFoundException", "The challenge of this credential was not issued.")
    if not origin_allowed(cfg, client_data.origin):
        raise _error("WebAuthnOriginNotAllowedException",
                     f"The origin {client_data.origin} is not allowed for relying party {pending['rp_id']}.")
    try:
        attestation = parse_attestation_object(response.attestation_object)
    except Exception:
        raise errors.InvalidParameter("attestationObject is malformed")
    if attestation.auth_data.rp_id_hash != hashlib.sha256(pending["rp_id"].encode()).digest():
        raise _error("WebAuthnRelyingPartyMismatchException",
                     f"The credential is not for relying party {pending['rp_id']}.")
    if cfg["UserVerification"] == "required" and not attestation.auth_data.flags.uv:
        raise _error("WebAuthnCredentialNotSupportedException", "The authenticator did not verify the user.")
    attested = attestation.auth_data.attested_credential_data
    try:
        alg = decode_credential_public_key(attested.credential_public_key).alg if attested else None
    except Exception:
        raise errors.InvalidParameter("The credential public key is malformed")
    if alg not in (ES256, RS256) or attestation.fmt not in SUPPORTED_FORMATS:
        raise _error("WebAuthnCredentialNotSupportedException",
                     f"Unsupported credential (algorithm {alg}, attestation {attestation.fmt}).")


def complete_registration(emu, req: dict) -> dict:
    pool, user, origin = _user_for_token(emu, req)
    cfg = _enabled(pool)
    errors.require(req, "Credential")
    pending = getattr(user, "webauthn_registration", None)
    user.webauthn_registration = None  # single use, whatever the outcome
    if not pending or time.time() > pending["expires_at"]:
        raise _error("WebAuthnChallengeNotFoundException", "No registration challenge is pending, or it expired.")
    if pending["client_id"] != origin.client_id:
        raise _error("WebAuthnClientMismatchException",
                     "The access token is for another app client than StartWebAuthnRegistration's.")
    raw = req["Credential"]
    if not isinstance(raw, dict):
        raise errors.InvalidParameter("Credential must be a RegistrationResponseJSON object")
    try:
        credential = parse_registration_credential_json(json.dumps(raw))
    except Exception as exc:
        raise errors.InvalidParameter(f"Credential is not a RegistrationResponseJSON: {exc}")
    _registration_error(cfg, pending, credential)
    client_origin = parse_client_data_json(credential.response.client_data_json).origin
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=pending["challenge"], expected_rp_id=pending["rp_id"],
            expected_origin=client_origin, require_user_presence=True,
            require_user_verification=cfg["UserVerification"] == "required",
            supported_pub_key_algs=[ES256, RS256])
    except InvalidRegistrationResponse as exc:
        raise errors.InvalidParameter(f"The credential could not be verified: {exc}")
    credential_id = b64url(verified.credential_id)
    for other in pool.users.values():
        if any(c.credential_id == credential_id for c in credentials_of(other)):
            raise errors.InvalidParameter("This credential is already registered.")
    transports = [str(getattr(t, "value", t)) for t in (credential.response.transports or [])]
    attachment = getattr(credential.authenticator_attachment, "value", credential.authenticator_attachment)
    n = len(credentials_of(user)) + 1
    credentials_of(user).append(StoredCredential(
        credential_id=credential_id, public_key=verified.credential_public_key, sign_count=verified.sign_count,
        rp_id=pending["rp_id"], user_handle=b64url(user.attribute_lookup.get("sub", user.username).encode()),
        transports=transports, attachment=attachment,
        friendly_name=f"{'Platform' if attachment == 'platform' else 'Security key'} passkey {n}"))
    return {}


# --- list and delete ------------------------------------------------------------------

def _page_token(user, offset: int) -> str:
    return b64url(json.dumps({"u": user.username, "o": offset}).encode())


def list_credentials(emu, req: dict) -> dict:
    _, user, _ = _user_for_token(emu, req)
    limit = req.get("MaxResults", MAX_RESULTS)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 0 <= limit <= MAX_RESULTS:
        raise errors.InvalidParameter(f"MaxResults must be an integer from 0 to {MAX_RESULTS}")
    limit = limit or MAX_RESULTS
    offset = 0
    if req.get("NextToken") is not None:
        try:
            token = json.loads(b64url_decode(req["NextToken"]))
            if token["u"] != user.username or not isinstance(token["o"], int) or token["o"] < 0:
                raise ValueError
            offset = token["o"]
        except (ValueError, KeyError, TypeError):
            raise errors.InvalidParameter("Invalid NextToken")
    items = sorted(credentials_of(user), key=lambda c: c.created_at)
    page = items[offset:offset + limit]
    out = {"Credentials": [c.to_json() for c in page]}
    if offset + limit < len(items):
        out["NextToken"] = _page_token(user, offset + limit)
    return out


def delete_credential(emu, req: dict) -> dict:
    _, user, _ = _user_for_token(emu, req)
    errors.require(req, "CredentialId")
    creds = credentials_of(user)
    keep = [c for c in creds if c.credential_id != req["CredentialId"]]
    if len(keep) == len(creds):
        raise errors.ResourceNotFound("Passkey credential not found.")
    user.webauthn_credentials = keep
    return {}


# --- sign-in (the WEB_AUTHN challenge) -------------------------------------------------

def request_options(pool, user) -> tuple[str, dict]:
    """(``CREDENTIAL_REQUEST_OPTIONS`` JSON string, state for ``verify_assertion``)."""
    cfg = _enabled(pool)
    challenge = secrets.token_bytes(32)
    options = {
        "challenge": b64url(challenge),
        "rpId": cfg["RelyingPartyId"],
        "timeout": CHALLENGE_SECONDS * 1000,
        "allowCredentials": [{"type": "public-key", "id": c.credential_id, **(
            {"transports": c.transports} if c.transports else {})} for c in credentials_of(user)],
        "userVerification": cfg["UserVerification"],
    }
    return json.dumps(options), {"webauthn_challenge": challenge, "webauthn_rp_id": cfg["RelyingPartyId"]}


def verify_assertion(pool, user, state: dict, answer) -> None:
    """Verify the ``CREDENTIAL`` answer (AuthenticationResponseJSON string) for ``user``; on success
    the stored sign count moves on. Every failure: NotAuthorizedException."""
    cfg = config(pool)
    if not isinstance(answer, str):
        raise errors.InvalidParameter("CREDENTIAL must be a JSON string")
    try:
        credential = parse_authentication_credential_json(answer)
        client_data = parse_client_data_json(credential.response.client_data_json)
        parse_authenticator_data(credential.response.authenticator_data)
    except Exception:
        raise errors.NotAuthorized("The passkey credential is malformed.")
    stored = next((c for c in credentials_of(user) if c.credential_id == b64url(credential.raw_id)), None)
    if stored is None:
        raise errors.NotAuthorized("The passkey credential is not registered for this user.")
    if credential.response.user_handle and b64url(credential.response.user_handle) != stored.user_handle:
        raise errors.NotAuthorized("The passkey's user handle is not this user's.")
    if not origin_allowed(cfg, client_data.origin):
        raise errors.NotAuthorized(f"The origin {client_data.origin} is not allowed for this user pool.")
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=state["webauthn_challenge"],
            expected_rp_id=state["webauthn_rp_id"], expected_origin=client_data.origin,
            credential_public_key=stored.public_key, credential_current_sign_count=stored.sign_count,
            require_user_verification=cfg["UserVerification"] == "required")
    except InvalidAuthenticationResponse as exc:
        raise errors.NotAuthorized(f"The passkey assertion could not be verified: {exc}")
    stored.sign_count = verified.new_sign_count


# The hook of user_auth.py (USER_AUTH offers WEB_AUTHN to a user with a passkey).

def has_passkey(user) -> bool:
    """Whether the user has a registered credential."""
    return has_credentials(user)


def sign_in_ready() -> bool:
    return True


def start_sign_in(emu, pool, client, user) -> dict:
    """The WEB_AUTHN challenge: ``{"parameters": ChallengeParameters, "data": session state}``."""
    text, state = request_options(pool, user)
    return {"parameters": {"CREDENTIAL_REQUEST_OPTIONS": text}, "data": state}


def verify_sign_in(emu, pool, client, user, data: dict, credential_json) -> None:
    """The ``CREDENTIAL`` answer against the session's state; NotAuthorizedException when it fails."""
    if "webauthn_challenge" not in data:
        raise errors.NotAuthorized("Invalid session for the user.")
    verify_assertion(pool, user, data, credential_json)


# --- local test hook -------------------------------------------------------------------

def register(app, emu) -> None:
    """``POST /_emulator/webauthn-config`` {userPoolId, RelyingPartyId?, UserVerification?,
    Enabled?, AllowedOrigins?} → the pool's settings; ``GET`` with ?userPoolId= reads them."""
    from flask import Response, request

    def answer(body: dict, status: int = 200) -> Response:
        return Response(json.dumps(body), status=status, content_type="application/json")

    @app.route("/_emulator/webauthn-config", methods=["GET", "POST"])
    def webauthn_config():
        body = request.get_json(silent=True, force=True) if request.method == "POST" else None
        params = {**request.args.to_dict(), **(body if isinstance(body, dict) else {})}
        pool_id = params.pop("userPoolId", None)
        with emu.lock:
            try:
                pool = emu.directory.pool(pool_id)
                cfg = configure(pool, params) if request.method == "POST" else config(pool)
            except errors.CognitoError as err:
                return answer({"message": err.message, "__type": err.name}, 400)
        return answer(cfg)


OPERATIONS = {
    "StartWebAuthnRegistration": start_registration,
    "CompleteWebAuthnRegistration": complete_registration,
    "ListWebAuthnCredentials": list_credentials,
    "DeleteWebAuthnCredential": delete_credential,
}

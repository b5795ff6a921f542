"""Remembered devices: NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH ->
DEVICE_PASSWORD_VERIFIER, ListDevices, ForgetDevice, UpdateDeviceStatus.

Only pools with a ``DeviceConfiguration`` track devices. Each user has
``{deviceKey: {groupKey, salt, verifier, name, remembered, confirmed, created, lastAuth}}``.

A sign-in whose PASSWORD_VERIFIER answer carries the DEVICE_KEY of a confirmed
device goes on to DEVICE_SRP_AUTH, checked with the real server-side SRP of
``srp.py`` with poolName -> deviceGroupKey and userId -> deviceKey (the device
password's verifier and salt come from ConfirmDevice's DeviceSecretVerifierConfig).
An unknown DEVICE_KEY is ResourceNotFoundException "Device does not exist.".
Each device challenge answered is counted in ``/_emulator/stats`` under
``authFlows`` (``DEVICE_SRP_AUTH``, ``DEVICE_PASSWORD_VERIFIER``).
"""

from __future__ import annotations

import base64
import binascii
import secrets
import sys
import time
import uuid
from datetime import datetime, timezone

from . import errors, srp
from .account import user_for_access_token

NO_DEVICE = "Device does not exist."


def _log(message: str) -> None:
    print(f"[cognito-emulator] {message}", file=sys.stderr, flush=True)


def _devices(emu, pool_id: str, username: str) -> dict:
    store = emu.__dict__.setdefault("device_store", {})
    return store.setdefault((pool_id, username), {})


def tracks_devices(pool) -> bool:
    return bool(pool.extended_config.get("DeviceConfiguration"))


def new_device_metadata(emu, pool, user) -> dict | None:
    """NewDeviceMetadata for a fresh device of ``user`` (pools with device tracking only)."""
    if not tracks_devices(pool):
        return None
    key = f"{pool.id.split('_', 1)[0]}_{uuid.uuid4()}"
    group = "-" + secrets.token_urlsafe(6)
    now = time.time()
    _devices(emu, pool.id, user.username)[key] = {
        "groupKey": group, "salt": None, "verifier": None, "name": None, "remembered": False,
        "confirmed": False, "created": now, "modified": now, "lastAuth": None}
    return {"DeviceKey": key, "DeviceGroupKey": group}


def _b64_int(value: str, field: str) -> int:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidParameter(f"{field} is not base64")
    if not raw:
        raise errors.InvalidParameter(f"{field} is empty")
    return int.from_bytes(raw, "big")


def _device_of(emu, pool, user, key: str | None) -> dict:
    device = _devices(emu, pool.id, user.username).get(key or "")
    if device is None:
        raise errors.ResourceNotFound(NO_DEVICE)
    return device


def confirm_device(emu, req: dict) -> dict:
    errors.require(req, "AccessToken", "DeviceKey", "DeviceSecretVerifierConfig")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    device = _device_of(emu, pool, user, req["DeviceKey"])
    config = req["DeviceSecretVerifierConfig"] or {}
    errors.require(config, "PasswordVerifier", "Salt")
    device["verifier"] = _b64_int(config["PasswordVerifier"], "PasswordVerifier")
    device["salt"] = _b64_int(config["Salt"], "Salt")
    device["name"] = req.get("DeviceName")
    prompt = (pool.extended_config.get("DeviceConfiguration") or {}).get("DeviceOnlyRememberedOnUserPrompt", False)
    device["remembered"] = not prompt
    device["confirmed"] = True
    device["modified"] = time.time()
    return {"UserConfirmationNecessary": bool(prompt)}


def challenge_after_password(emu, pool, client, user, device_key: str | None, minutes: float) -> dict | None:
    """DEVICE_SRP_AUTH when the PASSWORD_VERIFIER answer names a confirmed device, else None."""
    if not device_key or not tracks_devices(pool):
        return None
    device = _device_of(emu, pool, user, device_key)
    if not device["confirmed"]:
        return None
    ch = emu.sessions.open("DEVICE_SRP_AUTH", pool.id, client.id, user.username, minutes, device_key=device_key)
    return {"ChallengeName": "DEVICE_SRP_AUTH", "Session": ch.session, "ChallengeParameters": {}}


def _device_srp_auth(emu, pool, client, responses: dict, session) -> dict:
    from .auth import _challenge_user, _check_challenge_secret, _session_minutes
    emu.stats.auth_flows["DEVICE_SRP_AUTH"] += 1
    ch = emu.sessions.get(session, "DEVICE_SRP_AUTH", client.id)
    errors.require(responses, "USERNAME", "DEVICE_KEY", "SRP_A")
    user = _challenge_user(emu, pool, ch, responses)
    _check_challenge_secret(emu, client, user, responses)
    emu.sessions.close(ch)
    if responses["DEVICE_KEY"] != ch.data["device_key"]:
        raise errors.NotAuthorized("Invalid device key given.")
    device = _device_of(emu, pool, user, responses["DEVICE_KEY"])
    try:
        A = srp.parse_srp_a(responses["SRP_A"])
    except ValueError as exc:
        raise errors.InvalidParameter(f"Invalid SRP_A: {exc}")
    b = srp.new_private_b()
    B = srp.compute_B(device["verifier"], b)
    secret_block_b64 = base64.b64encode(secrets.token_bytes(768)).decode("ascii")
    nxt = emu.sessions.open("DEVICE_PASSWORD_VERIFIER", pool.id, client.id, user.username,
                            _session_minutes(client), A=A, B=B, b=b, v=device["verifier"],
                            device_secret_block=secret_block_b64, device_key=responses["DEVICE_KEY"])
    return {"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "Session": nxt.session,
            "ChallengeParameters": {"SALT": srp.pad_hex(device["salt"]), "SRP_B": format(B, "x"),
                                    "SECRET_BLOCK": secret_block_b64, "USERNAME": user.username}}


def _device_password_verifier(emu, pool, client, responses: dict, session) -> dict:
    from .auth import INCORRECT, _challenge_user, _check_challenge_secret, issue_tokens, mfa_or_tokens
    emu.stats.auth_flows["DEVICE_PASSWORD_VERIFIER"] += 1
    ch = emu.sessions.get(session, "DEVICE_PASSWORD_VERIFIER", client.id)
    errors.require(responses, "USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE",
                   "DEVICE_KEY")
    emu.sessions.close(ch)  # one attempt per challenge
    user = _challenge_user(emu, pool, ch, responses)
    _check_challenge_secret(emu, client, user, responses)
    key = ch.data["device_key"]
    if responses["DEVICE_KEY"] != key or responses["PASSWORD_CLAIM_SECRET_BLOCK"] != ch.data["device_secret_block"]:
        raise errors.NotAuthorized(INCORRECT)
    device = _device_of(emu, pool, user, key)
    try:
        srp.check_timestamp(responses["TIMESTAMP"], datetime.now(timezone.utc))
    except ValueError as exc:
        _log(f"DEVICE_PASSWORD_VERIFIER rejected: {exc}")
        raise errors.NotAuthorized(INCORRECT)
    A, B, b, v = ch.data["A"], ch.data["B"], ch.data["b"], ch.data["v"]
    u = srp.compute_u(A, B)
    k = srp.derive_key(u, srp.server_S(A, v, u, b))
    ok = u != 0 and srp.signature_matches(k, device["groupKey"], key, base64.b64decode(ch.data["device_secret_block"]),
                                          responses["TIMESTAMP"], responses["PASSWORD_CLAIM_SIGNATURE"])
    if not ok:
        _log(f"DEVICE_PASSWORD_VERIFIER rejected for {pool.id}/{user.username}: signature mismatch")
        raise errors.NotAuthorized(INCORRECT)
    device["lastAuth"] = time.time()
    if device["remembered"]:
        return issue_tokens(emu, pool, client, user, new_device=False)
    if pool.mfa_config != "OFF" and user.software_token_mfa_enabled and user.totp_secret:
        return mfa_or_tokens(emu, pool, client, user)
    return issue_tokens(emu, pool, client, user, new_device=False)


CHALLENGES = {"DEVICE_SRP_AUTH": _device_srp_auth, "DEVICE_PASSWORD_VERIFIER": _device_password_verifier}


def _device_json(key: str, d: dict) -> dict:
    attrs = [{"Name": "device_status", "Value": "valid"},
             {"Name": "device_remembered_status", "Value": "remembered" if d["remembered"] else "not_remembered"}]
    if d["name"]:
        attrs.append({"Name": "device_name", "Value": d["name"]})
    out = {"DeviceKey": key, "DeviceAttributes": attrs, "DeviceCreateDate": d["created"],
           "DeviceLastModifiedDate": d["modified"]}
    if d["lastAuth"] is not None:
        out["DeviceLastAuthenticatedDate"] = d["lastAuth"]
    return out


def list_devices(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    limit = req.get("Limit") or 60
    if not isinstance(limit, int) or not 0 < limit <= 60:
        raise errors.InvalidParameter("Limit must be between 1 and 60")
    devices = sorted((k, d) for k, d in _devices(emu, pool.id, user.username).items() if d["confirmed"])
    start = 0
    if req.get("PaginationToken"):
        keys = [k for k, _ in devices]
        if req["PaginationToken"] not in keys:
            raise errors.InvalidParameter("Invalid pagination token")
        start = keys.index(req["PaginationToken"])
    page = devices[start:start + limit]
    out = {"Devices": [_device_json(k, d) for k, d in page]}
    if start + limit < len(devices):
        out["PaginationToken"] = devices[start + limit][0]
    return out


def forget_device(emu, req: dict) -> dict:
    errors.require(req, "AccessToken", "DeviceKey")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    _device_of(emu, pool, user, req["DeviceKey"])
    del _devices(emu, pool.id, user.username)[req["DeviceKey"]]
    return {}


def update_device_status(emu, req: dict) -> dict:
    errors.require(req, "AccessToken", "DeviceKey")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    device = _device_of(emu, pool, user, req["DeviceKey"])
    status = req.get("DeviceRememberedStatus")
    if status not in ("remembered", "not_remembered"):
        raise errors.InvalidParameter("DeviceRememberedStatus must be remembered or not_remembered")
    device["remembered"] = status == "remembered"
    device["modified"] = time.time()
    return {}


OPERATIONS = {
    "ConfirmDevice": confirm_device,
    "ListDevices": list_devices,
    "ForgetDevice": forget_device,
    "UpdateDeviceStatus": update_device_status,
}

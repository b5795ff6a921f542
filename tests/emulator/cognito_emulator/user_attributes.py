"""Attribute operations of a signed-in user (authorised by an access token):
UpdateUserAttributes, GetUserAttributeVerificationCode, VerifyUserAttribute,
DeleteUserAttributes, and DeleteUser.

AttributesRequireVerificationBeforeUpdate (the pool's
``UserAttributeUpdateSettings``, Cognito's 2022 behaviour): a new value of such
an attribute (email / phone_number, when auto-verified) is held as *pending*:
the attribute keeps its old value (and stays verified) until VerifyUserAttribute
with the code sent to the new value; GetUser shows the old value meanwhile.
Other email / phone_number changes take effect at once, unverified, and a code
is sent (when the pool auto-verifies them).  Codes: purpose ``VERIFY_EMAIL`` /
``VERIFY_PHONE_NUMBER`` at ``/_emulator/codes``.
"""

from __future__ import annotations

from . import attributes, errors
from .account import user_for_access_token

VERIFIABLE = ("email", "phone_number")


def _pending(user) -> dict:
    if getattr(user, "pending_attributes", None) is None:
        user.pending_attributes = {}
    return user.pending_attributes


def _require_before_update(pool) -> list:
    settings = pool.extended_config.get("UserAttributeUpdateSettings") or {}
    return settings.get("AttributesRequireVerificationBeforeUpdate") or []


def _auto_verified(pool) -> list:
    return pool.extended_config.get("AutoVerifiedAttributes") or []


def _send_code(emu, pool, user, name: str, value: str) -> dict:
    emu.codes.issue(pool.id, user.username, _purpose(name))
    return attributes.delivery_details({name: value})


def _purpose(name: str) -> str:
    return f"VERIFY_{name.upper()}"


def update_user_attributes(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    updates = attributes.flatten(req.get("UserAttributes"))
    if not updates:
        raise errors.InvalidParameter("Missing required parameter UserAttributes")
    attributes.validate(pool, updates)
    hold, auto = _require_before_update(pool), _auto_verified(pool)
    deliveries, immediate = [], {}
    for name, value in updates.items():
        current = user.attribute_lookup.get(name)
        if name in VERIFIABLE and value != current:
            if name in hold and name in auto and current:
                _pending(user)[name] = value
            else:
                immediate[name] = value
                immediate[f"{name}_verified"] = "false"
                _pending(user).pop(name, None)
            if name in auto:
                deliveries.append(_send_code(emu, pool, user, name, value))
        else:
            immediate[name] = value
    if immediate:
        emu.directory.set_attributes(user, immediate)
    return {"CodeDeliveryDetailsList": deliveries}


def get_user_attribute_verification_code(emu, req: dict) -> dict:
    errors.require(req, "AccessToken", "AttributeName")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    name = req["AttributeName"]
    value = _pending(user).get(name) or user.attribute_lookup.get(name)
    if name not in VERIFIABLE or not value:
        raise errors.InvalidParameter(f"Auto verification not turned on for attribute {name}")
    return {"CodeDeliveryDetails": _send_code(emu, pool, user, name, value)}


def verify_user_attribute(emu, req: dict) -> dict:
    errors.require(req, "AccessToken", "AttributeName", "Code")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    name = req["AttributeName"]
    if name not in VERIFIABLE:
        raise errors.InvalidParameter(f"Attribute {name} cannot be verified")
    emu.codes.check(pool.id, user.username, _purpose(name), req["Code"])
    value = _pending(user).pop(name, None)
    updates = {f"{name}_verified": "true"}
    if value is not None:
        updates[name] = value
    emu.directory.set_attributes(user, updates)
    return {}


def delete_user_attributes(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    names = req.get("UserAttributeNames")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise errors.InvalidParameter("Missing required parameter UserAttributeNames")
    required = set(attributes.required_names(pool)) | {"sub"}
    for name in names:
        if name in required:
            raise errors.InvalidParameter(f"Cannot delete required attribute {name}")
    doomed = set(names) | {f"{n}_verified" for n in names if n in VERIFIABLE}
    user.attributes = [a for a in user.attributes if a["Name"] not in doomed]
    user.attribute_lookup = {k: v for k, v in user.attribute_lookup.items() if k not in doomed}
    for name in names:
        _pending(user).pop(name, None)
    return {}


def delete_user(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    emu.tokens.revoke_user(pool.id, user.username)
    emu.directory.delete_user(pool, user)
    return {}


OPERATIONS = {
    "UpdateUserAttributes": update_user_attributes,
    "GetUserAttributeVerificationCode": get_user_attribute_verification_code,
    "VerifyUserAttribute": verify_user_attribute,
    "DeleteUserAttributes": delete_user_attributes,
    "DeleteUser": delete_user,
}

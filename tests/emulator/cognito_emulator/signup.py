"""SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword, ConfirmForgotPassword.

Confirmation codes go through codes.CodeStore (random 6 digits, printed to
stderr, readable at /_emulator/codes).  A sign-up code is only sent when the
pool auto-verifies the user's email (or phone); confirming it marks that
attribute verified, which makes it usable as an alias.
"""

from __future__ import annotations

import re

from . import attributes, codes, errors, passwords, user_auth
from .directory import CONFIRMED, RESET_REQUIRED, UNCONFIRMED

_USERNAME_RE = re.compile(r"[^\s\x00-\x1f]{1,128}")
NOT_FOUND = "Username/client id combination not found."


def _auto_verified(pool) -> list[str]:
    return pool.extended_config.get("AutoVerifiedAttributes") or []


def _sign_up_delivery(pool, attrs: dict) -> dict | None:
    auto = _auto_verified(pool)
    eligible = {k: v for k, v in attrs.items() if k in auto and k in ("email", "phone_number")}
    return attributes.delivery_details(eligible)


def sign_up(emu, req: dict) -> dict:
    errors.require(req, "ClientId", "Username")
    pool, client = emu.directory.client(req["ClientId"])
    password = req.get("Password")  # optional for passwordless pools (user_auth.py)
    login = req["Username"]
    emu.directory.check_secret_hash(client, login, req.get("SecretHash"))
    if not isinstance(login, str) or not _USERNAME_RE.fullmatch(login):
        raise errors.InvalidParameter("1 validation error detected: Value at 'username' failed to satisfy constraint: "
                                      "Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+")
    if password is not None:
        passwords.check_shape(password)
    attrs = attributes.flatten(req.get("UserAttributes"))
    attributes.validate(pool, attrs)

    username: str | None = login
    username_attrs = pool.extended_config.get("UsernameAttributes") or []
    alias_attrs = pool.extended_config.get("AliasAttributes") or []
    if username_attrs:
        if "email" in username_attrs and attributes.EMAIL_RE.fullmatch(login):
            attrs["email"] = login
        elif "phone_number" in username_attrs and attributes.PHONE_RE.fullmatch(login):
            attrs["phone_number"] = login
        else:
            raise errors.InvalidParameter("Username should be either an email or a phone number.")
        if emu.directory.find_user(pool, login) is not None:
            raise errors.UsernameExists("An account with the given email already exists.")
        username = None  # the username becomes the sub
    else:
        if "email" in alias_attrs and attributes.EMAIL_RE.fullmatch(login):
            raise errors.InvalidParameter("Username cannot be of email format, since user pool is configured for email alias.")
        if "phone_number" in alias_attrs and attributes.PHONE_RE.fullmatch(login):
            raise errors.InvalidParameter("Username cannot be of phone number format, since user pool is configured for phone_number alias.")
        if emu.directory.find_by_username(pool, login) is not None:
            raise errors.UsernameExists("User already exists")

    missing = attributes.missing_required(pool, attrs)
    if missing:
        raise errors.InvalidParameter(f"Attributes did not conform to the schema: {missing[0]}: The attribute is required")
    if password is None:
        user_auth.check_passwordless_sign_up(emu, pool, client, attrs)
    else:
        passwords.validate(passwords.policy_of(pool), password)

    user = emu.directory.add_user(pool, username, attrs, UNCONFIRMED)
    if password is not None:
        emu.directory.set_password(pool, user, password)
    out = {"UserConfirmed": False, "UserSub": emu.directory.sub(user), **user_auth.sign_up_session(emu, pool, client, user)}
    details = _sign_up_delivery(pool, attrs)
    if details:
        emu.codes.issue(pool.id, user.username, codes.SIGN_UP)
        out["CodeDeliveryDetails"] = details
    return out


def confirm_sign_up(emu, req: dict) -> dict:
    errors.require(req, "ClientId", "Username", "ConfirmationCode")
    pool, client = emu.directory.client(req["ClientId"])
    emu.directory.check_secret_hash(client, req["Username"], req.get("SecretHash"))
    user = emu.directory.find_user(pool, req["Username"])
    if user is None:
        if emu.directory.prevents_existence_errors(client):
            raise errors.CodeMismatch()
        raise errors.UserNotFound(NOT_FOUND)
    if getattr(user.status, "value", user.status) != UNCONFIRMED:
        raise errors.NotAuthorized(f"User cannot be confirmed. Current status is {getattr(user.status, 'value', user.status)}")
    emu.codes.check(pool.id, user.username, codes.SIGN_UP, req["ConfirmationCode"])
    verified = {}
    for attr in ("email", "phone_number"):
        value = user.attribute_lookup.get(attr)
        if value and attr in _auto_verified(pool):
            _claim_alias(emu, pool, user, attr, value, bool(req.get("ForceAliasCreation")))
            verified[f"{attr}_verified"] = "true"
    if verified:
        emu.directory.set_attributes(user, verified)
    user.status = CONFIRMED
    if req.get("Session"):
        user_auth.end_sign_up_session(emu, client, req["Session"])
    return user_auth.sign_up_session(emu, pool, client, user)


def _claim_alias(emu, pool, user, attr: str, value: str, force: bool) -> None:
    """An alias can belong to one user: AliasExistsException unless ForceAliasCreation moves it."""
    if attr not in (pool.extended_config.get("AliasAttributes") or []):
        return
    for other in pool.users.values():
        if other is not user and other.attribute_lookup.get(attr) == value \
                and other.attribute_lookup.get(f"{attr}_verified") == "true":
            if not force:
                raise errors.AliasExists(f"An account with the {attr.replace('_', ' ')} already exists.")
            emu.directory.set_attributes(other, {f"{attr}_verified": "false"})


def resend_confirmation_code(emu, req: dict) -> dict:
    errors.require(req, "ClientId", "Username")
    pool, client = emu.directory.client(req["ClientId"])
    emu.directory.check_secret_hash(client, req["Username"], req.get("SecretHash"))
    user = emu.directory.find_user(pool, req["Username"])
    if user is None:
        if emu.directory.prevents_existence_errors(client):
            return {"CodeDeliveryDetails": {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}
        raise errors.UserNotFound(NOT_FOUND)
    if getattr(user.status, "value", user.status) != UNCONFIRMED:
        raise errors.InvalidParameter("User is already confirmed.")
    details = _sign_up_delivery(pool, user.attribute_lookup)
    if not details:
        raise errors.InvalidParameter("Auto verification not turned on.")
    emu.codes.issue(pool.id, user.username, codes.SIGN_UP)
    return {"CodeDeliveryDetails": details}


def _recovery_details(user) -> dict | None:
    attrs = user.attribute_lookup
    verified = {k: attrs[k] for k in ("email", "phone_number") if attrs.get(k) and attrs.get(f"{k}_verified") == "true"}
    return attributes.delivery_details(verified)


def forgot_password(emu, req: dict) -> dict:
    errors.require(req, "ClientId", "Username")
    pool, client = emu.directory.client(req["ClientId"])
    emu.directory.check_secret_hash(client, req["Username"], req.get("SecretHash"))
    user = emu.directory.find_user(pool, req["Username"])
    if user is None:
        if emu.directory.prevents_existence_errors(client):
            return {"CodeDeliveryDetails": {"Destination": "u***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}}
        raise errors.UserNotFound(NOT_FOUND)
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    details = _recovery_details(user)
    if not details:
        raise errors.InvalidParameter("Cannot reset password for the user as there is no registered/verified email or phone_number")
    emu.codes.issue(pool.id, user.username, codes.FORGOT_PASSWORD)
    return {"CodeDeliveryDetails": details}


def confirm_forgot_password(emu, req: dict) -> dict:
    errors.require(req, "ClientId", "Username", "ConfirmationCode", "Password")
    pool, client = emu.directory.client(req["ClientId"])
    emu.directory.check_secret_hash(client, req["Username"], req.get("SecretHash"))
    user = emu.directory.find_user(pool, req["Username"])
    if user is None:
        if emu.directory.prevents_existence_errors(client):
            raise errors.CodeMismatch()
        raise errors.UserNotFound(NOT_FOUND)
    passwords.validate(passwords.policy_of(pool), req["Password"])
    emu.codes.check(pool.id, user.username, codes.FORGOT_PASSWORD, req["ConfirmationCode"])
    emu.directory.set_password(pool, user, req["Password"])
    if getattr(user.status, "value", user.status) == RESET_REQUIRED:
        user.status = CONFIRMED
    return {}


OPERATIONS = {
    "SignUp": sign_up,
    "ConfirmSignUp": confirm_sign_up,
    "ResendConfirmationCode": resend_confirmation_code,
    "ForgotPassword": forgot_password,
    "ConfirmForgotPassword": confirm_forgot_password,
}

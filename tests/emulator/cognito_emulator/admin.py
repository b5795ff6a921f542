"""Admin* operations (no IAM signature is checked: anyone reaching the port is "admin").

AdminCreateUser makes a FORCE_CHANGE_PASSWORD user whose temporary password
(given, or generated to fit the policy) is printed to stderr and readable at
/_emulator/codes with purpose TEMPORARY_PASSWORD; signing in with it yields
the NEW_PASSWORD_REQUIRED challenge.
"""

from __future__ import annotations

import time

from . import attributes, codes, errors, passwords
from .directory import CONFIRMED, FORCE_CHANGE_PASSWORD, UNCONFIRMED


def _pool_and_user(emu, req: dict):
    errors.require(req, "UserPoolId", "Username")
    pool = emu.directory.pool(req["UserPoolId"])
    return pool, emu.directory.get_user(pool, req["Username"])


def admin_create_user(emu, req: dict) -> dict:
    errors.require(req, "UserPoolId", "Username")
    pool = emu.directory.pool(req["UserPoolId"])
    login = req["Username"]
    attrs = attributes.flatten(req.get("UserAttributes"))
    attributes.validate(pool, attrs)
    policy = passwords.policy_of(pool)
    temporary = req.get("TemporaryPassword")
    if temporary:
        passwords.validate(policy, temporary)
    else:
        temporary = passwords.temporary(policy)

    if req.get("MessageAction") == "RESEND":
        user = emu.directory.get_user(pool, login)
        if getattr(user.status, "value", user.status) != FORCE_CHANGE_PASSWORD:
            raise errors.UnsupportedUserState()
    else:
        username_attrs = pool.extended_config.get("UsernameAttributes") or []
        username = login
        if username_attrs:
            if "email" in username_attrs and attributes.EMAIL_RE.fullmatch(login):
                attrs["email"] = login
            elif "phone_number" in username_attrs and attributes.PHONE_RE.fullmatch(login):
                attrs["phone_number"] = login
            else:
                raise errors.InvalidParameter("Username should be either an email or a phone number.")
            username = None
        if emu.directory.find_user(pool, login) is not None:
            raise errors.UsernameExists("User account already exists")
        user = emu.directory.add_user(pool, username, attrs, FORCE_CHANGE_PASSWORD)

    emu.directory.set_password(pool, user, temporary)
    user.status = FORCE_CHANGE_PASSWORD
    user.temp_password_expires_at = time.time() + int(policy.get("TemporaryPasswordValidityDays", 7)) * 86400
    emu.codes.issue(pool.id, user.username, codes.TEMPORARY_PASSWORD, value=temporary)
    return {"User": emu.directory.user_json(user, "Attributes")}


def admin_get_user(emu, req: dict) -> dict:
    _, user = _pool_and_user(emu, req)
    out = emu.directory.user_json(user, "UserAttributes")
    return out


def admin_confirm_sign_up(emu, req: dict) -> dict:
    _, user = _pool_and_user(emu, req)
    status = getattr(user.status, "value", user.status)
    if status != UNCONFIRMED:
        raise errors.NotAuthorized(f"User cannot be confirmed. Current status is {status}")
    user.status = CONFIRMED
    return {}


def admin_set_user_password(emu, req: dict) -> dict:
    errors.require(req, "Password")
    pool, user = _pool_and_user(emu, req)
    passwords.validate(passwords.policy_of(pool), req["Password"])
    emu.directory.set_password(pool, user, req["Password"])
    if req.get("Permanent"):
        user.status = CONFIRMED
        user.temp_password_expires_at = None
    else:
        user.status = FORCE_CHANGE_PASSWORD
        user.temp_password_expires_at = time.time() + 7 * 86400
    return {}


def admin_disable_user(emu, req: dict) -> dict:
    """Disables the user and revokes their tokens (as Cognito does)."""
    pool, user = _pool_and_user(emu, req)
    user.enabled = False
    emu.tokens.revoke_user(pool.id, user.username)
    return {}


def admin_enable_user(emu, req: dict) -> dict:
    _, user = _pool_and_user(emu, req)
    user.enabled = True
    return {}


def admin_delete_user(emu, req: dict) -> dict:
    pool, user = _pool_and_user(emu, req)
    emu.tokens.revoke_user(pool.id, user.username)
    emu.directory.delete_user(pool, user)
    return {}


def admin_user_global_sign_out(emu, req: dict) -> dict:
    pool, user = _pool_and_user(emu, req)
    emu.tokens.revoke_user(pool.id, user.username)
    return {}


def admin_update_user_attributes(emu, req: dict) -> dict:
    pool, user = _pool_and_user(emu, req)
    attrs = attributes.flatten(req.get("UserAttributes"))
    attributes.validate(pool, attrs)
    emu.directory.set_attributes(user, attrs)
    return {}


OPERATIONS = {
    "AdminCreateUser": admin_create_user,
    "AdminGetUser": admin_get_user,
    "AdminConfirmSignUp": admin_confirm_sign_up,
    "AdminSetUserPassword": admin_set_user_password,
    "AdminDisableUser": admin_disable_user,
    "AdminEnableUser": admin_enable_user,
    "AdminDeleteUser": admin_delete_user,
    "AdminUserGlobalSignOut": admin_user_global_sign_out,
    "AdminUpdateUserAttributes": admin_update_user_attributes,
}

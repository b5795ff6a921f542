"""TOTP MFA: AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference,
AdminSetUserMFAPreference.

Association with an AccessToken (signed-in user) or with the Session of an
MFA_SETUP challenge.  VerifySoftwareToken checks a code (totp.py: SHA-1, 6
digits, 30 s, +-1 step) and registers the secret; with an access token MFA is
then switched on by SetUserMFAPreference, in MFA_SETUP it is switched on at
once (as Cognito does).
"""

from __future__ import annotations

from . import email_mfa, errors, totp
from .account import user_for_access_token


def _subject(emu, req: dict):
    """(pool, user, challenge-or-None) from AccessToken or an MFA_SETUP Session."""
    if req.get("AccessToken"):
        pool, user, _ = user_for_access_token(emu, req["AccessToken"])
        return pool, user, None
    if req.get("Session"):
        ch = emu.sessions.get_for_any_client(req["Session"], "MFA_SETUP")
        pool = emu.directory.pool(ch.pool_id)
        user = pool.users.get(ch.username)
        if user is None:
            raise errors.NotAuthorized("Invalid session for the user.")
        return pool, user, ch
    raise errors.InvalidParameter("Missing required parameter AccessToken or Session")


def associate_software_token(emu, req: dict) -> dict:
    _, user, ch = _subject(emu, req)
    user.totp_pending = totp.new_secret()
    out = {"SecretCode": user.totp_pending}
    if ch is not None:
        out["Session"] = ch.session
    return out


def verify_software_token(emu, req: dict) -> dict:
    errors.require(req, "UserCode")
    _, user, ch = _subject(emu, req)
    if not user.totp_pending:
        raise errors.SoftwareTokenMFANotFound("Software Token MFA has not been associated with this user")
    if not totp.verify(user.totp_pending, req["UserCode"]):
        raise errors.EnableSoftwareTokenMFA("Code mismatch")
    user.totp_secret, user.totp_pending = user.totp_pending, None
    user.token_verified = True
    out = {"Status": "SUCCESS"}
    if ch is not None:
        user.software_token_mfa_enabled = True
        user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"
        ch.data["verified"] = True
        out["Session"] = ch.session
    return out


def _apply_preference(user, req: dict, pool) -> dict:
    sms = req.get("SMSMfaSettings") or {}
    if sms.get("Enabled") or sms.get("PreferredMfa"):
        raise errors.InvalidParameter("User does not have delivery config set to turn on SMS_MFA")
    if req.get("EmailMfaSettings") is not None:
        email_mfa.apply_preference(pool, user, req["EmailMfaSettings"])
    software = req.get("SoftwareTokenMfaSettings")
    if software is None:
        return {}
    if software.get("Enabled") or software.get("PreferredMfa"):
        if not user.totp_secret:
            raise errors.InvalidParameter("User has not verified software token mfa")
        user.software_token_mfa_enabled = True
        user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA" if software.get("PreferredMfa", True) else None
    else:
        user.software_token_mfa_enabled = False
        user.preferred_mfa_setting = None
    return {}


def set_user_mfa_preference(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    return _apply_preference(user, req, pool)


def admin_set_user_mfa_preference(emu, req: dict) -> dict:
    errors.require(req, "UserPoolId", "Username")
    pool = emu.directory.pool(req["UserPoolId"])
    return _apply_preference(emu.directory.get_user(pool, req["Username"]), req, pool)


OPERATIONS = {
    "AssociateSoftwareToken": associate_software_token,
    "VerifySoftwareToken": verify_software_token,
    "SetUserMFAPreference": set_user_mfa_preference,
    "AdminSetUserMFAPreference": admin_set_user_mfa_preference,
}

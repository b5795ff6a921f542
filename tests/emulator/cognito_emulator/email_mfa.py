"""Email MFA: MFA_SETUP answered with ``EMAIL``, then the EMAIL_OTP challenge at sign-in.

A pool offers email MFA when it has ``EmailMfaConfiguration``: MFA_SETUP's ``MFAS_CAN_SETUP``
then lists ``EMAIL_OTP`` besides ``SOFTWARE_TOKEN_MFA``. RespondToAuthChallenge ``MFA_SETUP``
with ``{USERNAME, EMAIL}`` sends a code to that address and answers an EMAIL_OTP challenge; its
right code (user_auth.py) sets ``email`` (verified), turns email MFA on (preferred when no
other factor is) and gives tokens. Later sign-ins of such a user answer EMAIL_OTP after the
password (codes as in otp.py). ``SetUserMFAPreference.EmailMfaSettings`` turns it on or off for
a user with a verified email.
"""

from __future__ import annotations

from . import attributes, errors, otp


def offered(pool) -> bool:
    return bool(pool.extended_config.get("EmailMfaConfiguration"))


def can_setup(pool) -> list[str]:
    """What MFA_SETUP offers besides SOFTWARE_TOKEN_MFA."""
    return ["EMAIL_OTP"] if offered(pool) else []


def enabled(user) -> bool:
    return bool(getattr(user, "email_mfa_enabled", False))


def setting(user) -> list[str]:
    """The user's UserMFASettingList entry for email MFA."""
    return ["EMAIL_OTP"] if enabled(user) else []


def challenge(emu, pool, client, user) -> dict:
    """The EMAIL_OTP challenge after the password."""
    return otp.send_code(emu, pool, client, user, "EMAIL_OTP")


def answer_setup(emu, pool, client, responses: dict, session) -> dict:
    """MFA_SETUP answered with EMAIL: a code to that address, and the EMAIL_OTP challenge."""
    ch = emu.sessions.get(session, "MFA_SETUP", client.id)
    errors.require(responses, "USERNAME", "EMAIL")
    user = pool.users.get(ch.username or "")
    if user is None or emu.directory.find_user(pool, responses["USERNAME"]) is not user:
        raise errors.NotAuthorized("Incorrect username or password.")
    names = [user.username, responses["USERNAME"]]
    emu.directory.check_secret_hash(client, names, responses.get("SECRET_HASH"))
    if not offered(pool):
        raise errors.InvalidParameter("Email MFA is not enabled for this user pool.")
    email = responses["EMAIL"]
    if not isinstance(email, str) or not attributes.EMAIL_RE.fullmatch(email):
        raise errors.InvalidParameter("Invalid email address format.")
    emu.sessions.close(ch)
    return otp.send_code(emu, pool, client, user, "EMAIL_OTP", destination=email, setup_email=email)


def enable(emu, user, email: str) -> None:
    """After the set-up code: the address is the user's verified email, email MFA on."""
    emu.directory.set_attributes(user, {"email": email, "email_verified": "true"})
    user.email_mfa_enabled = True
    if not user.preferred_mfa_setting:
        user.preferred_mfa_setting = "EMAIL_OTP"


def apply_preference(pool, user, settings: dict) -> None:
    """SetUserMFAPreference's EmailMfaSettings {Enabled, PreferredMfa}."""
    if settings.get("Enabled") or settings.get("PreferredMfa"):
        if not offered(pool):
            raise errors.InvalidParameter("Email MFA is not enabled for this user pool.")
        if user.attribute_lookup.get("email_verified") != "true":
            raise errors.InvalidParameter("User does not have a verified email to turn on EMAIL_OTP MFA")
        user.email_mfa_enabled = True
        if settings.get("PreferredMfa", False):
            user.preferred_mfa_setting = "EMAIL_OTP"
    else:
        user.email_mfa_enabled = False
        if user.preferred_mfa_setting == "EMAIL_OTP":
            user.preferred_mfa_setting = None

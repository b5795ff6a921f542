"""One-time sign-in codes: EMAIL_OTP and SMS_OTP challenges (first factor of USER_AUTH, and
email MFA).

``send_code`` issues a 6-digit code (codes.py, purpose ``EMAIL_OTP`` / ``SMS_OTP``, readable at
``/_emulator/codes``) and opens the challenge's session; its parameters are
``CODE_DELIVERY_DELIVERY_MEDIUM`` (``EMAIL`` / ``SMS``), ``CODE_DELIVERY_DESTINATION`` (masked as
CodeDeliveryDetails are) and ``USERNAME``. user_auth.py checks the answer.
"""

from __future__ import annotations

from . import attributes

TTL_SECONDS = 180
# challenge -> (attribute, delivery medium, mask)
CHANNELS = {"EMAIL_OTP": ("email", "EMAIL", attributes.mask_email),
            "SMS_OTP": ("phone_number", "SMS", attributes.mask_phone)}


def send_code(emu, pool, client, user, factor: str, destination: str | None = None, **data) -> dict:
    """Sends a ``factor`` code to ``destination`` (default: the user's attribute) and opens the
    challenge, ``data`` kept with it."""
    attr, medium, mask = CHANNELS[factor]
    destination = destination or user.attribute_lookup.get(attr, "")
    emu.codes.issue(pool.id, user.username, factor)
    minutes = float(client.extended_config.get("AuthSessionValidity", 3))
    ch = emu.sessions.open(factor, pool.id, client.id, user.username, minutes, **data)
    return {"ChallengeName": factor, "Session": ch.session,
            "ChallengeParameters": {"CODE_DELIVERY_DELIVERY_MEDIUM": medium,
                                    "CODE_DELIVERY_DESTINATION": mask(destination),
                                    "USERNAME": user.username}}

"""WebAuthn (passkeys): the hook through which USER_AUTH offers WEB_AUTHN.

user_auth.py offers WEB_AUTHN to a user only when both are true:

* ``has_passkey(user)``: the user has at least one registered credential
  (``user.webauthn_credentials``, a list that passkey registration —
  StartWebAuthnRegistration / CompleteWebAuthnRegistration — fills);
* ``sign_in_ready()``: this module defines the two sign-in functions below.

The passkey side of the emulator adds them here (user_auth.py calls nothing else):

* ``start_sign_in(emu, pool, client, user) -> dict``: the ``ChallengeParameters`` of the
  WEB_AUTHN challenge (``CREDENTIAL_REQUEST_OPTIONS``: the JSON of
  PublicKeyCredentialRequestOptions, base64url fields), keeping what the answer is checked
  against in ``ch.data`` via the returned ``data`` key, i.e. it returns
  ``{"parameters": {...}, "data": {...}}``;
* ``verify_sign_in(emu, pool, client, user, data, credential_json) -> None``: verifies the
  assertion (``CREDENTIAL``, AuthenticationResponseJSON) as a relying party must, against
  ``data``; raises a CognitoError (NotAuthorizedException) when it does not hold.

Until then no user has a passkey, so WEB_AUTHN is never offered and a WEB_AUTHN answer is
refused like any factor that is not available.
"""

from __future__ import annotations


def has_passkey(user) -> bool:
    """Whether the user has a registered WebAuthn credential."""
    return bool(getattr(user, "webauthn_credentials", None))


def sign_in_ready() -> bool:
    """Whether the passkey side has added ``start_sign_in`` and ``verify_sign_in``."""
    return callable(globals().get("start_sign_in")) and callable(globals().get("verify_sign_in"))

"""GetTokensFromRefreshToken, with and without refresh-token rotation.

An app client's ``RefreshTokenRotation`` (``{"Feature": "ENABLED" | "DISABLED",
"RetryGracePeriodSeconds": 0-60}``, kept in its extended config) decides:

* rotation off: new ID and access tokens, no ``RefreshToken`` in the answer;
* rotation on: every refresh with the current token answers a new ``RefreshToken`` and
  retires the old one.  A retired token is still accepted for ``RetryGracePeriodSeconds``
  after it was retired: the answer has new ID/access tokens and the origin's *current*
  refresh token (no second rotation).  After that: ``RefreshTokenReuseException``.
  ``REFRESH_TOKEN_AUTH`` is refused for such a client (``auth.py``).

Clients with a secret send ``ClientSecret`` (not SECRET_HASH).  Which exact messages
Cognito uses here is not documented; these are the emulator's guesses (README).
"""

from __future__ import annotations

import hmac
import time

from . import attributes, errors

REUSED = "Refresh token has been reused."


def rotation(client) -> tuple[bool, float]:
    """(rotation on, grace seconds) of an app client."""
    config = client.extended_config.get("RefreshTokenRotation") or {}
    return config.get("Feature") == "ENABLED", float(config.get("RetryGracePeriodSeconds", 0))


def _check_client_secret(client, given) -> None:
    if not client.generate_secret:
        return
    if not given:
        raise errors.NotAuthorized(f"Client {client.id} is configured for secret but secret was not received")
    if not hmac.compare_digest(str(given).encode(), client.secret.encode()):
        raise errors.NotAuthorized(f"Unable to verify secret for client {client.id}")


def get_tokens_from_refresh_token(emu, req: dict) -> dict:
    errors.require(req, "RefreshToken", "ClientId")
    pool, client = emu.directory.client(req["ClientId"])
    _check_client_secret(client, req.get("ClientSecret"))
    if not emu.directory.flow_allowed(client, "REFRESH_TOKEN_AUTH"):
        raise errors.InvalidParameter("Auth flow not enabled for this client")
    token = req["RefreshToken"]
    origin = emu.tokens.origin_for_refresh(token, client.id)
    rotates, grace = rotation(client)
    retired_at = origin.retired.get(token)
    if retired_at is not None and time.time() > retired_at + grace:
        emu.stats.refresh["reused"] += 1
        raise errors.CognitoError("RefreshTokenReuseException", REUSED)
    user = pool.users.get(origin.username)
    if user is None:
        raise errors.NotAuthorized("User does not exist.")
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    if req.get("DeviceKey"):
        emu.stats.refresh["withDeviceKey"] += 1
    result = emu.tokens.mint(origin, emu.directory.sub(user), attributes.id_token_claims(user.attribute_lookup),
                             with_refresh=False)
    if rotates:
        if retired_at is None:
            result["RefreshToken"] = emu.tokens.rotate(origin)
            emu.stats.refresh["rotated"] += 1
        else:
            result["RefreshToken"] = origin.refresh_token
            emu.stats.refresh["withinGrace"] += 1
    return {"AuthenticationResult": result}


OPERATIONS = {"GetTokensFromRefreshToken": get_tokens_from_refresh_token}

"""Challenge sessions (the ``Session`` string passed between InitiateAuth and
RespondToAuthChallenge), kept server-side.

A session is bound to one challenge name, pool, app client and user, and
lives for the client's AuthSessionValidity (3 minutes by default).  The
PASSWORD_VERIFIER state (A, B, b, SECRET_BLOCK) is also found through its
SECRET_BLOCK, because clients may omit the Session in that step.
"""

from __future__ import annotations

import base64
import secrets
import time
from dataclasses import dataclass, field

from . import errors


@dataclass
class Challenge:
    name: str
    pool_id: str
    client_id: str
    username: str | None          # internal username; None for a decoy (unknown user)
    expires_at: float
    session: str = ""
    data: dict = field(default_factory=dict)


def _new_session_string() -> str:
    # Shaped like Cognito's (long opaque base64 starting with "AYAB").
    return "AYAB" + base64.b64encode(secrets.token_bytes(600)).decode("ascii")


class SessionStore:
    def __init__(self) -> None:
        self._by_session: dict[str, Challenge] = {}
        self._by_secret_block: dict[str, Challenge] = {}

    def open(self, name: str, pool_id: str, client_id: str, username: str | None,
             validity_minutes: float, **data) -> Challenge:
        self._sweep()
        ch = Challenge(name, pool_id, client_id, username, time.time() + validity_minutes * 60,
                       _new_session_string(), dict(data))
        self._by_session[ch.session] = ch
        if "secret_block_b64" in data:
            self._by_secret_block[data["secret_block_b64"]] = ch
        return ch

    def get(self, session: str | None, name: str, client_id: str) -> Challenge:
        """The live challenge of that name for this client, else NotAuthorizedException."""
        ch = self._by_session.get(session or "")
        return self._check(ch, name, client_id)

    def get_for_any_client(self, session: str | None, name: str) -> Challenge:
        """Like get(), for operations that carry no ClientId (AssociateSoftwareToken...)."""
        ch = self._by_session.get(session or "")
        return self._check(ch, name, ch.client_id if ch else "")

    def get_by_secret_block(self, secret_block: str, session: str | None, client_id: str) -> Challenge:
        ch = self._by_secret_block.get(secret_block or "")
        if ch is not None and session and session != ch.session:
            raise errors.NotAuthorized("Invalid session for the user.")
        return self._check(ch, "PASSWORD_VERIFIER", client_id)

    def close(self, ch: Challenge) -> None:
        self._by_session.pop(ch.session, None)
        self._by_secret_block.pop(ch.data.get("secret_block_b64", ""), None)

    def _check(self, ch: Challenge | None, name: str, client_id: str) -> Challenge:
        if ch is None or ch.name != name or ch.client_id != client_id:
            raise errors.NotAuthorized("Invalid session for the user.")
        if time.time() > ch.expires_at:
            self.close(ch)
            raise errors.NotAuthorized("Invalid session for the user, session is expired.")
        return ch

    def _sweep(self) -> None:
        now = time.time()
        for ch in [c for c in self._by_session.values() if now > c.expires_at + 600]:
            self.close(ch)

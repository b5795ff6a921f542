"""One-time codes: sign-up confirmation, forgot-password and temporary passwords.

A code is 6 random digits (``secrets.randbelow``), stored per
(userPoolId, username, purpose), printed to stderr and readable through
``GET /_emulator/codes``.  Rules (as Cognito):

* a wrong code counts a failure and raises CodeMismatchException;
* after ``max_failures`` (5) wrong codes every further attempt for that
  purpose raises LimitExceededException until a new code is issued;
* the right code after its expiry raises ExpiredCodeException;
* no code at all (never requested / already used) raises ExpiredCodeException;
* a successful check consumes the code.
"""

from __future__ import annotations

import secrets
import sys
import time
from dataclasses import dataclass, field

from . import errors

SIGN_UP = "SIGN_UP"
FORGOT_PASSWORD = "FORGOT_PASSWORD"
TEMPORARY_PASSWORD = "TEMPORARY_PASSWORD"


@dataclass
class Code:
    code: str
    purpose: str
    user_pool_id: str
    username: str
    expires_at: float
    issued_at: float = field(default_factory=time.time)

    def to_json(self) -> dict:
        return {"code": self.code, "purpose": self.purpose, "userPoolId": self.user_pool_id,
                "username": self.username, "expiresAt": int(self.expires_at),
                "issuedAt": int(self.issued_at)}


class CodeStore:
    def __init__(self, ttl_seconds: dict[str, float], max_failures: int = 5):
        self.ttl = dict(ttl_seconds)
        self.max_failures = max_failures
        self._codes: dict[tuple[str, str, str], Code] = {}
        self._failures: dict[tuple[str, str, str], int] = {}

    def issue(self, pool_id: str, username: str, purpose: str, value: str | None = None) -> Code:
        """Create (and log) a fresh code, replacing any earlier one and clearing the failure count."""
        key = (pool_id, username, purpose)
        value = value or f"{secrets.randbelow(10**6):06d}"
        code = Code(value, purpose, pool_id, username, time.time() + self.ttl.get(purpose, 86400))
        self._codes[key] = code
        self._failures.pop(key, None)
        print(f"[cognito-emulator] {purpose} code for {pool_id}/{username}: {value}", file=sys.stderr, flush=True)
        return code

    def check(self, pool_id: str, username: str, purpose: str, submitted: str) -> None:
        """Verify and consume a code, or raise the Cognito error described in the module doc."""
        key = (pool_id, username, purpose)
        if self._failures.get(key, 0) >= self.max_failures:
            raise errors.LimitExceeded()
        code = self._codes.get(key)
        if code is None:
            raise errors.ExpiredCode()
        if not secrets.compare_digest(code.code.encode(), str(submitted or "").encode()):
            self._failures[key] = self._failures.get(key, 0) + 1
            raise errors.CodeMismatch()
        if time.time() > code.expires_at:
            raise errors.ExpiredCode()
        del self._codes[key]
        self._failures.pop(key, None)

    def latest(self, pool_id: str, username: str, purpose: str | None = None) -> Code | None:
        """The most recently issued (live or expired) code of a user, of any purpose unless given."""
        found = [c for (p, u, k), c in self._codes.items()
                 if p == pool_id and u == username and (purpose is None or k == purpose)]
        return max(found, key=lambda c: c.issued_at, default=None)

    def expire(self, pool_id: str | None = None, username: str | None = None) -> int:
        """Force expiry of matching codes (all when no filter); returns how many."""
        n = 0
        for (p, u, _), code in self._codes.items():
            if (pool_id is None or p == pool_id) and (username is None or u == username):
                code.expires_at = time.time() - 1
                n += 1
        return n

    def discard(self, pool_id: str, username: str, purpose: str) -> None:
        self._codes.pop((pool_id, username, purpose), None)

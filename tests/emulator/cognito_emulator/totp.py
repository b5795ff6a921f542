"""RFC 6238 TOTP as Cognito uses it: HMAC-SHA-1, 6 digits, 30 s steps, +-1 step accepted.

``code(t) = (int(HMAC-SHA1(secret, uint64_be(floor(t / 30))))[dynamic truncation] & 0x7fffffff) mod 10^6``
where the secret is the raw bytes behind the base32 SecretCode.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time

STEP = 30
DIGITS = 6
WINDOW = 1


def new_secret() -> str:
    """A base32 SecretCode (32 random bytes, no padding: 52 characters, like Cognito's)."""
    return base64.b32encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")


def _key(secret_b32: str) -> bytes:
    s = secret_b32.upper()
    return base64.b32decode(s + "=" * (-len(s) % 8))


def code_at(secret_b32: str, counter: int) -> str:
    """HOTP(secret, counter) with RFC 4226 dynamic truncation."""
    digest = hmac.new(_key(secret_b32), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**DIGITS:0{DIGITS}d}"


def now_code(secret_b32: str, when: float | None = None) -> str:
    return code_at(secret_b32, int((time.time() if when is None else when) // STEP))


def verify(secret_b32: str, submitted: str, when: float | None = None) -> bool:
    """True when ``submitted`` is the code of the current step or of one step either side."""
    if not isinstance(submitted, str) or len(submitted) != DIGITS or not submitted.isdigit():
        return False
    counter = int((time.time() if when is None else when) // STEP)
    return any(hmac.compare_digest(code_at(secret_b32, counter + d), submitted)
               for d in range(-WINDOW, WINDOW + 1))

"""User-pool password policy (Cognito's rules and messages) and temporary passwords."""

from __future__ import annotations

import re
import secrets
import string

from . import errors

# Cognito's accepted "special characters" (plus the space character).
SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "
DEFAULT_POLICY = {"MinimumLength": 8, "RequireUppercase": True, "RequireLowercase": True,
                  "RequireNumbers": True, "RequireSymbols": True, "TemporaryPasswordValidityDays": 7}


def policy_of(pool) -> dict:
    """The pool's PasswordPolicy merged over Cognito's defaults."""
    given = (pool.extended_config.get("Policies") or {}).get("PasswordPolicy") or {}
    return {**DEFAULT_POLICY, **given}


def check_shape(password, name: str = "password") -> None:
    """The API-level constraint: 1-256 chars, no leading/trailing whitespace
    (pattern ``^[\\S]+.*[\\S]+$``) -> InvalidParameterException."""
    if not isinstance(password, str) or not password:
        raise errors.InvalidParameter(f"Missing required parameter {name.upper()}")
    if len(password) > 256 or password != password.strip():
        raise errors.InvalidParameter(
            f"1 validation error detected: Value at '{name}' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[\\S]+.*[\\S]+$")


def validate(policy: dict, password: str) -> None:
    """InvalidPasswordException with Cognito's message for the first rule broken."""
    check_shape(password)
    problems = []
    if len(password) < int(policy.get("MinimumLength", 8)):
        problems.append("Password not long enough")
    if policy.get("RequireLowercase") and not re.search(r"[a-z]", password):
        problems.append("Password must have lowercase characters")
    if policy.get("RequireUppercase") and not re.search(r"[A-Z]", password):
        problems.append("Password must have uppercase characters")
    if policy.get("RequireNumbers") and not re.search(r"[0-9]", password):
        problems.append("Password must have numeric characters")
    if policy.get("RequireSymbols") and not any(c in SYMBOLS for c in password):
        problems.append("Password must have symbol characters")
    if problems:
        raise errors.InvalidPassword("Password did not conform with policy: " + problems[0])


def temporary(policy: dict) -> str:
    """A random password that satisfies ``policy`` (used when AdminCreateUser gets none)."""
    length = max(12, int(policy.get("MinimumLength", 8)))
    pools = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "!#%&*+-="]
    chars = [secrets.choice(p) for p in pools]
    alphabet = "".join(pools)
    chars += [secrets.choice(alphabet) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)

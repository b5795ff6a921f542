"""Unit tests of the small pure modules: TOTP, codes, password policy, masking, JWT signing."""

from __future__ import annotations

import base64
import time

import pytest

from cognito_emulator import attributes, codes, errors, passwords, tokens, totp

RFC6238_SECRET = base64.b32encode(b"12345678901234567890").decode()


@pytest.mark.parametrize("t,expected", [(59, "287082"), (1111111109, "081804"), (1111111111, "050471"),
                                        (1234567890, "005924"), (2000000000, "279037"), (20000000000, "353130")])
def test_totp_rfc6238_sha1_vectors(t, expected):
    # RFC 6238 appendix B (SHA-1), last 6 of the 8 digits.
    assert totp.now_code(RFC6238_SECRET, t) == expected


def test_totp_window_is_one_step():
    t = 1_700_000_000
    assert totp.verify(RFC6238_SECRET, totp.now_code(RFC6238_SECRET, t - 30), t)
    assert totp.verify(RFC6238_SECRET, totp.now_code(RFC6238_SECRET, t + 30), t)
    assert not totp.verify(RFC6238_SECRET, totp.now_code(RFC6238_SECRET, t - 90), t)
    assert not totp.verify(RFC6238_SECRET, "12345", t)


def test_totp_secret_shape():
    s = totp.new_secret()
    assert len(s) == 52 and s.isalnum() and s == s.upper()


def test_codes_mismatch_limit_expiry_and_consumption():
    store = codes.CodeStore({codes.SIGN_UP: 60}, max_failures=5)
    c = store.issue("p", "u", codes.SIGN_UP)
    assert len(c.code) == 6 and c.code.isdigit()
    wrong = "000000" if c.code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(errors.CognitoError) as e:
            store.check("p", "u", codes.SIGN_UP, wrong)
        assert e.value.name == "CodeMismatchException"
    with pytest.raises(errors.CognitoError) as e:
        store.check("p", "u", codes.SIGN_UP, c.code)
    assert e.value.name == "LimitExceededException"
    c = store.issue("p", "u", codes.SIGN_UP)  # a new code clears the lock
    assert store.expire("p", "u") == 1
    with pytest.raises(errors.CognitoError) as e:
        store.check("p", "u", codes.SIGN_UP, c.code)
    assert e.value.name == "ExpiredCodeException"
    c = store.issue("p", "u", codes.SIGN_UP)
    store.check("p", "u", codes.SIGN_UP, c.code)
    with pytest.raises(errors.CognitoError) as e:  # consumed
        store.check("p", "u", codes.SIGN_UP, c.code)
    assert e.value.name == "ExpiredCodeException"


@pytest.mark.parametrize("pw,message", [
    ("Aa1!", "Password not long enough"),
    ("AAAAAAA1!", "Password must have lowercase characters"),
    ("aaaaaaa1!", "Password must have uppercase characters"),
    ("Aaaaaaaa!", "Password must have numeric characters"),
    ("Aaaaaaaa1", "Password must have symbol characters"),
])
def test_password_policy(pw, message):
    with pytest.raises(errors.CognitoError) as e:
        passwords.validate(passwords.DEFAULT_POLICY, pw)
    assert e.value.name == "InvalidPasswordException"
    assert e.value.message.endswith(message)


def test_password_policy_accepts_and_temporary_fits():
    passwords.validate(passwords.DEFAULT_POLICY, "Correct-Horse-1")
    for _ in range(20):
        passwords.validate(passwords.DEFAULT_POLICY, passwords.temporary(passwords.DEFAULT_POLICY))
    with pytest.raises(errors.CognitoError) as e:
        passwords.validate(passwords.DEFAULT_POLICY, " Correct-Horse-1")
    assert e.value.name == "InvalidParameterException"


def test_masking():
    assert attributes.mask_email("erin@example.com") == "e***@e***"
    assert attributes.mask_phone("+15555550123") == "+*******0123"


def test_jwt_roundtrip_and_tamper():
    key = tokens.SigningKey()
    tok = key.sign({"sub": "x", "exp": int(time.time()) + 60})
    assert key.verify(tok)["sub"] == "x"
    head, body, sig = tok.split(".")
    forged = tokens.b64url(b'{"sub":"y"}')
    assert key.verify(f"{head}.{forged}.{sig}") is None
    assert tokens.SigningKey().verify(tok) is None
    jwk = key.jwk()
    assert jwk["kty"] == "RSA" and jwk["alg"] == "RS256" and jwk["use"] == "sig" and jwk["e"] == "AQAB"

"""Server-side SRP math against every vector of tests/srp-vectors.json
(produced by amazon-cognito-identity-js 6.3.21, the client real Cognito accepts)."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from cognito_emulator import srp

VECTORS_FILE = Path(__file__).resolve().parent.parent / "srp-vectors.json"
DATA = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
VECTORS = DATA["vectors"]
IDS = [f"{i}-{v['userIdForSrp'][:12]}" for i, v in enumerate(VECTORS)]


def h(s: str) -> int:
    return int(s, 16)


def test_there_are_64_vectors():
    assert len(VECTORS) == 64


def test_k_matches():
    assert srp.pad_hex(srp.K_MULTIPLIER) == DATA["k"] or format(srp.K_MULTIPLIER, "x") == DATA["k"].lstrip("0")
    assert srp.K_MULTIPLIER == h(DATA["k"])


def test_n_is_rfc3526_3072_and_hex_is_385_bytes():
    assert srp.N.bit_length() == 3072
    assert len(srp.hex_bytes(srp.N)) == 385


@pytest.mark.parametrize("n,expected", [
    (0, "00"), (1, "01"), (0x7f, "7f"), (0x80, "0080"), (0xff, "00ff"), (0x100, "0100"),
    (0x1234, "1234"), (0x8000, "008000"), (0xabc, "0abc"),
])
def test_pad_hex(n, expected):
    assert srp.pad_hex(n) == expected


@pytest.mark.parametrize("v", VECTORS, ids=IDS)
def test_u(v):
    assert srp.pad_hex(srp.compute_u(h(v["A"]), h(v["B"]))) == v["u"]


@pytest.mark.parametrize("v", VECTORS, ids=IDS)
def test_x(v):
    x = srp.compute_x(srp.pool_name(v["userPoolId"]), v["userIdForSrp"], v["password"], h(v["salt"]))
    assert srp.pad_hex(x) == v["x"]


@pytest.mark.parametrize("v", VECTORS, ids=IDS)
def test_verifier_reproduces_S(v):
    """B - k*v == g^b, so S == (B - k*v)^(a + u*x): checks the stored verifier v = g^x."""
    verifier = srp.compute_verifier(srp.pool_name(v["userPoolId"]), v["userIdForSrp"], v["password"], h(v["salt"]))
    A, B, a = h(v["A"]), h(v["B"]), h(v["a"])
    assert pow(srp.G, a, srp.N) == A
    u = srp.compute_u(A, B)
    g_b = (B - srp.K_MULTIPLIER * verifier) % srp.N
    assert srp.pad_hex(pow(g_b, a + u * h(v["x"]), srp.N)) == v["S"]
    assert srp.pad_hex(srp.client_S(B, h(v["x"]), a, u)) == v["S"]


@pytest.mark.parametrize("v", VECTORS, ids=IDS)
def test_key_from_S(v):
    assert srp.derive_key(h(v["u"]), h(v["S"])).hex() == v["key"]


@pytest.mark.parametrize("v", VECTORS, ids=IDS)
def test_signature_and_verification(v):
    key = bytes.fromhex(v["key"])
    pool = srp.pool_name(v["userPoolId"])
    block = base64.b64decode(v["secretBlock"])
    assert srp.signature(key, pool, v["userIdForSrp"], block, v["timestamp"]) == v["signature"]
    assert srp.signature_matches(key, pool, v["userIdForSrp"], block, v["timestamp"], v["signature"])
    assert not srp.signature_matches(key, pool, v["userIdForSrp"], block, v["timestamp"] + " ", v["signature"])
    flipped = bytes([key[0] ^ 1]) + key[1:]
    assert not srp.signature_matches(flipped, pool, v["userIdForSrp"], block, v["timestamp"], v["signature"])


@pytest.mark.parametrize("v", VECTORS, ids=IDS)
def test_vector_timestamp_parses(v):
    assert srp.format_timestamp(srp.parse_timestamp(v["timestamp"])) == v["timestamp"]


@pytest.mark.parametrize("v", VECTORS[:16], ids=IDS[:16])
def test_full_round_trip_with_server_b(v):
    """The server's S = (A*v^u)^b equals the client's S for a fresh b, with the vector's a and password."""
    pool = srp.pool_name(v["userPoolId"])
    salt = h(v["salt"])
    verifier = srp.compute_verifier(pool, v["userIdForSrp"], v["password"], salt)
    b = srp.new_private_b()
    B = srp.compute_B(verifier, b)
    A = h(v["A"])
    u = srp.compute_u(A, B)
    server_key = srp.derive_key(u, srp.server_S(A, verifier, u, b))
    x = srp.compute_x(pool, v["userIdForSrp"], v["password"], salt)
    client_key = srp.derive_key(u, srp.client_S(B, x, h(v["a"]), u))
    assert server_key == client_key
    wrong_x = srp.compute_x(pool, v["userIdForSrp"], v["password"] + "x", salt)
    assert srp.derive_key(u, srp.client_S(B, wrong_x, h(v["a"]), u)) != server_key


def test_parse_srp_a_rejects_zero_mod_n():
    for bad in ["0", "00", format(srp.N, "x"), format(2 * srp.N, "x"), "xyz", ""]:
        with pytest.raises(ValueError):
            srp.parse_srp_a(bad)
    assert srp.parse_srp_a("0" + format(5, "x")) == 5


# --- TIMESTAMP ------------------------------------------------------------------

NOW = datetime(2025, 3, 4, 9, 5, 7, tzinfo=timezone.utc)


def test_format_timestamp_unpadded_day():
    assert srp.format_timestamp(NOW) == "Tue Mar 4 09:05:07 UTC 2025"
    assert srp.format_timestamp(datetime(2025, 3, 14, 0, 0, 0, tzinfo=timezone.utc)) == "Fri Mar 14 00:00:00 UTC 2025"


def test_parse_accepts_canonical():
    assert srp.parse_timestamp("Tue Mar 4 09:05:07 UTC 2025") == NOW


@pytest.mark.parametrize("bad", [
    "Tue Mar 04 09:05:07 UTC 2025",   # zero-padded day
    "Tue Mar  4 09:05:07 UTC 2025",   # space-padded day
    "Wed Mar 4 09:05:07 UTC 2025",    # wrong weekday
    "Tue Mar 4 9:05:07 UTC 2025",     # unpadded hour
    "Tue Mar 4 09:05:07 GMT 2025",
    "Tue, 04 Mar 2025 09:05:07 GMT",
    "2025-03-04T09:05:07Z",
    "tue mar 4 09:05:07 UTC 2025",
    "Tue Mar 4 09:05:07 UTC 2025 ",
    "Tue Feb 30 09:05:07 UTC 2025",
    "",
])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        srp.parse_timestamp(bad)


def test_skew_window():
    ts = srp.format_timestamp(NOW)
    srp.check_timestamp(ts, NOW)
    srp.check_timestamp(ts, NOW + timedelta(minutes=5))
    srp.check_timestamp(ts, NOW - timedelta(minutes=5))
    with pytest.raises(ValueError):
        srp.check_timestamp(ts, NOW + timedelta(minutes=5, seconds=1))
    with pytest.raises(ValueError):
        srp.check_timestamp(ts, NOW - timedelta(minutes=6))

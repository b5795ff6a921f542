"""Server side of Cognito's SRP-6a variant (USER_SRP_AUTH / PASSWORD_VERIFIER).

Everything here is a pure function of its arguments (randomness is passed in
or drawn by the two ``new_*`` helpers), so each step can be unit-tested
against /work/main/tests/srp-vectors.json.

Notation (see shared/docs/cognito-srp.md):

* ``N`` = RFC 3526 3072-bit MODP prime, ``g`` = 2, ``H`` = SHA-256,
  ``HMAC`` = HMAC-SHA-256.
* ``hex(n)`` = signed minimal big-endian hex (Java ``BigInteger.toByteArray``):
  magnitude digits, a ``0`` prepended when their count is odd, then ``00``
  prepended when the first digit is 8-f.  ``bytes(hex(n))`` is what is hashed.
* ``k = H(bytes(hex(N) || hex(g)))``
* ``x = H(bytes(hex(salt)) || H(utf8(poolName || userId || ":" || password)))``
* ``v = g^x mod N``                       (stored at sign-up)
* ``B = (k*v + g^b) mod N``               (sent as SRP_B)
* ``u = H(bytes(hex(A) || hex(B)))``
* ``S = (A * v^u)^b mod N``               (server) ==
  ``(B - k*g^x)^(a + u*x) mod N``         (client)
* ``prk = HMAC(bytes(hex(u)), bytes(hex(S)))``
* ``K = HMAC(prk, utf8("Caldera Derived Key") || 0x01)[:16]``
* ``signature = base64(HMAC(K, utf8(poolName) || utf8(userId) || secretBlock || utf8(TIMESTAMP)))``
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timezone

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E08"
    "8A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B"
    "302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9"
    "A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE6"
    "49286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8"
    "FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D"
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C"
    "180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D"
    "04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7D"
    "B3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226"
    "1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFC"
    "E0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO_BITS = b"Caldera Derived Key"
TIMESTAMP_SKEW_SECONDS = 5 * 60


def pad_hex(n: int) -> str:
    """hex(n): signed minimal big-endian hex of a non-negative integer."""
    if n < 0:
        raise ValueError("pad_hex takes a non-negative integer")
    digits = format(n, "x")
    if len(digits) % 2:
        digits = "0" + digits
    if digits[0] in "89abcdef":
        digits = "00" + digits
    return digits


def hex_bytes(n: int) -> bytes:
    """bytes(hex(n))."""
    return bytes.fromhex(pad_hex(n))


def hash_int(data: bytes) -> int:
    """H(data) read as a big-endian unsigned integer."""
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


K_MULTIPLIER = hash_int(hex_bytes(N) + hex_bytes(G))  # k = H(hex(N) || hex(g))


def pool_name(user_pool_id: str) -> str:
    """The part of a pool id after the first "_" (us-east-1_AbC -> AbC)."""
    return user_pool_id.split("_", 1)[1]


def compute_x(pool: str, user_id: str, password: str, salt: int) -> int:
    """x = H(bytes(hex(salt)) || H(utf8(poolName || userId || ":" || password)))."""
    inner = hashlib.sha256(f"{pool}{user_id}:{password}".encode("utf-8")).digest()
    return hash_int(hex_bytes(salt) + inner)


def compute_verifier(pool: str, user_id: str, password: str, salt: int) -> int:
    """v = g^x mod N."""
    return pow(G, compute_x(pool, user_id, password, salt), N)


def new_salt() -> bytes:
    """16 random bytes; sent to clients as 32 hex digits (leading zeros kept)."""
    return secrets.token_bytes(16)


def new_private_b() -> int:
    """A random 256-bit server secret b (never 0)."""
    return secrets.randbits(256) | 1


def compute_B(v: int, b: int) -> int:
    """B = (k*v + g^b) mod N."""
    return (K_MULTIPLIER * v + pow(G, b, N)) % N


def compute_u(A: int, B: int) -> int:
    """u = H(bytes(hex(A) || hex(B)))."""
    return hash_int(hex_bytes(A) + hex_bytes(B))


def server_S(A: int, v: int, u: int, b: int) -> int:
    """S = (A * v^u)^b mod N."""
    return pow(A * pow(v, u, N) % N, b, N)


def client_S(B: int, x: int, a: int, u: int) -> int:
    """S = ((B - k*g^x) mod N)^(a + u*x) mod N (only used by tests and self-checks)."""
    base = (B - K_MULTIPLIER * pow(G, x, N)) % N
    return pow(base, a + u * x, N)


def derive_key(u: int, S: int) -> bytes:
    """K = first 16 bytes of HMAC(HMAC(bytes(hex(u)), bytes(hex(S))), "Caldera Derived Key" || 0x01)."""
    prk = hmac.new(hex_bytes(u), hex_bytes(S), hashlib.sha256).digest()
    return hmac.new(prk, INFO_BITS + b"\x01", hashlib.sha256).digest()[:16]


def signature(key: bytes, pool: str, user_id: str, secret_block: bytes, timestamp: str) -> str:
    """base64(HMAC(K, utf8(poolName) || utf8(userId) || secretBlock || utf8(TIMESTAMP)))."""
    msg = pool.encode("utf-8") + user_id.encode("utf-8") + secret_block + timestamp.encode("utf-8")
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode("ascii")


def signature_matches(key: bytes, pool: str, user_id: str, secret_block: bytes,
                      timestamp: str, claimed: str) -> bool:
    """Constant-time comparison of the client's PASSWORD_CLAIM_SIGNATURE with the expected one."""
    expected = signature(key, pool, user_id, secret_block, timestamp)
    return hmac.compare_digest(expected.encode("ascii"), claimed.encode("utf-8", "replace"))


def parse_srp_a(value: str) -> int:
    """Parse SRP_A (hex, any case, leading zeros allowed); reject A mod N == 0."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9a-fA-F]{1,2048}", value):
        raise ValueError("SRP_A is not a hex number")
    A = int(value, 16)
    if A % N == 0:
        raise ValueError("SRP_A mod N is zero")
    return A


# --- TIMESTAMP -----------------------------------------------------------------

_DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_TIMESTAMP_RE = re.compile(
    r"(?P<wd>[A-Z][a-z]{2}) (?P<mon>[A-Z][a-z]{2}) (?P<day>[1-9]|[12][0-9]|3[01]) "
    r"(?P<h>[01][0-9]|2[0-3]):(?P<m>[0-5][0-9]):(?P<s>[0-5][0-9]) UTC (?P<y>[0-9]{4})"
)


def format_timestamp(when: datetime) -> str:
    """Cognito's TIMESTAMP: 'Www Mmm D HH:MM:SS UTC YYYY', day of month not zero-padded."""
    when = when.astimezone(timezone.utc)
    return (f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day} "
            f"{when:%H:%M:%S} UTC {when.year}")


def parse_timestamp(value: str) -> datetime:
    """Strictly parse a TIMESTAMP; a zero-padded day, extra spaces or a weekday that
    does not match the date raise ValueError (the string must round-trip exactly)."""
    m = _TIMESTAMP_RE.fullmatch(value or "")
    if not m or m["mon"] not in _MONTHS or m["wd"] not in _DAYS:
        raise ValueError(f"malformed TIMESTAMP {value!r}")
    when = datetime(int(m["y"]), _MONTHS.index(m["mon"]) + 1, int(m["day"]),
                    int(m["h"]), int(m["m"]), int(m["s"]), tzinfo=timezone.utc)
    if format_timestamp(when) != value:
        raise ValueError(f"TIMESTAMP {value!r} is not canonical (weekday/date mismatch)")
    return when


def check_timestamp(value: str, now: datetime, skew: int = TIMESTAMP_SKEW_SECONDS) -> datetime:
    """Parse TIMESTAMP and require |TIMESTAMP - now| <= skew seconds."""
    when = parse_timestamp(value)
    if abs((when - now).total_seconds()) > skew:
        raise ValueError(f"TIMESTAMP {value!r} is more than {skew} s away from the server clock")
    return when

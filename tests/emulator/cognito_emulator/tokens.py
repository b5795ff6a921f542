"""RS256 JWTs, JWKS, refresh tokens and their revocation.

* One 2048-bit RSA key per user pool, generated at pool creation; its public
  half is served at ``/<poolId>/.well-known/jwks.json``.
* JWT = base64url(header) "." base64url(payload) "." base64url(RSASSA-PKCS1-v1_5-SHA256(first two parts)),
  header ``{"kid": ..., "alg": "RS256"}`` as Cognito's.
* Issuer = ``<endpoint><poolId>`` (``http://127.0.0.1:<port>/<poolId>``; real
  Cognito: ``https://cognito-idp.<region>.amazonaws.com/<poolId>``).
* Each sign-in starts an "origin" (its ``origin_jti``) holding the refresh
  token; REFRESH_TOKEN_AUTH keeps the origin.  RevokeToken revokes one origin
  (its refresh token and every access token minted from it), GlobalSignOut all
  origins of a user.
* Refresh tokens are opaque strings shaped like Cognito's (a 5-part JWE).
"""

from __future__ import annotations

import base64
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.exceptions import InvalidSignature

from . import errors


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int_b64url(n: int) -> str:
    return b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))


class SigningKey:
    """An RSA key with its ``kid``."""

    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = b64url(secrets.token_bytes(32))

    def jwk(self) -> dict:
        pub = self.private.public_key().public_numbers()
        return {"kty": "RSA", "alg": "RS256", "kid": self.kid, "use": "sig",
                "n": _int_b64url(pub.n), "e": _int_b64url(pub.e)}

    def sign(self, payload: dict) -> str:
        header = {"kid": self.kid, "alg": "RS256"}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "."
                         + b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()))
        sig = self.private.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return signing_input + "." + b64url(sig)

    def verify(self, token: str) -> dict | None:
        """The payload of a token this key signed, or None."""
        try:
            head, body, sig = token.split(".")
            if json.loads(b64url_decode(head)).get("kid") != self.kid:
                return None
            self.private.public_key().verify(b64url_decode(sig), f"{head}.{body}".encode("ascii"),
                                             padding.PKCS1v15(), hashes.SHA256())
            return json.loads(b64url_decode(body))
        except (ValueError, InvalidSignature, AttributeError):
            return None


@dataclass
class Origin:
    """One sign-in: the refresh token and the access tokens derived from it."""
    origin_jti: str
    pool_id: str
    username: str
    client_id: str
    auth_time: int
    refresh_token: str
    refresh_expires_at: float
    revoked: bool = False
    access_jtis: set = field(default_factory=set)
    # Refresh tokens rotated out (GetTokensFromRefreshToken with rotation): token -> when.
    retired: dict = field(default_factory=dict)


def _new_refresh_token() -> str:
    header = b64url(b'{"cty":"JWT","enc":"A256GCM","alg":"RSA-OAEP"}')
    return ".".join([header, b64url(secrets.token_bytes(256)), b64url(secrets.token_bytes(12)),
                     b64url(secrets.token_bytes(1200)), b64url(secrets.token_bytes(16))])


class TokenService:
    def __init__(self, endpoint: str, ttl_seconds: int = 3600):
        self.endpoint = endpoint  # with trailing slash
        self.ttl = ttl_seconds
        self.keys: dict[str, SigningKey] = {}
        self.origins: dict[str, Origin] = {}
        self.by_refresh: dict[str, Origin] = {}

    # --- keys -----------------------------------------------------------------
    def add_pool(self, pool_id: str) -> None:
        self.keys[pool_id] = SigningKey()

    def issuer(self, pool_id: str) -> str:
        return f"{self.endpoint}{pool_id}"

    def jwks(self, pool_id: str) -> dict | None:
        key = self.keys.get(pool_id)
        return {"keys": [key.jwk()]} if key else None

    # --- issuing --------------------------------------------------------------
    def start_origin(self, pool_id: str, username: str, client_id: str, refresh_days: float) -> Origin:
        origin = Origin(str(uuid.uuid4()), pool_id, username, client_id, int(time.time()),
                        _new_refresh_token(), time.time() + refresh_days * 86400)
        self.origins[origin.origin_jti] = origin
        self.by_refresh[origin.refresh_token] = origin
        return origin

    def mint(self, origin: Origin, sub: str, id_claims: dict, with_refresh: bool) -> dict:
        """AuthenticationResult with a fresh ID + access token pair for ``origin``."""
        now = int(time.time())
        event_id = str(uuid.uuid4())
        common = {"sub": sub, "iss": self.issuer(origin.pool_id), "origin_jti": origin.origin_jti,
                  "event_id": event_id, "auth_time": origin.auth_time, "iat": now, "exp": now + self.ttl}
        access_jti = str(uuid.uuid4())
        access = {**common, "client_id": origin.client_id, "token_use": "access",
                  "scope": "aws.cognito.signin.user.admin", "jti": access_jti,
                  "username": origin.username}
        id_token = {**id_claims, **common, "aud": origin.client_id, "token_use": "id",
                    "cognito:username": origin.username, "jti": str(uuid.uuid4())}
        origin.access_jtis.add(access_jti)
        key = self.keys[origin.pool_id]
        result = {"AccessToken": key.sign(access), "ExpiresIn": self.ttl, "TokenType": "Bearer",
                  "IdToken": key.sign(id_token)}
        if with_refresh:
            result["RefreshToken"] = origin.refresh_token
        return result

    def rotate(self, origin: Origin) -> str:
        """Replaces the origin's refresh token with a new one; the old one is retired now."""
        origin.retired[origin.refresh_token] = time.time()
        origin.refresh_token = _new_refresh_token()
        self.by_refresh[origin.refresh_token] = origin
        return origin.refresh_token

    # --- checking -------------------------------------------------------------
    def origin_for_refresh(self, token: str, client_id: str) -> Origin:
        origin = self.by_refresh.get(token or "")
        if origin is None or origin.client_id != client_id:
            raise errors.NotAuthorized("Invalid Refresh Token")
        if origin.revoked:
            raise errors.NotAuthorized("Refresh Token has been revoked")
        if time.time() > origin.refresh_expires_at:
            raise errors.NotAuthorized("Refresh Token has expired")
        return origin

    def check_access_token(self, token: str) -> tuple[dict, Origin]:
        """Claims and origin of a live access token, else NotAuthorizedException like Cognito's."""
        claims = None
        for key in self.keys.values():
            claims = key.verify(token or "")
            if claims:
                break
        if not claims or claims.get("token_use") != "access":
            raise errors.NotAuthorized("Invalid Access Token")
        origin = self.origins.get(claims.get("origin_jti", ""))
        if origin is None:
            raise errors.NotAuthorized("Invalid Access Token")
        if origin.revoked:
            raise errors.NotAuthorized("Access Token has been revoked")
        if time.time() >= claims.get("exp", 0):
            raise errors.NotAuthorized("Access Token has expired")
        return claims, origin

    def is_jwt(self, token: str) -> bool:
        return any(key.verify(token or "") for key in self.keys.values())

    # --- revoking -------------------------------------------------------------
    def revoke_origin(self, origin: Origin) -> None:
        origin.revoked = True

    def revoke_user(self, pool_id: str, username: str) -> int:
        n = 0
        for origin in self.origins.values():
            if origin.pool_id == pool_id and origin.username == username and not origin.revoked:
                origin.revoked = True
                n += 1
        return n

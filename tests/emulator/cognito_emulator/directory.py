"""User pools, app clients and users, kept in moto's cognito-idp backend.

moto's models (``CognitoIdpUserPool``, ``CognitoIdpUserPoolClient``,
``CognitoIdpUser``) hold the bookkeeping; this module adds what moto lacks:

* Cognito-shaped ids (``us-east-1_XXXXXXXXX`` pools, 26-char client ids,
  51-char client secrets) instead of moto's hex UUIDs;
* SRP credentials instead of a plaintext password: per user a random 16-byte
  ``srp_salt`` and ``srp_verifier`` v = g^x mod N (see srp.py);
* login-name resolution: the username (case-insensitive when the pool says
  so), UsernameAttributes (email / phone_number, username = sub) and
  AliasAttributes (only *verified* email / phone_number / preferred_username);
* SECRET_HASH = base64(HMAC-SHA256(clientSecret, username || clientId)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
import time

from moto.cognitoidp.models import CognitoIdpUser, cognitoidp_backends

from . import errors, srp

ACCOUNT_ID = "123456789012"
_ALNUM = string.ascii_letters + string.digits
_LOWER_ALNUM = string.ascii_lowercase + string.digits

UNCONFIRMED = "UNCONFIRMED"
CONFIRMED = "CONFIRMED"
FORCE_CHANGE_PASSWORD = "FORCE_CHANGE_PASSWORD"
RESET_REQUIRED = "RESET_REQUIRED"


def _random(alphabet: str, n: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(n))


class Directory:
    def __init__(self, region: str):
        self.region = region
        self.backend = cognitoidp_backends[ACCOUNT_ID][region]

    # --- pools and clients ----------------------------------------------------
    def create_pool(self, name: str, config: dict):
        """Create a pool through moto, then give it a Cognito-shaped id."""
        pool = self.backend.create_user_pool(name, config)
        del self.backend.user_pools[pool.id]
        pool.id = f"{self.region}_{_random(_ALNUM, 9)}"
        pool.arn = f"arn:aws:cognito-idp:{self.region}:{ACCOUNT_ID}:userpool/{pool.id}"
        self.backend.user_pools[pool.id] = pool
        return pool

    def create_client(self, pool_id: str, name: str, generate_secret: bool, config: dict):
        client = self.backend.create_user_pool_client(pool_id, generate_secret, {"ClientName": name, **config})
        pool = self.pool(pool_id)
        del pool.clients[client.id]
        client.id = _random(_LOWER_ALNUM, 26)
        client.secret = _random(_LOWER_ALNUM, 51) if generate_secret else None
        pool.clients[client.id] = client
        return client

    def pool(self, pool_id: str):
        pool = self.backend.user_pools.get(pool_id or "")
        if pool is None:
            raise errors.ResourceNotFound(f"User pool {pool_id} does not exist.")
        return pool

    def client(self, client_id: str):
        """(pool, client) for an app client id."""
        for pool in self.backend.user_pools.values():
            client = pool.clients.get(client_id or "")
            if client is not None:
                return pool, client
        raise errors.ResourceNotFound(f"User pool client {client_id} does not exist.")

    @staticmethod
    def prevents_existence_errors(client) -> bool:
        return client.extended_config.get("PreventUserExistenceErrors", "LEGACY") == "ENABLED"

    @staticmethod
    def flow_allowed(client, flow: str) -> bool:
        flows = client.extended_config.get("ExplicitAuthFlows") or []
        return flow in flows or f"ALLOW_{flow}" in flows

    @staticmethod
    def check_secret_hash(client, username: str | list, given: str | None) -> None:
        """No-op for clients without a secret; otherwise SECRET_HASH must equal
        base64(HMAC(secret, username || clientId)) for (one of) the username(s)."""
        if not client.generate_secret:
            return
        if not given:
            raise errors.secret_hash_error(client.id, missing=True)
        names = [username] if isinstance(username, str) else list(username)
        for name in names:
            digest = hmac.new(client.secret.encode(), (name + client.id).encode(), hashlib.sha256).digest()
            if hmac.compare_digest(base64.b64encode(digest), str(given).encode()):
                return
        raise errors.secret_hash_error(client.id, missing=False)

    # --- users ----------------------------------------------------------------
    @staticmethod
    def _case_sensitive(pool) -> bool:
        return (pool.extended_config.get("UsernameConfiguration") or {}).get("CaseSensitive", True)

    def find_by_username(self, pool, name: str):
        """The user whose username is ``name`` (case-insensitive when the pool says so)."""
        fold = (lambda s: s) if self._case_sensitive(pool) else (lambda s: s.lower())
        return next((u for u in pool.users.values() if fold(u.username) == fold(name)), None)

    def find_user(self, pool, login: str):
        """The user a login name denotes, or None (see module doc for the rules)."""
        if not isinstance(login, str) or not login:
            return None
        fold = (lambda s: s) if self._case_sensitive(pool) else (lambda s: s.lower())
        user = self.find_by_username(pool, login)
        if user is not None:
            return user
        for attr in pool.extended_config.get("UsernameAttributes") or []:
            for user in pool.users.values():
                value = user.attribute_lookup.get(attr)
                if value and fold(value) == fold(login):
                    return user
        for attr in pool.extended_config.get("AliasAttributes") or []:
            for user in pool.users.values():
                value = user.attribute_lookup.get(attr)
                verified = attr == "preferred_username" or user.attribute_lookup.get(f"{attr}_verified") == "true"
                if value and verified and fold(value) == fold(login):
                    return user
        return None

    def get_user(self, pool, login: str):
        user = self.find_user(pool, login)
        if user is None:
            raise errors.UserNotFound("User does not exist.")
        return user

    def add_user(self, pool, username: str | None, attrs: dict, status: str):
        """Store a new moto user; ``username=None`` makes the username the sub."""
        user = CognitoIdpUser(pool.id, username, None, status, [{"Name": k, "Value": v} for k, v in attrs.items()])
        user.srp_salt = None
        user.srp_verifier = None
        user.totp_secret = None
        user.totp_pending = None
        user.temp_password_expires_at = None
        pool.users[user.username] = user
        return user

    def delete_user(self, pool, user) -> None:
        pool.users.pop(user.username, None)

    @staticmethod
    def sub(user) -> str:
        return user.attribute_lookup["sub"]

    @staticmethod
    def set_attributes(user, attrs: dict) -> None:
        user.update_attributes([{"Name": k, "Value": v} for k, v in attrs.items()])

    # --- credentials ----------------------------------------------------------
    @staticmethod
    def set_password(pool, user, password: str) -> None:
        """Store a fresh salt and v = g^x mod N, x over (poolName, username, password)."""
        salt = srp.new_salt()
        user.srp_salt = salt
        user.srp_verifier = srp.compute_verifier(srp.pool_name(pool.id), user.username, password,
                                                 int.from_bytes(salt, "big"))
        user.password = None  # never kept in clear
        user.last_modified_date = time.time()

    @staticmethod
    def password_matches(pool, user, password: str) -> bool:
        """Recompute v from the candidate password and compare in constant time."""
        if user.srp_salt is None or not isinstance(password, str):
            return False
        candidate = srp.compute_verifier(srp.pool_name(pool.id), user.username, password,
                                         int.from_bytes(user.srp_salt, "big"))
        return hmac.compare_digest(srp.hex_bytes(candidate), srp.hex_bytes(user.srp_verifier))

    @staticmethod
    def user_json(user, attributes_key: str) -> dict:
        """AdminGetUser / AdminCreateUser shape, with dates as epoch seconds."""
        out = {"Username": user.username, attributes_key: list(user.attributes),
               "UserCreateDate": _epoch(user.create_date),
               "UserLastModifiedDate": _epoch(user.last_modified_date),
               "Enabled": user.enabled, "UserStatus": str(user.status.value if hasattr(user.status, "value") else user.status)}
        mfa = ["SOFTWARE_TOKEN_MFA"] if user.software_token_mfa_enabled else []
        if mfa:
            out["UserMFASettingList"] = mfa
        if user.preferred_mfa_setting:
            out["PreferredMfaSetting"] = user.preferred_mfa_setting
        return out


def _epoch(value) -> float:
    return value.timestamp() if hasattr(value, "timestamp") else float(value)

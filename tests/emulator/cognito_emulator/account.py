"""Operations authorised by an access token: GetUser, ChangePassword, GlobalSignOut;
and RevokeToken (authorised by the app client)."""

from __future__ import annotations

import hmac

from . import attributes, errors, passwords


def user_for_access_token(emu, token: str):
    """(pool, user, origin) for a live access token, else NotAuthorizedException."""
    claims, origin = emu.tokens.check_access_token(token)
    pool = emu.directory.pool(origin.pool_id)
    user = pool.users.get(origin.username)
    if user is None:
        raise errors.NotAuthorized("User does not exist.")
    if not user.enabled:
        raise errors.NotAuthorized("User is disabled.")
    return pool, user, origin


def get_user(emu, req: dict) -> dict:
    errors.require(req, "AccessToken")
    _, user, _ = user_for_access_token(emu, req["AccessToken"])
    out = {"Username": user.username, "UserAttributes": attributes.as_list(user.attribute_lookup)}
    if user.software_token_mfa_enabled:
        out["UserMFASettingList"] = ["SOFTWARE_TOKEN_MFA"]
    if user.preferred_mfa_setting:
        out["PreferredMfaSetting"] = user.preferred_mfa_setting
    return out


def change_password(emu, req: dict) -> dict:
    errors.require(req, "AccessToken", "PreviousPassword", "ProposedPassword")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    if not emu.directory.password_matches(pool, user, req["PreviousPassword"]):
        raise errors.NotAuthorized("Incorrect username or password.")
    passwords.validate(passwords.policy_of(pool), req["ProposedPassword"])
    emu.directory.set_password(pool, user, req["ProposedPassword"])
    return {}


def global_sign_out(emu, req: dict) -> dict:
    """Revokes every refresh token of the user and the access tokens minted from them."""
    errors.require(req, "AccessToken")
    pool, user, _ = user_for_access_token(emu, req["AccessToken"])
    emu.tokens.revoke_user(pool.id, user.username)
    return {}


def revoke_token(emu, req: dict) -> dict:
    """Revokes one refresh token (and its access tokens).  Clients with a secret must
    send ClientSecret.  Unknown refresh tokens are ignored (RFC 7009); an ID or
    access token gives UnsupportedTokenTypeException."""
    errors.require(req, "Token", "ClientId")
    _, client = emu.directory.client(req["ClientId"])
    if client.generate_secret and not hmac.compare_digest(str(req.get("ClientSecret") or "").encode(),
                                                         client.secret.encode()):
        raise errors.Unauthorized("Invalid client secret")
    if emu.tokens.is_jwt(req["Token"]):
        raise errors.UnsupportedTokenType("Unsupported token type")
    origin = emu.tokens.by_refresh.get(req["Token"])
    if origin is not None and origin.client_id == client.id:
        emu.tokens.revoke_origin(origin)
    return {}


OPERATIONS = {
    "GetUser": get_user,
    "ChangePassword": change_password,
    "GlobalSignOut": global_sign_out,
    "RevokeToken": revoke_token,
}

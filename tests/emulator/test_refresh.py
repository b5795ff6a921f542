"""GetTokensFromRefreshToken in-process: a client that rotates (grace period, then
RefreshTokenReuseException) and ones that do not."""

from __future__ import annotations

import time

from test_flows import PASSWORD, call, env, signed_up_user  # noqa: F401 (fixture)


def password_sign_in(client, client_id, username):
    return call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": client_id,
                                         "AuthParameters": {"USERNAME": username, "PASSWORD": PASSWORD}}
                )["AuthenticationResult"]


def refresh(client, client_id, token, expect_error=None, **extra):
    return call(client, "GetTokensFromRefreshToken", {"ClientId": client_id, "RefreshToken": token, **extra},
                expect_error=expect_error)


def test_without_rotation_the_refresh_token_stays(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "rita")
    first = password_sign_in(client, config["clientId"], "rita")
    for _ in range(2):
        answer = refresh(client, config["clientId"], first["RefreshToken"])["AuthenticationResult"]
        assert "RefreshToken" not in answer
        assert answer["AccessToken"] != first["AccessToken"]
    call(client, "GetUser", {"AccessToken": answer["AccessToken"]})
    refresh(client, config["clientId"], "not-a-token", expect_error="NotAuthorizedException")
    # REFRESH_TOKEN_AUTH still works for this client.
    call(client, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": config["clientId"],
                                  "AuthParameters": {"REFRESH_TOKEN": first["RefreshToken"]}})


def test_a_client_secret_is_required_and_checked(env):
    emu, config, client = env
    cid, sec = config["secretClientId"], config["clientSecret"]
    signed_up_user(emu, config, client, "sam")
    from test_flows import secret_hash
    first = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cid, "AuthParameters": {
        "USERNAME": "sam", "PASSWORD": PASSWORD, "SECRET_HASH": secret_hash(sec, "sam", cid)}})["AuthenticationResult"]
    err = refresh(client, cid, first["RefreshToken"], expect_error="NotAuthorizedException")
    assert err["message"] == f"Client {cid} is configured for secret but secret was not received"
    refresh(client, cid, first["RefreshToken"], expect_error="NotAuthorizedException", ClientSecret="wrong")
    assert "AccessToken" in refresh(client, cid, first["RefreshToken"], ClientSecret=sec)["AuthenticationResult"]


def test_rotation_grace_period_then_reuse(env):
    emu, config, client = env
    cid = config["rotatingClientId"]
    signed_up_user(emu, config, client, "rose")
    first = password_sign_in(client, cid, "rose")
    emu.stats.refresh.clear()
    second = refresh(client, cid, first["RefreshToken"])["AuthenticationResult"]
    assert second["RefreshToken"] not in (None, first["RefreshToken"])
    # Within the grace period the old token still works and answers the current one.
    again = refresh(client, cid, first["RefreshToken"])["AuthenticationResult"]
    assert again["RefreshToken"] == second["RefreshToken"]
    third = refresh(client, cid, second["RefreshToken"], DeviceKey="us-east-1_x")["AuthenticationResult"]
    assert third["RefreshToken"] not in (first["RefreshToken"], second["RefreshToken"])
    assert emu.stats.refresh == {"rotated": 2, "withinGrace": 1, "withDeviceKey": 1}
    client.post("/_emulator/reset-stats")
    assert client.get("/_emulator/stats").get_json()["refresh"] == {}
    emu.stats.refresh.update({"rotated": 2, "withinGrace": 1, "withDeviceKey": 1})
    time.sleep(2.2)  # RetryGracePeriodSeconds of the rotating client
    err = refresh(client, cid, first["RefreshToken"], expect_error="RefreshTokenReuseException")
    assert err["message"] == "Refresh token has been reused."
    refresh(client, cid, second["RefreshToken"], expect_error="RefreshTokenReuseException")
    fourth = refresh(client, cid, third["RefreshToken"])["AuthenticationResult"]
    call(client, "GetUser", {"AccessToken": fourth["AccessToken"]})
    # REFRESH_TOKEN_AUTH is refused for a rotating client; revoking the current token ends it.
    call(client, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid,
                                  "AuthParameters": {"REFRESH_TOKEN": fourth["RefreshToken"]}},
         expect_error="InvalidParameterException")
    call(client, "RevokeToken", {"Token": fourth["RefreshToken"], "ClientId": cid})
    err = refresh(client, cid, fourth["RefreshToken"], expect_error="NotAuthorizedException")
    assert err["message"] == "Refresh Token has been revoked"


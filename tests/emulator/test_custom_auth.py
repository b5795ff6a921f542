"""CUSTOM_AUTH: the scripted triggers (code from /_emulator/codes, three tries, SRP first when
asked, DEVICE_SRP_AUTH after the answer with a remembered device)."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timezone

from cognito_emulator import srp
from test_devices import generate_hash_device
from test_flows import PASSWORD, call, env, secret_hash, signed_up_user, srp_login  # noqa: F401 (fixture)


def _code(client, pool_id, username):
    r = client.get("/_emulator/codes", query_string={"userPoolId": pool_id, "username": username,
                                                     "purpose": "CUSTOM_CHALLENGE"})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["code"]


def _initiate(client, client_id, username, **params):
    return call(client, "InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": client_id,
                                         "AuthParameters": {"USERNAME": username, **params}})


def _answer(client, client_id, ch, answer, **extra):
    responses = {"USERNAME": ch["ChallengeParameters"]["USERNAME"], "ANSWER": answer, **extra}
    return {"ChallengeName": "CUSTOM_CHALLENGE", "ClientId": client_id, "Session": ch["Session"],
            "ChallengeResponses": responses}


def test_custom_challenge_is_the_emailed_code_with_three_tries(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "cora")
    ch = _initiate(client, config["clientId"], "CORA")
    assert ch["ChallengeName"] == "CUSTOM_CHALLENGE"
    assert ch["ChallengeParameters"] == {"USERNAME": "cora", "attempt": "1", "maxAttempts": "3"}
    code = _code(client, config["userPoolId"], "cora")
    wrong = "x" + code
    ch = call(client, "RespondToAuthChallenge", _answer(client, config["clientId"], ch, wrong))
    assert ch["ChallengeName"] == "CUSTOM_CHALLENGE" and ch["ChallengeParameters"]["attempt"] == "2"
    # One answer per session.
    call(client, "RespondToAuthChallenge", _answer(client, config["clientId"], {**ch, "Session": "AYAB-old"}, code),
         expect_error="NotAuthorizedException")
    done = call(client, "RespondToAuthChallenge", _answer(client, config["clientId"], ch, code))
    assert done["AuthenticationResult"]["AccessToken"]

    ch = _initiate(client, config["clientId"], "cora")
    for attempt in (1, 2):
        ch = call(client, "RespondToAuthChallenge", _answer(client, config["clientId"], ch, "nope"))
        assert ch["ChallengeParameters"]["attempt"] == str(attempt + 1)
    err = call(client, "RespondToAuthChallenge", _answer(client, config["clientId"], ch, "nope"),
               expect_error="NotAuthorizedException")
    assert err["message"] == "Incorrect username or password."
    call(client, "RespondToAuthChallenge", _answer(client, config["clientId"], ch, "nope"),
         expect_error="NotAuthorizedException")


def test_custom_auth_checks_secret_hash_pool_triggers_and_users(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "cyd")
    sid, secret = config["secretClientId"], config["clientSecret"]
    call(client, "InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": sid, "AuthParameters": {"USERNAME": "cyd"}},
         expect_error="NotAuthorizedException")
    ch = _initiate(client, sid, "cyd", SECRET_HASH=secret_hash(secret, "cyd", sid))
    code = _code(client, config["userPoolId"], "cyd")
    call(client, "RespondToAuthChallenge", _answer(client, sid, ch, code), expect_error="NotAuthorizedException")
    done = call(client, "RespondToAuthChallenge",
                _answer(client, sid, ch, code, SECRET_HASH=secret_hash(secret, "cyd", sid)))
    assert "AuthenticationResult" in done
    # The MFA pool has no triggers.
    call(client, "InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": config["mfaClientId"],
                                  "AuthParameters": {"USERNAME": "cyd"}}, expect_error="InvalidParameterException")
    call(client, "InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": config["clientId"],
                                  "AuthParameters": {"USERNAME": "nobody-here"}}, expect_error="NotAuthorizedException")
    call(client, "SignUp", {"ClientId": config["clientId"], "Username": "cyd-unconfirmed", "Password": PASSWORD,
                            "UserAttributes": [{"Name": "email", "Value": "cu@example.com"}]})
    call(client, "InitiateAuth", {"AuthFlow": "CUSTOM_AUTH", "ClientId": config["clientId"],
                                  "AuthParameters": {"USERNAME": "cyd-unconfirmed"}}, expect_error="UserNotConfirmedException")


def test_srp_first_when_asked(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "cass")
    a = secrets.randbits(256)
    A = pow(srp.G, a, srp.N)
    ch = _initiate(client, config["clientId"], "cass", SRP_A=format(A, "x"), CHALLENGE_NAME="SRP_A")
    assert ch["ChallengeName"] == "PASSWORD_VERIFIER"
    req = _verifier_answer(config, ch, A, a, PASSWORD)
    out = call(client, "RespondToAuthChallenge", req)
    assert out["ChallengeName"] == "CUSTOM_CHALLENGE"
    done = call(client, "RespondToAuthChallenge",
                _answer(client, config["clientId"], out, _code(client, config["userPoolId"], "cass")))
    assert "AuthenticationResult" in done
    # A wrong password ends it before any custom challenge.
    ch = _initiate(client, config["clientId"], "cass", SRP_A=format(A, "x"), CHALLENGE_NAME="SRP_A")
    call(client, "RespondToAuthChallenge", _verifier_answer(config, ch, A, a, PASSWORD + "x"),
         expect_error="NotAuthorizedException")


def _verifier_answer(config, ch, A, a, password):
    p = ch["ChallengeParameters"]
    B, salt = int(p["SRP_B"], 16), int(p["SALT"], 16)
    u = srp.compute_u(A, B)
    x = srp.compute_x(srp.pool_name(config["userPoolId"]), p["USER_ID_FOR_SRP"], password, salt)
    key = srp.derive_key(u, srp.client_S(B, x, a, u))
    ts = srp.format_timestamp(datetime.now(timezone.utc))
    sig = srp.signature(key, srp.pool_name(config["userPoolId"]), p["USER_ID_FOR_SRP"],
                        base64.b64decode(p["SECRET_BLOCK"]), ts)
    return {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": config["clientId"], "Session": ch["Session"],
            "ChallengeResponses": {"USERNAME": p["USER_ID_FOR_SRP"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
                                   "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": sig}}


def test_a_remembered_device_is_asked_for_after_the_answer(env):
    emu, config, client = env
    pool, cid = config["devicesUserPoolId"], config["devicesClientId"]
    signed_up_user(emu, config, client, "cleo", pool="devicesUserPoolId", client_key="devicesClientId")
    req, _ = srp_login(client, pool, cid, "cleo", PASSWORD)
    result = call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    _, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    call(client, "ConfirmDevice", {"AccessToken": result["AccessToken"], "DeviceKey": meta["DeviceKey"],
                                   "DeviceSecretVerifierConfig": verifier})
    ch = _initiate(client, cid, "cleo", DEVICE_KEY=meta["DeviceKey"])
    out = call(client, "RespondToAuthChallenge", _answer(client, cid, ch, _code(client, pool, "cleo")))
    assert out["ChallengeName"] == "DEVICE_SRP_AUTH"
    ch = _initiate(client, cid, "cleo")
    out = call(client, "RespondToAuthChallenge", _answer(client, cid, ch, _code(client, pool, "cleo")))
    assert "AuthenticationResult" in out, "no device key: tokens"

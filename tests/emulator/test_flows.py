"""In-process API tests (Flask test client + a Python SRP client) of the wire protocol and flows.
The Node suite in test/ covers the same ground with amazon-cognito-identity-js over HTTP."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta, timezone

import pytest

from cognito_emulator import srp, totp
from cognito_emulator.bootstrap import bootstrap
from cognito_emulator.server import create_app
from cognito_emulator.state import Emulator, Options

PASSWORD = "Sup3r-Secret!"


@pytest.fixture(scope="module")
def env():
    emu = Emulator(Options(endpoint="http://127.0.0.1:9/"))
    config = bootstrap(emu)
    client = create_app(emu, config).test_client()
    return emu, config, client


def call(client, op, body, expect_error=None):
    r = client.post("/", data=json.dumps(body), headers={
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": f"AWSCognitoIdentityProviderService.{op}"})
    data = r.get_json(force=True)
    if expect_error:
        assert r.status_code == 400, data
        assert data["__type"] == expect_error, data
        assert r.headers["x-amzn-errortype"] == expect_error
        return data
    assert r.status_code == 200, data
    return data


def secret_hash(secret, username, client_id):
    return base64.b64encode(hmac.new(secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()).decode()


def srp_login(client, pool_id, client_id, login, password, secret=None, timestamp=None, tamper=None):
    a = secrets.randbits(256)
    A = pow(srp.G, a, srp.N)
    params = {"USERNAME": login, "SRP_A": format(A, "x")}
    if secret:
        params["SECRET_HASH"] = secret_hash(secret, login, client_id)
    ch = call(client, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": params})
    assert ch["ChallengeName"] == "PASSWORD_VERIFIER"
    p = ch["ChallengeParameters"]
    user_id = p["USER_ID_FOR_SRP"]
    B, salt = int(p["SRP_B"], 16), int(p["SALT"], 16)
    u = srp.compute_u(A, B)
    x = srp.compute_x(srp.pool_name(pool_id), user_id, password, salt)
    key = srp.derive_key(u, srp.client_S(B, x, a, u))
    ts = timestamp or srp.format_timestamp(datetime.now(timezone.utc))
    sig = srp.signature(key, srp.pool_name(pool_id), user_id, base64.b64decode(p["SECRET_BLOCK"]), ts)
    responses = {"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
                 "PASSWORD_CLAIM_SIGNATURE": sig}
    if secret:
        responses["SECRET_HASH"] = secret_hash(secret, user_id, client_id)
    if tamper:
        tamper(responses)
    return {"ChallengeName": "PASSWORD_VERIFIER", "ClientId": client_id, "Session": ch["Session"],
            "ChallengeResponses": responses}, p


def jwt_claims(token):
    body = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def signed_up_user(emu, config, client, name, email=None, pool="userPoolId", client_key="clientId"):
    email = email or f"{name}@example.com"
    call(client, "SignUp", {"ClientId": config[client_key], "Username": name, "Password": PASSWORD,
                            "UserAttributes": [{"Name": "email", "Value": email}]})
    user = emu.directory.find_user(emu.directory.pool(config[pool]), name)
    code = emu.codes.latest(config[pool], user.username).code
    call(client, "ConfirmSignUp", {"ClientId": config[client_key], "Username": name, "ConfirmationCode": code})
    return user


def test_sign_up_confirm_and_srp_sign_in(env):
    emu, config, client = env
    out = call(client, "SignUp", {"ClientId": config["clientId"], "Username": "alice", "Password": PASSWORD,
                                  "UserAttributes": [{"Name": "email", "Value": "alice@example.com"}]})
    assert out["UserConfirmed"] is False
    assert out["CodeDeliveryDetails"] == {"Destination": "a***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email"}
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], "alice", PASSWORD)
    call(client, "RespondToAuthChallenge", req, expect_error="UserNotConfirmedException")
    code = emu.codes.latest(config["userPoolId"], "alice").code
    call(client, "ConfirmSignUp", {"ClientId": config["clientId"], "Username": "alice", "ConfirmationCode": code})
    req, p = srp_login(client, config["userPoolId"], config["clientId"], "ALICE", PASSWORD)
    assert p["USER_ID_FOR_SRP"] == "alice"
    res = call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]
    idc = jwt_claims(res["IdToken"])
    assert idc["cognito:username"] == "alice" and idc["email_verified"] is True
    assert idc["iss"] == f"http://127.0.0.1:9/{config['userPoolId']}" and idc["aud"] == config["clientId"]
    me = call(client, "GetUser", {"AccessToken": res["AccessToken"]})
    assert me["Username"] == "alice"


def test_wrong_password_and_bad_timestamps(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "bob")
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], "bob", PASSWORD + "x")
    err = call(client, "RespondToAuthChallenge", req, expect_error="NotAuthorizedException")
    assert err["message"] == "Incorrect username or password."
    now = datetime.now(timezone.utc)
    if now.day < 10:  # zero-padding only changes one-digit days (test_srp covers the parser)
        padded = f"{now:%a %b %d %H:%M:%S} UTC {now.year}"
        req, _ = srp_login(client, config["userPoolId"], config["clientId"], "bob", PASSWORD, timestamp=padded)
        call(client, "RespondToAuthChallenge", req, expect_error="NotAuthorizedException")
    old = srp.format_timestamp(now - timedelta(minutes=6))
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], "bob", PASSWORD, timestamp=old)
    call(client, "RespondToAuthChallenge", req, expect_error="NotAuthorizedException")
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], "bob", PASSWORD)
    call(client, "RespondToAuthChallenge", req)
    call(client, "RespondToAuthChallenge", req, expect_error="NotAuthorizedException")  # single use


def test_unknown_user_gets_decoy_challenge(env):
    _, config, client = env
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], "nobody", PASSWORD)
    err = call(client, "RespondToAuthChallenge", req, expect_error="NotAuthorizedException")
    assert err["message"] == "Incorrect username or password."


def test_secret_client(env):
    emu, config, client = env
    cid, sec = config["secretClientId"], config["clientSecret"]
    signed_up_user(emu, config, client, "carol")
    req, _ = srp_login(client, config["userPoolId"], cid, "carol", PASSWORD, secret=sec)
    tokens = call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]
    call(client, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": cid,
                                  "AuthParameters": {"USERNAME": "carol", "SRP_A": "abc"}},
         expect_error="NotAuthorizedException")
    req, _ = srp_login(client, config["userPoolId"], cid, "carol", PASSWORD, secret=sec,
                       tamper=lambda r: r.update(SECRET_HASH=secret_hash(sec, "CAROL", cid)))
    err = call(client, "RespondToAuthChallenge", req, expect_error="NotAuthorizedException")
    assert err["message"] == f"Unable to verify secret hash for client {cid}"
    ok = call(client, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid, "AuthParameters": {
        "REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": secret_hash(sec, "carol", cid)}})
    assert "RefreshToken" not in ok["AuthenticationResult"]
    call(client, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid, "AuthParameters": {
        "REFRESH_TOKEN": tokens["RefreshToken"]}}, expect_error="NotAuthorizedException")
    call(client, "RevokeToken", {"Token": tokens["RefreshToken"], "ClientId": cid}, expect_error="UnauthorizedException")
    call(client, "RevokeToken", {"Token": tokens["RefreshToken"], "ClientId": cid, "ClientSecret": sec})
    err = call(client, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": cid, "AuthParameters": {
        "REFRESH_TOKEN": tokens["RefreshToken"], "SECRET_HASH": secret_hash(sec, "carol", cid)}},
        expect_error="NotAuthorizedException")
    assert err["message"] == "Refresh Token has been revoked"


def test_email_username_pool_uses_sub(env):
    emu, config, client = env
    call(client, "SignUp", {"ClientId": config["emailClientId"], "Username": "dan@example.com", "Password": PASSWORD})
    user = emu.directory.find_user(emu.directory.pool(config["emailUserPoolId"]), "dan@example.com")
    assert user.username == user.attribute_lookup["sub"]
    code = emu.codes.latest(config["emailUserPoolId"], user.username).code
    call(client, "ConfirmSignUp", {"ClientId": config["emailClientId"], "Username": "dan@example.com", "ConfirmationCode": code})
    req, p = srp_login(client, config["emailUserPoolId"], config["emailClientId"], "dan@example.com", PASSWORD)
    assert p["USER_ID_FOR_SRP"] == user.username
    res = call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]
    assert jwt_claims(res["AccessToken"])["username"] == user.username


def test_new_password_required_and_totp(env):
    emu, config, client = env
    pool = config["aliasUserPoolId"]
    call(client, "AdminCreateUser", {"UserPoolId": pool, "Username": "erin", "TemporaryPassword": "Temp-Pass-1"})
    req, _ = srp_login(client, pool, config["aliasClientId"], "erin", "Temp-Pass-1")
    ch = call(client, "RespondToAuthChallenge", req)
    assert ch["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert json.loads(ch["ChallengeParameters"]["requiredAttributes"]) == ["userAttributes.email"]
    base = {"ChallengeName": "NEW_PASSWORD_REQUIRED", "ClientId": config["aliasClientId"], "Session": ch["Session"]}
    call(client, "RespondToAuthChallenge", {**base, "ChallengeResponses": {"USERNAME": "erin", "NEW_PASSWORD": PASSWORD}},
         expect_error="InvalidParameterException")
    call(client, "RespondToAuthChallenge", {**base, "ChallengeResponses": {
        "USERNAME": "erin", "NEW_PASSWORD": "weak", "userAttributes.email": "erin@example.com"}},
        expect_error="InvalidPasswordException")
    res = call(client, "RespondToAuthChallenge", {**base, "ChallengeResponses": {
        "USERNAME": "erin", "NEW_PASSWORD": PASSWORD, "userAttributes.email": "erin@example.com"}})
    access = res["AuthenticationResult"]["AccessToken"]
    secret = call(client, "AssociateSoftwareToken", {"AccessToken": access})["SecretCode"]
    call(client, "VerifySoftwareToken", {"AccessToken": access, "UserCode": "000000" if totp.now_code(secret) != "000000" else "111111"},
         expect_error="EnableSoftwareTokenMFAException")
    assert call(client, "VerifySoftwareToken", {"AccessToken": access, "UserCode": totp.now_code(secret)})["Status"] == "SUCCESS"
    call(client, "SetUserMFAPreference", {"AccessToken": access, "SoftwareTokenMfaSettings": {"Enabled": True, "PreferredMfa": True}})
    req, _ = srp_login(client, pool, config["aliasClientId"], "erin", PASSWORD)
    mfa = call(client, "RespondToAuthChallenge", req)
    assert mfa["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    base = {"ChallengeName": "SOFTWARE_TOKEN_MFA", "ClientId": config["aliasClientId"], "Session": mfa["Session"]}
    wrong = f"{(int(totp.now_code(secret)) + 500000) % 10**6:06d}"
    call(client, "RespondToAuthChallenge", {**base, "ChallengeResponses": {"USERNAME": "erin", "SOFTWARE_TOKEN_MFA_CODE": wrong}},
         expect_error="CodeMismatchException")
    res = call(client, "RespondToAuthChallenge", {**base, "ChallengeResponses": {
        "USERNAME": "erin", "SOFTWARE_TOKEN_MFA_CODE": totp.now_code(secret)}})
    assert "IdToken" in res["AuthenticationResult"]


def test_global_sign_out_revokes_access_and_refresh(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "frank")
    res = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config["clientId"],
                                        "AuthParameters": {"USERNAME": "frank", "PASSWORD": PASSWORD}})["AuthenticationResult"]
    call(client, "GlobalSignOut", {"AccessToken": res["AccessToken"]})
    err = call(client, "GetUser", {"AccessToken": res["AccessToken"]}, expect_error="NotAuthorizedException")
    assert err["message"] == "Access Token has been revoked"
    err = call(client, "InitiateAuth", {"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": config["clientId"],
                                        "AuthParameters": {"REFRESH_TOKEN": res["RefreshToken"]}}, expect_error="NotAuthorizedException")
    assert err["message"] == "Refresh Token has been revoked"


def test_protocol_errors_cors_and_jwks(env):
    _, config, client = env
    r = client.post("/", data="{}", headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.Nope"})
    assert r.status_code == 400 and r.get_json(force=True)["__type"] == "UnknownOperationException"
    r = client.options("/", headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "POST",
                                     "Access-Control-Request-Headers": "content-type,x-amz-target,x-amz-user-agent,cache-control"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] in ("*", "http://localhost:5173")
    allowed = r.headers["Access-Control-Allow-Headers"].lower()
    for h in ("x-amz-target", "x-amz-user-agent", "content-type", "cache-control"):
        assert h in allowed
    r = client.post("/", data="{}", headers={"Origin": "http://localhost:5173",
                                             "X-Amz-Target": "AWSCognitoIdentityProviderService.GetUser"})
    assert "x-amzn-errortype" in r.headers["Access-Control-Expose-Headers"].lower()
    jwks = client.get(f"/{config['userPoolId']}/.well-known/jwks.json").get_json()
    assert jwks["keys"][0]["alg"] == "RS256"


def test_legacy_client_reports_unknown_users():
    emu = Emulator(Options(endpoint="http://127.0.0.1:9/", prevent_user_existence_errors="LEGACY"))
    config = bootstrap(emu)
    client = create_app(emu, config).test_client()
    a = format(pow(srp.G, secrets.randbits(256), srp.N), "x")
    call(client, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": config["clientId"],
                                  "AuthParameters": {"USERNAME": "ghost", "SRP_A": a}}, expect_error="UserNotFoundException")
    call(client, "ForgotPassword", {"ClientId": config["clientId"], "Username": "ghost"}, expect_error="UserNotFoundException")
    call(client, "InitiateAuth", {"AuthFlow": "USER_SRP_AUTH", "ClientId": config["clientId"],
                                  "AuthParameters": {"USERNAME": "ghost", "SRP_A": format(srp.N, "x")}},
         expect_error="InvalidParameterException")


def test_mfa_setup_when_pool_requires_mfa(env):
    emu, config, client = env
    pool = emu.create_pool("mfa-on", {"MfaConfiguration": "ON", "AutoVerifiedAttributes": ["email"]})
    app_client = emu.directory.create_client(pool.id, "c", False, {"ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]})
    call(client, "AdminCreateUser", {"UserPoolId": pool.id, "Username": "gina", "TemporaryPassword": "Temp-Pass-1"})
    call(client, "AdminSetUserPassword", {"UserPoolId": pool.id, "Username": "gina", "Password": PASSWORD, "Permanent": True})
    req, _ = srp_login(client, pool.id, app_client.id, "gina", PASSWORD)
    ch = call(client, "RespondToAuthChallenge", req)
    assert ch["ChallengeName"] == "MFA_SETUP"
    assoc = call(client, "AssociateSoftwareToken", {"Session": ch["Session"]})
    ver = call(client, "VerifySoftwareToken", {"Session": assoc["Session"], "UserCode": totp.now_code(assoc["SecretCode"])})
    res = call(client, "RespondToAuthChallenge", {"ChallengeName": "MFA_SETUP", "ClientId": app_client.id,
                                                  "Session": ver["Session"], "ChallengeResponses": {"USERNAME": "gina"}})
    assert "AccessToken" in res["AuthenticationResult"]
    req, _ = srp_login(client, pool.id, app_client.id, "gina", PASSWORD)
    assert call(client, "RespondToAuthChallenge", req)["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": app_client.id,
                                  "AuthParameters": {"USERNAME": "gina", "PASSWORD": PASSWORD}},
         expect_error="InvalidParameterException")

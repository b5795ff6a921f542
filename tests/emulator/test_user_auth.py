"""Choice-based sign-in (cognito_emulator/user_auth.py, otp.py, email_mfa.py): USER_AUTH with each
first factor, SELECT_CHALLENGE, wrong and right one-time codes, passwordless sign-up with the auto
sign-in Session, GetUserAuthFactors and email MFA set-up."""

from __future__ import annotations

import base64
import json
import secrets
from datetime import datetime, timezone

from cognito_emulator import srp, webauthn
from test_flows import PASSWORD, call, env, jwt_claims, secret_hash  # noqa: F401 (fixture)

POOL, CLIENT = "passwordlessUserPoolId", "passwordlessClientId"


def user_auth(client, config, username, client_key=CLIENT, expect_error=None, session=None, **params):
    body = {"AuthFlow": "USER_AUTH", "ClientId": config[client_key],
            "AuthParameters": {"USERNAME": username, **params}}
    if session:
        body["Session"] = session
    return call(client, "InitiateAuth", body, expect_error=expect_error)


def respond(client, config, name, session, expect_error=None, client_key=CLIENT, **responses):
    return call(client, "RespondToAuthChallenge", {"ChallengeName": name, "ClientId": config[client_key],
                                                   "Session": session, "ChallengeResponses": responses},
                expect_error=expect_error)


def add_user(emu, config, name, email=True, phone=False, password=True, pool=POOL):
    """A confirmed user with a verified email (and phone), through the admin API."""
    attrs = [{"Name": "email", "Value": f"{name}@example.com"}, {"Name": "email_verified", "Value": "true"}] \
        if email else []
    if phone:
        attrs += [{"Name": "phone_number", "Value": "+15555550100"},
                  {"Name": "phone_number_verified", "Value": "true"}]
    user = emu.directory.add_user(emu.directory.pool(config[pool]), name, {}, "CONFIRMED")
    emu.directory.set_attributes(user, {a["Name"]: a["Value"] for a in attrs})
    if password:
        emu.directory.set_password(emu.directory.pool(config[pool]), user, PASSWORD)
    return user


def code(emu, config, username, purpose, pool=POOL):
    return emu.codes.latest(config[pool], username, purpose).code


def email_otp_challenge(emu, config, client, username):
    """A new user ``username`` signed in with PREFERRED_CHALLENGE EMAIL_OTP: (InitiateAuth's answer,
    the code sent, a wrong code)."""
    add_user(emu, config, username)
    out = user_auth(client, config, username, PREFERRED_CHALLENGE="EMAIL_OTP")
    right = code(emu, config, username, "EMAIL_OTP")
    return out, right, "000000" if right != "000000" else "111111"


def srp_start():
    a = secrets.randbits(256)
    return a, format(pow(srp.G, a, srp.N), "x")


def srp_verifier_responses(pool_id, a, A_hex, p, password=PASSWORD):
    """PASSWORD_VERIFIER's responses for the challenge parameters ``p``."""
    A, B, salt = int(A_hex, 16), int(p["SRP_B"], 16), int(p["SALT"], 16)
    user_id = p["USER_ID_FOR_SRP"]
    u = srp.compute_u(A, B)
    key = srp.derive_key(u, srp.client_S(B, srp.compute_x(srp.pool_name(pool_id), user_id, password, salt), a, u))
    ts = srp.format_timestamp(datetime.now(timezone.utc))
    sig = srp.signature(key, srp.pool_name(pool_id), user_id, base64.b64decode(p["SECRET_BLOCK"]), ts)
    return {"USERNAME": user_id, "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
            "PASSWORD_CLAIM_SIGNATURE": sig}


def test_user_auth_needs_allow_user_auth(env):
    emu, config, client = env
    add_user(emu, config, "ua-flows")
    user_auth(client, config, "ua-flows", client_key="rotatingClientId", expect_error="InvalidParameterException")
    user_auth(client, config, "ua-flows", PREFERRED_CHALLENGE="SMS_MFA", expect_error="InvalidParameterException")


def test_select_challenge_lists_the_users_factors(env):
    emu, config, client = env
    add_user(emu, config, "ua-all", phone=True)
    out = user_auth(client, config, "UA-ALL")
    assert out["ChallengeName"] == "SELECT_CHALLENGE"
    assert out["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"]
    add_user(emu, config, "ua-email-only", password=False)
    out = user_auth(client, config, "ua-email-only")
    assert out["AvailableChallenges"] == ["EMAIL_OTP"]
    # A preference the user cannot use gives the choice instead.
    out = user_auth(client, config, "ua-email-only", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert out["ChallengeName"] == "SELECT_CHALLENGE" and out["AvailableChallenges"] == ["EMAIL_OTP"]
    # No passkey, so no WEB_AUTHN, whatever the pool allows.
    assert not webauthn.has_passkey(emu.directory.find_user(emu.directory.pool(config[POOL]), "ua-all"))


def test_email_otp_wrong_code_then_right_code(env):
    emu, config, client = env
    out, right, wrong = email_otp_challenge(emu, config, client, "ua-otp")
    assert out["ChallengeName"] == "EMAIL_OTP"
    p = out["ChallengeParameters"]
    assert (p["CODE_DELIVERY_DELIVERY_MEDIUM"], p["CODE_DELIVERY_DESTINATION"]) == ("EMAIL", "u***@e***")
    respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-otp", EMAIL_OTP_CODE=wrong,
            expect_error="CodeMismatchException")
    tokens = respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-otp",
                     EMAIL_OTP_CODE=right)["AuthenticationResult"]
    assert jwt_claims(tokens["IdToken"])["cognito:username"] == "ua-otp"
    # The session and the code were used up.
    respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-otp", EMAIL_OTP_CODE=right,
            expect_error="NotAuthorizedException")


def test_otp_session_ends_after_three_wrong_codes(env):
    emu, config, client = env
    out, right, wrong = email_otp_challenge(emu, config, client, "ua-otp3")
    for _ in range(3):
        respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-otp3", EMAIL_OTP_CODE=wrong,
                expect_error="CodeMismatchException")
    respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-otp3", EMAIL_OTP_CODE=right,
            expect_error="NotAuthorizedException")


def test_expired_otp_code(env):
    emu, config, client = env
    out, right, _ = email_otp_challenge(emu, config, client, "ua-otp-old")
    emu.codes.expire(config[POOL], "ua-otp-old")
    respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-otp-old", EMAIL_OTP_CODE=right,
            expect_error="ExpiredCodeException")


def test_select_sms_otp(env):
    emu, config, client = env
    add_user(emu, config, "ua-sms", email=False, phone=True, password=False)
    out = user_auth(client, config, "ua-sms")
    assert out["AvailableChallenges"] == ["SMS_OTP"]
    respond(client, config, "SELECT_CHALLENGE", out["Session"], USERNAME="ua-sms", ANSWER="EMAIL_OTP",
            expect_error="InvalidParameterException")
    sms = respond(client, config, "SELECT_CHALLENGE", out["Session"], USERNAME="ua-sms", ANSWER="SMS_OTP")
    assert sms["ChallengeName"] == "SMS_OTP"
    p = sms["ChallengeParameters"]
    assert p["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS" and p["CODE_DELIVERY_DESTINATION"].endswith("0100")
    done = respond(client, config, "SMS_OTP", sms["Session"], USERNAME="ua-sms",
                   SMS_OTP_CODE=code(emu, config, "ua-sms", "SMS_OTP"))
    assert "AccessToken" in done["AuthenticationResult"]


def test_password_factors_in_user_auth(env):
    emu, config, client = env
    add_user(emu, config, "ua-pw")
    user_auth(client, config, "ua-pw", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Wrong-Passw0rd!",
              expect_error="NotAuthorizedException")
    out = user_auth(client, config, "ua-pw", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert "AccessToken" in out["AuthenticationResult"]

    a, A = srp_start()
    ch = user_auth(client, config, "ua-pw", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=A)
    assert ch["ChallengeName"] == "PASSWORD_VERIFIER"
    done = respond(client, config, "PASSWORD_VERIFIER", ch["Session"],
                   **srp_verifier_responses(config[POOL], a, A, ch["ChallengeParameters"]))
    assert "AccessToken" in done["AuthenticationResult"]

    # The same through SELECT_CHALLENGE.
    sel = user_auth(client, config, "ua-pw")
    a, A = srp_start()
    ch = respond(client, config, "SELECT_CHALLENGE", sel["Session"], USERNAME="ua-pw", ANSWER="PASSWORD_SRP",
                 SRP_A=A)
    assert ch["ChallengeName"] == "PASSWORD_VERIFIER"
    bad = srp_verifier_responses(config[POOL], a, A, ch["ChallengeParameters"], password="Not-The-0ne!")
    respond(client, config, "PASSWORD_VERIFIER", ch["Session"], expect_error="NotAuthorizedException", **bad)

    sel = user_auth(client, config, "ua-pw")
    done = respond(client, config, "SELECT_CHALLENGE", sel["Session"], USERNAME="ua-pw", ANSWER="PASSWORD",
                   PASSWORD=PASSWORD)
    assert "AccessToken" in done["AuthenticationResult"]


def test_unknown_users_get_a_decoy_choice(env):
    emu, config, client = env
    out = user_auth(client, config, "nobody-at-all")
    assert out["ChallengeName"] == "SELECT_CHALLENGE"
    assert out["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]
    respond(client, config, "SELECT_CHALLENGE", out["Session"], USERNAME="nobody-at-all", ANSWER="EMAIL_OTP",
            expect_error="NotAuthorizedException")


def test_passwordless_sign_up_and_auto_sign_in(env):
    emu, config, client = env
    # A pool without passwordless factors still needs the password.
    call(client, "SignUp", {"ClientId": config["aliasClientId"], "Username": "pl-alias",
                            "UserAttributes": [{"Name": "email", "Value": "pl@example.com"}]},
         expect_error="InvalidParameterException")
    # So does a client without ALLOW_USER_AUTH in a pool that has them.
    call(client, "SignUp", {"ClientId": config["rotatingClientId"], "Username": "pl-rot",
                            "UserAttributes": [{"Name": "email", "Value": "rot@example.com"}]},
         expect_error="InvalidParameterException")
    call(client, "SignUp", {"ClientId": config[CLIENT], "Username": "pl-none"},
         expect_error="InvalidParameterException")
    up = call(client, "SignUp", {"ClientId": config[CLIENT], "Username": "pl-ann",
                                 "UserAttributes": [{"Name": "email", "Value": "ann@example.com"}]})
    assert up["UserConfirmed"] is False and up["Session"]
    # Before confirmation the session signs nobody in (and stays usable).
    user_auth(client, config, "pl-ann", session=up["Session"], expect_error="UserNotConfirmedException")
    confirmed = call(client, "ConfirmSignUp", {"ClientId": config[CLIENT], "Username": "pl-ann",
                                               "ConfirmationCode": code(emu, config, "pl-ann", "SIGN_UP"),
                                               "Session": up["Session"]})
    assert confirmed["Session"] and confirmed["Session"] != up["Session"]
    user_auth(client, config, "pl-ann", session=up["Session"], expect_error="NotAuthorizedException")
    user_auth(client, config, "someone-else", session=confirmed["Session"], expect_error="NotAuthorizedException")
    tokens = user_auth(client, config, "pl-ann", session=confirmed["Session"])["AuthenticationResult"]
    assert jwt_claims(tokens["IdToken"])["email_verified"] is True
    user_auth(client, config, "pl-ann", session=confirmed["Session"], expect_error="NotAuthorizedException")
    # No password: EMAIL_OTP only.
    assert user_auth(client, config, "pl-ann")["AvailableChallenges"] == ["EMAIL_OTP"]

    factors = call(client, "GetUserAuthFactors", {"AccessToken": tokens["AccessToken"]})
    assert factors == {"Username": "pl-ann", "ConfiguredUserAuthFactors": ["EMAIL_OTP"]}


def test_get_user_auth_factors_with_a_password(env):
    emu, config, client = env
    add_user(emu, config, "ua-factors", phone=True)
    tokens = user_auth(client, config, "ua-factors", PREFERRED_CHALLENGE="PASSWORD",
                       PASSWORD=PASSWORD)["AuthenticationResult"]
    factors = call(client, "GetUserAuthFactors", {"AccessToken": tokens["AccessToken"]})
    assert factors["ConfiguredUserAuthFactors"] == ["PASSWORD", "EMAIL_OTP", "SMS_OTP"]
    call(client, "GetUserAuthFactors", {"AccessToken": "not-a-token"}, expect_error="NotAuthorizedException")


def test_email_mfa_setup_then_email_mfa(env):
    emu, config, client = env
    pool, cid = "emailMfaUserPoolId", "emailMfaClientId"
    add_user(emu, config, "mfa-mail", email=False, pool=pool)
    out = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config[cid],
                                        "AuthParameters": {"USERNAME": "mfa-mail", "PASSWORD": PASSWORD}})
    assert out["ChallengeName"] == "MFA_SETUP"
    assert json.loads(out["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
    respond(client, config, "MFA_SETUP", out["Session"], client_key=cid, USERNAME="mfa-mail", EMAIL="not-an-email",
            expect_error="InvalidParameterException")
    otp = respond(client, config, "MFA_SETUP", out["Session"], client_key=cid, USERNAME="mfa-mail",
                  EMAIL="mfa@example.com")
    assert otp["ChallengeName"] == "EMAIL_OTP"
    assert otp["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "m***@e***"
    tokens = respond(client, config, "EMAIL_OTP", otp["Session"], client_key=cid, USERNAME="mfa-mail",
                     EMAIL_OTP_CODE=code(emu, config, "mfa-mail", "EMAIL_OTP", pool=pool))["AuthenticationResult"]
    claims = jwt_claims(tokens["IdToken"])
    assert claims["email"] == "mfa@example.com" and claims["email_verified"] is True
    factors = call(client, "GetUserAuthFactors", {"AccessToken": tokens["AccessToken"]})
    assert factors["UserMFASettingList"] == ["EMAIL_OTP"] and factors["PreferredMfaSetting"] == "EMAIL_OTP"

    # The next sign-in asks for an emailed code after the password.
    out = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config[cid],
                                        "AuthParameters": {"USERNAME": "mfa-mail", "PASSWORD": PASSWORD}})
    assert out["ChallengeName"] == "EMAIL_OTP"
    done = respond(client, config, "EMAIL_OTP", out["Session"], client_key=cid, USERNAME="mfa-mail",
                   EMAIL_OTP_CODE=code(emu, config, "mfa-mail", "EMAIL_OTP", pool=pool))
    assert "AccessToken" in done["AuthenticationResult"]


def test_email_mfa_setup_needs_a_pool_that_offers_it(env):
    emu, config, client = env
    add_user(emu, config, "mfa-totp-only", pool="mfaUserPoolId")
    out = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config["mfaClientId"],
                                        "AuthParameters": {"USERNAME": "mfa-totp-only", "PASSWORD": PASSWORD}})
    assert json.loads(out["ChallengeParameters"]["MFAS_CAN_SETUP"]) == ["SOFTWARE_TOKEN_MFA"]
    respond(client, config, "MFA_SETUP", out["Session"], client_key="mfaClientId", USERNAME="mfa-totp-only",
            EMAIL="x@example.com", expect_error="InvalidParameterException")


def test_set_user_mfa_preference_turns_email_mfa_on_and_off(env):
    emu, config, client = env
    pool, cid = "emailMfaUserPoolId", "emailMfaClientId"
    user = add_user(emu, config, "mfa-pref", pool=pool)
    user.totp_secret, user.software_token_mfa_enabled = "JBSWY3DPEHPK3PXP", True  # set up before
    user.preferred_mfa_setting = "SOFTWARE_TOKEN_MFA"
    access = emu.tokens.mint(emu.tokens.start_origin(config[pool], "mfa-pref", config[cid], 1), "sub", {},
                             with_refresh=False)["AccessToken"]
    call(client, "SetUserMFAPreference", {"AccessToken": access,
                                          "EmailMfaSettings": {"Enabled": True, "PreferredMfa": True},
                                          "SoftwareTokenMfaSettings": {"Enabled": False}})
    assert call(client, "GetUserAuthFactors", {"AccessToken": access})["UserMFASettingList"] == ["EMAIL_OTP"]
    out = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config[cid],
                                        "AuthParameters": {"USERNAME": "mfa-pref", "PASSWORD": PASSWORD}})
    assert out["ChallengeName"] == "EMAIL_OTP"
    call(client, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": False}})
    assert "UserMFASettingList" not in call(client, "GetUserAuthFactors", {"AccessToken": access})
    # The main pool has no email MFA.
    add_user(emu, config, "mfa-pref-main", pool="userPoolId")
    access = emu.tokens.mint(emu.tokens.start_origin(config["userPoolId"], "mfa-pref-main", config["clientId"], 1),
                             "sub", {}, with_refresh=False)["AccessToken"]
    call(client, "SetUserMFAPreference", {"AccessToken": access, "EmailMfaSettings": {"Enabled": True}},
         expect_error="InvalidParameterException")


def test_challenges_after_the_password_still_follow(env):
    emu, config, client = env
    user = add_user(emu, config, "ua-temp")
    user.status = "FORCE_CHANGE_PASSWORD"
    out = user_auth(client, config, "ua-temp", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    assert out["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    user = add_user(emu, config, "ua-totp")
    user.totp_secret, user.software_token_mfa_enabled = "JBSWY3DPEHPK3PXP", True
    sel = user_auth(client, config, "ua-totp")
    out = respond(client, config, "SELECT_CHALLENGE", sel["Session"], USERNAME="ua-totp", ANSWER="PASSWORD",
                  PASSWORD=PASSWORD)
    assert out["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    # A passwordless factor is not followed by MFA.
    out = user_auth(client, config, "ua-totp", PREFERRED_CHALLENGE="EMAIL_OTP")
    done = respond(client, config, "EMAIL_OTP", out["Session"], USERNAME="ua-totp",
                   EMAIL_OTP_CODE=code(emu, config, "ua-totp", "EMAIL_OTP"))
    assert "AccessToken" in done["AuthenticationResult"]

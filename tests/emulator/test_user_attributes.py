"""In-process tests of user_attributes.py (UpdateUserAttributes with
AttributesRequireVerificationBeforeUpdate, verification codes, DeleteUserAttributes,
DeleteUser) and of the MFA-required startup pool."""
from __future__ import annotations

from test_flows import PASSWORD, call, env, signed_up_user, srp_login  # noqa: F401 (fixture)


def _signed_in(emu, config, client, name):
    signed_up_user(emu, config, client, name)
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], name, PASSWORD)
    return call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]["AccessToken"]


def _attrs(client, token):
    user = call(client, "GetUser", {"AccessToken": token})
    return {a["Name"]: a["Value"] for a in user["UserAttributes"]}


def test_email_change_is_held_until_verified(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "uattr-held")
    out = call(client, "UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [
        {"Name": "email", "Value": "new@example.org"}, {"Name": "name", "Value": "Ann"}]})
    assert [d["AttributeName"] for d in out["CodeDeliveryDetailsList"]] == ["email"]
    attrs = _attrs(client, token)
    assert attrs["email"] == "uattr-held@example.com" and attrs["email_verified"] == "true"
    assert attrs["name"] == "Ann"
    call(client, "VerifyUserAttribute", {"AccessToken": token, "AttributeName": "email", "Code": "000000"},
         expect_error="CodeMismatchException")
    call(client, "GetUserAttributeVerificationCode", {"AccessToken": token, "AttributeName": "email"})
    code = emu.codes.latest(config["userPoolId"], "uattr-held", "VERIFY_EMAIL").code
    call(client, "VerifyUserAttribute", {"AccessToken": token, "AttributeName": "email", "Code": code})
    attrs = _attrs(client, token)
    assert attrs["email"] == "new@example.org" and attrs["email_verified"] == "true"


def test_unheld_email_change_is_immediate_and_unverified(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "uattr-alias", pool="aliasUserPoolId", client_key="aliasClientId")
    req, _ = srp_login(client, config["aliasUserPoolId"], config["aliasClientId"], "uattr-alias", PASSWORD)
    token = call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]["AccessToken"]
    call(client, "UpdateUserAttributes", {"AccessToken": token,
                                          "UserAttributes": [{"Name": "email", "Value": "x@example.org"}]})
    attrs = _attrs(client, token)
    assert attrs["email"] == "x@example.org" and attrs["email_verified"] == "false"


def test_delete_attributes_and_user(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "uattr-del")
    call(client, "UpdateUserAttributes", {"AccessToken": token, "UserAttributes": [{"Name": "name", "Value": "A"}]})
    call(client, "DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["name"]})
    assert "name" not in _attrs(client, token)
    call(client, "DeleteUserAttributes", {"AccessToken": token, "UserAttributeNames": ["sub"]},
         expect_error="InvalidParameterException")
    call(client, "DeleteUser", {"AccessToken": token})
    call(client, "GetUser", {"AccessToken": token}, expect_error="NotAuthorizedException")
    assert emu.directory.find_user(emu.directory.pool(config["userPoolId"]), "uattr-del") is None


def test_mfa_pool_requires_setup(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "uattr-mfa", pool="mfaUserPoolId", client_key="mfaClientId")
    req, _ = srp_login(client, config["mfaUserPoolId"], config["mfaClientId"], "uattr-mfa", PASSWORD)
    assert call(client, "RespondToAuthChallenge", req)["ChallengeName"] == "MFA_SETUP"

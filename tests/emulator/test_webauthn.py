"""Passkeys (cognito_emulator/webauthn.py) against a software authenticator built here: ES256 keys
from `cryptography`, authenticatorData and the "none" attestation written byte by byte (WebAuthn
Level 2, §6.1 and §6.5.4), so the emulator's checks meet an independent encoder."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import struct

import cbor2
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from cognito_emulator import webauthn
from test_flows import PASSWORD, call, env, signed_up_user  # noqa: F401 (fixture)

ORIGIN = "http://localhost:8080"
UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftAuthenticator:
    """One ES256 credential; signs what a CTAP2 authenticator would."""

    def __init__(self, rp_id="localhost"):
        self.rp_id = rp_id
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = secrets.token_bytes(16)
        self.count = 0

    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"),
                            -3: numbers.y.to_bytes(32, "big")})

    def auth_data(self, flags: int, attested: bool, rp_id=None) -> bytes:
        out = hashlib.sha256((rp_id or self.rp_id).encode()).digest() + bytes([flags]) + struct.pack(">I", self.count)
        if attested:
            out += bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self.cose_key()
        return out

    def create(self, options: dict, origin=ORIGIN, rp_id=None, challenge=None, flags=UP | UV) -> dict:
        client_data = json.dumps({"type": "webauthn.create", "challenge": challenge or options["challenge"],
                                  "origin": origin, "crossOrigin": False}).encode()
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {},
                                   "authData": self.auth_data(flags | AT, True, rp_id)})
        return {"id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
                "authenticatorAttachment": "platform", "clientExtensionResults": {},
                "response": {"clientDataJSON": b64url(client_data), "attestationObject": b64url(attestation),
                             "transports": ["internal"]}}

    def get(self, options: dict, origin=ORIGIN, user_handle=None, tamper=False) -> str:
        self.count += 1
        client_data = json.dumps({"type": "webauthn.get", "challenge": options["challenge"],
                                  "origin": origin, "crossOrigin": False}).encode()
        auth_data = self.auth_data(UP | UV, False, options.get("rpId"))
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        if tamper:
            auth_data = auth_data[:33] + struct.pack(">I", self.count + 7)  # signed count ≠ sent count
        response = {"clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
                    "signature": b64url(signature)}
        if user_handle:
            response["userHandle"] = user_handle
        return json.dumps({"id": b64url(self.credential_id), "rawId": b64url(self.credential_id),
                           "type": "public-key", "clientExtensionResults": {}, "response": response})


def _signed_in(emu, config, client, name):
    signed_up_user(emu, config, client, name)
    out = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config["clientId"],
                                        "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD}})
    return out["AuthenticationResult"]["AccessToken"]


def _register(client, token, authenticator, **create):
    options = call(client, "StartWebAuthnRegistration", {"AccessToken": token})["CredentialCreationOptions"]
    return options, {"AccessToken": token, "Credential": authenticator.create(options, **create)}


def test_registration_options_and_a_good_registration(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "pk-good")
    auth = SoftAuthenticator()
    options, req = _register(client, token, auth)
    assert options["rp"]["id"] == "localhost"
    assert len(unb64url(options["challenge"])) == 32
    assert {p["alg"] for p in options["pubKeyCredParams"]} == {-7, -257}
    assert options["excludeCredentials"] == []
    assert options["user"]["name"] == "pk-good"
    assert call(client, "CompleteWebAuthnRegistration", req) == {}
    listed = call(client, "ListWebAuthnCredentials", {"AccessToken": token})
    assert [c["CredentialId"] for c in listed["Credentials"]] == [b64url(auth.credential_id)]
    item = listed["Credentials"][0]
    assert item["RelyingPartyId"] == "localhost" and item["AuthenticatorAttachment"] == "platform"
    assert item["AuthenticatorTransports"] == ["internal"] and isinstance(item["CreatedAt"], float)
    assert item["FriendlyCredentialName"]
    again = call(client, "StartWebAuthnRegistration", {"AccessToken": token})["CredentialCreationOptions"]
    assert again["excludeCredentials"] == [{"type": "public-key", "id": b64url(auth.credential_id),
                                            "transports": ["internal"]}]
    assert again["challenge"] != options["challenge"]


def test_registration_refusals(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "pk-bad")
    auth = SoftAuthenticator()
    _, req = _register(client, token, auth, origin="http://evil.example:8080")
    call(client, "CompleteWebAuthnRegistration", req, expect_error="WebAuthnOriginNotAllowedException")
    _, req = _register(client, token, auth, challenge=b64url(secrets.token_bytes(32)))
    call(client, "CompleteWebAuthnRegistration", req, expect_error="WebAuthnChallengeNotFoundException")
    _, req = _register(client, token, auth, rp_id="example.com")
    call(client, "CompleteWebAuthnRegistration", req, expect_error="WebAuthnRelyingPartyMismatchException")
    _, req = _register(client, token, auth)
    req["Credential"]["response"]["clientDataJSON"] = b64url(json.dumps({
        "type": "webauthn.get", "challenge": b64url(b"x" * 32), "origin": ORIGIN}).encode())
    call(client, "CompleteWebAuthnRegistration", req, expect_error="InvalidParameterException")
    _, req = _register(client, token, auth, flags=0)  # user not present
    call(client, "CompleteWebAuthnRegistration", req, expect_error="InvalidParameterException")
    ed = SoftAuthenticator()
    ed.cose_key = lambda: cbor2.dumps({1: 1, 3: -8, -1: 6, -2: bytes(32)})  # EdDSA: not offered
    _, req = _register(client, token, ed)
    call(client, "CompleteWebAuthnRegistration", req, expect_error="WebAuthnCredentialNotSupportedException")
    _, req = _register(client, token, auth, flags=0)
    call(client, "CompleteWebAuthnRegistration", req, expect_error="InvalidParameterException")
    # The challenge is single-use: an answer after a failed one finds none.
    call(client, "CompleteWebAuthnRegistration", req, expect_error="WebAuthnChallengeNotFoundException")
    assert call(client, "ListWebAuthnCredentials", {"AccessToken": token})["Credentials"] == []


def test_origin_rules_and_configuration(env):
    emu, config, client = env
    pool = emu.directory.pool(config["userPoolId"])
    cfg = webauthn.config(pool)
    assert webauthn.origin_allowed(cfg, "http://localhost:1234")
    assert webauthn.origin_allowed(cfg, "https://app.localhost")
    assert not webauthn.origin_allowed(cfg, "http://localhost.evil.example")
    assert not webauthn.origin_allowed({**cfg, "RelyingPartyId": "example.com"}, "http://example.com")
    assert webauthn.origin_allowed({**cfg, "RelyingPartyId": "example.com"}, "https://login.example.com")
    only = {**cfg, "AllowedOrigins": ["http://localhost:1"]}
    assert webauthn.origin_allowed(only, "http://localhost:1") and not webauthn.origin_allowed(only, "http://localhost:2")
    r = client.post("/_emulator/webauthn-config", json={"userPoolId": pool.id, "UserVerification": "sometimes"})
    assert r.status_code == 400
    token = _signed_in(emu, config, client, "pk-off")
    client.post("/_emulator/webauthn-config", json={"userPoolId": pool.id, "Enabled": False})
    try:
        call(client, "StartWebAuthnRegistration", {"AccessToken": token}, expect_error="WebAuthnNotEnabledException")
    finally:
        client.post("/_emulator/webauthn-config", json={"userPoolId": pool.id, "Enabled": True})


def test_client_mismatch(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "pk-client")
    auth = SoftAuthenticator()
    _, req = _register(client, token, auth)
    other = call(client, "InitiateAuth", {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": config["rotatingClientId"],
                                          "AuthParameters": {"USERNAME": "pk-client", "PASSWORD": PASSWORD}})
    req["AccessToken"] = other["AuthenticationResult"]["AccessToken"]
    call(client, "CompleteWebAuthnRegistration", req, expect_error="WebAuthnClientMismatchException")


def test_assertions(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "pk-sign")
    auth = SoftAuthenticator()
    options, req = _register(client, token, auth)
    call(client, "CompleteWebAuthnRegistration", req)
    pool = emu.directory.pool(config["userPoolId"])
    user = emu.directory.find_user(pool, "pk-sign")
    text, state = webauthn.request_options(pool, user)
    request = json.loads(text)
    assert request["rpId"] == "localhost" and request["userVerification"] == "preferred"
    assert request["allowCredentials"] == [{"type": "public-key", "id": b64url(auth.credential_id),
                                            "transports": ["internal"]}]
    webauthn.verify_assertion(pool, user, state, auth.get(request, user_handle=options["user"]["id"]))
    assert webauthn.credentials_of(user)[0].sign_count == 1

    def refused(answer, state=state):
        with pytest.raises(webauthn.errors.CognitoError) as err:
            webauthn.verify_assertion(pool, user, state, answer)
        assert err.value.name == "NotAuthorizedException"

    refused(auth.get(request, tamper=True))                        # signature over other bytes
    refused(auth.get(request, origin="http://other.example"))      # origin
    auth.count = 0
    refused(auth.get(request))                                      # sign count did not grow
    auth.count = 5
    _, fresh = webauthn.request_options(pool, user)
    refused(auth.get(request), fresh)                               # an old challenge
    refused(SoftAuthenticator().get(request))                       # unknown credential
    refused(auth.get(request, user_handle=b64url(b"someone-else")))
    refused(auth.get({**request, "rpId": "example.com"}))           # rpIdHash
    refused("{}")
    webauthn.verify_assertion(pool, user, state, auth.get(request))  # still fine after refusals


def test_list_paging_and_delete(env):
    emu, config, client = env
    token = _signed_in(emu, config, client, "pk-list")
    auths = [SoftAuthenticator() for _ in range(3)]
    for auth in auths:
        _, req = _register(client, token, auth)
        call(client, "CompleteWebAuthnRegistration", req)
    first = call(client, "ListWebAuthnCredentials", {"AccessToken": token, "MaxResults": 2})
    assert len(first["Credentials"]) == 2 and first["NextToken"]
    second = call(client, "ListWebAuthnCredentials", {"AccessToken": token, "MaxResults": 2,
                                                      "NextToken": first["NextToken"]})
    assert len(second["Credentials"]) == 1 and "NextToken" not in second
    ids = [c["CredentialId"] for c in first["Credentials"] + second["Credentials"]]
    assert ids == [b64url(a.credential_id) for a in auths]
    call(client, "ListWebAuthnCredentials", {"AccessToken": token, "MaxResults": 21},
         expect_error="InvalidParameterException")
    call(client, "ListWebAuthnCredentials", {"AccessToken": token, "NextToken": "bogus"},
         expect_error="InvalidParameterException")
    call(client, "DeleteWebAuthnCredential", {"AccessToken": token, "CredentialId": ids[1]})
    call(client, "DeleteWebAuthnCredential", {"AccessToken": token, "CredentialId": ids[1]},
         expect_error="ResourceNotFoundException")
    left = call(client, "ListWebAuthnCredentials", {"AccessToken": token})["Credentials"]
    assert [c["CredentialId"] for c in left] == [ids[0], ids[2]]
    call(client, "ListWebAuthnCredentials", {"AccessToken": "x.y.z"}, expect_error="NotAuthorizedException")


def test_user_auth_with_a_passkey(env):
    """USER_AUTH → WEB_AUTHN (preferred, or picked in SELECT_CHALLENGE) → tokens; a replayed or
    foreign assertion is refused."""
    from test_user_auth import add_user, respond, user_auth
    emu, config, client = env
    add_user(emu, config, "pk-ua")
    out = user_auth(client, config, "pk-ua", PREFERRED_CHALLENGE="PASSWORD", PASSWORD=PASSWORD)
    token = out["AuthenticationResult"]["AccessToken"]
    assert "WEB_AUTHN" not in user_auth(client, config, "pk-ua")["AvailableChallenges"]
    auth = SoftAuthenticator()
    _, req = _register(client, token, auth)
    call(client, "CompleteWebAuthnRegistration", req)

    out = user_auth(client, config, "pk-ua", PREFERRED_CHALLENGE="WEB_AUTHN")
    assert out["ChallengeName"] == "WEB_AUTHN"
    options = json.loads(out["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    answer = auth.get(options)
    done = respond(client, config, "WEB_AUTHN", out["Session"], USERNAME="pk-ua", CREDENTIAL=answer)
    assert done["AuthenticationResult"]["AccessToken"]
    respond(client, config, "WEB_AUTHN", out["Session"], USERNAME="pk-ua", CREDENTIAL=answer,
            expect_error="NotAuthorizedException")  # the session is spent

    select = user_auth(client, config, "pk-ua")
    assert "WEB_AUTHN" in select["AvailableChallenges"]
    out = respond(client, config, "SELECT_CHALLENGE", select["Session"], USERNAME="pk-ua", ANSWER="WEB_AUTHN")
    options = json.loads(out["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    respond(client, config, "WEB_AUTHN", out["Session"], USERNAME="pk-ua",
            CREDENTIAL=auth.get(options, origin="http://localhost.evil.example"), expect_error="NotAuthorizedException")
    out = user_auth(client, config, "pk-ua", PREFERRED_CHALLENGE="WEB_AUTHN")
    options = json.loads(out["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    done = respond(client, config, "WEB_AUTHN", out["Session"], USERNAME="pk-ua", CREDENTIAL=auth.get(options))
    assert done["AuthenticationResult"]["IdToken"]

"""Remembered devices (cognito_emulator/devices.py): NewDeviceMetadata, ConfirmDevice, the device SRP
challenge checked against a client computed here independently of srp.py (hashlib/hmac only, as
amazon-cognito-identity-js's generateHashDevice and getDeviceResponse do), and the device operations."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timezone

import pytest

from cognito_emulator import srp
from test_flows import PASSWORD, call, env, signed_up_user, srp_login  # noqa: F401 (fixture)

N, G = int(srp.N_HEX, 16), 2


def pad_hex(n: int) -> str:
    h = format(n, "x")
    h = "0" + h if len(h) % 2 else h
    return "00" + h if h[0] in "89abcdef" else h


def sha_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest().rjust(64, "0")


def generate_hash_device(group_key: str, device_key: str):
    """amazon-cognito-identity-js AuthenticationHelper.generateHashDevice, transcribed."""
    password = base64.b64encode(secrets.token_bytes(40)).decode()
    hashed = sha_hex(f"{group_key}{device_key}:{password}".encode())
    salt_hex = pad_hex(int(secrets.token_bytes(16).hex(), 16))
    x = int(sha_hex(bytes.fromhex(salt_hex + hashed)), 16)
    verifier_hex = pad_hex(pow(G, x, N))
    return password, {"Salt": base64.b64encode(bytes.fromhex(salt_hex)).decode(),
                      "PasswordVerifier": base64.b64encode(bytes.fromhex(verifier_hex)).decode()}


def device_signature(group_key, device_key, password, a, params, timestamp):
    """getDeviceResponse's DEVICE_PASSWORD_VERIFIER signature, transcribed."""
    A = pow(G, a, N)
    B, salt = int(params["SRP_B"], 16), int(params["SALT"], 16)
    k = int(sha_hex(bytes.fromhex(pad_hex(N) + pad_hex(G))), 16)
    u = int(sha_hex(bytes.fromhex(pad_hex(A) + pad_hex(B))), 16)
    x = int(sha_hex(bytes.fromhex(pad_hex(salt) + sha_hex(f"{group_key}{device_key}:{password}".encode()))), 16)
    S = pow((B - k * pow(G, x, N)) % N, a + u * x, N)
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(S)), hashlib.sha256).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    msg = group_key.encode() + device_key.encode() + base64.b64decode(params["SECRET_BLOCK"]) + timestamp.encode()
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def _sign_in(client, config, name, device_key=None):
    req, _ = srp_login(client, config["devicesUserPoolId"], config["devicesClientId"], name, PASSWORD)
    if device_key:
        req["ChallengeResponses"]["DEVICE_KEY"] = device_key
    return req


def _device_flow(client, config, name, device, tamper=False):
    key, group, password = device
    out = call(client, "RespondToAuthChallenge", _sign_in(client, config, name, key))
    assert out["ChallengeName"] == "DEVICE_SRP_AUTH"
    a = secrets.randbits(256)
    out = call(client, "RespondToAuthChallenge", {
        "ChallengeName": "DEVICE_SRP_AUTH", "ClientId": config["devicesClientId"], "Session": out["Session"],
        "ChallengeResponses": {"USERNAME": name, "DEVICE_KEY": key, "SRP_A": format(pow(G, a, N), "x")}})
    assert out["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    p = out["ChallengeParameters"]
    ts = srp.format_timestamp(datetime.now(timezone.utc))
    sig = device_signature(group, key, password + ("x" if tamper else ""), a, p, ts)
    return {"ChallengeName": "DEVICE_PASSWORD_VERIFIER", "ClientId": config["devicesClientId"],
            "Session": out["Session"], "ChallengeResponses": {
                "USERNAME": p["USERNAME"], "PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"], "TIMESTAMP": ts,
                "PASSWORD_CLAIM_SIGNATURE": sig, "DEVICE_KEY": key}}


def test_other_pools_offer_no_device(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "nodevice")
    req, _ = srp_login(client, config["userPoolId"], config["clientId"], "nodevice", PASSWORD)
    assert "NewDeviceMetadata" not in call(client, "RespondToAuthChallenge", req)["AuthenticationResult"]


def test_confirm_device_then_device_srp(env):
    emu, config, client = env
    signed_up_user(emu, config, client, "dora", pool="devicesUserPoolId", client_key="devicesClientId")
    result = call(client, "RespondToAuthChallenge", _sign_in(client, config, "dora"))["AuthenticationResult"]
    meta = result["NewDeviceMetadata"]
    password, verifier = generate_hash_device(meta["DeviceGroupKey"], meta["DeviceKey"])
    out = call(client, "ConfirmDevice", {"AccessToken": result["AccessToken"], "DeviceKey": meta["DeviceKey"],
                                         "DeviceSecretVerifierConfig": verifier, "DeviceName": "pytest"})
    assert out == {"UserConfirmationNecessary": False}
    device = (meta["DeviceKey"], meta["DeviceGroupKey"], password)
    before = emu.stats.auth_flows["DEVICE_PASSWORD_VERIFIER"]
    done = call(client, "RespondToAuthChallenge", _device_flow(client, config, "dora", device))
    assert "NewDeviceMetadata" not in done["AuthenticationResult"]
    assert emu.stats.auth_flows["DEVICE_PASSWORD_VERIFIER"] == before + 1
    call(client, "RespondToAuthChallenge", _device_flow(client, config, "dora", device, tamper=True),
         expect_error="NotAuthorizedException")

    token = done["AuthenticationResult"]["AccessToken"]
    listed = call(client, "ListDevices", {"AccessToken": token})["Devices"]
    assert [d["DeviceKey"] for d in listed] == [meta["DeviceKey"]]
    attrs = {a["Name"]: a["Value"] for a in listed[0]["DeviceAttributes"]}
    assert attrs["device_name"] == "pytest" and attrs["device_remembered_status"] == "remembered"
    call(client, "UpdateDeviceStatus", {"AccessToken": token, "DeviceKey": meta["DeviceKey"],
                                        "DeviceRememberedStatus": "not_remembered"})
    attrs = {a["Name"]: a["Value"] for a in call(client, "ListDevices", {"AccessToken": token})["Devices"][0]["DeviceAttributes"]}
    assert attrs["device_remembered_status"] == "not_remembered"
    call(client, "ForgetDevice", {"AccessToken": token, "DeviceKey": meta["DeviceKey"]})
    assert call(client, "ListDevices", {"AccessToken": token})["Devices"] == []
    out = call(client, "RespondToAuthChallenge", _sign_in(client, config, "dora", meta["DeviceKey"]),
               expect_error="ResourceNotFoundException")
    assert out["message"] == "Device does not exist."


def test_emulator_srp_agrees_with_the_transcription():
    group, key = "-abc", "us-east-1_dev"
    password, verifier = generate_hash_device(group, key)
    salt = int.from_bytes(base64.b64decode(verifier["Salt"]), "big")
    v = int.from_bytes(base64.b64decode(verifier["PasswordVerifier"]), "big")
    assert v == srp.compute_verifier(group, key, password, salt)
    a, b = secrets.randbits(256), srp.new_private_b()
    A, B = pow(G, a, N), srp.compute_B(v, b)
    block = base64.b64encode(b"block").decode()
    params = {"SRP_B": format(B, "x"), "SALT": format(salt, "x"), "SECRET_BLOCK": block}
    u = srp.compute_u(A, B)
    server_key = srp.derive_key(u, srp.server_S(A, v, u, b))
    ts = "Sun Nov 22 02:37:16 UTC 2026"
    assert srp.signature_matches(server_key, group, key, b"block", ts,
                                 device_signature(group, key, password, a, params, ts))
    assert not srp.signature_matches(server_key, group, key, b"block", ts,
                                     device_signature(group, key, password + "x", a, params, ts))

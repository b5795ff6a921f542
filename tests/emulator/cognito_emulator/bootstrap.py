"""The pools and app clients every emulator process starts with.

* main pool: username sign-in (case-insensitive), email auto-verified, TOTP MFA
  OPTIONAL, default password policy, first factors PASSWORD, EMAIL_OTP and WEB_AUTHN; a public
  client (which also allows USER_AUTH: the demo's "Sign in with a code by email" and "Sign in
  with a passkey") and a client with a secret;
* alias pool: AliasAttributes ["email"] (email required), its own public client;
* email pool: UsernameAttributes ["email"] (username = sub), its own public client;
* MFA pool: MfaConfiguration ON (TOTP), its own public client (MFA_SETUP at first sign-in).
* passwordless pool: AllowedFirstAuthFactors PASSWORD, EMAIL_OTP, SMS_OTP, WEB_AUTHN; email and
  phone auto-verified; its public client also allows USER_AUTH (user_auth.py).
* email-MFA pool: MfaConfiguration ON with EmailMfaConfiguration (MFA_SETUP offers EMAIL_OTP).
* devices pool: DeviceConfiguration (no challenge on new devices, remembered without a
  prompt): NewDeviceMetadata at sign-in, ConfirmDevice, DEVICE_SRP_AUTH; its own public client.

The main pool also has a client that rotates refresh tokens (GetTokensFromRefreshToken,
RetryGracePeriodSeconds 2).

The main pool holds email changes until verified (AttributesRequireVerificationBeforeUpdate).

All clients allow USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH,
ADMIN_USER_PASSWORD_AUTH and CUSTOM_AUTH; the main and devices pools have the custom-auth
triggers (scripted: custom_auth.py).
"""

from __future__ import annotations

FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH",
         "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH"]
# The three custom-auth triggers (names only: the emulator scripts them, custom_auth.py).
CUSTOM_AUTH_TRIGGERS = {name: f"arn:aws:lambda:us-east-1:000000000000:function:emulator-{name}"
                        for name in ("DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse")}


def _pool_config(**extra) -> dict:
    return {"AutoVerifiedAttributes": ["email"], "MfaConfiguration": "OPTIONAL",
            "UsernameConfiguration": {"CaseSensitive": False}, **extra}


def bootstrap(emu) -> dict:
    """Create the standard pools; return the startup JSON (without endpoint-derived fields)."""
    prevent = emu.options.prevent_user_existence_errors
    client_config = {"ExplicitAuthFlows": FLOWS, "PreventUserExistenceErrors": prevent,
                     "EnableTokenRevocation": True, "AuthSessionValidity": 3, "RefreshTokenValidity": 30}

    main = emu.create_pool("cognito-wasm-test", _pool_config(
        UserAttributeUpdateSettings={"AttributesRequireVerificationBeforeUpdate": ["email"]},
        LambdaConfig=CUSTOM_AUTH_TRIGGERS,
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]}}))
    public = emu.directory.create_client(main.id, "public", False, {
        **client_config, "ExplicitAuthFlows": FLOWS + ["ALLOW_USER_AUTH"]})
    secret = emu.directory.create_client(main.id, "with-secret", True, client_config)
    rotating = emu.directory.create_client(main.id, "rotating", False, {
        **client_config, "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 2}})

    alias = emu.create_pool("cognito-wasm-alias", _pool_config(AliasAttributes=["email"]))
    alias.schema_attributes["email"].required = True
    alias_client = emu.directory.create_client(alias.id, "alias-public", False, client_config)

    email = emu.create_pool("cognito-wasm-email-username", _pool_config(UsernameAttributes=["email"]))
    email_client = emu.directory.create_client(email.id, "email-public", False, client_config)

    mfa = emu.create_pool("cognito-wasm-mfa-on", _pool_config(MfaConfiguration="ON"))
    mfa_client = emu.directory.create_client(mfa.id, "mfa-public", False, client_config)

    devices = emu.create_pool("cognito-wasm-devices", _pool_config(DeviceConfiguration={
        "ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False},
        LambdaConfig=CUSTOM_AUTH_TRIGGERS))
    devices_client = emu.directory.create_client(devices.id, "devices-public", False, client_config)

    # Choice-based sign-in (user_auth.py): every first factor, email and phone verified at sign-up.
    passwordless = emu.create_pool("cognito-wasm-passwordless", _pool_config(
        AutoVerifiedAttributes=["email", "phone_number"],
        Policies={"SignInPolicy": {"AllowedFirstAuthFactors": ["PASSWORD", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]}}))
    passwordless_client = emu.directory.create_client(passwordless.id, "passwordless-public", False, {
        **client_config, "ExplicitAuthFlows": FLOWS + ["ALLOW_USER_AUTH"]})

    # Email MFA (email_mfa.py): MFA required, TOTP or email.
    email_mfa_pool = emu.create_pool("cognito-wasm-email-mfa", _pool_config(
        MfaConfiguration="ON", EmailMfaConfiguration={"Message": "Your code is {####}", "Subject": "Sign-in code"}))
    email_mfa_client = emu.directory.create_client(email_mfa_pool.id, "email-mfa-public", False, client_config)

    endpoint = emu.options.endpoint
    return {
        "endpoint": endpoint,
        "region": emu.options.region,
        "userPoolId": main.id,
        "clientId": public.id,
        "secretClientId": secret.id,
        "clientSecret": secret.secret,
        "rotatingClientId": rotating.id,
        "aliasUserPoolId": alias.id,
        "aliasClientId": alias_client.id,
        "emailUserPoolId": email.id,
        "emailClientId": email_client.id,
        "mfaUserPoolId": mfa.id,
        "mfaClientId": mfa_client.id,
        "devicesUserPoolId": devices.id,
        "devicesClientId": devices_client.id,
        "passwordlessUserPoolId": passwordless.id,
        "passwordlessClientId": passwordless_client.id,
        "emailMfaUserPoolId": email_mfa_pool.id,
        "emailMfaClientId": email_mfa_client.id,
        "jwksUri": f"{endpoint}{main.id}/.well-known/jwks.json",
        "issuer": f"{endpoint}{main.id}",
    }

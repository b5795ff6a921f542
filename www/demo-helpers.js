// Emulator / demo helpers: calls this demo makes WITHOUT cognito-wasm, kept apart from the app.
//
//  1. Cognito API calls the library does not wrap yet (TOTP set-up). These are real, public Cognito
//     operations, authorised by the user's access token, sent here with plain fetch.
//  2. Emulator-only conveniences, offered only in demo mode: reading the latest code from the
//     emulator's local /_emulator/codes endpoint, and AdminCreateUser (an admin operation that
//     needs AWS credentials on real Cognito; the emulator accepts it from loopback).

/** A JSON-1.1 call to the Cognito endpoint; rejects with an Error shaped like cognito-wasm's. */
async function cognitoCall(endpoint, operation, body) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}`,
      },
      body: JSON.stringify(body),
    });
  } catch (cause) {
    throw Object.assign(new Error(`${operation}: ${cause.message}`), { name: "NetworkError", code: "NetworkError", retryable: true });
  }
  const text = await response.text();
  let data = {};
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw Object.assign(new Error(`${operation}: not JSON`), { name: "InvalidResponseError", code: "InvalidResponseError" });
  }
  if (!response.ok) {
    const type = (response.headers.get("x-amzn-errortype") ?? data.__type ?? "UnknownError").split(/[:#]/).pop();
    throw Object.assign(new Error(data.message ?? data.Message ?? type), {
      name: type,
      code: type,
      status: response.status,
      retryable: response.status >= 500,
    });
  }
  return data;
}

// --- 1. Cognito operations not wrapped by cognito-wasm yet -------------------------------------

/** AssociateSoftwareToken → the base32 TOTP secret. */
export async function associateSoftwareToken(endpoint, accessToken) {
  const { SecretCode } = await cognitoCall(endpoint, "AssociateSoftwareToken", { AccessToken: accessToken });
  return SecretCode;
}

/** VerifySoftwareToken, then SetUserMFAPreference (TOTP on and preferred). */
export async function enableTotp(endpoint, accessToken, code) {
  const verified = await cognitoCall(endpoint, "VerifySoftwareToken", {
    AccessToken: accessToken,
    UserCode: code,
    FriendlyDeviceName: "cognito-wasm demo",
  });
  if (verified.Status && verified.Status !== "SUCCESS") {
    throw Object.assign(new Error("Code mismatch"), { name: "EnableSoftwareTokenMFAException", code: "EnableSoftwareTokenMFAException" });
  }
  await cognitoCall(endpoint, "SetUserMFAPreference", {
    AccessToken: accessToken,
    SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
  });
}

/** The otpauth:// URI authenticator apps read (usually from a QR code). */
export function otpauthUri({ secret, username, issuer = "cognito-wasm demo" }) {
  const label = encodeURIComponent(`${issuer}:${username}`);
  const query = new URLSearchParams({ secret, issuer, algorithm: "SHA1", digits: "6", period: "30" });
  return `otpauth://totp/${label}?${query}`;
}

// --- 2. Emulator-only (demo mode) ----------------------------------------------------------------

/** The latest code the emulator issued to a user (purpose SIGN_UP, FORGOT_PASSWORD, …). */
export async function emulatorCode(endpoint, { userPoolId, username, purpose }) {
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId, username, ...(purpose ? { purpose } : {}) });
  const response = await fetch(url);
  if (response.status === 404) {
    throw Object.assign(new Error("The emulator has no code for that user yet. Sign up or ask for a code first."), {
      name: "DemoError",
      code: "DemoError",
    });
  }
  if (!response.ok) throw new Error(`the emulator answered ${response.status}`);
  return response.json();
}

/** AdminCreateUser with a temporary password and no message (the user must change it at sign-in). */
export async function adminCreateUser(endpoint, { userPoolId, username, email, temporaryPassword }) {
  return cognitoCall(endpoint, "AdminCreateUser", {
    UserPoolId: userPoolId,
    Username: username,
    TemporaryPassword: temporaryPassword,
    MessageAction: "SUPPRESS",
    UserAttributes: [
      { Name: "email", Value: email },
      { Name: "email_verified", Value: "true" },
    ],
  });
}

// Emulator / demo helpers: calls this demo makes WITHOUT cognito-wasm, kept apart from the app.
//
//  Emulator-only conveniences, offered only in demo mode: reading the latest code from the
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


/** AssociateSoftwareToken → the base32 TOTP secret. */
// --- Emulator-only (demo mode) ----------------------------------------------------------------

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

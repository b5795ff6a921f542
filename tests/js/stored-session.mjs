// A session as a page's storage holds it after an earlier visit, made without any module: a
// confirmed user of the local emulator (AdminCreateUser + AdminSetUserPassword), signed in by
// AdminInitiateAuth ADMIN_USER_PASSWORD_AUTH, its tokens under amazon-cognito-identity-js's keys
// (src/storage.rs): `CognitoIdentityServiceProvider.<clientId>.LastAuthUser` and
// `….<username>.{idToken,accessToken,refreshToken,clockDrift}`.
import { cognitoCall } from "../hostile/emulator.mjs";

export const PASSWORD = "Corr3ct-Horse!Ω";

/** A confirmed user of `userPoolId`: its username. */
export async function confirmedUser(endpoint, userPoolId, prefix) {
  const username = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognitoCall(endpoint, "AdminCreateUser", { UserPoolId: userPoolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: "SUPPRESS" });
  await cognitoCall(endpoint, "AdminSetUserPassword", { UserPoolId: userPoolId, Username: username, Password: PASSWORD, Permanent: true });
  return username;
}

/**
 * The storage entries of `username` signed in to `clientId` (an object key → value).
 * `clockDriftSeconds` (default 0) is stored as the drift: -3590 makes a fresh one-hour session
 * due for refresh (it expires within a minute by this machine's clock).
 */
export async function storedEntries(endpoint, { userPoolId, clientId, username, clockDriftSeconds = 0 }) {
  const r = await cognitoCall(endpoint, "AdminInitiateAuth", {
    UserPoolId: userPoolId, ClientId: clientId, AuthFlow: "ADMIN_USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: username, PASSWORD },
  });
  const tokens = r.AuthenticationResult;
  if (!tokens?.AccessToken) throw new Error(`AdminInitiateAuth gave no tokens: ${JSON.stringify(r)}`);
  const p = `CognitoIdentityServiceProvider.${clientId}`;
  return {
    [`${p}.${username}.idToken`]: tokens.IdToken,
    [`${p}.${username}.accessToken`]: tokens.AccessToken,
    [`${p}.${username}.refreshToken`]: tokens.RefreshToken,
    [`${p}.${username}.clockDrift`]: String(clockDriftSeconds),
    [`${p}.LastAuthUser`]: username,
  };
}

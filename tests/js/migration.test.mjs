// Moving between amazon-cognito-identity-js 6.3.21 and cognito-wasm without signing users out:
// each reads the session the other stored, against the local emulator (COGNITO_EMULATOR_URL).
import { test } from "node:test";
import assert from "node:assert/strict";
import cognito from "amazon-cognito-identity-js";
import { CognitoAuth } from "../../pkg/node.js";

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = cognito;
const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";

/** A plain storage object, as amazon-cognito-identity-js expects one (with clear()). */
function mapStorage() {
  const map = new Map();
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
  };
}

async function confirmedUser() {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: mapStorage() });
  const username = `mig-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username });
  const { code } = await (await fetch(url)).json();
  await auth.confirmSignUp({ username, code });
  return username;
}

test("a session stored by amazon-cognito-identity-js is picked up by getSession()", async () => {
  const username = await confirmedUser();
  const storage = mapStorage();
  const pool = new CognitoUserPool({ UserPoolId: cfg.userPoolId, ClientId: cfg.clientId, endpoint, Storage: storage });
  const user = new CognitoUser({ Username: username, Pool: pool, Storage: storage });
  const theirs = await new Promise((resolve, reject) =>
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
    }),
  );
  const prefix = `CognitoIdentityServiceProvider.${cfg.clientId}`;
  assert.equal(storage.getItem(`${prefix}.LastAuthUser`), username, "written by amazon-cognito-identity-js");

  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage });
  const session = await auth.getSession();
  assert.ok(session, "getSession() found the session");
  assert.equal(session.username, username);
  assert.equal(session.accessToken, theirs.getAccessToken().getJwtToken());
  assert.equal(session.idToken, theirs.getIdToken().getJwtToken());
  assert.equal(session.refreshToken, theirs.getRefreshToken().getToken());
  const refreshed = await auth.refreshSession();
  assert.equal(refreshed.username, username, "and can refresh it");
});

test("amazon-cognito-identity-js reads a session cognito-wasm stored", async () => {
  const username = await confirmedUser();
  const storage = mapStorage();
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage });
  const ours = (await auth.signIn({ username, password })).session;

  const pool = new CognitoUserPool({ UserPoolId: cfg.userPoolId, ClientId: cfg.clientId, endpoint, Storage: storage });
  const current = pool.getCurrentUser();
  assert.ok(current, "getCurrentUser() sees LastAuthUser");
  assert.equal(current.getUsername(), username);
  const theirs = await new Promise((resolve, reject) => current.getSession((err, s) => (err ? reject(err) : resolve(s))));
  assert.equal(theirs.isValid(), true, "valid by its own clock-drift rule");
  assert.equal(theirs.getAccessToken().getJwtToken(), ours.accessToken);
  assert.equal(theirs.getRefreshToken().getToken(), ours.refreshToken);
  assert.equal(theirs.getClockDrift(), Number(storage.getItem(`CognitoIdentityServiceProvider.${cfg.clientId}.${username}.clockDrift`)));
});

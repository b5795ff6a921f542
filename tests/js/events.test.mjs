// auth.on(event, listener) through the built package (pkg/node.js) against the local emulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, MemoryStorage } from "../../pkg/node.js";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";

async function confirmedUser(auth) {
  const username = `events-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username });
  await auth.confirmSignUp({ username, code: (await (await fetch(url)).json()).code });
  return username;
}

function record(auth) {
  const seen = [];
  const off = ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"].map((name) =>
    auth.on(name, (data) => seen.push([name, data])));
  return { seen, off: () => off.forEach((f) => f()) };
}

test("signedIn, tokenRefresh, tokenRefreshFailure (with the error), signedOut; unsubscribe stops them", async () => {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  const username = await confirmedUser(auth);
  const { seen, off } = record(auth);
  const signedIn = await auth.signIn({ username, password });
  assert.deepEqual(seen.map(([n]) => n), ["signedIn"]);
  assert.equal(seen[0][1].accessToken, signedIn.session.accessToken);
  const refreshed = await auth.refreshSession();
  assert.deepEqual(seen.map(([n]) => n), ["signedIn", "tokenRefresh"]);
  assert.equal(seen[1][1].accessToken, refreshed.accessToken);

  // A failure that keeps the session: tokenRefreshFailure with the error, no sessionExpired.
  const offline = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint: "http://127.0.0.1:9/", storage: auth.storage, maxRetries: 0 });
  const offlineSeen = record(offline).seen;
  await assert.rejects(offline.refreshSession(), { code: "NetworkError" });
  assert.deepEqual(offlineSeen.map(([n]) => n), ["tokenRefreshFailure"]);
  assert.ok(offlineSeen[0][1] instanceof Error);
  assert.equal(offlineSeen[0][1].code, "NetworkError");

  await auth.signOut();
  assert.deepEqual(seen.map(([n]) => n), ["signedIn", "tokenRefresh", "signedOut"]);
  assert.equal(seen[2][1], undefined);
  await auth.signOut();
  assert.equal(seen.length, 3, "no signedOut without a session");
  off();
  await auth.signIn({ username, password });
  assert.equal(seen.length, 3, "unsubscribed");
  assert.throws(() => auth.on("tokenRefresh_failure", () => {}), { name: "InvalidParameterError" });
  assert.throws(() => auth.on("signedIn", 5), { name: "InvalidParameterError" });
});

test("sessionExpired when Cognito refuses the refresh token", async () => {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  const username = await confirmedUser(auth);
  const { session } = await auth.signIn({ username, password });
  const { seen } = record(auth);
  const revoked = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSCognitoIdentityProviderService.RevokeToken" },
    body: JSON.stringify({ ClientId: cfg.clientId, Token: session.refreshToken }),
  });
  assert.equal(revoked.status, 200);
  await assert.rejects(auth.refreshSession(), { code: "NotAuthorizedException" });
  assert.deepEqual(seen.map(([n]) => n), ["tokenRefreshFailure", "sessionExpired"]);
  assert.equal(seen[0][1].code, "NotAuthorizedException");
  assert.equal(await auth.getSession(), null);
});

test("a throwing listener does not stop the others", async () => {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  const username = await confirmedUser(auth);
  const calls = [];
  auth.on("signedIn", () => { calls.push(1); throw new Error("listener bug"); });
  auth.on("signedIn", () => calls.push(2));
  await auth.signIn({ username, password });
  assert.deepEqual(calls, [1, 2]);
});

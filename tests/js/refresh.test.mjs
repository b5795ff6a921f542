// Refresh-token rotation, held sessions after failed writes, and session events through the built
// package (pkg/node.js) against the local emulator (COGNITO_EMULATOR_URL).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, MemoryStorage } from "../../pkg/node.js";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";

async function emulator(path, body) {
  const res = await fetch(new URL(path, endpoint), body ? { method: "POST", body: JSON.stringify(body) } : undefined);
  return res.json();
}

async function cognito(target, body) {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function confirmedUser(auth) {
  const username = `refresh-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  const { code } = await emulator(`_emulator/codes?userPoolId=${cfg.userPoolId}&username=${username}`);
  await auth.confirmSignUp({ username, code });
  return username;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test("a rotating client: each refresh stores the new refresh token; the old one dies after the grace period", async () => {
  const storage = new MemoryStorage();
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.rotatingClientId, endpoint, storage });
  const username = await confirmedUser(auth);
  const first = (await auth.signIn({ username, password })).session.refreshToken;
  const key = `CognitoIdentityServiceProvider.${cfg.rotatingClientId}.${username}.refreshToken`;
  assert.equal(storage.getItem(key), first);
  const refreshed = await auth.refreshSession();
  assert.notEqual(refreshed.refreshToken, first);
  assert.equal(storage.getItem(key), refreshed.refreshToken, "stored with the new tokens");
  assert.equal(storage.getItem(`CognitoIdentityServiceProvider.${cfg.rotatingClientId}.${username}.accessToken`), refreshed.accessToken);
  await sleep(2200);
  const reused = await cognito("GetTokensFromRefreshToken", { ClientId: cfg.rotatingClientId, RefreshToken: first });
  assert.equal(reused.body.__type, "RefreshTokenReuseException");
  const again = await auth.refreshSession();
  assert.notEqual(again.refreshToken, refreshed.refreshToken);
  assert.equal((await auth.getSession()).refreshToken, again.refreshToken);
});

test("a client without rotation keeps its refresh token; refreshFlow REFRESH_TOKEN_AUTH sends InitiateAuth", async () => {
  await emulator("_emulator/reset-stats", {});
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  const username = await confirmedUser(auth);
  const first = (await auth.signIn({ username, password })).session.refreshToken;
  assert.equal((await auth.refreshSession()).refreshToken, first);
  const legacy = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: auth.storage, refreshFlow: "REFRESH_TOKEN_AUTH" });
  assert.equal((await legacy.refreshSession()).refreshToken, first);
  const stats = await emulator("_emulator/stats");
  assert.equal(stats.operations.GetTokensFromRefreshToken, 1);
  assert.equal(stats.authFlows.REFRESH_TOKEN_AUTH, 1);
  assert.throws(() => new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, refreshFlow: "REFRESH" }), { name: "InvalidParameterError" });
});

test("after a sign-in whose write failed, getSession answers the held session (not older stored tokens) and warns once", async () => {
  const map = new Map();
  let full = false;
  const storage = {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => { if (full) throw new Error("QuotaExceededError"); map.set(k, v); },
    removeItem: (k) => void map.delete(k),
  };
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage });
  const username = await confirmedUser(auth);
  const older = (await auth.signIn({ username, password })).session;
  full = true;
  const error = await auth.signIn({ username, password }).then(() => null, (e) => e);
  assert.equal(error?.code, "StorageError");
  const warnings = [];
  const originalWarn = console.warn;
  console.warn = (...args) => warnings.push(args.join(" "));
  try {
    const held = await auth.getSession();
    assert.ok(held, "the held session");
    assert.notEqual(held.accessToken, older.accessToken, "not the older stored tokens");
    await auth.getSession();
  } finally {
    console.warn = originalWarn;
  }
  assert.equal(warnings.length, 1, warnings.join("\n"));
  assert.match(warnings[0], /held in memory/);
  full = false;
  const held = await auth.getSession();
  const p = `CognitoIdentityServiceProvider.${cfg.clientId}.${username}`;
  assert.equal(map.get(`${p}.accessToken`), held.accessToken, "written once storage works again");
});

// CUSTOM_AUTH through pkg/node.js against the emulator's scripted triggers (the answer is the code
// at /_emulator/codes?purpose=CUSTOM_CHALLENGE; three tries), with and without SRP first, then
// DEVICE_SRP_AUTH for a remembered device; refreshSession({ clientMetadata }).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, MemoryStorage } from "../../pkg/node.js";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const stats = async () => (await fetch(new URL("_emulator/stats", endpoint))).json();

async function code(poolId, username, purpose) {
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: poolId, username, ...(purpose ? { purpose } : {}) });
  return (await (await fetch(url)).json()).code;
}

async function confirmedUser(poolId, clientId) {
  const auth = new CognitoAuth({ userPoolId: poolId, clientId, endpoint, storage: new MemoryStorage() });
  const username = `custom-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  await auth.confirmSignUp({ username, code: await code(poolId, username) });
  return username;
}

test("CUSTOM_AUTH without SRP: CUSTOM_CHALLENGE with its parameters, answered until tokens come", async () => {
  const username = await confirmedUser(cfg.userPoolId, cfg.clientId);
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  let step = await auth.signIn({ username, flow: "CUSTOM_AUTH", clientMetadata: { app: "custom-test" } });
  assert.deepEqual(step, { signedIn: false, challenge: "CUSTOM_CHALLENGE", parameters: { USERNAME: username, attempt: "1", maxAttempts: "3" } });
  assert.deepEqual((await stats()).lastClientMetadata.InitiateAuth, { app: "custom-test" });
  step = await auth.respondToChallenge({ answer: "not-the-code" });
  assert.equal(step.challenge, "CUSTOM_CHALLENGE");
  assert.equal(step.parameters.attempt, "2");
  const tag = `answer-${Math.random()}`;
  step = await auth.respondToChallenge({ answer: await code(cfg.userPoolId, username, "CUSTOM_CHALLENGE"), clientMetadata: { tag } });
  assert.equal(step.signedIn, true);
  assert.equal(step.session.username, username);
  assert.equal((await auth.getSession()).username, username);
  assert.deepEqual((await stats()).lastClientMetadata.RespondToAuthChallenge, { tag });

  // refreshSession({ clientMetadata }) sends ClientMetadata on GetTokensFromRefreshToken.
  const reason = `refresh-${Math.random()}`;
  const refreshed = await auth.refreshSession({ clientMetadata: { reason } });
  assert.equal(refreshed.username, username);
  assert.deepEqual((await stats()).lastClientMetadata.GetTokensFromRefreshToken, { reason });
  await assert.rejects(auth.refreshSession({ clientMetadata: "x" }), { name: "InvalidParameterError" });
});

test("CUSTOM_AUTH: three wrong answers end in NotAuthorizedException; a password is not needed, an unknown flow is refused", async () => {
  const username = await confirmedUser(cfg.userPoolId, cfg.clientId);
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  let step = await auth.signIn({ username, flow: "CUSTOM_AUTH" });
  step = await auth.respondToChallenge({ answer: "1" });
  step = await auth.respondToChallenge({ answer: "2" });
  assert.equal(step.parameters.attempt, "3");
  await assert.rejects(auth.respondToChallenge({ answer: "3" }), { name: "NotAuthorizedException" });
  assert.equal(await auth.getSession(), null);
  await assert.rejects(auth.signIn({ username, flow: "CUSTOM_AUTH", srp: true }), { name: "InvalidParameterError" }, "SRP needs the password");
  await assert.rejects(auth.signIn({ username, password, srp: true }), { name: "InvalidParameterError" });
  await assert.rejects(auth.signIn({ username, password, flow: "CUSTOM" }), { name: "InvalidParameterError" });
});

test("CUSTOM_AUTH with srp: true verifies the password (PASSWORD_VERIFIER) first; a wrong one never reaches the challenge", async () => {
  const username = await confirmedUser(cfg.userPoolId, cfg.clientId);
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.secretClientId, clientSecret: cfg.clientSecret, endpoint, storage: new MemoryStorage() });
  await assert.rejects(auth.signIn({ username, password: `${password}x`, flow: "CUSTOM_AUTH", srp: true }), { name: "NotAuthorizedException" });
  const before = (await stats()).authFlows.CUSTOM_AUTH ?? 0;
  let step = await auth.signIn({ username, password, flow: "CUSTOM_AUTH", srp: true });
  assert.equal(step.challenge, "CUSTOM_CHALLENGE");
  assert.equal((await stats()).authFlows.CUSTOM_AUTH, before + 1);
  step = await auth.respondToChallenge({ answer: await code(cfg.userPoolId, username, "CUSTOM_CHALLENGE") });
  assert.equal(step.signedIn, true, "with SECRET_HASH on each step (a client with a secret)");
});

test("CUSTOM_AUTH with a remembered device: DEVICE_KEY sent, DEVICE_SRP_AUTH answered after the custom challenge", async () => {
  const username = await confirmedUser(cfg.devicesUserPoolId, cfg.devicesClientId);
  const storage = new MemoryStorage();
  const options = { userPoolId: cfg.devicesUserPoolId, clientId: cfg.devicesClientId, endpoint, storage, rememberDevices: true };
  const auth = new CognitoAuth(options);
  assert.equal((await auth.signIn({ username, password })).signedIn, true);
  assert.ok(storage.getItem(`CognitoIdentityServiceProvider.${cfg.devicesClientId}.${username}.deviceKey`), "device remembered");
  await auth.signOut();
  const before = (await stats()).authFlows.DEVICE_SRP_AUTH ?? 0;
  const again = new CognitoAuth(options);
  const step = await again.signIn({ username, flow: "CUSTOM_AUTH" });
  assert.equal(step.challenge, "CUSTOM_CHALLENGE");
  const done = await again.respondToChallenge({ answer: await code(cfg.devicesUserPoolId, username, "CUSTOM_CHALLENGE") });
  assert.equal(done.signedIn, true);
  assert.equal((await stats()).authFlows.DEVICE_SRP_AUTH, before + 1, "device SRP after the custom challenge");
});

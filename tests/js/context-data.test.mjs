// The userContextData option (threat protection) through pkg/node.js: sent as UserContextData on the
// calls outside sign-in, as the emulator records in /_emulator/stats; Amazon's script when no option.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, MemoryStorage } from "../../pkg/node.js";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const stats = async () => (await fetch(new URL("_emulator/stats", endpoint))).json();
const reset = () => fetch(new URL("_emulator/reset-stats", endpoint), { method: "POST", body: "{}" });

test("userContextData is asked per request and sent on SignUp, ConfirmSignUp, ResendConfirmationCode, ForgotPassword", async () => {
  const asked = [];
  const auth = new CognitoAuth({
    userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage(),
    userContextData: (username) => { asked.push(username); return asked.length === 1 ? "encoded-1" : { encodedData: `e-${asked.length}`, ipAddress: "192.0.2.7" }; },
  });
  const username = `ctx-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await reset();
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  await auth.resendConfirmationCode({ username });
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username });
  await auth.confirmSignUp({ username, code: (await (await fetch(url)).json()).code });
  await auth.forgotPassword({ username });
  const seen = await stats();
  assert.deepEqual(seen.userContextData, { SignUp: 1, ResendConfirmationCode: 1, ConfirmSignUp: 1, ForgotPassword: 1 });
  assert.deepEqual(seen.lastUserContextData.SignUp, { EncodedData: "encoded-1" });
  assert.deepEqual(seen.lastUserContextData.ForgotPassword, { EncodedData: "e-4", IpAddress: "192.0.2.7" });
  assert.deepEqual(asked, [username, username, username, username]);
  assert.throws(() => new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, userContextData: "x" }), { name: "InvalidParameterError" });
});

test("without the option, AmazonCognitoAdvancedSecurityData.getData(username, userPoolId, clientId) is used where it exists", async () => {
  const calls = [];
  globalThis.AmazonCognitoAdvancedSecurityData = { getData: (...args) => { calls.push(args); return "from-amazon-script"; } };
  try {
    const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
    await reset();
    const username = `ctx-script-${Date.now()}`;
    await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
    assert.deepEqual(calls, [[username, cfg.userPoolId, cfg.clientId]]);
    assert.deepEqual((await stats()).lastUserContextData.SignUp, { EncodedData: "from-amazon-script" });
  } finally {
    delete globalThis.AmazonCognitoAdvancedSecurityData;
  }
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  await reset();
  await auth.signUp({ username: `ctx-none-${Date.now()}`, password, attributes: { email: "none@example.com" } });
  assert.deepEqual((await stats()).userContextData, {}, "nothing without option or script");
});

test("userContextData goes on InitiateAuth and RespondToAuthChallenge (every sign-in step) and REFRESH_TOKEN_AUTH, not GetTokensFromRefreshToken", async () => {
  const asked = [];
  const options = {
    userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint,
    userContextData: (username) => { asked.push(username); return { encodedData: `sign-in-${asked.length}`, ipAddress: "192.0.2.9" }; },
  };
  const signUp = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  const username = `ctx-signin-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await signUp.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username });
  await signUp.confirmSignUp({ username, code: (await (await fetch(url)).json()).code });

  const auth = new CognitoAuth({ ...options, storage: new MemoryStorage() });
  await reset();
  assert.equal((await auth.signIn({ username, password })).signedIn, true);
  let seen = await stats();
  assert.deepEqual(seen.userContextData, { InitiateAuth: 1, RespondToAuthChallenge: 1 }, "USER_SRP_AUTH and PASSWORD_VERIFIER");
  assert.deepEqual(seen.lastUserContextData.RespondToAuthChallenge, { EncodedData: "sign-in-2", IpAddress: "192.0.2.9" });
  await auth.refreshSession();
  seen = await stats();
  assert.ok(seen.operations.GetTokensFromRefreshToken >= 1);
  assert.equal(seen.userContextData.GetTokensFromRefreshToken, undefined, "its model has no UserContextData");

  const legacy = new CognitoAuth({ ...options, storage: new MemoryStorage(), refreshFlow: "REFRESH_TOKEN_AUTH" });
  await legacy.signIn({ username, password, flow: "USER_PASSWORD_AUTH" });
  await reset();
  await legacy.refreshSession();
  seen = await stats();
  assert.deepEqual(seen.userContextData, { InitiateAuth: 1 }, "REFRESH_TOKEN_AUTH");
  assert.ok(seen.authFlows.REFRESH_TOKEN_AUTH >= 1);
  assert.ok(asked.every((name) => name === username), "asked with the username each request is about");
});

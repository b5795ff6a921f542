// Passkeys where there is no navigator.credentials (Node): associatePasskey rejects with
// InvalidParameterError before any request, even signed in; listPasskeys and deletePasskey work
// (they need no authenticator), and a WEB_AUTHN answer to SELECT_CHALLENGE is refused locally.
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, MemoryStorage } from "../../pkg/node.js";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const stats = async () => (await fetch(new URL("_emulator/stats", endpoint))).json();
const reset = () => fetch(new URL("_emulator/reset-stats", endpoint), { method: "POST", body: "{}" });

async function signedIn() {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint, storage: new MemoryStorage() });
  const username = `pk-node-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username });
  await auth.confirmSignUp({ username, code: (await (await fetch(url)).json()).code });
  await auth.signIn({ username, password });
  return auth;
}

test("associatePasskey rejects with InvalidParameterError before any request", async () => {
  assert.equal(globalThis.navigator?.credentials, undefined, "Node has no navigator.credentials");
  const auth = await signedIn();
  await reset();
  await assert.rejects(auth.associatePasskey(), (e) => {
    assert.equal(e.name, "InvalidParameterError");
    assert.match(e.message, /navigator\.credentials/);
    return true;
  });
  assert.equal((await stats()).total, 0, "nothing was sent");
});

test("listPasskeys and deletePasskey speak to Cognito; their errors pass through", async () => {
  const auth = await signedIn();
  assert.deepEqual(await auth.listPasskeys(), { passkeys: [] });
  assert.deepEqual(await auth.listPasskeys({ limit: 5 }), { passkeys: [] });
  await assert.rejects(auth.deletePasskey({ credentialId: "q83v" }), { name: "ResourceNotFoundException" });
  await assert.rejects(auth.listPasskeys({ limit: 0 }), { name: "InvalidParameterError" });
  await assert.rejects(auth.listPasskeys({ nextToken: "bogus" }), { name: "InvalidParameterException" });
  await assert.rejects(auth.deletePasskey({}), { name: "InvalidParameterError" });
  await auth.signOut();
  await reset();
  await assert.rejects(auth.listPasskeys(), { name: "InvalidParameterError" });
  assert.equal((await stats()).total, 0);
});

test("a passkey sign-in rejects with InvalidParameterError before any request", async () => {
  const auth = new CognitoAuth({ userPoolId: cfg.passwordlessUserPoolId, clientId: cfg.passwordlessClientId, endpoint, storage: new MemoryStorage() });
  const username = `pk-node-ua-${Date.now()}`;
  await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.passwordlessUserPoolId, username });
  await auth.confirmSignUp({ username, code: (await (await fetch(url)).json()).code });
  await reset();
  await assert.rejects(auth.signIn({ username, flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }), (e) => {
    assert.equal(e.name, "InvalidParameterError");
    assert.match(e.message, /navigator\.credentials/);
    return true;
  });
  assert.equal((await stats()).total, 0, "no InitiateAuth");
  const step = await auth.signIn({ username, flow: "USER_AUTH" });
  assert.equal(step.challenge, "SELECT_CHALLENGE");
  await reset();
  await assert.rejects(auth.respondToChallenge({ answer: "WEB_AUTHN" }), /navigator\.credentials/);
  assert.equal((await stats()).total, 0, "no RespondToAuthChallenge");
  const done = await auth.respondToChallenge({ answer: "PASSWORD", password });
  assert.equal(done.signedIn, true, "the SELECT_CHALLENGE step was kept for another answer");
});

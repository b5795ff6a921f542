// The browser entry's four modules (session, signin, signup, full: docs/design/weight.md), through
// pkg/browser.js in Node with init({ wasm: (file) => bytes }) recording which file each step
// asks for, against the local emulator (COGNITO_EMULATOR_URL, default http://127.0.0.1:9229/):
// with a stored session, restoring asks for the session module alone, a sign-in (or preload) for
// signin, a password reset for signup, an account call for the full module; an object that moves up keeps its listeners, its pending challenge and a
// session its storage failed to keep.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CognitoAuth, MemoryStorage, init } from "../../pkg/browser.js";
import { cognitoCall } from "../hostile/emulator.mjs";

const SESSION = "cognito_wasm_session_bg.wasm";
const SIGNIN = "cognito_wasm_signin_bg.wasm";
const SIGNUP = "cognito_wasm_signup_bg.wasm";
const FULL = "cognito_wasm_browser_bg.wasm";
const asked = [];
const bytes = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url));
// A page whose storage holds an earlier visit's session (of any client): `init()` before any object
// then chooses the session module (tests/js/first-module.test.mjs: the other choices).
const earlier = new Map([["CognitoIdentityServiceProvider.earlier.LastAuthUser", "someone"]]);
globalThis.localStorage = {
  get length() { return earlier.size; },
  key: (i) => [...earlier.keys()][i] ?? null,
  getItem: (k) => earlier.get(k) ?? null,
};
// Before anything else (Node's fetch cannot load the default file: URLs).
const ready = init({ wasm: (file) => (asked.push(file), bytes(file)) });

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";

const cognito = (target, body) => cognitoCall(endpoint, target, body);

/** A confirmed user (AdminCreateUser + AdminSetUserPassword); `temporary` leaves it at NEW_PASSWORD_REQUIRED. */
async function user(prefix, { temporary = false } = {}) {
  const username = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognito("AdminCreateUser", { UserPoolId: cfg.userPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS" });
  if (!temporary) await cognito("AdminSetUserPassword", { UserPoolId: cfg.userPoolId, Username: username, Password: password, Permanent: true });
  return username;
}

/** A storage whose writes fail once `failing` is set. */
function flakyStorage() {
  const inner = new Map();
  return {
    failing: false,
    getItem: (k) => inner.get(k) ?? null,
    setItem(k, v) {
      if (this.failing) throw new Error("quota exceeded");
      inner.set(k, v);
    },
    removeItem: (k) => inner.delete(k),
  };
}

const options = { userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint };
// Made before any module is ready: each moves up on its own.
const restoring = new CognitoAuth({ ...options, storage: new MemoryStorage() });
const challenged = new CognitoAuth({ ...options, storage: new MemoryStorage() });
const flaky = flakyStorage();
const unstored = new CognitoAuth({ ...options, storage: flaky });
const resetting = new CognitoAuth({ ...options, storage: new MemoryStorage() });
const changes = [];
const signedInEvents = [];
let heldSession;
challenged.onSessionChange((s) => changes.push(s?.username ?? null));
challenged.on("signedIn", (s) => signedInEvents.push(s.username));

test("init({ wasm: function }) asks for the session module alone; restoring a session needs nothing else", async () => {
  await ready;
  assert.deepEqual(asked, [SESSION]);
  assert.equal(await restoring.getSession(), null);
  assert.equal(typeof restoring.preload, "function");
  assert.deepEqual(asked, [SESSION], "getSession runs in the session module");
});

test("preload() loads the signin module; a sign-in after it fetches nothing more and is restored by the session module", async () => {
  await restoring.preload();
  assert.deepEqual(asked, [SESSION, SIGNIN]);
  const username = await user("tiers");
  const result = await restoring.signIn({ username, password });
  assert.equal(result.signedIn, true);
  assert.equal((await restoring.getSession()).username, username);
  assert.deepEqual(asked, [SESSION, SIGNIN]);
});

test("a session held only in memory (the storage refused the write), in the signin module", async () => {
  const username = await user("tiers-memory");
  assert.equal((await unstored.signIn({ username, password })).signedIn, true);
  assert.deepEqual(asked, [SESSION, SIGNIN], "still the signin module");
  const stored = flaky.getItem(`CognitoIdentityServiceProvider.${cfg.clientId}.${username}.accessToken`);
  assert.ok(stored, "the first session was stored");
  flaky.failing = true;
  await unstored.refreshSession().catch((e) => assert.equal(e.name, "StorageError"));
  const held = await unstored.getSession();
  assert.notEqual(held.accessToken, stored, "the refreshed session is held in memory");
  heldSession = { username, stored, accessToken: held.accessToken };
});

test("forgotPassword and confirmForgotPassword from an object still in the session module: it moves to the signup module", async () => {
  const username = `tiers-reset-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = { Name: "email", Value: `${username}@example.com` };
  await cognito("AdminCreateUser", {
    UserPoolId: cfg.userPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS",
    UserAttributes: [email, { Name: "email_verified", Value: "true" }],
  });
  await cognito("AdminSetUserPassword", { UserPoolId: cfg.userPoolId, Username: username, Password: password, Permanent: true });
  assert.equal(await resetting.getSession(), null, "still in the session module");
  assert.deepEqual(asked, [SESSION, SIGNIN]);
  const sent = await resetting.forgotPassword({ username });
  assert.equal(sent.codeDelivery.medium, "EMAIL");
  assert.deepEqual(asked, [SESSION, SIGNIN, SIGNUP], "forgotPassword loads the signup module");
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username, purpose: "FORGOT_PASSWORD" });
  const { code } = await (await fetch(url)).json();
  const newPassword = "Res3t-Passw0rd!Ω";
  assert.equal(await resetting.confirmForgotPassword({ username, code, newPassword }), undefined);
  await assert.rejects(resetting.signIn({ username, password }), (e) => e.name === "NotAuthorizedException", "the old password no longer signs in");
  assert.equal((await resetting.signIn({ username, password: newPassword })).signedIn, true);
  assert.deepEqual(asked, [SESSION, SIGNIN, SIGNUP], "signIn runs in the signup module the object moved to");
});

test("a pending challenge and the listeners move with the object to the full module", async () => {
  const username = await user("tiers-challenge", { temporary: true });
  const step = await challenged.signIn({ username, password });
  assert.equal(step.signedIn, false);
  assert.equal(step.challenge, "NEW_PASSWORD_REQUIRED");
  // An account call (the full module) while the challenge waits: not signed in yet, so it rejects.
  await assert.rejects(challenged.getUser());
  assert.deepEqual(asked, [SESSION, SIGNIN, SIGNUP, FULL], "getUser loads the full module");
  const done = await challenged.respondToChallenge({ newPassword: "N3w-Passw0rd!Ω" });
  assert.equal(done.signedIn, true, "the full module's object answers the challenge signin stopped at");
  assert.equal(done.session.username, username);
  assert.deepEqual(changes, [username], "onSessionChange, subscribed in the session module, fired once");
  assert.deepEqual(signedInEvents, [username], "on('signedIn') too");
  assert.equal((await challenged.getUser()).username, username);
});

test("the session held only in memory moves with the object to the full module", async () => {
  assert.ok(heldSession, "the test before held one");
  assert.equal((await unstored.getUser()).username, heldSession.username);
  assert.equal((await unstored.getSession()).accessToken, heldSession.accessToken, "the full module's object answers with the held session, not the stored one");
});

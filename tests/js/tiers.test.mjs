// The browser entry's six modules (restore, session, signin_plain, signin, signup, full:
// docs/design/weight.md), through pkg/browser.js in Node with init({ wasm: (file) => bytes })
// recording which file each step asks for, against the local emulator (COGNITO_EMULATOR_URL,
// default http://127.0.0.1:9229/): with a stored session, restoring asks for the restore module
// alone, a sign-in call of a plain object for signin_plain, options the plain-only modules refuse
// for the session module and their sign-in for signin (which plain objects then use too: a module
// already there rather than a second file), a password reset for signup, an account call for the
// full module; an object that moves up keeps its listeners, its pending challenge, its calls in
// flight and a session its storage failed to keep.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CognitoAuth, MemoryStorage, init } from "../../pkg/browser.js";
import { cognitoCall } from "../hostile/emulator.mjs";
import { confirmedUser, storedEntries } from "./stored-session.mjs";

const RESTORE = "cognito_wasm_restore_bg.wasm";
const SESSION = "cognito_wasm_session_bg.wasm";
const PLAIN = "cognito_wasm_signin_plain_bg.wasm";
const SIGNIN = "cognito_wasm_signin_bg.wasm";
const SIGNUP = "cognito_wasm_signup_bg.wasm";
const FULL = "cognito_wasm_browser_bg.wasm";
const asked = [];
const bytes = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url));
// A page whose storage holds an earlier visit's session (of any client): `init()` before any object
// then chooses the restore module (tests/js/first-module.test.mjs: the other choices).
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

/** A storage whose writes fail once `failing` is set (`entries`: what it holds at first). */
function flakyStorage(entries = {}) {
  const inner = new Map(Object.entries(entries));
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
// A stored session (an earlier visit's) in a storage whose writes can be made to fail: restored in
// the restore module, then moved to the signin_plain module by respondToChallenge() (a signin member).
const moverUser = await confirmedUser(endpoint, cfg.userPoolId, "tiers-mover");
const moverStorage = flakyStorage(await storedEntries(endpoint, { userPoolId: cfg.userPoolId, clientId: cfg.clientId, username: moverUser }));
const mover = new CognitoAuth({ ...options, storage: moverStorage });
const moverChanges = [];
const moverRefreshes = [];
mover.onSessionChange((s) => moverChanges.push(s?.accessToken ?? null));
const offRefresh = mover.on("tokenRefresh", (s) => moverRefreshes.push(s.accessToken));

test("init({ wasm: function }) asks for the restore module alone; restoring a session needs nothing else", async () => {
  await ready;
  assert.deepEqual(asked, [RESTORE]);
  assert.equal(await restoring.getSession(), null);
  assert.equal(typeof restoring.preload, "function");
  assert.equal((await mover.getSession()).username, moverUser, "the stored session restored");
  assert.equal(mover.storage, moverStorage, "the storage getter in the restore module: the storage given");
  assert.deepEqual(asked, [RESTORE], "getSession runs in the restore module");
});

test("a move from the restore module to the signin_plain module: a call in flight settles, the session held in memory, the listeners and the storage go with the object", async () => {
  // Only the restore module is ready: moving from it, respondToChallenge (plain options) loads signin_plain.
  moverStorage.failing = true;
  const refusal = await mover.refreshSession().then(() => null, (e) => e);
  assert.equal(refusal?.name, "StorageError", "the refreshed session could not be stored");
  const held = await mover.getSession();
  assert.deepEqual(moverChanges, [held.accessToken], "onSessionChange once for the refresh, with the held session");
  const refreshesBefore = moverRefreshes.length;
  const inFlight = mover.getSession(); // started in the restore module
  const answered = mover.respondToChallenge({}).then(() => null, (e) => e); // loads signin_plain and moves the object there
  assert.equal((await inFlight).accessToken, held.accessToken, "the call in flight in the restore module settles");
  const refused = await answered;
  assert.equal(refused?.name, "InvalidParameterError", "no challenge waiting: refused in the signin_plain module");
  assert.match(refused.message, /no challenge is waiting/);
  assert.deepEqual(asked, [RESTORE, PLAIN], "respondToChallenge loaded the signin_plain module, not the signin one");
  assert.equal((await mover.getSession()).accessToken, held.accessToken, "the held session came with the object (__handover → __adopt), not the stored one");
  assert.equal(mover.storage, moverStorage, "the storage getter in the signin_plain module");
  moverStorage.failing = false;
  const again = await mover.refreshSession();
  assert.notEqual(again.accessToken, held.accessToken);
  assert.deepEqual(moverChanges, [held.accessToken, again.accessToken], "onSessionChange once more: attached to the new object, the old one unsubscribed");
  assert.deepEqual(moverRefreshes.slice(refreshesBefore), [again.accessToken], "on('tokenRefresh') once: likewise");
  offRefresh(); // the function on() returned in the restore module
  const third = await mover.refreshSession();
  assert.equal(moverRefreshes.length, refreshesBefore + 1, "unsubscribed from the new object through the function on() returned before the move");
  await mover.signOut();
  assert.equal(await mover.getSession(), null);
  assert.deepEqual(moverChanges, [held.accessToken, again.accessToken, third.accessToken, null], "the sign-out in the signin_plain module");
});

test("a CognitoAuth whose options the plain-only modules refuse (clientSecret, CookieStorage) lives in the session module from its constructor, then in signin", async () => {
  const secretOptions = { ...options, clientId: cfg.secretClientId, clientSecret: cfg.clientSecret };
  const secret = new CognitoAuth({ ...secretOptions, storage: new MemoryStorage() });
  assert.equal(await secret.getSession(), null, "getSession there, not an InvalidParameterError from the restore module");
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION], "the session module fetched for it (signin_plain, ready, is not for it)");
  assert.equal(await restoring.getSession(), null, "the plain object stays where it was");
  const username = await user("tiers-secret");
  assert.equal((await secret.signIn({ username, password })).signedIn, true, "signIn moves it up (SECRET_HASH from the client secret)");
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN], "to signin, not to signin_plain (ready)");
  assert.equal((await secret.getSession()).username, username);
  secret.free();
});

test("preload() of a plain object in the restore module, with signin_plain and signin ready: it moves to the highest, fetching nothing; a sign-in there", async () => {
  await restoring.preload();
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN]);
  const username = await user("tiers");
  const result = await restoring.signIn({ username, password });
  assert.equal(result.signedIn, true);
  assert.equal((await restoring.getSession()).username, username);
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN]);
});

test("a session held only in memory (the storage refused the write), in the signin module", async () => {
  const username = await user("tiers-memory");
  assert.equal((await unstored.signIn({ username, password })).signedIn, true);
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN], "no other module");
  const stored = flaky.getItem(`CognitoIdentityServiceProvider.${cfg.clientId}.${username}.accessToken`);
  assert.ok(stored, "the first session was stored");
  flaky.failing = true;
  await unstored.refreshSession().catch((e) => assert.equal(e.name, "StorageError"));
  const held = await unstored.getSession();
  assert.notEqual(held.accessToken, stored, "the refreshed session is held in memory");
  heldSession = { username, stored, accessToken: held.accessToken };
});

test("forgotPassword and confirmForgotPassword from an object still in the restore module: it moves to the signup module", async () => {
  const username = `tiers-reset-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const email = { Name: "email", Value: `${username}@example.com` };
  await cognito("AdminCreateUser", {
    UserPoolId: cfg.userPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS",
    UserAttributes: [email, { Name: "email_verified", Value: "true" }],
  });
  await cognito("AdminSetUserPassword", { UserPoolId: cfg.userPoolId, Username: username, Password: password, Permanent: true });
  assert.equal(await resetting.getSession(), null, "still in the restore module");
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN]);
  const sent = await resetting.forgotPassword({ username });
  assert.equal(sent.codeDelivery.medium, "EMAIL");
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN, SIGNUP], "forgotPassword loads the signup module");
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username, purpose: "FORGOT_PASSWORD" });
  const { code } = await (await fetch(url)).json();
  const newPassword = "Res3t-Passw0rd!Ω";
  assert.equal(await resetting.confirmForgotPassword({ username, code, newPassword }), undefined);
  await assert.rejects(resetting.signIn({ username, password }), (e) => e.name === "NotAuthorizedException", "the old password no longer signs in");
  assert.equal((await resetting.signIn({ username, password: newPassword })).signedIn, true);
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN, SIGNUP], "signIn runs in the signup module the object moved to");
});

test("a pending challenge and the listeners move with the object to the full module", async () => {
  const username = await user("tiers-challenge", { temporary: true });
  const step = await challenged.signIn({ username, password });
  assert.equal(step.signedIn, false);
  assert.equal(step.challenge, "NEW_PASSWORD_REQUIRED");
  // An account call (the full module) while the challenge waits: not signed in yet, so it rejects.
  await assert.rejects(challenged.getUser());
  assert.deepEqual(asked, [RESTORE, PLAIN, SESSION, SIGNIN, SIGNUP, FULL], "getUser loads the full module");
  const done = await challenged.respondToChallenge({ newPassword: "N3w-Passw0rd!Ω" });
  assert.equal(done.signedIn, true, "the full module's object answers the challenge signin stopped at");
  assert.equal(done.session.username, username);
  assert.deepEqual(changes, [username], "onSessionChange, subscribed in the restore module, fired once");
  assert.deepEqual(signedInEvents, [username], "on('signedIn') too");
  assert.equal((await challenged.getUser()).username, username);
});

test("the session held only in memory moves with the object to the full module", async () => {
  assert.ok(heldSession, "the test before held one");
  assert.equal((await unstored.getUser()).username, heldSession.username);
  assert.equal((await unstored.getSession()).accessToken, heldSession.accessToken, "the full module's object answers with the held session, not the stored one");
});

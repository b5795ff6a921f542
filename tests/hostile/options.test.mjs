// Issue 21, finding 3: option objects whose reads throw (a getter, a Proxy trap). Constructors
// used to rethrow the raw error; async methods let it escape as an uncaughtException and left
// their promise pending for ever. Now the options are read once, synchronously, with catching
// reads, before any task starts: constructors throw InvalidParameterError, async methods return
// a promise rejected with it, nothing reaches 'uncaughtException', and the module keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { capturingUncaught } from "./uncaught.mjs";
import { CognitoAuth, CognitoJwtVerifier, CognitoWorkerAuth, CookieJar, CookieStorage, KvStorage, MemoryStorage } from "../../pkg/node.js";

const POOL = "us-east-1_OptsTest01";
const CLIENT = "optsclient000000000000000a";
const fetch = async () => new Response('{"__type":"NotAuthorizedException","message":"no"}', { status: 400 });
const auth = () => new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), fetch, maxRetries: 0 });
const namespace = { get: async () => null, put: async () => {}, delete: async () => {} };

class Boom extends Error {}
const boom = () => { throw new Boom("from a getter: hunter2"); };

/** Hostile option objects built around `base` (the fields a call needs; at least one, which a
 * Proxy's `get` trap is then asked for). */
const hostile = (base) => [
  ["a throwing getter", Object.defineProperty({ ...base }, "username", { get: boom, enumerable: true })],
  ["a throwing getter on a nested object", { ...base, clientMetadata: { get k() { return boom(); } } }],
  ["a Proxy whose get throws", new Proxy({ ...base }, { get: boom })],
  ["a Proxy whose ownKeys throws", new Proxy({ ...base }, { ownKeys: boom })],
  ["a Proxy whose getPrototypeOf throws", new Proxy({ ...base }, { getPrototypeOf: boom })],
  ["a revoked Proxy", (() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; })()],
  ["a getter that throws a non-Error", { ...base, get password() { throw 42; } }],
  ["a cycle", (() => { const o = { ...base }; o.clientMetadata = o; return o; })()],
];

const isTyped = (e) => e instanceof Error && !(e instanceof Boom) && e.name === "InvalidParameterError" && !/hunter2/.test(e.message);


const settles = (promise) => Promise.race([
  promise.then(() => ({ resolved: true }), (e) => ({ rejected: e })),
  new Promise((resolve) => setTimeout(() => resolve({ hung: true }), 1000)),
]);

const ASYNC = [
  ["signIn", { username: "u", password: "p" }], ["signUp", { username: "u", password: "p" }],
  ["confirmSignUp", { username: "u", code: "1" }], ["forgotPassword", { username: "u" }],
  ["resendConfirmationCode", { username: "u" }], ["confirmForgotPassword", { username: "u", code: "1", newPassword: "p" }],
  ["respondToChallenge", { code: "1" }], ["signOut", { global: false }], ["signInWithRedirect", { navigate: false }],
  ["changePassword", { oldPassword: "a", newPassword: "b" }], ["updateUserAttributes", { attributes: {} }],
  ["verifySoftwareToken", { code: "1" }], ["setMfaPreference", { sms: null }], ["listDevices", { limit: 1 }], ["forgetDevice", { deviceKey: "d" }],
  ["updateDeviceStatus", { remembered: true }], ["associateSoftwareToken", { issuer: "x" }],
  ["getUserAttributeVerificationCode", { attribute: "email" }], ["verifyUserAttribute", { attribute: "email", code: "1" }],
  ["deleteUserAttributes", { attributes: [] }],
];

for (const [method, base] of ASYNC) {
  test(`CognitoAuth#${method}: hostile options reject with InvalidParameterError, never hang or escape`, async () => {
    const escaped = await capturingUncaught(async () => {
      for (const [label, options] of hostile(base)) {
        let returned;
        assert.doesNotThrow(() => { returned = auth()[method](options); }, label);
        const outcome = await settles(returned);
        assert.ok(outcome.rejected && isTyped(outcome.rejected), `${label}: ${JSON.stringify(outcome)} ${outcome.rejected?.name}: ${outcome.rejected?.message}`);
      }
    });
    assert.deepEqual(escaped.map(String), [], "nothing escaped as an uncaughtException");
    const storage = new MemoryStorage();
    storage.setItem("k", "v");
    assert.equal(storage.getItem("k"), "v");
  });
}

const CONSTRUCTORS = [
  ["new CognitoAuth", (o) => new CognitoAuth(o), { userPoolId: POOL, clientId: CLIENT, fetch }],
  ["new CognitoJwtVerifier", (o) => new CognitoJwtVerifier(o), { userPoolId: POOL, clientId: CLIENT, tokenUse: "id" }],
  ["new CognitoWorkerAuth", (o) => new CognitoWorkerAuth(o), { userPoolId: POOL, clientId: CLIENT }],
  ["new CognitoWorkerAuth (cookie options)", (o) => new CognitoWorkerAuth({ userPoolId: POOL, clientId: CLIENT, cookie: o }), { path: "/" }],
  ["new CookieJar", (o) => new CookieJar("a=b", o), { path: "/" }],
  ["new KvStorage", (o) => new KvStorage(namespace, o), { prefix: "p:" }],
  ["new CookieStorage", (o) => new CookieStorage(o), { path: "/" }],
];

for (const [name, construct, base] of CONSTRUCTORS) {
  test(`${name}: hostile options throw InvalidParameterError, not the getter's error`, () => {
    assert.doesNotThrow(() => construct(base), "the base options are valid");
    for (const [label, options] of hostile(base)) {
      assert.throws(() => construct(options), (e) => isTyped(e) || assert.fail(`${label}: threw ${e?.constructor?.name} ${e?.name}: ${e?.message}`));
    }
  });
}

test("options read once: inherited and getter-defined fields still count, a getter runs once", async () => {
  let reads = 0;
  class Options { get userPoolId() { reads += 1; return POOL; } }
  const options = Object.assign(new Options(), { clientId: CLIENT, fetch });
  assert.doesNotThrow(() => new CognitoAuth(options));
  assert.equal(reads, 1);
  let passwordReads = 0;
  const params = { username: "alice", get password() { passwordReads += 1; return "p"; } };
  await assert.rejects(auth().signIn({ ...params, flow: "USER_PASSWORD_AUTH" }), { name: "NotAuthorizedException" });
  const lazy = { username: "alice", flow: "USER_PASSWORD_AUTH", get password() { passwordReads += 1; return "p"; } };
  await assert.rejects(auth().signIn(lazy), { name: "NotAuthorizedException" });
  assert.equal(passwordReads, 2, "one read by the spread, one by the copy");
});

test("the copy keeps keys that Object.prototype also has (clientMetadata { toString, constructor })", async () => {
  const sent = [];
  const recording = async (request) => {
    sent.push(JSON.parse(await request.text()));
    return new Response('{"__type":"NotAuthorizedException","message":"no"}', { status: 400 });
  };
  const client = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), fetch: recording, maxRetries: 0 });
  const clientMetadata = JSON.parse('{"toString": "a", "constructor": "b", "__proto__": "c", "plain": "d"}');
  await assert.rejects(client.signIn({ username: "u", password: "p", flow: "USER_PASSWORD_AUTH", clientMetadata }), { name: "NotAuthorizedException" });
  assert.deepEqual(sent[0].ClientMetadata, JSON.parse('{"toString": "a", "constructor": "b", "__proto__": "c", "plain": "d"}'));
});

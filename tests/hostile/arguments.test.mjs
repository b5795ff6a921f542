// Issue 21, finding 2: every export of pkg/node.js called with every wrong type where it takes a
// string (or a function, or an options object). wasm-bindgen's string glue used to trap on them
// (`RuntimeError: memory access out of bounds` / `unreachable`), synchronously even for methods
// returning Promises. Now: a thrown InvalidParameterError from synchronous methods, a rejected
// Promise (never a synchronous throw) from async ones, and the module keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CognitoAuth, CognitoJwtVerifier, CognitoWorkerAuth, CookieJar, CookieStorage, KvStorage, MemoryStorage, WebStorage,
} from "../../pkg/node.js";

const POOL = "us-east-1_ArgsTest1";
const CLIENT = "argsclient000000000000000a";
const b64url = (s) => Buffer.from(s).toString("base64url");
const jwt = (claims) => `${b64url('{"alg":"RS256"}')}.${b64url(JSON.stringify(claims))}.c2ln`;
const TOKENS = { AccessToken: jwt({ exp: 4e9, username: "alice" }), IdToken: jwt({ exp: 4e9, "cognito:username": "alice" }), RefreshToken: "r", ExpiresIn: 3600 };

/** Answers InitiateAuth with tokens, everything else with a Cognito error. */
const fetch = async (request) => {
  const op = request.headers.get("x-amz-target").split(".").pop();
  const [status, body] = op === "InitiateAuth"
    ? [200, { AuthenticationResult: TOKENS }]
    : [400, { __type: "NotAuthorizedException", message: "no" }];
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/x-amz-json-1.1" } });
};
const auth = () => new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), fetch, maxRetries: 0 });
const namespace = { get: async () => null, put: async () => {}, delete: async () => {} };
const verifier = () => new CognitoJwtVerifier({ userPoolId: POOL, clientId: CLIENT, tokenUse: "access", fetch });
const workerAuth = () => new CognitoWorkerAuth({ userPoolId: POOL, clientId: CLIENT, fetch });

const WRONG = [
  ["a number", 5], ["a boolean", true], ["an object", {}], ["a Symbol", Symbol("s")],
  ["{ length: 2**31 }", { length: 2 ** 31 }], ["a bigint", 10n], ["an array", ["a"]],
];
const PRIMITIVES = WRONG.filter(([, v]) => typeof v !== "object");

// [name, sync | async, (wrong) => call, which wrong values]
const STRING_SLOTS = [
  ["MemoryStorage#getItem(key)", "sync", (v) => new MemoryStorage().getItem(v)],
  ["MemoryStorage#setItem(key)", "sync", (v) => new MemoryStorage().setItem(v, "x")],
  ["MemoryStorage#setItem(, value)", "sync", (v) => new MemoryStorage().setItem("k", v)],
  ["MemoryStorage#removeItem(key)", "sync", (v) => new MemoryStorage().removeItem(v)],
  ["new WebStorage(kind)", "sync", (v) => new WebStorage(v)],
  ["WebStorage#getItem(key)", "sync", (v) => new WebStorage("session").getItem(v)],
  ["WebStorage#setItem(key)", "sync", (v) => new WebStorage("session").setItem(v, "x")],
  ["WebStorage#setItem(, value)", "sync", (v) => new WebStorage("session").setItem("k", v)],
  ["WebStorage#removeItem(key)", "sync", (v) => new WebStorage("session").removeItem(v)],
  ["new CookieJar(source)", "sync", (v) => new CookieJar(v)],
  ["CookieJar#getItem(key)", "sync", (v) => new CookieJar("a=b").getItem(v)],
  ["CookieJar#setItem(key)", "sync", (v) => new CookieJar("a=b").setItem(v, "x")],
  ["CookieJar#setItem(, value)", "sync", (v) => new CookieJar("a=b").setItem("k", v)],
  ["CookieJar#removeItem(key)", "sync", (v) => new CookieJar("a=b").removeItem(v)],
  ["CookieStorage#getItem(key)", "sync", (v) => new CookieStorage().getItem(v)],
  ["CookieStorage#setItem(key)", "sync", (v) => new CookieStorage().setItem(v, "x")],
  ["CookieStorage#setItem(, value)", "sync", (v) => new CookieStorage().setItem("k", v)],
  ["CookieStorage#removeItem(key)", "sync", (v) => new CookieStorage().removeItem(v)],
  ["KvStorage#getItem(key)", "async", (v) => new KvStorage(namespace).getItem(v)],
  ["KvStorage#setItem(key)", "async", (v) => new KvStorage(namespace).setItem(v, "x")],
  ["KvStorage#setItem(, value)", "async", (v) => new KvStorage(namespace).setItem("k", v)],
  ["KvStorage#removeItem(key)", "async", (v) => new KvStorage(namespace).removeItem(v)],
  ["CognitoJwtVerifier#verify(token)", "async", (v) => verifier().verify(v)],
  ["CognitoAuth#handleRedirect(url)", "async", (v) => auth().handleRedirect(v)],
  // Functions.
  ["CognitoAuth#onSessionChange(listener)", "sync", (v) => auth().onSessionChange(v)],
  ["CognitoWorkerAuth#wrap(handler)", "sync", (v) => workerAuth().wrap(v)],
].map((row) => [...row, WRONG]);

const REQUIRED_OPTIONS = [
  ["new CognitoAuth(options)", "sync", (v) => new CognitoAuth(v)],
  ["new CognitoJwtVerifier(options)", "sync", (v) => new CognitoJwtVerifier(v)],
  ["new CognitoWorkerAuth(options)", "sync", (v) => new CognitoWorkerAuth(v)],
  ...["signUp", "confirmSignUp", "resendConfirmationCode", "forgotPassword", "confirmForgotPassword", "signIn",
    "updateUserAttributes", "getUserAttributeVerificationCode", "verifyUserAttribute", "deleteUserAttributes",
    "changePassword", "verifySoftwareToken", "setMfaPreference", "updateDeviceStatus"]
    .map((m) => [`CognitoAuth#${m}(params)`, "async", (v) => auth()[m](v)]),
].map((row) => [...row, row[0] === "CognitoAuth#setMfaPreference(params)" ? PRIMITIVES : WRONG]);

const OPTIONAL_OPTIONS = [
  ["new CookieJar(, options)", "sync", (v) => new CookieJar("", v)],
  ["new KvStorage(, options)", "sync", (v) => new KvStorage(namespace, v)],
  ["new CookieStorage(options)", "sync", (v) => new CookieStorage(v)],
  ...["respondToChallenge", "refreshSession", "signOut", "signInWithRedirect", "associateSoftwareToken", "listDevices", "forgetDevice"]
    .map((m) => [`CognitoAuth#${m}(params)`, "async", (v) => auth()[m](v)]),
].map((row) => [...row, PRIMITIVES]);

const isTyped = (e) => e instanceof Error && e.name === "InvalidParameterError" && e.code === "InvalidParameterError" && e.retryable === false;

/** The module still works: a storage round trip and a sign-in. */
async function stillWorks() {
  const storage = new MemoryStorage();
  storage.setItem("k", "v");
  assert.equal(storage.getItem("k"), "v");
  const step = await auth().signIn({ username: "alice", password: "p", flow: "USER_PASSWORD_AUTH" });
  assert.equal(step.signedIn, true);
}

for (const [name, kind, call, values] of [...STRING_SLOTS, ...REQUIRED_OPTIONS, ...OPTIONAL_OPTIONS]) {
  test(`${name}: every wrong type is an InvalidParameterError (${kind})`, async () => {
    for (const [label, value] of values) {
      if (kind === "sync") {
        assert.throws(() => call(value), (e) => isTyped(e) || assert.fail(`${label}: threw ${e?.name}: ${e?.message}`));
      } else {
        let returned;
        assert.doesNotThrow(() => { returned = call(value); }, `${label}: must not throw synchronously`);
        assert.ok(returned instanceof Promise, `${label}: returns a Promise`);
        await assert.rejects(returned, (e) => isTyped(e) || assert.fail(`${label}: rejected with ${e?.name}: ${e?.message}`));
      }
      await stillWorks();
    }
  });
}

test("the right types still work where wrong ones are refused", async () => {
  const jar = new CookieJar(new Request("https://x.test/", { headers: { cookie: "a=b" } }));
  assert.equal(jar.getItem("a"), "b");
  assert.equal(new CookieJar(null).getItem("a"), null);
  assert.equal(new CookieJar(undefined, { path: "/" }).getItem("a"), null);
  const kv = new KvStorage(namespace);
  assert.equal(await kv.getItem("k"), null);
  const web = new WebStorage(undefined);
  web.setItem("k", "v");
  assert.equal(web.getItem("k"), "v");
  assert.equal(typeof auth().onSessionChange(() => {}), "function");
  assert.equal(typeof workerAuth().wrap(() => new Response("ok")), "function");
  await assert.rejects(verifier().verify("not-a-jwt"), { name: "JwtVerificationError", code: "Malformed" });
});

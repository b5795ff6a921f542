// Backing for README "Security notes": the CSPRNG source, where Node keeps tokens by default, and
// that no password, code or token reaches an error message or the console — driven through
// pkg/node.js with a scripted `fetch` (no server needed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, MemoryStorage } from "../../pkg/node.js";

const POOL = "us-east-1_SecTest01";
const CLIENT = "secclient0000000000000000a";
const PASSWORD = "S3cret-Passw0rd!";
const CODE = "918273";
const b64url = (s) => Buffer.from(s).toString("base64url");
const jwt = (claims) => `${b64url('{"alg":"RS256"}')}.${b64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
const ACCESS = jwt({ exp: 4_000_000_000, iat: 1_700_000_000, username: "alice" });
const ID = jwt({ exp: 4_000_000_000, iat: 1_700_000_000, "cognito:username": "alice" });
const REFRESH = "refresh-token-opaque-secret-value";
const SECRETS = [PASSWORD, CODE, "123456", "87654321", ACCESS, ID, REFRESH, "c2lnbmF0dXJl"];

/** A `fetch` answering each X-Amz-Target with `answers[op](body)` → [status, json|string]. */
function scriptedFetch(answers, seen = []) {
  return async (request) => {
    const op = request.headers.get("x-amz-target").split(".").pop();
    const body = JSON.parse(await request.text());
    seen.push(op);
    const [status, answer] = answers[op]?.(body) ?? [500, { __type: "InternalErrorException", message: "unscripted" }];
    return new Response(typeof answer === "string" ? answer : JSON.stringify(answer), { status, headers: { "content-type": "application/x-amz-json-1.1" } });
  };
}

async function withConsole(work) {
  const lines = [];
  const saved = ["log", "info", "warn", "error", "debug"].map((k) => [k, console[k]]);
  for (const [k] of saved) console[k] = (...args) => lines.push(args.map(String).join(" "));
  try {
    await work();
  } finally {
    for (const [k, f] of saved) console[k] = f;
  }
  return lines;
}

const leaks = (text) => SECRETS.filter((s) => text.includes(s));

test("no password, code or token appears in an error message or on the console", async () => {
  const errors = [];
  const capture = (p) => p.then(() => assert.fail("expected a rejection"), (e) => errors.push(e));
  const lines = await withConsole(async () => {
    const tokensAsWrongTypes = scriptedFetch({
      InitiateAuth: () => [200, { AuthenticationResult: ACCESS }],
      ConfirmSignUp: () => [400, { __type: "CodeMismatchException", message: "Invalid verification code provided, please try again." }],
      ConfirmForgotPassword: () => [200, JSON.stringify(REFRESH)],
      SignUp: () => [200, { UserConfirmed: REFRESH, UserSub: "s" }],
      RespondToAuthChallenge: () => [200, { AuthenticationResult: { AccessToken: ACCESS, IdToken: "x", ExpiresIn: ID } }],
    });
    const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), fetch: tokensAsWrongTypes, maxRetries: 0 });
    // Options of the wrong type: serde would quote the value.
    await capture(auth.confirmSignUp({ username: "alice", code: 123456 }));
    await capture(auth.signIn({ username: "alice", password: 87654321 }));
    await capture(auth.confirmForgotPassword({ username: "alice", code: CODE, newPassword: ["x", PASSWORD] }));
    // Answers that put a token where something else belongs.
    await capture(auth.signIn({ username: "alice", password: PASSWORD, flow: "USER_PASSWORD_AUTH" }));
    await capture(auth.confirmForgotPassword({ username: "alice", code: CODE, newPassword: PASSWORD }));
    await capture(auth.signUp({ username: "alice", password: PASSWORD }));
    // A refused code.
    await capture(auth.confirmSignUp({ username: "alice", code: CODE }));
    // A network failure whose message is the runtime's.
    const failing = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), maxRetries: 0, fetch: async () => { throw new TypeError("fetch failed"); } });
    await capture(failing.signIn({ username: "alice", password: PASSWORD, flow: "USER_PASSWORD_AUTH" }));
  });
  assert.equal(errors.length, 8);
  const codes = errors.map((e) => e.code);
  assert.deepEqual(codes, ["InvalidParameterError", "InvalidParameterError", "InvalidParameterError", "InvalidResponseError", "InvalidResponseError", "InvalidResponseError", "CodeMismatchException", "NetworkError"]);
  for (const e of errors) {
    assert.deepEqual(leaks(`${e.name} ${e.message} ${e.stack}`), [], `${e.code}: ${e.message}`);
  }
  // The messages still say what was wrong.
  assert.match(errors[0].message, /invalid type: floating point, expected a string/);
  assert.match(errors[3].message, /invalid type: string, expected struct AuthenticationResult/);
  assert.deepEqual(lines.flatMap(leaks), []);
});

test("the SRP secret `a` comes from crypto.getRandomValues; without it, sign-in refuses and sends nothing", async () => {
  const original = globalThis.crypto.getRandomValues;
  let drawn = 0;
  Object.defineProperty(globalThis.crypto, "getRandomValues", {
    configurable: true, writable: true,
    value: (array) => { drawn += array.byteLength; return original.call(globalThis.crypto, array); },
  });
  const seen = [];
  try {
    const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), maxRetries: 0,
      fetch: scriptedFetch({ InitiateAuth: () => [400, { __type: "NotAuthorizedException", message: "Incorrect username or password." }] }, seen) });
    await assert.rejects(auth.signIn({ username: "alice", password: PASSWORD }), { name: "NotAuthorizedException" });
    assert.ok(drawn >= 32, `${drawn} random bytes drawn for a 256-bit a`);

    globalThis.crypto.getRandomValues = () => { throw new Error("no entropy"); };
    seen.length = 0;
    const starved = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), maxRetries: 0,
      fetch: scriptedFetch({}, seen) });
    await new Promise((resolve) => setTimeout(resolve, 10)); // let the idle precomputation try too
    await assert.rejects(starved.signIn({ username: "alice", password: PASSWORD }), (e) => e.code === "SrpError" && /random source/.test(e.message));
    assert.deepEqual(seen, [], "no request without a secret a");
  } finally {
    delete globalThis.crypto.getRandomValues;
    assert.equal(globalThis.crypto.getRandomValues, original);
  }
});

test("in Node the default storage is in-process memory, in amazon-cognito-identity-js's layout", async () => {
  const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT,
    fetch: scriptedFetch({ InitiateAuth: () => [200, { AuthenticationResult: { AccessToken: ACCESS, IdToken: ID, RefreshToken: REFRESH, ExpiresIn: 3600 } }] }) });
  assert.ok(auth.storage instanceof MemoryStorage);
  assert.equal(typeof globalThis.localStorage, "undefined");
  const result = await auth.signIn({ username: "alice", password: PASSWORD, flow: "USER_PASSWORD_AUTH" });
  assert.equal(result.signedIn, true);
  const p = `CognitoIdentityServiceProvider.${CLIENT}`;
  assert.deepEqual(auth.storage.keys(), [`${p}.LastAuthUser`, `${p}.alice.accessToken`, `${p}.alice.clockDrift`, `${p}.alice.idToken`, `${p}.alice.refreshToken`]);
  assert.equal(auth.storage.getItem(`${p}.alice.refreshToken`), REFRESH);
  // The password is never stored.
  assert.deepEqual(auth.storage.keys().map((k) => auth.storage.getItem(k)).filter((v) => v.includes(PASSWORD)), []);
});

test("values serde prints bare (bigints, arrays) are redacted too: passwords, codes, client secrets", async () => {
  const { CognitoWorkerAuth } = await import("../../pkg/node.js");
  const BIG = 987654321987654321n;
  const digits = String(BIG);
  const auth = new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, storage: new MemoryStorage(), fetch: scriptedFetch({}), maxRetries: 0 });
  const rejections = await Promise.all([
    auth.signIn({ username: "alice", password: BIG }),
    auth.signUp({ username: "alice", password: [PASSWORD, BIG] }),
    auth.confirmSignUp({ username: "alice", code: BIG }),
    auth.confirmForgotPassword({ username: "alice", code: [CODE], newPassword: PASSWORD }),
    auth.changePassword({ oldPassword: BIG, newPassword: PASSWORD }),
  ].map((p) => p.then(() => assert.fail("expected a rejection"), (e) => e)));
  const thrown = [
    () => new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, clientSecret: BIG }),
    () => new CognitoAuth({ userPoolId: POOL, clientId: CLIENT, clientSecret: [PASSWORD] }),
    () => new CognitoWorkerAuth({ userPoolId: POOL, clientId: CLIENT, clientSecret: BIG }),
    () => new CognitoWorkerAuth({ userPoolId: POOL, clientId: CLIENT, clientSecret: [PASSWORD] }),
  ].map((f) => { try { f(); } catch (e) { return e; } return assert.fail("expected a throw"); });
  for (const e of [...rejections, ...thrown]) {
    assert.equal(e.name, "InvalidParameterError", e.message);
    assert.match(e.message, /invalid type: (JsValue|sequence|a value), expected/, e.message);
    for (const secret of [digits, PASSWORD, CODE]) assert.ok(!`${e.message} ${e.stack}`.includes(secret), `${secret} in ${e.message}`);
  }
});

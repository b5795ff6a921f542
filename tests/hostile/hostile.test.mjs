// The hostile-server matrix (issue 9): pkg/node.js's CognitoAuth against a stub (stub.mjs) that
// answers with broken JSON, HTML, wrong types, huge bodies, poisoned SRP values, redirects, resets,
// stalls and throttling bursts. For every case: the call rejects with the documented typed Error
// (or, where the contract says so, succeeds), the stub saw the documented number of requests, the
// stored session is byte-identical before and after, no secret is in the error, and the next call
// on the same instance (an honest SRP sign-in through the stub to the emulator) works.
// The table of expectations is in docs/hardening.md, "Hostile servers".
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth } from "../../pkg/node.js";
import { startStub } from "./stub.mjs";
import { emulator, emulatorCode } from "./emulator.mjs";

const PASSWORD = "Hostile-Pa55word!ß";
const N_HEX = [
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD",
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
].join("");
const N = BigInt("0x" + N_HEX);
const hex = (n) => n.toString(16);

const MAX_RETRIES = 2; // every instance: 1 try + 2 retries
const TIMEOUT_MS = 1500; // generous for honest answers; slow answers take 4 s
const SLOW_MS = 4000;

const b64url = (s) => Buffer.from(s).toString("base64url");
const fakeJwt = (claims) => `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(claims))}.c2ln`;
const FAR = 4_000_000_000; // exp in 2096

let emu, stub, username;
const SEEDED = {
  id: fakeJwt({ exp: FAR, iat: 1_700_000_000, "cognito:username": "seeded-user", email: "s@example.com" }),
  access: fakeJwt({ exp: FAR, iat: 1_700_000_000, username: "seeded-user" }),
  refresh: "seeded-refresh-token.not-a-jwt.opaque.secret.value",
};

/** A plain-object token storage whose contents can be compared byte for byte. */
function seededStorage(clientId) {
  const p = `CognitoIdentityServiceProvider.${clientId}`;
  const map = new Map([
    [`${p}.LastAuthUser`, "seeded-user"],
    [`${p}.seeded-user.idToken`, SEEDED.id],
    [`${p}.seeded-user.accessToken`, SEEDED.access],
    [`${p}.seeded-user.refreshToken`, SEEDED.refresh],
    [`${p}.seeded-user.clockDrift`, "0"],
  ]);
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => void map.set(k, String(v)),
    removeItem: (k) => void map.delete(k),
    snapshot: () => JSON.stringify([...map.entries()].sort()),
  };
}

// ---- script helpers -------------------------------------------------------------------------

const json = (value, status = 200, headers = {}) => ({ status, json: value, headers });
const raw = (body, status = 200, headers = {}) => ({ status, body, headers });
const html = (status) => raw(`<!DOCTYPE html><html><body><h1>${status} Bad Gateway</h1></body></html>`, status, { "content-type": "text/html" });
const cognitoError = (name, status = 400, message = "stubbed") => json({ __type: name, message }, status, { "x-amzn-errortype": name });

/** Hostile only for `op` (its first `times` calls; all when omitted); everything else is honest. */
const on = (op, action, times = Infinity) => (call) => (call.op === op && call.n <= times ? (typeof action === "function" ? action(call) : action) : null);

/** The emulator's real answer to `op`, parsed, spoiled by `spoil(answer)` (returns the new body). */
const spoilAnswer = (op, spoil) => async (call) => {
  if (call.op !== op) return null;
  const real = await call.forward();
  const answer = JSON.parse(real.text);
  const spoiled = spoil(answer);
  return typeof spoiled === "string" ? raw(spoiled, real.status) : json(spoiled ?? answer, real.status);
};
/** The real PASSWORD_VERIFIER challenge with its parameters changed. */
const challenge = (change) => spoilAnswer("InitiateAuth", (a) => {
  change(a.ChallengeParameters);
  return a;
});
/** The real tokens (the answer to RespondToAuthChallenge) changed. */
const tokens = (change) => spoilAnswer("RespondToAuthChallenge", (a) => {
  change(a.AuthenticationResult, a);
  return a;
});

const retried = MAX_RETRIES + 1;

// ---- the matrix -----------------------------------------------------------------------------
// call: which method is made to fail. expect: { code, status?, retryable, counts? } or { ok: true }.
const signIn = (auth) => auth.signIn({ username, password: PASSWORD });
const refresh = (auth) => auth.refreshSession();
const signUp = (auth) => auth.signUp({ username: `never-${Date.now()}`, password: PASSWORD, attributes: { email: "n@example.com" } });
const confirmSignUp = (auth) => auth.confirmSignUp({ username, code: "123456" });
const forgotPassword = (auth) => auth.forgotPassword({ username });
const resendCode = (auth) => auth.resendConfirmationCode({ username });
const confirmForgot = (auth) => auth.confirmForgotPassword({ username, code: "654321", newPassword: PASSWORD });

const INVALID = { code: "InvalidResponseError", retryable: false };
const SRP = { code: "SrpError", retryable: false };
const NETWORK = { code: "NetworkError", retryable: true };
const TIMEOUT = { code: "TimeoutError", retryable: true };

const CASES = [
  // 1. Bodies that are not Cognito's JSON (InitiateAuth of SRP sign-in).
  { name: "malformed JSON", call: signIn, script: on("InitiateAuth", raw('{"ChallengeName": "PASSWORD_VERIFIER",')), expect: INVALID },
  { name: "truncated JSON (real answer cut in half)", call: signIn, script: spoilAnswer("InitiateAuth", (a) => JSON.stringify(a).slice(0, 200)), expect: INVALID },
  { name: "HTML page with 200", call: signIn, script: on("InitiateAuth", raw("<html><body>Welcome</body></html>", 200, { "content-type": "text/html" })), expect: INVALID },
  { name: "empty body with 200", call: signIn, script: on("InitiateAuth", raw("")), expect: INVALID },
  { name: "JSON null", call: signIn, script: on("InitiateAuth", raw("null")), expect: INVALID },
  { name: "JSON array", call: signIn, script: on("InitiateAuth", raw("[]")), expect: INVALID },
  { name: "JSON string", call: signIn, script: on("InitiateAuth", raw('"PASSWORD_VERIFIER"')), expect: INVALID },
  { name: "empty object (neither tokens nor challenge)", call: signIn, script: on("InitiateAuth", json({})), expect: INVALID },
  { name: "binary garbage", call: signIn, script: on("InitiateAuth", { status: 200, body: Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x7b]) }), expect: INVALID },
  { name: "10 MB body (the real answer, padded)", call: signIn, script: spoilAnswer("InitiateAuth", (a) => ({ ...a, Padding: "a".repeat(10 * 1024 * 1024) })), expect: { ...INVALID, message: /over the 1048576-byte limit/ } },
  { name: "1 MiB + 1 byte body (the real answer, padded)", call: signIn, script: spoilAnswer("InitiateAuth", (a) => { const text = JSON.stringify({ ...a, Padding: "" }); return text.slice(0, -2) + "a".repeat((1 << 20) + 1 - text.length) + '"}'; }), expect: { ...INVALID, message: /over the 1048576-byte limit/ } },
  { name: "exactly 1 MiB body: accepted", call: signIn, script: spoilAnswer("InitiateAuth", (a) => { const text = JSON.stringify({ ...a, Padding: "" }); return text.slice(0, -2) + "a".repeat((1 << 20) - text.length) + '"}'; }), expect: { ok: true } },
  { name: "10 MB error body with 400", call: signIn, script: on("InitiateAuth", raw("e".repeat(10 * 1024 * 1024), 400)), expect: { ...INVALID, message: /limit/ } },
  { name: "ChallengeParameters null", call: signIn, script: on("InitiateAuth", json({ ChallengeName: "PASSWORD_VERIFIER", ChallengeParameters: null })), expect: INVALID },
  { name: "ChallengeParameters with a number", call: signIn, script: challenge((p) => { p.SRP_B = 5; }), expect: INVALID },
  { name: "ChallengeName is a number", call: signIn, script: on("InitiateAuth", json({ ChallengeName: 7 })), expect: INVALID },

  // 2. Content types and unexpected fields: valid JSON is accepted whatever the Content-Type.
  { name: "valid answers as text/plain", call: signIn, script: async (call) => { const r = await call.forward(); return raw(r.text, r.status, { "content-type": "text/plain" }); }, expect: { ok: true } },
  { name: "valid answers as text/html", call: signIn, script: async (call) => { const r = await call.forward(); return raw(r.text, r.status, { "content-type": "text/html" }); }, expect: { ok: true } },
  { name: "valid answers with unexpected extra fields", call: signIn, script: async (call) => { const r = await call.forward(); return json({ ...JSON.parse(r.text), Surprise: { nested: [1, 2] }, __proto__x: 1 }, r.status); }, expect: { ok: true } },
  { name: "unknown challenge name", call: signIn, script: on("InitiateAuth", json({ ChallengeName: "CUSTOM_CHALLENGE", Session: "s", ChallengeParameters: { USERNAME: "x" } })), expect: { ok: true, challenge: "CUSTOM_CHALLENGE" } },

  // 3. Poisoned PASSWORD_VERIFIER challenges: refused before any computation with them.
  { name: "SRP_B missing", call: signIn, script: challenge((p) => { delete p.SRP_B; }), expect: SRP },
  { name: "SALT missing", call: signIn, script: challenge((p) => { delete p.SALT; }), expect: SRP },
  { name: "SECRET_BLOCK missing", call: signIn, script: challenge((p) => { delete p.SECRET_BLOCK; }), expect: SRP },
  { name: "USER_ID_FOR_SRP missing", call: signIn, script: challenge((p) => { delete p.USER_ID_FOR_SRP; }), expect: SRP },
  { name: "USER_ID_FOR_SRP empty", call: signIn, script: challenge((p) => { p.USER_ID_FOR_SRP = ""; }), expect: SRP },
  { name: "SRP_B not hex", call: signIn, script: challenge((p) => { p.SRP_B = "xyz"; }), expect: SRP },
  { name: "SRP_B with 0x prefix", call: signIn, script: challenge((p) => { p.SRP_B = "0x" + p.SRP_B; }), expect: SRP },
  { name: "SRP_B negative", call: signIn, script: challenge((p) => { p.SRP_B = "-" + p.SRP_B; }), expect: SRP },
  { name: "SRP_B empty", call: signIn, script: challenge((p) => { p.SRP_B = ""; }), expect: SRP },
  { name: "SRP_B = 0", call: signIn, script: challenge((p) => { p.SRP_B = "0"; }), expect: SRP },
  { name: "SRP_B = 000…0 (768 zeros)", call: signIn, script: challenge((p) => { p.SRP_B = "0".repeat(768); }), expect: SRP },
  { name: "SRP_B = N", call: signIn, script: challenge((p) => { p.SRP_B = hex(N); }), expect: SRP },
  { name: "SRP_B = 2N", call: signIn, script: challenge((p) => { p.SRP_B = hex(2n * N); }), expect: SRP },
  { name: "SRP_B = 7N", call: signIn, script: challenge((p) => { p.SRP_B = hex(7n * N); }), expect: SRP },
  { name: "SRP_B = N + real B (≥ N)", call: signIn, script: challenge((p) => { p.SRP_B = hex(N + BigInt("0x" + p.SRP_B)); }), expect: SRP },
  { name: "SRP_B longer than N (1024 digits)", call: signIn, script: challenge((p) => { p.SRP_B = "f".repeat(1024); }), expect: SRP },
  { name: "SRP_B 1 MB of digits", call: signIn, script: challenge((p) => { p.SRP_B = "1".repeat(1 << 19); }), expect: SRP },
  { name: "SRP_B with a space", call: signIn, script: challenge((p) => { p.SRP_B = p.SRP_B.slice(0, 10) + " " + p.SRP_B.slice(10); }), expect: SRP },
  { name: "SRP_B in full-width digits", call: signIn, script: challenge((p) => { p.SRP_B = "１２３"; }), expect: SRP },
  { name: "SALT empty", call: signIn, script: challenge((p) => { p.SALT = ""; }), expect: SRP },
  { name: "SALT with a leading '-'", call: signIn, script: challenge((p) => { p.SALT = "-" + p.SALT; }), expect: SRP },
  { name: "SALT not hex", call: signIn, script: challenge((p) => { p.SALT = "salty"; }), expect: SRP },
  { name: "SECRET_BLOCK not base64", call: signIn, script: challenge((p) => { p.SECRET_BLOCK = "!!not base64!!"; }), expect: SRP },
  { name: "SECRET_BLOCK base64url alphabet", call: signIn, script: challenge((p) => { p.SECRET_BLOCK = "ab-_cd=="; }), expect: SRP },
  { name: "SECRET_BLOCK with bad padding", call: signIn, script: challenge((p) => { p.SECRET_BLOCK = "abc"; }), expect: SRP },
  // A SALT or SECRET_BLOCK that is well-formed but not the server's: the answer is wrong, so
  // Cognito (the emulator) refuses it; the client itself has nothing to refuse.
  { name: "SALT well-formed but wrong", call: signIn, script: challenge((p) => { p.SALT = "00"; }), expect: { code: "NotAuthorizedException", status: 400, retryable: false } },

  // 4. Tokens that are not what Cognito issues (answer to PASSWORD_VERIFIER).
  { name: "tokens that are not JWTs", call: signIn, script: tokens((r) => { r.IdToken = "not-a-jwt"; r.AccessToken = "nope"; }), expect: INVALID },
  { name: "ID token payload not base64url", call: signIn, script: tokens((r) => { r.IdToken = "a.!!!.c"; }), expect: INVALID },
  { name: "access token payload a JSON array", call: signIn, script: tokens((r) => { r.AccessToken = `a.${b64url("[1,2]")}.c`; }), expect: INVALID },
  { name: "token without exp", call: signIn, script: tokens((r) => { r.AccessToken = fakeJwt({ username }); }), expect: INVALID },
  { name: "tokens naming no user", call: signIn, script: tokens((r) => { r.AccessToken = fakeJwt({ exp: FAR }); r.IdToken = fakeJwt({ exp: FAR }); }), expect: INVALID },
  { name: "IdToken missing", call: signIn, script: tokens((r) => { delete r.IdToken; }), expect: INVALID },
  { name: "AccessToken missing", call: signIn, script: tokens((r) => { delete r.AccessToken; }), expect: INVALID },
  { name: "AuthenticationResult a string", call: signIn, script: tokens((r, a) => { a.AuthenticationResult = r.AccessToken; }), expect: INVALID },
  { name: "ExpiresIn a string", call: signIn, script: tokens((r) => { r.ExpiresIn = "3600"; }), expect: INVALID },
  // ExpiresIn is not used: expiry comes from the tokens' own exp (and iat for the clock drift).
  { name: "ExpiresIn 0", call: signIn, script: tokens((r) => { r.ExpiresIn = 0; }), expect: { ok: true, validSession: true } },
  { name: "ExpiresIn negative", call: signIn, script: tokens((r) => { r.ExpiresIn = -3600; }), expect: { ok: true, validSession: true } },

  // 5. Errors over HTTP.
  { name: "Cognito error JSON (control)", call: signIn, script: on("InitiateAuth", cognitoError("NotAuthorizedException")), expect: { code: "NotAuthorizedException", status: 400, retryable: false, counts: { InitiateAuth: 1 } } },
  { name: "HTML 400 with x-amzn-errortype", call: signIn, script: on("InitiateAuth", { ...html(400), headers: { "content-type": "text/html", "x-amzn-errortype": "LimitExceededException:http://internal/" } }), expect: { code: "LimitExceededException", status: 400, retryable: false } },
  { name: "HTML 403 (a WAF page)", call: signIn, script: on("InitiateAuth", html(403)), expect: { code: "UnknownError", status: 403, retryable: false, counts: { InitiateAuth: 1 } } },
  { name: "__type that is markup", call: signIn, script: on("InitiateAuth", json({ __type: "<script>alert(1)</script>", message: "x" }, 400)), expect: { code: "UnknownError", status: 400, retryable: false } },
  { name: "HTML 502 on InitiateAuth: retried (idempotent)", call: signIn, script: on("InitiateAuth", html(502)), expect: { code: "UnknownError", status: 502, retryable: true, counts: { InitiateAuth: retried } } },
  { name: "one 503 on InitiateAuth, then honest", call: signIn, script: on("InitiateAuth", html(503), 1), expect: { ok: true, counts: { InitiateAuth: 2, RespondToAuthChallenge: 1 } } },
  { name: "500 on RespondToAuthChallenge: not retried", call: signIn, script: on("RespondToAuthChallenge", cognitoError("InternalErrorException", 500)), expect: { code: "InternalErrorException", status: 500, retryable: true, counts: { InitiateAuth: 1, RespondToAuthChallenge: 1 } } },

  // 6. Redirects: fetch runs with redirect: "error", so the body (a password, a token) is never resent.
  ...[301, 302, 303, 307, 308].map((status) => ({
    name: `${status} redirect`, call: signIn,
    script: on("InitiateAuth", () => ({ redirect: { status, location: "/elsewhere" } })),
    expect: { ...NETWORK, counts: { InitiateAuth: retried, "path:/elsewhere": 0 } },
  })),
  { name: "307 redirect on refresh", call: refresh, script: on("GetTokensFromRefreshToken", () => ({ redirect: { status: 307, location: "/elsewhere" } })), expect: { ...NETWORK, counts: { "path:/elsewhere": 0 } } },

  // 7. Connections that break, answers that do not come.
  { name: "connection reset before the answer", call: signIn, script: on("InitiateAuth", { destroy: true }), expect: { ...NETWORK, counts: { InitiateAuth: retried } } },
  { name: "connection reset mid-body", call: signIn, script: on("InitiateAuth", { ...raw(`{"ChallengeName":"PASSWORD_VERIFIER","Session":"${"s".repeat(4000)}"}`), destroyAfterBytes: 100 }), expect: { ...NETWORK, counts: { InitiateAuth: retried } } },
  { name: "reset on RespondToAuthChallenge: not retried", call: signIn, script: on("RespondToAuthChallenge", { destroy: true }), expect: { ...NETWORK, counts: { RespondToAuthChallenge: 1 } } },
  { name: "answer slower than the timeout", call: signIn, script: on("InitiateAuth", { ...json({}), delayMs: SLOW_MS }), expect: { ...TIMEOUT, counts: { InitiateAuth: retried } } },
  { name: "headers in time, body stalls past the timeout", call: signIn, script: on("InitiateAuth", { ...json({ ChallengeName: "PASSWORD_VERIFIER" }), stallBodyMs: SLOW_MS }), expect: { ...TIMEOUT, counts: { InitiateAuth: retried } } },
  { name: "slow RespondToAuthChallenge: not retried", call: signIn, script: on("RespondToAuthChallenge", { ...json({}), delayMs: SLOW_MS }), expect: { ...TIMEOUT, counts: { RespondToAuthChallenge: 1 } } },

  // 8. Throttling: retried with backoff for every operation, up to maxRetries.
  { name: "429 burst shorter than maxRetries", call: signIn, script: on("InitiateAuth", raw("Too Many Requests", 429), MAX_RETRIES), expect: { ok: true, counts: { InitiateAuth: retried } } },
  { name: "429 burst longer than maxRetries", call: signIn, script: on("InitiateAuth", raw("Too Many Requests", 429)), expect: { code: "TooManyRequestsException", status: 429, retryable: true, counts: { InitiateAuth: retried } } },
  { name: "TooManyRequestsException burst on RespondToAuthChallenge", call: signIn, script: on("RespondToAuthChallenge", cognitoError("TooManyRequestsException"), MAX_RETRIES), expect: { ok: true, counts: { RespondToAuthChallenge: retried } } },
  { name: "ThrottlingException burst on SignUp, exhausted", call: signUp, script: on("SignUp", cognitoError("ThrottlingException")), expect: { code: "ThrottlingException", status: 400, retryable: true, counts: { SignUp: retried } } },
  { name: "429 once on ForgotPassword, then honest", call: forgotPassword, script: on("ForgotPassword", raw("", 429), 1), expect: { ok: true, counts: { ForgotPassword: 2 } } },

  // 9. Refresh (GetTokensFromRefreshToken, the default refreshFlow): any failure that is not Cognito
  //    refusing the token keeps the stored session; only UnknownOperationException falls back.
  { name: "refresh: malformed JSON", call: refresh, script: on("GetTokensFromRefreshToken", raw("{")), expect: INVALID },
  { name: "refresh: no AuthenticationResult", call: refresh, script: on("GetTokensFromRefreshToken", json({ ChallengeParameters: {} })), expect: INVALID },
  { name: "refresh: tokens that are not JWTs", call: refresh, script: on("GetTokensFromRefreshToken", json({ AuthenticationResult: { AccessToken: "x", IdToken: "y", ExpiresIn: 3600 } })), expect: INVALID },
  { name: "refresh: 500 every time", call: refresh, script: on("GetTokensFromRefreshToken", cognitoError("InternalErrorException", 500)), expect: { code: "InternalErrorException", status: 500, retryable: true, counts: { GetTokensFromRefreshToken: retried } } },
  { name: "refresh: connection reset", call: refresh, script: on("GetTokensFromRefreshToken", { destroy: true }), expect: { ...NETWORK, counts: { GetTokensFromRefreshToken: retried } } },
  { name: "refresh: slower than the timeout", call: refresh, script: on("GetTokensFromRefreshToken", { ...json({}), delayMs: SLOW_MS }), expect: TIMEOUT },
  { name: "refresh: 429 burst exhausted", call: refresh, script: on("GetTokensFromRefreshToken", raw("", 429)), expect: { code: "TooManyRequestsException", status: 429, retryable: true } },

  { name: "refresh: UnknownOperationException falls back to REFRESH_TOKEN_AUTH (500 there)", call: refresh, script: (c) => (c.op === "GetTokensFromRefreshToken" ? cognitoError("UnknownOperationException") : c.op === "InitiateAuth" ? cognitoError("InternalErrorException", 500) : null), expect: { code: "InternalErrorException", status: 500, retryable: true, counts: { GetTokensFromRefreshToken: 1, InitiateAuth: retried } } },
  { name: "refresh: HTML 404 on GetTokensFromRefreshToken is no reason to fall back", call: refresh, script: on("GetTokensFromRefreshToken", html(404)), expect: { code: "UnknownError", status: 404, retryable: false, counts: { GetTokensFromRefreshToken: 1, InitiateAuth: 0 } } },
  { name: "refresh: REFRESH_TOKEN_AUTH flow, malformed JSON", call: (auth) => new CognitoAuth({ userPoolId: emu.cfg.userPoolId, clientId: emu.cfg.clientId, endpoint: stub.url, storage: auth.storage, maxRetries: MAX_RETRIES, refreshFlow: "REFRESH_TOKEN_AUTH" }).refreshSession(), script: on("InitiateAuth", raw("{")), expect: { ...INVALID, counts: { InitiateAuth: 1, GetTokensFromRefreshToken: 0 } } },

  // 10. The other operations: wrong shapes, and 5xx/resets/timeouts never retried (a code, once).
  { name: "SignUp: UserSub missing", call: signUp, script: on("SignUp", json({ UserConfirmed: false })), expect: INVALID },
  { name: "SignUp: UserConfirmed a string", call: signUp, script: on("SignUp", json({ UserConfirmed: "yes", UserSub: "s" })), expect: INVALID },
  { name: "SignUp: 500 not retried", call: signUp, script: on("SignUp", html(500)), expect: { code: "UnknownError", status: 500, retryable: true, counts: { SignUp: 1 } } },
  { name: "SignUp: reset not retried", call: signUp, script: on("SignUp", { destroy: true }), expect: { ...NETWORK, counts: { SignUp: 1 } } },
  { name: "ConfirmSignUp: empty 200 body", call: confirmSignUp, script: on("ConfirmSignUp", raw("")), expect: INVALID },
  { name: "ConfirmSignUp: 503 not retried", call: confirmSignUp, script: on("ConfirmSignUp", html(503)), expect: { code: "UnknownError", status: 503, retryable: true, counts: { ConfirmSignUp: 1 } } },
  { name: "ForgotPassword: CodeDeliveryDetails a string", call: forgotPassword, script: on("ForgotPassword", json({ CodeDeliveryDetails: "email" })), expect: INVALID },
  { name: "ResendConfirmationCode: timeout not retried", call: resendCode, script: on("ResendConfirmationCode", { ...json({}), delayMs: SLOW_MS }), expect: { ...TIMEOUT, counts: { ResendConfirmationCode: 1 } } },
  { name: "ConfirmForgotPassword: 502 not retried", call: confirmForgot, script: on("ConfirmForgotPassword", html(502)), expect: { code: "UnknownError", status: 502, retryable: true, counts: { ConfirmForgotPassword: 1 } } },
];

// ---- the harness ----------------------------------------------------------------------------

const secretsIn = (text) =>
  [PASSWORD, "123456", "654321", SEEDED.refresh, SEEDED.access, SEEDED.id].filter((s) => text.includes(s));

before(async () => {
  emu = await emulator();
  stub = await startStub({ upstream: emu.endpoint });
  username = `hostile-${Date.now()}`;
  const auth = new CognitoAuth({ userPoolId: emu.cfg.userPoolId, clientId: emu.cfg.clientId, endpoint: emu.endpoint });
  await auth.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  await auth.confirmSignUp({ username, code: await emulatorCode(emu.endpoint, emu.cfg.userPoolId, username) });
});

after(async () => {
  await stub?.close();
  emu?.stop();
});

test("the matrix has at least 50 cases with distinct names", () => {
  assert.ok(CASES.length >= 50, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
});

for (const c of CASES) {
  test(`hostile: ${c.name}`, async () => {
    const storage = seededStorage(emu.cfg.clientId);
    const logged = [];
    const originalError = console.error, originalWarn = console.warn, originalLog = console.log;
    console.error = console.warn = console.log = (...args) => logged.push(args.map(String).join(" "));
    const auth = new CognitoAuth({
      userPoolId: emu.cfg.userPoolId, clientId: emu.cfg.clientId, endpoint: stub.url,
      storage, maxRetries: MAX_RETRIES, timeoutMs: TIMEOUT_MS,
    });
    const beforeSnapshot = storage.snapshot();
    stub.resetCounts();
    stub.script(c.script);
    let outcome;
    try {
      outcome = await c.call(auth).then((value) => ({ value }), (error) => ({ error }));
    } finally {
      stub.honest();
      console.error = originalError; console.warn = originalWarn; console.log = originalLog;
    }
    const { expect } = c;
    if (expect.ok) {
      assert.equal(outcome.error, undefined, `expected success, got ${outcome.error?.name}: ${outcome.error?.message}`);
      if (expect.challenge) assert.equal(outcome.value.challenge, expect.challenge);
      if (expect.validSession) {
        assert.equal(outcome.value.signedIn, true);
        assert.ok(outcome.value.session.expiresAt > Date.now() + 60_000, "expiry from the token's exp, not ExpiresIn");
      }
    } else {
      const e = outcome.error;
      assert.ok(e, `expected ${expect.code}, the call succeeded`);
      assert.ok(e instanceof Error, "rejects with an Error");
      assert.equal(e.code, expect.code, `code (message: ${e.message})`);
      assert.equal(e.name, e.code);
      assert.equal(typeof e.retryable, "boolean");
      assert.equal(e.retryable, expect.retryable, "retryable");
      if (expect.status !== undefined) assert.equal(e.status, expect.status, "status");
      if (expect.message) assert.match(e.message, expect.message);
      assert.deepEqual(secretsIn(`${e.message} ${e.stack ?? ""}`), [], "no secret in the error");
      // Unless the call itself stores a session, what is stored is byte-identical.
      assert.equal(storage.snapshot(), beforeSnapshot, "stored session unchanged");
    }
    assert.deepEqual(logged.flatMap(secretsIn), [], "no secret on the console");
    for (const [op, n] of Object.entries(expect.counts ?? {})) assert.equal(stub.count(op), n, `requests for ${op}`);

    // The same instance works right after.
    const next = await auth.signIn({ username, password: PASSWORD });
    assert.equal(next.signedIn, true);
    assert.equal(next.session.claims["cognito:username"], username);
    assert.equal((await auth.getSession()).accessToken, next.session.accessToken);
  });
}

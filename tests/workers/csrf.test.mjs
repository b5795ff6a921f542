// Issue 21, finding 1: login CSRF and logout CSRF on CognitoWorkerAuth's edge routes, in workerd
// (miniflare) against the local Cognito emulator. The attack of the review: a page on another
// origin (a sibling subdomain of the same site, so SameSite=Lax cookies still flow) sends
// `fetch(url, { method: "POST", mode: "no-cors", credentials: "include" })` with
// `Content-Type: text/plain;charset=application/json` (no CORS preflight: its essence is
// text/plain). The worker used to sign the victim in as the attacker (200, five cookies) and to
// sign the victim out. Now both routes refuse such requests with a typed 403, sign-in requires
// the media type application/json, and `allowedOrigins` lets a split front end in (with CORS).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cognito, cookieHeader, createUser, emulator, startWorker } from "./helpers.mjs";

const PASSWORD = "Csrf-Pa55word!";
const FRONT = "https://front.example.com";
const WORKER = `
import { CognitoWorkerAuth } from "cognito-wasm";
let plain, split;
const handler = (request, env, ctx, { claims }) => Response.json({ username: claims.username });
export default {
  async fetch(request, env, ctx) {
    const options = { userPoolId: env.POOL, clientId: env.CLIENT_ID, endpoint: env.ENDPOINT };
    plain ??= new CognitoWorkerAuth(options).wrap(handler);
    split ??= new CognitoWorkerAuth({ ...options, allowedOrigins: [${JSON.stringify(FRONT)}] }).wrap(handler);
    return (new URL(request.url).hostname === "api.split.test" ? split : plain)(request, env, ctx);
  },
};`;
let emu, worker;

before(async () => {
  emu = await emulator();
  worker = await startWorker(WORKER, { bindings: { POOL: emu.config.userPoolId, CLIENT_ID: emu.config.clientId, ENDPOINT: emu.endpoint } });
});
after(async () => {
  await worker?.dispose();
  await emu?.stop();
});

async function post(path, { host = "app.test", headers = {}, body, cookie, method = "POST" } = {}) {
  const r = await worker.dispatchFetch(`http://${host}${path}`, {
    method, redirect: "manual", body: body === undefined ? undefined : JSON.stringify(body),
    headers: { ...(cookie ? { cookie } : {}), ...headers },
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, setCookie: r.headers.getSetCookie(), body: r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

const JSON_TYPE = { "content-type": "application/json" };
const SAME_ORIGIN = { ...JSON_TYPE, "sec-fetch-site": "same-origin" };
const ATTACK = { "content-type": "text/plain;charset=application/json", "sec-fetch-site": "same-site", origin: "http://evil.app.test" };

function assertRefused(answer, check) {
  assert.equal(answer.status, 403, JSON.stringify(answer.body));
  assert.deepEqual([answer.body.error, answer.body.check], ["CrossOriginRequest", check]);
  assert.equal(typeof answer.body.message, "string");
  assert.deepEqual(answer.setCookie, [], "no cookie set or cleared");
}

test("login CSRF: the review's exact request (text/plain;charset=application/json from a sibling origin) is refused", async () => {
  const attacker = await createUser(emu, "attacker", PASSWORD);
  const credentials = { username: attacker, password: PASSWORD };
  assertRefused(await post("/auth/sign-in", { headers: ATTACK, body: credentials }), "SecFetchSite");
  assertRefused(await post("/auth/sign-in", { headers: { ...ATTACK, "sec-fetch-site": "cross-site", origin: "https://evil.example" }, body: credentials }), "SecFetchSite");
  assertRefused(await post("/auth/sign-in", { headers: { ...JSON_TYPE, "sec-fetch-site": "none" }, body: credentials }), "SecFetchSite");
  // Browsers without Sec-Fetch-Site: the Origin decides; a request with neither is refused.
  assertRefused(await post("/auth/sign-in", { headers: { ...JSON_TYPE, origin: "http://evil.app.test" }, body: credentials }), "Origin");
  assertRefused(await post("/auth/sign-in", { headers: { ...JSON_TYPE, origin: "null" }, body: credentials }), "Origin");
  assertRefused(await post("/auth/sign-in", { headers: JSON_TYPE, body: credentials }), "MissingOrigin");
});

test("sign-in parses the media type: only the essence application/json, from this origin, signs in", async () => {
  const username = await createUser(emu, "victim", PASSWORD);
  const credentials = { username, password: PASSWORD };
  for (const type of ["text/plain;charset=application/json", "text/plain; application/json", "application/json, text/plain", "application/jsonx"]) {
    const answer = await post("/auth/sign-in", { headers: { ...SAME_ORIGIN, "content-type": type }, body: credentials });
    assert.equal(answer.status, 415, type);
    assert.equal(answer.body.error, "UnsupportedMediaType");
    assert.deepEqual(answer.setCookie, []);
  }
  for (const headers of [SAME_ORIGIN, { ...SAME_ORIGIN, "content-type": "Application/JSON; charset=utf-8" }, { ...JSON_TYPE, origin: "http://app.test" }]) {
    const answer = await post("/auth/sign-in", { headers, body: credentials });
    assert.equal(answer.status, 200, JSON.stringify([headers, answer.body]));
    assert.equal(answer.setCookie.length, 5);
  }
});

test("logout CSRF: a cross-site sign-out is refused and the session survives; sign-out without a session revokes nothing", async () => {
  const username = await createUser(emu, "victim", PASSWORD);
  const signedIn = await post("/auth/sign-in", { headers: SAME_ORIGIN, body: { username, password: PASSWORD } });
  assert.equal(signedIn.status, 200);
  const cookie = cookieHeader(signedIn.setCookie);
  for (const headers of [{ "sec-fetch-site": "same-site", origin: "http://evil.app.test" }, { "sec-fetch-site": "cross-site" }, { origin: "https://evil.example" }, {}]) {
    const answer = await post("/auth/sign-out", { headers, cookie });
    assert.equal(answer.status, 403, JSON.stringify(headers));
    assert.deepEqual(answer.setCookie, []);
  }
  const stillIn = await post("/api/me", { method: "GET", cookie });
  assert.deepEqual([stillIn.status, stillIn.body.username], [200, username]);

  const out = await post("/auth/sign-out", { headers: { "sec-fetch-site": "same-origin" }, cookie });
  assert.deepEqual([out.status, out.body], [200, { signedOut: true, revoked: true }]);
  const none = await post("/auth/sign-out", { headers: { "sec-fetch-site": "same-origin" } });
  assert.deepEqual([none.status, none.body], [200, { signedOut: true, revoked: false }]);
});

test("allowedOrigins: a split front end gets CORS answers; other origins are still refused", async () => {
  const username = await createUser(emu, "split", PASSWORD);
  const preflight = await post("/auth/sign-in", { host: "api.split.test", method: "OPTIONS",
    headers: { origin: FRONT, "access-control-request-method": "POST", "access-control-request-headers": "content-type" } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get("access-control-allow-origin"), FRONT);
  assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
  assert.match(preflight.headers.get("access-control-allow-headers"), /content-type/);

  const signedIn = await post("/auth/sign-in", { host: "api.split.test", headers: { ...JSON_TYPE, "sec-fetch-site": "same-site", origin: FRONT },
    body: { username, password: PASSWORD } });
  assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
  assert.equal(signedIn.headers.get("access-control-allow-origin"), FRONT);
  assert.equal(signedIn.setCookie.length, 5);

  assertRefused(await post("/auth/sign-in", { host: "api.split.test", headers: { ...JSON_TYPE, "sec-fetch-site": "same-site", origin: "https://evil.example.com" },
    body: { username, password: PASSWORD } }), "SecFetchSite");
  const foreignPreflight = await post("/auth/sign-in", { host: "api.split.test", method: "OPTIONS", headers: { origin: "https://evil.example.com" } });
  assert.equal(foreignPreflight.status, 405);
  assert.equal(foreignPreflight.headers.get("access-control-allow-origin"), null);
  // The plain worker (no allowedOrigins) does not let the front end in.
  assertRefused(await post("/auth/sign-in", { headers: { ...JSON_TYPE, "sec-fetch-site": "cross-site", origin: FRONT }, body: { username, password: PASSWORD } }), "SecFetchSite");
});

test("allowedOrigins entries must be origins", async () => {
  const { CognitoWorkerAuth } = await import("../../pkg/node.js");
  for (const bad of ["https://front.example.com/", "front.example.com", "https://front.example.com/path", "null"]) {
    assert.throws(() => new CognitoWorkerAuth({ userPoolId: "us-east-1_Csrf", clientId: "c", allowedOrigins: [bad] }), { name: "InvalidParameterError" }, bad);
  }
});

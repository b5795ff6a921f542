// The example Worker (examples/worker/src/index.js) in workerd (miniflare, KV bound) against the
// local Cognito emulator: SRP sign-in at the edge, cookie and Bearer authentication, the refresh of
// an expired access token through the refresh-token cookie (public and secret app clients), the
// redirect of pages, sign-out.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cognito, cookieHeader, createUser, emulator, readSource, startWorker } from "./helpers.mjs";

const PASSWORD = "Corr3ct-Horse!Ω";
let emu, publicWorker, secretWorker;

const setTokenTtl = (seconds) =>
  fetch(new URL("_emulator/token-ttl", emu.endpoint), { method: "POST", body: JSON.stringify({ seconds }), headers: { "content-type": "application/json" } });
// Refresh calls of either kind (GetTokensFromRefreshToken is the default refreshFlow).
const refreshCount = async () => {
  const stats = await (await fetch(new URL("_emulator/stats", emu.endpoint))).json();
  return (stats.authFlows?.REFRESH_TOKEN_AUTH ?? 0) + (stats.operations?.GetTokensFromRefreshToken ?? 0);
};

before(async () => {
  emu = await emulator();
  const source = await readSource("examples/worker/src/index.js");
  const vars = { USER_POOL_ID: emu.config.userPoolId, COGNITO_ENDPOINT: emu.endpoint };
  publicWorker = await startWorker(source, { kv: "VISITS", bindings: { ...vars, CLIENT_ID: emu.config.clientId } });
  secretWorker = await startWorker(source, {
    kv: "VISITS",
    bindings: { ...vars, CLIENT_ID: emu.config.secretClientId, CLIENT_SECRET: emu.config.clientSecret },
  });
});

after(async () => {
  await setTokenTtl(3600).catch(() => {});
  await publicWorker?.dispose();
  await secretWorker?.dispose();
  await emu?.stop();
});

async function send(worker, path, { method = "GET", cookie, headers = {}, body } = {}) {
  const r = await worker.dispatchFetch(`http://worker.test${path}`, {
    method, redirect: "manual", body: body && JSON.stringify(body),
    // A POST as the example's own page sends it (the edge routes refuse other origins).
    headers: { ...(method === "POST" ? { "sec-fetch-site": "same-origin" } : {}), ...(cookie ? { cookie } : {}),
      ...(body ? { "content-type": "application/json" } : {}), ...headers },
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, setCookie: r.headers.getSetCookie(), body: text && r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

const signIn = (worker, username, password = PASSWORD) => send(worker, "/auth/sign-in", { method: "POST", body: { username, password } });
const cookieNamed = (lines, suffix) => lines.find((l) => l.split("=")[0].endsWith(suffix));

test("edge sign-in: a good password sets HttpOnly session cookies; a bad one is 401 without cookies", async () => {
  const username = await createUser(emu, "edge", PASSWORD);
  const bad = await signIn(publicWorker, username, "Wrong-Passw0rd!");
  assert.equal(bad.status, 401);
  assert.equal(bad.body.error, "NotAuthorizedException");
  assert.deepEqual(bad.setCookie, []);

  const good = await signIn(publicWorker, username);
  assert.equal(good.status, 200, JSON.stringify(good.body));
  assert.deepEqual([good.body.signedIn, good.body.username], [true, username]);
  const prefix = `CognitoIdentityServiceProvider.${emu.config.clientId}`;
  const names = good.setCookie.map((l) => l.split("=")[0]).sort();
  assert.deepEqual(names, [
    `${prefix}.LastAuthUser`,
    ...["accessToken", "clockDrift", "idToken", "refreshToken"].map((k) => `${prefix}.${username}.${k}`),
  ].sort());
  for (const line of good.setCookie) assert.match(line, /; Max-Age=2592000; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
  assert.equal(good.body.password, undefined);

  const notJson = await send(publicWorker, "/auth/sign-in", { method: "POST", headers: { "content-type": "text/plain" } });
  assert.equal(notJson.status, 415);
});

test("a valid session → 200 with its claims, by cookie and by Bearer; none → 401 JSON or a redirect for pages", async () => {
  const username = await createUser(emu, "edge", PASSWORD);
  const cookie = cookieHeader((await signIn(publicWorker, username)).setCookie);
  const byCookie = await send(publicWorker, "/api/me", { cookie });
  assert.equal(byCookie.status, 200, JSON.stringify(byCookie.body));
  assert.deepEqual([byCookie.body.username, byCookie.body.visits, byCookie.body.refreshed], [username, 1, false]);
  assert.equal(byCookie.body.claims.token_use, "access");
  assert.deepEqual(byCookie.setCookie, []);

  const access = decodeURIComponent(cookie.split("; ").find((c) => c.split("=")[0].endsWith(".accessToken")).split("=")[1]);
  const byBearer = await send(publicWorker, "/api/me", { headers: { authorization: `Bearer ${access}` } });
  assert.deepEqual([byBearer.status, byBearer.body.visits], [200, 2], "KV counted both visits");

  const api = await send(publicWorker, "/api/me");
  assert.deepEqual([api.status, api.body.check], [401, "MissingToken"]);
  const page = await send(publicWorker, "/", { headers: { accept: "text/html,application/xhtml+xml" } });
  assert.deepEqual([page.status, page.headers.get("location")], [302, "/sign-in"]);
});

for (const [name, worker] of [["public", () => publicWorker], ["secret", () => secretWorker]]) {
  test(`an expired access token + a valid refresh cookie → 200 and new cookies (${name} client)`, async () => {
    const username = await createUser(emu, "edge", PASSWORD);
    await setTokenTtl(1);
    let first;
    try {
      first = await signIn(worker(), username);
    } finally {
      await setTokenTtl(3600);
    }
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const cookie = cookieHeader(first.setCookie);
    await new Promise((resolve) => setTimeout(resolve, 2100));

    const refreshesBefore = await refreshCount();
    const refreshed = await send(worker(), "/api/me", { cookie });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body.refreshed, true);
    assert.equal(await refreshCount(), refreshesBefore + 1);
    const oldAccess = cookieNamed(first.setCookie, ".accessToken").split(";")[0];
    const newAccess = cookieNamed(refreshed.setCookie, ".accessToken");
    assert.ok(newAccess, "a new access-token cookie");
    assert.notEqual(newAccess.split(";")[0], oldAccess);
    assert.match(newAccess, /HttpOnly/);

    const next = await send(worker(), "/api/me", { cookie: cookieHeader(refreshed.setCookie, cookie) });
    assert.deepEqual([next.status, next.body.refreshed], [200, false], "the new cookies work without a refresh");
  });
}

test("sign-out revokes the refresh token and clears every cookie; the dead refresh token is then refused", async () => {
  const username = await createUser(emu, "edge", PASSWORD);
  await setTokenTtl(1);
  let signedIn;
  try {
    signedIn = await signIn(publicWorker, username);
  } finally {
    await setTokenTtl(3600);
  }
  const cookie = cookieHeader(signedIn.setCookie);
  const out = await send(publicWorker, "/auth/sign-out", { method: "POST", cookie });
  assert.deepEqual([out.status, out.body], [200, { signedOut: true, revoked: true }]);
  assert.equal(out.setCookie.length, 5);
  for (const line of out.setCookie) assert.match(line, /=; Max-Age=0;/);
  assert.equal(cookieHeader(out.setCookie, cookie), "");

  await new Promise((resolve) => setTimeout(resolve, 2100));
  const stale = await send(publicWorker, "/api/me", { cookie });
  assert.deepEqual([stale.status, stale.body.check], [401, "Refresh"]);
  assert.match(stale.body.message, /NotAuthorizedException/);
  assert.equal(stale.setCookie.filter((l) => l.includes("Max-Age=0")).length, 5, "dead cookies cleared");
});

test("CookieJar is a TokenStorage for CognitoAuth (pkg/node.js): sign-in writes the cookies, a new jar restores the session", async () => {
  const { CognitoAuth, CookieJar } = await import("../../pkg/node.js");
  const username = await createUser(emu, "edge", PASSWORD);
  const options = { userPoolId: emu.config.userPoolId, clientId: emu.config.clientId, endpoint: emu.endpoint };
  const jar = new CookieJar("", { sameSite: "Strict" });
  const signedIn = await new CognitoAuth({ ...options, storage: jar }).signIn({ username, password: PASSWORD });
  assert.equal(signedIn.signedIn, true);
  const lines = jar.setCookieHeaders();
  assert.equal(lines.length, 5);
  for (const line of lines) assert.match(line, /; HttpOnly; SameSite=Strict$/);

  const next = new CookieJar(cookieHeader(lines));
  const session = await new CognitoAuth({ ...options, storage: next }).getSession();
  assert.equal(session?.username, username);
  assert.equal(session.accessToken, signedIn.session.accessToken);
});

test("CognitoAuth over a CookieJar verifies restored tokens: forged cookies are no session (issue 21)", async () => {
  const { CognitoAuth, CookieJar } = await import("../../pkg/node.js");
  const options = { userPoolId: emu.config.userPoolId, clientId: emu.config.clientId, endpoint: emu.endpoint };
  const username = await createUser(emu, "edge", PASSWORD);
  const genuine = new CookieJar("");
  const signedIn = await new CognitoAuth({ ...options, storage: genuine }).signIn({ username, password: PASSWORD });
  assert.equal(signedIn.signedIn, true);

  const b64url = (s) => Buffer.from(s).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const forge = (claims) => `${b64url(JSON.stringify({ alg: "RS256", kid: "forged" }))}.${b64url(JSON.stringify(claims))}.${b64url("sig")}`;
  const common = { sub: "s", iss: emu.config.issuer, iat: now, exp: now + 3600, auth_time: now };
  const forgedId = forge({ ...common, aud: emu.config.clientId, token_use: "id", "cognito:username": "admin", "cognito:groups": ["admins"] });
  const forgedAccess = forge({ ...common, client_id: emu.config.clientId, token_use: "access", username: "admin", "cognito:groups": ["admins"] });
  const prefix = `CognitoIdentityServiceProvider.${emu.config.clientId}`;
  const jarOf = (user, id, access) => new CookieJar([`${prefix}.LastAuthUser=${user}`, `${prefix}.${user}.idToken=${id}`, `${prefix}.${user}.accessToken=${access}`].join("; "));

  const forged = await new CognitoAuth({ ...options, storage: jarOf("admin", forgedId, forgedAccess) }).getSession();
  assert.equal(forged, null, "forged, unsigned tokens are no session");
  // A genuine ID token does not vouch for a forged access token, nor the other way round.
  const { idToken, accessToken } = signedIn.session;
  assert.equal(await new CognitoAuth({ ...options, storage: jarOf(username, idToken, forgedAccess) }).getSession(), null);
  assert.equal(await new CognitoAuth({ ...options, storage: jarOf(username, forgedId, accessToken) }).getSession(), null);
  // The genuine cookies restore the session.
  const restored = await new CognitoAuth({ ...options, storage: new CookieJar(cookieHeader(genuine.setCookieHeaders())) }).getSession();
  assert.equal(restored?.username, username);
});

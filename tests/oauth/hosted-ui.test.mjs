// The hosted UI (OAuth code grant with PKCE) round trip in headless Chromium: a page on 127.0.0.1
// calls signInWithRedirect → the emulator's sign-in form → back with ?code&state → handleRedirect
// → a session in localStorage, refreshed through /oauth2/token, signed out through /logout.
// Negative: a wrong state, a reused code, a wrong verifier and an error redirect are typed errors.
// playwright-core, the built pkg/, the local emulator (COGNITO_EMULATOR_URL).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, servePages } from "../browser/pages.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const domain = new URL(endpoint).origin; // a full origin: http://127.0.0.1:<port>
const pending = `CognitoIdentityServiceProvider.${cfg.clientId}.oauth.pending`;

let server, browser, origin;
const appPage = () => `<!doctype html><meta charset="utf-8"><title>app</title>
<script type="module">
  import { CognitoAuth } from "/pkg/browser.js";
  window.auth = new CognitoAuth(${JSON.stringify({
    userPoolId: cfg.userPoolId,
    clientId: cfg.clientId,
    endpoint,
    oauth: { domain, redirectSignIn: `${origin}/app.html`, redirectSignOut: `${origin}/bye.html`, scopes: ["openid", "email"] },
  })});
  window.attempt = (work) => work().then((value) => ({ value }), (e) => ({ name: e.name, code: e.code, message: e.message }));
  window.ready = true;
</script>`;

before(async () => {
  server = await servePages({
    "/app.html": () => appPage(),
    "/bye.html": () => "<title>bye</title>signed out",
  });
  origin = server.origin;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function emulator(path) {
  return (await fetch(new URL(path, endpoint))).json();
}

async function openApp() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/app.html`);
  await page.waitForFunction(() => window.ready === true);
  return { context, page };
}

async function confirmedUser(page) {
  const username = `oauth-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await page.evaluate(([u, p]) => auth.signUp({ username: u, password: p, attributes: { email: `${u}@example.com` } }), [username, password]);
  const { code } = await emulator(`_emulator/codes?userPoolId=${cfg.userPoolId}&username=${username}`);
  await page.evaluate(([u, c]) => auth.confirmSignUp({ username: u, code: c }), [username, code]);
  return username;
}

/** From the app to the hosted UI's form, through it, and back to the app with ?code&state. */
async function signInThroughForm(page, username, pass = password) {
  const url = await page.evaluate(() => auth.signInWithRedirect({ navigate: false }));
  await page.goto(url);
  await page.fill("#username", username);
  await page.fill("#password", pass);
  await Promise.all([page.waitForURL((u) => u.pathname === "/app.html" && u.searchParams.has("code")), page.click("#submit")]);
  await page.waitForFunction(() => window.ready === true);
}

test("round trip: signInWithRedirect → hosted UI → handleRedirect → refresh → signOut via /logout", async () => {
  const { context, page } = await openApp();
  const username = await confirmedUser(page);
  // signInWithRedirect navigates by itself (location.assign) and resolves with the URL.
  await Promise.all([page.waitForURL(/\/oauth2\/authorize\?/), page.evaluate(() => { auth.signInWithRedirect({ state: "back-to=/inbox" }); })]);
  const authorize = new URL(page.url());
  assert.equal(authorize.origin, domain);
  assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
  assert.match(authorize.searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(authorize.searchParams.get("scope"), "openid email");
  // A wrong password shows the form again.
  await page.fill("#username", username);
  await page.fill("#password", "Wrong-pass1!");
  await page.click("#submit");
  assert.match(await page.textContent("#error"), /Incorrect username or password/);
  await page.fill("#username", username);
  await page.fill("#password", password);
  await Promise.all([page.waitForURL((u) => u.pathname === "/app.html" && u.searchParams.has("code")), page.click("#submit")]);
  assert.equal(new URL(page.url()).searchParams.get("state"), authorize.searchParams.get("state"));
  await page.waitForFunction(() => window.ready === true);

  const session = await page.evaluate(() => auth.handleRedirect(location.href));
  assert.equal(session.username, username);
  assert.equal(session.claims.email, `${username}@example.com`);
  assert.equal(session.customState, "back-to=/inbox");
  assert.ok(session.refreshToken, "the code grant gives a refresh token");
  const stored = await page.evaluate(() => ({ ...localStorage }));
  const p = `CognitoIdentityServiceProvider.${cfg.clientId}`;
  assert.equal(stored[`${p}.LastAuthUser`], username);
  assert.equal(stored[`${p}.${username}.idToken`], session.idToken);
  assert.equal(stored[`${p}.${username}.oauthSession`], "true");
  assert.equal(stored[pending], undefined, "the pending request is used once");
  // After a reload the session is still there and refreshes through /oauth2/token.
  await page.reload();
  await page.waitForFunction(() => window.ready === true);
  const before = await emulator("_emulator/stats");
  const refreshed = await page.evaluate(() => auth.refreshSession());
  const afterStats = await emulator("_emulator/stats");
  assert.equal(refreshed.username, username);
  assert.notEqual(refreshed.accessToken, session.accessToken);
  assert.equal(refreshed.refreshToken, session.refreshToken, "the refresh token is kept");
  const count = (s, key) => s.operations[key] ?? 0;
  assert.equal(count(afterStats, "oauth2/token:refresh_token") - count(before, "oauth2/token:refresh_token"), 1);
  assert.equal(afterStats.authFlows.REFRESH_TOKEN_AUTH ?? 0, before.authFlows.REFRESH_TOKEN_AUTH ?? 0, "not REFRESH_TOKEN_AUTH");
  assert.equal(count(afterStats, "GetTokensFromRefreshToken"), count(before, "GetTokensFromRefreshToken"), "not GetTokensFromRefreshToken");
  // signOut clears the store and goes through /logout to redirectSignOut.
  await Promise.all([page.waitForURL(`${origin}/bye.html`), page.evaluate(() => { auth.signOut(); })]);
  const left = await page.evaluate(() => Object.keys(localStorage));
  assert.deepEqual(left, [], "every key is removed");
  await context.close();
});

test("a wrong state and an error redirect are typed errors", async () => {
  const { context, page } = await openApp();
  const noPending = await page.evaluate((o) => attempt(() => auth.handleRedirect(`${o}/app.html?code=abc&state=x`)), origin);
  assert.deepEqual([noPending.name, noPending.code], ["OAuthError", "invalid_state"]);
  const url = await page.evaluate(() => auth.signInWithRedirect({ navigate: false }));
  assert.equal(page.url(), `${origin}/app.html`, "navigate: false stays");
  const state = new URL(url).searchParams.get("state");
  const wrong = await page.evaluate((o) => attempt(() => auth.handleRedirect(`${o}/app.html?code=abc&state=forged`)), origin);
  assert.deepEqual([wrong.name, wrong.code], ["OAuthError", "invalid_state"]);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), pending), null, "a failed attempt uses up the request");
  await page.evaluate(() => auth.signInWithRedirect({ navigate: false })).then(async (again) => {
    const s = new URL(again).searchParams.get("state");
    assert.notEqual(s, state, "a new state each time");
    const denied = await page.evaluate(([o, st]) => attempt(() => auth.handleRedirect(`${o}/app.html?error=access_denied&error_description=User+cancelled&state=${st}`)), [origin, s]);
    assert.deepEqual([denied.name, denied.code, denied.message], ["OAuthError", "access_denied", "access_denied: User cancelled"]);
  });
  assert.equal(await page.evaluate(() => auth.getSession()), null);
  await context.close();
});

test("a reused code and a wrong verifier are refused by /oauth2/token (invalid_grant)", async () => {
  const { context, page } = await openApp();
  const username = await confirmedUser(page);
  await signInThroughForm(page, username);
  const saved = await page.evaluate((k) => localStorage.getItem(k), pending);
  const first = await page.evaluate(() => attempt(() => auth.handleRedirect(location.href)));
  assert.equal(first.value?.username, username);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [pending, saved]); // replay the request
  const reused = await page.evaluate(() => attempt(() => auth.handleRedirect(location.href)));
  assert.deepEqual([reused.name, reused.code], ["OAuthError", "invalid_grant"]);

  await signInThroughForm(page, username);
  await page.evaluate((k) => {
    const p = JSON.parse(localStorage.getItem(k));
    p.verifier = p.verifier.split("").reverse().join("");
    localStorage.setItem(k, JSON.stringify(p));
  }, pending);
  const tampered = await page.evaluate(() => attempt(() => auth.handleRedirect(location.href)));
  assert.deepEqual([tampered.name, tampered.code], ["OAuthError", "invalid_grant"]);
  await context.close();
});

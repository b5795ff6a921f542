// Two tabs of one browser profile sharing localStorage (the default storage): a sign-in in one
// tab reaches the other through storage events, an expired session is refreshed at most once per
// tab with the tabs serialised by Web Locks (with REFRESH_TOKEN_AUTH, and with a rotating app client
// through GetTokensFromRefreshToken), and a sign-out in one tab signs the other out. Headless Chromium through
// playwright-core, the built pkg/, the local emulator (COGNITO_EMULATOR_URL).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, servePages } from "./pages.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const page = (clientId) => `<!doctype html><meta charset="utf-8"><title>tab</title>
<script type="module">
  import { CognitoAuth } from "/pkg/browser.js";
  const cfg = ${JSON.stringify({ userPoolId: cfg.userPoolId, clientId, endpoint })};
  // Counts this tab's refresh requests (REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken).
  window.refreshes = 0;
  window.getTokensCalls = 0;
  const counting = async (request) => {
    if ((await request.clone().text()).includes("REFRESH_TOKEN_AUTH")) window.refreshes++;
    if (request.headers.get("x-amz-target")?.endsWith(".GetTokensFromRefreshToken")) window.getTokensCalls++;
    return fetch(request);
  };
  window.auth = new CognitoAuth({ ...cfg, fetch: counting, refreshFlow: new URLSearchParams(location.search).get("flow") ?? undefined });
  window.events = [];
  auth.onSessionChange((s) => events.push(s === null ? null : s.username));
  window.authEvents = [];
  for (const name of ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]) {
    auth.on(name, (data) => authEvents.push([name, data?.refreshToken ?? data?.code ?? null]));
  }
  window.ready = true;
</script>`;

let server, browser, origin;
before(async () => {
  server = await servePages({ "/tab.html": () => page(cfg.clientId), "/rotating.html": () => page(cfg.rotatingClientId) });
  origin = server.origin;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function emulator(path, body) {
  const res = await fetch(new URL(path, endpoint), body ? { method: "POST", body: JSON.stringify(body) } : undefined);
  return res.json();
}

async function confirmedUser(tab) {
  const username = `tabs-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await tab.evaluate(([u, p]) => auth.signUp({ username: u, password: p, attributes: { email: `${u}@example.com` } }), [username, password]);
  const { code } = await emulator(`_emulator/codes?userPoolId=${cfg.userPoolId}&username=${username}`);
  await tab.evaluate(([u, c]) => auth.confirmSignUp({ username: u, code: c }), [username, code]);
  return username;
}

async function openTabs(path = "/tab.html?flow=REFRESH_TOKEN_AUTH") {
  const context = await browser.newContext();
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto(`${origin}${path}`);
    await tab.waitForFunction(() => window.ready === true);
  }
  return { context, tabs };
}

test("a sign-in and a sign-out in one tab reach the other", async () => {
  const { context, tabs: [a, b] } = await openTabs();
  const username = await confirmedUser(a);
  await a.evaluate(([u, p]) => auth.signIn({ username: u, password: p }), [username, password]);
  await b.waitForFunction((u) => events.includes(u), username, { timeout: 5000 });
  assert.equal(await b.evaluate(async () => (await auth.getSession())?.username), username, "tab B restores from localStorage");
  await a.evaluate(() => auth.signOut());
  await b.waitForFunction(() => events.at(-1) === null, null, { timeout: 5000 });
  assert.equal(await b.evaluate(() => auth.getSession()), null);
  // auth.on: tab A's own sign-in and sign-out; tab B the same, from storage events.
  assert.deepEqual((await a.evaluate(() => authEvents)).map(([n]) => n), ["signedIn", "signedOut"]);
  assert.deepEqual((await b.evaluate(() => authEvents)).map(([n]) => n), ["signedIn", "signedOut"]);
  await context.close();
});

test("an expired session is refreshed at most once per tab, the tabs serialised by Web Locks", async () => {
  // Chromium propagates localStorage between tab processes asynchronously, so the second tab,
  // once it holds the lock, may still read the old tokens and refresh again (harmless: the
  // refresh token is not consumed). What must hold: every tab's concurrent callers share one
  // refresh, and both tabs end with a valid session.
  const { context, tabs: [a, b] } = await openTabs();
  const username = await confirmedUser(a);
  await emulator("_emulator/token-ttl", { seconds: 30 }); // inside the 60 s refresh margin
  try {
    await a.evaluate(([u, p]) => auth.signIn({ username: u, password: p }), [username, password]);
  } finally {
    await emulator("_emulator/token-ttl", { seconds: 3600 });
  }
  // Tab B holds the session once tab A's write has reached it (its storage event).
  await b.waitForFunction((u) => events.includes(u), username, { timeout: 5000 });
  await emulator("_emulator/reset-stats", {});
  const burst = () => Promise.all(Array.from({ length: 25 }, () => auth.getSession().then((s) => s.expiresAt - Date.now())));
  const [leftA, leftB] = await Promise.all([a.evaluate(burst), b.evaluate(burst)]);
  const [countA, countB] = [await a.evaluate(() => refreshes), await b.evaluate(() => refreshes)];
  const stats = await emulator("_emulator/stats");
  assert.equal(stats.authFlows.REFRESH_TOKEN_AUTH, countA + countB, "the emulator saw what the tabs sent");
  assert.ok(countA <= 1 && countB <= 1 && countA + countB >= 1, `refreshes per tab: ${countA}, ${countB}`);
  assert.ok([...leftA, ...leftB].every((ms) => ms > 3_000_000), "every caller got the refreshed (1 h) session");
  await context.close();
});

test("with rotation, one refresh for both tabs and both end with the new refresh token", async () => {
  // Both tabs call getSession at once on an expiring session of the rotating client (grace 2 s).
  // Web Locks serialise them; the second re-reads storage under the lock. If Chromium has not yet
  // propagated all of the first tab's write, the second either sees valid new tokens (no request)
  // or sends the old refresh token within the grace period and gets the current one back: the
  // emulator's `rotated` counter must be 1 and `reused` absent either way.
  const { context, tabs: [a, b] } = await openTabs("/rotating.html");
  const username = await confirmedUser(a);
  await emulator("_emulator/token-ttl", { seconds: 30 });
  let first;
  try {
    first = await a.evaluate(([u, p]) => auth.signIn({ username: u, password: p }).then((r) => r.session.refreshToken), [username, password]);
  } finally {
    await emulator("_emulator/token-ttl", { seconds: 3600 });
  }
  await b.waitForFunction((u) => events.includes(u), username, { timeout: 5000 });
  await emulator("_emulator/reset-stats", {});
  const burst = () => Promise.all(Array.from({ length: 10 }, () => auth.getSession().then((s) => s.expiresAt - Date.now())));
  const [leftA, leftB] = await Promise.all([a.evaluate(burst), b.evaluate(burst)]);
  const stats = await emulator("_emulator/stats");
  const calls = [await a.evaluate(() => getTokensCalls), await b.evaluate(() => getTokensCalls)];
  const seen = JSON.stringify({ refresh: stats.refresh, calls });
  assert.equal(stats.refresh.rotated, 1, `one rotation: ${seen}`);
  assert.equal(stats.refresh.reused, undefined, seen);
  assert.equal(stats.authFlows.REFRESH_TOKEN_AUTH, undefined, "no REFRESH_TOKEN_AUTH");
  assert.equal(stats.operations.GetTokensFromRefreshToken, calls[0] + calls[1]);
  assert.ok(calls[0] <= 1 && calls[1] <= 1 && calls[0] + calls[1] >= 1, `GetTokensFromRefreshToken per tab: ${seen}`);
  assert.ok([...leftA, ...leftB].every((ms) => ms > 3_000_000), "every caller got the refreshed (1 h) session");
  const key = `CognitoIdentityServiceProvider.${cfg.rotatingClientId}.${username}.refreshToken`;
  await a.waitForFunction(([k, f]) => localStorage.getItem(k) !== f, [key, first], { timeout: 5000 });
  const rotated = await a.evaluate((k) => localStorage.getItem(k), key);
  assert.notEqual(rotated, first);
  await b.waitForFunction(([k, t]) => localStorage.getItem(k) === t, [key, rotated], { timeout: 5000 });
  const held = await Promise.all([a, b].map((tab) => tab.evaluate(() => auth.getSession().then((s) => s.refreshToken))));
  assert.deepEqual(held, [rotated, rotated], "both tabs end with the new refresh token");
  assert.equal((await emulator("_emulator/stats")).refresh.rotated, 1, "and no further refresh");
  // Each tab reported a tokenRefresh ending with the new refresh token (its own refresh or, for
  // the tab that did not refresh, the other tab's write), and no failure.
  for (const tab of [a, b]) {
    const got = await tab.evaluate(() => authEvents.filter(([n]) => n !== "signedIn"));
    assert.ok(got.length >= 1 && got.every(([n]) => n === "tokenRefresh"), JSON.stringify(got));
    assert.equal(got.at(-1)[1], rotated);
  }
  // After the grace period the old token is dead; each tab's next refresh still works.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const again = await b.evaluate(() => auth.refreshSession().then((s) => s.refreshToken));
  assert.notEqual(again, rotated);
  await a.waitForFunction(([k, t]) => localStorage.getItem(k) === t, [key, again], { timeout: 5000 });
  assert.equal(await a.evaluate(() => auth.refreshSession().then((s) => s.username)), username);
  assert.equal((await emulator("_emulator/stats")).refresh.reused, undefined);
  await context.close();
});

// Two tabs of one browser profile whose localStorage already holds a session (a returning user):
// each tab starts in the restore module (pkg/browser.js's first module for plain options), and
// what tests/browser/tabs.test.mjs checks from the signin module holds there: an expiring session
// refreshed at most once per tab with the tabs serialised by Web Locks, a sign-out in one tab
// reaching the other through storage events, and a sign-in in one (which moves that tab's object
// to the signin_plain module) reaching the other, still in the restore module. Headless Chromium
// through playwright-core, the built pkg/, the local emulator (COGNITO_EMULATOR_URL).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, servePages } from "./pages.mjs";
import { PASSWORD, confirmedUser, storedEntries } from "../js/stored-session.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const page = `<!doctype html><meta charset="utf-8"><title>tab</title>
<script type="module">
  import { CognitoAuth } from "/pkg/browser.js";
  const cfg = ${JSON.stringify({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint })};
  window.refreshes = 0;
  const counting = async (request) => {
    if ((await request.clone().text()).includes("REFRESH_TOKEN_AUTH")) window.refreshes++;
    return fetch(request);
  };
  window.auth = new CognitoAuth({ ...cfg, fetch: counting, refreshFlow: "REFRESH_TOKEN_AUTH" });
  window.events = [];
  auth.onSessionChange((s) => events.push(s === null ? null : s.username));
  window.authEvents = [];
  for (const name of ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]) {
    auth.on(name, () => authEvents.push(name));
  }
  // The package's .wasm files this tab fetched, by name.
  window.modules = () => performance.getEntriesByType("resource").map((e) => e.name.split("/").pop()).filter((n) => n.endsWith(".wasm"));
  window.ready = true;
</script>`;

let server, browser, origin;
before(async () => {
  server = await servePages({ "/tab.html": () => page, "/blank.html": () => "<!doctype html><title>blank</title>" });
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

/** A profile whose localStorage holds `username`'s session (due for refresh with `due`), and two tabs of it. */
async function returningTabs({ due = false } = {}) {
  const username = await confirmedUser(endpoint, cfg.userPoolId, "restore-tabs");
  const entries = await storedEntries(endpoint, { userPoolId: cfg.userPoolId, clientId: cfg.clientId, username, clockDriftSeconds: due ? -3590 : 0 });
  const context = await browser.newContext();
  const setup = await context.newPage();
  await setup.goto(`${origin}/blank.html`);
  await setup.evaluate((e) => Object.entries(e).forEach(([k, v]) => localStorage.setItem(k, v)), entries);
  await setup.close();
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto(`${origin}/tab.html`);
    await tab.waitForFunction(() => window.ready === true);
  }
  return { context, tabs, username };
}

test("two returning tabs start in the restore module; an expiring session is refreshed at most once per tab, serialised by Web Locks", async () => {
  const { context, tabs: [a, b], username } = await returningTabs({ due: true });
  await emulator("_emulator/reset-stats", {});
  const burst = () => Promise.all(Array.from({ length: 20 }, () => auth.getSession().then((s) => [s.username, s.expiresAt - Date.now()])));
  const [gotA, gotB] = await Promise.all([a.evaluate(burst), b.evaluate(burst)]);
  const [countA, countB] = [await a.evaluate(() => refreshes), await b.evaluate(() => refreshes)];
  const stats = await emulator("_emulator/stats");
  assert.equal(stats.authFlows.REFRESH_TOKEN_AUTH, countA + countB, "the emulator saw what the tabs sent");
  assert.ok(countA <= 1 && countB <= 1 && countA + countB >= 1, `refreshes per tab: ${countA}, ${countB}`);
  assert.ok([...gotA, ...gotB].every(([u, ms]) => u === username && ms > 3_000_000), "every caller got the refreshed (1 h) session");
  for (const tab of [a, b]) assert.deepEqual(await tab.evaluate(() => modules()), ["cognito_wasm_restore_bg.wasm"], "the restore module alone");
  await context.close();
});

test("in the restore module: a sign-out in one tab reaches the other; a sign-in in one (moved to the signin_plain module) reaches the other", async () => {
  const { context, tabs: [a, b], username } = await returningTabs();
  assert.equal(await b.evaluate(async () => (await auth.getSession())?.username), username, "restored");
  await a.evaluate(() => auth.signOut());
  await b.waitForFunction(() => events.at(-1) === null, null, { timeout: 5000 });
  assert.equal(await b.evaluate(() => auth.getSession()), null);
  assert.deepEqual(await a.evaluate(() => authEvents), ["signedOut"]);
  assert.deepEqual(await b.evaluate(() => authEvents), ["signedOut"], "from the storage event");
  await a.evaluate(([u, p]) => auth.signIn({ username: u, password: p }), [username, PASSWORD]);
  await b.waitForFunction((u) => events.at(-1) === u, username, { timeout: 5000 });
  assert.equal(await b.evaluate(async () => (await auth.getSession())?.username), username, "tab B restores from localStorage");
  assert.deepEqual(await b.evaluate(() => authEvents), ["signedOut", "signedIn"]);
  assert.deepEqual(await a.evaluate(() => modules()), ["cognito_wasm_restore_bg.wasm", "cognito_wasm_signin_plain_bg.wasm"], "signIn moved tab A's object up (plain options: signin_plain)");
  assert.deepEqual(await b.evaluate(() => modules()), ["cognito_wasm_restore_bg.wasm"], "tab B stayed in the restore module");
  await context.close();
});

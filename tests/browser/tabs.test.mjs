// Two tabs of one browser profile sharing localStorage (the default storage): a sign-in in one
// tab reaches the other through storage events, an expired session is refreshed at most once per
// tab with the tabs serialised by Web Locks, and a sign-out in one tab signs the other out. Headless Chromium through
// playwright-core, the built pkg/, the local emulator (COGNITO_EMULATOR_URL).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, servePages } from "./pages.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const page = `<!doctype html><meta charset="utf-8"><title>tab</title>
<script type="module">
  import { CognitoAuth } from "/pkg/browser.js";
  const cfg = ${JSON.stringify({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint })};
  // Counts this tab's REFRESH_TOKEN_AUTH requests.
  window.refreshes = 0;
  const counting = async (request) => {
    if ((await request.clone().text()).includes("REFRESH_TOKEN_AUTH")) window.refreshes++;
    return fetch(request);
  };
  window.auth = new CognitoAuth({ ...cfg, fetch: counting });
  window.events = [];
  auth.onSessionChange((s) => events.push(s === null ? null : s.username));
  window.ready = true;
</script>`;

let server, browser, origin;
before(async () => {
  server = await servePages({ "/tab.html": () => page });
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

async function openTabs() {
  const context = await browser.newContext();
  const tabs = [await context.newPage(), await context.newPage()];
  for (const tab of tabs) {
    await tab.goto(`${origin}/tab.html`);
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

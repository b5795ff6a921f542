// The demo's storage switch in headless Chromium: for each adapter of CognitoAuth's `storage`
// option, what a reload (and a second tab) keeps. localStorage, sessionStorage and cookies restore
// the session after a reload; memory does not. Needs the storage adapters in pkg/ (WebStorage,
// CookieStorage, MemoryStorage): without them these tests fail and say so. Also WebStorage over
// the real Web Storage and its fallback to memory when the quota is exceeded.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, sessionPanel, settle, shot, signIn, startDemo } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.close(); });

const ADAPTERS = [
  { name: "local", className: "WebStorage", place: "localStorage", survivesReload: true, sharedWithNewTab: true },
  { name: "session", className: "WebStorage", place: "sessionStorage", survivesReload: true, sharedWithNewTab: false },
  { name: "cookie", className: "CookieStorage", place: "cookies", survivesReload: true, sharedWithNewTab: true },
  { name: "memory", className: "MemoryStorage", place: "memory", survivesReload: false, sharedWithNewTab: false },
];
const LABEL = { local: "localStorage", session: "sessionStorage", cookie: "cookies", memory: "memory" };

/** Fails (never skips) when the page could not select the adapter: the package lacks it. */
async function requireAdapter(page, adapter) {
  const state = await page.evaluate(async (className) => {
    const select = document.getElementById("storage-adapter");
    const cognito = await import("/pkg/browser.js");
    return { value: select.value, disabled: select.disabled, exported: typeof cognito[className] };
  }, adapter.className);
  assert.ok(
    state.exported === "function" && !state.disabled && state.value === adapter.name,
    `pkg/ has no ${adapter.className} (typeof is ${state.exported}), so the demo cannot keep the session in ` +
      `${adapter.place}. The storage issue (the \`storage\` option and the MemoryStorage, WebStorage and ` +
      `CookieStorage exports) has not landed in src/, or pkg/ was built before it: run scripts/build-pkg.`,
  );
}

/** Session keys per place as the page's inspector lists them, and as the browser holds them. */
async function stored(page, clientId) {
  return page.evaluate((prefix) => {
    const inspector = {};
    for (const li of document.querySelectorAll("#storage-inspector > li")) inspector[li.dataset.place] = li.textContent;
    const count = (keys) => keys.filter((k) => k.startsWith(prefix)).length;
    const cookieKeys = document.cookie.split(/;\s*/).filter(Boolean).map((c) => decodeURIComponent(c.split("=")[0]));
    return {
      inspector,
      localStorage: count(Object.keys(localStorage)),
      sessionStorage: count(Object.keys(sessionStorage)),
      cookies: count(cookieKeys),
    };
  }, `CognitoIdentityServiceProvider.${clientId}.`);
}

for (const adapter of ADAPTERS) {
  const what = adapter.survivesReload ? "a reload restores the session" : "a reload forgets the session";
  test(`storage ${LABEL[adapter.name]}: ${what}`, async (t) => {
    const { context, page, problems } = await demo.open(`?storage=${adapter.name}`);
    t.after(() => context.close());
    await requireAdapter(page, adapter);
    const username = await demo.confirmedUser(`store-${adapter.name}`);
    await signIn(page, username, PASSWORD);
    const signedIn = await sessionPanel(page);
    assert.equal(signedIn.state, "signed-in", `signed in (page says: ${await page.locator("#signin-message").textContent()})`);
    assert.equal(signedIn.status, `Signed in as ${username}. The session is stored in ${LABEL[adapter.name]}.`);

    // Where the session went: only the chosen place, under amazon-cognito-identity-js's keys.
    if (adapter.place !== "memory") {
      // The inspector re-reads storage after each action and every second; give it that second.
      await page.waitForFunction((place) => document.querySelector(`#storage-inspector > li[data-place="${place}"]`)?.dataset.count !== "0",
        adapter.place, { timeout: 3000 }).catch(() => {});
    }
    const where = await stored(page, demo.config.clientId);
    for (const place of ["localStorage", "sessionStorage", "cookies"]) {
      if (place === adapter.place) {
        assert.ok(where[place] > 0, `the session is in ${place}`);
        assert.match(where.inspector[place], new RegExp(`^${place}: ${where[place]} keys?`));
      } else {
        assert.equal(where[place], 0, `nothing in ${place}`);
        assert.equal(where.inspector[place], `${place}: nothing`);
      }
    }
    if (adapter.name === "memory") assert.match(where.inspector.memory, /^memory: the session, inside this page only/);
    await shot(page, `20-storage-${adapter.name}-signed-in`);

    await page.reload();
    await demo.ready(page, problems);
    assert.equal(await page.getByLabel("Storage adapter").inputValue(), adapter.name, "the reload keeps the chosen adapter");
    const reloaded = await sessionPanel(page);
    if (adapter.survivesReload) {
      assert.equal(reloaded.state, "signed-in", `the session survives a reload in ${adapter.place}`);
      assert.equal(reloaded.username, username);
      assert.equal(reloaded.claims["cognito:username"], username);
      assert.equal(reloaded.claims.origin_jti, signedIn.claims.origin_jti, "the same sign-in, not a new one");
      assert.equal(reloaded.restoreNote, `Session restored from ${LABEL[adapter.name]} when the page loaded: no sign-in needed.`);
    } else {
      assert.equal(reloaded.state, "signed-out", "memory storage does not survive a reload");
      assert.equal(reloaded.restoreNote, "No session in memory when the page loaded. Memory storage forgets the session on every reload.");
    }
    await shot(page, `21-storage-${adapter.name}-after-reload`);

    // A second tab of the same browser profile.
    const tab = await context.newPage();
    await tab.goto(page.url());
    await demo.ready(tab);
    assert.equal((await sessionPanel(tab)).state, adapter.sharedWithNewTab ? "signed-in" : "signed-out",
      `a new tab ${adapter.sharedWithNewTab ? "shares" : "does not share"} the ${adapter.place} session`);
    await tab.close();

    if (adapter.survivesReload) {
      // Signing out removes the stored session: the next reload starts signed out.
      await page.getByRole("button", { name: "Sign out" }).click();
      assert.equal((await settle(page, "session")).error, "");
      assert.equal((await stored(page, demo.config.clientId))[adapter.place], 0, `sign-out emptied ${adapter.place}`);
      await page.reload();
      await demo.ready(page, problems);
      assert.equal((await sessionPanel(page)).state, "signed-out", "signed out after sign-out and reload");
    }
    assert.deepEqual(problems, [], "the page logged errors");
  });
}

test("switching the adapter in the page: the choice survives a reload, and each adapter holds its own session", async (t) => {
  const { context, page, problems } = await demo.open();
  t.after(() => context.close());
  const select = page.getByLabel("Storage adapter");
  await requireAdapter(page, ADAPTERS.find((a) => a.name === "local")); // also: local is the default
  await select.selectOption("session");
  await page.waitForFunction(() => /sessionStorage/.test(document.getElementById("session-status").textContent));
  await requireAdapter(page, ADAPTERS.find((a) => a.name === "session"));
  assert.match(await page.locator("#storage-explain").textContent(), /survives a reload of this tab only/);

  const username = await demo.confirmedUser("switch");
  await signIn(page, username, PASSWORD);
  assert.equal((await sessionPanel(page)).state, "signed-in");
  await page.reload();
  await demo.ready(page, problems);
  assert.equal(await select.inputValue(), "session", "the chosen adapter is remembered");
  assert.equal((await sessionPanel(page)).username, username, "restored from sessionStorage");

  // localStorage holds no session: switching to it shows signed out; switching back restores.
  await select.selectOption("local");
  await page.waitForFunction(() => document.getElementById("session-status").textContent === "Signed out. No session is stored in localStorage.");
  await shot(page, "22-storage-switched-to-local");
  await select.selectOption("session");
  await page.waitForFunction(() => document.getElementById("session-status").dataset.state === "signed-in");
  assert.equal((await sessionPanel(page)).username, username);
  assert.deepEqual(problems, [], "the page logged errors");
});

test("WebStorage in Chromium: the real localStorage and sessionStorage at once (no module needed), and memory for good once the quota is exceeded", async (t) => {
  const { context, page, problems } = await demo.open();
  t.after(() => context.close());
  const seen = await page.evaluate(async () => {
    const { WebStorage, MemoryStorage } = await import("/pkg/browser.js");
    const warned = [];
    const warn = console.warn;
    console.warn = (...args) => warned.push(args.join(" "));
    try {
      const local = new WebStorage("local");
      const session = new WebStorage("session");
      local.setItem("cognito-wasm-test.local", "l");
      session.setItem("cognito-wasm-test.session", "s");
      const written = {
        local: localStorage.getItem("cognito-wasm-test.local"),
        session: sessionStorage.getItem("cognito-wasm-test.session"),
        crossed: localStorage.getItem("cognito-wasm-test.session"),
        fallback: [local.usingFallback, session.usingFallback],
        missing: local.getItem("cognito-wasm-test.missing"),
      };
      local.removeItem("cognito-wasm-test.local");
      session.removeItem("cognito-wasm-test.session");
      written.removed = [localStorage.getItem("cognito-wasm-test.local"), sessionStorage.getItem("cognito-wasm-test.session")];
      const web = new WebStorage("local");
      const tooBig = "x".repeat(12 * 1024 * 1024);
      web.setItem("cognito-wasm-test.too-big", tooBig);
      web.setItem("cognito-wasm-test.after", "a");
      const quota = {
        usingFallback: web.usingFallback,
        reason: web.fallbackReason,
        kept: web.getItem("cognito-wasm-test.too-big")?.length === tooBig.length,
        inLocalStorage: localStorage.getItem("cognito-wasm-test.too-big") !== null || localStorage.getItem("cognito-wasm-test.after") !== null,
        others: local.usingFallback,
      };
      web.removeItem("cognito-wasm-test.too-big");
      quota.removed = web.getItem("cognito-wasm-test.too-big");
      const memory = new MemoryStorage();
      memory.setItem("b", "1");
      memory.setItem("a", "2");
      return { written, quota, warned, keys: memory.keys() };
    } finally {
      console.warn = warn;
    }
  });
  assert.deepEqual(seen.written, { local: "l", session: "s", crossed: null, fallback: [false, false], missing: undefined, removed: [null, null] });
  assert.equal(seen.quota.usingFallback, true, "quota exceeded → memory");
  assert.match(seen.quota.reason, /^QuotaExceededError: /);
  assert.deepEqual({ ...seen.quota, reason: undefined }, { usingFallback: true, reason: undefined, kept: true, inLocalStorage: false, others: false, removed: undefined });
  assert.deepEqual(seen.warned, [`cognito-wasm: localStorage unavailable (${seen.quota.reason}); keeping tokens in memory`], "one warning");
  assert.deepEqual(seen.keys, ["a", "b"]);
  assert.deepEqual(problems, [], "the page logged errors");
});

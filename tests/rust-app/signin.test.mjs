// examples/rust-app (built by scripts/test: wasm-pack build --target web examples/rust-app) in
// headless Chromium against the emulator: the page's Rust signs in with cognito_wasm::web::Client,
// keeps the session in localStorage across a reload, signs out, and shows Cognito's refusal.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, PASSWORD, emulator, emulatorApi } from "../e2e/harness.mjs";

const appDir = fileURLToPath(new URL("../../examples/rust-app/", import.meta.url));
const MIME = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

let emu, server, browser, config, api, pageUrl;

/** Serves examples/rust-app/ (index.html, pkg/) on a free port. */
async function serveApp() {
  const http = createServer(async (request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    const file = normalize(join(appDir, path === "/" ? "index.html" : path));
    const type = MIME[extname(file)];
    if (!file.startsWith(appDir) || !type) { response.writeHead(404).end(); return; }
    try {
      const body = await readFile(file);
      response.writeHead(200, { "Content-Type": type, "Cache-Control": "no-store" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => http.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${http.address().port}/`, close: () => new Promise((r) => http.close(r)) };
}

before(async () => {
  emu = await emulator();
  config = await (await fetch(new URL("_emulator/config", emu.url))).json();
  api = emulatorApi(config);
  server = await serveApp();
  const query = new URLSearchParams({ userPoolId: config.userPoolId, clientId: config.clientId, endpoint: config.endpoint });
  pageUrl = `${server.url}?${query}`;
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
});
after(async () => {
  await browser?.close().catch(() => {});
  await server?.close();
  await emu?.stop();
});

/** `#result`'s state and text once the page is ready and not in `previous` state. */
async function result(page, previous) {
  await page.waitForFunction((prev) => {
    const r = document.getElementById("result");
    return document.body.dataset.ready === "true" && r.dataset.state && r.dataset.state !== prev;
  }, previous, { timeout: 20_000 });
  return page.$eval("#result", (r) => ({ state: r.dataset.state, text: r.textContent }));
}

test("the Rust app signs in over SRP, stays signed in across a reload, signs out", async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  const username = await api.confirmedUser("rustapp");

  await page.goto(pageUrl);
  assert.deepEqual(await result(page), { state: "signed-out", text: "Not signed in." });

  await page.fill("#username", username);
  await page.fill("#password", "Wr0ng-passw0rd!");
  await page.click("#sign-in button");
  const refused = await result(page, "signed-out");
  assert.equal(refused.state, "error");
  assert.match(refused.text, /^NotAuthorizedException: /);

  await page.fill("#password", PASSWORD);
  await page.click("#sign-in button");
  const signedIn = await result(page, "error");
  assert.deepEqual(signedIn, { state: "signed-in", text: `Signed in as ${username} (${username}@example.com).` });
  assert.equal(await page.isVisible("#sign-out"), true);
  const lastUser = await page.evaluate((key) => localStorage.getItem(key), `CognitoIdentityServiceProvider.${config.clientId}.LastAuthUser`);
  assert.equal(lastUser, username, "the session is in localStorage, amazon-cognito-identity-js's keys");

  await page.reload();
  assert.deepEqual(await result(page), signedIn, "a reload restores the stored session");

  await page.click("#sign-out");
  assert.deepEqual(await result(page, "signed-in"), { state: "signed-out", text: "Signed out." });
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("CognitoIdentityServiceProvider.")));
  assert.deepEqual(keys, [], "sign-out removes every key");
  assert.deepEqual(problems, [], "no page errors");
});

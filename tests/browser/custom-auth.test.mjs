// CUSTOM_AUTH in headless Chromium through the browser package (pkg/browser.js): SRP first, a wrong
// answer, then the emulator's code; UserContextData on each sign-in call; the session in
// localStorage. The local emulator (COGNITO_EMULATOR_URL).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, servePages } from "./pages.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const page = () => `<!doctype html><meta charset="utf-8"><title>custom</title>
<script type="module">
  import { CognitoAuth } from "/pkg/browser.js";
  const cfg = ${JSON.stringify({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint })};
  window.contextTag = "browser-" + Math.random();
  window.auth = new CognitoAuth({ ...cfg, userContextData: () => window.contextTag });
  window.ready = true;
</script>`;

let server, browser;
before(async () => {
  server = await servePages({ "/custom.html": page });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

async function emulatorCode(username, purpose) {
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: cfg.userPoolId, username, ...(purpose ? { purpose } : {}) });
  return (await (await fetch(url)).json()).code;
}

test("CUSTOM_AUTH with srp: true in Chromium: PASSWORD_VERIFIER, CUSTOM_CHALLENGE answered twice, signed in", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(`${server.origin}/custom.html`);
  await tab.waitForFunction(() => window.ready === true);
  const username = `custom-browser-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await tab.evaluate(([u, p]) => auth.signUp({ username: u, password: p, attributes: { email: `${u}@example.com` } }), [username, password]);
  const signUpCode = await emulatorCode(username);
  await tab.evaluate(([u, c]) => auth.confirmSignUp({ username: u, code: c }), [username, signUpCode]);

  const step = await tab.evaluate(([u, p]) => auth.signIn({ username: u, password: p, flow: "CUSTOM_AUTH", srp: true }), [username, password]);
  assert.deepEqual(step, { signedIn: false, challenge: "CUSTOM_CHALLENGE", parameters: { USERNAME: username, attempt: "1", maxAttempts: "3" } });
  const again = await tab.evaluate(() => auth.respondToChallenge({ answer: "wrong" }));
  assert.equal(again.parameters.attempt, "2");
  const code = await emulatorCode(username, "CUSTOM_CHALLENGE");
  const done = await tab.evaluate((c) => auth.respondToChallenge({ answer: c }), code);
  assert.equal(done.signedIn, true);
  const stored = await tab.evaluate(([clientId, u]) => localStorage.getItem(`CognitoIdentityServiceProvider.${clientId}.${u}.accessToken`), [cfg.clientId, username]);
  assert.equal(stored, done.session.accessToken);
  const tag = await tab.evaluate(() => window.contextTag);
  const stats = await (await fetch(new URL("_emulator/stats", endpoint))).json();
  assert.deepEqual(stats.lastUserContextData.RespondToAuthChallenge, { EncodedData: tag }, "UserContextData on the answer");
  await context.close();
});

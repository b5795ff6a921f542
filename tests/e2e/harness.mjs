// Shared set-up of the demo's browser tests: the emulator (COGNITO_EMULATOR_URL, else one started
// here), the demo server (scripts/serve-demo.mjs on a free port), Debian's Chromium through
// playwright-core, screenshots into tests/e2e/screenshots/, and a TOTP generator (RFC 6238).
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemoServer } from "../../scripts/serve-demo.mjs";

const repo = fileURLToPath(new URL("../../", import.meta.url));
export const screenshotDir = fileURLToPath(new URL("./screenshots/", import.meta.url));

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const PASSWORD = "Corr3ct-Horse!Ω";

/** The emulator of scripts/test, or our own (stopped by the returned stop()). */
export async function emulator() {
  if (process.env.COGNITO_EMULATOR_URL) return { url: process.env.COGNITO_EMULATOR_URL, stop: async () => {} };
  const child = spawn(`${repo}tests/emulator/start`, ["--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (chunk) => { log = (log + chunk).slice(-4000); });
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start in 30 s:\n${log}`)), 30_000);
    createInterface({ input: child.stdout }).once("line", (l) => { clearTimeout(timer); resolve(l); });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`the emulator exited (${code}):\n${log}`)); });
  });
  const stopped = new Promise((r) => child.once("exit", r));
  return {
    url: JSON.parse(line).endpoint,
    stop: async () => { child.kill("SIGTERM"); await stopped; },
  };
}

/** Emulator + demo server + Chromium. */
export async function startDemo() {
  const emu = await emulator();
  // COGNITO_DEMO_PKG: test another build of the package than the repo's pkg/.
  const server = await startDemoServer({ port: 0, emulatorUrl: emu.url, pkgDir: process.env.COGNITO_DEMO_PKG });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
  await mkdir(screenshotDir, { recursive: true });
  const config = server.config;
  const endpoint = config.endpoint;

  /** A fresh browser profile (its own storage and cookies) with the demo open and ready. */
  async function open(query = "") {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // Chromium logs every 4xx answer; Cognito's refusals (400) are expected in these flows.
    page.on("console", (m) => {
      if (m.type() === "error" && !/^Failed to load resource: the server responded with a status of 400\b/.test(m.text())) {
        problems.push(`console error: ${m.text()}`);
      }
    });
    await page.goto(new URL(query, server.url).href);
    await ready(page, problems);
    return { context, page, problems };
  }

  async function ready(page, problems = []) {
    await page.waitForSelector("body[data-ready=true]", { timeout: 15_000 }).catch((e) => {
      throw new Error(`the demo page did not get ready: ${e.message}\n${problems.join("\n")}`);
    });
  }

  const { call, latestCode, confirmedUser } = emulatorApi(config);

  return {
    url: server.url,
    config,
    endpoint,
    browser,
    open,
    ready,
    call,
    latestCode,
    confirmedUser,
    async close() {
      await browser.close().catch(() => {});
      await server.close();
      await emu.stop();
    },
  };
}

/**
 * The emulator's API for test set-up, for the pool and app client of `config` (`{ endpoint,
 * userPoolId, clientId }`, as `_emulator/config` answers).
 */
export function emulatorApi(config) {
  const { endpoint } = config;

  /** A JSON-1.1 call straight to the emulator (test set-up only). */
  async function call(operation, body) {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(`${operation}: ${data.__type}: ${data.message}`);
    return data;
  }

  async function latestCode(username, purpose) {
    const url = new URL("_emulator/codes", endpoint);
    url.search = new URLSearchParams({ userPoolId: config.userPoolId, username, ...(purpose ? { purpose } : {}) });
    const response = await fetch(url);
    if (!response.ok) throw new Error(`no ${purpose ?? ""} code for ${username}: ${response.status}`);
    return response.json();
  }

  /** A confirmed user made through the API, for tests whose subject is not sign-up. */
  async function confirmedUser(prefix) {
    const username = uniqueName(prefix);
    await call("SignUp", {
      ClientId: config.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
    });
    const { code } = await latestCode(username, "SIGN_UP");
    await call("ConfirmSignUp", { ClientId: config.clientId, Username: username, ConfirmationCode: code });
    return username;
  }

  return { call, latestCode, confirmedUser };
}

export function uniqueName(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function shot(page, name) {
  await page.screenshot({ path: `${screenshotDir}${name}.png`, fullPage: true });
}

/** Signs in through the page's form; resolves once the page shows a session, a challenge or an error. */
export async function signIn(page, username, password) {
  const form = page.locator("#signin-section");
  await form.getByLabel("Username").fill(username);
  await form.getByLabel("Password").fill(password);
  await form.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForFunction(() => {
    const status = document.getElementById("session-status").dataset.state;
    const challenge = !document.getElementById("challenge-section").hidden;
    const error = document.getElementById("signin-message").textContent;
    const busy = document.getElementById("signin-section").hasAttribute("aria-busy");
    return !busy && (status === "signed-in" || challenge || error);
  });
}

/** RFC 6238 TOTP: SHA-1, 6 digits, 30 s steps, from a base32 secret. */
export function totp(secret, now = Date.now()) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of secret.replace(/=+$/, "").toUpperCase()) {
    const value = alphabet.indexOf(ch);
    if (value < 0) throw new Error(`not base32: ${ch}`);
    bits += value.toString(2).padStart(5, "0");
  }
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, "0");
}

/** Waits until a section's action is done and it shows a result or an error; returns both texts. */
export async function settle(page, prefix) {
  await page.waitForFunction((p) => {
    const section = document.getElementById(`${p}-section`);
    const result = document.getElementById(`${p}-result`);
    const message = document.getElementById(`${p}-message`);
    return !section.hasAttribute("aria-busy") && Boolean(result?.textContent || message?.textContent);
  }, prefix);
  return {
    result: (await page.locator(`#${prefix}-result`).textContent()) ?? "",
    error: (await page.locator(`#${prefix}-message`).textContent()) ?? "",
  };
}

/** The session panel: state ("signed-in"/"signed-out") and the claims shown. */
export async function sessionPanel(page) {
  return page.evaluate(() => {
    const claims = {};
    for (const cell of document.querySelectorAll("#claims td[data-claim]")) claims[cell.dataset.claim] = cell.textContent;
    return {
      state: document.getElementById("session-status").dataset.state,
      status: document.getElementById("session-status").textContent,
      username: document.getElementById("session-username").textContent,
      expiresAt: document.getElementById("session-expires-at").textContent,
      expiresIn: document.getElementById("session-expires-in").textContent,
      restoreNote: document.getElementById("restore-note").textContent,
      claims: document.getElementById("session-details").hidden ? {} : claims,
    };
  });
}

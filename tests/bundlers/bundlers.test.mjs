// The package as a new user meets it (issue 17): the packed tarball (`npm pack pkg/`), installed
// into small apps, built by each toolchain with its default config, and signing in against the
// emulator in headless Chromium: Vite 8 (build and dev) and Vite 7 (dev), webpack, Next.js (Turbopack and webpack: a
// server-rendered client component, a route handler and edge middleware verifying the token),
// esbuild (iife and esm), Rollup + node-resolve, Parcel, strict TypeScript in three resolution
// modes (ESM and CommonJS, the output run by Node), a page under a Content-Security-Policy, and a
// Worker through wrangler (deploy --dry-run, dev). Run by tests/bundlers/run (npm ci first).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { createServer } from "node:http";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { cognitoCall, emulator, emulatorCode } from "../hostile/emulator.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "..", "..");
const apps = join(here, "apps");
const bin = join(here, "node_modules", ".bin");
const PASSWORD = "Bundl3r-Pa55word!";
const quiet = { NEXT_TELEMETRY_DISABLED: "1", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "1", NO_COLOR: "1" };

let emu, browser;
before(async () => {
  emu = await emulator();
  // The tarball, unpacked where npm would put it (the workspaces' shared node_modules).
  const out = join(here, "out");
  mkdirSync(out, { recursive: true });
  const { stdout } = await run("npm", ["pack", join(root, "pkg"), "--pack-destination", out, "--silent"], { cwd: root });
  const tarball = join(out, stdout.trim().split("\n").pop());
  const target = join(here, "node_modules", "cognito-wasm");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"]);
  // Vite 7's app has its own node_modules (vite 7 is not hoisted): the package there too, the
  // layout of a single app.
  const own = join(apps, "vite7", "node_modules", "cognito-wasm");
  rmSync(own, { recursive: true, force: true });
  mkdirSync(own, { recursive: true });
  await run("tar", ["-xzf", tarball, "-C", own, "--strip-components=1"]);
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
  emu?.stop();
});

/** Runs a command; rejects with its output when it fails. */
function run(command, args, { cwd = here, env = {}, timeout = 240_000 } = {}) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: { ...process.env, ...quiet, ...env }, timeout, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed (${error.code ?? error.signal}):\n${stdout}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Starts a long-running command; resolves once `ready` matches its output. */
function daemon(command, args, { cwd, env = {}, ready }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...quiet, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${output}`)), 90_000);
    const onData = (chunk) => {
      output += chunk;
      const match = ready.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${command} exited (${code}):\n${output}`)));
  });
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  };
  return { started, stop, output: () => output };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".json": "application/json", ".map": "application/json" };

/** A static server over `dirs` (first match wins), with `headers` on every answer. */
async function serve(dirs, headers = {}) {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    for (const dir of dirs) {
      const file = normalize(join(dir, path));
      if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) continue;
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", ...headers });
      return res.end(await readFile(file));
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

async function newUser() {
  const username = `bundler-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const { userPoolId, clientId } = emu.cfg;
  await cognitoCall(emu.endpoint, "SignUp", { ClientId: clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] });
  const code = await emulatorCode(emu.endpoint, userPoolId, username);
  await cognitoCall(emu.endpoint, "ConfirmSignUp", { ClientId: clientId, Username: username, ConfirmationCode: code });
  return username;
}

function query() {
  return new URLSearchParams({ endpoint: emu.endpoint, pool: emu.cfg.userPoolId, client: emu.cfg.clientId }).toString();
}

/**
 * Opens `url`, fills the sign-in form as a person would and resolves with the status line once it
 * says more than "Ready"; also what the page reported as uncaught (page errors).
 */
async function signInThroughPage(url, username = undefined, { pageLoadsWasm = true } = {}) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById("status")?.textContent === "Ready", null, { timeout: 30_000 });
    if (pageLoadsWasm) {
      // Loading starts when the package is imported, before any call.
      await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => /\.wasm($|\?)/.test(e.name)), null, { timeout: 10_000 });
    }
    await page.fill('input[name="username"]', username ?? (await newUser()));
    await page.fill('input[name="password"]', PASSWORD);
    await page.click("button");
    await page.waitForFunction(() => !["Ready", "Loading…"].includes(document.getElementById("status").textContent), null, { timeout: 30_000 });
    const status = await page.textContent("#status");
    const changed = await page.evaluate(() => document.getElementById("status").dataset.changed);
    const verified = await page.evaluate(() => document.getElementById("verified")?.textContent ?? null);
    const wasmEntries = await page.evaluate(() => performance.getEntriesByType("resource").filter((e) => /\.wasm($|\?)/.test(e.name)).map((e) => [e.name, e.initiatorType]));
    const wasm = wasmEntries.map(([name]) => name);
    const initiators = wasmEntries.map(([, initiator]) => initiator);
    return { status, changed, verified, errors, wasm, initiators, page };
  } catch (e) {
    throw new Error(`${e.message}\nstatus: ${await page.textContent("#status").catch(() => "?")}\npage errors: ${errors.join("\n")}`);
  }
}

async function expectSignIn(url, options) {
  const username = await newUser();
  const result = await signInThroughPage(url, username, options);
  await result.page.close();
  assert.equal(result.status, `Signed in as ${username}`, `page errors: ${result.errors.join("\n")}`);
  assert.deepEqual(result.errors, []);
  if (options?.pageLoadsWasm !== false) {
    // Nothing stored (a fresh profile), plain options: the page will sign in, so the signin_plain
    // module alone, once, from the constructor on (never the restore, session or signin module).
    assert.equal(result.wasm.length, 1, `the page fetched one .wasm file, once: ${result.wasm}`);
    if (result.wasm.every((url) => url.includes("cognito_wasm"))) { // webpack names them by hash
      assert.match(result.wasm[0], /cognito_wasm_signin_plain_bg/);
    }
  }
  if (result.changed !== undefined) assert.equal(result.changed, username, "onSessionChange (subscribed before the .wasm was ready) fired");
  return { ...result, username };
}

/** Files under `dir` whose name ends with `suffix`. */
function filesIn(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith(suffix));
}

test("Vite 8 build: a React sign-in form", async () => {
  const app = join(apps, "vite");
  rmSync(join(app, "dist"), { recursive: true, force: true });
  await run(join(bin, "vite"), ["build", "--logLevel", "warn"], { cwd: app });
  const wasm = filesIn(join(app, "dist"), ".wasm");
  assert.equal(wasm.length, 6, `six .wasm published (the browser modules): ${wasm}`);
  const server = await serve([join(app, "dist")]);
  try {
    await expectSignIn(`${server.origin}/?${query()}`);
  } finally {
    server.close();
  }
});

test("Vite 8 dev server", async () => {
  const app = join(apps, "vite");
  // --force: a pre-bundle cached by an earlier run would hold an older build of the package.
  const dev = daemon(join(bin, "vite"), ["--force", "--port", "0", "--strictPort", "false", "--host", "127.0.0.1"], { cwd: app, ready: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\// });
  try {
    const [, origin] = await dev.started;
    await expectSignIn(`${origin}/?${query()}`);
  } finally {
    dev.stop();
  }
});

test("Vite 7 dev server (pre-bundles dependencies without their assets)", async () => {
  const app = join(apps, "vite7");
  rmSync(join(app, "node_modules", ".vite"), { recursive: true, force: true });
  const dev = daemon(join(app, "node_modules", ".bin", "vite"), ["--port", "0", "--host", "127.0.0.1"], { cwd: app, ready: /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\// });
  try {
    const [, origin] = await dev.started;
    await expectSignIn(`${origin}/?${query()}`);
  } finally {
    dev.stop();
  }
});

test("webpack 5 without a config file", async () => {
  const app = join(apps, "webpack");
  rmSync(join(app, "dist"), { recursive: true, force: true });
  await run(join(bin, "webpack"), ["--no-stats"], { cwd: app });
  const server = await serve([join(app, "dist"), app]);
  try {
    await expectSignIn(`${server.origin}/?${query()}`);
  } finally {
    server.close();
  }
});

test("Parcel 2: index.html as the entry", async () => {
  const app = join(apps, "parcel");
  rmSync(join(app, "dist"), { recursive: true, force: true });
  rmSync(join(app, ".parcel-cache"), { recursive: true, force: true });
  await run(join(bin, "parcel"), ["build", "index.html", "--no-cache"], { cwd: app });
  const server = await serve([join(app, "dist")]);
  try {
    await expectSignIn(`${server.origin}/?${query()}`);
  } finally {
    server.close();
  }
});

for (const format of ["iife", "esm"]) {
  test(`esbuild --bundle --minify --format=${format}, plus the README's one line (copy the .wasm)`, async () => {
    const app = join(apps, "esbuild");
    const dist = join(app, `dist-${format}`);
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    await run(join(bin, "esbuild"), ["src/index.js", "--bundle", "--minify", `--format=${format}`, `--outfile=${join(dist, "app.js")}`, "--log-level=error"], { cwd: app });
    // Without the line: a caught WasmLoadError that names it.
    let server = await serve([dist, app]);
    try {
      const result = await signInThroughPage(`${server.origin}/${format}.html?${query()}`);
      await result.page.close();
      assert.match(result.status, /^caught WasmLoadError: .*cp node_modules\/cognito-wasm\/cognito_wasm_\*_bg\.wasm/);
      assert.deepEqual(result.errors, []);
    } finally {
      server.close();
    }
    // With it.
    await run("sh", ["-c", `cp ${join(here, "node_modules", "cognito-wasm")}/cognito_wasm_*_bg.wasm ${dist}/`]);
    server = await serve([dist, app]);
    try {
      await expectSignIn(`${server.origin}/${format}.html?${query()}`);
    } finally {
      server.close();
    }
  });
}

test("Rollup 4 + @rollup/plugin-node-resolve, plus the README's one line (copy the .wasm)", async () => {
  const app = join(apps, "rollup");
  rmSync(join(app, "dist"), { recursive: true, force: true });
  await run(join(bin, "rollup"), ["-c", "--silent"], { cwd: app });
  let server = await serve([join(app, "dist"), app]);
  try {
    const result = await signInThroughPage(`${server.origin}/?${query()}`);
    await result.page.close();
    assert.match(result.status, /^caught WasmLoadError: .*HTTP 404.*cp node_modules\/cognito-wasm\/cognito_wasm_\*_bg\.wasm/);
  } finally {
    server.close();
  }
  await run("sh", ["-c", `cp ${join(here, "node_modules", "cognito-wasm")}/cognito_wasm_*_bg.wasm ${join(app, "dist")}/`]);
  server = await serve([join(app, "dist"), app]);
  try {
    await expectSignIn(`${server.origin}/?${query()}`);
  } finally {
    server.close();
  }
});

const CSP = "default-src 'self'; connect-src *; script-src 'self'";
test("a page under Content-Security-Policy: script-src 'self' 'wasm-unsafe-eval' signs in", async () => {
  const server = await serve([join(apps, "csp"), here], { "content-security-policy": CSP.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'") });
  try {
    await expectSignIn(`${server.origin}/?${query()}`);
  } finally {
    server.close();
  }
});

test("the README's preload recipe for a sign-in page: the .wasm preloaded with the HTML is the one the package uses (one fetch)", async () => {
  const server = await serve([join(apps, "csp"), here]);
  try {
    const { initiators } = await expectSignIn(`${server.origin}/preload.html?${query()}`);
    assert.deepEqual(initiators, ["link"], "fetched by the <link rel=preload> only, not a second time by the package");
  } finally {
    server.close();
  }
});

test("a page under script-src 'self' alone catches a WasmBlockedError naming 'wasm-unsafe-eval'", async () => {
  const server = await serve([join(apps, "csp"), here], { "content-security-policy": CSP });
  try {
    const result = await signInThroughPage(`${server.origin}/?${query()}`);
    await result.page.close();
    assert.match(result.status, /^caught WasmBlockedError: .*'wasm-unsafe-eval'/);
    assert.deepEqual(result.errors, [], "nothing uncaught");
  } finally {
    server.close();
  }
});

for (const bundler of ["turbopack", "webpack"]) {
  test(`Next.js 16 (${bundler}): a server-rendered client component, a route handler and edge middleware`, async () => {
    const app = join(apps, "next");
    rmSync(join(app, ".next"), { recursive: true, force: true });
    const env = { COGNITO_POOL: emu.cfg.userPoolId, COGNITO_CLIENT: emu.cfg.clientId, COGNITO_ENDPOINT: emu.endpoint };
    await run(join(bin, "next"), ["build", ...(bundler === "webpack" ? ["--webpack"] : [])], { cwd: app, env });
    const published = filesIn(join(app, ".next", "static"), ".wasm");
    assert.equal(published.length, 6, `only the six browser .wasm files are published: ${published}`);
    for (const name of ["restore", "session", "signin_plain", "signin", "signup", "browser"]) assert.ok(published.some((f) => f.includes(`cognito_wasm_${name}_bg`)), `${name}: ${published}`);
    const server = daemon(join(bin, "next"), ["start", "--hostname", "127.0.0.1", "--port", "0"], { cwd: app, env, ready: /Local:\s+(http:\/\/[\w.]+:\d+)/ });
    try {
      let [, origin] = await server.started;
      origin = origin.replace("localhost", "127.0.0.1");
      const html = await (await fetch(`${origin}/`)).text();
      assert.match(html, /id="sign-in"/, "the client component was rendered on the server");
      const { username, verified } = await expectSignIn(`${origin}/?${query()}`);
      const [status, body] = [verified.slice(0, 3), JSON.parse(verified.slice(4))];
      assert.equal(status, "200", verified);
      assert.deepEqual(body, { route: username, middleware: username });
      const refused = await fetch(`${origin}/api/verify`, { headers: { authorization: "Bearer nope" } });
      assert.equal(refused.status, 401);
      assert.equal((await refused.json()).error, "JwtVerificationError", "the middleware refused it");
    } finally {
      server.stop();
    }
  });
}

test("TypeScript --strict, lib es2022 + dom, no skipLibCheck: bundler, node16, nodenext; ESM and CommonJS run by Node", async () => {
  const username = await newUser();
  const env = { COGNITO_POOL: emu.cfg.userPoolId, COGNITO_CLIENT: emu.cfg.clientId, COGNITO_ENDPOINT: emu.endpoint, COGNITO_USER: username, COGNITO_PASSWORD: PASSWORD };
  for (const [kind, modes] of [["esm", ["bundler", "node16", "nodenext"]], ["cjs", ["node16", "nodenext"]]]) {
    for (const mode of modes) {
      const dir = join(apps, "ts", kind);
      rmSync(join(dir, "out", mode), { recursive: true, force: true });
      await run(join(bin, "tsc"), ["-p", `tsconfig.${mode}.json`], { cwd: dir });
      if (mode === "bundler") continue; // bundler output is for a bundler, not Node
      const { stdout } = await run(process.execPath, [join(dir, "out", mode, "run.js")], { cwd: dir, env });
      assert.match(stdout, new RegExp(`^Signed in as ${username}; verified ${username}`), `${kind} ${mode}`);
    }
  }
});

test("Cloudflare Worker through wrangler 4.86: deploy --dry-run, then wrangler dev signs in", async () => {
  const app = join(apps, "worker");
  const outdir = join(app, "dist");
  rmSync(outdir, { recursive: true, force: true });
  await run(join(bin, "wrangler"), ["deploy", "--dry-run", "--outdir", outdir], { cwd: app });
  const wasm = filesIn(outdir, ".wasm");
  assert.equal(wasm.length, 1, `the full .wasm is uploaded as a module: ${wasm}`);
  const vars = [["COGNITO_POOL", emu.cfg.userPoolId], ["COGNITO_CLIENT", emu.cfg.clientId], ["COGNITO_ENDPOINT", emu.endpoint]].flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const dev = daemon(join(bin, "wrangler"), ["dev", "--ip", "127.0.0.1", "--port", "0", "--show-interactive-dev-session=false", ...vars], { cwd: app, ready: /Ready on (http:\/\/[\d.]+:\d+)/ });
  try {
    const [, origin] = await dev.started;
    await expectSignIn(`${origin}/`, { pageLoadsWasm: false }); // the Worker signs in; the page has no .wasm
  } finally {
    dev.stop();
  }
});

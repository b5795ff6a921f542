// Shared by the Workers tests and the benchmark: a test RSA key that signs forged tokens, a JWKS
// server on 127.0.0.1 (with a "down" mode and a fetch counter per path), the Cognito emulator,
// its JSON-1.1 API for test set-up, and workerd through miniflare running a Worker that imports
// pkg/workerd.js.
import assert from "node:assert/strict";
import { createHmac, createSign, generateKeyPairSync } from "node:crypto";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));

const b64url = (data) => Buffer.from(data).toString("base64url");

/** An RSA key pair, its public JWK (with `kid`) and a signer. */
export function testKey(kid = "test-key-1") {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicKey, jwk, publicPem: publicKey.export({ format: "pem", type: "spki" }) };
}

/** A JWT: RS256 with `key`, HS256 with `hmacSecret`, or unsigned (`alg: "none"`). */
export function signJwt(header, payload, { key, hmacSecret } = {}) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  let signature = "";
  if (header.alg === "RS256") signature = createSign("RSA-SHA256").update(input).sign(key).toString("base64url");
  else if (header.alg === "HS256") signature = createHmac("sha256", hmacSecret).update(input).digest("base64url");
  return `${input}.${signature}`;
}

/** Serves `{keys}` at `/<pool>/.well-known/jwks.json` for any pool; `down = true` answers 503. */
export async function startJwksServer(keys) {
  const state = { keys, down: false, fetches: new Map() };
  const server = createServer((req, res) => {
    state.fetches.set(req.url, (state.fetches.get(req.url) ?? 0) + 1);
    if (state.down || !req.url.endsWith("/.well-known/jwks.json")) {
      res.writeHead(state.down ? 503 : 404).end("unavailable");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}/`;
  return {
    state,
    endpoint,
    issuer: (pool) => `${endpoint}${pool}`,
    fetchCount: (pool) => state.fetches.get(`/${pool}/.well-known/jwks.json`) ?? 0,
    // Every connection too, keep-alive ones of `fetch` included: `close` alone waits for them.
    close: () =>
      new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      }),
  };
}

/** The emulator at COGNITO_EMULATOR_URL, or one started here (stopped by `stop`). */
export async function emulator() {
  if (process.env.COGNITO_EMULATOR_URL) {
    const endpoint = process.env.COGNITO_EMULATOR_URL;
    const config = await (await fetch(new URL("_emulator/config", endpoint))).json();
    return { endpoint, config, stop: async () => {} };
  }
  const child = spawn(`${root}tests/emulator/start`, ["--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
  const config = JSON.parse(line);
  return {
    endpoint: config.endpoint,
    config,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** A JSON-1.1 call to the emulator `emu` (test set-up only); asserts that it succeeds. */
export async function cognito(emu, target, body) {
  const r = await fetch(emu.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${target}` },
    body: JSON.stringify(body),
  });
  assert.ok(r.ok, `${target}: ${await r.clone().text()}`);
  return r.json();
}

/** A confirmed user `<prefix>-<time>-<random>` of `emu`'s pool with `password` and an email. */
export async function createUser(emu, prefix, password) {
  const username = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const UserPoolId = emu.config.userPoolId;
  await cognito(emu, "AdminCreateUser", { UserPoolId, Username: username, MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: `${username}@example.com` }] });
  await cognito(emu, "AdminSetUserPassword", { UserPoolId, Username: username, Password: password, Permanent: true });
  return username;
}

/**
 * workerd (miniflare) running `source`, a Worker module whose `from "cognito-wasm"` imports are
 * pointed at pkg/workerd.js, with a KV namespace bound as `kv` and `bindings` as vars.
 */
export async function startWorker(source, { bindings = {}, kv = "KV" } = {}) {
  process.env.WRANGLER_SEND_METRICS = "false";
  process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";
  const { Miniflare } = await import("miniflare");
  const mf = new Miniflare({
    modules: true,
    script: source.replaceAll(`from "cognito-wasm"`, `from "./pkg/workerd.js"`),
    scriptPath: `${root}worker-under-test.js`,
    modulesRoot: root,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    kvNamespaces: [kv],
    bindings,
  });
  await mf.ready;
  return mf;
}

export const readSource = (path) => readFile(new URL(path, `file://${root}`), "utf8");

/** The `name=value` pairs of Set-Cookie headers (Max-Age=0 ones dropped), as a Cookie header. */
export function cookieHeader(setCookies, previous = "") {
  const jar = new Map(previous ? previous.split("; ").map((p) => p.split(/=(.*)/s).slice(0, 2)) : []);
  for (const line of setCookies) {
    const [pair] = line.split(";");
    const [name, value] = pair.split(/=(.*)/s);
    if (/;\s*Max-Age=0(;|$)/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  return [...jar].map(([n, v]) => `${n}=${v}`).join("; ");
}

// The benchmark of issues 8 and 16 (run through bench/run, which builds pkg/ and bench/pkg/ first).
// One run, one table: sign-in latency (alternately, Node and Chromium) against a fast verifying SRP
// server (bench/srp-server.mjs, OpenSSL math, in a worker thread) and, as context, against the Python
// emulator; the floor of a sign-in in each runtime (the same two requests with no client work);
// SRP math (ours, the reference client's own AuthenticationHelper, OpenSSL through node:crypto),
// gzip -9 sizes per path (bench/size.mjs: session, sign-in, whole browser package; with the
// size-floor probe, bench/size-floor) and cold start, then the phone profile (bench/phone.mjs) and
// the breakdown of each shipped .wasm by crate (bench/wasm-breakdown.mjs). Every figure is the
// median of its samples.
import { spawn, execFileSync } from "node:child_process";
import { createDiffieHellman, createHash, createHmac, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { createServer } from "node:http";
import { cpus, loadavg } from "node:os";
import { dirname, extname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { gzipSync } from "node:zlib";
import { formatPhone, phoneProfile } from "./phone.mjs";
import { N } from "./srp-server.mjs";
import { checkBudgets, formatReport, measurePaths, readBudgets } from "./size.mjs";
import { formatBreakdown } from "./wasm-breakdown.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bench", "out");
mkdirSync(out, { recursive: true });
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg("--rounds", 20);
const WARMUP = 3;
const SRP_ITERATIONS = arg("--srp-iterations", 30);
const COLD_RUNS = arg("--cold-runs", 12);
const PHONE_ROUNDS = arg("--phone-rounds", 7);
const PASSWORD = "Bench-Passw0rd!Ω";
const log = (...a) => console.error("[bench]", ...a);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------------------------------------
// The emulator and users.

function startEmulator() {
  const child = spawn(join(root, "tests/emulator/start"), ["--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (d) => { err += d; if (err.length > 1e6) err = err.slice(-1e5); });
  const exited = new Promise((r) => child.on("exit", r));
  return new Promise((resolvePromise, reject) => {
    let buf = "";
    const timer = setTimeout(() => { child.kill("SIGTERM"); reject(new Error(`emulator not ready:\n${err}`)); }, 30000);
    child.stdout.on("data", (d) => {
      buf += d;
      const nl = buf.indexOf("\n");
      if (nl < 0) return;
      clearTimeout(timer);
      resolvePromise({ config: JSON.parse(buf.slice(0, nl)), stop: async () => { child.kill("SIGTERM"); await exited; } });
    });
  });
}

async function call(config, operation, body) {
  const res = await fetch(config.endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${operation}: ${json.__type}: ${json.message}`);
  return json;
}

/** bench/srp-server.mjs in a worker thread (its own event loop and heap, like a separate server). */
function startFastServer() {
  const url = pathToFileURL(join(root, "bench/srp-server.mjs")).href;
  const worker = new Worker(`
const { parentPort } = require("node:worker_threads");
import(${JSON.stringify(url)}).then(async ({ start }) => {
  const s = await start({ port: 0 });
  parentPort.on("message", async (m) => {
    if (m.op === "addUsers") for (const u of m.usernames) s.addUser(u, m.password);
    if (m.op === "close") await s.close();
    parentPort.postMessage({ id: m.id });
  });
  parentPort.postMessage({ config: { endpoint: s.endpoint, userPoolId: s.userPoolId, clientId: s.clientId } });
});`, { eval: true });
  let nextId = 0;
  const pending = new Map();
  const request = (msg) => new Promise((ok) => { const id = nextId++; pending.set(id, ok); worker.postMessage({ ...msg, id }); });
  return new Promise((resolvePromise, reject) => {
    worker.once("error", reject);
    worker.on("message", (m) => {
      if (m.config) {
        resolvePromise({
          config: m.config,
          addUsers: (usernames) => request({ op: "addUsers", usernames, password: PASSWORD }),
          stop: async () => { await request({ op: "close" }); await worker.terminate(); },
        });
      } else { pending.get(m.id)?.(); pending.delete(m.id); }
    });
  });
}

let userNo = 0;
async function fastUsers(fast, n, prefix) {
  const names = Array.from({ length: n }, () => `${prefix}-${process.pid}-${userNo++}`);
  await fast.addUsers(names);
  return names;
}

async function confirmedUsers(config, n, prefix) {
  const names = [];
  for (let i = 0; i < n; i++) {
    const username = `${prefix}-${process.pid}-${userNo++}`;
    await call(config, "AdminCreateUser", { UserPoolId: config.userPoolId, Username: username, MessageAction: "SUPPRESS" });
    await call(config, "AdminSetUserPassword", { UserPoolId: config.userPoolId, Username: username, Password: PASSWORD, Permanent: true });
    names.push(username);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// Sign-in latency and SRP math, the same code in Node and in the page (serialized there).
// args: { oursUrl, acijUrl, benchInit, benchUrl, servers: {name: {config, users: {ours, fresh, theirs}}},
//         rounds, warmup, vector, srpIterations, password }

async function measureInRuntime(args) {
  const { rounds, warmup, vector, password } = args;
  const ours = await import(args.oursUrl);
  await ours.init?.(); // the entries load the .wasm in the background (no top-level await)
  const acijModule = await import(args.acijUrl);
  const acij = acijModule.CognitoUserPool ? acijModule : acijModule.default;
  const { CognitoUserPool, CognitoUser, AuthenticationDetails, AuthenticationHelper } = acij;
  const bench = await import(args.benchUrl);
  await bench.default({ module_or_path: args.benchInit });
  const now = () => performance.now();
  const idle = (ms) => new Promise((r) => setTimeout(r, ms));

  // Sign-in, against each server: ours on one long-lived CognitoAuth (its SRP pair precomputed while
  // idle), ours on a fresh CognitoAuth per sign-in (A computed inside the call),
  // amazon-cognito-identity-js. All (server, client) pairs take turns within a round.
  const kinds = {};
  for (const [server, { config }] of Object.entries(args.servers)) {
    const options = { userPoolId: config.userPoolId, clientId: config.clientId, endpoint: config.endpoint };
    const warm = new ours.CognitoAuth(options);
    const pool = new CognitoUserPool({ UserPoolId: config.userPoolId, ClientId: config.clientId, endpoint: config.endpoint });
    kinds[`${server}.ours`] = async (username) => {
      const r = await warm.signIn({ username, password });
      if (!r.signedIn) throw new Error("ours: not signed in");
    };
    kinds[`${server}.fresh`] = async (username) => {
      const r = await new ours.CognitoAuth(options).signIn({ username, password });
      if (!r.signedIn) throw new Error("ours (fresh): not signed in");
    };
    // The floor: the same two requests with no client work at all (a fixed A, a wrong signature
    // with a valid TIMESTAMP, which the server verifies in full and refuses). No client can sign in
    // faster than this in this runtime against this server.
    if (server === "fast") kinds[`${server}.floor`] = async (username) => {
      const post = async (operation, body) => (await fetch(config.endpoint, {
        method: "POST", body: JSON.stringify(body),
        headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": `AWSCognitoIdentityProviderService.${operation}` },
      })).json();
      const challenge = await post("InitiateAuth", {
        AuthFlow: "USER_SRP_AUTH", ClientId: config.clientId, AuthParameters: { USERNAME: username, SRP_A: vector.A },
      });
      const p = challenge.ChallengeParameters;
      const [weekday, date, month, year, time] = new Date().toUTCString().match(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/).slice(1);
      const answer = await post("RespondToAuthChallenge", {
        ChallengeName: "PASSWORD_VERIFIER", ClientId: config.clientId, Session: challenge.Session,
        ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK,
          TIMESTAMP: `${weekday} ${month} ${Number(date)} ${time} UTC ${year}`, PASSWORD_CLAIM_SIGNATURE: vector.signature },
      });
      if (answer.__type !== "NotAuthorizedException") throw new Error(`floor: expected a refusal, got ${JSON.stringify(answer)}`);
    };
    kinds[`${server}.theirs`] = (username) => new Promise((resolvePromise, reject) => {
      const user = new CognitoUser({ Username: username, Pool: pool });
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: () => resolvePromise(),
        onFailure: reject,
        newPasswordRequired: () => reject(new Error("theirs: newPasswordRequired")),
        totpRequired: () => reject(new Error("theirs: totpRequired")),
        mfaRequired: () => reject(new Error("theirs: mfaRequired")),
      });
    });
  }
  const names = Object.keys(kinds);
  const signIn = Object.fromEntries(names.map((k) => [k, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let j = 0; j < names.length; j++) {
      const kind = names[(round + j) % names.length]; // rotate who goes first
      const [server, client] = kind.split(".");
      const username = args.servers[server].users[client][round];
      await idle(30); // let the previous call's background work (timers, GC) settle
      const t0 = now();
      await kinds[kind](username);
      const t = now() - t0;
      if (round >= warmup) signIn[kind].push(t);
    }
  }

  // SRP math alone: ours through benchSrp (wasm, timed inside), theirs through their own
  // AuthenticationHelper: constructor (a, A = g^a) + getPasswordAuthenticationKey (u, x, g^x, S,
  // HKDF) for the same vector's B and salt. Alternating blocks, the first of each discarded. In
  // Node, `args.reference(n)` (OpenSSL) runs right after each of our blocks, so that both see the
  // same phase of a machine whose speed drifts.
  const poolName = vector.userPoolId.split("_")[1];
  const srp = { ours: [], oursEphemeral: [], oursVerifier: [], theirs: [], reference: [] };
  const BigInteger = new AuthenticationHelper(poolName).N.constructor;
  const B = new BigInteger(vector.B, 16);
  const salt = new BigInteger(vector.salt, 16);
  const blocks = 3;
  const per = Math.ceil(args.srpIterations / blocks);
  for (let b = 0; b < blocks; b++) {
    const r = bench.benchSrp(per + 1, poolName, vector.userIdForSrp, vector.password, vector.salt, vector.B, vector.secretBlock);
    srp.ours.push(...[...r.total].slice(1));
    srp.oursEphemeral.push(...[...r.ephemeral].slice(1));
    srp.oursVerifier.push(...[...r.verifier].slice(1));
    if (args.reference) srp.reference.push(...args.reference(per));
    for (let i = 0; i <= per; i++) {
      const t0 = now();
      const helper = new AuthenticationHelper(poolName);
      await new Promise((ok, fail) =>
        helper.getPasswordAuthenticationKey(vector.userIdForSrp, vector.password, B, salt, (e, key) => (e ? fail(e) : ok(key))));
      const t = now() - t0;
      if (i > 0) srp.theirs.push(t);
    }
  }
  return { signIn, srp, userAgent: typeof navigator === "object" ? navigator.userAgent : `Node ${process.version}` };
}

// ---------------------------------------------------------------------------------------------
// OpenSSL (node:crypto) doing the SRP math of one sign-in, and a fake client built on it that
// times the emulator's own share of a sign-in (two raw round trips, client math done between).

const padHex = (n) => {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  else if ("89abcdef".includes(h[0])) h = "00" + h;
  return h;
};
const sha256Hex = (hex) => createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
const K_MUL = BigInt("0x" + sha256Hex(padHex(N) + padHex(2n)));
const toBuf = (n, bytes) => Buffer.from(n.toString(16).padStart(bytes * 2, "0"), "hex");
const fromBuf = (b) => BigInt("0x" + (b.toString("hex") || "0"));
const dhA = createDiffieHellman(toBuf(N, 384), 2);
const dhX = createDiffieHellman(toBuf(N, 384), 2);
const dhS = createDiffieHellman(toBuf(N, 384), 2);

/** g^e mod N by OpenSSL (DH public key of private key e). */
function powG(dh, e) {
  dh.setPrivateKey(toBuf(e, 32 + (e >> 256n > 0n ? 32 : 0)));
  return fromBuf(dh.generateKeys());
}

function opensslEphemeral() {
  const a = fromBuf(randomBytes(32));
  return { a, A: powG(dhA, a) };
}

function opensslVerifier({ a, A }, { poolName, userId, password, saltHex, B, secretBlock, timestamp }) {
  const u = BigInt("0x" + sha256Hex(padHex(A) + padHex(B)));
  const identity = createHash("sha256").update(`${poolName}${userId}:${password}`, "utf8").digest("hex");
  const x = BigInt("0x" + sha256Hex(padHex(BigInt("0x" + saltHex)) + identity));
  const gx = powG(dhX, x);
  const base = (((B - K_MUL * gx) % N) + N) % N;
  const exp = a + u * x; // ~512 bits
  dhS.setPrivateKey(toBuf(exp, 64));
  const S = fromBuf(dhS.computeSecret(toBuf(base, 384)));
  const prk = createHmac("sha256", Buffer.from(padHex(u), "hex")).update(Buffer.from(padHex(S), "hex")).digest();
  const key = createHmac("sha256", prk).update(Buffer.concat([Buffer.from("Caldera Derived Key"), Buffer.from([1])])).digest().subarray(0, 16);
  return createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(poolName), Buffer.from(userId), Buffer.from(secretBlock, "base64"), Buffer.from(timestamp)]))
    .digest("base64");
}

function cognitoTimestamp(date = new Date()) {
  const d = date.toUTCString().match(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/);
  return `${d[1]} ${d[3]} ${Number(d[2])} ${d[5]} UTC ${d[4]}`;
}

function opensslSrp(vector, iterations) {
  const ctx = {
    poolName: vector.userPoolId.split("_")[1], userId: vector.userIdForSrp, password: vector.password,
    saltHex: vector.salt, B: BigInt("0x" + vector.B), secretBlock: vector.secretBlock, timestamp: vector.timestamp,
  };
  // The reference vector, with its own a: the exponentiations are the right ones.
  const check = opensslVerifier({ a: BigInt("0x" + vector.a), A: BigInt("0x" + vector.A) }, ctx);
  if (check !== vector.signature) throw new Error("OpenSSL reference disagrees with the SRP vector");
  const times = [];
  for (let i = 0; i <= iterations; i++) {
    const t0 = performance.now();
    opensslVerifier(opensslEphemeral(), ctx);
    if (i > 0) times.push(performance.now() - t0);
  }
  return times;
}

/** A server's own time: InitiateAuth + RespondToAuthChallenge of a client whose math is done
 *  (by OpenSSL) between the two timed round trips. The first user also checks that a wrong
 *  signature is refused. */
async function serverShare(config, users) {
  const poolName = config.userPoolId.split("_")[1];
  const times = [];
  for (const username of users) {
    const eph = opensslEphemeral();
    const t0 = performance.now();
    const init = await call(config, "InitiateAuth", {
      AuthFlow: "USER_SRP_AUTH", ClientId: config.clientId, AuthParameters: { USERNAME: username, SRP_A: eph.A.toString(16) },
    });
    const t1 = performance.now();
    const p = init.ChallengeParameters;
    const timestamp = cognitoTimestamp();
    const signature = opensslVerifier(eph, {
      poolName, userId: p.USER_ID_FOR_SRP, password: PASSWORD, saltHex: p.SALT, B: BigInt("0x" + p.SRP_B),
      secretBlock: p.SECRET_BLOCK, timestamp,
    });
    const t2 = performance.now();
    const respond = (sig) => call(config, "RespondToAuthChallenge", {
      ChallengeName: "PASSWORD_VERIFIER", ClientId: config.clientId, Session: init.Session,
      ChallengeResponses: { USERNAME: p.USER_ID_FOR_SRP, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: sig },
    });
    if (username === users[0]) {
      const wrong = Buffer.from(signature, "base64");
      wrong[0] ^= 1;
      const refused = await respond(wrong.toString("base64")).then(() => false, (e) => /NotAuthorizedException/.test(e.message));
      if (!refused) throw new Error(`${config.endpoint}: a wrong PASSWORD_CLAIM_SIGNATURE was not refused`);
      times.push(NaN); // this user's session is spent; the sample is dropped with the warm-up ones
      continue;
    }
    const done = await respond(signature);
    if (!done.AuthenticationResult?.IdToken) throw new Error("fake client: no tokens");
    times.push(t1 - t0 + (performance.now() - t2));
  }
  return times.slice(WARMUP);
}

// ---------------------------------------------------------------------------------------------
// Sizes and cold start.

function gz(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

function bundles() {
  const esbuild = join(root, "node_modules/.bin/esbuild");
  writeFileSync(join(out, "acij-app.js"), [
    'import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";',
    "export function signIn(Username, Password) {",
    '  const Pool = new CognitoUserPool({ UserPoolId: "us-east-1_AbC123", ClientId: "abcdefghijklmnopqrstuvwxyz" });',
    "  return new Promise((onSuccess, onFailure) =>",
    "    new CognitoUser({ Username, Pool }).authenticateUser(new AuthenticationDetails({ Username, Password }), { onSuccess, onFailure }));",
    "}",
  ].join("\n"));
  writeFileSync(join(out, "ours-app.js"), [
    `import { CognitoAuth } from ${JSON.stringify(join(root, "pkg/browser.js"))};`,
    "export function signIn(username, password) {",
    '  return new CognitoAuth({ userPoolId: "us-east-1_AbC123", clientId: "abcdefghijklmnopqrstuvwxyz" }).signIn({ username, password });',
    "}",
  ].join("\n"));
  writeFileSync(join(out, "acij-entry.js"),
    'export { AuthenticationDetails, AuthenticationHelper, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";\n');
  const build = (entry, outfile) => execFileSync(esbuild, [join(out, entry), "--bundle", "--minify", "--format=esm",
    "--platform=browser", "--target=es2022",
    // amazon-cognito-identity-js reads Node's `global` (its docs: define it as window).
    "--define:global=globalThis", `--outfile=${join(out, outfile)}`, "--log-level=error"], { cwd: root });
  build("acij-app.js", "acij-app.min.js");
  build("ours-app.js", "ours-app.min.js");
  build("acij-entry.js", "acij-browser.js"); // what the page drives
}

function sizes(paths) {
  // What a page downloads, per path (bench/size.mjs); the .wasm files of the whole browser package.
  const wasm = paths.whole.files.filter((f) => f.file.endsWith(".wasm"))
    .reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return {
    paths, wasm,
    oursBundled: gz(join(out, "ours-app.min.js")).gzip + wasm.gzip,
    theirs: gz(join(out, "acij-app.min.js")).gzip,
    floor: ["cognito_wasm_size_floor_bg.wasm", "cognito_wasm_size_floor.js"]
      .reduce((sum, f) => sum + gz(join(root, "bench/size-floor/pkg", f)).gzip, 0),
    sessionFloor: ["cognito_wasm_session_floor_bg.wasm", "cognito_wasm_session_floor.js"]
      .reduce((sum, f) => sum + gz(join(root, "bench/session-floor/pkg", f)).gzip, 0),
  };
}

function coldStart() {
  const oursScript = `const t0 = performance.now();
const { CognitoAuth } = await import(${JSON.stringify(pathToFileURL(join(root, "pkg/node.js")).href)});
new CognitoAuth({ userPoolId: "us-east-1_AbC123", clientId: "abcdefghijklmnopqrstuvwxyz" });
console.log(performance.now() - t0);`;
  const theirsScript = `const t0 = performance.now();
const { CognitoUserPool } = (await import("amazon-cognito-identity-js")).default;
new CognitoUserPool({ UserPoolId: "us-east-1_AbC123", ClientId: "abcdefghijklmnopqrstuvwxyz" });
console.log(performance.now() - t0);`;
  writeFileSync(join(out, "cold-ours.mjs"), oursScript);
  writeFileSync(join(out, "cold-theirs.mjs"), theirsScript);
  const runs = { ours: [], theirs: [] };
  for (let i = 0; i < COLD_RUNS + 1; i++) {
    for (const kind of i % 2 ? ["ours", "theirs"] : ["theirs", "ours"]) {
      const t = Number(execFileSync(process.execPath, [join(out, `cold-${kind}.mjs`)], { cwd: root }).toString().trim());
      if (i > 0) runs[kind].push(t); // the first pair warms the file cache
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Chromium: a tiny static server for pkg/, bench/pkg/ and the bundle, one page.

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };
function serve() {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path === "/") { res.writeHead(200, { "content-type": "text/html" }); res.end("<!doctype html><title>bench</title>"); return; }
    const file = resolve(root, "." + path);
    const allowed = ["pkg", "bench/pkg", "bench/out"].some((d) => file.startsWith(join(root, d) + "/"));
    if (!allowed) { res.writeHead(404); res.end(); return; }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch { res.writeHead(404); res.end(); }
  });
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r(server)));
}

const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

async function inChromium(args) {
  const { chromium } = await import("playwright-core");
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    page.on("pageerror", (e) => log("page error:", e.message));
    await page.goto(origin + "/");
    return await page.evaluate(async ([source, a]) => (0, eval)(`(${source})`)(a), [measureInRuntime.toString(), {
      ...args, oursUrl: `${origin}/pkg/browser.js`, acijUrl: `${origin}/bench/out/acij-browser.js`,
      benchUrl: `${origin}/bench/pkg/cognito_wasm.js`, benchInit: `${origin}/bench/pkg/cognito_wasm_bg.wasm`,
    }]);
  } finally {
    await browser.close();
    server.close();
  }
}

// ---------------------------------------------------------------------------------------------

const fmtMs = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) + " ms";
const fmtKB = (b) => (b / 1000).toFixed(1) + " KB";
const fmtX = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2)) + "×";

async function main() {
  const started = performance.now();
  const vector = JSON.parse(readFileSync(join(root, "tests/srp-vectors.json"), "utf8")).vectors[0];
  log("esbuild bundles");
  bundles();
  log("fast SRP server (bench/srp-server.mjs, worker thread), emulator");
  const fast = await startFastServer();
  const emu = await startEmulator().catch(async (e) => { await fast.stop(); throw e; });
  let node, chrome, fastShare, emuShare, cold;
  try {
    const per = WARMUP + ROUNDS;
    const servers = async (tag) => {
      const emuUsers = (who) => confirmedUsers(emu.config, per, `${tag}-emu-${who}`);
      const fastUsersOf = (who) => fastUsers(fast, per, `${tag}-fast-${who}`);
      return {
        fast: { config: fast.config, users: { ours: await fastUsersOf("ours"), fresh: await fastUsersOf("fresh"), theirs: await fastUsersOf("acij"), floor: await fastUsersOf("floor") } },
        emulator: { config: emu.config, users: { ours: await emuUsers("ours"), fresh: await emuUsers("fresh"), theirs: await emuUsers("acij") } },
      };
    };
    const common = { rounds: ROUNDS, warmup: WARMUP, vector, srpIterations: SRP_ITERATIONS, password: PASSWORD };
    log(`Node: ${ROUNDS} rounds × 2 servers × 3 sign-ins, SRP math`);
    node = await measureInRuntime({
      ...common, servers: await servers("node"),
      oursUrl: pathToFileURL(join(root, "pkg/node.js")).href, acijUrl: "amazon-cognito-identity-js",
      benchUrl: pathToFileURL(join(root, "bench/pkg/cognito_wasm.js")).href,
      benchInit: readFileSync(join(root, "bench/pkg/cognito_wasm_bg.wasm")),
      reference: (n) => opensslSrp(vector, n),
    });
    log("the servers' own time");
    fastShare = await serverShare(fast.config, await fastUsers(fast, per, "raw"));
    emuShare = await serverShare(emu.config, await confirmedUsers(emu.config, per, "raw"));
    log(`Chromium: ${ROUNDS} rounds × 2 servers × 3 sign-ins, SRP math`);
    chrome = await inChromium({ ...common, servers: await servers("chromium") });
  } finally {
    await emu.stop();
    await fast.stop();
  }
  log(`cold start: ${COLD_RUNS} fresh node processes each`);
  cold = coldStart();
  log("bytes per path (bench/size.mjs: Chromium records the session and sign-in pages)");
  const size = sizes(await measurePaths());
  log(`phone profile: ${PHONE_ROUNDS} rounds × 8 cold pages (bench/phone.mjs: each page plain and with preload tags)`);
  const phone = await phoneProfile({ rounds: PHONE_ROUNDS, log }).catch((e) => ({ error: e }));

  // The table.
  const m = (xs) => median(xs);
  const rows = [];
  const row = (what, ours, theirs, ratio, goal, met) => rows.push([what, ours, theirs, ratio, goal, met]);
  const yes = (b) => (b ? "yes" : "**no**");
  const runtimes = [["Node", node], ["Chromium", chrome]];
  // Issue 16's goal 4: warm sign-in ≥ 15× amazon-cognito-identity-js in Node; Chromium is context.
  for (const [name, r] of runtimes) {
    const goal = name === "Node" ? 15 : null;
    const [o, f, t] = [m(r.signIn["fast.ours"]), m(r.signIn["fast.fresh"]), m(r.signIn["fast.theirs"])];
    row(`${name}: whole sign-in (signIn vs authenticateUser)`, fmtMs(o), fmtMs(t), fmtX(t / o),
      goal === null ? "(context)" : `≥ ${goal}× (issue 16)`, goal === null ? "" : yes(t / o >= goal));
    row(`${name}: sign-in, fresh CognitoAuth (A computed in the call)`, fmtMs(f), fmtMs(t), fmtX(t / f), "(context)", "");
    const floor = m(r.signIn["fast.floor"]);
    row(`${name}: floor: the same two requests, no client work (fetch + server); ceiling theirs ÷ it`, fmtMs(floor), "", fmtX(t / floor),
      goal === null ? `client's own time ${fmtMs(o - floor)}` : `client's own time ${fmtMs(o - floor)}; ${goal}× needs ≤ ${fmtMs(t / goal - floor)}`, "");
  }
  const fs = m(fastShare);
  row("the fast server's own time in one sign-in (2 raw round trips from Node, client math excluded)", "", fmtMs(fs), "", "(context)", "");
  for (const [name, r] of runtimes) {
    const [o, f, t] = [m(r.signIn["emulator.ours"]), m(r.signIn["emulator.fresh"]), m(r.signIn["emulator.theirs"])];
    row(`against the Python emulator, ${name}: whole sign-in / fresh CognitoAuth`, `${fmtMs(o)} / ${fmtMs(f)}`, fmtMs(t), `${fmtX(t / o)} / ${fmtX(t / f)}`, "(context)", "");
  }
  const es = m(emuShare);
  row("the emulator's own time in one sign-in (2 raw round trips from Node); Node ceiling theirs ÷ it", "", fmtMs(es), fmtX(m(node.signIn["emulator.theirs"]) / es), "(context)", "");
  const os = m(node.srp.reference);
  for (const [name, r] of [["Node", node], ["Chromium", chrome]]) {
    const o = m(r.srp.ours), t = m(r.srp.theirs);
    row(`${name}: SRP math of one sign-in (A + PASSWORD_VERIFIER)`, fmtMs(o), fmtMs(t), `${fmtX(t / o)} faster; ${fmtX(o / os)} OpenSSL`, "≤ 2.2× OpenSSL (issue 16)", yes(o / os <= 2.2));
    row(`${name}:   of which A = g^a / the verifier response`, `${fmtMs(m(r.srp.oursEphemeral))} / ${fmtMs(m(r.srp.oursVerifier))}`, "", "", "", "");
  }
  row("OpenSSL (node:crypto DH) doing the same math, in Node between our blocks", fmtMs(os), "", "", "", "");
  const budgets = readBudgets();
  for (const r of checkBudgets(size.paths, budgets)) {
    const what = { session: "session path, gzip -9 (what a page fetches to restore, refresh, sign out)",
      signIn: "sign-in path, gzip -9 (what a first-visit page fetches to sign in)",
      whole: "whole browser package, gzip -9 (every file the browser entry can load)" }[r.path];
    row(what, fmtKB(r.bytes), fmtKB(size.theirs), fmtX(r.bytes / size.theirs),
      r.goal === null ? `(context; budget ${fmtKB(r.budget)})` : `≤ ${fmtKB(r.goal)} (issue 16)`, r.goal === null ? "" : yes(r.goalMet));
  }
  row("  of which .wasm (raw → gzip)", `${fmtKB(size.wasm.raw)} → ${fmtKB(size.wasm.gzip)}`, "", "", "", "");
  row("  ours bundled (esbuild app, minified glue) + .wasm", fmtKB(size.oursBundled), "", "", "(context)", "");
  row("size floor: one SRP sign-in and nothing else, design card's dependencies (bench/size-floor), .wasm + glue", fmtKB(size.floor), "", "", "(context)", "");
  row("session floor: restore and refresh from one storage, nothing else (bench/session-floor), .wasm + glue", fmtKB(size.sessionFloor), "", "", "(context)", "");
  const co = m(cold.ours), ct = m(cold.theirs);
  row("Node cold start (import + construct)", fmtMs(co), fmtMs(ct), fmtX(co / ct), "≤ 20 ms", yes(co <= 20));

  const header = ["measurement (medians)", "cognito-wasm", "amazon-cognito-identity-js", "ratio", "goal", "met"];
  const lines = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
  const cpu = cpus();
  console.log(`\n${new Date().toISOString().slice(0, 10)} · ${cpu.length} × ${cpu[0]?.model.trim()} · load average ${loadavg().map((x) => x.toFixed(1)).join(" ")} · Node ${process.version} · ${chrome.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? chrome.userAgent}`);
  console.log(`sign-in: ${ROUNDS} rounds after ${WARMUP} warm-up, alternating (3 clients × 2 servers), one user per sign-in; SRP math: ${SRP_ITERATIONS} iterations; cold start: ${COLD_RUNS} processes each\n`);
  console.log(lines.join("\n"));

  console.log("\n### Bytes per path (bench/size.mjs; budgets: tests/size/budgets.json)\n");
  console.log(formatReport(size.paths, budgets).join("\n"));
  console.log("\n### Phone profile (bench/phone.mjs)\n");
  if (phone.error) process.exitCode = 1;
  console.log(phone.error ? `**the phone profile failed**: ${phone.error.stack ?? phone.error}` : formatPhone(phone).join("\n"));
  console.log("\n### Each .wasm by crate, before wasm-opt (bench/wasm-breakdown.mjs)\n");
  const shipped = size.paths.whole.files.filter((f) => f.file.endsWith(".wasm")).map((f) => join(root, "pkg", f.file));
  console.log(formatBreakdown([...shipped, join(root, "bench/size-floor/pkg/cognito_wasm_size_floor_bg.wasm"),
    join(root, "bench/session-floor/pkg/cognito_wasm_session_floor_bg.wasm")]).join("\n"));
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

await main();

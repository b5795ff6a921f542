// The phone profile of issue 16: a first visit on a mid-range phone, in headless Chromium. Every
// sample is a cold page in a fresh browser profile (cache disabled, files served gzip -9 as a CDN
// would) with CDP's Network.emulateNetworkConditions (150 ms latency, 1.6 Mbit/s down, 750 kbit/s
// up) and Emulation.setCPUThrottlingRate 4, signing in with USER_SRP_AUTH against the local
// verifying server (bench/srp-server.mjs, 127.0.0.1). cognito-wasm (the browser entry of pkg/)
// and amazon-cognito-identity-js (bundled by esbuild, minified) take turns within each round.
//   sign-in pages  bytes fetched (CDP encodedDataLength of the library's files: body as sent and
//                  headers) · library ready (navigation start → import resolved, the entry's
//                  `init()` awaited where it has one, client constructed) · sign-in (that → signed in) · cold page → signed in
//   restore pages  the profile's localStorage already holds a session (signed in by an unthrottled
//                  page first): library ready · getSession · cold page → stored session restored
//   Each page twice: plain, and with the README's preload tags ("Preloading": modulepreload of
//   browser.js and the first module's glue, preload as="fetch" crossorigin of its .wasm — the
//   sign-in page the signin_plain module, the restore page the restore module); the
//   amazon-cognito-identity-js page's equivalent is a modulepreload of its one bundle.
//   node bench/phone.mjs [--rounds N] [--pkg DIR] [--before DIR]
//     N ≥ 5 measured rounds after one warm-up round (default 7); DIR a built package (default pkg/);
//     --before: a second built package (an earlier build), its pages taking turns in the same rounds
// Used by bench/bench.mjs. The browser, servers and timers are closed on every exit path.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, recordNetwork, serve, withTimeout } from "./pages.mjs";
import { browserEntry } from "./size.mjs";
import { start as startSrpServer } from "./srp-server.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bench/out");
const PASSWORD = "Phone-Passw0rd!Ω";
export const PROFILE = { latencyMs: 150, downKbps: 1600, upKbps: 750, cpuSlowdown: 4 };
export const GOALS = { signedIn: 0.8, signedInMoonshot: 0.5, restore: 1.5, restoreMoonshot: 1 };

/** amazon-cognito-identity-js as a page would ship it: esbuild, bundled, minified, ESM. */
function bundleAcij() {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "phone-acij-entry.js"),
    'export { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";\n');
  execFileSync(join(root, "node_modules/.bin/esbuild"), [join(out, "phone-acij-entry.js"), "--bundle", "--minify", "--format=esm",
    "--platform=browser", "--target=es2022", "--define:global=globalThis", `--outfile=${join(out, "phone-acij.min.js")}`,
    "--log-level=error"], { cwd: root });
  return JSON.parse(readFileSync(join(root, "node_modules/amazon-cognito-identity-js/package.json"), "utf8")).version;
}

/** The README's preload tags for the module a page starts with (`glue`: its glue's file name). */
const preloadTags = (dir, entry, glue) => [
  `<link rel="modulepreload" href="${dir}${entry}">`,
  `<link rel="modulepreload" href="${dir}${glue}.js">`,
  `<link rel="preload" href="${dir}${glue}_bg.wasm" as="fetch" type="application/wasm" crossorigin>`,
].join("\n");

/** The pages; each reads its username from ?u= and ends with window.__result. `before`: the
 *  entry of a second package served at /before/ (its pages "before-…"). Each page also with the
 *  README's preload tags in its head ("oursPreload-…", "acijPreload-…"). */
function pages(entry, srp, before) {
  const ours = JSON.stringify({ userPoolId: srp.userPoolId, clientId: srp.clientId, endpoint: srp.endpoint });
  const theirs = JSON.stringify({ UserPoolId: srp.userPoolId, ClientId: srp.clientId, endpoint: srp.endpoint });
  const page = (body, head = "") => `<!doctype html><meta charset="utf-8"><title>phone</title><link rel="icon" href="data:,">
${head}
<script type="module">
const u = new URLSearchParams(location.search).get("u"), password = ${JSON.stringify(PASSWORD)};
try {
${body}
} catch (e) {
  window.__result = { error: String(e && (e.stack || e.message) || e) };
}
</script>`;
  const acijSignIn = `const signIn = (pool) => new Promise((ok, fail) =>
  new lib.CognitoUser({ Username: u, Pool: pool }).authenticateUser(new lib.AuthenticationDetails({ Username: u, Password: password }), {
    onSuccess: ok, onFailure: fail, newPasswordRequired: () => fail(new Error("newPasswordRequired")),
    mfaRequired: () => fail(new Error("mfaRequired")), totpRequired: () => fail(new Error("totpRequired")) }));`;
  const ourPages = (name, path, head = { signIn: "", restore: "" }) => ({
    [`/${name}-sign-in.html`]: page(`const { CognitoAuth, init } = await import(${JSON.stringify(path)});
await init?.(); // an entry without top-level await: ready when its .wasm is
const auth = new CognitoAuth(${ours});
const ready = performance.now();
const r = await auth.signIn({ username: u, password });
if (!r.signedIn) throw new Error("not signed in: " + JSON.stringify(r));
window.__result = { ready, done: performance.now() };`, head.signIn),
    [`/${name}-restore.html`]: page(`const { CognitoAuth, init } = await import(${JSON.stringify(path)});
await init?.();
const auth = new CognitoAuth(${ours});
const ready = performance.now();
const s = await auth.getSession();
if (s?.username !== u) throw new Error("no stored session restored: " + JSON.stringify(s));
window.__result = { ready, done: performance.now() };`, head.restore),
  });
  const acijSignInPage = (head) => page(`const lib = await import("/out/phone-acij.min.js");
const pool = new lib.CognitoUserPool(${theirs});
const ready = performance.now();
${acijSignIn}
await signIn(pool);
window.__result = { ready, done: performance.now() };`, head);
  const acijRestorePage = (head) => page(`const lib = await import("/out/phone-acij.min.js");
const pool = new lib.CognitoUserPool(${theirs});
const ready = performance.now();
const user = pool.getCurrentUser();
if (!user || user.getUsername() !== u) throw new Error("no stored user");
const session = await new Promise((ok, fail) => user.getSession((e, s) => (e ? fail(e) : ok(s))));
if (!session?.isValid()) throw new Error("stored session not valid");
window.__result = { ready, done: performance.now() };`, head);
  const acijPreload = '<link rel="modulepreload" href="/out/phone-acij.min.js">';
  return {
    ...ourPages("ours", `/pkg/${entry}`),
    ...ourPages("oursPreload", `/pkg/${entry}`, {
      signIn: preloadTags("/pkg/", entry, "cognito_wasm_signin_plain"),
      restore: preloadTags("/pkg/", entry, "cognito_wasm_restore"),
    }),
    ...(before ? ourPages("before", `/before/${before}`) : {}),
    "/acij-sign-in.html": acijSignInPage(),
    "/acij-restore.html": acijRestorePage(),
    "/acijPreload-sign-in.html": acijSignInPage(acijPreload),
    "/acijPreload-restore.html": acijRestorePage(acijPreload),
  };
}

async function runPage(context, url, { throttle, timeoutMs }) {
  const tab = await context.newPage();
  try {
    const net = await recordNetwork(context, tab);
    if (throttle) {
      await net.cdp.send("Network.emulateNetworkConditions", {
        offline: false, latency: PROFILE.latencyMs,
        downloadThroughput: (PROFILE.downKbps * 1000) / 8, uploadThroughput: (PROFILE.upKbps * 1000) / 8,
      });
      await net.cdp.send("Emulation.setCPUThrottlingRate", { rate: PROFILE.cpuSlowdown });
    }
    const result = await withTimeout((async () => {
      await tab.goto(url, { timeout: timeoutMs });
      await tab.waitForFunction(() => window.__result, null, { timeout: timeoutMs, polling: 50 });
      return tab.evaluate(() => window.__result);
    })(), timeoutMs + 5000, url);
    if (result.error) throw new Error(`${url}: ${result.error}`);
    const origin = new URL(url).origin;
    const library = net.requests().filter((r) => r.url.startsWith(origin + "/") && new URL(r.url).pathname !== new URL(url).pathname);
    await new Promise((r) => setTimeout(r, 100));
    return { ...result, bytes: library.reduce((s, r) => s + r.bytes, 0), files: library.length };
  } finally {
    await tab.close().catch(() => {});
  }
}

/**
 * Runs the profile; returns {version, rounds, samples: {ours|acij: {signIn: [...], restore: [...]}}}
 * with one {ready, done, bytes} per measured round and page.
 */
export async function phoneProfile({ rounds = 7, pkgDir = join(root, "pkg"), beforeDir, timeoutMs = 120_000, log = () => {} } = {}) {
  if (!(rounds >= 5)) throw new Error("the phone profile needs at least 5 rounds");
  const version = bundleAcij();
  const entry = browserEntry(pkgDir);
  const before = beforeDir ? browserEntry(beforeDir) : undefined;
  const srp = await startSrpServer({ port: 0 });
  let web, browser; // playwright closes the browser on SIGINT/SIGTERM/SIGHUP and at exit; servers die with the process
  try {
    web = await serve({ pages: pages(entry, srp, before), dirs: { "/pkg/": pkgDir, "/out/": out, ...(before ? { "/before/": beforeDir } : {}) }, gzip: true });
    browser = await launchChromium();
    const clients = ["ours", "acij", "oursPreload", "acijPreload", ...(before ? ["before"] : [])];
    const samples = Object.fromEntries(clients.map((c) => [c, { signIn: [], restore: [] }]));
    const kinds = ["signIn", "restore"].flatMap((kind) => clients.map((c) => [c, kind]));
    let n = 0;
    for (let round = 0; round <= rounds; round++) {
      for (let k = 0; k < kinds.length; k++) {
        const [client, kind] = kinds[(round + k) % kinds.length]; // rotate who goes first
        const u = `phone-${process.pid}-${n++}`;
        srp.addUser(u, PASSWORD);
        const context = await browser.newContext();
        try {
          const page = (name) => `${web.origin}/${client}-${name}.html?u=${encodeURIComponent(u)}`;
          if (kind === "restore") await runPage(context, page("sign-in"), { throttle: false, timeoutMs });
          const r = await runPage(context, page(kind === "signIn" ? "sign-in" : "restore"), { throttle: true, timeoutMs });
          if (round > 0) samples[client][kind].push(r); // round 0 warms up the machine, not the page
        } finally {
          await context.close().catch(() => {});
        }
      }
      log(`phone profile: round ${round}/${rounds}${round === 0 ? " (warm-up)" : ""}`);
    }
    return { version, entry, before: beforeDir, rounds, samples };
  } finally {
    await browser?.close().catch(() => {});
    await web?.close();
    await srp.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${Math.round(x).toLocaleString("en-US")} ms`;
const range = (xs, f) => `${f(median(xs))} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`.replace(/ ms \[/, " [").replace(/ ms–/, "–");
const kb = (b) => (b / 1000).toFixed(1) + " KB";
const x = (r) => r.toFixed(2) + "×";

/** Markdown lines of the profile: the two tables and the ratios against issue 16's goals. */
export function formatPhone(p) {
  const { ours, acij, oursPreload, acijPreload, before } = p.samples;
  const col = (s, f) => range(s.map(f), ms);
  const names = {
    ours: `cognito-wasm (pkg/${p.entry})`, acij: `amazon-cognito-identity-js ${p.version} (esbuild, minified)`,
    oursPreload: `cognito-wasm (pkg/${p.entry}), with the README's preload tags`,
    acijPreload: `amazon-cognito-identity-js ${p.version}, with a modulepreload of its bundle`,
    before: `cognito-wasm before (${p.before})`,
  };
  const rows = (kind) => [["ours", ours[kind]], ["oursPreload", oursPreload[kind]], ...(before ? [["before", before[kind]]] : []),
    ["acij", acij[kind]], ["acijPreload", acijPreload[kind]]];
  const lines = [
    `Phone profile: cold page, ${PROFILE.latencyMs} ms RTT, ${PROFILE.downKbps / 1000} Mbit/s down, ${PROFILE.upKbps} kbit/s up, ` +
      `${PROFILE.cpuSlowdown}× CPU throttling (CDP), files gzip -9; USER_SRP_AUTH against bench/srp-server.mjs; ` +
      `alternating, medians of ${p.rounds} [min–max]`,
    "",
    "| sign-in page | bytes fetched | library ready | sign-in | cold page → signed in |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const [k, s] of rows("signIn")) {
    lines.push(`| ${names[k]} | ${kb(median(s.map((r) => r.bytes)))} | ${col(s, (r) => r.ready)} | ${col(s, (r) => r.done - r.ready)} | ${col(s, (r) => r.done)} |`);
  }
  lines.push("", "| restore page (a session in storage) | bytes fetched | library ready | getSession | cold page → stored session restored |", "| --- | --- | --- | --- | --- |");
  for (const [k, s] of rows("restore")) {
    lines.push(`| ${names[k]} | ${kb(median(s.map((r) => r.bytes)))} | ${col(s, (r) => r.ready)} | ${col(s, (r) => r.done - r.ready)} | ${col(s, (r) => r.done)} |`);
  }
  // Ratios of medians, and the range of the same ratio within each round (the pairs that ran together).
  const paired = (a, b, fa, fb) => a.map((r, i) => fa(r) / fb(b[i]));
  const ratioRow = (what, a, b, fa, fb, goal, moon) => {
    const r = median(a.map(fa)) / median(b.map(fb));
    const per = paired(a, b, fa, fb);
    return `| ${what} | ${x(r)} (per round ${x(Math.min(...per))}–${x(Math.max(...per))}) | ≤ ${goal}× (moonshot ≤ ${moon}×) | ${r <= goal ? "yes" : "**no**"} |`;
  };
  lines.push("", "| ratio (medians) | cognito-wasm ÷ amazon-cognito-identity-js | goal (issue 16) | met |", "| --- | --- | --- | --- |");
  lines.push(ratioRow("cold page → signed in", ours.signIn, acij.signIn, (r) => r.done, (r) => r.done, GOALS.signedIn, GOALS.signedInMoonshot));
  lines.push(ratioRow("cold page → stored session restored ÷ their library ready", ours.restore, acij.restore, (r) => r.done, (r) => r.ready, GOALS.restore, GOALS.restoreMoonshot));
  lines.push(ratioRow("with preload tags (both): cold page → signed in", oursPreload.signIn, acijPreload.signIn, (r) => r.done, (r) => r.done, GOALS.signedIn, GOALS.signedInMoonshot));
  lines.push(ratioRow("with preload tags (both): cold page → stored session restored ÷ their library ready", oursPreload.restore, acijPreload.restore, (r) => r.done, (r) => r.ready, GOALS.restore, GOALS.restoreMoonshot));
  if (before) {
    lines.push(ratioRow("before: cold page → signed in", before.signIn, acij.signIn, (r) => r.done, (r) => r.done, GOALS.signedIn, GOALS.signedInMoonshot));
    lines.push(ratioRow("before: cold page → stored session restored ÷ their library ready", before.restore, acij.restore, (r) => r.done, (r) => r.ready, GOALS.restore, GOALS.restoreMoonshot));
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--rounds"), d = process.argv.indexOf("--pkg"), b = process.argv.indexOf("--before");
  const p = await phoneProfile({
    rounds: i > 0 ? Number(process.argv[i + 1]) : 7, pkgDir: d > 0 ? resolve(process.argv[d + 1]) : undefined,
    beforeDir: b > 0 ? resolve(process.argv[b + 1]) : undefined,
    log: (m) => console.error("[phone]", m),
  });
  console.log(formatPhone(p).join("\n"));
}

// The browser package's weight per path, as a page downloads it: each figure is the sum, over the
// files of pkg/ the page fetches, of gzip -9 of the file's bytes on disk (zlib level 9, as a CDN
// compresses it; entry, glue and .wasm alike). Deterministic for a given pkg/.
//   session  what a page fetches before `new CognitoAuth(config)`, `getSession()` (restoring a
//            stored session), `refreshSession()` and `signOut()` have resolved
//   signIn   what a page fetches before `new CognitoAuth(config)` and `signIn({username, password})`
//            in a later task (a form submitted), on a first visit (nothing stored): what that page
//            fetches, whatever serves `getSession` there included
//   whole    every file the browser entry can load: the closure of its static and dynamic
//            imports and `new URL("…", import.meta.url)` references, from pkg/package.json's
//            `exports["."].browser` (plus anything a page fetched that the closure missed)
// Printed too, without a budget: `sessionCookie`, the session page with its session stored in
// cookies (`storage: new CookieStorage(…)`, an option some pages need), signed in by a page
// before it that is not counted; and `signInSecret`, the sign-in page with a `clientSecret` (an
// option that is not plain), in a browser profile of its own (nothing stored).
// The two paths are recorded, not declared: headless Chromium loads a page that does only that,
// against the local verifying server (bench/srp-server.mjs), and every request the page makes
// (CDP Network events, cache disabled) up to a mark it fetches once the calls have resolved counts.
// How the package is split, which entry loads what and when, needs no description here.
//
//   node bench/size.mjs                 the figures, budgets and goals (tests/size/budgets.json)
//   node bench/size.mjs --json          the figures as JSON
//   node bench/size.mjs --update-budgets  lower each budget to today's bytes + the slack (at most
//                                         the path's goal once it is met)
//                                         (never raises one unless --allow-increase)
// Used by tests/size/size.test.mjs (the budget check of scripts/test) and bench/bench.mjs.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchChromium, recordNetwork, serve, withTimeout } from "./pages.mjs";
import { start as startSrpServer } from "./srp-server.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const BUDGETS_FILE = join(root, "tests/size/budgets.json");
export const PATHS = ["session", "signIn", "whole"];
const PASSWORD = "Size-Passw0rd!Ω";

/** The browser entry of a package directory, relative to it ("browser.js"). */
export function browserEntry(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  let target = pkg.exports?.["."]?.browser ?? pkg.exports?.["."]?.default ?? pkg.browser ?? pkg.module;
  while (target && typeof target === "object") target = target.default ?? target.import;
  if (typeof target !== "string") throw new Error(`${pkgDir}/package.json names no browser entry`);
  return posix.normalize(target);
}

/** Every file of pkgDir that `entry` can load (relative paths, sorted). */
export function reachableFiles(pkgDir, entry) {
  const seen = new Set();
  const queue = [posix.normalize(entry)];
  const specifiers = [
    /\b(?:import|export)(?=[\s*{])[^;"'`]*?\bfrom\s*["']([^"']+)["']/g, // import … from "x", export … from "x" (minified too)
    /\bimport\s*["']([^"']+)["']/g, // import "x"
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("x")
    /\bnew\s+URL\s*\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g, // new URL("x", import.meta.url)
  ];
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    const path = join(pkgDir, file);
    if (!existsSync(path) || !statSync(path).isFile()) throw new Error(`${file} is referenced but not in ${pkgDir}`);
    seen.add(file);
    if (!/\.m?js$/.test(file)) continue;
    const source = readFileSync(path, "utf8");
    for (const re of specifiers) {
      for (const [, spec] of source.matchAll(re)) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(spec) || spec.startsWith("/")) continue; // URLs, absolute: not the package's
        const resolved = posix.normalize(posix.join(posix.dirname(file), spec));
        if (resolved.startsWith("..")) continue;
        // A bare specifier (`import "x"`) is a package name, not a file; wasm-bindgen's
        // `new URL("x_bg.wasm", import.meta.url)` is relative without "./".
        if (!spec.startsWith(".") && !re.source.includes("URL")) continue;
        queue.push(resolved);
      }
    }
  }
  return [...seen].sort();
}

/** {file, raw, gzip} for each file (relative to pkgDir), and their sums. */
export function weigh(pkgDir, files) {
  const list = [...new Set(files)].sort().map((file) => {
    const bytes = readFileSync(join(pkgDir, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: list, raw: list.reduce((s, f) => s + f.raw, 0), gzip: list.reduce((s, f) => s + f.gzip, 0) };
}

const page = (entry, body) => `<!doctype html><meta charset="utf-8"><title>size</title><link rel="icon" href="data:,">
<script type="module">
try {
  const { CognitoAuth, CookieStorage } = await import(${JSON.stringify(`/pkg/${entry}`)});
  ${body}
  await fetch("/__mark/done");
  window.__done = { ok: true };
} catch (e) {
  window.__done = { error: String(e && (e.stack || e.message) || e) };
}
</script>`;

/** The session page's calls: restore the stored session, refresh it, sign out (`config`: the options' source text). */
const sessionBody = (config, username) => `const auth = new CognitoAuth(${config});
  const s = await auth.getSession();
  if (s?.username !== ${JSON.stringify(username)}) throw new Error("getSession did not restore the stored session: " + JSON.stringify(s));
  const r = await auth.refreshSession();
  if (r?.username !== ${JSON.stringify(username)}) throw new Error("refreshSession: " + JSON.stringify(r));
  await auth.signOut();
  if ((await auth.getSession()) !== null) throw new Error("signOut left a session");`;

/**
 * Loads the sign-in page and then, in the same browser profile (its localStorage holding the
 * session), the session page; then the same two with CookieStorage; returns the files each
 * fetched before its mark and after it.
 */
async function recordPaths(pkgDir, entry, { timeoutMs }) {
  const srp = await startSrpServer({ port: 0 });
  const username = `size-${process.pid}`;
  srp.addUser(username, PASSWORD);
  const config = JSON.stringify({ userPoolId: srp.userPoolId, clientId: srp.clientId, endpoint: srp.endpoint });
  const pages = {
    "/sign-in.html": page(entry, `const auth = new CognitoAuth(${config});
  await new Promise((r) => setTimeout(r, 100)); // the form is submitted in a later task
  const r = await auth.signIn({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(PASSWORD)} });
  if (!r.signedIn) throw new Error("signIn did not sign in: " + JSON.stringify(r));`),
    "/session.html": page(entry, sessionBody(config, username)),
    "/cookie-sign-in.html": page(entry, `if (!CookieStorage) window.__noCookieStorage = true; else {
  const auth = new CognitoAuth({ ...${config}, storage: new CookieStorage({ secure: false }) });
  const r = await auth.signIn({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(PASSWORD)} });
  if (!r.signedIn) throw new Error("signIn did not sign in: " + JSON.stringify(r));
  }`),
    "/session-cookie.html": page(entry, `if (!CookieStorage) window.__noCookieStorage = true; else {
  ${sessionBody(`{ ...${config}, storage: new CookieStorage({ secure: false }) }`, username)}
  }`),
    "/sign-in-secret.html": page(entry, `const auth = new CognitoAuth({ ...${config}, clientSecret: "size-client-secret" });
  await new Promise((r) => setTimeout(r, 100)); // the form is submitted in a later task
  const r = await auth.signIn({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(PASSWORD)} });
  if (!r.signedIn) throw new Error("signIn did not sign in: " + JSON.stringify(r));`),
  };
  const web = await serve({ pages, dirs: { "/pkg/": pkgDir } });
  let browser;
  try {
    browser = await launchChromium();
    const shared = await browser.newContext();
    const own = await browser.newContext();
    const result = {};
    // The cookie sign-in page only stores a session for the page after it (not counted).
    const visits = [["signIn", "/sign-in.html", shared], ["session", "/session.html", shared], ["cookieSignIn", "/cookie-sign-in.html", shared],
      ["sessionCookie", "/session-cookie.html", shared], ["signInSecret", "/sign-in-secret.html", own]];
    for (const [name, url, context] of visits) {
      const tab = await context.newPage();
      const net = await recordNetwork(context, tab);
      await withTimeout((async () => {
        await tab.goto(web.origin + url);
        await tab.waitForFunction(() => window.__done, null, { timeout: timeoutMs });
      })(), timeoutMs + 5000, `the ${name} page`);
      const done = await tab.evaluate(() => window.__done);
      if (done.error) throw new Error(`the ${name} page failed: ${done.error}`);
      await new Promise((r) => setTimeout(r, 300)); // what a page fetches right after, for the "later" list
      // A package without CookieStorage (the made-up ones of tests/size) has no cookie figure.
      if (!(await tab.evaluate(() => window.__noCookieStorage))) result[name] = classify(net.requests(), web.origin, url);
      await net.cdp.detach().catch(() => {});
      await tab.close();
    }
    await shared.close();
    await own.close();
    return result;
  } finally {
    await browser?.close().catch(() => {});
    await web.close();
    await srp.close();
  }
}

/** Splits a page's requests to the static origin into package files before the mark and after. */
function classify(requests, origin, pageUrl) {
  const mark = requests.find((r) => r.url === `${origin}/__mark/done`);
  if (!mark) throw new Error(`${pageUrl}: the mark request was not seen`);
  const before = [], later = [];
  for (const r of requests) {
    if (!r.url.startsWith(origin + "/") || r.url === mark.url || r.url === origin + pageUrl) continue;
    const path = new URL(r.url).pathname;
    if (!path.startsWith("/pkg/")) throw new Error(`${pageUrl} fetched ${path}, which is not in pkg/`);
    if (r.failed || (r.done && r.status !== 200)) throw new Error(`${pageUrl}: ${path} → ${r.failed ?? r.status}`);
    (r.start <= mark.start ? before : later).push(decodeURIComponent(path.slice("/pkg/".length)));
  }
  return { before: [...new Set(before)], later: [...new Set(later)].filter((f) => !before.includes(f)) };
}

/** The three figures for a built package directory (default pkg/). */
export async function measurePaths({ pkgDir = join(root, "pkg"), timeoutMs = 60_000 } = {}) {
  const entry = browserEntry(pkgDir);
  const recorded = await recordPaths(pkgDir, entry, { timeoutMs });
  const reachable = reachableFiles(pkgDir, entry);
  const fetched = Object.values(recorded).flatMap((r) => [...r.before, ...r.later]);
  const missed = fetched.filter((f) => !reachable.includes(f));
  return {
    entry,
    session: weigh(pkgDir, recorded.session.before),
    signIn: weigh(pkgDir, recorded.signIn.before),
    whole: weigh(pkgDir, [...reachable, ...missed]),
    later: { session: recorded.session.later, signIn: recorded.signIn.later },
    // Printed, not budgeted.
    extra: {
      ...(recorded.sessionCookie ? { sessionCookie: weigh(pkgDir, recorded.sessionCookie.before) } : {}),
      signInSecret: weigh(pkgDir, recorded.signInSecret.before),
    },
    missedByClosure: [...new Set(missed)],
  };
}

export function readBudgets(file = BUDGETS_FILE) {
  return JSON.parse(readFileSync(file, "utf8"));
}

/**
 * Compares measured gzip bytes with the budgets: one row per path, `over` when bytes > budget
 * (the check fails), `goalMet` null where no goal is set.
 */
export function checkBudgets(measured, budgets) {
  return PATHS.map((path) => {
    const b = budgets.paths?.[path];
    const bytes = measured[path]?.gzip;
    if (!b || !Number.isInteger(b.budget)) throw new Error(`budgets: no integer budget for "${path}"`);
    if (!Number.isInteger(bytes)) throw new Error(`no measured figure for "${path}"`);
    const goal = Number.isInteger(b.goal) ? b.goal : null;
    return { path, bytes, budget: b.budget, over: bytes > b.budget, goal, goalMet: goal === null ? null : bytes <= goal, label: b.label ?? path };
  });
}

const kb = (b) => (b / 1000).toFixed(1) + " KB";
const bytesFmt = (b) => b.toLocaleString("en-US");

/** The report lines: a table of the three figures with budget and goal, then the files. */
export function formatReport(measured, budgets) {
  const rows = checkBudgets(measured, budgets);
  const slack = budgets.slack ?? 0;
  const lines = [
    "| path (gzip -9 of the files a page downloads) | bytes | budget (ratchet) | goal (issue 16) | goal met |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    const budget = `${bytesFmt(r.budget)}${r.over ? " — **over budget**" : ""}`;
    const goal = r.goal === null ? "—" : `≤ ${kb(r.goal)}`;
    const met = r.goalMet === null ? "" : r.goalMet ? "yes" : `**no** (${kb(r.bytes - r.goal)} over)`;
    lines.push(`| ${r.label} | ${bytesFmt(r.bytes)} (${kb(r.bytes)}) | ${budget} | ${goal} | ${met} |`);
  }
  const unmet = rows.filter((r) => r.goalMet === false);
  lines.push("");
  if (unmet.length) {
    lines.push(`Goal not met yet: ${unmet.map((r) => `${r.path} ${kb(r.bytes)} > ${kb(r.goal)}`).join(", ")}. ` +
      `The check is a ratchet at the bytes measured on ${budgets.measured_on ?? "the last update"} plus ${bytesFmt(slack)} bytes of slack: ` +
      "it stops the package from growing, not from missing the goal.");
  }
  for (const r of rows) {
    if (!r.over && r.budget - r.bytes > 2 * slack) {
      lines.push(`${r.path}: ${bytesFmt(r.budget - r.bytes)} bytes under budget: lower it (node bench/size.mjs --update-budgets).`);
    }
  }
  for (const path of PATHS) {
    lines.push(`${path}: ${measured[path].files.map((f) => `${f.file} ${bytesFmt(f.gzip)}`).join(" + ")}`);
  }
  const extras = [["sessionCookie", "session with CookieStorage"], ["signInSecret", "sign-in with clientSecret"]];
  for (const [key, label] of extras) {
    const extra = measured.extra?.[key];
    if (extra) lines.push(`${label} (no budget): ${bytesFmt(extra.gzip)} (${kb(extra.gzip)}): ${extra.files.map((f) => `${f.file} ${bytesFmt(f.gzip)}`).join(" + ")}`);
  }
  for (const [path, later] of Object.entries(measured.later ?? {})) {
    if (later.length) lines.push(`fetched by the ${path} page after its calls resolved (not counted in that path): ${later.join(", ")}`);
  }
  if (measured.missedByClosure?.length) {
    lines.push(`fetched but not found by the import closure (added to whole): ${measured.missedByClosure.join(", ")}`);
  }
  return lines;
}

/**
 * New budgets: each path's bytes + slack, but never above a goal the path meets (a met goal is
 * the budget from then on); a budget is only raised with `allowIncrease`.
 */
export function updatedBudgets(measured, budgets, { allowIncrease = false, date = new Date().toISOString().slice(0, 10) } = {}) {
  const next = structuredClone(budgets);
  for (const path of PATHS) {
    const bytes = measured[path].gzip;
    const goal = budgets.paths[path].goal;
    const proposed = Math.min(bytes + (budgets.slack ?? 0), Number.isInteger(goal) && bytes <= goal ? goal : Infinity);
    const current = budgets.paths[path].budget;
    if (proposed > current && !allowIncrease) continue;
    next.paths[path].budget = proposed;
    next.paths[path].measured = measured[path].gzip;
  }
  next.measured_on = date;
  return next;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const measured = await measurePaths();
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(measured, null, 2));
  } else if (process.argv.includes("--update-budgets")) {
    const next = updatedBudgets(measured, readBudgets(), { allowIncrease: process.argv.includes("--allow-increase") });
    writeFileSync(BUDGETS_FILE, JSON.stringify(next, null, 2) + "\n");
    console.log(`wrote ${relative(root, BUDGETS_FILE).split(sep).join("/")}`);
    console.log(formatReport(measured, next).join("\n"));
  } else {
    console.log(formatReport(measured, readBudgets()).join("\n"));
  }
}

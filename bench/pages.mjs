// The pages of the Chromium measurements (bench/size.mjs, bench/phone.mjs): a static server on
// 127.0.0.1 and Debian's Chromium through playwright-core.
//   serve({ pages, dirs, gzip }) → { origin, close() }
//     pages  path → html string (the page's own scripts inline)
//     dirs   URL prefix → directory on disk ("/pkg/" → pkg/), files served as they are on disk, or
//            with `gzip` as a CDN would (Content-Encoding: gzip at level 9, when the request accepts it)
//     GET /__mark/<anything> answers 204: a page fetches it to put a mark into the network log
//   launchChromium() → playwright Browser (headless, the project's flags)
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html", ".json": "application/json" };

export async function serve({ pages = {}, dirs = {}, gzip = false } = {}) {
  const compressed = new Map(); // file → {mtimeMs, body}
  const body = async (file, acceptsGzip) => {
    if (!gzip || !acceptsGzip) return { bytes: await readFile(file), encoding: null };
    const { mtimeMs } = await stat(file);
    let hit = compressed.get(file);
    if (!hit || hit.mtimeMs !== mtimeMs) compressed.set(file, (hit = { mtimeMs, bytes: gzipSync(await readFile(file), { level: 9 }) }));
    return { bytes: hit.bytes, encoding: "gzip" };
  };
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path.startsWith("/__mark/")) return res.writeHead(204, { "cache-control": "no-store" }).end();
      if (typeof pages[path] === "string") {
        return res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" }).end(pages[path]);
      }
      const prefix = Object.keys(dirs).find((p) => path.startsWith(p));
      if (!prefix) return res.writeHead(404).end();
      const dir = normalize(dirs[prefix]);
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (!file.startsWith(dir + sep)) return res.writeHead(404).end();
      const { bytes, encoding } = await body(file, /\bgzip\b/.test(req.headers["accept-encoding"] ?? ""));
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": bytes.length,
        "cache-control": "no-store",
        ...(encoding ? { "content-encoding": encoding, vary: "accept-encoding" } : {}),
      });
      res.end(bytes);
    } catch {
      if (!res.headersSent) res.writeHead(404);
      res.end();
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise((ok, fail) => { server.once("error", fail); server.listen(0, "127.0.0.1", ok); });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/** Records a page's network activity through its own CDP session: every request's URL, status,
 *  start (CDP monotonic seconds) and bytes received (encodedDataLength: headers and body as sent). */
export async function recordNetwork(context, page, { cacheDisabled = true } = {}) {
  const cdp = await context.newCDPSession(page);
  const requests = new Map();
  cdp.on("Network.requestWillBeSent", (e) => {
    if (!requests.has(e.requestId)) requests.set(e.requestId, { url: e.request.url, method: e.request.method, start: e.timestamp, status: 0, bytes: 0, done: false, failed: null });
  });
  cdp.on("Network.responseReceived", (e) => { const r = requests.get(e.requestId); if (r) r.status = e.response.status; });
  cdp.on("Network.loadingFinished", (e) => { const r = requests.get(e.requestId); if (r) { r.done = true; r.bytes = e.encodedDataLength; } });
  cdp.on("Network.loadingFailed", (e) => { const r = requests.get(e.requestId); if (r) { r.done = true; r.failed = e.errorText; } });
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled });
  return { cdp, requests: () => [...requests.values()] };
}

/** Rejects after `ms` with `what` in the message; the timer never keeps the process alive. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

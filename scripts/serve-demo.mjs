#!/usr/bin/env node
// The demo's static server: www/ at /, the built package at /pkg/ (so the page imports
// /pkg/browser.js), and GET /config.json with the emulator's public settings (endpoint, pool id,
// public client id: never the secret client). Loopback only. Used by scripts/demo and by
// tests/e2e (which import startDemoServer and run it on a free port).
//
//   node scripts/serve-demo.mjs --emulator http://127.0.0.1:9229/ [--port 8080] [--host 127.0.0.1] [--pkg DIR]
//
// Prints one JSON line {"url": …, "config": …} when it listens.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const roots = { www: join(repo, "www"), pkg: join(repo, "pkg") };

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** The emulator's startup JSON (GET /_emulator/config), retried while it comes up. */
export async function emulatorConfig(emulatorUrl, { attempts = 50 } = {}) {
  let lastError;
  for (let i = 0; i < attempts; i++) {
    try {
      const response = await fetch(new URL("_emulator/config", emulatorUrl));
      if (response.ok) return await response.json();
      lastError = new Error(`GET /_emulator/config answered ${response.status}`);
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the emulator at ${emulatorUrl} did not answer: ${lastError?.message}`);
}

/** What the page gets as /config.json: only what a browser app would be configured with. */
export function publicConfig(emulator) {
  return {
    endpoint: emulator.endpoint,
    region: emulator.region,
    userPoolId: emulator.userPoolId,
    clientId: emulator.clientId,
    // The page offers the emulator's local helpers (codes, admin-created users) only in demo mode.
    demoMode: true,
  };
}

function contentSecurityPolicy(endpoint) {
  const emulatorOrigin = new URL(endpoint).origin;
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src 'self' ${emulatorOrigin}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** The file a URL path names, or null when it leaves its root. */
function filePath(pathname, pkgDir) {
  let root = roots.www;
  let rest = pathname;
  if (pathname.startsWith("/pkg/")) {
    root = pkgDir;
    rest = pathname.slice("/pkg".length);
  }
  if (rest.endsWith("/")) rest += "index.html";
  const full = normalize(join(root, decodeURIComponent(rest)));
  return full === root || full.startsWith(root + sep) ? full : null;
}

/**
 * Starts the server. `config` is the emulator's JSON (or pass `emulatorUrl` to fetch it);
 * `pkgDir` serves another build of the package at /pkg/ (default: the repo's pkg/).
 * Resolves to { url, config, server, close() }.
 */
export async function startDemoServer({ port = 8080, host = "127.0.0.1", urlHost = "localhost", emulatorUrl, config, pkgDir } = {}) {
  const pkgRoot = resolve(pkgDir ?? roots.pkg);
  const emulator = config ?? (await emulatorConfig(emulatorUrl));
  const pageConfig = JSON.stringify(publicConfig(emulator), null, 2);
  const csp = contentSecurityPolicy(emulator.endpoint);

  const server = createServer(async (req, res) => {
    const send = (status, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, {
        "Content-Type": type,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "GET only\n");
      const { pathname } = new URL(req.url, "http://demo.invalid");
      if (pathname === "/config.json") return send(200, pageConfig, MIME[".json"]);
      const file = filePath(pathname, pkgRoot);
      if (!file || !MIME[extname(file)]) return send(404, "not found\n");
      const info = await stat(file).catch(() => null);
      if (!info?.isFile()) {
        const hint = pathname.startsWith("/pkg/") ? " (build the package first: scripts/build-pkg)" : "";
        return send(404, `not found${hint}\n`);
      }
      return send(200, await readFile(file), MIME[extname(file)]);
    } catch (e) {
      return send(500, `server error: ${e.message}\n`);
    }
  });

  await new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolveListen);
  });
  const url = `http://${urlHost}:${server.address().port}/`;
  return {
    url,
    config: emulator,
    server,
    close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
  };
}

function parseArgs(argv) {
  const args = { port: 8080, host: "127.0.0.1", emulatorUrl: process.env.COGNITO_EMULATOR_URL };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === "--port") args.port = Number(value());
    else if (flag === "--host") args.host = value();
    else if (flag === "--emulator") args.emulatorUrl = value();
    else if (flag === "--pkg") args.pkgDir = value();
    else throw new Error(`unknown option ${flag}`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error("--port must be 0…65535");
  if (!args.emulatorUrl) throw new Error("--emulator URL (or COGNITO_EMULATOR_URL) is required");
  return args;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const running = await startDemoServer(parseArgs(process.argv.slice(2)));
    console.log(JSON.stringify({ url: running.url, config: publicConfig(running.config) }));
    const stop = () => running.close().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (e) {
    const hint = e.code === "EADDRINUSE" ? " (the port is taken: pass another with --port)" : "";
    console.error(`serve-demo: ${e.message}${hint}`);
    process.exit(1);
  }
}

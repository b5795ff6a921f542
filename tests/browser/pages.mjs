// Shared by the Chromium tests that load the built pkg/ into pages of their own: a static server on
// 127.0.0.1 (the test's pages plus /pkg/*, .wasm as application/wasm) and Debian's Chromium with
// the project's flags (no browser download).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../../", import.meta.url));
const types = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

/** Serves `pages` (path → (origin) => html) and the repo's pkg/; resolves `{origin, close}`. */
export async function servePages(pages) {
  let origin;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (pages[path]) return res.writeHead(200, { "content-type": "text/html" }).end(pages[path](origin));
    const file = normalize(join(root, path));
    if (!path.startsWith("/pkg/") || !file.startsWith(join(root, "pkg"))) return res.writeHead(404).end();
    try {
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => server.close() };
}

/** Headless Debian Chromium. */
export function launchChromium() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

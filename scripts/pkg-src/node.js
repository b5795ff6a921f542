// The Node entry: reads the full .wasm beside this module (or from the app's node_modules when a
// bundler moved this module) and instantiates it synchronously; no top-level await.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as glue from "./cognito_wasm.js";
import { blocked } from "./loader-paths.js";
import { WasmModule, WasmLoadError, initFor, startSync } from "./loader.js";

export { WasmLoadError, WasmBlockedError, WasmNotReadyError } from "./loader.js";
export { MemoryStorage, WebStorage } from "./storages.js";

const FILE = "cognito_wasm_bg.wasm";
const here = import.meta.url;

// Not `new URL("./cognito_wasm_bg.wasm", import.meta.url)`: bundlers (Next.js) would rewrite it
// into their own URL object and publish the file among a site's static assets.
function beside(file) {
  try {
    return fileURLToPath(new URL(file, String(here)));
  } catch {
    return undefined;
  }
}

function hint() {
  return (
    `Include node_modules/cognito-wasm/${FILE} with the server's files ` +
    `(Next.js standalone: outputFileTracingIncludes: { "/*": ["./node_modules/cognito-wasm/*.wasm"] }) ` +
    `or pass it: init({ wasm: readFileSync("/path/to/${FILE}") }).`
  );
}

function readBundled() {
  const tried = [beside(FILE)];
  if (typeof process === "object" && typeof process.cwd === "function") {
    tried.push(join(process.cwd(), "node_modules", "cognito-wasm", FILE));
  }
  const paths = tried.filter(Boolean);
  for (const path of paths) {
    try {
      return readFileSync(path);
    } catch {
      // the next place
    }
  }
  throw new WasmLoadError(`cognito-wasm: ${FILE} is not where it was installed (tried ${paths.join(", ")}). ${hint()}`);
}

function open(source, signal) {
  const text = String(source instanceof Request ? source.url : source);
  if (/^(https?|data|blob):/i.test(text)) return fetch(source, { signal });
  return readFile(text.startsWith("file:") ? fileURLToPath(text) : text);
}

const main = new WasmModule({
  file: FILE,
  glue: () => glue,
  locate: () => beside(FILE),
  open,
  hint,
  compileBytes: (bytes) => WebAssembly.compile(bytes),
});
startSync(main, () => {
  glue.initSync({ module: readBundled() });
  return glue;
}, blocked);

export const init = initFor([main]);

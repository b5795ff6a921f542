// The browser entry (`import … from "cognito-wasm"` in bundlers and pages): no top-level await.
// The .wasm fetch starts while this module is evaluated (after the importing module's own
// synchronous code, so an `init({ wasm })` there replaces it); the classes are usable at once.
import * as glue from "./cognito_wasm_browser.js";
import { WasmModule, initFor } from "./loader.js";

export { WasmLoadError, WasmBlockedError, WasmNotReadyError } from "./loader.js";

const FILE = "cognito_wasm_browser_bg.wasm";
// A classic script (an iife bundle) has no import.meta.url: its own src, else the page.
const scriptBase =
  (typeof document === "object" && document.currentScript?.src) ||
  (typeof location === "object" ? location.href : undefined);

// Vite 7's dev server pre-bundles this module into node_modules/.vite/deps/ and leaves the .wasm
// behind; it is still in the package's own folder, node_modules/cognito-wasm/.
const VITE_DEPS = /\/\.vite\/deps\/[^/]*$/;
let prebundled = false;

/** The one line that makes the .wasm resolvable, for the error message. */
function hint(url) {
  if (prebundled || String(url).includes("/.vite/deps/")) {
    return 'Vite pre-bundled cognito-wasm without its .wasm: add optimizeDeps: { exclude: ["cognito-wasm"] } to vite.config.';
  }
  return (
    `The bundler did not publish ${FILE}: copy it next to the bundle ` +
    `(cp node_modules/cognito-wasm/${FILE} <output dir>/) or pass its URL: init({ wasm: "/path/to/${FILE}" }).`
  );
}

const main = new WasmModule({
  file: FILE,
  glue: () => glue,
  locate() {
    // The literal pattern bundlers (Vite, webpack, Parcel, Turbopack) publish as an asset.
    let url;
    try {
      url = new URL("./cognito_wasm_browser_bg.wasm", import.meta.url);
    } catch {
      return new URL(FILE, scriptBase);
    }
    if (!url.pathname.includes("/node_modules/.vite/deps/")) return url;
    prebundled = true;
    return new URL(url.pathname.replace(VITE_DEPS, `/cognito-wasm/${FILE}`), url);
  },
  open: (source, signal) => fetch(source, { signal }),
  hint,
  compileBytes: (bytes) => WebAssembly.compile(bytes),
});
queueMicrotask(() => {
  if (main.attempt === 0) main.start();
});

export const init = initFor([main]);

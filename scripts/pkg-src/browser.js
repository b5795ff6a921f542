// The browser entry (`import … from "cognito-wasm"` in bundlers and pages): no top-level await.
// Three modules, each a superset of the one before (docs/design/weight.md): `session` (restore,
// refresh, sign out, listeners, storages), `signin` (sign-in, challenges, sign-up, passwords) and
// `full` (account, devices, hosted UI, CognitoJwtVerifier). The session module's fetch starts
// once the task that evaluated this module ends (so an `init({ wasm })` in the importing module's
// code replaces it, and a first call that needs a higher module fetches only that one); the
// others on the first call that needs them, or `auth.preload()`. The classes are usable at once.
import * as sessionGlue from "./cognito_wasm_session.js";
import { WasmModule, initTiers } from "./loader.js";

export { WasmLoadError, WasmBlockedError, WasmNotReadyError } from "./loader.js";

// A classic script (an iife bundle) has no import.meta.url: its own src, else the page.
const scriptBase =
  (typeof document === "object" && document.currentScript?.src) ||
  (typeof location === "object" ? location.href : undefined);

// Vite 7's dev server pre-bundles this module into node_modules/.vite/deps/ and leaves the .wasm
// behind; it is still in the package's own folder, node_modules/cognito-wasm/.
const VITE_DEPS = /\/\.vite\/deps\/[^/]*$/;
let prebundled = false;

/** The one line that makes `file` resolvable, for the error message. */
function hintFor(file) {
  return (url) => {
    if (prebundled || String(url).includes("/.vite/deps/")) {
      return 'Vite pre-bundled cognito-wasm without its .wasm: add optimizeDeps: { exclude: ["cognito-wasm"] } to vite.config.';
    }
    return (
      `The bundler did not publish ${file}: copy the package's three browser .wasm files next to the bundle ` +
      `(cp node_modules/cognito-wasm/cognito_wasm_*_bg.wasm <output dir>/) or pass their URLs: init({ wasm: (file) => "/path/to/" + file }).`
    );
  };
}

/** `url()` is the literal `new URL("./x_bg.wasm", import.meta.url)` bundlers publish as an asset. */
function tier(file, glue, url) {
  return new WasmModule({
    file,
    glue,
    locate() {
      let located;
      try {
        located = url();
      } catch {
        return new URL(file, scriptBase);
      }
      if (!located.pathname.includes("/node_modules/.vite/deps/")) return located;
      prebundled = true;
      return new URL(located.pathname.replace(VITE_DEPS, `/cognito-wasm/${file}`), located);
    },
    open: (source, signal) => fetch(source, { signal }),
    hint: hintFor(file),
    compileBytes: (bytes) => WebAssembly.compile(bytes),
  });
}

const session = tier("cognito_wasm_session_bg.wasm", () => sessionGlue, () => new URL("./cognito_wasm_session_bg.wasm", import.meta.url));
const signin = tier("cognito_wasm_signin_bg.wasm", () => import("./cognito_wasm_signin.js"), () => new URL("./cognito_wasm_signin_bg.wasm", import.meta.url));
const full = tier("cognito_wasm_browser_bg.wasm", () => import("./cognito_wasm_browser.js"), () => new URL("./cognito_wasm_browser_bg.wasm", import.meta.url));
const tiers = [session, signin, full];
// After the current task: a page whose first call needs a higher module (a sign-in right after a
// dynamic import) then fetches that module alone.
setTimeout(() => {
  if (tiers[0] === session && session.attempt === 0 && !tiers.some((tier) => tier.pending || tier.ready)) session.start();
}, 0);

export const init = initTiers(tiers);

// The Workers entry (workerd, wrangler): the .wasm is imported as a compiled module and
// instantiated synchronously; no top-level await.
import module from "./cognito_wasm_bg.wasm";
import * as glue from "./cognito_wasm.js";
import { blocked } from "./loader-paths.js";
import { WasmModule, initFor, startSync } from "./loader.js";

export { WasmLoadError, WasmBlockedError, WasmNotReadyError } from "./loader.js";
export { MemoryStorage, WebStorage } from "./storages.js";

const FILE = "cognito_wasm_bg.wasm";
const hint = () => `Import the package through its "workerd" export condition (wrangler does) or pass the module: init({ wasm }).`;

const main = new WasmModule({
  file: FILE,
  glue: () => glue,
  locate: () => module,
  open: (source, signal) => fetch(source, { signal }),
  hint,
});
startSync(main, () => {
  glue.initSync({ module });
  return glue;
}, blocked);

export const init = initFor([main]);

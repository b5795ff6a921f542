// The edge entry (Next.js middleware and other "edge-light" runtimes): the full .wasm imported as
// a compiled module (`?module`, as Next.js requires: edge code may not compile bytes) and
// instantiated synchronously; no top-level await.
import module from "./cognito_wasm_bg.wasm?module";
import * as glue from "./cognito_wasm.js";
import { blocked } from "./loader-paths.js";
import { WasmModule, initFor, startSync } from "./loader.js";

export { WasmLoadError, WasmBlockedError, WasmNotReadyError } from "./loader.js";
export { MemoryStorage, WebStorage } from "./storages.js";

const main = new WasmModule({
  file: "cognito_wasm_bg.wasm",
  glue: () => glue,
  locate: () => module,
  open: (source, signal) => fetch(source, { signal }),
  hint: () => 'Edge runtimes take the .wasm as a WebAssembly.Module: init({ wasm: module }) with import module from "cognito-wasm/cognito_wasm_bg.wasm?module".',
});
// wasm-bindgen's initSync wants this realm's WebAssembly.Module; Next.js's sandbox hands one from
// its host realm, which the asynchronous path instantiates (calls wait for it as in browsers).
if (module instanceof WebAssembly.Module) {
  startSync(main, () => {
    glue.initSync({ module });
    return glue;
  }, blocked);
} else {
  main.start(module);
}

export const init = initFor([main]);


// ---- Loading (scripts/pkg-src/loader.js) ----

/** Where a .wasm comes from: its URL, a Response (or its Promise), its bytes or a compiled module. */
export type WasmSource =
  | string
  | URL
  | Request
  | Response
  | PromiseLike<Response>
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module;

export interface InitOptions {
  /**
   * The .wasm to use instead of the one beside this package (self-hosting, Workers). A function
   * is asked once per .wasm file, with its name (`"cognito_wasm_browser_bg.wasm"`).
   */
  wasm?: WasmSource | ((file: string) => WasmSource);
}

/**
 * Resolves once the WebAssembly module is ready. Loading starts by itself when the package is
 * imported; `init` is needed only to pass the .wasm yourself or to wait before calling a
 * synchronous method. Rejects with `WasmLoadError` or `WasmBlockedError`.
 */
export function init(options?: InitOptions): Promise<void>;

/**
 * Loading failed: the .wasm could not be fetched (`retryable`: a later call tries again), was
 * not WebAssembly (a bundler did not publish it; the message names the line that fixes that),
 * or did not compile.
 */
export class WasmLoadError extends Error {
  name: "WasmLoadError" | "WasmBlockedError";
  code: "WasmLoadError" | "WasmBlockedError";
  /** The URL tried, when there was one. */
  url?: string;
  retryable: boolean;
}

/** The page's Content-Security-Policy refuses WebAssembly: add `'wasm-unsafe-eval'` to `script-src`. */
export class WasmBlockedError extends WasmLoadError {
  name: "WasmBlockedError";
  code: "WasmBlockedError";
}

/** A synchronous method or getter was called before the module was ready: `await init()` first. */
export class WasmNotReadyError extends Error {
  name: "WasmNotReadyError";
  code: "WasmNotReadyError";
}

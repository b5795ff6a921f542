// The load's rarer paths (./loader.js), in their own file for browser.js (scripts/pkg-entries.mjs):
// fetched only when a page takes one — a module given as bytes (`init({ wasm: bytes })`), a
// Response that is not an `application/wasm` one to stream, or anything that is not WebAssembly —
// and bundled into the Node, workerd and edge entries. The errors are the loader's classes,
// passed in (one `WasmLoadError` for the package).

const CSP_REFUSAL = /unsafe-eval|wasm-eval|content.security.policy|\bCSP\b/i;

/** A `WasmBlockedError` (the loader's class) when `cause` is the Content Security Policy's refusal, else undefined. */
export function blocked(cause, url, WasmBlockedError) {
  if (CSP_REFUSAL.test(String(cause?.message))) {
    return new WasmBlockedError(
      "cognito-wasm: the page's Content-Security-Policy refused to compile WebAssembly: add 'wasm-unsafe-eval' to script-src (script-src 'self' 'wasm-unsafe-eval')",
      { url, cause },
    );
  }
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

function hasMagic(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes)
    ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
  return WASM_MAGIC.every((b, i) => view[i] === b);
}

function preview(bytes) {
  const view = new Uint8Array(bytes instanceof ArrayBuffer ? bytes : bytes.buffer, bytes.byteOffset ?? 0, Math.min(bytes.byteLength, 16));
  return String.fromCharCode(...view).replace(/[^\x20-\x7e]/g, "?");
}

/**
 * A WebAssembly.Module from a Response (its bytes) or bytes: `file` and `hint(url)` as the
 * WasmModule's, `compileBytes` its compiler (undefined where the runtime compiles none),
 * `WasmLoadError` and `WasmBlockedError` the loader's classes.
 */
export async function compileSlowly(input, url, file, hint, compileBytes, WasmLoadError, WasmBlockedError) {
  if (typeof Response === "function" && input instanceof Response) {
    url = input.url || url;
    if (!input.ok) {
      throw new WasmLoadError(`cognito-wasm: ${url} answered HTTP ${input.status}. ${hint(url)}`, { url, retryable: input.status >= 500 || input.status === 429 });
    }
    input = await input.arrayBuffer();
  }
  if (!(input instanceof ArrayBuffer || ArrayBuffer.isView(input))) {
    throw new WasmLoadError(`cognito-wasm: init({ wasm }) takes a URL, a Response, bytes or a WebAssembly.Module, not ${Object.prototype.toString.call(input)}`);
  }
  if (!hasMagic(input)) {
    throw new WasmLoadError(`cognito-wasm: ${url ?? "the bytes given"} is not WebAssembly (it starts with "${preview(input)}": a page served in its place?). ${hint(url)}`, { url });
  }
  if (!compileBytes) {
    throw new WasmLoadError("cognito-wasm: this runtime compiles no WebAssembly at run time: pass a WebAssembly.Module (import wasm from \"…/cognito_wasm_bg.wasm?module\")", { url });
  }
  try {
    return await compileBytes(input);
  } catch (cause) {
    throw blocked(cause, url, WasmBlockedError) ?? new WasmLoadError(`cognito-wasm: ${url ?? file} did not compile: ${cause?.message ?? cause}`, { url, cause });
  }
}

/**
 * browser.js's hint for `file` (./browser.js's `hintFor`): the Vite option when Vite pre-bundled
 * the package (`prebundled`), else the line that publishes the .wasm files or passes their URLs.
 */
export function browserHint(file, prebundled) {
  if (prebundled) return 'Vite pre-bundled cognito-wasm without its .wasm: add optimizeDeps: { exclude: ["cognito-wasm"] } to vite.config.';
  return (
    `The bundler did not publish ${file}: copy the package's browser .wasm files next to the bundle ` +
    `(cp node_modules/cognito-wasm/cognito_wasm_*_bg.wasm <output dir>/) or pass their URLs: init({ wasm: (file) => "/path/to/" + file }).`
  );
}

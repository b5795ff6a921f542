
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
   * The .wasm to use instead of the files beside this package (self-hosting, Workers). A function
   * is asked once per .wasm file, with its name, when that file is first needed; a map gives
   * each file by name. In browsers the package has six: `"cognito_wasm_restore_bg.wasm"`
   * (first, when the storage holds a session and the options name no `clientSecret`, `oauth`,
   * `userContextData` or `CookieStorage`), `"cognito_wasm_session_bg.wasm"` (first, when the
   * storage holds a session and the options name one of those),
   * `"cognito_wasm_signin_plain_bg.wasm"` (first, when it holds none and the options name none of
   * those; else on the first `signIn`/`respondToChallenge`, or `preload()`),
   * `"cognito_wasm_signin_bg.wasm"` (the same for options that name one of those),
   * `"cognito_wasm_signup_bg.wasm"` (on the first sign-up, confirmation or password-reset call,
   * USER_AUTH sign-in — `signIn({ flow: "USER_AUTH" })` — passkey sign-in — `signIn({
   * preferredChallenge: "WEB_AUTHN" })`, `respondToChallenge({ answer: "WEB_AUTHN" })` — or
   * `preload("signUp")`) and `"cognito_wasm_browser_bg.wasm"` (everything, on the first account,
   * device (`getDeviceKey` included), hosted-UI or verifier call). One source alone is taken as the last: it has every
   * class and method, and the other five are then never fetched. Node and Workers have one file,
   * `"cognito_wasm_bg.wasm"`.
   */
  wasm?: WasmSource | ((file: string) => WasmSource) | { [file: string]: WasmSource };
}

/**
 * Resolves once the first WebAssembly module is ready (in browsers the restore or session module
 * when the storage holds a session for a client, else the signin_plain or signin module: the
 * others load on first use).
 * Loading starts by itself at the first `new CognitoAuth` (or once the task that imported the
 * package ends); `init` is
 * needed only to pass the .wasm yourself or to wait before calling a synchronous method. Rejects
 * with `WasmLoadError` or `WasmBlockedError`.
 */
export function init(options?: InitOptions): Promise<void>;

export interface CognitoAuth {
  /**
   * Loads what `member` needs now (in browsers the lowest module that has it, otherwise fetched
   * by its first call); without `member`, what `signIn` and `respondToChallenge` need. For a
   * form to call when it is shown: a sign-in form `preload()`, a sign-up or password-reset form
   * `preload("signUp")` (on a first visit, called before the first module is ready, only that
   * module is fetched). Resolves once it is ready; rejects with `WasmLoadError`, or a `TypeError`
   * when `member` is not a method or getter of `CognitoAuth`.
   */
  preload(member?: Exclude<keyof CognitoAuth & string, "preload" | "free">): Promise<void>;
  /**
   * Loads what this call would need: a passkey sign-in page calls
   * `preload("signIn", { preferredChallenge: "WEB_AUTHN" })` (or `preload("respondToChallenge",
   * { answer: "WEB_AUTHN" })`) when it is shown: in browsers the signup module, which has the
   * passkey sign-in (the signin modules have not). On a first visit, called before the first module
   * is ready, only that module is fetched.
   */
  preload(member: "signIn", params: Partial<SignInParams>): Promise<void>;
  preload(member: "respondToChallenge", params: Partial<ChallengeParams>): Promise<void>;
}

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

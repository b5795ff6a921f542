// The browser entry (`import … from "cognito-wasm"` in bundlers and pages): no top-level await.
// Six modules, each a superset of the one before it in its chain (docs/design/weight.md: restore →
// signin_plain → signup → full, restore → session → signin → signup → full): `restore` (restore,
// refresh, sign out, listeners, for plain options), `session` (the
// same for every option: client secret, hosted UI, context data, CookieStorage), `signin_plain`
// (restore's plus sign-in and challenges, for plain options), `signin` (the same for every option),
// `signup` (sign-up, confirmation, password reset) and `full` (account, devices, hosted UI,
// CognitoJwtVerifier). The first module is chosen when it is first needed (the rules:
// ./first-module.js): the first `new CognitoAuth(options)` looks whether its storage holds a
// session for its client and starts fetching restore (it does) or signin_plain (it does not: the
// page will sign in) at once — session or signin for options that are not plain; `init()` before
// any object, or the end of the task that evaluated this module with none made, looks at the
// page's storages for any client. An object that is not plain (a CognitoAuth whose options the
// plain-only modules refuse, a CookieStorage) never lives in those (`plain`). The others load on
// the first call that needs them, or `auth.preload(member)`; a call of a higher module while the
// first one is still on its way stops that fetch. A passkey sign-in (`signIn({ preferredChallenge:
// "WEB_AUTHN" })`, `respondToChallenge({ answer: "WEB_AUTHN" })`) runs in the signup module,
// which has it; the signin modules have not (./call-tiers.js). The classes are usable at once;
// MemoryStorage and WebStorage (./storages.js) are plain JS and need no module at all.
import { SESSION, UNKNOWN, findStored, firstModule, isPlain, lastAuthUserKey } from "./first-module.js";
import { WasmModule, initTiers } from "./loader.js";

export { WasmLoadError, WasmBlockedError, WasmNotReadyError } from "./loader.js";
export { MemoryStorage, WebStorage } from "./storages.js";

// A classic script (an iife bundle) has no import.meta.url: its own src, else the page.
const scriptBase =
  (typeof document === "object" && document.currentScript?.src) ||
  (typeof location === "object" ? location.href : undefined);

// Vite 7's dev server pre-bundles this module into node_modules/.vite/deps/ and leaves the .wasm
// behind; it is still in the package's own folder, node_modules/cognito-wasm/.
const VITE_DEPS = /\/\.vite\/deps\/[^/]*$/;
let prebundled = false;

/** The one line that makes `file` resolvable, for the error message (its text: ./loader-paths.js). */
function hintFor(file) {
  return (url, texts) => texts?.browserHint(file, prebundled || String(url).includes("/.vite/deps/")) ?? "";
}

/**
 * `url()` is the literal `new URL("./x_bg.wasm", import.meta.url)` bundlers publish as an asset;
 * `plain`: the module takes plain options only.
 */
function tier(file, glue, url, plain) {
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
    plain,
  });
}

const restore = tier("cognito_wasm_restore_bg.wasm", () => import("./cognito_wasm_restore.js"), () => new URL("./cognito_wasm_restore_bg.wasm", import.meta.url), 1);
const session = tier("cognito_wasm_session_bg.wasm", () => import("./cognito_wasm_session.js"), () => new URL("./cognito_wasm_session_bg.wasm", import.meta.url));
const signinPlain = tier("cognito_wasm_signin_plain_bg.wasm", () => import("./cognito_wasm_signin_plain.js"), () => new URL("./cognito_wasm_signin_plain_bg.wasm", import.meta.url), 1);
const signin = tier("cognito_wasm_signin_bg.wasm", () => import("./cognito_wasm_signin.js"), () => new URL("./cognito_wasm_signin_bg.wasm", import.meta.url));
const signup = tier("cognito_wasm_signup_bg.wasm", () => import("./cognito_wasm_signup.js"), () => new URL("./cognito_wasm_signup_bg.wasm", import.meta.url));
const full = tier("cognito_wasm_browser_bg.wasm", () => import("./cognito_wasm_browser.js"), () => new URL("./cognito_wasm_browser_bg.wasm", import.meta.url));
const tiers = [restore, session, signinPlain, signin, signup, full];

/** Whether a module has been chosen (one is loading, loaded or failed). */
const begun = () => tiers.some((tier) => tier.ready || tier.attempt > 0);
const made = []; // the lowest modules of the objects made before one was chosen
let madePlain = true; // and whether they all are plain

/** The page's cookies as [name, value as sent] (CookieStorage's cookie names are its keys; values have no "="). */
function cookieEntries() {
  return typeof document === "object" && typeof document?.cookie === "string" ? document.cookie.split(/; */).map((c) => c.split("=")) : [];
}

/**
 * What a CognitoAuth's storage holds under its LastAuthUser, read without any module (`args`: its
 * constructor's, the default storage second when the options give none: ./loader.js).
 */
function storedFor([options, fallback]) {
  const clientId = options?.clientId;
  if (typeof clientId !== "string") return UNKNOWN;
  const key = lastAuthUserKey(clientId);
  try {
    const storage = fallback ?? options.storage;
    if (storage instanceof CookieStorage) return cookieEntries().find(([name]) => name === key)?.[1] ?? null;
    if (typeof storage?.getItem !== "function") return UNKNOWN;
    const value = storage.getItem(key);
    if (typeof value?.then === "function") value.then(undefined, () => {}); // asynchronous: cannot tell
    return value;
  } catch {
    return UNKNOWN;
  }
}

/**
 * Any client's stored user, for a choice without an object: in localStorage (the default storage),
 * else in the cookies — which only CookieStorage reads, so not plain options (./first-module.js).
 */
function storedAnywhere() {
  try {
    const store = globalThis.localStorage;
    const entries = [];
    for (let i = 0; store != null && i < store.length; i++) entries.push([store.key(i), store.getItem(store.key(i))]);
    const local = findStored(entries);
    if (local !== null) return { stored: local };
    const cookie = findStored(cookieEntries());
    return { stored: cookie, plain: cookie === null };
  } catch {
    return { stored: UNKNOWN };
  }
}

/** The module to start now, chosen by the objects made so far (or the storages, with none). */
function choose() {
  return firstModule(made.length ? { levels: made, plain: madePlain } : storedAnywhere());
}

/** Whether `storage` is the package's CookieStorage (made before or by a module). */
const isCookieStorage = (storage) => storage instanceof CookieStorage;

/**
 * Called by each constructor of the entry's classes (`plain`: whether the object is): before a
 * module is chosen, the first CognitoAuth chooses by its storage and options and the objects made
 * before it (started at once); other objects are noted for the choice at the end of this task
 * (null: not started now; the verifier's module is started at once).
 */
function first(name, args, level, plain) {
  if (begun()) return undefined;
  madePlain &&= plain;
  if (name === "CognitoAuth") return firstModule({ levels: made, stored: storedFor(args), plain: madePlain });
  made.push(level);
  return level > SESSION ? level : null;
}

/** Whether an object is plain: a CognitoAuth by its options (./first-module.js); any other is, unless its class is `rich` (./loader.js). */
const plainFor = (name, [options]) => name !== "CognitoAuth" || isPlain(options, isCookieStorage);

// After the current task, if nothing chose yet (a page that made only storages, or none).
setTimeout(() => {
  if (!begun()) tiers[choose()].start();
}, 0);

export const init = initTiers(tiers, choose);

// The package's storage classes, MemoryStorage and WebStorage: plain JS, usable at once (no
// module needed), bundled into each entry by scripts/pkg-entries.mjs. A CognitoAuth uses them as
// any other storage object (getItem/setItem/removeItem). defaultStorage() is the storage a
// CognitoAuth's facade (./loader.js) makes when its options give none. (The state's property
// names are shortened in browser.js: scripts/pkg-entries.mjs's LOADER_PROPS.)

/** The InvalidParameterError the package's modules throw (src/js/error.rs's to_js_error). */
function invalid(message) {
  const error = new Error(message);
  error.name = error.code = "InvalidParameterError";
  error.retryable = false;
  return error;
}

/** `value`, checked to be a string: else InvalidParameterError "`what` must be a string". */
function string(value, what) {
  if (typeof value !== "string") throw invalid(`${what} must be a string`);
  return value;
}

/** "name: message" of a thrown Error, else "storage threw". */
const describe = (thrown) => (thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : "storage threw");

/** `globalThis[kind]` when it is a Web Storage `Storage`; else throws why not (a string). */
function browserStorage(kind) {
  let value;
  try {
    value = globalThis[kind];
  } catch (thrown) {
    throw describe(thrown);
  }
  let is = false;
  try {
    is = value instanceof Storage;
  } catch {}
  if (!is) throw `this runtime has no ${kind}`;
  return value;
}

const HELD = new WeakMap(); // storage → { memory, kind, browser, reason }

/** A storage's state (a method called on anything else throws a TypeError reading it). */
const held = (self) => HELD.get(self);

/** Gives `self` its state: over `globalThis[kind]` ("localStorage", "sessionStorage") while it works, else memory. */
function open(self, kind) {
  const state = { memory: new Map(), kind, browser: undefined, reason: undefined };
  HELD.set(self, state);
  if (kind) {
    try {
      state.browser = browserStorage(kind);
    } catch (reason) {
      fallBack(state, reason);
    }
  }
}

/** Switches to memory for good (memory starts empty: a refusing browser may not let us read it), with one console.warn. */
function fallBack(state, reason) {
  if (state.reason === undefined) {
    try {
      globalThis.console.warn(`cognito-wasm: ${state.kind} unavailable (${reason}); keeping tokens in memory`);
    } catch {}
    state.reason = reason;
  }
  state.browser = undefined;
}

/**
 * The one body of both classes' getItem (a string, or undefined for a missing key), setItem and
 * removeItem (undefined): `method` of the browser's storage, looked up at the call, or (none, or
 * it threw: from then on) of memory.
 */
function apply(self, method, key, value) {
  const state = held(self);
  key = string(key, "key");
  if (method === "setItem") value = string(value, "value");
  const browser = state.browser;
  if (browser) {
    try {
      const f = browser[method];
      if (typeof f !== "function") throw f;
      const answer = f.call(browser, key, value);
      return method === "getItem" && typeof answer === "string" ? answer : undefined;
    } catch (thrown) {
      fallBack(state, describe(thrown));
    }
  }
  if (method === "getItem") return state.memory.get(key);
  if (method === "setItem") state.memory.set(key, value);
  else state.memory.delete(key);
}

/** What both classes share: getItem, setItem, removeItem over their state (`apply`), and free(). */
class Items {
  getItem(key) {
    return apply(this, "getItem", key);
  }

  setItem(key, value) {
    apply(this, "setItem", key, value);
  }

  removeItem(key) {
    apply(this, "removeItem", key);
  }

  /** Nothing to free (kept from when the classes were the module's). */
  free() {}
}
if (typeof Symbol.dispose === "symbol") Items.prototype[Symbol.dispose] = Items.prototype.free;

/** Tokens in memory: gone with the page or process. The default where there is no `localStorage`. */
export class MemoryStorage extends Items {
  constructor() {
    super();
    open(this);
  }

  /** The keys held, sorted (`Array.prototype.sort`: by UTF-16 code units). */
  keys() {
    return [...held(this).memory.keys()].sort();
  }
}

/**
 * `localStorage` (the default in browsers) or `sessionStorage`. Where the browser refuses
 * (storage disabled, private mode, quota exceeded) it falls back to memory for good and says so
 * in `usingFallback`/`fallbackReason` and once on `console.warn`.
 */
export class WebStorage extends Items {
  /** `kind` is "local" (default) or "session"; any other is an InvalidParameterError. */
  constructor(kind) {
    if (kind != null && string(kind, "WebStorage kind") !== "local" && kind !== "session") {
      throw invalid(`WebStorage kind must be "local" or "session", not "${kind}"`);
    }
    super();
    open(this, kind === "session" ? "sessionStorage" : "localStorage");
  }

  /** Whether the browser refused and tokens are kept in memory instead. */
  get usingFallback() {
    return held(this).reason !== undefined;
  }

  /** Why, when `usingFallback`. */
  get fallbackReason() {
    return held(this).reason;
  }
}

/** The storage a CognitoAuth uses when its options give none: `localStorage` where the runtime has a usable one, else memory. */
export function defaultStorage() {
  try {
    browserStorage("localStorage");
  } catch {
    return new MemoryStorage();
  }
  return new WebStorage();
}

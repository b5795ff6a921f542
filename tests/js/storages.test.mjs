// The package's storage classes, MemoryStorage and WebStorage (scripts/pkg-src/storages.js: plain
// JS in every entry), in Node: usable before any module is ready, their answers, their
// InvalidParameterError texts, WebStorage over a Web Storage (a stand-in `Storage` here; Chromium's
// real ones: tests/e2e/storage.test.mjs) and its fallback to memory for good with one warning; and
// the default storage each CognitoAuth facade makes once (memory in Node) and keeps when its object
// moves up a module, against the local emulator (COGNITO_EMULATOR_URL).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as browser from "../../pkg/browser.js";
import * as node from "../../pkg/node.js";
import { CognitoAuth, MemoryStorage, WebStorage, init } from "../../pkg/browser.js";
import { PASSWORD, confirmedUser } from "./stored-session.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const bytes = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url));
const asked = [];

/** The console.warn lines `fn` writes. */
function warnings(fn) {
  const seen = [];
  const warn = console.warn;
  console.warn = (...args) => seen.push(args.map(String).join(" "));
  try {
    fn();
  } finally {
    console.warn = warn;
  }
  return seen;
}

/** An InvalidParameterError with `message`, as the modules throw (src/js/error.rs). */
const invalid = (message) => (e) => {
  assert.ok(e instanceof Error, String(e));
  assert.deepEqual({ name: e.name, code: e.code, retryable: e.retryable, message: e.message }, { name: "InvalidParameterError", code: "InvalidParameterError", retryable: false, message });
  return true;
};

/** A stand-in of the Web Storage API's `Storage` (`failOn`: the method that throws). */
class Storage {
  map = new Map();
  constructor(failOn) {
    this.failOn = failOn;
  }
  getItem(k) {
    if (this.failOn === "getItem") throw new DOMException("denied", "SecurityError");
    return this.map.has(k) ? this.map.get(k) : null;
  }
  setItem(k, v) {
    if (this.failOn === "setItem") throw new DOMException("full", "QuotaExceededError");
    this.map.set(k, String(v));
  }
  removeItem(k) {
    this.map.delete(k);
  }
}

/** `globalThis.Storage` and `globalThis[kind]` (a stand-in), removed by the returned `remove()`. */
function fakeWebStorage(kind, { failOn } = {}) {
  const store = new Storage(failOn);
  globalThis.Storage = Storage;
  globalThis[kind] = store;
  return { store, remove: () => delete globalThis[kind] };
}

test("every entry exports the two classes, plain JS classes (no module behind them)", () => {
  for (const entry of [browser, node]) {
    for (const name of ["MemoryStorage", "WebStorage"]) {
      assert.equal(typeof entry[name], "function", name);
      assert.match(Function.prototype.toString.call(entry[name]), /^class\b/, `${name} is a class`);
    }
  }
});

test("MemoryStorage works before any module is ready: getItem a string or undefined, setItem/removeItem undefined, keys sorted", () => {
  const m = new MemoryStorage();
  assert.equal(m.getItem("missing"), undefined);
  assert.equal(m.setItem("b", "2"), undefined);
  assert.equal(m.setItem("a", "1"), undefined);
  m.setItem("\u{1F600}", "astral");
  m.setItem("\uFFFF", "bmp");
  m.setItem("a", "1 again");
  assert.equal(m.getItem("a"), "1 again");
  assert.equal(m.getItem("b"), "2");
  assert.deepEqual(m.keys(), ["a", "b", "\u{1F600}", "\uFFFF"], "UTF-16 code unit order (Array.prototype.sort)");
  assert.equal(m.removeItem("a"), undefined);
  assert.equal(m.removeItem("never there"), undefined);
  assert.deepEqual(m.keys(), ["b", "\u{1F600}", "\uFFFF"]);
  assert.equal(m.setItem("empty", ""), undefined);
  assert.equal(m.getItem("empty"), "", "an empty string is a value");
  assert.deepEqual(asked, [], "no module was asked for");
  // The module-era methods stay, as no-ops.
  assert.equal(m.free(), undefined);
  if (typeof Symbol.dispose === "symbol") assert.equal(m[Symbol.dispose], m.free);
  assert.equal(m.getItem("b"), "2", "free() keeps the items");
});

test("a key or value that is not a string: InvalidParameterError, as the modules' classes threw", () => {
  let web;
  warnings(() => (web = new WebStorage("session")));
  for (const storage of [new MemoryStorage(), web]) {
    for (const key of [1, undefined, null, {}, new String("k"), Symbol.iterator]) {
      assert.throws(() => storage.getItem(key), invalid("key must be a string"));
      assert.throws(() => storage.setItem(key, "v"), invalid("key must be a string"), "the key is checked first");
      assert.throws(() => storage.removeItem(key), invalid("key must be a string"));
    }
    for (const value of [1, undefined, null, { toString: () => "v" }]) assert.throws(() => storage.setItem("k", value), invalid("value must be a string"));
    assert.equal(storage.getItem("k"), undefined, "nothing was written");
  }
});

test("WebStorage's kind: local (default, undefined or null), session, else InvalidParameterError", () => {
  assert.throws(() => new WebStorage("cookie"), invalid('WebStorage kind must be "local" or "session", not "cookie"'));
  assert.throws(() => new WebStorage(""), invalid('WebStorage kind must be "local" or "session", not ""'));
  assert.throws(() => new WebStorage(7), invalid("WebStorage kind must be a string"));
  assert.throws(() => new WebStorage({}), invalid("WebStorage kind must be a string"));
  const local = fakeWebStorage("localStorage");
  const session = fakeWebStorage("sessionStorage");
  try {
    for (const kind of [undefined, null, "local"]) {
      const web = new WebStorage(kind);
      web.setItem(`k-${kind}`, "v");
      assert.equal(local.store.map.get(`k-${kind}`), "v", `${kind}: localStorage`);
      assert.equal(web.usingFallback, false);
      assert.equal(web.fallbackReason, undefined);
    }
    const web = new WebStorage("session");
    web.setItem("s", "v");
    assert.equal(session.store.map.get("s"), "v");
    assert.equal(local.store.map.has("s"), false);
    assert.equal(web.getItem("s"), "v");
    assert.equal(web.getItem("missing"), undefined, "Storage's null becomes undefined");
    web.removeItem("s");
    assert.equal(session.store.map.has("s"), false);
  } finally {
    local.remove();
    session.remove();
  }
});

test("WebStorage where the runtime has no Web Storage: memory, usingFallback, fallbackReason and one console.warn", () => {
  let web;
  const seen = warnings(() => {
    web = new WebStorage("local");
    web.setItem("k", "v");
    web.getItem("k");
  });
  assert.deepEqual(seen, ["cognito-wasm: localStorage unavailable (this runtime has no localStorage); keeping tokens in memory"]);
  assert.equal(web.usingFallback, true);
  assert.equal(web.fallbackReason, "this runtime has no localStorage");
  assert.equal(web.getItem("k"), "v", "kept in memory");
  assert.deepEqual(warnings(() => new WebStorage("session")), ["cognito-wasm: sessionStorage unavailable (this runtime has no sessionStorage); keeping tokens in memory"]);
  // A runtime whose `localStorage` is not a Web Storage `Storage` (an object of another kind).
  globalThis.localStorage = { getItem: () => "x", setItem() {}, removeItem() {} };
  try {
    assert.equal(warnings(() => assert.equal(new WebStorage().usingFallback, true)).length, 1);
  } finally {
    delete globalThis.localStorage;
  }
});

test("WebStorage whose storage throws (quota, a refused getter): memory from then on, for good, with one warning", () => {
  const full = fakeWebStorage("localStorage", { failOn: "setItem" });
  try {
    const web = new WebStorage();
    full.store.map.set("before", "old");
    assert.equal(web.getItem("before"), "old", "read from localStorage while it works");
    assert.equal(web.usingFallback, false);
    const seen = warnings(() => {
      web.setItem("k", "v");
      web.setItem("k2", "v2");
    });
    assert.deepEqual(seen, ["cognito-wasm: localStorage unavailable (QuotaExceededError: full); keeping tokens in memory"]);
    assert.equal(web.usingFallback, true);
    assert.equal(web.fallbackReason, "QuotaExceededError: full");
    assert.equal(web.getItem("k"), "v", "the refused write is in memory");
    assert.equal(web.getItem("before"), undefined, "memory starts empty: localStorage is no longer read");
    web.removeItem("k");
    assert.equal(web.getItem("k"), undefined);
  } finally {
    full.remove();
  }
  const denied = fakeWebStorage("localStorage", { failOn: "getItem" });
  try {
    const web = new WebStorage();
    assert.deepEqual(warnings(() => assert.equal(web.getItem("k"), undefined)), ["cognito-wasm: localStorage unavailable (SecurityError: denied); keeping tokens in memory"]);
  } finally {
    denied.remove();
  }
  // A `localStorage` getter that throws (a sandboxed iframe), and one that throws no Error.
  for (const [thrown, reason] of [[new DOMException("no", "SecurityError"), "SecurityError: no"], ["a string", "storage threw"]]) {
    Object.defineProperty(globalThis, "localStorage", { configurable: true, get() { throw thrown; } });
    try {
      let web;
      assert.equal(warnings(() => (web = new WebStorage())).length, 1);
      assert.equal(web.fallbackReason, reason);
    } finally {
      delete globalThis.localStorage;
    }
  }
});

test("methods on something that is not a storage of the package: TypeError", () => {
  assert.throws(() => MemoryStorage.prototype.getItem.call({}, "k"), TypeError);
  assert.throws(() => Object.getOwnPropertyDescriptor(WebStorage.prototype, "usingFallback").get.call({}), TypeError);
});

test("the default storage: MemoryStorage in Node, known at once, one per CognitoAuth, the same object when it moves up a module", async () => {
  const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
  const options = { userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint };
  const auth = new CognitoAuth(options);
  const storage = auth.storage;
  assert.ok(storage instanceof MemoryStorage, "known before any module is ready");
  assert.equal(new CognitoAuth(options).storage === storage, false, "one per object");
  assert.ok(new CognitoAuth({ ...options, storage: null }).storage instanceof MemoryStorage, "null: the default too");
  await init({ wasm: (file) => (asked.push(file), bytes(file)) });
  const username = await confirmedUser(endpoint, cfg.userPoolId, "jsstore");
  await auth.signIn({ username, password: PASSWORD });
  assert.equal(auth.storage, storage, "the same object in the module");
  assert.ok(storage.keys().some((k) => k.endsWith(`${username}.accessToken`)), "the tokens are in the default storage");
  await auth.preload("signUp"); // moves the object up to the signup module
  assert.equal(auth.storage, storage, "the same object after the move");
  assert.equal((await auth.getSession()).username, username, "the session kept in memory survives the move");
  await auth.signOut();
  assert.deepEqual(storage.keys(), [], "signOut removed every key");
});

test("the raw modules (no entry): a CognitoAuth needs options.storage or the constructor's default storage", async () => {
  const glue = await import(new URL("../../pkg/cognito_wasm.js", import.meta.url).href);
  glue.initSync({ module: bytes("cognito_wasm_bg.wasm") });
  const options = { userPoolId: "us-east-1_abc", clientId: "c" };
  assert.throws(() => new glue.CognitoAuth(options), invalid("options.storage must be given"));
  assert.equal("MemoryStorage" in glue, false, "the classes are the entries' now");
  const memory = new MemoryStorage();
  assert.equal(new glue.CognitoAuth(options, memory).storage, memory);
  const given = new MemoryStorage();
  assert.equal(new glue.CognitoAuth({ ...options, storage: given }, memory).storage, given, "options.storage first");
});

// The loader of the package's entries (scripts/pkg-src/loader.js), through pkg/browser.js in Node:
// its default .wasm URL is a file: URL, which Node's fetch refuses, so the module stays unloaded
// until init({ wasm }) — the states a page passes through, one after the other.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  CognitoAuth,
  CognitoJwtVerifier,
  CookieStorage,
  MemoryStorage,
  WasmBlockedError,
  WasmLoadError,
  WasmNotReadyError,
  init,
} from "../../pkg/browser.js";

const wasm = readFileSync(new URL("../../pkg/cognito_wasm_browser_bg.wasm", import.meta.url));
const options = { userPoolId: "us-east-1_AbC123", clientId: "abc123" };

// Made at import time, before anything is loaded.
const early = new CognitoAuth(options);
const earlyStorage = new MemoryStorage();
const events = [];
const unsubscribeEarly = early.onSessionChange((s) => events.push(s));
const pendingSession = early.getSession();
pendingSession.catch(() => {}); // awaited by the second test

test("before the module is ready: constructors work, sync methods throw WasmNotReadyError, Promises wait; the storage classes work at once", async () => {
  assert.ok(early instanceof CognitoAuth);
  assert.equal(typeof unsubscribeEarly, "function");
  assert.throws(() => new CookieStorage().getItem("k"), (e) => e instanceof WasmNotReadyError && /await init\(\)/.test(e.message));
  assert.equal(earlyStorage.getItem("k"), undefined, "MemoryStorage needs no module");
  const given = new MemoryStorage();
  assert.equal(new CognitoAuth({ ...options, storage: given }).storage, given, "the storage given is known at once");
  assert.ok(early.storage instanceof MemoryStorage, "the default storage (Node has no localStorage) is known at once");
  assert.equal(early.storage, early.storage);
});

test("the default load fails (no file: fetch in Node): the waiting call rejects with a retryable WasmLoadError", async () => {
  await assert.rejects(pendingSession, (e) => e instanceof WasmLoadError && e.name === "WasmLoadError" && e.retryable === true);
  assert.equal(earlyStorage.getItem("k"), undefined, "the storage classes work without the module");
});

test("init({ wasm }) refuses what is not WebAssembly with the line that fixes it", async () => {
  const html = new Response("<!doctype html><p>index</p>", { headers: { "content-type": "text/html" } });
  await assert.rejects(init({ wasm: html }), (e) => e instanceof WasmLoadError && /is not WebAssembly \(it starts with "<!doctype html>/.test(e.message) && /cp node_modules\/cognito-wasm\/cognito_wasm_\*_bg\.wasm/.test(e.message));
  await assert.rejects(init({ wasm: new Response("missing", { status: 404 }) }), (e) => e instanceof WasmLoadError && /HTTP 404/.test(e.message) && !e.retryable);
  await assert.rejects(init({ wasm: new Response("busy", { status: 503 }) }), (e) => e instanceof WasmLoadError && e.retryable);
  await assert.rejects(init({ wasm: 42 }), (e) => e instanceof WasmLoadError && /takes a URL, a Response, bytes or a WebAssembly.Module/.test(e.message));
  const corrupt = Uint8Array.from([0, 0x61, 0x73, 0x6d, 9, 9, 9, 9]);
  await assert.rejects(init({ wasm: corrupt }), (e) => e instanceof WasmLoadError && !(e instanceof WasmBlockedError) && /did not compile/.test(e.message));
});

test("init({ wasm: bytes }) loads it; objects made before are built, calls work, sync methods too", async () => {
  await init({ wasm: (file) => (assert.equal(file, "cognito_wasm_browser_bg.wasm"), wasm) });
  earlyStorage.setItem("k", "v");
  assert.equal(earlyStorage.getItem("k"), "v");
  assert.equal(await early.getSession(), null);
  assert.ok(early.storage instanceof MemoryStorage, "the default storage comes back as the package's class");
  assert.equal(early.storage, early.storage);
  unsubscribeEarly();
  assert.throws(() => new CognitoAuth({ userPoolId: "bad", clientId: "x" }), { name: "InvalidParameterError" }, "once ready, constructors throw at once again");
  await init(); // ready: resolves
  await init({ wasm: new Response("ignored") }); // already loaded: nothing to do
  assert.equal(typeof new CognitoJwtVerifier({ ...options, tokenUse: "id" }).verify, "function");
});

test("a constructor error of an object made before the module was ready rejects its calls", async () => {
  // Checked in a fresh process: the module here is already loaded.
  const { execFileSync } = await import("node:child_process");
  const script = `
    import { CognitoAuth, init } from ${JSON.stringify(new URL("../../pkg/browser.js", import.meta.url).href)};
    import { readFileSync } from "node:fs";
    const auth = new CognitoAuth({ userPoolId: "bad", clientId: "x" });
    await init({ wasm: readFileSync(${JSON.stringify(new URL("../../pkg/cognito_wasm_browser_bg.wasm", import.meta.url).pathname)}) });
    try { await auth.getSession(); console.log("resolved"); } catch (e) { console.log(e.name); }
    try { auth.onSessionChange(() => {}); console.log("returned"); } catch (e) { console.log(e.name); }`;
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  assert.deepEqual(out.trim().split("\n"), ["InvalidParameterError", "InvalidParameterError"]);
});

test("the Node entry without its .wasm (a bundler moved it): calls reject with a WasmLoadError naming the fix; init({ wasm }) recovers", async () => {
  const { mkdtempSync, copyFileSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const { execFileSync } = await import("node:child_process");
  const dir = mkdtempSync(join(tmpdir(), "cognito-wasm-moved-"));
  try {
    for (const file of ["node.js", "cognito_wasm.js", "package.json"]) copyFileSync(new URL(`../../pkg/${file}`, import.meta.url), join(dir, file));
    const script = `
      import { CognitoAuth, CookieJar, WasmLoadError, init } from "./node.js";
      import { readFileSync } from "node:fs";
      const auth = new CognitoAuth({ userPoolId: "us-east-1_AbC123", clientId: "abc" });
      try { await auth.getSession(); } catch (e) { console.log(e instanceof WasmLoadError, /outputFileTracingIncludes/.test(e.message)); }
      try { new CookieJar("a=b").getItem("a"); } catch (e) { console.log(e.name); }
      await init({ wasm: readFileSync(${JSON.stringify(fileURLToPath(new URL("../../pkg/cognito_wasm_bg.wasm", import.meta.url)))}) });
      console.log(await auth.getSession(), new CookieJar("a=b").getItem("a"));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
    assert.deepEqual(out.trim().split("\n"), ["true true", "WasmLoadError", "null b"]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

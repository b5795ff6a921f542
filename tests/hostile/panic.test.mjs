// No traps (issue 9): a panic inside the module becomes a JS Error (InternalError), the module
// re-initialises itself on the next call, and objects from before the panic fail with a clear
// error. Uses the `test-hooks` build (tests/hostile/build-test-hooks → target/pkg-test-hooks/),
// which adds __forcePanic / __forcePanicAsync; the published package has neither.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { emulator, emulatorCode } from "./emulator.mjs";

const dir = new URL("../../target/pkg-test-hooks/", import.meta.url);
const lib = await import(new URL("cognito_wasm.js", dir));
lib.initSync({ module: readFileSync(new URL("cognito_wasm_bg.wasm", dir)) });
const { CognitoAuth, MemoryStorage, WebStorage, __forcePanic, __forcePanicAsync } = lib;

const PASSWORD = "Panic-Pa55word!é";
let emu, username;

before(async () => {
  emu = await emulator();
  username = `panic-${Date.now()}`;
  const auth = new CognitoAuth({ userPoolId: emu.cfg.userPoolId, clientId: emu.cfg.clientId, endpoint: emu.endpoint });
  await auth.signUp({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } });
  await auth.confirmSignUp({ username, code: await emulatorCode(emu.endpoint, emu.cfg.userPoolId, username) });
});
after(() => emu?.stop());

/** Captures console.error while `work` runs. */
async function capturingConsole(work) {
  const lines = [];
  const original = console.error;
  console.error = (...args) => lines.push(args.map(String).join(" "));
  try {
    return { result: await work(), lines };
  } finally {
    console.error = original;
  }
}

const newAuth = () => new CognitoAuth({ userPoolId: emu.cfg.userPoolId, clientId: emu.cfg.clientId, endpoint: emu.endpoint, storage: new MemoryStorage() });

test("a synchronous panic throws an InternalError, then the module works again", async () => {
  const before = newAuth();
  assert.equal((await before.signIn({ username, password: PASSWORD })).signedIn, true);

  const { lines } = await capturingConsole(() => {
    assert.throws(() => __forcePanic(), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "InternalError");
      assert.equal(e.code, "InternalError");
      assert.equal(e.retryable, false);
      assert.match(e.message, /^cognito-wasm: internal error \(a panic at src\/js\/panic\.rs:\d+:\d+\)/);
      assert.doesNotMatch(e.message, /hunter2/, "the panic payload is not in the Error");
      return true;
    });
  });
  assert.equal(lines.length, 1, "one line logged");
  assert.match(lines[0], /^cognito-wasm: internal error/);
  assert.doesNotMatch(lines[0], /hunter2/, "the panic payload is not logged");

  // A new instance after the panic: the module was re-instantiated transparently.
  const after = newAuth();
  const step = await after.signIn({ username, password: PASSWORD });
  assert.equal(step.signedIn, true);
  assert.equal((await after.getSession()).accessToken, step.session.accessToken);

  // An object from the old instance fails with a clear JS error, not undefined behaviour.
  assert.throws(() => before.getSession(), /stale object from previous Wasm instance/);
  // And panicking again works the same way (the hook is re-installed at each start).
  await capturingConsole(() => assert.throws(() => __forcePanic(), { name: "InternalError" }));
  assert.equal((await newAuth().signIn({ username, password: PASSWORD })).signedIn, true);
});

test("a panic inside an async task rejects its promise with InternalError", async () => {
  // The Error also escapes the microtask that ran the task: Node reports it as an uncaught
  // exception. Capture it here (an app would see it in its 'uncaughtException' handler).
  const escaped = [];
  const listeners = process.listeners("uncaughtException");
  process.removeAllListeners("uncaughtException");
  const onUncaught = (e) => escaped.push(e);
  process.on("uncaughtException", onUncaught);
  try {
    const { result: rejection } = await capturingConsole(async () => {
      const pending = __forcePanicAsync();
      const outcome = await Promise.race([
        pending.then(() => "resolved", (e) => e),
        new Promise((resolve) => setTimeout(() => resolve("hang"), 2000)),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return outcome;
    });
    assert.ok(rejection instanceof Error, `the promise rejects (got ${rejection})`);
    assert.equal(rejection.name, "InternalError");
    assert.ok(escaped.length >= 1 && escaped.every((e) => e?.name === "InternalError"), `escaped: ${escaped.map(String)}`);
  } finally {
    process.off("uncaughtException", onUncaught);
    for (const l of listeners) process.on("uncaughtException", l);
  }
  const step = await newAuth().signIn({ username, password: PASSWORD });
  assert.equal(step.signedIn, true);
});

test("the first call after a panic may take a string: nothing is marshalled before the re-init (issue 21)", async () => {
  // wasm-bindgen's glue copies a string argument into the old instance's memory before its
  // re-init check swaps the instance; every export now takes strings as JsValue, so the first
  // call after a panic reaches the fresh instance intact.
  const warned = [];
  const warn = console.warn;
  console.warn = (...args) => warned.push(args.join(" "));
  try {
    for (const first of [
      () => new WebStorage("session"),
      () => new MemoryStorage(),
    ]) {
      await capturingConsole(() => assert.throws(() => __forcePanic(), { name: "InternalError" }));
      const storage = first();
      storage.setItem("key-after-panic", "value-after-panic");
      assert.equal(storage.getItem("key-after-panic"), "value-after-panic");
    }
  } finally {
    console.warn = warn;
  }
  assert.ok(warned.every((line) => /sessionStorage unavailable/.test(line)), warned.join("\n"));
  assert.equal((await newAuth().signIn({ username, password: PASSWORD })).signedIn, true);
});

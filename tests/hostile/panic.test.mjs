// No traps (issue 9): a panic inside the module becomes a JS Error (InternalError), the module
// re-initialises itself on the next call, and objects from before the panic fail with a clear
// error. Uses the `test-hooks` build (tests/hostile/build-test-hooks → target/pkg-test-hooks/),
// which adds __forcePanic / __forcePanicAsync; the published package has neither. The cases the
// no_std modules share are in panic-cases.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { panicCases, capturingConsole, PASSWORD } from "./panic-cases.mjs";

const dir = new URL("../../target/pkg-test-hooks/", import.meta.url);
const lib = await import(new URL("cognito_wasm.js", dir));
lib.initSync({ module: readFileSync(new URL("cognito_wasm_bg.wasm", dir)) });
const { CookieJar, __forcePanic } = lib;

const { newAuth, user } = panicCases("std", lib);

test("the first call after a panic may take a string: nothing is marshalled before the re-init (issue 21)", async () => {
  // wasm-bindgen's glue copies a string argument into the old instance's memory before its
  // re-init check swaps the instance; every export now takes strings as JsValue, so the first
  // call after a panic reaches the fresh instance intact.
  for (const first of [
    () => new CookieJar("before=1"),
    () => new CookieJar(),
  ]) {
    await capturingConsole(() => assert.throws(() => __forcePanic(), { name: "InternalError" }));
    const jar = first();
    jar.setItem("key-after-panic", "value-after-panic");
    assert.equal(jar.getItem("key-after-panic"), "value-after-panic");
  }
  assert.equal((await newAuth().signIn({ username: user(), password: PASSWORD })).signedIn, true);
});

// No traps in the no_std modules: the browser package's signin_plain module (no std, the
// crate's own #[panic_handler], src/js/panic.rs) turns a panic into the same InternalError as the
// std builds' hook, rejects the pending guarded promises, and re-initialises on the next call.
// Uses the `test-hooks` build of that module (tests/hostile/build-test-hooks →
// target/pkg-test-hooks-nostd/); the published package has no hooks.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { emulator, emulatorCode, cognitoCall } from "./emulator.mjs";

const dir = new URL("../../target/pkg-test-hooks-nostd/", import.meta.url);
const lib = await import(new URL("cognito_wasm_signin_plain.js", dir));
lib.initSync({ module: readFileSync(new URL("cognito_wasm_signin_plain_bg.wasm", dir)) });
const { CognitoAuth, MemoryStorage, __forcePanic, __forcePanicAsync } = lib;

const PASSWORD = "Panic-Pa55word!é";
let emu, username;

before(async () => {
  emu = await emulator();
  username = `panic-nostd-${Date.now()}`;
  const { userPoolId, clientId } = emu.cfg;
  await cognitoCall(emu.endpoint, "SignUp", {
    ClientId: clientId,
    Username: username,
    Password: PASSWORD,
    UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
  });
  const code = await emulatorCode(emu.endpoint, userPoolId, username);
  await cognitoCall(emu.endpoint, "ConfirmSignUp", { ClientId: clientId, Username: username, ConfirmationCode: code });
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

test("no_std module: a synchronous panic throws an InternalError with its location only, then the module works again", async () => {
  const before = newAuth();
  assert.equal((await before.signIn({ username, password: PASSWORD })).signedIn, true);

  const { lines } = await capturingConsole(() => {
    assert.throws(() => __forcePanic(), (e) => {
      assert.ok(e instanceof Error);
      assert.equal(e.name, "InternalError");
      assert.equal(e.code, "InternalError");
      assert.equal(e.retryable, false);
      assert.match(e.message, /^cognito-wasm: internal error \(a panic at src\/js\/panic\.rs:\d+:\d+\); the module re-initialises on the next call$/);
      assert.doesNotMatch(e.message, /hunter2/, "the panic payload is not in the Error");
      return true;
    });
  });
  assert.equal(lines.length, 1, "one line logged");
  assert.match(lines[0], /^cognito-wasm: internal error \(a panic at src\/js\/panic\.rs:\d+:\d+\)/);
  assert.doesNotMatch(lines[0], /hunter2/, "the panic payload is not logged");

  const after = newAuth();
  const step = await after.signIn({ username, password: PASSWORD });
  assert.equal(step.signedIn, true);
  assert.equal((await after.getSession()).accessToken, step.session.accessToken);
  assert.throws(() => before.getSession(), /stale object from previous Wasm instance/);

  await capturingConsole(() => assert.throws(() => __forcePanic(), { name: "InternalError" }));
  assert.equal((await newAuth().signIn({ username, password: PASSWORD })).signedIn, true);
});

test("no_std module: a panic inside an async task rejects its promise with InternalError", async () => {
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
  assert.equal((await newAuth().signIn({ username, password: PASSWORD })).signedIn, true);
});

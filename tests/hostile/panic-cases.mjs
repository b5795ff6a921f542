// The panic cases both builds must pass (panic.test.mjs: the std hook; panic-nostd.test.mjs: the
// no_std modules' #[panic_handler]): a panic becomes an InternalError naming only its location,
// the module re-initialises on the next call, and a pending promise is rejected.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { emulator, emulatorCode, cognitoCall } from "./emulator.mjs";
import { capturingUncaught } from "./uncaught.mjs";
import { MemoryStorage } from "../../pkg/node.js";

export const PASSWORD = "Panic-Pa55word!é";

/** Captures console.error while `work` runs. */
export async function capturingConsole(work) {
  const lines = [];
  const original = console.error;
  console.error = (...args) => lines.push(args.map(String).join(" "));
  try {
    return { result: await work(), lines };
  } finally {
    console.error = original;
  }
}

/**
 * Registers the emulator, a confirmed user and the two panic tests for `lib` (a test-hooks
 * build, initialised). Returns `{ newAuth, user }`: `user()` is the user's name once set up.
 */
export function panicCases(label, lib) {
  const { CognitoAuth, __forcePanic, __forcePanicAsync } = lib;
  let emu, username;
  before(async () => {
    emu = await emulator();
    username = `panic-${label.replace(/[^a-z0-9]+/gi, "-")}-${Date.now()}`;
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

  const newAuth = () => new CognitoAuth({ userPoolId: emu.cfg.userPoolId, clientId: emu.cfg.clientId, endpoint: emu.endpoint, storage: new MemoryStorage() });

  test(`${label}: a synchronous panic throws an InternalError with its location only, then the module works again`, async () => {
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

    // A new instance after the panic: the module was re-instantiated transparently.
    const after = newAuth();
    const step = await after.signIn({ username, password: PASSWORD });
    assert.equal(step.signedIn, true);
    assert.equal((await after.getSession()).accessToken, step.session.accessToken);
    // An object from the old instance fails with a clear JS error, not undefined behaviour.
    assert.throws(() => before.getSession(), /stale object from previous Wasm instance/);
    // And panicking again works the same way.
    await capturingConsole(() => assert.throws(() => __forcePanic(), { name: "InternalError" }));
    assert.equal((await newAuth().signIn({ username, password: PASSWORD })).signedIn, true);
  });

  test(`${label}: a panic inside an async task rejects its promise with InternalError`, async () => {
    // The Error also escapes the microtask that ran the task: Node reports it as an uncaught
    // exception. Capture it here (an app would see it in its 'uncaughtException' handler).
    let rejection;
    const escaped = await capturingUncaught(async () => {
      ({ result: rejection } = await capturingConsole(async () => {
        const pending = __forcePanicAsync();
        const outcome = await Promise.race([
          pending.then(() => "resolved", (e) => e),
          new Promise((resolve) => setTimeout(() => resolve("hang"), 2000)),
        ]);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return outcome;
      }));
    });
    assert.ok(rejection instanceof Error, `the promise rejects (got ${rejection})`);
    assert.equal(rejection.name, "InternalError");
    assert.ok(escaped.length >= 1 && escaped.every((e) => e?.name === "InternalError"), `escaped: ${escaped.map(String)}`);
    assert.equal((await newAuth().signIn({ username, password: PASSWORD })).signedIn, true);
  });

  return { newAuth, user: () => username };
}

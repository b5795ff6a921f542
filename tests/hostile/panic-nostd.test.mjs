// No traps in the no_std modules: the browser package's signin_plain module (no std, the
// crate's own #[panic_handler], src/js/panic.rs) turns a panic into the same InternalError as the
// std builds' hook, rejects the pending guarded promises, and re-initialises on the next call.
// Uses the `test-hooks` build of that module (tests/hostile/build-test-hooks →
// target/pkg-test-hooks-nostd/); the published package has no hooks.
import { readFileSync } from "node:fs";
import { panicCases } from "./panic-cases.mjs";

const dir = new URL("../../target/pkg-test-hooks-nostd/", import.meta.url);
const lib = await import(new URL("cognito_wasm_signin_plain.js", dir));
lib.initSync({ module: readFileSync(new URL("cognito_wasm_signin_plain_bg.wasm", dir)) });

panicCases("no_std module", lib);

// The set-up the tier tests share: pkg/browser.js in Node, its modules given by
// init({ wasm: (file) => bytes }) so that `asked` records each file a test's calls fetch, and the
// local emulator's configuration (COGNITO_EMULATOR_URL). Node has no localStorage: no session is
// stored, so the page will sign in and (plain options) the signin_plain module comes first.
import { readFileSync } from "node:fs";
import { init } from "../../pkg/browser.js";

export const asked = [];
const bytes = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url));
export const ready = init({ wasm: (file) => (asked.push(file), bytes(file)) });

export const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
export const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
export const password = "Corr3ct-Horse!Ω";

// A passkey sign-in page on a first visit (nothing stored): `preload("signIn", { preferredChallenge:
// "WEB_AUTHN" })` in the task that made the CognitoAuth fetches the signup module alone (it has the
// passkey sign-in; the signin module, chosen first, is stopped before it is asked for). Through
// pkg/browser.js in Node, init({ wasm: (file) => bytes }) recording the files asked for, against
// the local emulator (COGNITO_EMULATOR_URL).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CognitoAuth, MemoryStorage, init } from "../../pkg/browser.js";
import { cognitoCall } from "../hostile/emulator.mjs";

const SIGNUP = "cognito_wasm_signup_bg.wasm";
const FULL = "cognito_wasm_browser_bg.wasm";
const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";
const asked = [];
const bytes = (file) => readFileSync(new URL(`../../pkg/${file}`, import.meta.url));

// One task: the object (the signin module is chosen and started), the preload, then init.
const auth = new CognitoAuth({ userPoolId: cfg.passwordlessUserPoolId, clientId: cfg.passwordlessClientId, endpoint, storage: new MemoryStorage() });
const preloaded = auth.preload("signIn", { preferredChallenge: "WEB_AUTHN" });
const ready = init({ wasm: (file) => (asked.push(file), bytes(file)) });

test("preload(\"signIn\", { preferredChallenge: \"WEB_AUTHN\" }) on a first visit: the signup module alone", async () => {
  assert.equal(await preloaded, undefined);
  await ready;
  assert.deepEqual(asked, [SIGNUP]);
  await assert.rejects(auth.signIn({ username: "nobody", flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }), (e) => e.name === "InvalidParameterError" && /navigator\.credentials/.test(e.message), "the passkey sign-in is there (Node has no authenticator)");
  const username = `pk-preload-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognitoCall(endpoint, "AdminCreateUser", { UserPoolId: cfg.passwordlessUserPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS" });
  await cognitoCall(endpoint, "AdminSetUserPassword", { UserPoolId: cfg.passwordlessUserPoolId, Username: username, Password: password, Permanent: true });
  assert.equal((await auth.signIn({ username, password })).signedIn, true, "a password sign-in runs there too");
  await auth.preload("respondToChallenge", { answer: "WEB_AUTHN" });
  await auth.preload("signIn", { password });
  assert.deepEqual(asked, [SIGNUP], "nothing more to fetch");
  await auth.preload("getUser", { answer: "WEB_AUTHN" });
  assert.deepEqual(asked, [SIGNUP, FULL], "a member's own module still counts");
  await assert.rejects(auth.preload("signUpp", { answer: "WEB_AUTHN" }), TypeError);
});

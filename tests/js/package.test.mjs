// The built npm package (pkg/) through its Node entry, as a Node user imports it, against the
// local emulator (COGNITO_EMULATOR_URL, default http://127.0.0.1:9229/).
import { test } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth } from "../../pkg/node.js";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const password = "Corr3ct-Horse!Ω";

async function code(pool, username) {
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: pool, username });
  return (await (await fetch(url)).json()).code;
}

test("sign-up, confirm, SRP sign-in, session and sign-out through pkg/node.js", async () => {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint });
  const username = `pkg-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const signedUp = await auth.signUp({ username, password, attributes: { email: `${username}@example.com` } });
  assert.equal(signedUp.userConfirmed, false);
  await auth.confirmSignUp({ username, code: await code(cfg.userPoolId, username) });
  const result = await auth.signIn({ username, password });
  assert.equal(result.signedIn, true);
  assert.equal(result.session.claims["cognito:username"], username);
  assert.equal(typeof result.session.expiresAt, "number");
  const session = await auth.getSession();
  assert.equal(session.accessToken, result.session.accessToken);
  await auth.signOut();
  assert.equal(await auth.getSession(), null);
});

test("rejections are Errors with name, code, status and retryable", async () => {
  const auth = new CognitoAuth({ userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint });
  const error = await auth.signIn({ username: "nobody-" + Date.now(), password }).then(
    () => assert.fail("signIn of an unknown user succeeded"),
    (e) => e,
  );
  assert.ok(error instanceof Error);
  assert.match(error.name, /^(UserNotFoundException|NotAuthorizedException)$/);
  assert.equal(error.code, error.name);
  assert.equal(error.status, 400);
  assert.equal(error.retryable, false);
  assert.throws(() => new CognitoAuth({ userPoolId: "bad", clientId: "x" }), { name: "InvalidParameterError" });
});

test("the package.json routes each runtime to its entry; browsers get the build without the Workers side", async () => {
  const { readFile } = await import("node:fs/promises");
  const browserTypes = await readFile(new URL("../../pkg/cognito_wasm_browser.d.ts", import.meta.url), "utf8");
  assert.match(browserTypes, /class CognitoAuth/);
  assert.match(browserTypes, /class CognitoJwtVerifier/, "the verifier works in browsers too");
  assert.doesNotMatch(browserTypes, /class (CognitoWorkerAuth|CookieJar|KvStorage)/);
  const pkg = JSON.parse(await readFile(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  assert.equal(pkg.name, "cognito-wasm");
  assert.equal(pkg.exports["."].node.import.default, "./node.js");
  assert.equal(pkg.exports["."].node.require.default, "./node.cjs", "require works without require(esm)");
  assert.equal(pkg.exports["."].node.require.types, "./entry.d.cts");
  assert.equal(pkg.exports["."].workerd.default, "./workerd.js");
  assert.equal(pkg.exports["."].browser.default, "./browser.js");
  assert.equal(pkg.exports["."].browser.types, "./browser.d.ts");
  const files = ["cognito_wasm_bg.wasm", "cognito_wasm.js", "cognito_wasm.d.ts", "node.js", "browser.js", "workerd.js",
    "cognito_wasm_browser_bg.wasm", "cognito_wasm_browser.js", "cognito_wasm_browser.d.ts", "entry.d.ts", "browser.d.ts",
    "node.cjs", "entry.d.cts"];
  for (const tier of ["restore", "session", "signin_plain", "signin", "signup"]) files.push(`cognito_wasm_${tier}_bg.wasm`, `cognito_wasm_${tier}.js`, `cognito_wasm_${tier}.d.ts`);
  for (const file of files) {
    assert.ok(pkg.files.includes(file), `files lists ${file}`);
  }
  for (const tier of ["restore", "session", "signin_plain", "signin", "signup", "browser"]) {
    assert.equal(pkg.exports[`./cognito_wasm_${tier}_bg.wasm`], `./cognito_wasm_${tier}_bg.wasm`, `${tier}: its .wasm exported for bundlers`);
  }
});

test("the restore module has what a returning plain page needs and nothing of the session module's own", async () => {
  const { readFile } = await import("node:fs/promises");
  const types = async (tier) => readFile(new URL(`../../pkg/cognito_wasm_${tier}.d.ts`, import.meta.url), "utf8");
  const [restore, session] = await Promise.all(["restore", "session"].map(types));
  for (const declared of [/^export class CognitoAuth \{/m, /^\s*getSession\(\)/m, /^\s*refreshSession\(/m, /^\s*signOut\(/m]) {
    assert.match(restore, declared);
    assert.match(session, declared);
  }
  // MemoryStorage and WebStorage are plain JS of the entries (scripts/pkg-src/storages.js), in no module.
  for (const [file, types] of [["restore", restore], ["session", session], ["browser entry", await readFile(new URL("../../pkg/browser.d.ts", import.meta.url), "utf8")]]) {
    for (const name of ["MemoryStorage", "WebStorage"]) {
      const classes = types.match(new RegExp(`^export class ${name} \\{`, "gm"))?.length ?? 0;
      assert.equal(classes, file === "browser entry" ? 1 : 0, `${file}: ${name}`);
    }
  }
  assert.doesNotMatch(restore, /^export class CookieStorage \{/m, "CookieStorage is the session module's");
  assert.match(session, /^export class CookieStorage \{/m);
  for (const absent of ["signIn", "getDeviceKey", "respondToChallenge"]) assert.doesNotMatch(restore, new RegExp(`^\\s*${absent}\\(`, "m"), absent);
});

test("sign-up, confirmation and password reset are in the signup module, not in the signin module", async () => {
  const { readFile } = await import("node:fs/promises");
  const types = async (tier) => readFile(new URL(`../../pkg/cognito_wasm_${tier}.d.ts`, import.meta.url), "utf8");
  const [signin, signup, browser] = await Promise.all(["signin", "signup", "browser"].map(types));
  const moved = ["signUp", "confirmSignUp", "resendConfirmationCode", "forgotPassword", "confirmForgotPassword"];
  for (const method of moved) {
    const declared = new RegExp(`^\\s*${method}\\(`, "m");
    assert.doesNotMatch(signin, declared, `the signin module's .d.ts has no ${method}`);
    assert.match(signup, declared, `the signup module has ${method}`);
    assert.match(browser, declared, `the full browser module has ${method}`);
  }
  for (const method of ["signIn", "respondToChallenge"]) assert.match(signin, new RegExp(`^\\s*${method}\\(`, "m"), `the signin module keeps ${method}`);
});

test("the signin_plain module declares signIn and respondToChallenge as the signin module does, and none of the signup module's own", async () => {
  const { readFile } = await import("node:fs/promises");
  const types = async (tier) => readFile(new URL(`../../pkg/cognito_wasm_${tier}.d.ts`, import.meta.url), "utf8");
  const [plain, signin] = await Promise.all(["signin_plain", "signin"].map(types));
  /** CognitoAuth's members as declared in the class and its interface merges (doc comment included): the loader takes a member's module from these. */
  const members = (text) => {
    const body = [...text.matchAll(/^export (?:class|interface) CognitoAuth \{\n([\s\S]*?)^\}/gm)].map((m) => m[1]).join("");
    const found = new Map();
    for (const [member, , name] of body.matchAll(/(?: {4}\/\*\*\n(?: {5}\*.*\n)* {5}\*\/\n)? {4}(readonly )?(\w+)[^\n]*\n/g)) found.set(name, member);
    return found;
  };
  /** The declaration of an exported interface or type alias, up to the next blank line. */
  const shape = (text, name) => new RegExp(`^export (?:interface|type) ${name}\\b[\\s\\S]*?\\n\\n`, "m").exec(text)?.[0];
  const [inPlain, inSignin] = [members(plain), members(signin)];
  for (const method of ["signIn", "respondToChallenge", "getSession", "signOut", "storage"]) {
    assert.ok(inPlain.get(method), `signin_plain declares ${method}`);
    assert.equal(inPlain.get(method), inSignin.get(method), `${method}: byte-identical to the signin module's`);
  }
  for (const type of ["SignInParams", "ChallengeParams", "SignInResult"]) {
    assert.ok(shape(plain, type), `signin_plain declares ${type}`);
    assert.equal(shape(plain, type), shape(signin, type), `${type}: byte-identical to the signin module's`);
  }
  for (const method of ["signUp", "forgotPassword", "getDeviceKey", "getUser"]) assert.doesNotMatch(plain, new RegExp(`^\\s*${method}\\(`, "m"), method);
});

// Which module the browser entry fetches first (scripts/pkg-src/first-module.js, the rules, and
// pkg/browser.js, which applies them): a page whose storage holds a session for its client starts
// with the restore module (plain options) or the session module (options the plain-only modules
// refuse); one that holds none will sign in and starts with the signin_plain module (plain
// options) or the signin module (others), never fetching a lower one. Where objects go next (the
// move to signin_plain or signin, the collapses, preload) is here too, by the files fetched: the
// package's signin_plain may be a stand-in that takes every option, so no test relies on its
// refusal. Each page is a fresh Node process (the choice is made once
// per page), recording the files init({ wasm: (file) => … }) is asked for; the sign-in and the
// move to the full module run against the emulator (COGNITO_EMULATOR_URL).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { PLAIN_ONLY, RESTORE, SESSION, SIGNIN, SIGNIN_PLAIN, UNKNOWN, findStored, firstModule, fitTier, holdsSession, isPlain, lastAuthUserKey, mayTakePlace } from "../../scripts/pkg-src/first-module.js";
import { cognitoCall } from "../hostile/emulator.mjs";

const RESTORE_WASM = "cognito_wasm_restore_bg.wasm";
const SESSION_WASM = "cognito_wasm_session_bg.wasm";
const PLAIN_WASM = "cognito_wasm_signin_plain_bg.wasm";
const SIGNIN_WASM = "cognito_wasm_signin_bg.wasm";
const SIGNUP_WASM = "cognito_wasm_signup_bg.wasm";
const FULL_WASM = "cognito_wasm_browser_bg.wasm";

test("the rules: a stored session → restore (plain options) or session; none → signin_plain or signin; cannot tell → restore or session", () => {
  assert.deepEqual([RESTORE, SESSION, SIGNIN_PLAIN, SIGNIN], [0, 1, 2, 3]);
  assert.deepEqual(PLAIN_ONLY, [RESTORE, SIGNIN_PLAIN]);
  assert.equal(lastAuthUserKey("abc"), "CognitoIdentityServiceProvider.abc.LastAuthUser");
  assert.deepEqual(["alice", "", null, undefined, Promise.resolve("a"), UNKNOWN, 0].map(holdsSession), [true, false, false, false, undefined, undefined, undefined]);
  assert.equal(firstModule({ stored: "alice" }), RESTORE);
  assert.equal(firstModule({ stored: "alice", plain: true }), RESTORE);
  assert.equal(firstModule({ stored: "alice", plain: false }), SESSION, "options the restore module refuses");
  assert.equal(firstModule({ stored: null }), SIGNIN_PLAIN);
  assert.equal(firstModule({ stored: null, plain: true }), SIGNIN_PLAIN);
  assert.equal(firstModule({ stored: null, plain: false }), SIGNIN, "nothing stored and options the plain-only modules refuse: signin");
  assert.equal(firstModule({ stored: undefined }), SIGNIN_PLAIN, "getItem returning undefined: nothing stored");
  assert.equal(firstModule({ stored: "" }), SIGNIN_PLAIN);
  assert.equal(firstModule({ stored: "", plain: false }), SIGNIN);
  assert.equal(firstModule({ stored: UNKNOWN }), RESTORE);
  assert.equal(firstModule({ stored: UNKNOWN, plain: false }), SESSION);
  assert.equal(firstModule({ stored: Promise.resolve(null) }), RESTORE, "an asynchronous storage: cannot tell");
  assert.equal(firstModule({ stored: Promise.resolve(null), plain: false }), SESSION);
  assert.equal(firstModule({ levels: [0], stored: null }), SIGNIN_PLAIN, "a storage made before");
  assert.equal(firstModule({ levels: [1], stored: "alice", plain: false }), SESSION, "a CookieStorage made before (not plain): the session module");
  assert.equal(firstModule({ levels: [1], stored: null, plain: false }), SIGNIN, "…and nothing stored: signin, not signin_plain");
  assert.equal(firstModule({ levels: [5], stored: "alice" }), 5, "never below an object made before (the verifier: full)");
  assert.equal(firstModule({ levels: [5], stored: null, plain: false }), 5);
  assert.equal(firstModule({ levels: [0, 0] }), RESTORE, "only storages: what they need");
  assert.equal(firstModule({ levels: [0, 1], plain: false }), SESSION);
  assert.equal(firstModule({ levels: [0], plain: false }), SESSION, "not plain: never restore");
  assert.equal(firstModule({ levels: [5] }), 5);
  assert.equal(firstModule(), RESTORE);
  assert.equal(firstModule({}), RESTORE);
});

test("plain options: none of clientSecret, oauth, userContextData (null and undefined count as absent), no CookieStorage", () => {
  class Cookie {}
  const isCookie = (s) => s instanceof Cookie;
  const base = { userPoolId: "us-east-1_x", clientId: "c" };
  assert.equal(isPlain(base, isCookie), true);
  assert.equal(isPlain({ ...base, storage: {}, refreshFlow: "REFRESH_TOKEN_AUTH", rememberDevices: true, timeoutMs: 5 }, isCookie), true);
  for (const key of ["clientSecret", "oauth", "userContextData"]) {
    assert.equal(isPlain({ ...base, [key]: "x" }, isCookie), false, key);
    assert.equal(isPlain({ ...base, [key]: "" }, isCookie), false, `${key}: "" is present`);
    assert.equal(isPlain({ ...base, [key]: false }, isCookie), false, `${key}: false is present`);
    assert.equal(isPlain({ ...base, [key]: undefined }, isCookie), true, `${key}: undefined`);
    assert.equal(isPlain({ ...base, [key]: null }, isCookie), true, `${key}: null`);
  }
  assert.equal(isPlain({ ...base, userContextData: () => ({}) }, isCookie), false);
  assert.equal(isPlain({ ...base, storage: new Cookie() }, isCookie), false, "the package's CookieStorage");
  assert.equal(isPlain({ ...base, get clientSecret() { throw new Error("no"); } }, isCookie), false, "a throwing getter: the session module reads it as today");
  assert.equal(isPlain(Object.create({ clientSecret: "inherited" }), isCookie), false, "read as the module reads it, inherited too");
  for (const bad of [undefined, null, 7, "options", true]) assert.equal(isPlain(bad, isCookie), true, `${String(bad)}: every module rejects it alike`);
});

test("fitTier: a plain object lives where it is put; one that is not, in the lowest module at or above that takes every option", () => {
  const laidOut = (tier) => PLAIN_ONLY.includes(tier);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((level) => fitTier(level, true, laidOut)), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((level) => fitTier(level, false, laidOut)), [1, 1, 3, 3, 4, 5], "restore → session, signin_plain → signin");
  // After a collapse the loader asks about the modules now in each place: signin in restore's.
  const collapsed = (tier) => [false, false, true, false, false, false][tier];
  assert.equal(fitTier(0, false, collapsed), 0, "signin in restore's place takes every option");
  assert.equal(fitTier(2, false, collapsed), 3);
  const twoPlainInARow = (tier) => tier < 2;
  assert.equal(fitTier(0, false, twoPlainInARow), 2, "past every plain-only module");
});

test("mayTakePlace: a plain-only module only in the place of a plain-only one; a module that takes every option anywhere", () => {
  assert.equal(mayTakePlace(true, true), true, "signin_plain in restore's place");
  assert.equal(mayTakePlace(true, false), false, "never signin_plain in session's place");
  assert.equal(mayTakePlace(false, true), true, "signin in restore's or signin_plain's");
  assert.equal(mayTakePlace(false, false), true, "signin in session's");
});

test("findStored: any client's non-empty LastAuthUser", () => {
  assert.equal(findStored([]), null);
  assert.equal(findStored([["CognitoIdentityServiceProvider.c1.alice.idToken", "x"], ["theme", "dark"]]), null);
  assert.equal(findStored([["CognitoIdentityServiceProvider.c1.LastAuthUser", ""], ["CognitoIdentityServiceProvider.c2.LastAuthUser", "bob"]]), "bob");
  assert.equal(findStored([["CognitoIdentityServiceProvider..LastAuthUser", "x"], ["xCognitoIdentityServiceProvider.c.LastAuthUser", "y"]]), null);
});

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
let cfg;
async function config() {
  cfg ??= await (await fetch(new URL("_emulator/config", endpoint))).json();
  return cfg;
}

/**
 * Shims of a page's storages: localStorage/sessionStorage (Maps, of a stand-in Web Storage class
 * `Storage`: WebStorage and the default storage use only such an object) and document.cookie.
 */
const shims = (local, session, cookie) => `
globalThis.Storage = class Storage {};
const shim = (entries) => { const m = new Map(entries); return Object.setPrototypeOf({ get length() { return m.size; }, key: (i) => [...m.keys()][i] ?? null, getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k) }, Storage.prototype); };
${local ? `globalThis.localStorage = shim(${JSON.stringify(Object.entries(local))});` : ""}
${session ? `globalThis.sessionStorage = shim(${JSON.stringify(Object.entries(session))});` : ""}
${cookie !== undefined ? `globalThis.document = { cookie: ${JSON.stringify(cookie)} };` : ""}`;

/**
 * Runs a page: `setup` (in the task that imported the entry), then init({ wasm }) recording the
 * files asked for, then `after`; prints the files asked and what `after` put in `out`.
 */
async function page({ local, session, cookie, setup = "", wasm = "(file) => bytes(file)", after = "", failing = false }) {
  const { userPoolId, clientId } = await config();
  const script = `
import { readFileSync } from "node:fs";
import * as pkg from ${JSON.stringify(new URL("../../pkg/browser.js", import.meta.url).href)};
const { CognitoAuth, CognitoJwtVerifier, CookieStorage, MemoryStorage, WebStorage, init } = pkg;
${shims(local, session, cookie)}
const options = ${JSON.stringify({ userPoolId, clientId, endpoint })};
const bytes = (file) => readFileSync(new URL(file, ${JSON.stringify(new URL("../../pkg/", import.meta.url).href)}));
const asked = [], out = {};
${setup}
const supply = ${wasm};
const ready = init({ wasm: (file) => (asked.push(file), supply(file)) });
${after}
await ${failing ? "ready.catch(() => {})" : "ready"};
console.log(JSON.stringify({ asked, out }));`;
  const text = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000, env: { ...process.env, NODE_NO_WARNINGS: "1" } });
  return JSON.parse(text.trim().split("\n").pop());
}

const key = async () => lastAuthUserKey((await config()).clientId);

test("new CognitoAuth with nothing stored (the default storage), plain options: the signin_plain module alone; getSession runs there", async () => {
  const r = await page({ setup: "const auth = new CognitoAuth(options);", after: "await ready; out.session = await auth.getSession(); out.asked = [...asked];" });
  assert.deepEqual(r.asked, [PLAIN_WASM]);
  assert.equal(r.out.session, null);
});

test("nothing stored and options that are not plain (clientSecret, CookieStorage, oauth): the signin module alone, never signin_plain", async () => {
  const cases = [
    ["clientSecret", {}, 'const auth = new CognitoAuth({ ...options, clientSecret: "s" });'],
    ["CookieStorage", { cookie: "a=b" }, "const auth = new CognitoAuth({ ...options, storage: new CookieStorage({ secure: false }) });"],
    ["oauth", {}, 'const auth = new CognitoAuth({ ...options, oauth: { domain: "https://auth.example.com", redirectSignIn: "https://app.example.com/cb" } });'],
  ];
  for (const [what, storages, setup] of cases) {
    const r = await page({ ...storages, setup, after: "await ready; out.session = await auth.getSession(); await auth.preload(); await auth.preload(\"signIn\"); out.asked = [...asked];" });
    assert.deepEqual(r.asked, [SIGNIN_WASM], what);
    assert.equal(r.out.session, null, what);
  }
});

test("new CognitoAuth with a session stored for its client: the restore module (plain options)", async () => {
  const r = await page({ local: { [await key()]: "alice" }, setup: "const auth = new CognitoAuth(options);", after: "await ready; await auth.preload();" });
  assert.deepEqual(r.asked, [RESTORE_WASM, PLAIN_WASM], "then preload() loads the signin_plain module");
  const named = await page({ local: { [await key()]: "alice" }, setup: "const auth = new CognitoAuth(options);", after: 'await ready; await auth.preload("signIn"); await auth.preload("respondToChallenge");' });
  assert.deepEqual(named.asked, [RESTORE_WASM, PLAIN_WASM], "preload(\"signIn\") too");
  const other = await page({ local: { "CognitoIdentityServiceProvider.another.LastAuthUser": "alice" }, setup: "new CognitoAuth(options);" });
  assert.deepEqual(other.asked, [PLAIN_WASM], "another client's session is not this client's");
});

test("the storage the options name is the one read", async () => {
  const k = await key();
  const cases = [
    ["a MemoryStorage made before any module (empty)", {}, "new CognitoAuth({ ...options, storage: new MemoryStorage() });", PLAIN_WASM],
    ["a MemoryStorage holding a user (written before any module: plain JS)", {}, `const m = new MemoryStorage(); m.setItem(${JSON.stringify(k)}, "alice"); new CognitoAuth({ ...options, storage: m });`, RESTORE_WASM],
    ["a synchronous TokenStorage holding a user", {}, `new CognitoAuth({ ...options, storage: { getItem: (k) => (k === ${JSON.stringify(k)} ? "alice" : null), setItem() {}, removeItem() {} } });`, RESTORE_WASM],
    ["a synchronous TokenStorage holding none", {}, "new CognitoAuth({ ...options, storage: { getItem: () => null, setItem() {}, removeItem() {} } });", PLAIN_WASM],
    ["an asynchronous TokenStorage (cannot tell)", {}, "new CognitoAuth({ ...options, storage: { getItem: async () => null, setItem() {}, removeItem() {} } });", RESTORE_WASM],
    ["a TokenStorage whose getItem throws (cannot tell)", {}, 'new CognitoAuth({ ...options, storage: { getItem() { throw new Error("no"); }, setItem() {}, removeItem() {} } });', RESTORE_WASM],
    ["WebStorage(\"session\") holding a user", { session: { [k]: "alice" }, local: {} }, 'new CognitoAuth({ ...options, storage: new WebStorage("session") });', RESTORE_WASM],
    ["WebStorage(\"local\") while sessionStorage holds one", { session: { [k]: "alice" }, local: {} }, 'new CognitoAuth({ ...options, storage: new WebStorage("local") });', PLAIN_WASM],
    ["CookieStorage with the user's cookie (the restore module has none)", { cookie: `a=b; ${k}=alice; c=d` }, "new CognitoAuth({ ...options, storage: new CookieStorage() });", SESSION_WASM],
    ["CookieStorage without it (not plain: signin)", { cookie: "a=b" }, "new CognitoAuth({ ...options, storage: new CookieStorage() });", SIGNIN_WASM],
    ["a clientId that is not a string (the constructor will throw): cannot tell", {}, "new CognitoAuth({ ...options, clientId: 7 });", RESTORE_WASM],
    ["a stored session and a clientSecret (refused by the restore module)", { local: { [k]: "alice" } }, 'new CognitoAuth({ ...options, clientSecret: "s" });', SESSION_WASM],
    ["a stored session and the hosted UI (oauth)", { local: { [k]: "alice" } }, 'new CognitoAuth({ ...options, oauth: { domain: "https://auth.example.com", redirectSignIn: "https://app.example.com/cb" } });', SESSION_WASM],
    ["a stored session and userContextData", { local: { [k]: "alice" } }, "new CognitoAuth({ ...options, userContextData: () => ({ encodedData: \"x\" }) });", SESSION_WASM],
    ["a stored session and userContextData: undefined (absent)", { local: { [k]: "alice" } }, "new CognitoAuth({ ...options, userContextData: undefined, clientSecret: null, oauth: undefined });", RESTORE_WASM],
    ["nothing stored and a clientSecret (not plain: signin)", {}, 'new CognitoAuth({ ...options, clientSecret: "s" });', SIGNIN_WASM],
    ["nothing stored, plain options and a CookieStorage made before (not plain: signin)", { cookie: "a=b" }, "new CookieStorage({ secure: false }); new CognitoAuth(options);", SIGNIN_WASM],
    ["nothing stored, plain options and a MemoryStorage made before", {}, "new MemoryStorage(); new CognitoAuth(options);", PLAIN_WASM],
  ];
  for (const [what, storages, setup, expected] of cases) {
    const r = await page({ ...storages, setup });
    assert.deepEqual(r.asked, [expected], what);
  }
});

test("no object before init(): the page's storages for any client; a CookieStorage alone: session; the verifier: full", async () => {
  assert.deepEqual((await page({})).asked, [PLAIN_WASM], "nothing stored: signin_plain");
  assert.deepEqual((await page({ local: {}, cookie: "a=b" })).asked, [PLAIN_WASM], "nothing stored in the cookies either");
  assert.deepEqual((await page({ local: { "CognitoIdentityServiceProvider.other.LastAuthUser": "alice" } })).asked, [RESTORE_WASM]);
  assert.deepEqual((await page({ local: {}, cookie: "CognitoIdentityServiceProvider.other.LastAuthUser=alice" })).asked, [SESSION_WASM], "a session in the cookies: CookieStorage, the session module");
  assert.deepEqual((await page({ local: { "CognitoIdentityServiceProvider.other.LastAuthUser": "alice" }, cookie: "CognitoIdentityServiceProvider.c2.LastAuthUser=bob" })).asked, [RESTORE_WASM], "localStorage first");
  assert.deepEqual((await page({ setup: "new MemoryStorage(); new WebStorage();" })).asked, [PLAIN_WASM], "MemoryStorage and WebStorage need no module: as if nothing was made");
  assert.deepEqual((await page({ cookie: "", setup: "new CookieStorage({ secure: false });" })).asked, [SESSION_WASM], "a CookieStorage alone: the session module (the restore module has none)");
  assert.deepEqual((await page({ cookie: "", setup: "new CookieStorage({ secure: false }); new MemoryStorage();" })).asked, [SESSION_WASM]);
  const verifier = `new CognitoJwtVerifier({ userPoolId: options.userPoolId, clientId: options.clientId, tokenUse: "id" });`;
  assert.deepEqual((await page({ setup: verifier })).asked, [FULL_WASM]);
  assert.deepEqual((await page({ setup: `${verifier} new CognitoAuth(options);` })).asked, [FULL_WASM], "a CognitoAuth after it uses the full module");
});

test("preload() or signIn() while the restore module is on its way: signin_plain takes its place and alone is waited for", async () => {
  // (signIn() reaches the signin_plain module through the same path as preload().)
  // The restore file never arrives: everything must run without it.
  const r = await page({
    local: { [await key()]: "alice" },
    setup: "const auth = new CognitoAuth(options);",
    wasm: "(file) => (file.includes(\"restore\") ? new Promise(() => {}) : bytes(file))",
    after: `const first = auth.getSession(); // waiting for the session module
await auth.preload();
out.first = await first;
out.session = await auth.getSession();
await init();
out.later = new CognitoAuth(options) instanceof CognitoAuth;
out.asked = [...asked];`,
  });
  assert.deepEqual(r.asked, [RESTORE_WASM, PLAIN_WASM]);
  assert.equal(r.out.first, null, "a getSession made before preload() resolves, in the signin_plain module");
  assert.equal(r.out.session, null, "getSession runs in the signin_plain module");
  assert.equal(r.out.later, true);
});

test("a stored session, then signIn: a plain object moves from restore to signin_plain; one that is not, from session to signin", async () => {
  const k = await key();
  const signIn = 'out.step = await auth.signIn({ username: "nobody-" + Date.now(), password: "Wr0ng-Passw0rd!" }).then(() => "resolved", (e) => e.name);';
  const plain = await page({ local: { [k]: "alice" }, setup: "const auth = new CognitoAuth(options);", after: `await ready; out.before = [...asked]; ${signIn}` });
  assert.deepEqual(plain.out.before, [RESTORE_WASM]);
  assert.notEqual(plain.out.step, "resolved");
  assert.deepEqual(plain.asked, [RESTORE_WASM, PLAIN_WASM]);
  const secret = await page({ local: { [k]: "alice" }, setup: 'const auth = new CognitoAuth({ ...options, clientSecret: "s" });', after: `await ready; out.before = [...asked]; ${signIn}` });
  assert.deepEqual(secret.out.before, [SESSION_WASM]);
  assert.notEqual(secret.out.step, "resolved");
  assert.deepEqual(secret.asked, [SESSION_WASM, SIGNIN_WASM], "never signin_plain");
});

test("preload on each kind of object, from the restore and session modules: plain → signin_plain, not plain → signin, \"signUp\" → signup", async () => {
  const k = await key();
  const cases = [
    ["plain, preload()", "options", "await auth.preload();", [RESTORE_WASM, PLAIN_WASM]],
    ["plain, preload(\"signIn\")", "options", 'await auth.preload("signIn");', [RESTORE_WASM, PLAIN_WASM]],
    ["plain, preload(\"getSession\")", "options", 'await auth.preload("getSession");', [RESTORE_WASM]],
    ["plain, preload(\"signUp\")", "options", 'await auth.preload("signUp");', [RESTORE_WASM, SIGNUP_WASM]],
    ["clientSecret, preload()", '{ ...options, clientSecret: "s" }', "await auth.preload();", [SESSION_WASM, SIGNIN_WASM]],
    ["clientSecret, preload(\"respondToChallenge\")", '{ ...options, clientSecret: "s" }', 'await auth.preload("respondToChallenge");', [SESSION_WASM, SIGNIN_WASM]],
    ["clientSecret, preload(\"signUp\")", '{ ...options, clientSecret: "s" }', 'await auth.preload("signUp");', [SESSION_WASM, SIGNUP_WASM]],
    ["userContextData, preload()", '{ ...options, userContextData: () => ({ encodedData: "x" }) }', "await auth.preload();", [SESSION_WASM, SIGNIN_WASM]],
  ];
  for (const [what, opts, call, expected] of cases) {
    const r = await page({ local: { [k]: "alice" }, setup: `const auth = new CognitoAuth(${opts});`, after: `await ready; ${call}` });
    assert.deepEqual(r.asked, expected, what);
  }
});

test("a CognitoAuth that is not plain made while signin_plain is on its way: it starts the session module, never signin_plain", async () => {
  const r = await page({
    setup: `const plain = new CognitoAuth(options);
const secret = new CognitoAuth({ ...options, clientSecret: "s" });`,
    after: `out.secret = await secret.getSession();
out.plain = await plain.getSession();
out.before = [...asked];
await secret.preload();`,
  });
  // (init() restarts the modules on their way from its source lowest first.)
  assert.deepEqual(r.out, { secret: null, plain: null, before: [SESSION_WASM, PLAIN_WASM] });
  assert.deepEqual(r.asked, [SESSION_WASM, PLAIN_WASM, SIGNIN_WASM], "its sign-in: signin");
});

test("a plain CognitoAuth made after one that is not lives in the session module with it; its signIn moves it to signin_plain (the lowest that has signIn), the other stays", async () => {
  const r = await page({
    local: { [await key()]: "alice" },
    setup: `const secret = new CognitoAuth({ ...options, clientSecret: "s" });
const plain = new CognitoAuth(options);`,
    after: `out.both = [await secret.getSession(), await plain.getSession()];
out.before = [...asked];
out.step = await plain.signIn({ username: "nobody-" + Date.now(), password: "Wr0ng-Passw0rd!" }).then(() => "resolved", (e) => e.name);
out.secret = await secret.getSession();
out.asked = [...asked];`,
  });
  assert.deepEqual(r.out.both, [null, null]);
  assert.deepEqual(r.out.before, [SESSION_WASM], "one module for both");
  assert.notEqual(r.out.step, "resolved");
  assert.equal(r.out.secret, null);
  assert.deepEqual(r.out.asked, [SESSION_WASM, PLAIN_WASM]);
});

test("a plain object with restore on its way and one that is not with session on its way: signin_plain takes restore's place only; session keeps loading for the other", async () => {
  // The session file arrives only when the page lets it: until then the object that is not plain waits.
  const r = await page({
    local: { [await key()]: "alice" },
    setup: `const plain = new CognitoAuth(options);
const secret = new CognitoAuth({ ...options, clientSecret: "s" });
let release;
const sessionFile = new Promise((r) => (release = r));`,
    wasm: '(file) => (file.includes("restore") ? new Promise(() => {}) : file.includes("session") ? sessionFile.then(() => bytes(file)) : bytes(file))',
    after: `const secretSession = secret.getSession();
await plain.preload(); // nothing ready: signin_plain in restore's place, not in session's
out.plain = await plain.getSession();
out.secretWaits = await Promise.race([secretSession.then(() => "resolved", (e) => e.name), new Promise((r) => setTimeout(() => r("waiting"), 200))]);
release();
out.secret = await secretSession;
out.asked = [...asked];`,
  });
  assert.deepEqual(r.out, { plain: null, secretWaits: "waiting", secret: null, asked: [RESTORE_WASM, SESSION_WASM, PLAIN_WASM] },
    "the object that is not plain still waits for the session module, and answers from it");
});

test("…and the one that is not plain signing in first: signin takes the place of restore and session, both objects answer there", async () => {
  const r = await page({
    local: { [await key()]: "alice" },
    setup: `const plain = new CognitoAuth(options);
const secret = new CognitoAuth({ ...options, clientSecret: "s" });`,
    wasm: '(file) => (file.includes("restore") || file.includes("session") ? new Promise(() => {}) : bytes(file))',
    after: `const plainSession = plain.getSession();
await secret.preload();
out.secret = await secret.getSession();
out.plain = await plainSession;
out.asked = [...asked];`,
  });
  assert.deepEqual(r.out, { secret: null, plain: null, asked: [RESTORE_WASM, SESSION_WASM, SIGNIN_WASM] }, "neither the restore nor the session file arrives: both run in signin");
});

test("a second CognitoAuth whose options the restore module refuses, made while the restore module is on its way: the session module takes its place", async () => {
  const r = await page({
    local: { [await key()]: "alice" },
    setup: `const plain = new CognitoAuth(options);
const secret = new CognitoAuth({ ...options, clientSecret: "s" });`,
    wasm: "(file) => (file.includes(\"restore\") ? new Promise(() => {}) : bytes(file))",
    after: `out.secret = await secret.getSession(); // nothing ready yet: the session module in the restore module's place
out.plain = await plain.getSession(); // built there too: the restore file never arrives
out.asked = [...asked];`,
  });
  assert.deepEqual(r.asked, [RESTORE_WASM, SESSION_WASM], "the restore module chosen by the first object, the session module started by the second");
  assert.deepEqual(r.out, { secret: null, plain: null, asked: [RESTORE_WASM, SESSION_WASM] }, "both objects answer from the session module (LastAuthUser without tokens: no session)");
});

test("the first module failing to load: init(), preload() and getSession() reject with its WasmLoadError, nothing unhandled", async () => {
  // Node ends a process on an unhandled rejection: the page printing its result is the check.
  const r = await page({
    setup: "const auth = new CognitoAuth(options);",
    wasm: '() => new Response("missing", { status: 404 })',
    failing: true,
    after: `out.init = await ready.then(() => "resolved", (e) => e.name);
out.preload = await auth.preload().then(() => "resolved", (e) => e.name + " " + e.retryable);
out.session = await auth.getSession().then(() => "resolved", (e) => e.name);
await new Promise((r) => setTimeout(r, 50));`,
  });
  assert.deepEqual(r.asked, [PLAIN_WASM]);
  assert.deepEqual(r.out, { init: "WasmLoadError", preload: "WasmLoadError false", session: "WasmLoadError" });
});

const cognito = (target, body) => cognitoCall(endpoint, target, body);

test("a page that starts in the signin_plain module: a sign-in, then a pending challenge and listeners move to the full module", async () => {
  const { userPoolId } = await config();
  const password = "Corr3ct-Horse!Ω";
  const username = `first-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognito("AdminCreateUser", { UserPoolId: userPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS" });
  const r = await page({
    setup: `const auth = new CognitoAuth({ ...options, storage: new MemoryStorage() });
const changes = [];
auth.onSessionChange((s) => changes.push(s?.username ?? null));`,
    after: `const step = await auth.signIn({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(password)} });
out.challenge = step.challenge;
out.beforeFull = [...asked];
out.getUser = await auth.getUser().then(() => "resolved", (e) => e.name);
const done = await auth.respondToChallenge({ newPassword: "N3w-Passw0rd!Ω" });
out.signedIn = done.signedIn;
out.user = (await auth.getUser()).username;
out.changes = changes;`,
  });
  assert.equal(r.out.challenge, "NEW_PASSWORD_REQUIRED");
  assert.deepEqual(r.out.beforeFull, [PLAIN_WASM], "the sign-in ran in the signin_plain module, no other module asked for");
  assert.notEqual(r.out.getUser, "resolved", "not signed in yet");
  assert.equal(r.out.signedIn, true, "the full module's object answers the challenge signin_plain stopped at");
  assert.equal(r.out.user, username);
  assert.deepEqual(r.out.changes, [username], "the listener moved with the object and fired once");
  assert.deepEqual(r.asked, [PLAIN_WASM, FULL_WASM]);
});

test("signUp from the signin_plain module with a challenge pending: the object moves to the signup module and answers the challenge there", async () => {
  const { userPoolId } = await config();
  const password = "Corr3ct-Horse!Ω";
  const username = `plain-up-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognito("AdminCreateUser", { UserPoolId: userPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS" });
  const r = await page({
    setup: "const auth = new CognitoAuth({ ...options, storage: new MemoryStorage() });",
    after: `const step = await auth.signIn({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(password)} });
out.challenge = step.challenge;
out.beforeSignUp = [...asked];
const other = ${JSON.stringify(`${username}-other`)};
out.userConfirmed = (await auth.signUp({ username: other, password: ${JSON.stringify(password)}, attributes: { email: other + "@example.com" } })).userConfirmed;
const done = await auth.respondToChallenge({ newPassword: "N3w-Passw0rd!Ω" });
out.signedIn = done.signedIn;
out.session = (await auth.getSession())?.username;`,
  });
  assert.equal(r.out.challenge, "NEW_PASSWORD_REQUIRED");
  assert.deepEqual(r.out.beforeSignUp, [PLAIN_WASM]);
  assert.equal(r.out.userConfirmed, false, "signUp ran (in the signup module)");
  assert.equal(r.out.signedIn, true, "the pending challenge was handed over (else: no challenge is waiting)");
  assert.equal(r.out.session, username);
  assert.deepEqual(r.asked, [PLAIN_WASM, SIGNUP_WASM]);
});

/** A sign-up code of the emulator (GET /_emulator/codes). */
const codeScript = (username) => `await (await fetch(Object.assign(new URL("_emulator/codes", options.endpoint), { search: new URLSearchParams({ userPoolId: options.userPoolId, username: ${JSON.stringify(username)} }) }))).json()`;

test("a sign-up page: preload(\"signUp\") right after the constructor fetches the signup module alone; signUp + confirmSignUp with autoSignIn end signed in there", async () => {
  const password = "Corr3ct-Horse!Ω";
  const username = `signup-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const r = await page({
    setup: `const auth = new CognitoAuth({ ...options, storage: new MemoryStorage() });
out.preloaded = auth.preload("signUp").then(() => "resolved", (e) => e.name);`,
    after: `out.preloaded = await out.preloaded;
out.afterPreload = [...asked];
const up = await auth.signUp({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(password)}, attributes: { email: ${JSON.stringify(`${username}@example.com`)} }, autoSignIn: true });
out.userConfirmed = up.userConfirmed;
const done = await auth.confirmSignUp({ username: ${JSON.stringify(username)}, code: (${codeScript(username)}).code });
out.signedIn = done.signedIn;
out.username = done.session?.username;
out.session = (await auth.getSession())?.username;
out.signIn = (await auth.signIn({ username: ${JSON.stringify(username)}, password: ${JSON.stringify(password)} })).signedIn;`,
  });
  assert.equal(r.out.preloaded, "resolved");
  assert.deepEqual(r.out.afterPreload, [SIGNUP_WASM], "the signin module the constructor started is never asked for");
  assert.equal(r.out.userConfirmed, false);
  assert.equal(r.out.signedIn, true, "confirmSignUp with autoSignIn ends signed in");
  assert.equal(r.out.username, username);
  assert.equal(r.out.session, username, "getSession in the signup module");
  assert.equal(r.out.signIn, true, "signIn runs in the signup module too (a superset)");
  assert.deepEqual(r.asked, [SIGNUP_WASM], "one module for the whole page");
});

test("a sign-in page (nothing stored) fetches no file of the signup module; preload() without a member is signIn's module (signin_plain)", async () => {
  const r = await page({
    setup: "const auth = new CognitoAuth({ ...options, storage: new MemoryStorage() });",
    after: `await auth.preload();
out.step = await auth.signIn({ username: "nobody-${Date.now()}", password: "Wr0ng-Passw0rd!" }).then(() => "resolved", (e) => e.name);
await auth.preload("getSession");
await auth.preload("respondToChallenge");`,
  });
  assert.notEqual(r.out.step, "resolved");
  assert.deepEqual(r.asked, [PLAIN_WASM], "signIn, preload(), preload(\"getSession\") and preload(\"respondToChallenge\"): the signin_plain module alone");
});

test("preload(member) with a name that is no CognitoAuth method or getter rejects with a TypeError and loads nothing more", async () => {
  const r = await page({
    setup: "const auth = new CognitoAuth({ ...options, storage: new MemoryStorage() });",
    after: `await ready;
out.errors = [];
for (const bad of ["signUpp", "constructor", "toString", "preload", "free", 7, null, {}]) {
  out.errors.push(await auth.preload(bad).then(() => "resolved", (e) => e.constructor.name));
}
out.thrown = await Promise.resolve().then(() => CognitoAuth.prototype.preload.call({}, "signUp")).then(() => "resolved", (e) => e.constructor.name);`,
  });
  assert.deepEqual(r.out.errors, Array(8).fill("TypeError"));
  assert.equal(r.out.thrown, "TypeError", "not a CognitoAuth");
  assert.deepEqual(r.asked, [PLAIN_WASM]);
});

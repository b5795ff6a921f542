// USER_AUTH is not in the signin modules (scripts/pkg-src/call-tiers.js, docs/performance.md,
// "leansignin3"): through pkg/browser.js in Node, with init({ wasm: (file) => bytes }) recording
// the files asked for, against the local emulator's passwordless pool (COGNITO_EMULATOR_URL). A
// password sign-in runs in the signin_plain module alone (plain options); `signIn({ flow: "USER_AUTH" })` runs in the
// signup module, and its SELECT_CHALLENGE is answered there. Each signin module itself, asked for
// USER_AUTH directly (initSync, no loader), refuses it before any request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { CognitoAuth, MemoryStorage } from "../../pkg/browser.js";
import { cognitoCall } from "../hostile/emulator.mjs";
import { asked, cfg, endpoint, password, ready } from "./recorded-start.mjs";

const SIGNIN = "cognito_wasm_signin_plain_bg.wasm"; // plain options, nothing stored: signin_plain
const SIGNUP = "cognito_wasm_signup_bg.wasm";

async function user(prefix) {
  const username = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  const pool = cfg.passwordlessUserPoolId;
  await cognitoCall(endpoint, "AdminCreateUser", { UserPoolId: pool, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS" });
  await cognitoCall(endpoint, "AdminSetUserPassword", { UserPoolId: pool, Username: username, Password: password, Permanent: true });
  return username;
}

/** A `fetch` that records each request's operation and AuthFlow. */
function recording() {
  const sent = [];
  const fetcher = async (request) => {
    const op = request.headers.get("x-amz-target")?.split(".").pop();
    const { AuthFlow } = await request.clone().json();
    sent.push(AuthFlow ? `${op} ${AuthFlow}` : op);
    return fetch(request);
  };
  return { sent, fetch: fetcher };
}

const options = { userPoolId: cfg.passwordlessUserPoolId, clientId: cfg.passwordlessClientId, endpoint };
// Made before any module is ready: each is built in the signin_plain module.
const selectingNet = recording();
const selecting = new CognitoAuth({ ...options, storage: new MemoryStorage(), fetch: selectingNet.fetch });
const preferringNet = recording();
const preferring = new CognitoAuth({ ...options, storage: new MemoryStorage(), fetch: preferringNet.fetch });

test("no stored session: the signin_plain module alone, and a password sign-in runs there", async () => {
  await ready;
  assert.deepEqual(asked, [SIGNIN]);
  const username = await user("ua-tier-pw");
  assert.equal((await preferring.signIn({ username, password })).signedIn, true);
  await preferring.signOut();
  assert.deepEqual(preferringNet.sent.slice(0, 1), ["InitiateAuth USER_SRP_AUTH"]);
  assert.deepEqual(asked, [SIGNIN], "a password sign-in fetches no other module");
});

test("signIn({ flow: \"USER_AUTH\" }) runs in the signup module; its SELECT_CHALLENGE is answered there", async () => {
  const username = await user("ua-tier-select");
  const step = await selecting.signIn({ username, flow: "USER_AUTH" });
  assert.equal(step.signedIn, false, JSON.stringify(step));
  assert.equal(step.challenge, "SELECT_CHALLENGE", JSON.stringify(step));
  assert.ok(step.availableChallenges.includes("PASSWORD"), JSON.stringify(step));
  assert.deepEqual(asked, [SIGNIN, SIGNUP], "the USER_AUTH call loaded the signup module");
  assert.deepEqual(selectingNet.sent, ["InitiateAuth USER_AUTH"]);
  const done = await selecting.respondToChallenge({ answer: "PASSWORD", password });
  assert.equal(done.signedIn, true, JSON.stringify(done));
  assert.equal(done.session.username, username);
  assert.equal((await selecting.getSession()).username, username);
  assert.deepEqual(asked, [SIGNIN, SIGNUP], "no third module");
});

test("signIn({ flow: \"USER_AUTH\", preferredChallenge: \"PASSWORD_SRP\" }) signs in (signup module)", async () => {
  const username = await user("ua-tier-srp");
  const done = await preferring.signIn({ username, password, flow: "USER_AUTH", preferredChallenge: "PASSWORD_SRP" });
  assert.equal(done.signedIn, true, JSON.stringify(done));
  assert.equal(done.session.username, username);
  assert.deepEqual(preferringNet.sent.filter((s) => s.startsWith("InitiateAuth")).at(-1), "InitiateAuth USER_AUTH");
});

for (const module of ["signin", "signin_plain"]) test(`the ${module} module alone (no loader) refuses USER_AUTH with InvalidParameterError before any request`, async () => {
  const pkg = new URL("../../pkg/", import.meta.url);
  const glue = await import(new URL(`cognito_wasm_${module}.js`, pkg).href);
  glue.initSync({ module: readFileSync(new URL(`cognito_wasm_${module}_bg.wasm`, pkg)) });
  const net = recording();
  const auth = new glue.CognitoAuth({ ...options, storage: new MemoryStorage(), fetch: net.fetch });
  for (const params of [{ username: "someone", flow: "USER_AUTH" }, { username: "someone", password, flow: "USER_AUTH", preferredChallenge: "PASSWORD" }]) {
    await assert.rejects(auth.signIn(params), (e) => {
      assert.equal(e.name, "InvalidParameterError", String(e));
      assert.match(e.message, /no USER_AUTH sign-in in this module/);
      return true;
    });
  }
  assert.deepEqual(net.sent, [], "nothing sent");
  // Its other flows are there: a password sign-in.
  const username = await user(`ua-tier-direct-${module}`);
  assert.equal((await auth.signIn({ username, password })).signedIn, true);
});

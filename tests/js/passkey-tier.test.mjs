// The passkey sign-in is not in the signin modules (scripts/pkg-src/call-tiers.js, docs/design/
// weight.md): through pkg/browser.js in Node, with init({ wasm: (file) => bytes }) recording the
// files asked for, against the local emulator's passwordless pool (COGNITO_EMULATOR_URL). A call
// that asks for the passkey runs in the signup module (in Node, without navigator.credentials, it
// rejects there before any request: a signin module would have sent it); a WEB_AUTHN challenge
// the server sends unasked (to a password sign-in: a USER_AUTH one runs in the signup module,
// tests/js/user-auth-tier.test.mjs) comes back from the signin_plain module (plain options) as the step, and
// respondToChallenge({ answer: "WEB_AUTHN" }) takes it to the signup module. The browser side of
// the same paths, with an authenticator: tests/passkeys/.
import { test } from "node:test";
import assert from "node:assert/strict";
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

const OPTIONS = JSON.stringify({ challenge: "AAEC_-8", rpId: "localhost", allowCredentials: [], userVerification: "preferred" });

/**
 * A `fetch` that records each request's operation, and answers InitiateAuth with a WEB_AUTHN
 * challenge when `unasked` is set (as if the server sent it without PREFERRED_CHALLENGE).
 */
function recording({ unasked = false } = {}) {
  const sent = [];
  const fetcher = async (request) => {
    const op = request.headers.get("x-amz-target")?.split(".").pop();
    sent.push(op);
    if (unasked && op === "InitiateAuth") {
      const { AuthParameters } = await request.clone().json();
      const body = { ChallengeName: "WEB_AUTHN", Session: "unasked-session", ChallengeParameters: { USERNAME: AuthParameters.USERNAME, CREDENTIAL_REQUEST_OPTIONS: OPTIONS } };
      return new Response(JSON.stringify(body), { headers: { "content-type": "application/x-amz-json-1.1" } });
    }
    return fetch(request);
  };
  return { sent, fetch: fetcher };
}

const options = { userPoolId: cfg.passwordlessUserPoolId, clientId: cfg.passwordlessClientId, endpoint };
// Made before any module is ready: each is built in the signin_plain module.
const routedNet = recording();
const routed = new CognitoAuth({ ...options, storage: new MemoryStorage(), fetch: routedNet.fetch });
const unaskedNet = recording({ unasked: true });
const unasked = new CognitoAuth({ ...options, storage: new MemoryStorage(), fetch: unaskedNet.fetch });
const selectingNet = recording();
const selecting = new CognitoAuth({ ...options, storage: new MemoryStorage(), fetch: selectingNet.fetch });

test("no stored session: the signin_plain module alone, and a password sign-in runs there", async () => {
  await ready;
  assert.deepEqual(asked, [SIGNIN]);
  const username = await user("pk-tier-pw");
  assert.equal((await selecting.signIn({ username, password })).signedIn, true);
  await selecting.signOut();
  assert.deepEqual(asked, [SIGNIN], "a password sign-in fetches no other module");
});

test("signIn({ preferredChallenge: \"WEB_AUTHN\" }) runs in the signup module: without navigator.credentials it rejects before any request", async () => {
  const username = await user("pk-tier-routed");
  await assert.rejects(routed.signIn({ username, flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }), (e) => {
    assert.equal(e.name, "InvalidParameterError");
    assert.match(e.message, /navigator\.credentials/);
    return true;
  });
  assert.deepEqual(asked, [SIGNIN, SIGNUP], "the passkey call loaded the signup module");
  assert.deepEqual(routedNet.sent, [], "nothing was sent (a signin module would have sent InitiateAuth)");
  // The object stays in the signup module: a password sign-in works there.
  assert.equal((await routed.signIn({ username, password })).signedIn, true);
  assert.deepEqual(routedNet.sent.filter((op) => op === "InitiateAuth").length, 1);
});

test("a WEB_AUTHN challenge sent unasked is the signin_plain module's step; respondToChallenge({ answer: \"WEB_AUTHN\" }) takes it to the signup module", async () => {
  const username = await user("pk-tier-unasked");
  const step = await unasked.signIn({ username, password });
  assert.deepEqual(step, { signedIn: false, challenge: "WEB_AUTHN", parameters: { USERNAME: username, CREDENTIAL_REQUEST_OPTIONS: OPTIONS }, credentialRequestOptions: OPTIONS });
  assert.deepEqual(unaskedNet.sent, ["InitiateAuth"]);
  // Any other answer is refused by the signin_plain module, locally, and the challenge kept.
  await assert.rejects(unasked.respondToChallenge({}), (e) => {
    assert.equal(e.name, "InvalidParameterError");
    assert.match(e.message, /no passkey sign-in: answer WEB_AUTHN with respondToChallenge\(\{ answer: "WEB_AUTHN" \}\)/);
    return true;
  });
  await assert.rejects(unasked.respondToChallenge({ code: "123456" }), (e) => e.name === "InvalidParameterError" && /no passkey sign-in/.test(e.message));
  assert.deepEqual(unaskedNet.sent, ["InitiateAuth"], "nothing sent");
  // The signup module, handed the WEB_AUTHN challenge, goes for the assertion (none in Node).
  await assert.rejects(unasked.respondToChallenge({ answer: "WEB_AUTHN" }), (e) => {
    assert.equal(e.name, "InvalidParameterError");
    assert.match(e.message, /navigator\.credentials/, "the challenge was handed over (else: no challenge is waiting)");
    return true;
  });
  assert.deepEqual(unaskedNet.sent, ["InitiateAuth"], "nothing sent");
  assert.ok(asked.includes(SIGNUP));
});

test("SELECT_CHALLENGE (USER_AUTH: the signup module) answered with WEB_AUTHN: refused there without navigator.credentials, the challenge kept for another answer", async () => {
  const username = await user("pk-tier-select");
  const step = await selecting.signIn({ username, flow: "USER_AUTH" });
  assert.equal(step.challenge, "SELECT_CHALLENGE", JSON.stringify(step));
  assert.ok(step.availableChallenges.includes("PASSWORD"), JSON.stringify(step));
  const before = selectingNet.sent.length;
  await assert.rejects(selecting.respondToChallenge({ answer: "WEB_AUTHN" }), (e) => e.name === "InvalidParameterError" && /navigator\.credentials/.test(e.message));
  assert.equal(selectingNet.sent.length, before, "refused before any request");
  const done = await selecting.respondToChallenge({ answer: "PASSWORD", password });
  assert.equal(done.signedIn, true, JSON.stringify(done));
  assert.equal(done.session.username, username);
  assert.equal((await selecting.getSession()).username, username);
});

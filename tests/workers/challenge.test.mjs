// The edge challenge route (POST /auth/challenge) of the example Worker in workerd (miniflare)
// against the emulator: a sign-in that meets SOFTWARE_TOKEN_MFA or CUSTOM_CHALLENGE answers
// {challenge, parameters} and keeps Cognito's Session in an HttpOnly, SameSite=Strict cookie for the
// challenge route only; the answer sets the session cookies and clears it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { cognito, cookieHeader, createUser, emulator, readSource, startWorker } from "./helpers.mjs";

const PASSWORD = "Corr3ct-Horse!Ω";
let emu, worker;

function base32(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of s.replace(/=+$/, "").toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 (SHA-1, 6 digits, 30 s). */
function totp(secret, when = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 30000)));
  const mac = createHmac("sha1", base32(secret)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

async function totpUser() {
  const username = await createUser(emu, "edge-challenge", PASSWORD);
  const signedIn = await cognito(emu, "InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId: emu.config.clientId,
    AuthParameters: { USERNAME: username, PASSWORD } });
  const AccessToken = signedIn.AuthenticationResult.AccessToken;
  const { SecretCode } = await cognito(emu, "AssociateSoftwareToken", { AccessToken });
  await cognito(emu, "VerifySoftwareToken", { AccessToken, UserCode: totp(SecretCode) });
  await cognito(emu, "SetUserMFAPreference", { AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
  return { username, secret: SecretCode };
}

async function customCode(username) {
  const url = new URL("_emulator/codes", emu.endpoint);
  url.search = new URLSearchParams({ userPoolId: emu.config.userPoolId, username, purpose: "CUSTOM_CHALLENGE" });
  return (await (await fetch(url)).json()).code;
}

async function send(path, { method = "POST", cookie, headers = {}, body } = {}) {
  const r = await worker.dispatchFetch(`http://worker.test${path}`, {
    method, redirect: "manual", body: body && JSON.stringify(body),
    headers: { "sec-fetch-site": "same-origin", ...(cookie ? { cookie } : {}),
      ...(body ? { "content-type": "application/json" } : {}), ...headers },
  });
  const text = await r.text();
  return { status: r.status, setCookie: r.headers.getSetCookie(), body: text && r.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text };
}

const challengeCookie = (lines) => lines.filter((l) => l.startsWith("cognito-wasm.challenge="));

before(async () => {
  emu = await emulator();
  const source = await readSource("examples/worker/src/index.js");
  worker = await startWorker(source, { kv: "VISITS", bindings: { USER_POOL_ID: emu.config.userPoolId,
    COGNITO_ENDPOINT: emu.endpoint, CLIENT_ID: emu.config.clientId } });
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
});

test("SOFTWARE_TOKEN_MFA at the edge: {challenge} and a challenge cookie; a wrong code keeps it; the right one signs in", async () => {
  const { username, secret } = await totpUser();
  const first = await send("/auth/sign-in", { body: { username, password: PASSWORD } });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual([first.body.signedIn, first.body.challenge], [false, "SOFTWARE_TOKEN_MFA"]);
  assert.equal(typeof first.body.parameters, "object");
  const [line] = challengeCookie(first.setCookie);
  assert.match(line, /^cognito-wasm\.challenge=SOFTWARE_TOKEN_MFA~AYAB[^;]+; Max-Age=180; Path=\/auth\/challenge; Secure; HttpOnly; SameSite=Strict$/);
  assert.equal(first.setCookie.length, 1, "no session cookies yet");
  const cookie = cookieHeader(first.setCookie);

  const none = await send("/auth/challenge", { body: { code: "123456" } });
  assert.deepEqual([none.status, none.body.error], [401, "NoChallenge"]);
  const crossSite = await send("/auth/challenge", { cookie, body: { code: "123456" }, headers: { "sec-fetch-site": "cross-site" } });
  assert.deepEqual([crossSite.status, crossSite.body.error], [403, "CrossOriginRequest"]);
  const notJson = await send("/auth/challenge", { cookie, headers: { "content-type": "text/plain" } });
  assert.equal(notJson.status, 415);

  const wrong = await send("/auth/challenge", { cookie, body: { code: totp(secret, Date.now() + 3600_000) } });
  assert.deepEqual([wrong.status, wrong.body.error], [400, "CodeMismatchException"]);
  assert.deepEqual(wrong.setCookie, [], "the challenge cookie is kept");

  const done = await send("/auth/challenge", { cookie, body: { code: totp(secret) } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.deepEqual([done.body.signedIn, done.body.username], [true, username]);
  assert.match(challengeCookie(done.setCookie)[0], /^cognito-wasm\.challenge=; Max-Age=0; Path=\/auth\/challenge;/, "cleared");
  const session = cookieHeader(done.setCookie, cookie);
  assert.ok(!session.includes("cognito-wasm.challenge"));
  const me = await send("/api/me", { method: "GET", cookie: session });
  assert.equal(me.status, 200, JSON.stringify(me.body));

  // The spent session: Cognito refuses it, the cookie is cleared.
  const replay = await send("/auth/challenge", { cookie, body: { code: totp(secret) } });
  assert.deepEqual([replay.status, replay.body.error], [401, "NotAuthorizedException"]);
  assert.match(challengeCookie(replay.setCookie)[0], /Max-Age=0/);
});

test("CUSTOM_CHALLENGE at the edge: flow CUSTOM_AUTH, a wrong answer is a new challenge (new cookie), the code signs in", async () => {
  const username = await createUser(emu, "edge-challenge", PASSWORD);
  const first = await send("/auth/sign-in", { body: { username, flow: "CUSTOM_AUTH" } });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, { signedIn: false, challenge: "CUSTOM_CHALLENGE", parameters: { USERNAME: username, attempt: "1", maxAttempts: "3" } });
  let cookie = cookieHeader(first.setCookie);
  const again = await send("/auth/challenge", { cookie, body: { answer: "not-it" } });
  assert.equal(again.status, 200);
  assert.deepEqual([again.body.challenge, again.body.parameters.attempt], ["CUSTOM_CHALLENGE", "2"]);
  const [next] = challengeCookie(again.setCookie);
  assert.ok(next && next.split(";")[0] !== cookie, "a new Session in a new cookie");
  cookie = cookieHeader(again.setCookie, cookie);
  const done = await send("/auth/challenge", { cookie, body: { answer: await customCode(username) } });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  assert.deepEqual([done.body.signedIn, done.body.username], [true, username]);
  const me = await send("/api/me", { method: "GET", cookie: cookieHeader(done.setCookie, cookie) });
  assert.equal(me.status, 200);

  const missing = await send("/auth/sign-in", { body: { username, flow: "CUSTOM_AUTH", srp: true } });
  assert.deepEqual([missing.status, missing.body.error], [400, "InvalidParameterError"], "SRP needs the password");
  const out = await send("/auth/sign-in", { body: { username, flow: "CUSTOM_AUTH" } });
  cookie = cookieHeader(out.setCookie);
  for (const answer of ["1", "2"]) {
    const r = await send("/auth/challenge", { cookie, body: { answer } });
    cookie = cookieHeader(r.setCookie, cookie);
  }
  const refused = await send("/auth/challenge", { cookie, body: { answer: "3" } });
  assert.deepEqual([refused.status, refused.body.error], [401, "NotAuthorizedException"], "three tries");
  assert.match(challengeCookie(refused.setCookie)[0], /Max-Age=0/);
});

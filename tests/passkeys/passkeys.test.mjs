// Passkeys in headless Chromium with its virtual authenticator (CDP WebAuthn domain: ctap2,
// internal, resident key, user verification), the built pkg/ and the emulator, which verifies
// every registration and assertion as a relying party (tests/emulator/cognito_emulator/webauthn.py).
// The pages are served on http://localhost:<port> (an RP id must be a domain, not an IP).
// Each flow runs twice: with Chromium's PublicKeyCredential.parse*FromJSON / toJSON, and with them
// removed, so the crate's own conversion meets the emulator's verification too. A page that starts
// in the signin module (no stored session) signs in with the passkey through the signup module,
// which has the passkey sign-in (scripts/pkg-src/call-tiers.js).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, servePages } from "../browser/pages.mjs";

const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
const pool = cfg.passwordlessUserPoolId;
const password = "Corr3ct-Horse!Ω";
const page = () => `<!doctype html><meta charset="utf-8"><title>passkeys</title>
<script type="module">
  if (new URLSearchParams(location.search).has("fallback")) {
    delete PublicKeyCredential.parseCreationOptionsFromJSON;
    delete PublicKeyCredential.parseRequestOptionsFromJSON;
    delete PublicKeyCredential.prototype.toJSON;
  }
  window.native = typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function";
  // ?unasked: a password sign-in's InitiateAuth (USER_SRP_AUTH) goes out as USER_AUTH with
  // PREFERRED_CHALLENGE WEB_AUTHN, so the server answers a WEB_AUTHN challenge the page's call did
  // not ask for (to the signin module: a USER_AUTH call itself runs in the signup module).
  const unasked = async (request) => {
    if (!request.headers.get("x-amz-target")?.endsWith(".InitiateAuth")) return fetch(request);
    const body = await request.clone().json();
    if (body.AuthFlow !== "USER_SRP_AUTH") return fetch(request);
    body.AuthFlow = "USER_AUTH";
    body.AuthParameters = { USERNAME: body.AuthParameters.USERNAME, PREFERRED_CHALLENGE: "WEB_AUTHN" };
    return fetch(new Request(request, { body: JSON.stringify(body) }));
  };
  const { CognitoAuth } = await import("/pkg/browser.js");
  const options = ${JSON.stringify({ userPoolId: pool, clientId: cfg.passwordlessClientId, endpoint })};
  const query = new URLSearchParams(location.search);
  window.auth = new CognitoAuth(query.has("unasked") ? { ...options, fetch: unasked } : options);
  // ?preload: a passkey sign-in page's preload, in the task that made the object.
  if (query.has("preload")) window.preloaded = auth.preload("signIn", { preferredChallenge: "WEB_AUTHN" });
  // The package's .wasm files this page fetched, in order.
  window.modules = () => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname.split("/").pop()).filter((f) => f.endsWith(".wasm"));
  // A rejection as a plain object the test can compare.
  window.failure = (promise) => promise.then(() => null, (e) => ({ name: e.name, code: e.code, message: e.message }));
  window.ready = true;
</script>`;

let servers = [], browser;
before(async () => {
  servers = [await servePages({ "/p.html": page }), await servePages({ "/p.html": page })];
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  for (const s of servers) s.close();
});

const url = (server, fallback) => `${server.origin.replace("127.0.0.1", "localhost")}/p.html${fallback ? "?fallback" : ""}`;

async function emulator(path, body) {
  const res = await fetch(new URL(path, endpoint), body ? { method: "POST", body: JSON.stringify(body) } : undefined);
  return res.json();
}
const webauthnConfig = (settings) => emulator("_emulator/webauthn-config", { userPoolId: pool, ...settings });

/** A tab with a virtual authenticator of its own. */
async function tab({ fallback = false, server = servers[0], userVerified = true } = {}) {
  const context = await browser.newContext();
  const p = await context.newPage();
  const cdp = await context.newCDPSession(p);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: userVerified, automaticPresenceSimulation: true },
  });
  await p.goto(url(server, fallback));
  await p.waitForFunction(() => window.ready === true);
  assert.equal(await p.evaluate(() => window.native), !fallback, "Chromium has parseCreationOptionsFromJSON");
  const stored = async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  return { context, page: p, cdp, authenticatorId, stored };
}

async function newUser(p) {
  const username = `pk-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await p.evaluate(([u, pw]) => auth.signUp({ username: u, password: pw, attributes: { email: `${u}@example.com` } }), [username, password]);
  const { code } = await emulator(`_emulator/codes?userPoolId=${pool}&username=${username}`);
  await p.evaluate(([u, c]) => auth.confirmSignUp({ username: u, code: c }), [username, code]);
  await p.evaluate(([u, pw]) => auth.signIn({ username: u, password: pw }), [username, password]);
  return username;
}

const passkeySignIn = (p, username) =>
  p.evaluate((u) => auth.signIn({ username: u, flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }), username);

const b64urlToB64 = (s) => s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4);

for (const fallback of [false, true]) {
  const how = fallback ? "the crate's conversion" : "Chromium's parse*FromJSON/toJSON";
  test(`register, list, sign out, sign in with the passkey (${how})`, async () => {
    const t = await tab({ fallback });
    const username = await newUser(t.page);
    assert.equal(await t.page.evaluate(() => auth.associatePasskey()), undefined);
    const { passkeys, nextToken } = await t.page.evaluate(() => auth.listPasskeys());
    assert.equal(nextToken, undefined);
    assert.equal(passkeys.length, 1);
    const [key] = passkeys;
    assert.equal(key.relyingPartyId, "localhost");
    assert.equal(key.authenticatorAttachment, "platform");
    assert.deepEqual(key.transports, ["internal"]);
    assert.ok(key.friendlyName && Math.abs(key.createdAt - Date.now()) < 60_000, JSON.stringify(key));
    const [held] = await t.stored();
    assert.equal(held.credentialId, b64urlToB64(key.credentialId), "the authenticator holds the listed credential");
    assert.equal(held.isResidentCredential, true);
    // excludeCredentials names it: the same authenticator refuses a second registration.
    const twice = await t.page.evaluate(() => failure(auth.associatePasskey()));
    assert.deepEqual([twice?.name, twice?.code], ["WebAuthnError", "InvalidStateError"], JSON.stringify(twice));

    await t.page.evaluate(() => auth.signOut());
    assert.equal(await t.page.evaluate(() => auth.getSession()), null);
    const count = held.signCount;
    const result = await passkeySignIn(t.page, username);
    assert.equal(result.signedIn, true, JSON.stringify(result));
    assert.equal(result.session.username, username);
    assert.equal((await t.stored())[0].signCount, count + 1, "one assertion");
    await t.context.close();
  });
}

test("SELECT_CHALLENGE answered with WEB_AUTHN ends signed in in that call", async () => {
  const t = await tab();
  const username = await newUser(t.page);
  await t.page.evaluate(() => auth.associatePasskey());
  await t.page.evaluate(() => auth.signOut());
  const step = await t.page.evaluate((u) => auth.signIn({ username: u, flow: "USER_AUTH" }), username);
  assert.equal(step.challenge, "SELECT_CHALLENGE", JSON.stringify(step));
  assert.ok(step.availableChallenges.includes("WEB_AUTHN"), JSON.stringify(step));
  const done = await t.page.evaluate(() => auth.respondToChallenge({ answer: "WEB_AUTHN" }));
  assert.equal(done.signedIn, true, JSON.stringify(done));
  await t.context.close();
});

/** The tab's page loaded again (same authenticator), signed out: it starts in the signin_plain module (plain options). */
async function reload(t, query = "", first = "cognito_wasm_signin_plain_bg.wasm") {
  await t.page.evaluate(() => auth.signOut());
  await t.page.goto(url(servers[0]) + query);
  await t.page.waitForFunction(() => window.ready === true);
  await t.page.evaluate(() => auth.preload()); // whatever the first module is, once it is ready
  assert.deepEqual(await t.page.evaluate(() => window.modules()), [first], "no stored session: the first module");
}

test("a passkey sign-in page that preloads signIn({ preferredChallenge: \"WEB_AUTHN\" }) fetches the signup module alone", async () => {
  const t = await tab();
  const username = await newUser(t.page);
  await t.page.evaluate(() => auth.associatePasskey());
  await reload(t, "?preload", "cognito_wasm_signup_bg.wasm");
  assert.equal(await t.page.evaluate(() => window.preloaded), undefined);
  const result = await passkeySignIn(t.page, username);
  assert.equal(result.signedIn, true, JSON.stringify(result));
  assert.deepEqual(await t.page.evaluate(() => window.modules()), ["cognito_wasm_signup_bg.wasm"]);
  await t.context.close();
});

test("a page in the signin_plain module signs in with the passkey: the call fetches the signup module, which has it", async () => {
  const t = await tab();
  const username = await newUser(t.page);
  await t.page.evaluate(() => auth.associatePasskey());
  await reload(t);
  const count = (await t.stored())[0].signCount;
  const result = await passkeySignIn(t.page, username);
  assert.equal(result.signedIn, true, JSON.stringify(result));
  assert.equal(result.session.username, username);
  assert.equal((await t.stored())[0].signCount, count + 1, "one assertion");
  assert.deepEqual(await t.page.evaluate(() => window.modules()), ["cognito_wasm_signin_plain_bg.wasm", "cognito_wasm_signup_bg.wasm"]);
  // A page in the signin_plain module asks for USER_AUTH: the call runs in the signup module (which
  // has USER_AUTH), whose SELECT_CHALLENGE is answered there with WEB_AUTHN.
  await reload(t);
  const step = await t.page.evaluate((u) => auth.signIn({ username: u, flow: "USER_AUTH" }), username);
  assert.equal(step.challenge, "SELECT_CHALLENGE", JSON.stringify(step));
  assert.deepEqual(await t.page.evaluate(() => window.modules()), ["cognito_wasm_signin_plain_bg.wasm", "cognito_wasm_signup_bg.wasm"]);
  const done = await t.page.evaluate(() => auth.respondToChallenge({ answer: "WEB_AUTHN" }));
  assert.equal(done.signedIn, true, JSON.stringify(done));
  assert.equal((await t.stored())[0].signCount, count + 2);
  assert.deepEqual(await t.page.evaluate(() => window.modules()), ["cognito_wasm_signin_plain_bg.wasm", "cognito_wasm_signup_bg.wasm"]);
  await t.context.close();
});

test("a WEB_AUTHN challenge the call did not ask for: the signin_plain module's step, answered by respondToChallenge({ answer: \"WEB_AUTHN\" })", async () => {
  const t = await tab();
  const username = await newUser(t.page);
  await t.page.evaluate(() => auth.associatePasskey());
  await reload(t, "?unasked");
  const count = (await t.stored())[0].signCount;
  const step = await t.page.evaluate(([u, p]) => auth.signIn({ username: u, password: p }), [username, password]);
  assert.equal(step.signedIn, false, JSON.stringify(step));
  assert.equal(step.challenge, "WEB_AUTHN", JSON.stringify(step));
  assert.equal(typeof JSON.parse(step.credentialRequestOptions).challenge, "string");
  assert.equal((await t.stored())[0].signCount, count, "no assertion in the signin_plain module");
  const refused = await t.page.evaluate(() => failure(auth.respondToChallenge({})));
  assert.equal(refused?.name, "InvalidParameterError", JSON.stringify(refused));
  assert.match(refused.message, /answer: "WEB_AUTHN"/);
  assert.deepEqual(await t.page.evaluate(() => window.modules()), ["cognito_wasm_signin_plain_bg.wasm"]);
  const done = await t.page.evaluate(() => auth.respondToChallenge({ answer: "WEB_AUTHN" }));
  assert.equal(done.signedIn, true, JSON.stringify(done));
  assert.equal(done.session.username, username);
  assert.equal((await t.stored())[0].signCount, count + 1, "one assertion, in the signup module");
  assert.deepEqual(await t.page.evaluate(() => window.modules()), ["cognito_wasm_signin_plain_bg.wasm", "cognito_wasm_signup_bg.wasm"]);
  await t.context.close();
});

test("an authenticator without the credential fails with WebAuthnError and keeps nothing", async () => {
  const first = await tab();
  const username = await newUser(first.page);
  await first.page.evaluate(() => auth.associatePasskey());
  await first.context.close();
  const other = await tab();
  assert.deepEqual(await other.stored(), []);
  const err = await other.page.evaluate((u) => failure(auth.signIn({ username: u, flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" })), username);
  assert.equal(err?.name, "WebAuthnError", JSON.stringify(err));
  assert.equal(err.code, "NotAllowedError");
  assert.equal(await other.page.evaluate(() => auth.getSession()), null);
  const again = await other.page.evaluate(() => failure(auth.respondToChallenge({ answer: "WEB_AUTHN" })));
  assert.equal(again?.name, "InvalidParameterError", "no challenge was kept");
  await other.context.close();
});

test("a refused prompt at registration is a WebAuthnError; nothing is registered", async () => {
  await webauthnConfig({ UserVerification: "required" });
  try {
    const t = await tab({ userVerified: false });
    await newUser(t.page);
    const err = await t.page.evaluate(() => failure(auth.associatePasskey()));
    assert.equal(err?.name, "WebAuthnError", JSON.stringify(err));
    assert.equal(err.code, "NotAllowedError");
    assert.deepEqual(await t.page.evaluate(() => auth.listPasskeys()), { passkeys: [] });
    await t.context.close();
  } finally {
    await webauthnConfig({ UserVerification: "preferred" });
  }
});

test("deletePasskey, then the passkey no longer signs in", async () => {
  const t = await tab();
  const username = await newUser(t.page);
  await t.page.evaluate(() => auth.associatePasskey());
  const [{ credentialId }] = (await t.page.evaluate(() => auth.listPasskeys())).passkeys;
  await t.page.evaluate((id) => auth.deletePasskey({ credentialId: id }), credentialId);
  assert.deepEqual(await t.page.evaluate(() => auth.listPasskeys()), { passkeys: [] });
  const gone = await t.page.evaluate((id) => failure(auth.deletePasskey({ credentialId: id })), credentialId);
  assert.equal(gone?.name, "ResourceNotFoundException");
  await t.page.evaluate(() => auth.signOut());
  assert.equal((await t.stored()).length, 1, "the authenticator still holds it");
  const step = await passkeySignIn(t.page, username);
  assert.equal(step.signedIn, false, JSON.stringify(step));
  assert.equal(step.challenge, "SELECT_CHALLENGE");
  assert.ok(!step.availableChallenges.includes("WEB_AUTHN"), JSON.stringify(step));
  const refused = await t.page.evaluate(() => failure(auth.respondToChallenge({ answer: "WEB_AUTHN" })));
  assert.equal(refused?.name, "InvalidParameterError", JSON.stringify(refused)); // refused before sending
  assert.match(refused.message, /WEB_AUTHN is not (available|in availableChallenges)/);
  assert.equal(await t.page.evaluate(() => auth.getSession()), null);
  await t.context.close();
});

test("an origin the pool does not allow: registration and assertion refused by the emulator", async () => {
  const t = await tab();
  const username = await newUser(t.page);
  await t.page.evaluate(() => auth.associatePasskey());
  await t.page.evaluate(() => auth.signOut());
  await webauthnConfig({ AllowedOrigins: [new URL(url(servers[0])).origin] });
  try {
    // Same tab (same virtual authenticator), another port: same RP id, so Chromium signs.
    const count = (await t.stored())[0].signCount;
    await t.page.goto(url(servers[1]));
    await t.page.waitForFunction(() => window.ready === true);
    const err = await t.page.evaluate((u) => failure(auth.signIn({ username: u, flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" })), username);
    assert.equal(err?.name, "NotAuthorizedException", JSON.stringify(err));
    assert.match(err.message, /origin/);
    assert.equal((await t.stored())[0].signCount, count + 1, "the authenticator did sign");
    const fresh = await tab({ server: servers[1] }); // an authenticator without that credential
    await fresh.page.evaluate(([u, pw]) => auth.signIn({ username: u, password: pw }), [username, password]);
    const reg = await fresh.page.evaluate(() => failure(auth.associatePasskey()));
    assert.equal(reg?.name, "WebAuthnOriginNotAllowedException", JSON.stringify(reg));
    await fresh.context.close();
    // Back on the allowed origin the same passkey signs in.
    await t.page.evaluate(() => auth.signOut());
    await t.page.goto(url(servers[0]));
    await t.page.waitForFunction(() => window.ready === true);
    assert.equal((await passkeySignIn(t.page, username)).signedIn, true);
  } finally {
    await webauthnConfig({ AllowedOrigins: null });
  }
  await t.context.close();
});

// The TOTP set-up at MFA_SETUP is not in the signin modules (docs/design/weight.md): it needs
// associateSoftwareToken first, on the same object, and that call moves the object to the full
// module, which answers the MFA_SETUP challenge with VerifySoftwareToken. Through pkg/browser.js
// in Node, init({ wasm: (file) => bytes }) recording the files asked for, against the local
// emulator's MFA pool (COGNITO_EMULATOR_URL).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { CognitoAuth, MemoryStorage } from "../../pkg/browser.js";
import { cognitoCall } from "../hostile/emulator.mjs";
import { asked, cfg, endpoint, password, ready } from "./recorded-start.mjs";

const SIGNIN = "cognito_wasm_signin_plain_bg.wasm"; // plain options, nothing stored: signin_plain
const FULL = "cognito_wasm_browser_bg.wasm";

/** RFC 6238 (HMAC-SHA-1, 6 digits, 30 s) of a base32 secret. */
function totp(secret, seconds = Date.now() / 1000) {
  let bits = "";
  for (const c of secret.replace(/=+$/, "")) bits += "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".indexOf(c).toString(2).padStart(5, "0");
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(seconds / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1e6).padStart(6, "0");
}

const sent = [];
const recording = (request) => {
  sent.push(request.headers.get("x-amz-target")?.split(".").pop());
  return fetch(request);
};
// Made before any module is ready: built in the signin_plain module (nothing stored, plain options).
const auth = new CognitoAuth({ userPoolId: cfg.mfaUserPoolId, clientId: cfg.mfaClientId, endpoint, storage: new MemoryStorage(), fetch: recording });

test("MFA_SETUP from the signin_plain module: a code before associateSoftwareToken is refused there; the set-up completes in the full module", async () => {
  await ready;
  const username = `mfa-tier-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognitoCall(endpoint, "AdminCreateUser", { UserPoolId: cfg.mfaUserPoolId, Username: username, TemporaryPassword: password, MessageAction: "SUPPRESS" });
  await cognitoCall(endpoint, "AdminSetUserPassword", { UserPoolId: cfg.mfaUserPoolId, Username: username, Password: password, Permanent: true });
  const step = await auth.signIn({ username, password });
  assert.equal(step.challenge, "MFA_SETUP", JSON.stringify(step));
  assert.deepEqual(asked, [SIGNIN]);
  const before = sent.length;
  await assert.rejects(auth.respondToChallenge({ code: "123456" }), (e) => {
    assert.equal(e.name, "InvalidParameterError");
    assert.match(e.message, /associateSoftwareToken first/);
    return true;
  });
  assert.equal(sent.length, before, "refused before any request");
  assert.deepEqual(asked, [SIGNIN]);
  const { secretCode } = await auth.associateSoftwareToken({ issuer: "My App" });
  assert.deepEqual(asked, [SIGNIN, FULL], "associateSoftwareToken loads the full module");
  await assert.rejects(auth.respondToChallenge({ code: "000000" }), (e) => e.name === "EnableSoftwareTokenMFAException", "a wrong code keeps the challenge");
  const done = await auth.respondToChallenge({ code: totp(secretCode), friendlyDeviceName: "phone" });
  assert.equal(done.signedIn, true, JSON.stringify(done));
  assert.equal(done.session.username, username);
  assert.ok(sent.includes("VerifySoftwareToken"));
  assert.equal((await auth.getUser()).preferredMfa, "SOFTWARE_TOKEN_MFA");
});

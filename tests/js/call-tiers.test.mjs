// Which calls need a higher browser module by their arguments (scripts/pkg-src/call-tiers.js, the
// rules, pure): the passkey sign-in and USER_AUTH, which the signin module leaves to the signup module; and the
// map the package build made from scripts/build-pkg's features (pkg/browser.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { PASSKEY_SIGN_IN, ROUTED, USER_AUTH, featureOf, tierFor } from "../../scripts/pkg-src/call-tiers.js";

test("featureOf: signIn with preferredChallenge WEB_AUTHN and respondToChallenge with answer WEB_AUTHN need the passkey sign-in", () => {
  assert.equal(featureOf("CognitoAuth", "signIn", [{ username: "a", flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }]), PASSKEY_SIGN_IN);
  assert.equal(featureOf("CognitoAuth", "signIn", [{ username: "a", preferredChallenge: "WEB_AUTHN" }]), PASSKEY_SIGN_IN, "the flow is the module's to check");
  assert.equal(featureOf("CognitoAuth", "respondToChallenge", [{ answer: "WEB_AUTHN" }]), PASSKEY_SIGN_IN);
  assert.equal(featureOf("CognitoAuth", "respondToChallenge", [{ answer: "WEB_AUTHN", clientMetadata: { a: "b" } }]), PASSKEY_SIGN_IN);
  assert.deepEqual(ROUTED, [PASSKEY_SIGN_IN, USER_AUTH]);
});

test("featureOf: signIn with flow USER_AUTH (any other preferredChallenge, or none) needs USER_AUTH", () => {
  assert.equal(featureOf("CognitoAuth", "signIn", [{ username: "a", flow: "USER_AUTH" }]), USER_AUTH);
  assert.equal(featureOf("CognitoAuth", "signIn", [{ username: "a", flow: "USER_AUTH", preferredChallenge: "EMAIL_OTP" }]), USER_AUTH);
  assert.equal(featureOf("CognitoAuth", "signIn", [{ username: "a", flow: "USER_AUTH", preferredChallenge: "PASSWORD_SRP", password: "p" }]), USER_AUTH);
  assert.equal(featureOf("CognitoAuth", "signIn", [{ username: "a", flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }]), PASSKEY_SIGN_IN, "the passkey names its own feature");
  const proxied = new Proxy({}, { get: (_, key) => (key === "flow" ? "USER_AUTH" : undefined) });
  assert.equal(featureOf("CognitoAuth", "signIn", [proxied]), USER_AUTH, "read as a property, like the module does");
  // Only signIn starts a USER_AUTH sign-in; its later answers run where it started.
  assert.equal(featureOf("CognitoAuth", "respondToChallenge", [{ flow: "USER_AUTH" }]), undefined);
  assert.equal(featureOf("CognitoAuth", "preload", [{ flow: "USER_AUTH" }]), undefined);
  assert.equal(featureOf("CognitoJwtVerifier", "signIn", [{ flow: "USER_AUTH" }]), undefined);
});

test("featureOf: every other call needs nothing more", () => {
  const none = [
    ["CognitoAuth", "signIn", [{ username: "a", password: "p" }]],
    ["CognitoAuth", "signIn", [{ username: "a", flow: "USER_SRP_AUTH" }]],
    ["CognitoAuth", "signIn", [{ username: "a", flow: "CUSTOM_AUTH", srp: true }]],
    ["CognitoAuth", "signIn", [{ username: "a", flow: "user_auth" }]],
    ["CognitoAuth", "signIn", [{ username: "a", preferredChallenge: "web_authn" }]],
    ["CognitoAuth", "signIn", [{ username: "a", answer: "WEB_AUTHN" }]],
    ["CognitoAuth", "respondToChallenge", [{ answer: "EMAIL_OTP" }]],
    ["CognitoAuth", "respondToChallenge", [{ code: "123456" }]],
    ["CognitoAuth", "respondToChallenge", [{ preferredChallenge: "WEB_AUTHN" }]],
    ["CognitoAuth", "respondToChallenge", [{}]],
    ["CognitoAuth", "getSession", [{ answer: "WEB_AUTHN" }]],
    ["CognitoJwtVerifier", "signIn", [{ preferredChallenge: "WEB_AUTHN" }]],
  ];
  for (const [name, member, args] of none) assert.equal(featureOf(name, member, args), undefined, `${name}.${member}(${JSON.stringify(args)})`);
});

test("featureOf: arguments that are not an object, or whose getter throws, need nothing more", () => {
  for (const args of [[], [undefined], [null], ["WEB_AUTHN"], [42], [true]]) {
    assert.equal(featureOf("CognitoAuth", "signIn", args), undefined, JSON.stringify(args));
    assert.equal(featureOf("CognitoAuth", "respondToChallenge", args), undefined, JSON.stringify(args));
  }
  const hostile = { get preferredChallenge() { throw new Error("boom"); }, get answer() { throw new Error("boom"); }, get flow() { throw new Error("boom"); } };
  assert.equal(featureOf("CognitoAuth", "signIn", [hostile]), undefined);
  assert.equal(featureOf("CognitoAuth", "respondToChallenge", [hostile]), undefined);
  const proxied = new Proxy({}, { get: (_, key) => (key === "preferredChallenge" ? "WEB_AUTHN" : undefined) });
  assert.equal(featureOf("CognitoAuth", "signIn", [proxied]), PASSKEY_SIGN_IN, "read as a property, like the module does");
});

test("tierFor: the lowest module built with the feature, undefined for calls that need none", () => {
  const features = { [PASSKEY_SIGN_IN]: 2 };
  assert.equal(tierFor(features, "CognitoAuth", "signIn", [{ preferredChallenge: "WEB_AUTHN" }]), 2);
  assert.equal(tierFor(features, "CognitoAuth", "respondToChallenge", [{ answer: "WEB_AUTHN" }]), 2);
  assert.equal(tierFor({ [PASSKEY_SIGN_IN]: 3 }, "CognitoAuth", "respondToChallenge", [{ answer: "WEB_AUTHN" }]), 3);
  assert.equal(tierFor(features, "CognitoAuth", "signIn", [{ password: "p" }]), undefined);
  assert.equal(tierFor({ [PASSKEY_SIGN_IN]: 3, [USER_AUTH]: 3 }, "CognitoAuth", "signIn", [{ flow: "USER_AUTH" }]), 3);
  assert.equal(tierFor(features, "CognitoAuth", "respondToChallenge", [{ answer: "SMS_OTP" }]), undefined);
});

test("pkg/browser.js routes the passkey sign-in and USER_AUTH to the signup module (scripts/build-pkg's features)", () => {
  const entry = readFileSync(new URL("../../pkg/browser.js", import.meta.url), "utf8");
  assert.match(entry, /\{"passkey-sign-in":4,"user-auth":4\}/, "the signup module (index 4: restore, session, signin_plain, signin, signup, full) is the lowest built with passkey-sign-in and with user-auth");
});

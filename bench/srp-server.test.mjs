// Self-checks of bench/srp-server.mjs (not part of scripts/test): node --test bench/srp-server.test.mjs
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  K_MULTIPLIER, N, computeU, computeX, deriveKey, formatTimestamp, padHex, parseTimestamp, powG, powMod,
  serverEphemeral, serverS, signatureBytes, start,
} from "./srp-server.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const file = JSON.parse(readFileSync(join(root, "tests/srp-vectors.json"), "utf8"));
const acij = (await import("amazon-cognito-identity-js")).default;

test("the pieces of tests/srp-vectors.json that do not depend on the server's b", () => {
  assert.equal(K_MULTIPLIER.toString(16), file.k);
  for (const vec of file.vectors.slice(0, 8)) {
    const poolName = vec.userPoolId.split("_")[1];
    const A = BigInt("0x" + vec.A), B = BigInt("0x" + vec.B), a = BigInt("0x" + vec.a);
    assert.equal(padHex(powG(a)), vec.A, "A = g^a by OpenSSL");
    assert.equal(padHex(computeU(A, B)), vec.u);
    assert.equal(padHex(computeX(poolName, vec.userIdForSrp, vec.password, vec.salt)), vec.x);
    const key = deriveKey(BigInt("0x" + vec.u), BigInt("0x" + vec.S));
    assert.equal(key.toString("hex"), vec.key);
    const sig = signatureBytes(Buffer.from(vec.key, "hex"), poolName, vec.userIdForSrp, Buffer.from(vec.secretBlock, "base64"), vec.timestamp);
    assert.equal(sig.toString("base64"), vec.signature);
    assert.equal(formatTimestamp(parseTimestamp(vec.timestamp)), vec.timestamp);
  }
});

test("server S = client S for the vector's a and x and a fresh b (OpenSSL exponentiations)", () => {
  const vec = file.vectors[0];
  const a = BigInt("0x" + vec.a), A = BigInt("0x" + vec.A), x = BigInt("0x" + vec.x);
  const v = powG(x);
  for (let i = 0; i < 4; i++) {
    const { b, B } = serverEphemeral(v);
    const u = computeU(A, B);
    const base = (((B - K_MULTIPLIER * powG(x)) % N) + N) % N;
    assert.equal(serverS(A, v, u, b), powMod(base, a + u * x));
  }
});

test("TIMESTAMP parsing is strict", () => {
  assert.ok(parseTimestamp("Tue Mar 4 09:05:07 UTC 2025"));
  assert.equal(parseTimestamp("Tue Mar 04 09:05:07 UTC 2025"), null); // padded day
  assert.equal(parseTimestamp("Wed Mar 4 09:05:07 UTC 2025"), null); // wrong weekday
});

function theirSignIn(server, username, password) {
  const Pool = new acij.CognitoUserPool({ UserPoolId: server.userPoolId, ClientId: server.clientId, endpoint: server.endpoint });
  return new Promise((ok, fail) =>
    new acij.CognitoUser({ Username: username, Pool }).authenticateUser(
      new acij.AuthenticationDetails({ Username: username, Password: password }), { onSuccess: ok, onFailure: fail }));
}

test("amazon-cognito-identity-js signs in with the right password only", async () => {
  const server = await start({ port: 0 });
  try {
    for (let i = 0; i < 6; i++) server.addUser(`user-${i}-Ω`, "Right-Passw0rd!Ω");
    for (let i = 0; i < 6; i++) {
      const session = await theirSignIn(server, `user-${i}-Ω`, "Right-Passw0rd!Ω");
      assert.equal(session.getIdToken().decodePayload()["cognito:username"], `user-${i}-Ω`);
      assert.equal(session.getAccessToken().decodePayload().token_use, "access");
    }
    await assert.rejects(theirSignIn(server, "user-0-Ω", "Wrong-Passw0rd!Ω"), (e) => e.code === "NotAuthorizedException");
    await assert.rejects(theirSignIn(server, "nobody", "x"), (e) => e.code === "UserNotFoundException");
    assert.equal(server.stats.signedIn, 6);
    assert.equal(server.stats.rejected, 1);
  } finally {
    await server.close();
  }
});

test("a raw request: bad SRP_A, replayed session, stale TIMESTAMP, unknown target, preflight", async () => {
  const server = await start({ port: 0 });
  const call = async (op, body, headers = {}) => {
    const res = await fetch(server.endpoint, {
      method: "POST", body: JSON.stringify(body),
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${op}`, ...headers },
    });
    return { status: res.status, type: res.headers.get("x-amzn-errortype"), json: await res.json() };
  };
  try {
    server.addUser("bob", "pw");
    const bad = await call("InitiateAuth", { AuthFlow: "USER_SRP_AUTH", ClientId: server.clientId, AuthParameters: { USERNAME: "bob", SRP_A: N.toString(16) } });
    assert.deepEqual([bad.status, bad.type, bad.json.__type], [400, "InvalidParameterException", "InvalidParameterException"]);
    const A = powG(BigInt("0x" + randomBytes(32).toString("hex")));
    const init = await call("InitiateAuth", { AuthFlow: "USER_SRP_AUTH", ClientId: server.clientId, AuthParameters: { USERNAME: "bob", SRP_A: A.toString(16) } });
    assert.equal(init.json.ChallengeName, "PASSWORD_VERIFIER");
    assert.match(init.json.ChallengeParameters.SALT, /^[0-9a-f]{32}$/);
    const p = init.json.ChallengeParameters;
    const stale = formatTimestamp(new Date(Date.now() - 10 * 60 * 1000));
    const responses = { USERNAME: "bob", PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: stale, PASSWORD_CLAIM_SIGNATURE: "AAAA" };
    const r1 = await call("RespondToAuthChallenge", { ChallengeName: "PASSWORD_VERIFIER", ClientId: server.clientId, Session: init.json.Session, ChallengeResponses: responses });
    assert.equal(r1.type, "NotAuthorizedException");
    const r2 = await call("RespondToAuthChallenge", { ChallengeName: "PASSWORD_VERIFIER", ClientId: server.clientId, Session: init.json.Session, ChallengeResponses: responses });
    assert.equal(r2.type, "NotAuthorizedException"); // the session is gone
    assert.equal((await call("SignUp", {})).type, "UnknownOperationException");
    const pre = await fetch(server.endpoint, { method: "OPTIONS", headers: { origin: "http://x", "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-amz-target" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-origin"), "*");
    assert.match(pre.headers.get("access-control-allow-headers"), /x-amz-target/);
  } finally {
    await server.close();
  }
});

const oursPath = join(root, "pkg/node.js");
test("cognito-wasm (pkg/node.js) signs in with the right password only", { skip: !existsSync(oursPath) && "no pkg/" }, async () => {
  const { CognitoAuth } = await import(pathToFileURL(oursPath).href);
  const server = await start({ port: 0 });
  try {
    server.addUser("carol", "Right-Passw0rd!Ω");
    const auth = new CognitoAuth({ userPoolId: server.userPoolId, clientId: server.clientId, endpoint: server.endpoint });
    const r = await auth.signIn({ username: "carol", password: "Right-Passw0rd!Ω" });
    assert.equal(r.signedIn, true);
    await assert.rejects(new CognitoAuth({ userPoolId: server.userPoolId, clientId: server.clientId, endpoint: server.endpoint })
      .signIn({ username: "carol", password: "wrong" }), (e) => /NotAuthorized/.test(`${e.name} ${e.code} ${e.message}`));
  } finally {
    await server.close();
  }
});

test("cognito-wasm (pkg/node.js) refreshes and signs out; a revoked refresh token is refused", { skip: !existsSync(oursPath) && "no pkg/" }, async () => {
  const { CognitoAuth } = await import(pathToFileURL(oursPath).href);
  const server = await start({ port: 0 });
  try {
    server.addUser("dave", "Right-Passw0rd!Ω");
    const auth = new CognitoAuth({ userPoolId: server.userPoolId, clientId: server.clientId, endpoint: server.endpoint });
    assert.equal((await auth.signIn({ username: "dave", password: "Right-Passw0rd!Ω" })).signedIn, true);
    const before = await auth.getSession();
    const after = await auth.refreshSession();
    assert.equal(after.username, "dave");
    assert.notEqual(after.accessToken, before.accessToken);
    await auth.signOut();
    assert.equal(await auth.getSession(), null);
    assert.deepEqual([server.stats.refreshed, server.stats.revoked], [1, 1]);
    const call = async (operation, body) => {
      const res = await fetch(server.endpoint, { method: "POST", body: JSON.stringify(body), headers: { "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` } });
      return { status: res.status, json: await res.json() };
    };
    const refresh = (token) => call("InitiateAuth", { ClientId: server.clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: token } });
    assert.ok(before.refreshToken, "the session carries its refresh token");
    for (const token of [before.refreshToken, "never-issued"]) {
      const refused = await refresh(token);
      assert.deepEqual([refused.status, refused.json.__type], [400, "NotAuthorizedException"], "revoked by signOut, or never issued");
    }
  } finally {
    await server.close();
  }
});

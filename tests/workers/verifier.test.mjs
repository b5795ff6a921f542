// Token verification in workerd (miniflare), through the middleware and CognitoJwtVerifier:
// tokens forged with a test RSA key served as the pool's JWKS by a local server, so each check can
// be failed on purpose. Also the same verifier in Node (pkg/node.js).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readSource, signJwt, startJwksServer, startWorker, testKey } from "./helpers.mjs";

const CLIENT = "testclient1";
const POOL = "us-east-1_Forged";
let key, jwks, mf;

before(async () => {
  key = testKey("k1");
  jwks = await startJwksServer([key.jwk]);
  const source = await readSource("tests/workers/fixture/worker.js");
  mf = await startWorker(source, { bindings: { CLIENT_ID: CLIENT, ENDPOINT: jwks.endpoint, POOL } });
});

after(async () => {
  await mf?.dispose();
  await jwks?.close();
});

const now = () => Math.floor(Date.now() / 1000);

function accessClaims(pool = POOL, extra = {}) {
  return {
    sub: "sub-1", iss: jwks.issuer(pool), token_use: "access", client_id: CLIENT, username: "alice",
    scope: "aws.cognito.signin.user.admin", iat: now(), exp: now() + 600, ...extra,
  };
}

const rs256 = (claims, kid = key.kid) => signJwt({ alg: "RS256", kid }, claims, { key: key.privateKey });

async function call(token, { pool = POOL, path = "/api", headers = {} } = {}) {
  const response = await mf.dispatchFetch(`http://worker.test${path}`, {
    headers: { "x-pool": pool, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

async function expectRefused(token, check, options) {
  const { status, body, headers } = await call(token, options);
  assert.equal(status, 401, JSON.stringify(body));
  assert.equal(body.check, check);
  assert.equal(body.error, "unauthorized");
  assert.match(headers.get("www-authenticate"), new RegExp(`^Bearer error="invalid_token".*${check}`));
}

test("a valid access token → 200 with its claims", async () => {
  const { status, body } = await call(rs256(accessClaims()));
  assert.equal(status, 200);
  assert.equal(body.claims.username, "alice");
  assert.equal(body.claims.client_id, CLIENT);
  assert.equal(body.refreshed, false);
});

test("no token → 401 MissingToken", () => expectRefused(null, "MissingToken"));

test("a tampered payload fails the signature", async () => {
  const [header, , signature] = rs256(accessClaims()).split(".");
  const forged = Buffer.from(JSON.stringify(accessClaims(POOL, { username: "mallory" }))).toString("base64url");
  await expectRefused(`${header}.${forged}.${signature}`, "Signature");
});

test("a signature by another key with the pool's kid fails the signature", async () => {
  const other = testKey(key.kid);
  await expectRefused(signJwt({ alg: "RS256", kid: key.kid }, accessClaims(), { key: other.privateKey }), "Signature");
});

test("wrong issuer, wrong client id, missing exp, expired, future nbf → 401 naming each", async () => {
  const real = `https://cognito-idp.us-east-1.amazonaws.com/${POOL}`;
  await expectRefused(rs256(accessClaims(POOL, { iss: real })), "Issuer");
  await expectRefused(rs256(accessClaims(POOL, { client_id: "someoneelse" })), "ClientId");
  await expectRefused(rs256(accessClaims(POOL, { exp: undefined })), "MissingExp");
  await expectRefused(rs256(accessClaims(POOL, { exp: now() - 5 })), "Expired");
  await expectRefused(rs256(accessClaims(POOL, { nbf: now() + 600 })), "NotYetValid");
});

test("alg none and HS256 signed with the public key → 401 Algorithm", async () => {
  await expectRefused(signJwt({ alg: "none", kid: key.kid }, accessClaims()), "Algorithm");
  const hs = signJwt({ alg: "HS256", kid: key.kid }, accessClaims(), { hmacSecret: key.publicPem });
  await expectRefused(hs, "Algorithm");
});

test("an ID token where an access token is required, and the reverse → 401 TokenUse", async () => {
  const idClaims = { ...accessClaims(), token_use: "id", aud: CLIENT, client_id: undefined };
  await expectRefused(rs256(idClaims), "TokenUse");

  const verifyId = async (token) => {
    const r = await mf.dispatchFetch("http://worker.test/verify-id", { method: "POST", body: token, headers: { "x-pool": POOL } });
    return { status: r.status, body: await r.json() };
  };
  const good = await verifyId(rs256(idClaims));
  assert.equal(good.status, 200, JSON.stringify(good.body));
  assert.equal(good.body.claims.aud, CLIENT);
  const reverse = await verifyId(rs256(accessClaims()));
  assert.deepEqual([reverse.status, reverse.body], [401, { error: "JwtVerificationError", check: "TokenUse" }]);
  const wrongAud = await verifyId(rs256({ ...idClaims, aud: "someoneelse" }));
  assert.equal(wrongAud.body.check, "Audience");
});

test("an unknown kid → 401 UnknownKid after exactly one JWKS refetch", async () => {
  const pool = "us-east-1_Kid";
  assert.equal((await call(rs256(accessClaims(pool)), { pool })).status, 200);
  assert.equal(jwks.fetchCount(pool), 1);
  await expectRefused(rs256(accessClaims(pool), "rotated-away"), "UnknownKid", { pool });
  assert.equal(jwks.fetchCount(pool), 2, "one refetch for the unknown kid");
  await expectRefused(rs256(accessClaims(pool), "another-unknown"), "UnknownKid", { pool });
  assert.equal(jwks.fetchCount(pool), 2, "no refetch during the penalty window");
  assert.equal((await call(rs256(accessClaims(pool)), { pool })).status, 200, "known keys still verify");
});

test("JWKS endpoint down → 503 JwksUnavailable, then no request storm", async () => {
  const pool = "us-east-1_Down";
  jwks.state.down = true;
  try {
    const token = rs256(accessClaims(pool));
    const results = await Promise.all(Array.from({ length: 5 }, () => call(token, { pool })));
    for (const { status, body, headers } of results) {
      assert.equal(status, 503);
      assert.deepEqual([body.error, body.check], ["unavailable", "JwksUnavailable"]);
      assert.equal(headers.get("retry-after"), "10");
    }
    assert.equal(jwks.fetchCount(pool), 1, "concurrent requests share one fetch");
    assert.equal((await call(token, { pool })).status, 503);
    assert.equal(jwks.fetchCount(pool), 1, "no fetch during the penalty window");
  } finally {
    jwks.state.down = false;
  }
  // The isolate survived: other pools still verify.
  assert.equal((await call(rs256(accessClaims()))).status, 200);
});

test("the same verifier in Node (pkg/node.js)", async () => {
  const { CognitoJwtVerifier } = await import("../../pkg/node.js");
  const verifier = new CognitoJwtVerifier({ userPoolId: POOL, clientId: [CLIENT, "other"], tokenUse: "access", endpoint: jwks.endpoint });
  const claims = await verifier.verify(rs256(accessClaims()));
  assert.equal(claims.username, "alice");
  const refused = await verifier.verify(rs256(accessClaims(POOL, { exp: now() - 1 }))).then(() => null, (e) => e);
  assert.ok(refused instanceof Error);
  assert.deepEqual([refused.name, refused.code, refused.retryable], ["JwtVerificationError", "Expired", false]);
  assert.throws(() => new CognitoJwtVerifier({ userPoolId: POOL, clientId: [], tokenUse: "access" }), { name: "InvalidParameterError" });
  assert.throws(() => new CognitoJwtVerifier({ userPoolId: POOL, clientId: CLIENT, tokenUse: "refresh" }), { name: "InvalidParameterError" });
  // `clientId`, `groups` and `scopes`: a string or an array of strings, nothing else.
  for (const bad of [{ clientId: 5 }, { clientId: [CLIENT, 5] }, { groups: { a: 1 } }, { scopes: true }, { leewaySeconds: "1" }]) {
    assert.throws(() => new CognitoJwtVerifier({ userPoolId: POOL, clientId: CLIENT, tokenUse: "access", ...bad }),
      (e) => e.name === "InvalidParameterError" && /^CognitoJwtVerifier options: .*invalid type: /.test(e.message), JSON.stringify(bad));
  }
  const grouped = (groups) => new CognitoJwtVerifier({ userPoolId: POOL, clientId: CLIENT, tokenUse: "access", endpoint: jwks.endpoint, groups })
    .verify(rs256(accessClaims(POOL, { "cognito:groups": ["staff"] }))).then(() => "ok", (e) => e.code);
  assert.deepEqual(await Promise.all([grouped("staff"), grouped(["admins", "staff"]), grouped("admins")]), ["ok", "ok", "MissingGroup"]);
});

test("Node: a verify with the keys cached and one that waits for the JWKS give the same verdicts", async () => {
  const { CognitoJwtVerifier } = await import("../../pkg/node.js");
  const pool = "us-east-1_Paths";
  const options = { userPoolId: pool, clientId: CLIENT, tokenUse: "access", endpoint: jwks.endpoint, jwksPenaltyMs: 0 };
  const other = testKey(key.kid);
  const [header, payload] = rs256(accessClaims(pool)).split(".");
  const cases = {
    valid: rs256(accessClaims(pool, { "cognito:groups": ["b", "a"], zeta: 1, alpha: { nested: [1, "x"] } })),
    expired: rs256(accessClaims(pool, { exp: now() - 5 })),
    wrongClient: rs256(accessClaims(pool, { client_id: "someoneelse" })),
    // A forged token whose claims also fail is refused for its signature.
    forgedAndExpired: signJwt({ alg: "RS256", kid: key.kid }, accessClaims(pool, { exp: now() - 5 }), { key: other.privateKey }),
    forged: signJwt({ alg: "RS256", kid: key.kid }, accessClaims(pool), { key: other.privateKey }),
    badSignatureBase64: `${header}.${payload}.***`,
    badPayload: `${header}.!!!.${"A".repeat(342)}`,
    algNone: signJwt({ alg: "none", kid: key.kid }, accessClaims(pool)),
    unknownKid: rs256(accessClaims(pool), "not-in-the-jwks"),
  };
  const outcome = (promise) =>
    promise.then(
      (claims) => ({ claims: JSON.stringify(claims) }),
      (e) => ({ error: [e.name, e.code, e.retryable, e.message] }),
    );
  // Cached keys: the verifier has fetched the JWKS once already.
  const warm = new CognitoJwtVerifier(options);
  await warm.verify(cases.valid);
  const cached = {};
  for (const [name, token] of Object.entries(cases)) cached[name] = await outcome(warm.verify(token));
  // Cold: a new verifier per token, so each verify waits for the JWKS fetch.
  for (const [name, token] of Object.entries(cases)) {
    const cold = await outcome(new CognitoJwtVerifier(options).verify(token));
    assert.deepEqual(cold, cached[name], name);
  }
  assert.equal(cached.valid.claims, JSON.stringify(JSON.parse(Buffer.from(cases.valid.split(".")[1], "base64url"))), "the payload as sent");
  assert.deepEqual(cached.expired.error.slice(0, 2), ["JwtVerificationError", "Expired"]);
  assert.deepEqual(cached.wrongClient.error.slice(0, 2), ["JwtVerificationError", "ClientId"]);
  assert.deepEqual(cached.forgedAndExpired.error.slice(0, 2), ["JwtVerificationError", "Signature"]);
  assert.deepEqual(cached.forged.error.slice(0, 2), ["JwtVerificationError", "Signature"]);
  assert.deepEqual(cached.badSignatureBase64.error.slice(0, 2), ["JwtVerificationError", "Malformed"]);
  assert.deepEqual(cached.badPayload.error.slice(0, 2), ["JwtVerificationError", "Malformed"]);
  assert.deepEqual(cached.algNone.error.slice(0, 2), ["JwtVerificationError", "Algorithm"]);
  assert.deepEqual(cached.unknownKid.error.slice(0, 2), ["JwtVerificationError", "UnknownKid"]);
});

test("Node: verifies started while the JWKS fetch is in flight share it, then the cached keys serve", async () => {
  const { CognitoJwtVerifier } = await import("../../pkg/node.js");
  const pool = "us-east-1_InFlight";
  const verifier = new CognitoJwtVerifier({ userPoolId: pool, clientId: CLIENT, tokenUse: "access", endpoint: jwks.endpoint });
  const tokens = Array.from({ length: 20 }, (_, i) => rs256(accessClaims(pool, { username: `u${i}`, ...(i % 5 === 4 ? { exp: now() - 5 } : {}) })));
  const settle = (t) => verifier.verify(t).then((c) => c.username, (e) => e.code);
  const expected = tokens.map((_, i) => (i % 5 === 4 ? "Expired" : `u${i}`));
  assert.deepEqual(await Promise.all(tokens.map(settle)), expected, "all waiting on one fetch");
  assert.equal(jwks.fetchCount(pool), 1);
  assert.deepEqual(await Promise.all(tokens.map(settle)), expected, "all from the cache");
  assert.equal(jwks.fetchCount(pool), 1);
});

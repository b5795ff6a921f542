// Issue 21, finding 5: JWKS keys Cognito never uses are skipped before WebCrypto sees them. In
// Node, WebCrypto imports a 512-bit RSA key and one with e = 1 (for which the "signature" of a
// message is the padded message itself, so anyone can sign); both were accepted. Now a token
// under either kid is refused as UnknownKid, while a 2048-bit key with e = 65537 still verifies.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync } from "node:crypto";
import { CognitoJwtVerifier } from "../../pkg/node.js";
import { signJwt, startJwksServer, testKey } from "../workers/helpers.mjs";

const CLIENT = "weakkeyclient";
const POOL = "us-east-1_WeakKeys";
const b64url = (data) => Buffer.from(data).toString("base64url");
let strong, weak, jwks;

/** PKCS#1 v1.5 (EMSA) encoding of SHA-256(`input`) in `bytes` bytes: with e = 1, the signature. */
function emsaSha256(input, bytes) {
  const digestInfo = Buffer.concat([Buffer.from("3031300d060960864801650304020105000420", "hex"), createHash("sha256").update(input).digest()]);
  return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(bytes - digestInfo.length - 3, 0xff), Buffer.from([0]), digestInfo]);
}

const E1 = { kty: "RSA", kid: "e-is-one", alg: "RS256", use: "sig", n: b64url(Buffer.alloc(256, 0xff)), e: "AQ" };

// A hang fails in seconds, naming the hook or test, instead of stalling the run.
const LIMIT = { timeout: 30_000 };

before(async () => {
  strong = testKey("strong");
  const pair = generateKeyPairSync("rsa", { modulusLength: 512 });
  weak = { privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: "jwk" }), kid: "rsa-512", alg: "RS256", use: "sig" } };
  jwks = await startJwksServer([strong.jwk, weak.jwk, E1]);
}, LIMIT);
after(() => jwks?.close(), LIMIT);

const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({ sub: "s", iss: jwks.issuer(POOL), token_use: "access", client_id: CLIENT, username: "mallory", iat: now(), exp: now() + 600 });
const verifier = () => new CognitoJwtVerifier({ userPoolId: POOL, clientId: CLIENT, tokenUse: "access", endpoint: jwks.endpoint, jwksPenaltyMs: 0 });
const outcome = (p) => p.then((c) => ({ accepted: c.username }), (e) => ({ name: e.name, code: e.code }));

test("a 2048-bit key with e = 65537 verifies (the control)", LIMIT, async () => {
  const token = signJwt({ alg: "RS256", kid: "strong" }, claims(), { key: strong.privateKey });
  assert.deepEqual(await outcome(verifier().verify(token)), { accepted: "mallory" });
});

test("a token under a 512-bit JWKS key is refused (the key is skipped)", LIMIT, async () => {
  const token = signJwt({ alg: "RS256", kid: "rsa-512" }, claims(), { key: weak.privateKey });
  assert.deepEqual(await outcome(verifier().verify(token)), { name: "JwtVerificationError", code: "UnknownKid" });
});

test("a token \"signed\" without a private key under an e = 1 JWKS key is refused", LIMIT, async () => {
  const input = `${b64url(JSON.stringify({ alg: "RS256", kid: "e-is-one" }))}.${b64url(JSON.stringify(claims()))}`;
  const token = `${input}.${b64url(emsaSha256(input, 256))}`;
  assert.deepEqual(await outcome(verifier().verify(token)), { name: "JwtVerificationError", code: "UnknownKid" });
});

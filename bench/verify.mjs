// Benchmark (not a test) of issue 6: RS256 access-token verification throughput in Node, this
// library's CognitoJwtVerifier.verify (parse, header, key cache, WebCrypto verify, every claim
// check) next to raw crypto.subtle.verify (signature only, key imported and bytes decoded ahead)
// and aws-jwt-verify's WebCrypto path when it is installed (npm i -D aws-jwt-verify).
//   node bench/verify.mjs [--seconds 4]     (needs pkg/ from scripts/build-pkg)
// Prints one table. The rows alternate call by call (batch by batch with 64 in flight), so the
// load of a shared machine hits every row alike. Then, for context only, a second process without
// the "browser" condition measures aws-jwt-verify's default Node path (node:crypto) next to the
// same two rows.
import { spawnSync } from "node:child_process";
import { webcrypto } from "node:crypto";

// aws-jwt-verify picks node:crypto in Node and WebCrypto under the "browser" export condition;
// the comparison asked for is its WebCrypto path (what runs in browsers and Workers).
const nodeContext = process.argv.includes("--aws-node-context");
if (!nodeContext && !process.execArgv.includes("--conditions=browser")) {
  const args = [...process.execArgv, ...process.argv.slice(1)];
  const run = spawnSync(process.execPath, ["--conditions=browser", ...args], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
  const context = spawnSync(process.execPath, [...args, "--aws-node-context"], { stdio: "inherit" });
  process.exit(context.status ?? 1);
}
const { signJwt, startJwksServer, testKey } = await import("../tests/workers/helpers.mjs");
const { CognitoJwtVerifier } = await import("../pkg/node.js");

const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 4;
const POOL = "us-east-1_Bench";
const CLIENT = "benchclient";
const key = testKey("bench-kid");
const jwks = await startJwksServer([key.jwk]);
const now = Math.floor(Date.now() / 1000);
const tokens = Array.from({ length: 64 }, (_, i) =>
  signJwt({ alg: "RS256", kid: key.kid }, {
    sub: `sub-${i}`, iss: jwks.issuer(POOL), token_use: "access", client_id: CLIENT, username: `user${i}`,
    scope: "aws.cognito.signin.user.admin", iat: now, exp: now + 3600, jti: `${i}`,
  }, { key: key.privateKey }));

/**
 * Verifications per second of each row with `batch` calls in flight. The rows alternate batch by
 * batch for `seconds`, so the load of a shared machine hits every row alike.
 */
async function measure(rows, batch) {
  const time = rows.map(() => 0);
  const count = rows.map(() => 0);
  let next = 0;
  const end = performance.now() + seconds * 1000;
  for (let warm = 0; warm < 20; warm++) for (const [, verify] of rows) await verify(tokens[0]);
  while (performance.now() < end) {
    for (const [i, [, verify]] of rows.entries()) {
      const start = performance.now();
      await Promise.all(Array.from({ length: batch }, () => verify(tokens[next++ % tokens.length])));
      time[i] += performance.now() - start;
      count[i] += batch;
    }
  }
  return count.map((n, i) => (n * 1000) / time[i]);
}

const ours = new CognitoJwtVerifier({ userPoolId: POOL, clientId: CLIENT, tokenUse: "access", endpoint: jwks.endpoint });
const subtle = webcrypto.subtle;
const rawKey = await subtle.importKey("jwk", key.jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
const decoded = new Map(tokens.map((t) => {
  const dot = t.lastIndexOf(".");
  return [t, [Buffer.from(t.slice(dot + 1), "base64url"), Buffer.from(t.slice(0, dot))]];
}));
const raw = async (t) => {
  const [signature, data] = decoded.get(t);
  if (!(await subtle.verify("RSASSA-PKCS1-v1_5", rawKey, signature, data))) throw new Error("bad signature");
};

const rows = [
  ["cognito-wasm CognitoJwtVerifier.verify", (t) => ours.verify(t)],
  ["raw crypto.subtle.verify", raw],
];
let awsNote = "aws-jwt-verify: not installed (npm i -D aws-jwt-verify to compare)";
try {
  const { JwtRsaVerifier } = await import("aws-jwt-verify");
  const theirs = JwtRsaVerifier.create({ issuer: jwks.issuer(POOL), audience: null, jwksUri: `${jwks.issuer(POOL)}/.well-known/jwks.json` });
  // aws-jwt-verify fetches JWKS over https only: hand it the same keys (its WebCrypto path is what is measured).
  theirs.cacheJwks(await (await fetch(`${jwks.issuer(POOL)}/.well-known/jwks.json`)).json());
  rows.push([nodeContext ? "aws-jwt-verify (node:crypto path)" : "aws-jwt-verify (WebCrypto path)", (t) => theirs.verify(t)]);
  awsNote = "";
} catch {}
if (nodeContext && awsNote) process.exit(0); // nothing to add without aws-jwt-verify

for (const [, verify] of rows) await verify(tokens[0]); // JWKS fetched, keys imported
const sequential = await measure(rows, 1);
const inFlight = await measure(rows, 64);
const results = rows.map(([name], i) => [name, sequential[i], inFlight[i]]);
await jwks.close();

const rawSeq = results[1][1];
const rawPar = results[1][2];
const fmt = (n) => Math.round(n).toLocaleString("en-US").padStart(9);
const ratio = (n, base) => `${(n / base).toFixed(2)}×`.padStart(6);
console.log(nodeContext
  ? `\nContext only (a separate process, no "browser" condition): aws-jwt-verify's default Node path\n`
  : `\nRS256 verification throughput, Node ${process.version}, ${seconds} s per column, rows interleaved\n`);
console.log("| implementation                          | sequential /s | vs raw | 64 in flight /s | vs raw |");
console.log("| --------------------------------------- | ------------- | ------ | --------------- | ------ |");
for (const [name, seq, par] of results) {
  console.log(`| ${name.padEnd(39)} | ${fmt(seq).padStart(13)} | ${ratio(seq, rawSeq)} | ${fmt(par).padStart(15)} | ${ratio(par, rawPar)} |`);
}
const [, oursSeq, oursPar] = results[0];
const aws = results.find(([n]) => n.startsWith("aws"));
if (nodeContext) {
  console.log(`\ncognito-wasm vs aws-jwt-verify's node:crypto path: ${(oursSeq / aws[1]).toFixed(2)}× sequential, ${(oursPar / aws[2]).toFixed(2)}× in flight`);
  process.exit(0);
}
console.log(`\ngoal: within 1.5× of raw subtle.verify → sequential ${(rawSeq / oursSeq).toFixed(2)}×, 64 in flight ${(rawPar / oursPar).toFixed(2)}× slower`);
console.log(aws ? `goal: ≥ 2× aws-jwt-verify → ${(oursSeq / aws[1]).toFixed(2)}× sequential, ${(oursPar / aws[2]).toFixed(2)}× in flight` : awsNote);

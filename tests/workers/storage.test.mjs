// KvStorage over a real KV binding and CookieJar, inside workerd (miniflare).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cookieHeader, readSource, startWorker } from "./helpers.mjs";

let mf;
before(async () => {
  mf = await startWorker(await readSource("tests/workers/fixture/worker.js"), {
    bindings: { CLIENT_ID: "c", ENDPOINT: "http://127.0.0.1:9/", POOL: "us-east-1_X" },
  });
});
after(() => mf?.dispose());

const post = async (path, body, headers = {}) => {
  const r = await mf.dispatchFetch(`http://worker.test${path}`, { method: "POST", body: JSON.stringify(body), headers });
  return { status: r.status, headers: r.headers, body: await r.json() };
};

test("KvStorage: set, get, remove under a prefix, with expirationTtl on every write", async () => {
  const key = "CognitoIdentityServiceProvider.c.alice.refreshToken";
  const ttl = 7 * 24 * 3600;
  assert.deepEqual((await post("/kv", { op: "get", key, prefix: "s:" })).body, { value: null });
  assert.deepEqual((await post("/kv", { op: "set", key, value: "r-1", prefix: "s:", expirationTtl: ttl })).body, { value: null });
  assert.deepEqual((await post("/kv", { op: "get", key, prefix: "s:" })).body, { value: "r-1" });

  const kv = await mf.getKVNamespace("KV");
  const { keys } = await kv.list({ prefix: "s:" });
  assert.deepEqual(keys.map((k) => k.name), [`s:${key}`]);
  const expiresIn = keys[0].expiration - Date.now() / 1000;
  assert.ok(Math.abs(expiresIn - ttl) < 60, `expires in ${expiresIn} s, asked ${ttl}`);

  await post("/kv", { op: "remove", key, prefix: "s:" });
  assert.deepEqual((await post("/kv", { op: "get", key, prefix: "s:" })).body, { value: null });
  assert.equal((await kv.list({ prefix: "s:" })).keys.length, 0);
});

test("KvStorage: the default TTL is 30 days and under 60 s is refused", async () => {
  await post("/kv", { op: "set", key: "k", value: "v", prefix: "d:" });
  const [entry] = (await (await mf.getKVNamespace("KV")).list({ prefix: "d:" })).keys;
  assert.ok(Math.abs(entry.expiration - Date.now() / 1000 - 30 * 86400) < 60);
  const refused = await post("/kv", { op: "set", key: "k", value: "v", expirationTtl: 59 });
  assert.deepEqual([refused.status, refused.body.error], [400, "InvalidParameterError"]);
});

test("CookieJar: reads the request, writes Set-Cookie with the attributes, applyTo keeps the response", async () => {
  const r = await post(
    "/jar",
    { set: { "a.b.c": "v 1;2" }, remove: ["old"], options: { domain: "example.com", sameSite: "Strict", maxAgeSeconds: 120 } },
    { cookie: "old=gone; a.b.c=prev" },
  );
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.before, { "a.b.c": "prev", old: "gone" });
  assert.deepEqual(r.body.after, { "a.b.c": "v 1;2", old: null });
  const lines = r.headers.getSetCookie();
  assert.deepEqual(lines, r.body.setCookie);
  assert.deepEqual(lines, [
    "a.b.c=v%201%3B2; Max-Age=120; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict",
    "old=; Max-Age=0; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Strict",
  ]);
  assert.equal(r.headers.get("content-type"), "application/json");
});

test("CookieJar: a 10 KB value is chunked under 4 KB per cookie, read back, and its stale chunks expire", async () => {
  const name = "CognitoIdentityServiceProvider.c.alice.idToken";
  const big = "x".repeat(10_000);
  const first = await post("/jar", { set: { [name]: big } });
  const lines = first.headers.getSetCookie();
  assert.equal(lines.length, 4, "marker + 3 chunks");
  for (const line of lines) assert.ok(line.split(";")[0].length < 4096, `${line.length} bytes`);

  const cookie = cookieHeader(lines);
  const second = await post("/jar", { set: { [name]: "small" } }, { cookie });
  assert.equal(second.body.before[name], big);
  assert.equal(second.body.after[name], "small");
  const expired = second.headers.getSetCookie().filter((l) => l.includes("Max-Age=0")).map((l) => l.split("=")[0]);
  assert.deepEqual(expired, [1, 2, 3].map((i) => `${name}.${i}`));
});

test("CookieJar refuses SameSite=None without Secure", async () => {
  const r = await post("/jar", { options: { sameSite: "None", secure: false } });
  assert.deepEqual([r.status, r.body.error], [400, "InvalidParameterError"]);
  const { CookieJar } = await import("../../pkg/node.js");
  assert.throws(() => new CookieJar("", { sameSite: "None", secure: false }), { name: "InvalidParameterError" });
});

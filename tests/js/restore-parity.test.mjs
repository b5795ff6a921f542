// The restore module (pkg/cognito_wasm_restore*) behaves as the session module (pkg/cognito_wasm_session*)
// for every option it takes: each scenario runs once in each, loaded through its own glue in Node
// (initSync with the bytes of its .wasm), against the local emulator (COGNITO_EMULATOR_URL), with a
// fresh user and stored session per run, and the two transcripts must be equal: each call's result
// (the Session objects) or error (name, code, message, retryable, status), the events and
// onSessionChange calls in order, the storage's contents after each call, and the requests sent
// (operation names and the fields that matter, in order, recorded by wrapping `fetch`; some
// scenarios answer a request themselves: 5xx, a network failure, a hang, an unknown operation).
// Tokens, usernames and clock-dependent numbers are replaced by labels in order of appearance, so
// equal behaviour gives equal transcripts; each scenario also checks its transcript says what it
// is about (the parity of two modules that both do nothing would not count). Also: the restore
// module refuses `clientSecret`, `oauth` and `userContextData` with InvalidParameterError (the
// loader gives such options to the session module). Node has no Web Locks and no storage events:
// tests/browser/ (two tabs in Chromium, through pkg/browser.js) covers those.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cognitoCall } from "../hostile/emulator.mjs";
import { confirmedUser, storedEntries } from "./stored-session.mjs";
import { EVENTS, cfg, cognitoError, endpoint, errorOf, hang, labeller, load, mapStorage, realFetch, startRecording, stopRecording } from "./parity.mjs";
import { MemoryStorage, WebStorage } from "../../pkg/node.js";

const MODULES = { restore: await load("cognito_wasm_restore"), session: await load("cognito_wasm_session") };

/**
 * Runs `scenario` in `glue`: a fresh user (`prefix`), its stored session unless `stored: false`,
 * and a transcript of every step.
 */
async function run(glue, scenario) {
  const { name, canon } = labeller();
  const transcript = [];
  const username = await confirmedUser(endpoint, cfg.userPoolId, "parity");
  name(username, "user");
  const clientId = scenario.clientId?.(cfg) ?? cfg.clientId;
  const seed = scenario.stored === false ? {} : await storedEntries(endpoint, { userPoolId: cfg.userPoolId, clientId, username, clockDriftSeconds: scenario.due ? -3590 : 0 });
  // The seed's tokens first, in a fixed order (their labels do not depend on what is read first).
  for (const [k, v] of Object.entries(seed)) canon(v, k);
  Object.assign(seed, scenario.extraEntries?.(clientId, username) ?? {});
  const storage = scenario.storage === "memory" || scenario.storage === "web" || scenario.storage === "default" ? undefined : mapStorage(seed, { async: scenario.storage === "async" });
  const events = [];
  const warnings = [];
  const warn = console.warn;
  const recording = startRecording();
  const ctx = {
    glue,
    storage,
    username,
    clientId,
    options: (extra = {}) => ({ userPoolId: cfg.userPoolId, clientId, endpoint, maxRetries: 1, ...(storage ? { storage } : {}), ...extra }),
    intercept(fn) {
      recording.intercept = fn;
    },
    /** Subscribes to onSessionChange and every event of `auth`. */
    listen(auth) {
      auth.onSessionChange((s) => events.push(["onSessionChange", canon(s)]));
      for (const event of EVENTS) auth.on(event, (data) => events.push([event, canon(data instanceof Error ? errorOf(data) : data)]));
    },
    /** Awaits `step()`, then records its outcome, the events, the requests and the storage since the last step. */
    async step(label, step) {
      let outcome;
      try {
        outcome = { value: await step() };
      } catch (e) {
        outcome = errorOf(e);
      }
      await new Promise((r) => setTimeout(r, 10)); // listeners called after the Promise settled
      const requests = recording.requests.splice(0).map(({ op, body }) => ({ op, ...canon(pick(body)) }));
      const stored = ctx.contents();
      transcript.push({ label, outcome: canon(outcome), events: events.splice(0), requests, stored, warnings: warnings.splice(0).map((w) => canon(w)) });
      return outcome;
    },
    /** The storage's contents (keys and values), labelled. */
    contents() {
      if (storage) return canon(Object.fromEntries([...storage.map].sort()));
      return ctx.auth ? canon(Object.fromEntries(ctx.auth.storage.keys?.().map((k) => [k, ctx.auth.storage.getItem(k)]) ?? [])) : {};
    },
    canon,
  };
  console.warn = (...args) => warnings.push(args.map(String).join(" "));
  try {
    await scenario.run(ctx);
  } finally {
    console.warn = warn;
    stopRecording();
    ctx.auth?.free?.();
  }
  return transcript;
}

/** The request fields that say what was asked (not the values of the tokens, labelled anyway). */
function pick(body) {
  const out = {};
  for (const k of ["AuthFlow", "ClientMetadata", "DeviceKey", "Token", "UserContextData"]) if (k in body) out[k] = body[k];
  if (body.AuthParameters) out.AuthParameters = body.AuthParameters;
  if (body.RefreshToken) out.RefreshToken = body.RefreshToken;
  if (body.AccessToken) out.AccessToken = body.AccessToken;
  return out;
}

/** Runs `scenario` in both modules; their transcripts must be equal; returns the restore module's. */
async function parity(scenario) {
  const restore = await run(MODULES.restore, scenario);
  const session = await run(MODULES.session, scenario);
  assert.deepEqual(restore, session, "the restore module's transcript is the session module's");
  return restore;
}

const ops = (t) => t.flatMap((s) => s.requests.map((r) => r.op));
const newAuth = (ctx, extra) => {
  ctx.auth = new ctx.glue.CognitoAuth(ctx.options(extra));
  ctx.listen(ctx.auth);
  return ctx.auth;
};

test("constructor errors: the same InvalidParameterError (or TypeError) for every bad option", async () => {
  const bad = [
    ["no options", undefined],
    ["not an object", 7],
    ["a string", "options"],
    ["null", null],
    ["no userPoolId", { clientId: "c" }],
    ["a bad pool id", { userPoolId: "nope", clientId: "c" }],
    ["a pool id of another shape", { userPoolId: "us-east-1-abc", clientId: "c" }],
    ["no clientId", { userPoolId: "us-east-1_abc" }],
    ["a clientId that is not a string", { userPoolId: "us-east-1_abc", clientId: 7 }],
    ["a bad endpoint", { userPoolId: "us-east-1_abc", clientId: "c", endpoint: "not a url" }],
    ["an endpoint of another scheme", { userPoolId: "us-east-1_abc", clientId: "c", endpoint: "ftp://example.com/" }],
    ["a bad refreshFlow", { userPoolId: "us-east-1_abc", clientId: "c", refreshFlow: "REFRESH" }],
    ["a negative timeoutMs", { userPoolId: "us-east-1_abc", clientId: "c", timeoutMs: -1 }],
    ["a timeoutMs that is a string", { userPoolId: "us-east-1_abc", clientId: "c", timeoutMs: "5" }],
    ["a fractional timeoutMs", { userPoolId: "us-east-1_abc", clientId: "c", timeoutMs: 1.5 }],
    ["a bad maxRetries", { userPoolId: "us-east-1_abc", clientId: "c", maxRetries: -2 }],
    ["a storage without getItem", { userPoolId: "us-east-1_abc", clientId: "c", storage: { setItem() {}, removeItem() {} } }],
    ["a storage that is a string", { userPoolId: "us-east-1_abc", clientId: "c", storage: "local" }],
    ["rememberDevices not a boolean", { userPoolId: "us-east-1_abc", clientId: "c", rememberDevices: "yes" }],
    // Several failures: the first in field order is the error (each module reads the fields in that order).
    ["every field of the wrong type", { userPoolId: 1, clientId: 2, clientSecret: 3, endpoint: 4, timeoutMs: "5", maxRetries: "6", rememberDevices: 7, deviceName: 8, refreshFlow: 9 }],
    ["the later fields of the wrong type", { userPoolId: "us-east-1_abc", clientId: "c", endpoint: 4, maxRetries: "6", deviceName: 8, refreshFlow: 9 }],
    ["deviceName and refreshFlow of the wrong type", { userPoolId: "us-east-1_abc", clientId: "c", deviceName: 8, refreshFlow: 9 }],
    ["a missing clientId after a bad userPoolId", { userPoolId: 1 }],
  ];
  const outcome = (glue, options) => {
    try {
      const auth = new glue.CognitoAuth(options);
      auth.free();
      return "constructed";
    } catch (e) {
      return errorOf(e);
    }
  };
  for (const [what, options] of bad) {
    const restore = outcome(MODULES.restore, options);
    assert.deepEqual(restore, outcome(MODULES.session, options), what);
    if (!["rememberDevices not a boolean"].includes(what)) assert.notEqual(restore, "constructed", `${what}: refused`);
  }
  assert.equal(outcome(MODULES.restore, { userPoolId: "us-east-1_abc", clientId: "c" }), "constructed");
});

test("subscription errors: the same InvalidParameterError (name, code, message) for an unknown event or a listener that is no function", () => {
  const calls = [
    ["on an unknown event", (auth) => auth.on("tokenRefresh_failure", () => {})],
    ["on an event that is no string", (auth) => auth.on(7, () => {})],
    ["on with a listener that is no function", (auth) => auth.on("signedIn", 5)],
    ["onSessionChange with a listener that is no function", (auth) => auth.onSessionChange({})],
    ["on with nothing", (auth) => auth.on()],
  ];
  const outcome = (glue, call) => {
    const auth = new glue.CognitoAuth({ userPoolId: "us-east-1_abc", clientId: "c" });
    try {
      return typeof call(auth);
    } catch (e) {
      return errorOf(e);
    } finally {
      auth.free();
    }
  };
  for (const [what, call] of calls) {
    const restore = outcome(MODULES.restore, call);
    assert.deepEqual(restore, outcome(MODULES.session, call), what);
    assert.equal(restore.error?.name, "InvalidParameterError", what);
  }
  const unsubscribe = (glue) => outcome(glue, (auth) => auth.on("signedOut", () => {}));
  assert.equal(unsubscribe(MODULES.restore), "function");
});

test("the restore module refuses clientSecret, oauth and userContextData with InvalidParameterError; absent (undefined/null) they are fine", () => {
  const base = { userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint };
  const refused = [
    ["clientSecret", { clientSecret: cfg.clientSecret }],
    ["oauth", { oauth: { domain: "https://auth.example.com", redirectSignIn: "https://app.example.com/cb" } }],
    ["userContextData", { userContextData: () => ({ encodedData: "x" }) }],
  ];
  for (const [what, extra] of refused) {
    assert.throws(() => new MODULES.restore.CognitoAuth({ ...base, ...extra }), (e) => e.name === "InvalidParameterError" && e.code === "InvalidParameterError" && e.retryable === false, what);
    const there = new MODULES.session.CognitoAuth({ ...base, ...extra });
    there.free();
  }
  const absent = new MODULES.restore.CognitoAuth({ ...base, clientSecret: undefined, oauth: null, userContextData: undefined });
  absent.free();
  assert.equal(MODULES.restore.CookieStorage, undefined, "no CookieStorage in the restore module");
  assert.equal(typeof MODULES.session.CookieStorage, "function");
  for (const member of ["getSession", "refreshSession", "signOut", "onSessionChange", "on", "__handover"]) {
    assert.equal(typeof MODULES.restore.CognitoAuth.prototype[member], "function", member);
  }
  assert.equal(MODULES.restore.CognitoAuth.prototype.signIn, undefined, "nothing of sign-in");
  assert.equal(MODULES.restore.CognitoAuth.prototype.getDeviceKey, undefined, "no getDeviceKey");
});

test("no stored session: getSession null, refreshSession rejects, signOut resolves, nothing sent", async () => {
  const t = await parity({
    stored: false,
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("refreshSession", () => auth.refreshSession());
      await ctx.step("signOut", () => auth.signOut());
    },
  });
  assert.equal(t[0].outcome.value, null);
  assert.ok(t[1].outcome.error, "refreshSession without a session rejects");
  assert.deepEqual(ops(t), []);
});

test("a valid stored session: restored without a request; refreshSession sends GetTokensFromRefreshToken; signOut revokes", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("getSession again", () => auth.getSession());
      await ctx.step("refreshSession", () => auth.refreshSession());
      await ctx.step("signOut", () => auth.signOut());
      await ctx.step("getSession after", () => auth.getSession());
    },
  });
  assert.equal(t[0].outcome.value.username, "<user1>");
  assert.deepEqual(t[0].requests, [], "restoring sends nothing");
  assert.deepEqual(t[2].requests.map((r) => r.op), ["GetTokensFromRefreshToken"]);
  assert.ok(t[2].events.some(([e]) => e === "tokenRefresh"));
  assert.deepEqual(t[3].requests.map((r) => r.op), ["RevokeToken"]);
  assert.deepEqual(t[3].stored, {}, "signOut clears the stored session");
  assert.equal(t[4].outcome.value, null);
});

test("a session due for refresh: getSession refreshes (GetTokensFromRefreshToken) and stores the new tokens", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("getSession again", () => auth.getSession());
    },
  });
  assert.deepEqual(t[0].requests.map((r) => r.op), ["GetTokensFromRefreshToken"]);
  assert.notEqual(t[0].outcome.value.accessToken, "<access1>", "new tokens");
  assert.deepEqual(t[1].requests, [], "fresh now");
});

test("a rotating client: the refreshed refresh token is stored", async () => {
  const t = await parity({
    clientId: (c) => c.rotatingClientId,
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("refreshSession", () => auth.refreshSession());
    },
  });
  assert.equal(t[0].outcome.value.refreshToken, "<refresh2>", "rotated");
  assert.equal(t[1].outcome.value.refreshToken, "<refresh3>", "rotated again");
  assert.ok(Object.values(t[1].stored).includes("<refresh3>"));
});

test("GetTokensFromRefreshToken unknown to the endpoint: the REFRESH_TOKEN_AUTH fallback, kept for the client's lifetime", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      ctx.intercept((op) => (op === "GetTokensFromRefreshToken" ? cognitoError(400, "UnknownOperationException", "") : undefined));
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("refreshSession", () => auth.refreshSession());
    },
  });
  assert.deepEqual(t[0].requests.map((r) => [r.op, r.AuthFlow]), [["GetTokensFromRefreshToken", undefined], ["InitiateAuth", "REFRESH_TOKEN_AUTH"]]);
  assert.deepEqual(t[1].requests.map((r) => [r.op, r.AuthFlow]), [["InitiateAuth", "REFRESH_TOKEN_AUTH"]]);
  assert.equal(t[0].outcome.value.username, "<user1>");
});

test("refreshFlow REFRESH_TOKEN_AUTH: InitiateAuth", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx, { refreshFlow: "REFRESH_TOKEN_AUTH" });
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  assert.deepEqual(t[0].requests.map((r) => [r.op, r.AuthFlow]), [["InitiateAuth", "REFRESH_TOKEN_AUTH"]]);
});

test("Amazon's advanced-security script (the restore module takes no userContextData option): getData's answer is REFRESH_TOKEN_AUTH's UserContextData", async () => {
  const calls = [];
  let answer;
  globalThis.AmazonCognitoAdvancedSecurityData = {
    getData(...args) {
      calls.push(args);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  const answers = [["a string", "encoded-1"], ["an object", { encodedData: "encoded-2", ipAddress: "192.0.2.7" }], ["a number", 7], ["a throw", new Error("script")]];
  try {
    const t = await parity({
      async run(ctx) {
        const auth = newAuth(ctx, { refreshFlow: "REFRESH_TOKEN_AUTH" });
        for (const [label, value] of answers) {
          answer = value;
          await ctx.step(label, () => auth.refreshSession());
        }
      },
    });
    assert.deepEqual(
      t.map((s) => s.requests.map((r) => [r.AuthFlow, r.UserContextData])),
      [[["REFRESH_TOKEN_AUTH", { EncodedData: "encoded-1" }]], [["REFRESH_TOKEN_AUTH", { EncodedData: "encoded-2", IpAddress: "192.0.2.7" }]], [["REFRESH_TOKEN_AUTH", undefined]], [["REFRESH_TOKEN_AUTH", undefined]]],
    );
    assert.equal(calls.length, 2 * answers.length);
    for (const [, poolId, clientId] of calls) assert.deepEqual([poolId, clientId], [cfg.userPoolId, cfg.clientId]);
  } finally {
    delete globalThis.AmazonCognitoAdvancedSecurityData;
  }
});

test("a refused refresh token (revoked): NotAuthorizedException, signed out, sessionExpired", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      const refreshToken = ctx.storage.map.get(`CognitoIdentityServiceProvider.${ctx.clientId}.${ctx.username}.refreshToken`);
      await cognitoCall(endpoint, "RevokeToken", { ClientId: ctx.clientId, Token: refreshToken });
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("getSession after", () => auth.getSession());
    },
  });
  assert.equal(t[0].outcome.error?.name, "NotAuthorizedException", JSON.stringify(t[0].outcome));
  assert.ok(t[0].events.some(([e]) => e === "sessionExpired"), "sessionExpired");
  assert.deepEqual(t[0].stored, {}, "signed out");
  assert.equal(t[1].outcome.value, null);
});

test("5xx and network failures: the session kept, retried maxRetries times, the call rejects", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      let mode = "5xx";
      ctx.intercept((op) => {
        if (op !== "GetTokensFromRefreshToken") return undefined;
        if (mode === "5xx") return cognitoError(500, "InternalErrorException");
        return Promise.reject(new TypeError("fetch failed (injected)"));
      });
      const auth = newAuth(ctx, { maxRetries: 2 });
      await ctx.step("getSession (5xx)", () => auth.getSession());
      mode = "network";
      await ctx.step("refreshSession (network)", () => auth.refreshSession());
    },
  });
  assert.deepEqual(t[0].requests.map((r) => r.op), Array(3).fill("GetTokensFromRefreshToken"), "1 + maxRetries");
  assert.equal(t[0].outcome.error?.retryable, true);
  assert.equal(t[0].outcome.error?.status, 500);
  assert.equal(t[1].requests.length, 3);
  assert.equal(t[1].outcome.error?.name, "NetworkError");
  assert.ok(Object.values(t[1].stored).includes("<access1>"), "the stored session kept");
});

test("a timeout: TimeoutError after timeoutMs, the session kept", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      ctx.intercept((op, body, { signal }) => (op === "GetTokensFromRefreshToken" ? hang(signal) : undefined));
      const auth = newAuth(ctx, { timeoutMs: 150, maxRetries: 0 });
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  assert.equal(t[0].outcome.error?.name, "TimeoutError", JSON.stringify(t[0].outcome));
  assert.ok(Object.values(t[0].stored).includes("<access1>"));
});

test("concurrent getSession calls share one refresh", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("three getSession at once", () => Promise.all([auth.getSession(), auth.getSession(), auth.getSession()]));
    },
  });
  assert.deepEqual(t[0].requests.map((r) => r.op), ["GetTokensFromRefreshToken"]);
  const [a, b, c] = t[0].outcome.value;
  assert.deepEqual([a.accessToken, b.accessToken, c.accessToken], ["<access2>", "<access2>", "<access2>"]);
});

test("a listener calling the object's methods while the refresh that tells it runs: each call its own task and answer", async () => {
  // The listener runs inside the refresh's poll; the calls it makes start tasks of their own.
  const t = await parity({
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx);
      const inner = [];
      auth.on("tokenRefresh", () => {
        if (inner.length === 0) inner.push(auth.getSession(), auth.refreshSession());
      });
      await ctx.step("getSession; the listener calls getSession and refreshSession", async () => {
        const outer = await auth.getSession();
        return [outer, ...(await Promise.all(inner))];
      });
    },
  });
  const [outer, again, forced] = t[0].outcome.value;
  assert.deepEqual(ops(t), ["GetTokensFromRefreshToken", "GetTokensFromRefreshToken"]);
  assert.deepEqual([outer.accessToken, again.accessToken, forced.accessToken], ["<access2>", "<access2>", "<access3>"]);
});

test("refreshSession({ clientMetadata }) sends ClientMetadata", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("refreshSession", () => auth.refreshSession({ clientMetadata: { source: "parity" } }));
      await ctx.step("refreshSession, bad metadata", () => auth.refreshSession({ clientMetadata: { n: 1 } }));
    },
  });
  assert.deepEqual(t[0].requests[0].ClientMetadata, { source: "parity" });
});

test("signOut({ global: true }): GlobalSignOut, then the local session cleared", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signOut global", () => auth.signOut({ global: true }));
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  assert.ok(ops(t).includes("GlobalSignOut"), JSON.stringify(ops(t)));
  assert.deepEqual(t[0].stored, {});
  assert.ok(t[0].events.some(([e]) => e === "signedOut"));
});

test("rememberDevices: the stored device key is sent with the refresh", async () => {
  const t = await parity({
    due: true,
    extraEntries: (clientId, username) => ({
      [`CognitoIdentityServiceProvider.${clientId}.${username}.deviceKey`]: "us-east-1_parity-device",
      [`CognitoIdentityServiceProvider.${clientId}.${username}.deviceGroupKey`]: "-group",
      [`CognitoIdentityServiceProvider.${clientId}.${username}.randomPasswordKey`]: "secret",
    }),
    async run(ctx) {
      const auth = newAuth(ctx, { rememberDevices: true });
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  const sent = t[0].requests[0];
  assert.equal(sent.op, "GetTokensFromRefreshToken");
  assert.equal(sent.DeviceKey, "us-east-1_parity-device");
});

test("an asynchronous custom storage (getItem returning Promises)", async () => {
  const t = await parity({
    storage: "async",
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("signOut", () => auth.signOut());
    },
  });
  assert.equal(t[0].outcome.value.username, "<user1>");
  assert.deepEqual(t[1].stored, {});
});

test("a storage of the app's own class named CookieStorage (amazon-cognito-identity-js has one) is a TokenStorage in both", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      // Only the package's CookieStorage goes to the session module (the loader's routing); an
      // object whose class merely has that name is a TokenStorage like any other.
      const CookieStorage = class CookieStorage {
        getItem(k) {
          return ctx.storage.getItem(k);
        }
        setItem(k, v) {
          return ctx.storage.setItem(k, v);
        }
        removeItem(k) {
          return ctx.storage.removeItem(k);
        }
      };
      const auth = newAuth(ctx, { storage: new CookieStorage() });
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  assert.equal(t[0].outcome.value.username, "<user1>");
  assert.deepEqual(ops(t), ["GetTokensFromRefreshToken"]);
});

test("a storage whose setItem throws: StorageError, the session held in memory with one warning; __handover() carries it", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("getSession", () => auth.getSession());
      ctx.storage.failWrites = true;
      await ctx.step("refreshSession", () => auth.refreshSession());
      await ctx.step("getSession (held)", () => auth.getSession());
      await ctx.step("getSession (held, again)", () => auth.getSession());
      await ctx.step("__handover", () => auth.__handover());
    },
  });
  assert.equal(t[1].outcome.error?.name, "StorageError");
  assert.equal(t[2].outcome.value.accessToken, "<access2>", "the held session, not the stored one");
  assert.equal(t.flatMap((s) => s.warnings).length, 1, "warned once");
  assert.notEqual(t[4].outcome.value, undefined, "a held session to hand over");
});

test("MemoryStorage, WebStorage and the default storage: the storage getter", async () => {
  const t = await parity({
    stored: false,
    storage: "memory",
    async run(ctx) {
      const memory = new MemoryStorage();
      memory.setItem("k", "v");
      const a = newAuth(ctx, { storage: memory });
      const type = (storage) => [MemoryStorage, WebStorage].find((kind) => storage instanceof kind)?.name ?? typeof storage;
      await ctx.step("MemoryStorage", () => ({ same: a.storage === memory, type: type(a.storage), keys: a.storage.keys(), v: a.storage.getItem("k") }));
      const web = new WebStorage("local");
      const b = new ctx.glue.CognitoAuth(ctx.options({ storage: web }));
      await ctx.step("WebStorage", () => ({ same: b.storage === web, type: type(b.storage), fallback: web.usingFallback, reason: typeof web.fallbackReason }));
      const c = new ctx.glue.CognitoAuth(ctx.options());
      await ctx.step("default", () => ({ type: type(c.storage), same: c.storage === c.storage }));
      await ctx.step("no storage, no default (the raw glue)", () => new ctx.glue.raw.CognitoAuth(ctx.options()));
      await ctx.step("a default storage that is no storage", () => new ctx.glue.raw.CognitoAuth(ctx.options(), 7));
      b.free();
      c.free();
    },
  });
  assert.deepEqual(t[0].outcome.value, { keys: ["k"], same: true, type: "MemoryStorage", v: "v" });
  assert.equal(t[1].outcome.value.type, "WebStorage");
  assert.deepEqual(t[2].outcome.value, { type: "MemoryStorage", same: true }, "the default given");
  assert.equal(t[3].outcome.error?.name, "InvalidParameterError");
  assert.equal(t[3].outcome.error?.message, "options.storage must be given");
  assert.equal(t[4].outcome.error?.name, "InvalidParameterError", "the default is checked as a storage");
});

test("a fetch option: every request goes through it, none through the global fetch", async () => {
  const t = await parity({
    due: true,
    async run(ctx) {
      const mine = [];
      const own = (input, init) => {
        const request = input instanceof Request && init === undefined ? input : new Request(input, init);
        mine.push(request.headers.get("x-amz-target")?.replace(/^AWSCognitoIdentityProviderService\./, ""));
        return realFetch(request);
      };
      const auth = newAuth(ctx, { fetch: own });
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("signOut", () => auth.signOut());
      await ctx.step("through the option", () => mine.splice(0));
    },
  });
  assert.deepEqual(ops(t), [], "the global fetch saw nothing");
  assert.deepEqual(t[2].outcome.value, ["GetTokensFromRefreshToken", "RevokeToken"]);
  assert.equal(t[0].outcome.value.username, "<user1>");
});

test("the comparison can fail: one option apart, the transcripts differ (labels hide no behaviour)", async () => {
  const scenario = (extra) => ({
    due: true,
    async run(ctx) {
      const auth = newAuth(ctx, extra);
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  const plain = await run(MODULES.restore, scenario({}));
  const legacy = await run(MODULES.session, scenario({ refreshFlow: "REFRESH_TOKEN_AUTH" }));
  assert.notDeepEqual(plain, legacy, "another refresh operation is seen");
  const same = await run(MODULES.session, scenario({}));
  assert.deepEqual(plain, same, "and without it they are equal again");
});

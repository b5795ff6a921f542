// The plain signin module (pkg/cognito_wasm_signin_plain*: `signin` without `session`, the restore
// module's class with the sign-in) signs in as the signin module (pkg/cognito_wasm_signin*) for every
// option it takes: each scenario runs once in each, loaded through its own glue in Node (initSync
// with the bytes of its .wasm), against the local emulator (COGNITO_EMULATOR_URL), with a fresh user
// per run, and the two transcripts must be equal — the method of tests/js/restore-parity.test.mjs:
// each call's result or error, the events and onSessionChange calls in order, the storage after
// each call, and the requests sent (operation, flow, challenge, the parameter names; random SRP
// values, device keys, sessions and tokens replaced by labels in order of appearance). Each scenario
// also checks its transcript shows what it is about. Also: the plain module refuses `clientSecret`,
// `oauth` and `userContextData`; a challenge it stopped at is handed over to the signup module
// (`__handover` then `__adopt`) and answered there; it adopts the restore module's hand-over; and its
// `CognitoAuth` declarations are the signin module's, member for member (the loader derives each
// member's module from the `.d.ts`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { cognitoCall } from "../hostile/emulator.mjs";
import { PASSWORD, confirmedUser, storedEntries } from "./stored-session.mjs";
import { EVENTS, cfg, endpoint, errorOf, labeller, load, mapStorage, pkg, realFetch, startRecording, stopRecording } from "./parity.mjs";

const MODULES = {
  plain: await load("cognito_wasm_signin_plain"),
  signin: await load("cognito_wasm_signin"),
  restore: await load("cognito_wasm_restore"),
  signup: await load("cognito_wasm_signup"),
};

/** Values that differ on every run (SRP's random parts and what follows from them). */
const RANDOM = /^(SRP_A|SRP_B|SALT|SECRET_BLOCK|PASSWORD_CLAIM_SIGNATURE|PASSWORD_CLAIM_SECRET_BLOCK|TIMESTAMP|Salt|PasswordVerifier)$/;
/** Device keys, group keys and device passwords: labelled. */
const DEVICE = /^(DEVICE_KEY|DeviceKey|DeviceGroupKey)$|\.(deviceKey|deviceGroupKey|randomPasswordKey)$/;

/** The one-time code the emulator issued `username` for `purpose`. */
async function code(poolId, username, purpose) {
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId: poolId, username, ...(purpose ? { purpose } : {}) });
  return (await (await realFetch(url)).json()).code; // not recorded

}

/** A user with a temporary password only (FORCE_CHANGE_PASSWORD: NEW_PASSWORD_REQUIRED at sign-in). */
async function temporaryUser(poolId, prefix) {
  const username = `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await cognitoCall(endpoint, "AdminCreateUser", { UserPoolId: poolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: "SUPPRESS" });
  return username;
}

/** Signin-parity's own labels: names seen before, SRP's random values, devices, challenge sessions. */
const signInLabels = (value, key, { name, names }) => {
  if (names.has(value)) return names.get(value);
  if (RANDOM.test(key)) return "<random>";
  if (DEVICE.test(key)) return name(value, "device");
  if (/^(Session|session)$/.test(key)) return name(value, "challengeSession");
  return undefined;
};

/**
 * Runs `scenario` in `glue`: a fresh user (`user`: "confirmed" by default, "temporary", or "none"
 * for an unknown name) of the main pool or `pool: "devices"`, and a transcript of every step.
 */
async function run(glue, scenario) {
  const { name, canon } = labeller(signInLabels);
  const transcript = [];
  const pool = scenario.pool === "devices" ? { poolId: cfg.devicesUserPoolId, clientId: cfg.devicesClientId } : { poolId: cfg.userPoolId, clientId: cfg.clientId };
  const kind = scenario.user ?? "confirmed";
  const username =
    kind === "temporary" ? await temporaryUser(pool.poolId, "parity") : kind === "none" ? `nobody-${Date.now()}-${Math.floor(Math.random() * 1e6)}` : await confirmedUser(endpoint, pool.poolId, "parity");
  name(username, "user");
  const seed = scenario.seed ? await scenario.seed({ ...pool, username, canon }) : {};
  const storage = mapStorage(seed);
  const events = [];
  const warnings = [];
  const warn = console.warn;
  const recording = startRecording();
  const ctx = {
    glue,
    storage,
    username,
    pool,
    options: (extra = {}) => ({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint, maxRetries: 1, storage, ...extra }),
    intercept(fn) {
      recording.intercept = fn;
    },
    listen(auth) {
      auth.onSessionChange((s) => events.push(["onSessionChange", canon(s)]));
      for (const event of EVENTS) auth.on(event, (data) => events.push([event, canon(data instanceof Error ? errorOf(data) : data)]));
    },
    async step(label, step) {
      let outcome;
      try {
        outcome = { value: await step() };
      } catch (e) {
        outcome = errorOf(e);
      }
      await new Promise((r) => setTimeout(r, 10)); // listeners called after the Promise settled
      const requests = recording.requests.splice(0).map(({ op, body }) => ({ op, ...canon(pick(body)) }));
      const stored = canon(Object.fromEntries([...storage.map].sort()));
      transcript.push({ label, outcome: canon(outcome), events: events.splice(0), requests, stored, warnings: warnings.splice(0).map((w) => canon(w)) });
      return outcome;
    },
    canon,
    /** `value` labelled `<kind…>` wherever it appears (a one-time code). */
    label: name,
  };
  console.warn = (...args) => warnings.push(args.map(String).join(" "));
  try {
    await scenario.run(ctx);
  } finally {
    console.warn = warn;
    stopRecording();
    for (const auth of ctx.made ?? []) auth.free?.();
  }
  return transcript;
}

/** The request fields that say what was asked. */
function pick(body) {
  const out = {};
  for (const k of ["AuthFlow", "ChallengeName", "ClientMetadata", "DeviceKey", "DeviceName", "Session", "AuthParameters", "ChallengeResponses", "DeviceSecretVerifierConfig", "AccessToken", "Token"]) {
    if (k in body) out[k] = body[k];
  }
  return out;
}

/** Runs `scenario` in both modules; their transcripts must be equal; returns the plain module's. */
async function parity(scenario) {
  const plain = await run(MODULES.plain, scenario);
  const signin = await run(MODULES.signin, scenario);
  assert.deepEqual(plain, signin, "the plain signin module's transcript is the signin module's");
  return plain;
}

const ops = (t) => t.flatMap((s) => s.requests.map((r) => (r.ChallengeName ? `${r.op} ${r.ChallengeName}` : r.AuthFlow ? `${r.op} ${r.AuthFlow}` : r.op)));
const newAuth = (ctx, extra, glue = ctx.glue) => {
  const auth = new glue.CognitoAuth(ctx.options(extra));
  (ctx.made ??= []).push(auth);
  ctx.listen(auth);
  return auth;
};

test("USER_SRP_AUTH: signed in through PASSWORD_VERIFIER, stored, signedIn; getSession answers it; signOut revokes", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, password: PASSWORD }));
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("signOut", () => auth.signOut());
    },
  });
  assert.equal(t[0].outcome.value.signedIn, true, JSON.stringify(t[0].outcome));
  assert.equal(t[0].outcome.value.session.username, "<user1>");
  assert.deepEqual(ops(t.slice(0, 1)), ["InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
  assert.equal(t[0].requests[0].AuthParameters.SRP_A, "<random>");
  assert.ok(t[0].events.some(([e]) => e === "signedIn"), "signedIn");
  assert.ok(t[0].events.some(([e, s]) => e === "onSessionChange" && s?.username === "<user1>"));
  assert.equal(t[0].stored[`CognitoIdentityServiceProvider.${cfg.clientId}.<user1>.accessToken`], "<access1>");
  assert.deepEqual(t[1].requests, [], "the signed-in session is held");
  assert.equal(t[1].outcome.value.accessToken, "<access1>");
  assert.deepEqual(ops(t.slice(2)), ["RevokeToken"]);
  assert.deepEqual(t[2].stored, {});
});

test("USER_PASSWORD_AUTH: the password in InitiateAuth, signed in at once", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, password: PASSWORD, flow: "USER_PASSWORD_AUTH", clientMetadata: { app: "parity" } }));
    },
  });
  assert.equal(t[0].outcome.value.signedIn, true, JSON.stringify(t[0].outcome));
  assert.deepEqual(ops(t), ["InitiateAuth USER_PASSWORD_AUTH"]);
  assert.equal(t[0].requests[0].AuthParameters.PASSWORD, PASSWORD);
  assert.deepEqual(t[0].requests[0].ClientMetadata, { app: "parity" });
});

test("a wrong password (SRP and USER_PASSWORD_AUTH): NotAuthorizedException, nothing stored, no event", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn SRP", () => auth.signIn({ username: ctx.username, password: "Wrong-Passw0rd!" }));
      await ctx.step("signIn password", () => auth.signIn({ username: ctx.username, password: "Wrong-Passw0rd!", flow: "USER_PASSWORD_AUTH" }));
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  for (const s of t.slice(0, 2)) {
    assert.equal(s.outcome.error?.name, "NotAuthorizedException", JSON.stringify(s.outcome));
    assert.deepEqual(s.stored, {});
    assert.deepEqual(s.events, []);
  }
  assert.deepEqual(ops(t.slice(0, 1)), ["InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
  assert.equal(t[2].outcome.value, null);
});

test("an unknown user: the same error from InitiateAuth, nothing stored", async () => {
  const t = await parity({
    user: "none",
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn SRP", () => auth.signIn({ username: ctx.username, password: PASSWORD }));
      await ctx.step("signIn password", () => auth.signIn({ username: ctx.username, password: PASSWORD, flow: "USER_PASSWORD_AUTH" }));
    },
  });
  for (const s of t) {
    assert.ok(["UserNotFoundException", "NotAuthorizedException"].includes(s.outcome.error?.name), JSON.stringify(s.outcome));
    assert.deepEqual(s.stored, {});
  }
  assert.deepEqual(ops(t.slice(0, 1))[0], "InitiateAuth USER_SRP_AUTH");
});

test("bad parameters: the same InvalidParameterError before any request (USER_AUTH is the signup module's)", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("no username", () => auth.signIn({ password: PASSWORD }));
      await ctx.step("not an object", () => auth.signIn("x"));
      await ctx.step("an unknown flow", () => auth.signIn({ username: ctx.username, password: PASSWORD, flow: "NOPE" }));
      await ctx.step("USER_AUTH", () => auth.signIn({ username: ctx.username, flow: "USER_AUTH" }));
      await ctx.step("respondToChallenge with none pending", () => auth.respondToChallenge({ code: "123456" }));
    },
  });
  for (const s of t) assert.equal(s.outcome.error?.name, "InvalidParameterError", `${s.label}: ${JSON.stringify(s.outcome)}`);
  assert.deepEqual(ops(t), [], "nothing sent");
});

test("NEW_PASSWORD_REQUIRED: the challenge returned, a bad answer refused, the new password answered: signed in", async () => {
  const t = await parity({
    user: "temporary",
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, password: PASSWORD }));
      await ctx.step("respond without newPassword", () => auth.respondToChallenge({}));
      await ctx.step("respond", () => auth.respondToChallenge({ newPassword: "N3w-Passw0rd!Ω" }));
      await ctx.step("getSession", () => auth.getSession());
    },
  });
  assert.equal(t[0].outcome.value.challenge, "NEW_PASSWORD_REQUIRED", JSON.stringify(t[0].outcome));
  assert.deepEqual(t[0].stored, {});
  assert.ok(t[1].outcome.error, "an answer without newPassword is refused");
  assert.equal(t[2].outcome.value.signedIn, true, JSON.stringify(t[2].outcome));
  assert.ok(ops(t.slice(2)).includes("RespondToAuthChallenge NEW_PASSWORD_REQUIRED"));
  assert.equal(t[3].outcome.value.username, "<user1>");
});

test("CUSTOM_AUTH: CUSTOM_CHALLENGE, a wrong answer a new challenge, the right one signed in", async () => {
  const t = await parity({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, flow: "CUSTOM_AUTH" }));
      await ctx.step("wrong answer", () => auth.respondToChallenge({ answer: "not-the-code" }));
      const answer = await code(ctx.pool.poolId, ctx.username, "CUSTOM_CHALLENGE");
      ctx.label(answer, "code");
      await ctx.step("answer", () => auth.respondToChallenge({ answer }));
    },
  });
  assert.equal(t[0].outcome.value.challenge, "CUSTOM_CHALLENGE", JSON.stringify(t[0].outcome));
  assert.equal(t[1].outcome.value.parameters.attempt, "2");
  assert.equal(t[2].outcome.value.signedIn, true, JSON.stringify(t[2].outcome));
  assert.deepEqual(ops(t), ["InitiateAuth CUSTOM_AUTH", "RespondToAuthChallenge CUSTOM_CHALLENGE", "RespondToAuthChallenge CUSTOM_CHALLENGE"]);
  assert.equal(t[2].requests[0].ChallengeResponses.ANSWER, "<code1>");
});

test("rememberDevices: ConfirmDevice after the first sign-in, the device stored; the second sign-in answers DEVICE_SRP_AUTH", async () => {
  const t = await parity({
    pool: "devices",
    async run(ctx) {
      const auth = newAuth(ctx, { rememberDevices: true, deviceName: "parity-phone" });
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, password: PASSWORD }));
      await ctx.step("signOut", () => auth.signOut());
      const again = newAuth(ctx, { rememberDevices: true });
      await ctx.step("signIn again", () => again.signIn({ username: ctx.username, password: PASSWORD }));
      await ctx.step("signIn with USER_PASSWORD_AUTH", () => again.signIn({ username: ctx.username, password: PASSWORD, flow: "USER_PASSWORD_AUTH" }));
    },
  });
  assert.equal(t[0].outcome.value.signedIn, true, JSON.stringify(t[0].outcome));
  assert.ok(ops(t.slice(0, 1)).includes("ConfirmDevice"), ops(t).join());
  assert.equal(t[0].requests.find((r) => r.op === "ConfirmDevice").DeviceName, "parity-phone");
  const deviceKey = Object.keys(t[0].stored).find((k) => k.endsWith(".deviceKey"));
  assert.equal(t[0].stored[deviceKey], "<device1>");
  assert.equal(t[1].stored[deviceKey], "<device1>", "kept after signOut");
  assert.deepEqual(ops(t.slice(2, 3)), [
    "InitiateAuth USER_SRP_AUTH",
    "RespondToAuthChallenge PASSWORD_VERIFIER",
    "RespondToAuthChallenge DEVICE_SRP_AUTH",
    "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
  ]);
  assert.equal(t[2].requests[0].AuthParameters.DEVICE_KEY, "<device1>");
  assert.equal(t[2].outcome.value.signedIn, true);
  assert.equal(t[3].requests[0].AuthParameters.DEVICE_KEY, "<device1>", "USER_PASSWORD_AUTH with the stored device's key too");
});

test("a pending challenge handed over to the signup module: __handover() then __adopt, answered there", async () => {
  const t = await parity({
    user: "temporary",
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, password: PASSWORD }));
      const state = auth.__handover();
      await ctx.step("__handover", () => state);
      const up = newAuth(ctx, {}, MODULES.signup);
      await ctx.step("__adopt", () => up.__adopt(state));
      await ctx.step("respond in the signup module", () => up.respondToChallenge({ newPassword: "N3w-Passw0rd!Ω" }));
    },
  });
  const pending = t[1].outcome.value.pending;
  assert.equal(pending?.name, "NEW_PASSWORD_REQUIRED", JSON.stringify(t[1].outcome));
  assert.equal(pending.username, "<user1>");
  assert.match(pending.session, /^<challengeSession\d+>$/);
  assert.equal(t[3].requests[0].Session, pending.session, "answered with the handed-over challenge's session");
  assert.equal(t[2].outcome.value, undefined, JSON.stringify(t[2].outcome));
  assert.equal(t[3].outcome.value.signedIn, true, JSON.stringify(t[3].outcome));
  assert.deepEqual(ops(t.slice(3)), ["RespondToAuthChallenge NEW_PASSWORD_REQUIRED"]);
});

test("the restore module's hand-over (a session its store failed to keep) adopted: getSession answers it and stores it", async () => {
  const t = await parity({
    async seed({ poolId, clientId, username, canon }) {
      const entries = await storedEntries(endpoint, { userPoolId: poolId, clientId, username });
      for (const [k, v] of Object.entries(entries)) canon(v, k);
      return entries;
    },
    async run(ctx) {
      const low = newAuth(ctx, {}, MODULES.restore);
      await ctx.step("getSession (restore module)", () => low.getSession());
      ctx.storage.failWrites = true;
      await ctx.step("refreshSession (writes fail)", () => low.refreshSession());
      const state = low.__handover();
      await ctx.step("__handover", () => state);
      ctx.storage.failWrites = false;
      const auth = newAuth(ctx);
      await ctx.step("__adopt", () => auth.__adopt(state));
      await ctx.step("getSession", () => auth.getSession());
      await ctx.step("__adopt of something else", () => auth.__adopt({ session: { idToken: "x" } }));
    },
  });
  assert.equal(t[1].outcome.error?.name, "StorageError", JSON.stringify(t[1].outcome));
  assert.equal(t[2].outcome.value.session?.accessToken, "<access2>", JSON.stringify(t[2].outcome));
  assert.equal(t[4].outcome.value.accessToken, "<access2>", "the adopted session, not the stored one");
  assert.equal(t[4].stored[Object.keys(t[4].stored).find((k) => k.endsWith(".accessToken"))], "<access2>", "and now stored");
  assert.equal(t[5].outcome.error?.name, "InvalidParameterError");
});

test("the plain signin module refuses clientSecret, oauth and userContextData; the signin module takes them", () => {
  const base = { userPoolId: cfg.userPoolId, clientId: cfg.clientId, endpoint };
  const refused = [
    ["clientSecret", { clientId: cfg.secretClientId, clientSecret: cfg.clientSecret }],
    ["oauth", { oauth: { domain: "https://auth.example.com", redirectSignIn: "https://app.example.com/cb" } }],
    ["userContextData", { userContextData: () => ({ encodedData: "x" }) }],
  ];
  for (const [what, extra] of refused) {
    assert.throws(() => new MODULES.plain.CognitoAuth({ ...base, ...extra }), (e) => e.name === "InvalidParameterError" && e.retryable === false && e.message.includes(what), what);
    new MODULES.signin.CognitoAuth({ ...base, ...extra }).free();
  }
  new MODULES.plain.CognitoAuth({ ...base, clientSecret: undefined, oauth: null, userContextData: undefined }).free();
  assert.equal(MODULES.plain.CookieStorage, undefined, "no CookieStorage");
  for (const member of ["signIn", "respondToChallenge", "getSession", "refreshSession", "signOut", "onSessionChange", "on", "__handover", "__adopt"]) {
    assert.equal(typeof MODULES.plain.CognitoAuth.prototype[member], "function", member);
  }
  assert.equal(MODULES.plain.CognitoAuth.prototype.getDeviceKey, undefined, "no getDeviceKey (signup and full)");
});

/** `class CognitoAuth`'s members in a `.d.ts`: each declaration with its doc comment. */
function members(file) {
  const text = readFileSync(new URL(file, pkg), "utf8");
  const start = text.indexOf("export class CognitoAuth {");
  assert.ok(start >= 0, `${file}: class CognitoAuth`);
  const body = text.slice(start, text.indexOf("\n}\n", start));
  const out = new Map();
  let doc = [];
  for (const line of body.split("\n").slice(1)) {
    const trimmed = line.trim();
    if (trimmed.startsWith("/**") || trimmed.startsWith("*")) doc.push(line);
    else if (trimmed) {
      const name = /^(?:static |readonly |get |set )*\[?([\w$]+)/.exec(trimmed)?.[1] ?? trimmed;
      out.set(name === "constructor" ? name : `${name}:${out.has(name) ? "2" : "1"}`, [...doc, line].join("\n"));
      doc = [];
    }
  }
  return out;
}

test("the plain signin module's CognitoAuth declarations are the signin module's, member for member", () => {
  const plain = members("cognito_wasm_signin_plain.d.ts");
  const signin = members("cognito_wasm_signin.d.ts");
  for (const member of ["signIn:1", "respondToChallenge:1", "getSession:1"]) assert.ok(plain.has(member), member);
  for (const [member, text] of plain) {
    if (signin.has(member)) assert.equal(text, signin.get(member), member);
  }
  assert.deepEqual([...signin.keys()].filter((m) => !plain.has(m)), [], "nothing of the signin module's class is missing");
});

test("the comparison can fail: one flow apart, the transcripts differ", async () => {
  const scenario = (flow) => ({
    async run(ctx) {
      const auth = newAuth(ctx);
      await ctx.step("signIn", () => auth.signIn({ username: ctx.username, password: PASSWORD, flow }));
    },
  });
  const srp = await run(MODULES.plain, scenario(undefined));
  const password = await run(MODULES.signin, scenario("USER_PASSWORD_AUTH"));
  assert.notDeepEqual(srp, password, "another flow is seen");
  assert.deepEqual(srp, await run(MODULES.signin, scenario(undefined)), "and without it they are equal again");
});

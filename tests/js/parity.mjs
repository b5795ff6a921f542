// What tests/js/restore-parity.test.mjs and signin-parity.test.mjs share: two browser modules run
// the same scenario through their own glue in Node against the emulator, and their transcripts
// (results, errors, events, storage, requests sent: recorded by wrapping `fetch`) must be equal once
// tokens, usernames and volatile numbers are replaced by labels in order of appearance.
import { readFileSync } from "node:fs";
import { MemoryStorage } from "../../pkg/node.js";

export const pkg = new URL("../../pkg/", import.meta.url);
/**
 * A browser module's glue, instantiated synchronously from its .wasm's bytes; its CognitoAuth
 * given a new MemoryStorage as the default storage, as the package's entries give one (`raw`:
 * the glue itself).
 */
export async function load(name) {
  const glue = await import(new URL(`${name}.js`, pkg).href);
  glue.initSync({ module: readFileSync(new URL(`${name}_bg.wasm`, pkg)) });
  const CognitoAuth = new Proxy(glue.CognitoAuth, {
    construct: (target, [options]) => new target(options, new MemoryStorage()),
  });
  return { ...glue, CognitoAuth, raw: glue };
}

export const endpoint = process.env.COGNITO_EMULATOR_URL ?? "http://127.0.0.1:9229/";
export const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
export const EVENTS = ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"];
const JWT = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;
const JWE = /^eyJ[\w-]*(\.[\w-]*){4}$/; // the emulator's refresh tokens

// ---- fetch, recorded; a scenario may answer a request itself ----
export const realFetch = globalThis.fetch;
let recording; // { requests: [], intercept(op, body, init) → Response | Promise | undefined } while a scenario runs
/** Starts recording this scenario's requests (`requests`; `intercept` may answer one). */
export function startRecording() {
  recording = { requests: [], intercept: undefined };
  return recording;
}
/** Stops recording: requests go to the network unrecorded. */
export function stopRecording() {
  recording = undefined;
}
globalThis.fetch = async function (input, init) {
  if (!recording) return realFetch(input, init);
  const request = input instanceof Request && init === undefined ? input.clone() : new Request(input, init);
  const target = request.headers.get("x-amz-target") ?? "";
  const op = target.replace(/^AWSCognitoIdentityProviderService\./, "") || `${request.method} ${new URL(request.url).pathname}`;
  let body = {};
  try {
    body = JSON.parse(await request.clone().text());
  } catch {
    // not JSON: recorded by its operation alone
  }
  recording.requests.push({ op, body });
  const answer = recording.intercept?.(op, body, { signal: request.signal ?? init?.signal });
  if (answer !== undefined) return answer;
  return realFetch(input, init);
};

/** A JSON-1.1 error answer. */
export const cognitoError = (status, type, message = `${type} (injected)`) =>
  new Response(JSON.stringify({ __type: type, message }), { status, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": type } });
/** A fetch that never answers (until its signal aborts, as fetch does). */
export const hang = (signal) =>
  new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason ?? new DOMException("The operation was aborted.", "AbortError"))));

// ---- labels: equal behaviour, equal transcripts ----
/**
 * Labels in order of appearance. `first(value, key, { name, names })`, when given, labels a string
 * before the common rules (tokens, refresh tokens, clock drift), or returns undefined.
 */
export function labeller(first) {
  const names = new Map();
  const counts = {};
  const name = (value, kind) => {
    if (!names.has(value)) {
      counts[kind] = (counts[kind] ?? 0) + 1;
      names.set(value, `<${kind}${counts[kind]}>`);
    }
    return names.get(value);
  };
  const payload = (jwt) => {
    try {
      return JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());
    } catch {
      return {};
    }
  };
  /** `value` with tokens, usernames and volatile numbers replaced (`key`: where it was found). */
  const canon = (value, key = "") => {
    if (typeof value === "string") {
      const own = first?.(value, key, { name, names });
      if (own !== undefined) return own;
      if (JWT.test(value)) return name(value, payload(value).token_use ?? "jwt");
      if (JWE.test(value) || /refreshToken$|^(Token|REFRESH_TOKEN|RefreshToken)$/.test(key)) return name(value, "refresh");
      if (/clockDrift$/.test(key)) return Math.abs(Number(value)) <= 2 ? "<~0>" : value;
      let text = value;
      for (const [raw, label] of names) if (raw.length >= 8 && text.includes(raw)) text = text.split(raw).join(label);
      return text;
    }
    if (typeof value === "number" && /clockDrift/i.test(key)) return Math.abs(value) <= 2000 ? "<~0>" : `${Math.round(value / 1000)}s`;
    if (Array.isArray(value)) return value.map((v) => canon(v, key));
    if (value && typeof value === "object") {
      const out = {};
      for (const k of Object.keys(value).sort()) {
        const labelKey = canon(k);
        if (k === "claims") out[labelKey] = Object.keys(value[k]).sort().map((c) => `${c}:${typeof value[k][c]}`);
        else if (k === "expiresAt" && typeof value.accessToken === "string") {
          // ms by this machine's clock: as the earlier token's exp plus the stored drift, in 10 s steps
          const exp = Math.min(payload(value.accessToken).exp ?? Infinity, payload(value.idToken).exp ?? Infinity) * 1000;
          out[labelKey] = `exp${Math.round((value[k] - exp) / 10_000) * 10}s`;
        } else out[labelKey] = canon(value[k], k);
      }
      return out;
    }
    return value;
  };
  return { name, canon };
}

/** A storage over a Map; `failWrites`/`async` as the scenario sets them. */
export function mapStorage(entries, { async = false } = {}) {
  const map = new Map(Object.entries(entries));
  const s = {
    map,
    failWrites: false,
    getItem: (k) => (async ? Promise.resolve(map.get(k) ?? null) : (map.get(k) ?? null)),
    setItem(k, v) {
      if (s.failWrites) throw new Error("QuotaExceededError (injected)");
      map.set(k, v);
      return async ? Promise.resolve() : undefined;
    },
    removeItem(k) {
      map.delete(k);
      return async ? Promise.resolve() : undefined;
    },
  };
  return s;
}

/** An error as the transcript holds it. */
export const errorOf = (e) => (e instanceof Error || (e && typeof e === "object") ? { error: { name: e.name, code: e.code, message: e.message, retryable: e.retryable, status: e.status, isError: e instanceof Error } } : { thrown: String(e) });


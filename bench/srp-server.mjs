// A small, fast, *verifying* Cognito SRP server for the sign-in latency benchmark (bench/bench.mjs).
//
// It speaks the two calls of a USER_SRP_AUTH sign-in (and, for the session pages of bench/size.mjs,
// REFRESH_TOKEN_AUTH and RevokeToken) over Cognito's JSON-1.1 protocol (POST /,
// X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth | RespondToAuthChallenge, errors as
// HTTP 400 {"__type", "message"} + x-amzn-errortype, CORS incl. preflight) and really verifies the
// PASSWORD_VERIFIER signature, as Cognito does (shared/docs/cognito-srp.md,
// tests/emulator/cognito_emulator/srp.py). Unlike the Python emulator it spends little time per
// sign-in: the modular exponentiations run in OpenSSL through node:crypto Diffie-Hellman, BigInt is
// used only for multiplications/additions. Nothing else of Cognito is here (no MFA, no admin API,
// tokens are unsigned JWT-shaped strings): it is a benchmark fixture, not an emulator.
//
//   import { start } from "./srp-server.mjs";
//   const server = await start({ port: 0 });   // {endpoint, userPoolId, clientId, addUser, close}
//   server.addUser("alice", "Passw0rd!");
//
// Self-checks: node --test bench/srp-server.test.mjs
import { createDiffieHellman, createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";

// --- SRP arithmetic ---------------------------------------------------------------------------

export const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
export const N = BigInt("0x" + N_HEX);
const N_BYTES = 384;

/** hex(n): signed minimal big-endian hex (Java BigInteger.toByteArray). */
export function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  if ("89abcdef".includes(h[0])) h = "00" + h;
  return h;
}
const hexBytes = (n) => Buffer.from(padHex(n), "hex");
const sha256 = (...parts) => { const h = createHash("sha256"); for (const p of parts) h.update(p); return h.digest(); };
const fromBuf = (b) => (b.length ? BigInt("0x" + b.toString("hex")) : 0n);
/** n as a big-endian Buffer of exactly `bytes` bytes (leading zeros kept). */
const toBuf = (n, bytes) => Buffer.from(n.toString(16).padStart(bytes * 2, "0"), "hex");
/** n as a big-endian Buffer of the fewest whole 32-byte words (an exponent for OpenSSL). */
const expBuf = (n) => toBuf(n, Math.max(32, Math.ceil(n.toString(16).length / 64) * 32));

export const K_MULTIPLIER = fromBuf(sha256(hexBytes(N), hexBytes(2n)));

// One DH context (the group N, g = 2) does every exponentiation; calls are synchronous, so sharing
// it within this single-threaded server is safe.
const dh = createDiffieHellman(toBuf(N, N_BYTES), 2);

/** g^e mod N (OpenSSL: the DH public key of private key e). */
export function powG(e) {
  dh.setPrivateKey(expBuf(e));
  return fromBuf(dh.generateKeys());
}

/** base^e mod N (OpenSSL: the DH shared secret of private key e with public key base); 1 < base < N−1. */
export function powMod(base, e) {
  dh.setPrivateKey(expBuf(e));
  return fromBuf(dh.computeSecret(toBuf(base, N_BYTES)));
}

/** x = H(bytes(hex(salt)) ‖ H(utf8(poolName ‖ userId ‖ ":" ‖ password))). */
export function computeX(poolName, userId, password, saltHex) {
  const inner = sha256(Buffer.from(`${poolName}${userId}:${password}`, "utf8"));
  return fromBuf(sha256(hexBytes(BigInt("0x" + saltHex)), inner));
}

/** u = H(bytes(hex(A) ‖ hex(B))). */
export const computeU = (A, B) => fromBuf(sha256(hexBytes(A), hexBytes(B)));

/** K = HMAC(HMAC(bytes(hex(u)), bytes(hex(S))), "Caldera Derived Key" ‖ 0x01)[:16]. */
export function deriveKey(u, S) {
  const prk = createHmac("sha256", hexBytes(u)).update(hexBytes(S)).digest();
  return createHmac("sha256", prk).update(Buffer.from("Caldera Derived Key\x01", "latin1")).digest().subarray(0, 16);
}

/** HMAC(K, utf8(poolName) ‖ utf8(userId) ‖ secretBlock ‖ utf8(TIMESTAMP)), raw 32 bytes. */
export function signatureBytes(key, poolName, userId, secretBlock, timestamp) {
  return createHmac("sha256", key)
    .update(Buffer.from(poolName, "utf8")).update(Buffer.from(userId, "utf8"))
    .update(secretBlock).update(Buffer.from(timestamp, "utf8"))
    .digest();
}

/** Server side of one login: random b, B = (k·v + g^b) mod N. */
export function serverEphemeral(v) {
  const b = fromBuf(randomBytes(32)) | 1n;
  return { b, B: (K_MULTIPLIER * v + powG(b)) % N };
}

/** S = (A · v^u)^b mod N. */
export const serverS = (A, v, u, b) => powMod((A * powMod(v, u)) % N, b);

// --- TIMESTAMP ("Www Mmm D HH:MM:SS UTC YYYY", day not zero-padded) ----------------------------

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const two = (n) => String(n).padStart(2, "0");
export function formatTimestamp(d) {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}
const TIMESTAMP_RE = /^([A-Z][a-z]{2}) ([A-Z][a-z]{2}) ([1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([0-9]{4})$/;
/** The time of a canonical TIMESTAMP (round-trips exactly, weekday matches), or null. */
export function parseTimestamp(text) {
  const m = TIMESTAMP_RE.exec(typeof text === "string" ? text : "");
  if (!m || !MONTHS.includes(m[2])) return null;
  const d = new Date(Date.UTC(+m[7], MONTHS.indexOf(m[2]), +m[3], +m[4], +m[5], +m[6]));
  return formatTimestamp(d) === text ? d : null;
}
const SKEW_MS = 5 * 60 * 1000;

// --- the server ---------------------------------------------------------------------------------

class CognitoError extends Error {
  constructor(type, message) { super(message); this.type = type; }
}
const INCORRECT = "Incorrect username or password.";
const b64url = (buf) => buf.toString("base64url");
const alnum = (n, alphabet) => Array.from(randomBytes(n), (x) => alphabet[x % alphabet.length]).join("");
const fakeJwt = (payload) =>
  `${b64url(Buffer.from(JSON.stringify({ kid: "bench", alg: "none" })))}.${b64url(Buffer.from(JSON.stringify(payload)))}.${b64url(randomBytes(32))}`;
const SESSION_MS = 3 * 60 * 1000;
const TARGET = "AWSCognitoIdentityProviderService.";

/**
 * Start the server on 127.0.0.1.
 * @returns {Promise<{endpoint: string, userPoolId: string, clientId: string, poolName: string,
 *   addUser(username: string, password: string): void, close(): Promise<void>, stats: object}>}
 */
export async function start({ port = 0, region = "us-east-1" } = {}) {
  const poolName = alnum(9, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
  const userPoolId = `${region}_${poolName}`;
  const clientId = alnum(26, "abcdefghijklmnopqrstuvwxyz0123456789");
  const users = new Map(); // username → {saltHex, v, sub}
  const sessions = new Map(); // Session → {username, A, B, b, v, secretBlock, expires}
  const refreshTokens = new Map(); // RefreshToken → username
  const stats = { initiateAuth: 0, respondToAuthChallenge: 0, signedIn: 0, rejected: 0, refreshed: 0, revoked: 0 };

  function addUser(username, password) {
    const saltHex = randomBytes(16).toString("hex"); // sent as 32 hex digits, leading zeros kept
    const v = powG(computeX(poolName, username, password, saltHex));
    users.set(username, { saltHex, v, sub: randomUUID() });
  }

  function checkClient(req) {
    if (req.ClientId !== clientId) throw new CognitoError("ResourceNotFoundException", `User pool client ${req.ClientId} does not exist.`);
  }
  const require = (obj, ...names) => {
    for (const n of names) {
      if (typeof obj?.[n] !== "string" || !obj[n]) throw new CognitoError("InvalidParameterException", `Missing required parameter ${n}`);
    }
  };

  function initiateAuth(req) {
    stats.initiateAuth++;
    require(req, "ClientId", "AuthFlow");
    checkClient(req);
    if (req.AuthFlow === "REFRESH_TOKEN_AUTH" || req.AuthFlow === "REFRESH_TOKEN") return refresh(req.AuthParameters ?? {});
    if (req.AuthFlow !== "USER_SRP_AUTH") throw new CognitoError("InvalidParameterException", `Initiate Auth method not supported: ${req.AuthFlow}`);
    const params = req.AuthParameters ?? {};
    require(params, "USERNAME", "SRP_A");
    if (!/^[0-9a-fA-F]{1,2048}$/.test(params.SRP_A)) throw new CognitoError("InvalidParameterException", "Invalid SRP_A: not a hex number");
    const A = BigInt("0x" + params.SRP_A) % N;
    if (A === 0n) throw new CognitoError("InvalidParameterException", "Invalid SRP_A: SRP_A mod N is zero");
    const username = params.USERNAME;
    const user = users.get(username);
    if (!user) throw new CognitoError("UserNotFoundException", "User does not exist.");
    const { b, B } = serverEphemeral(user.v);
    const secretBlock = randomBytes(768);
    const session = b64url(randomBytes(48));
    const now = Date.now();
    for (const [k, s] of sessions) if (s.expires < now) sessions.delete(k); // cheap: few open ones
    sessions.set(session, { username, A, B, b, v: user.v, secretBlock, expires: now + SESSION_MS });
    return {
      ChallengeName: "PASSWORD_VERIFIER", Session: session,
      ChallengeParameters: { SALT: user.saltHex, SRP_B: B.toString(16), SECRET_BLOCK: secretBlock.toString("base64"), USER_ID_FOR_SRP: username, USERNAME: username },
    };
  }

  function respondToAuthChallenge(req) {
    stats.respondToAuthChallenge++;
    require(req, "ClientId", "ChallengeName");
    checkClient(req);
    if (req.ChallengeName !== "PASSWORD_VERIFIER") throw new CognitoError("InvalidParameterException", `Unsupported challenge name: ${req.ChallengeName}`);
    const r = req.ChallengeResponses ?? {};
    require(r, "USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE");
    const ch = sessions.get(req.Session ?? "");
    if (!ch || ch.expires < Date.now()) throw new CognitoError("NotAuthorizedException", "Invalid session for the user, session is expired.");
    sessions.delete(req.Session); // one attempt per challenge, as Cognito
    const reject = () => { stats.rejected++; return new CognitoError("NotAuthorizedException", INCORRECT); };
    if (r.USERNAME !== ch.username || r.PASSWORD_CLAIM_SECRET_BLOCK !== ch.secretBlock.toString("base64")) throw reject();
    const when = parseTimestamp(r.TIMESTAMP);
    if (!when || Math.abs(when.getTime() - Date.now()) > SKEW_MS) throw reject();
    const u = computeU(ch.A, ch.B);
    if (u === 0n) throw reject();
    const key = deriveKey(u, serverS(ch.A, ch.v, u, ch.b));
    const expected = signatureBytes(key, poolName, ch.username, ch.secretBlock, r.TIMESTAMP);
    const claimed = Buffer.from(r.PASSWORD_CLAIM_SIGNATURE, "base64");
    // Constant-time compare (the length is not secret); the claim must also be canonical base64.
    const ok = claimed.length === expected.length && timingSafeEqual(claimed, expected);
    if (!ok || claimed.toString("base64") !== r.PASSWORD_CLAIM_SIGNATURE) throw reject();
    stats.signedIn++;
    const RefreshToken = b64url(randomBytes(96));
    refreshTokens.set(RefreshToken, ch.username);
    return { ChallengeParameters: {}, AuthenticationResult: { ...tokens(ch.username), RefreshToken } };
  }

  /** Access and ID token (unsigned, JWT-shaped), valid for an hour from now. */
  function tokens(username) {
    const user = users.get(username);
    const iat = Math.floor(Date.now() / 1000);
    const common = { sub: user.sub, iss: `${endpoint}${userPoolId}`, event_id: randomUUID(), auth_time: iat, iat, exp: iat + 3600 };
    return {
      AccessToken: fakeJwt({ ...common, client_id: clientId, token_use: "access", scope: "aws.cognito.signin.user.admin", jti: randomUUID(), username }),
      ExpiresIn: 3600, TokenType: "Bearer",
      IdToken: fakeJwt({ ...common, aud: clientId, token_use: "id", "cognito:username": username, jti: randomUUID() }),
    };
  }

  /** REFRESH_TOKEN_AUTH: new access and ID tokens for a refresh token this server issued and has not revoked. */
  function refresh(params) {
    stats.refreshed++;
    require(params, "REFRESH_TOKEN");
    const username = refreshTokens.get(params.REFRESH_TOKEN);
    if (!username) throw new CognitoError("NotAuthorizedException", "Invalid Refresh Token");
    return { ChallengeParameters: {}, AuthenticationResult: tokens(username) };
  }

  function revokeToken(req) {
    stats.revoked++;
    require(req, "ClientId", "Token");
    checkClient(req);
    refreshTokens.delete(req.Token);
    return {};
  }

  const handlers = { InitiateAuth: initiateAuth, RespondToAuthChallenge: respondToAuthChallenge, RevokeToken: revokeToken };
  const cors = () => ({
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "x-amzn-errortype, x-amzn-requestid",
  });

  const server = createServer((req, res) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...cors(),
        "access-control-allow-methods": "POST, OPTIONS",
        "access-control-allow-headers": req.headers["access-control-request-headers"] || "*",
        "access-control-max-age": "600",
      });
      res.end();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on("data", (c) => { size += c.length; if (size <= 1 << 20) chunks.push(c); });
    req.on("end", () => {
      let status = 200, body, extra = {};
      try {
        if (req.method !== "POST" || req.url !== "/") throw new CognitoError("UnknownOperationException", `${req.method} ${req.url}`);
        const target = String(req.headers["x-amz-target"] ?? "");
        const handler = target.startsWith(TARGET) ? handlers[target.slice(TARGET.length)] : undefined;
        if (!handler) throw new CognitoError("UnknownOperationException", `Unknown operation ${target}`);
        let json;
        try { json = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"); } catch { throw new CognitoError("SerializationException", "Malformed JSON"); }
        if (size > 1 << 20 || json === null || typeof json !== "object") throw new CognitoError("SerializationException", "Bad request body");
        body = handler(json);
      } catch (e) {
        if (!(e instanceof CognitoError)) e = new CognitoError("InternalErrorException", String(e?.message ?? e));
        status = e.type === "InternalErrorException" ? 500 : 400;
        body = { __type: e.type, message: e.message };
        extra = { "x-amzn-errortype": e.type };
      }
      const text = JSON.stringify(body);
      res.writeHead(status, {
        ...cors(), ...extra,
        "content-type": "application/x-amz-json-1.1",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": randomUUID(),
      });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((ok, fail) => { server.once("error", fail); server.listen(port, "127.0.0.1", ok); });
  const endpoint = `http://127.0.0.1:${server.address().port}/`;
  return {
    endpoint, userPoolId, clientId, poolName, addUser, stats,
    close: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }),
  };
}

// `node bench/srp-server.mjs [--port N]`: run it standalone (prints its config as one JSON line).
if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf("--port");
  const s = await start({ port: i > 0 ? Number(process.argv[i + 1]) : 0 });
  console.log(JSON.stringify({ endpoint: s.endpoint, userPoolId: s.userPoolId, clientId: s.clientId }));
  process.on("SIGTERM", () => s.close().then(() => process.exit(0)));
}

// Shared helpers for the emulator's end-to-end tests: start/stop the emulator,
// raw API calls, promisified amazon-cognito-identity-js, a TOTP generator and a
// small independent SRP client (for the app client with a secret, which
// amazon-cognito-identity-js cannot drive).
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import cognito from 'amazon-cognito-identity-js';

export const { CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute } = cognito;

const here = dirname(fileURLToPath(import.meta.url));
export const START = join(here, '..', 'start');

/** Spawn tests/emulator/start on a free port; resolve with {config, stop, logs}. */
export function startEmulator(args = []) {
  const proc = spawn(START, ['--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  proc.stderr.on('data', (d) => { logs += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { proc.kill('SIGKILL'); reject(new Error(`emulator not ready in 20 s:\n${logs}`)); }, 20000);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`emulator exited (${code}):\n${logs}`)); });
    proc.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const config = JSON.parse(out.slice(0, nl));
      resolve({
        config,
        logs: () => logs,
        async stop() {
          proc.kill('SIGTERM');
          const { code, signal } = await exited;
          assert.equal(signal, null, 'emulator died by signal');
          assert.equal(code, 0, `emulator exit code ${code}`);
          assert.ok(!logs.includes('Traceback'), `the emulator logged a traceback:\n${logs}`);
        },
      });
    });
  });
}

/** Raw Cognito API call; resolves {status, body, errorType}. */
export async function api(config, operation, body) {
  const res = await fetch(config.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), errorType: res.headers.get('x-amzn-errortype') };
}

/** Like api() but throws unless HTTP 200. */
export async function call(config, operation, body) {
  const r = await api(config, operation, body);
  if (r.status !== 200) throw Object.assign(new Error(`${operation}: ${r.body.__type}: ${r.body.message}`), { code: r.body.__type });
  return r.body;
}

export async function emulatorGet(config, path) {
  const res = await fetch(new URL(path, config.endpoint));
  return { status: res.status, body: await res.json() };
}

export async function emulatorPost(config, path, body = {}) {
  const res = await fetch(new URL(path, config.endpoint), { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

export async function latestCode(config, userPoolId, username) {
  const q = new URLSearchParams({ userPoolId, username });
  const r = await emulatorGet(config, `/_emulator/codes?${q}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

export function decodeJwt(token) {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

let counter = 0;
export function uniqueName(prefix) {
  counter += 1;
  return `${prefix}${process.pid}x${counter}${randomBytes(2).toString('hex')}`;
}

// --- amazon-cognito-identity-js, promisified --------------------------------------------

export function userPool(config, which = 'main') {
  const ids = {
    main: [config.userPoolId, config.clientId],
    alias: [config.aliasUserPoolId, config.aliasClientId],
    email: [config.emailUserPoolId, config.emailClientId],
  }[which];
  return new CognitoUserPool({ UserPoolId: ids[0], ClientId: ids[1], endpoint: config.endpoint });
}

export function signUp(pool, username, password, attrs = {}) {
  const list = Object.entries(attrs).map(([Name, Value]) => new CognitoUserAttribute({ Name, Value }));
  return new Promise((resolve, reject) => {
    pool.signUp(username, password, list, null, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

export function confirm(pool, username, code) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  return new Promise((resolve, reject) => {
    user.confirmRegistration(code, false, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** authenticateUser; resolves {kind: 'success'|'newPasswordRequired'|'totpRequired'|'mfaSetup', ...}. */
export function signIn(user, password, flow) {
  if (flow) user.setAuthenticationFlowType(flow);
  const details = new AuthenticationDetails({ Username: user.getUsername(), Password: password });
  return new Promise((resolve, reject) => {
    user.authenticateUser(details, callbacks(resolve, reject));
  });
}

export function callbacks(resolve, reject) {
  return {
    onSuccess: (session) => resolve({ kind: 'success', session }),
    onFailure: reject,
    newPasswordRequired: (userAttributes, requiredAttributes) =>
      resolve({ kind: 'newPasswordRequired', userAttributes, requiredAttributes }),
    totpRequired: (name, params) => resolve({ kind: 'totpRequired', params }),
    mfaRequired: (name, params) => resolve({ kind: 'mfaRequired', params }),
    mfaSetup: (name, params) => resolve({ kind: 'mfaSetup', params }),
  };
}

export function promisify(fn) {
  return new Promise((resolve, reject) => fn((err, res) => (err ? reject(err) : resolve(res))));
}

// --- TOTP (RFC 6238, SHA-1, 6 digits, 30 s) -----------------------------------------------

function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of s.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

export function totpCode(secretBase32, when = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(when / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// --- a minimal independent Cognito SRP client (BigInt + node:crypto) ---------------------

const N = BigInt('0x' + [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B',
  '302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE6',
  '49286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D',
  '670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718',
  '3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7D',
  'B3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C',
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF'].join(''));
const g = 2n;

function modPow(base, exp, mod) {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = '0' + h;
  if ('89abcdef'.includes(h[0])) h = '00' + h;
  return h;
}
const hexBuf = (n) => Buffer.from(padHex(n), 'hex');
const sha = (...bufs) => createHash('sha256').update(Buffer.concat(bufs)).digest();
const shaInt = (...bufs) => BigInt('0x' + sha(...bufs).toString('hex'));
const k = shaInt(hexBuf(N), hexBuf(g));

export function secretHash(secret, username, clientId) {
  return createHmac('sha256', secret).update(username + clientId).digest('base64');
}

/** Cognito's TIMESTAMP: 'Www Mmm D HH:MM:SS UTC YYYY' (day not padded). */
export function cognitoTimestamp(d = new Date(), padDay = false) {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n) => String(n).padStart(2, '0');
  const day = padDay ? p2(d.getUTCDate()) : String(d.getUTCDate());
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * USER_SRP_AUTH by hand. opts: {secret, hashName(login, userId) -> name used in the
 * challenge SECRET_HASH, initHash(login) -> SECRET_HASH for InitiateAuth (null = omit),
 * timestamp}. Resolves the RespondToAuthChallenge raw response.
 */
export async function srpSignIn(config, userPoolId, clientId, login, password, opts = {}) {
  const a = BigInt('0x' + randomBytes(32).toString('hex'));
  const A = modPow(g, a, N);
  const authParameters = { USERNAME: login, SRP_A: A.toString(16) };
  const initHash = opts.initHash ? opts.initHash(login) : (opts.secret ? secretHash(opts.secret, login, clientId) : null);
  if (initHash) authParameters.SECRET_HASH = initHash;
  const init = await api(config, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: clientId, AuthParameters: authParameters });
  if (init.status !== 200) return init;
  const p = init.body.ChallengeParameters;
  const userId = p.USER_ID_FOR_SRP;
  const B = BigInt('0x' + p.SRP_B);
  const salt = BigInt('0x' + p.SALT);
  const poolName = userPoolId.split('_')[1];
  const u = shaInt(hexBuf(A), hexBuf(B));
  const x = shaInt(hexBuf(salt), sha(Buffer.from(`${poolName}${userId}:${password}`, 'utf8')));
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, a + u * x, N);
  const prk = createHmac('sha256', hexBuf(u)).update(hexBuf(S)).digest();
  const key = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('Caldera Derived Key'), Buffer.from([1])])).digest().subarray(0, 16);
  const timestamp = opts.timestamp || cognitoTimestamp();
  const signature = createHmac('sha256', key).update(Buffer.concat([
    Buffer.from(poolName), Buffer.from(userId), Buffer.from(p.SECRET_BLOCK, 'base64'), Buffer.from(timestamp)])).digest('base64');
  const responses = { USERNAME: userId, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: timestamp, PASSWORD_CLAIM_SIGNATURE: signature };
  if (opts.secret) {
    const name = opts.hashName ? opts.hashName(login, userId) : userId;
    if (name !== null) responses.SECRET_HASH = secretHash(opts.secret, name, clientId);
  }
  const res = await api(config, 'RespondToAuthChallenge', {
    ChallengeName: 'PASSWORD_VERIFIER', ClientId: clientId, Session: init.body.Session, ChallengeResponses: responses });
  return { ...res, challenge: p };
}

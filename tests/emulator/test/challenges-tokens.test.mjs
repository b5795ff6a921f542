// NEW_PASSWORD_REQUIRED (AdminCreateUser), TOTP MFA, refresh tokens, GlobalSignOut / RevokeToken,
// token expiry and the /_emulator/ hooks, all through amazon-cognito-identity-js where it can.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoUser, api, call, callbacks, confirm, decodeJwt, emulatorGet, emulatorPost, latestCode, promisify, signIn,
  signUp, startEmulator, totpCode, uniqueName, userPool,
} from './helpers.mjs';

const PASSWORD = 'Chall3nge-Pass!';
let emu;
let config;

before(async () => {
  emu = await startEmulator();
  config = emu.config;
});
after(async () => { await emu?.stop(); });

async function confirmedUser(pool, prefix) {
  const username = uniqueName(prefix);
  await signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
  await confirm(pool, username, (await latestCode(config, pool.getUserPoolId(), username)).code);
  return username;
}

const completeNewPassword = (user, pw, attrs) => new Promise((resolve, reject) =>
  user.completeNewPasswordChallenge(pw, attrs, callbacks(resolve, reject)));

describe('NEW_PASSWORD_REQUIRED', () => {
  test('AdminCreateUser with a temporary password -> challenge -> new password -> tokens', async () => {
    const pool = userPool(config);
    const username = uniqueName('admin');
    const created = await call(config, 'AdminCreateUser', {
      UserPoolId: config.userPoolId, Username: username, TemporaryPassword: 'Temp0rary-Pass!',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
    });
    assert.equal(created.User.UserStatus, 'FORCE_CHANGE_PASSWORD');
    assert.equal((await latestCode(config, config.userPoolId, username)).purpose, 'TEMPORARY_PASSWORD');

    const user = new CognitoUser({ Username: username, Pool: pool });
    await assert.rejects(signIn(user, 'Wr0ng-Temp!'), { code: 'NotAuthorizedException' });
    const step = await signIn(user, 'Temp0rary-Pass!');
    assert.equal(step.kind, 'newPasswordRequired');
    assert.deepEqual(step.requiredAttributes, []);
    assert.deepEqual(step.userAttributes, { email: `${username}@example.com` });
    await assert.rejects(completeNewPassword(user, 'weak', {}), { code: 'InvalidPasswordException' });
    const done = await completeNewPassword(user, PASSWORD, { name: 'New Name' });
    assert.equal(done.kind, 'success');
    assert.equal(done.session.getIdToken().payload.name, 'New Name');
    const got = await call(config, 'AdminGetUser', { UserPoolId: config.userPoolId, Username: username });
    assert.equal(got.UserStatus, 'CONFIRMED');
    assert.equal((await signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD)).kind, 'success');
  });

  test('required attributes are listed and enforced (alias pool requires email)', async () => {
    const pool = userPool(config, 'alias');
    const username = uniqueName('req');
    await call(config, 'AdminCreateUser', { UserPoolId: config.aliasUserPoolId, Username: username, MessageAction: 'SUPPRESS' });
    const temp = (await latestCode(config, config.aliasUserPoolId, username)).code; // generated temporary password
    const user = new CognitoUser({ Username: username, Pool: pool });
    const step = await signIn(user, temp);
    assert.equal(step.kind, 'newPasswordRequired');
    assert.deepEqual(step.requiredAttributes, ['email']);
    await assert.rejects(completeNewPassword(user, PASSWORD, {}), { code: 'InvalidParameterException' });
    const done = await completeNewPassword(user, PASSWORD, { email: `${username}@example.com` });
    assert.equal(done.kind, 'success');
  });
});

describe('TOTP MFA', () => {
  test('associate -> verify -> prefer -> sign-in asks SOFTWARE_TOKEN_MFA; wrong code rejected', async () => {
    const pool = userPool(config);
    const username = await confirmedUser(pool, 'totp');
    const user = new CognitoUser({ Username: username, Pool: pool });
    await signIn(user, PASSWORD);
    const secret = await new Promise((resolve, reject) =>
      user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
    assert.match(secret, /^[A-Z2-7]{52}$/);
    const verify = (code) => new Promise((resolve, reject) =>
      user.verifySoftwareToken(code, 'emulator', { onSuccess: resolve, onFailure: reject }));
    const good = totpCode(secret);
    await assert.rejects(verify(String((Number(good) + 500000) % 1000000).padStart(6, '0')), { code: 'EnableSoftwareTokenMFAException' });
    assert.equal((await verify(good)).Status, 'SUCCESS');
    await promisify((cb) => user.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, cb));
    const got = await call(config, 'AdminGetUser', { UserPoolId: config.userPoolId, Username: username });
    assert.deepEqual(got.UserMFASettingList, ['SOFTWARE_TOKEN_MFA']);
    assert.equal(got.PreferredMfaSetting, 'SOFTWARE_TOKEN_MFA');

    const again = new CognitoUser({ Username: username, Pool: pool });
    assert.equal((await signIn(again, PASSWORD)).kind, 'totpRequired');
    const send = (code) => new Promise((resolve, reject) => again.sendMFACode(code, callbacks(resolve, reject), 'SOFTWARE_TOKEN_MFA'));
    await assert.rejects(send(String((Number(totpCode(secret)) + 500000) % 1000000).padStart(6, '0')), { code: 'CodeMismatchException' });
    const done = await send(totpCode(secret));
    assert.equal(done.kind, 'success');
    assert.equal(done.session.getIdToken().payload['cognito:username'], username);
  });
});

describe('tokens', () => {
  test('refresh via amazon-cognito-identity-js after expiry; stats count the refresh', async () => {
    const pool = userPool(config);
    const username = await confirmedUser(pool, 'refresh');
    await emulatorPost(config, '/_emulator/token-ttl', { seconds: 2 });
    try {
      const user = new CognitoUser({ Username: username, Pool: pool });
      const { session } = await signIn(user, PASSWORD);
      assert.equal(session.getAccessToken().getExpiration() - session.getAccessToken().getIssuedAt(), 2);
      await emulatorPost(config, '/_emulator/reset-stats');
      await new Promise((r) => setTimeout(r, 2300));
      const expired = await api(config, 'GetUser', { AccessToken: session.getAccessToken().getJwtToken() });
      assert.equal(expired.body.message, 'Access Token has expired');
      const fresh = await promisify((cb) => user.getSession(cb)); // refreshes: the session is no longer valid
      assert.notEqual(fresh.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
      assert.equal(fresh.getRefreshToken().getToken(), session.getRefreshToken().getToken());
      assert.equal(decodeJwt(fresh.getAccessToken().getJwtToken()).payload.origin_jti,
        decodeJwt(session.getAccessToken().getJwtToken()).payload.origin_jti);
      const stats = (await emulatorGet(config, '/_emulator/stats')).body;
      assert.equal(stats.authFlows.REFRESH_TOKEN_AUTH, 1);
      assert.equal(stats.operations.InitiateAuth, 1);
    } finally {
      await emulatorPost(config, '/_emulator/token-ttl', { seconds: 3600 });
    }
  });

  test('GlobalSignOut revokes the refresh token and the access token', async () => {
    const pool = userPool(config);
    const username = await confirmedUser(pool, 'gso');
    const user = new CognitoUser({ Username: username, Pool: pool });
    const { session } = await signIn(user, PASSWORD);
    const other = await signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD); // a second device
    await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
    for (const s of [session, other.session]) {
      const refresh = await api(config, 'InitiateAuth', {
        AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: config.clientId, AuthParameters: { REFRESH_TOKEN: s.getRefreshToken().getToken() } });
      assert.equal(refresh.body.__type, 'NotAuthorizedException');
      assert.equal(refresh.body.message, 'Refresh Token has been revoked');
      const me = await api(config, 'GetUser', { AccessToken: s.getAccessToken().getJwtToken() });
      assert.equal(me.body.__type, 'NotAuthorizedException');
    }
  });

  test('signOut with revocation (RevokeToken) revokes only that sign-in', async () => {
    const pool = userPool(config);
    const username = await confirmedUser(pool, 'rvk');
    const user = new CognitoUser({ Username: username, Pool: pool });
    const { session } = await signIn(user, PASSWORD);
    const other = await signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD);
    await new Promise((resolve, reject) => user.signOut((err) => (err ? reject(err) : resolve())));
    const refresh = (s) => api(config, 'InitiateAuth', {
      AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: config.clientId, AuthParameters: { REFRESH_TOKEN: s.getRefreshToken().getToken() } });
    assert.equal((await refresh(session)).body.message, 'Refresh Token has been revoked');
    assert.equal((await refresh(other.session)).status, 200);
    assert.equal((await api(config, 'GetUser', { AccessToken: other.session.getAccessToken().getJwtToken() })).status, 200);
  });

  test('JWKS verifies the ID token signature', async () => {
    const pool = userPool(config);
    const username = await confirmedUser(pool, 'jwks');
    const { session } = await signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD);
    const token = session.getIdToken().getJwtToken();
    const { keys } = (await emulatorGet(config, new URL(config.jwksUri).pathname)).body;
    const jwk = keys.find((k) => k.kid === decodeJwt(token).header.kid);
    const { createPublicKey, verify } = await import('node:crypto');
    const key = createPublicKey({ key: jwk, format: 'jwk' });
    const [h, p, s] = token.split('.');
    assert.ok(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')));
  });
});

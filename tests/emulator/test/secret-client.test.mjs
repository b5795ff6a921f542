// The app client with a secret: SECRET_HASH rules for SRP (hand-written client),
// USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, sign-up and RevokeToken; TIMESTAMP rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { api, call, cognitoTimestamp, latestCode, secretHash, srpSignIn, startEmulator, uniqueName } from './helpers.mjs';

const PASSWORD = 'S3cret-Client!';
let emu;
let config;
let cid;
let secret;

before(async () => {
  emu = await startEmulator();
  config = emu.config;
  cid = config.secretClientId;
  secret = config.clientSecret;
});
after(async () => { await emu?.stop(); });

async function confirmedUser(prefix) {
  const username = uniqueName(prefix);
  const email = `${username}@example.com`;
  const noHash = await api(config, 'SignUp', { ClientId: cid, Username: username, Password: PASSWORD });
  assert.equal(noHash.body.__type, 'NotAuthorizedException');
  await call(config, 'SignUp', {
    ClientId: cid, Username: username, Password: PASSWORD, SecretHash: secretHash(secret, username, cid),
    UserAttributes: [{ Name: 'email', Value: email }],
  });
  const { code } = await latestCode(config, config.userPoolId, username);
  await call(config, 'ConfirmSignUp', { ClientId: cid, Username: username, ConfirmationCode: code, SecretHash: secretHash(secret, username, cid) });
  return { username, email };
}

describe('SRP with a client secret', () => {
  test('correct SECRET_HASH signs in; missing or wrong is rejected', async () => {
    const { username } = await confirmedUser('sec');
    const ok = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD, { secret });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.ok(ok.body.AuthenticationResult.IdToken);

    const missingInit = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD, { secret, initHash: () => null });
    assert.equal(missingInit.status, 400);
    assert.equal(missingInit.body.__type, 'NotAuthorizedException');
    assert.equal(missingInit.errorType, 'NotAuthorizedException');

    const wrongInit = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD,
      { secret, initHash: (login) => secretHash('not-the-secret', login, cid) });
    assert.equal(wrongInit.body.__type, 'NotAuthorizedException');
    assert.equal(wrongInit.body.message, `Unable to verify secret hash for client ${cid}`);

    const missingResp = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD, { secret, hashName: () => null });
    assert.equal(missingResp.body.__type, 'NotAuthorizedException');

    const wrongPassword = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD + '!', { secret });
    assert.equal(wrongPassword.body.__type, 'NotAuthorizedException');
    assert.equal(wrongPassword.body.message, 'Incorrect username or password.');
  });

  test('login != USER_ID_FOR_SRP: challenge SECRET_HASH must use USER_ID_FOR_SRP', async () => {
    // The main pool is case-insensitive: log in as USERNAME in upper case; USER_ID_FOR_SRP is the stored name.
    const { username } = await confirmedUser('case');
    const upper = username.toUpperCase();
    const good = await srpSignIn(config, config.userPoolId, cid, upper, PASSWORD, { secret });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.equal(good.challenge.USER_ID_FOR_SRP, username);
    const bad = await srpSignIn(config, config.userPoolId, cid, upper, PASSWORD, { secret, hashName: (login) => login });
    assert.equal(bad.body.__type, 'NotAuthorizedException');
    assert.equal(bad.body.message, `Unable to verify secret hash for client ${cid}`);
  });

  test('TIMESTAMP: zero-padded day and > 5 min skew are rejected', async () => {
    const { username } = await confirmedUser('ts');
    if (new Date().getUTCDate() < 10) { // padding only changes one-digit days (the unit tests cover the rest)
      const padded = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD, { secret, timestamp: cognitoTimestamp(new Date(), true) });
      assert.equal(padded.body.__type, 'NotAuthorizedException');
    }
    const skewed = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD,
      { secret, timestamp: cognitoTimestamp(new Date(Date.now() - 6 * 60 * 1000)) });
    assert.equal(skewed.body.__type, 'NotAuthorizedException');
    const nearly = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD,
      { secret, timestamp: cognitoTimestamp(new Date(Date.now() - 4 * 60 * 1000)) });
    assert.equal(nearly.status, 200);
    const garbage = await srpSignIn(config, config.userPoolId, cid, username, PASSWORD, { secret, timestamp: new Date().toISOString() });
    assert.equal(garbage.body.__type, 'NotAuthorizedException');
  });
});

describe('other flows with a client secret', () => {
  test('USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH and RevokeToken', async () => {
    const { username, email } = await confirmedUser('pw');
    const auth = (params) => api(config, 'InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: cid, AuthParameters: params });
    assert.equal((await auth({ USERNAME: username, PASSWORD })).body.__type, 'NotAuthorizedException');
    assert.equal((await auth({ USERNAME: username, PASSWORD, SECRET_HASH: secretHash(secret, email, cid) })).body.__type, 'NotAuthorizedException');
    const ok = await auth({ USERNAME: username, PASSWORD, SECRET_HASH: secretHash(secret, username, cid) });
    assert.equal(ok.status, 200);
    const { RefreshToken, AccessToken, ExpiresIn, TokenType } = ok.body.AuthenticationResult;
    assert.equal(TokenType, 'Bearer');
    assert.equal(ExpiresIn, 3600);
    assert.equal(RefreshToken.split('.').length, 5);

    const refresh = (params) => api(config, 'InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: cid, AuthParameters: params });
    assert.equal((await refresh({ REFRESH_TOKEN: RefreshToken })).body.__type, 'NotAuthorizedException');
    const refreshed = await refresh({ REFRESH_TOKEN: RefreshToken, SECRET_HASH: secretHash(secret, username, cid) });
    assert.equal(refreshed.status, 200);
    assert.equal(refreshed.body.AuthenticationResult.RefreshToken, undefined);
    assert.notEqual(refreshed.body.AuthenticationResult.AccessToken, AccessToken);

    const noSecret = await api(config, 'RevokeToken', { Token: RefreshToken, ClientId: cid });
    assert.equal(noSecret.body.__type, 'UnauthorizedException');
    const accessAsToken = await api(config, 'RevokeToken', { Token: AccessToken, ClientId: cid, ClientSecret: secret });
    assert.equal(accessAsToken.body.__type, 'UnsupportedTokenTypeException');
    await call(config, 'RevokeToken', { Token: RefreshToken, ClientId: cid, ClientSecret: secret });
    const revoked = await refresh({ REFRESH_TOKEN: RefreshToken, SECRET_HASH: secretHash(secret, username, cid) });
    assert.equal(revoked.body.__type, 'NotAuthorizedException');
    assert.equal(revoked.body.message, 'Refresh Token has been revoked');
    const getUser = await api(config, 'GetUser', { AccessToken });
    assert.equal(getUser.body.__type, 'NotAuthorizedException');
  });
});

// Sign-up, confirmation codes, SRP sign-in (amazon-cognito-identity-js), aliases, forgot password.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoUser, api, confirm, decodeJwt, emulatorGet, emulatorPost, latestCode, promisify, signIn, signUp,
  startEmulator, uniqueName, userPool,
} from './helpers.mjs';

const PASSWORD = 'Corr3ct-Horse!';
let emu;
let config;

before(async () => {
  emu = await startEmulator();
  config = emu.config;
});
after(async () => { await emu?.stop(); });

describe('startup', () => {
  test('prints the JSON line with Cognito-shaped ids', () => {
    for (const key of ['userPoolId', 'aliasUserPoolId', 'emailUserPoolId']) {
      assert.match(config[key], /^us-east-1_[0-9A-Za-z]{9}$/);
    }
    assert.match(config.clientId, /^[0-9a-z]{26}$/);
    assert.notEqual(config.clientId, config.secretClientId);
    assert.ok(config.clientSecret.length >= 40);
    assert.equal(config.region, 'us-east-1');
    assert.equal(config.jwksUri, `${config.endpoint}${config.userPoolId}/.well-known/jwks.json`);
  });

  test('CORS preflight allows the headers amazon-cognito-identity-js sends', async () => {
    const res = await fetch(config.endpoint, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-amz-target,x-amz-user-agent,cache-control',
      },
    });
    assert.equal(res.status, 200);
    assert.ok(['*', 'http://localhost:5173'].includes(res.headers.get('access-control-allow-origin')));
    const allowed = res.headers.get('access-control-allow-headers').toLowerCase();
    for (const h of ['content-type', 'x-amz-target', 'x-amz-user-agent', 'cache-control']) assert.ok(allowed.includes(h), h);
    const err = await fetch(config.endpoint, {
      method: 'POST',
      headers: { Origin: 'http://localhost:5173', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetUser', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{"AccessToken":"nope"}',
    });
    assert.equal(err.status, 400);
    assert.equal(err.headers.get('x-amzn-errortype'), 'NotAuthorizedException');
    assert.ok(err.headers.get('access-control-expose-headers').toLowerCase().includes('x-amzn-errortype'));
    assert.deepEqual(Object.keys(await err.json()).sort(), ['__type', 'message']);
  });
});

describe('sign-up and SRP sign-in (main pool)', () => {
  test('sign up -> code -> confirm -> sign in; ID token claims; wrong password rejected', async () => {
    const pool = userPool(config);
    const username = uniqueName('alice');
    const email = `${username}@example.com`;
    const res = await signUp(pool, username, PASSWORD, { email, name: 'Alice' });
    assert.equal(res.userConfirmed, false);
    assert.deepEqual(res.codeDeliveryDetails, { Destination: `${username[0]}***@e***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' });

    const user0 = new CognitoUser({ Username: username, Pool: pool });
    await assert.rejects(signIn(user0, PASSWORD), { code: 'UserNotConfirmedException' });

    const code = await latestCode(config, config.userPoolId, username);
    assert.match(code.code, /^[0-9]{6}$/);
    assert.equal(code.purpose, 'SIGN_UP');
    assert.equal(await confirm(pool, username, code.code), 'SUCCESS');

    const user = new CognitoUser({ Username: username, Pool: pool });
    const { kind, session } = await signIn(user, PASSWORD);
    assert.equal(kind, 'success');
    const id = decodeJwt(session.getIdToken().getJwtToken());
    assert.equal(id.header.alg, 'RS256');
    assert.ok(id.header.kid);
    assert.equal(id.payload.token_use, 'id');
    assert.equal(id.payload.aud, config.clientId);
    assert.equal(id.payload['cognito:username'], username);
    assert.equal(id.payload.email, email);
    assert.equal(id.payload.email_verified, true);
    assert.equal(id.payload.name, 'Alice');
    assert.equal(id.payload.sub, res.userSub);
    assert.equal(id.payload.iss, `${config.endpoint}${config.userPoolId}`);
    for (const c of ['exp', 'iat', 'auth_time', 'jti', 'origin_jti', 'event_id']) assert.ok(id.payload[c], c);
    const access = decodeJwt(session.getAccessToken().getJwtToken()).payload;
    assert.equal(access.token_use, 'access');
    assert.equal(access.client_id, config.clientId);
    assert.equal(access.username, username);
    assert.equal(access.scope, 'aws.cognito.signin.user.admin');
    assert.equal(session.isValid(), true);

    const attrs = await promisify((cb) => user.getUserAttributes(cb));
    assert.equal(attrs.find((a) => a.getName() === 'email').getValue(), email);

    const jwks = await emulatorGet(config, `/${config.userPoolId}/.well-known/jwks.json`);
    assert.equal(jwks.body.keys[0].kid, id.header.kid);

    const wrong = new CognitoUser({ Username: username, Pool: pool });
    await assert.rejects(signIn(wrong, PASSWORD + 'x'), { code: 'NotAuthorizedException', message: 'Incorrect username or password.' });

    // USER_PASSWORD_AUTH through the same library
    const plain = new CognitoUser({ Username: username, Pool: pool });
    assert.equal((await signIn(plain, PASSWORD, 'USER_PASSWORD_AUTH')).kind, 'success');
    await assert.rejects(signIn(new CognitoUser({ Username: username, Pool: pool }), 'Wr0ng-password', 'USER_PASSWORD_AUTH'),
      { code: 'NotAuthorizedException' });
  });

  test('sign-up validation: policy, duplicates, bad input', async () => {
    const pool = userPool(config);
    const username = uniqueName('val');
    await assert.rejects(signUp(pool, username, 'short1!A'.slice(0, 5), { email: 'v@example.com' }), { code: 'InvalidPasswordException' });
    await assert.rejects(signUp(pool, username, 'nouppercase1!', { email: 'v@example.com' }), { code: 'InvalidPasswordException' });
    await assert.rejects(signUp(pool, username, 'NoSymbols123', { email: 'v@example.com' }), { code: 'InvalidPasswordException' });
    await signUp(pool, username, PASSWORD, { email: 'v@example.com' });
    await assert.rejects(signUp(pool, username.toUpperCase(), PASSWORD, { email: 'v@example.com' }), { code: 'UsernameExistsException' });
    await assert.rejects(signUp(pool, uniqueName('val'), PASSWORD, { email: 'not-an-email' }), { code: 'InvalidParameterException' });
    await assert.rejects(signUp(pool, 'has space', PASSWORD, {}), { code: 'InvalidParameterException' });
  });

  test('unknown user: NotAuthorizedException (PreventUserExistenceErrors=ENABLED)', async () => {
    const user = new CognitoUser({ Username: uniqueName('ghost'), Pool: userPool(config) });
    await assert.rejects(signIn(user, PASSWORD), { code: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  test('disabled user: "User is disabled."', async () => {
    const pool = userPool(config);
    const username = uniqueName('dis');
    await signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    assert.equal((await api(config, 'AdminConfirmSignUp', { UserPoolId: config.userPoolId, Username: username })).status, 200);
    assert.equal((await api(config, 'AdminDisableUser', { UserPoolId: config.userPoolId, Username: username })).status, 200);
    await assert.rejects(signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD),
      { code: 'NotAuthorizedException', message: 'User is disabled.' });
    await api(config, 'AdminEnableUser', { UserPoolId: config.userPoolId, Username: username });
    assert.equal((await signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD)).kind, 'success');
  });
});

describe('confirmation codes', () => {
  test('wrong code -> CodeMismatch, expired -> ExpiredCode, resend works, 5 failures -> LimitExceeded', async () => {
    const pool = userPool(config);
    const username = uniqueName('codes');
    await signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    const first = (await latestCode(config, config.userPoolId, username)).code;
    const wrong = first === '000000' ? '111111' : '000000';
    await assert.rejects(confirm(pool, username, wrong), { code: 'CodeMismatchException' });

    const expired = await emulatorPost(config, '/_emulator/expire-codes', { userPoolId: config.userPoolId, username });
    assert.equal(expired.body.expired, 1);
    await assert.rejects(confirm(pool, username, first), { code: 'ExpiredCodeException' });

    const user = new CognitoUser({ Username: username, Pool: pool });
    const resent = await promisify((cb) => user.resendConfirmationCode(cb));
    assert.equal(resent.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const second = (await latestCode(config, config.userPoolId, username)).code;
    const bad = second === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) await assert.rejects(confirm(pool, username, bad), { code: 'CodeMismatchException' });
    await assert.rejects(confirm(pool, username, second), { code: 'LimitExceededException' });

    await promisify((cb) => user.resendConfirmationCode(cb));
    assert.equal(await confirm(pool, username, (await latestCode(config, config.userPoolId, username)).code), 'SUCCESS');
    await assert.rejects(promisify((cb) => user.resendConfirmationCode(cb)), { code: 'InvalidParameterException' });
  });
});

describe('aliases and username attributes', () => {
  test('alias pool: sign in with the verified email alias; USER_ID_FOR_SRP is the username', async () => {
    const pool = userPool(config, 'alias');
    const username = uniqueName('bob');
    const email = `${username}@example.org`;
    await assert.rejects(signUp(pool, email, PASSWORD, { email }), { code: 'InvalidParameterException' });
    await assert.rejects(signUp(pool, username, PASSWORD, {}), { code: 'InvalidParameterException' }); // email required
    await signUp(pool, username, PASSWORD, { email });
    // An unverified alias is not a login name.
    await assert.rejects(signIn(new CognitoUser({ Username: email, Pool: pool }), PASSWORD), { code: 'NotAuthorizedException' });
    await confirm(pool, username, (await latestCode(config, config.aliasUserPoolId, username)).code);

    const user = new CognitoUser({ Username: email, Pool: pool });
    const { kind, session } = await signIn(user, PASSWORD);
    assert.equal(kind, 'success');
    assert.equal(user.getUsername(), username); // the library switched to USER_ID_FOR_SRP
    assert.equal(session.getIdToken().payload['cognito:username'], username);
    await assert.rejects(signIn(new CognitoUser({ Username: email, Pool: pool }), 'Wr0ng-Password!'), { code: 'NotAuthorizedException' });
  });

  test('email-as-username pool: username is the sub', async () => {
    const pool = userPool(config, 'email');
    const email = `${uniqueName('carol')}@example.net`;
    const res = await signUp(pool, email, PASSWORD, {});
    const code = await latestCode(config, config.emailUserPoolId, email);
    await confirm(pool, email, code.code);
    const user = new CognitoUser({ Username: email, Pool: pool });
    const { session } = await signIn(user, PASSWORD);
    assert.equal(user.getUsername(), res.userSub);
    assert.equal(session.getAccessToken().payload.username, res.userSub);
    assert.equal(session.getIdToken().payload.email, email);
  });
});

describe('forgot password', () => {
  test('ForgotPassword -> code -> ConfirmForgotPassword -> sign in with the new password', async () => {
    const pool = userPool(config);
    const username = uniqueName('dave');
    await signUp(pool, username, PASSWORD, { email: `${username}@example.com` });
    const unconfirmed = new CognitoUser({ Username: username, Pool: pool });
    await assert.rejects(new Promise((resolve, reject) => unconfirmed.forgotPassword({ onSuccess: resolve, onFailure: reject })),
      { code: 'InvalidParameterException' }); // no verified email yet
    await confirm(pool, username, (await latestCode(config, config.userPoolId, username)).code);

    const user = new CognitoUser({ Username: username, Pool: pool });
    const sent = await new Promise((resolve, reject) => user.forgotPassword({ onSuccess: resolve, onFailure: reject }));
    assert.equal(sent.CodeDeliveryDetails.AttributeName, 'email');
    const code = await latestCode(config, config.userPoolId, username);
    assert.equal(code.purpose, 'FORGOT_PASSWORD');
    const NEW = 'N3w-Passw0rd!';
    const confirmPassword = (c, pw) => new Promise((resolve, reject) =>
      user.confirmPassword(c, pw, { onSuccess: resolve, onFailure: reject }));
    await assert.rejects(confirmPassword(code.code, 'weak'), { code: 'InvalidPasswordException' });
    await assert.rejects(confirmPassword(code.code === '000000' ? '111111' : '000000', NEW), { code: 'CodeMismatchException' });
    await confirmPassword(code.code, NEW);
    await assert.rejects(signIn(new CognitoUser({ Username: username, Pool: pool }), PASSWORD), { code: 'NotAuthorizedException' });
    assert.equal((await signIn(new CognitoUser({ Username: username, Pool: pool }), NEW)).kind, 'success');

    // forgot-password codes expire too
    await new Promise((resolve, reject) => user.forgotPassword({ onSuccess: resolve, onFailure: reject }));
    const again = await latestCode(config, config.userPoolId, username);
    await emulatorPost(config, '/_emulator/expire-codes', { userPoolId: config.userPoolId, username });
    await assert.rejects(confirmPassword(again.code, PASSWORD), { code: 'ExpiredCodeException' });
  });
});

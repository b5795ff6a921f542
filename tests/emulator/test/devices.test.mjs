// Remembered devices with amazon-cognito-identity-js: it confirms the device offered at sign-in
// (generateHashDevice + ConfirmDevice) and answers DEVICE_SRP_AUTH on the next sign-in; the
// emulator checks that proof with its server-side SRP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CognitoUser, CognitoUserPool, call, confirm, emulatorGet, latestCode, signIn, signUp, startEmulator, uniqueName,
} from './helpers.mjs';

const PASSWORD = 'Corr3ct-Horse!';
let emu;
let config;

before(async () => {
  emu = await startEmulator();
  config = emu.config;
});
after(async () => { await emu?.stop(); });

function memoryStorage() {
  const items = new Map();
  return {
    items,
    setItem: (k, v) => { items.set(k, String(v)); },
    getItem: (k) => (items.has(k) ? items.get(k) : null),
    removeItem: (k) => { items.delete(k); },
    clear: () => items.clear(),
  };
}

async function deviceChallenges() {
  const { body } = await emulatorGet(config, '/_emulator/stats');
  return body.authFlows.DEVICE_PASSWORD_VERIFIER ?? 0;
}

test('amazon-cognito-identity-js confirms the device and passes DEVICE_SRP_AUTH', async () => {
  const storage = memoryStorage();
  const pool = new CognitoUserPool({
    UserPoolId: config.devicesUserPoolId, ClientId: config.devicesClientId, endpoint: config.endpoint, Storage: storage,
  });
  const name = uniqueName('jsdev');
  await signUp(pool, name, PASSWORD, { email: `${name}@example.com` });
  await confirm(pool, name, (await latestCode(config, config.devicesUserPoolId, name)).code);

  const first = await signIn(new CognitoUser({ Username: name, Pool: pool, Storage: storage }), PASSWORD);
  assert.equal(first.kind, 'success');
  const prefix = `CognitoIdentityServiceProvider.${config.devicesClientId}.${name}`;
  const deviceKey = storage.getItem(`${prefix}.deviceKey`);
  assert.ok(deviceKey && storage.getItem(`${prefix}.deviceGroupKey`) && storage.getItem(`${prefix}.randomPasswordKey`));
  const token = first.session.getAccessToken().getJwtToken();
  const listed = await call(config, 'ListDevices', { AccessToken: token });
  assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);

  const before = await deviceChallenges();
  const second = await signIn(new CognitoUser({ Username: name, Pool: pool, Storage: storage }), PASSWORD);
  assert.equal(second.kind, 'success');
  assert.equal(await deviceChallenges(), before + 1);

  storage.setItem(`${prefix}.randomPasswordKey`, 'tampered');
  await assert.rejects(signIn(new CognitoUser({ Username: name, Pool: pool, Storage: storage }), PASSWORD),
    (err) => err.code === 'NotAuthorizedException');
});

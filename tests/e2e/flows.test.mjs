// The demo page (www/) in headless Chromium, every flow a newcomer walks: sign-up and
// confirmation, SRP sign-in with its timing, the session panel, refresh, sign-out, a wrong
// password, errors as sentences, forgot password, NEW_PASSWORD_REQUIRED and TOTP.
// Screenshots go to tests/e2e/screenshots/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, sessionPanel, settle, shot, signIn, startDemo, totp, uniqueName } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.close(); });

/** Opens a fresh profile; the test fails on any page error or console error. */
async function openPage(t, query) {
  const opened = await demo.open(query);
  t.after(async () => {
    await opened.context.close();
  });
  return opened;
}
const noProblems = (problems) => assert.deepEqual(problems, [], "the page logged errors");

test("sign up, confirm with the emulator's code, SRP sign-in, claims and expiry, refresh, sign out", async (t) => {
  const { page, problems } = await openPage(t);
  const username = uniqueName("newcomer");
  const signup = page.locator("#signup-section");
  await signup.getByLabel("Username").fill(username);
  await signup.getByLabel("Email").fill(`${username}@example.com`);
  await signup.getByLabel("Password").fill(PASSWORD);
  await signup.getByRole("button", { name: "Sign up" }).click();
  const signedUp = await settle(page, "signup");
  assert.equal(signedUp.error, "");
  assert.match(signedUp.result, new RegExp(`Account ${username} created\\. A confirmation code was sent to \\w\\*\\*\\*@\\w\\*\\*\\*`));
  assert.match(signedUp.result, /The emulator sends no email: it prints the code in the terminal running scripts\/demo, and “Get the code from the emulator” below fetches it\./);
  await shot(page, "01-signed-up");

  const confirm = page.locator("#confirm-section");
  assert.equal(await confirm.getByLabel("Username").inputValue(), username, "the username is carried over");
  await confirm.getByRole("button", { name: "Get the code from the emulator" }).click();
  await settle(page, "confirm");
  const expected = await demo.latestCode(username, "SIGN_UP");
  assert.equal(await confirm.getByLabel("Confirmation code").inputValue(), expected.code);
  await confirm.getByRole("button", { name: "Confirm", exact: true }).click();
  const confirmed = await settle(page, "confirm");
  assert.equal(confirmed.error, "");
  assert.equal(confirmed.result, `Account ${username} is confirmed. You can sign in now.`);
  await shot(page, "02-confirmed");

  const before = Date.now();
  await signIn(page, username, PASSWORD);
  const panel = await sessionPanel(page);
  assert.equal(panel.state, "signed-in", `signed in (page says: ${await page.locator("#signin-message").textContent()})`);
  assert.equal(panel.username, username);
  assert.equal(panel.claims["cognito:username"], username);
  assert.equal(panel.claims.email, `${username}@example.com`);
  assert.equal(panel.claims.token_use, "id");
  assert.equal(panel.claims.aud, demo.config.clientId);
  const exp = Number(panel.claims.exp.split(" ")[0]);
  assert.ok(exp * 1000 > before, "exp is in the future");
  assert.match(panel.expiresIn, /^(\d+ h )?\d+ min \d+ s$/);
  assert.notEqual(panel.expiresAt, "");

  // The SRP timing: measured around signIn, split into the two round trips and the local work.
  const timing = page.locator("#signin-timing-result");
  const timingText = await timing.textContent();
  assert.match(timingText, /^Sign-in took \d+ ms: about \d+ ms of SRP work in WebAssembly here, \d+ ms waiting for Cognito \(InitiateAuth \d+ ms, RespondToAuthChallenge \d+ ms\)\.$/);
  const total = Number(await timing.getAttribute("data-total-ms"));
  const srp = Number(await timing.getAttribute("data-srp-ms"));
  assert.ok(total > 0 && srp >= 0 && srp <= total, `timing ${srp} of ${total} ms`);
  assert.ok(total <= Date.now() - before, "the measured time fits in the time the test waited");
  await shot(page, "03-signed-in");

  // Refresh: new tokens (another jti) from the same sign-in (same origin_jti and auth_time).
  await page.getByRole("button", { name: "Refresh tokens now" }).click();
  const refreshed = await settle(page, "session");
  assert.equal(refreshed.error, "");
  assert.match(refreshed.result, /^Tokens refreshed at .+; the new ones expire at .+\.$/);
  const afterRefresh = await sessionPanel(page);
  assert.equal(afterRefresh.state, "signed-in");
  assert.notEqual(afterRefresh.claims.jti, panel.claims.jti, "refresh gave a new ID token");
  assert.equal(afterRefresh.claims.origin_jti, panel.claims.origin_jti);
  assert.equal(afterRefresh.claims.auth_time, panel.claims.auth_time);
  await shot(page, "04-refreshed");

  await page.getByRole("button", { name: "Sign out" }).click();
  const signedOut = await settle(page, "session");
  assert.equal(signedOut.error, "");
  assert.match(signedOut.result, /^Signed out: this session's refresh token was revoked/);
  assert.equal((await sessionPanel(page)).state, "signed-out");
  assert.equal(await page.locator("#session-details").isHidden(), true);
  await shot(page, "05-signed-out");
  noProblems(problems);
});

test("a wrong password reads as a sentence, shows the SRP timing and signs nobody in", async (t) => {
  const { page, problems } = await openPage(t);
  const username = await demo.confirmedUser("wrongpw");
  await signIn(page, username, "Not-The-Passw0rd!");
  const message = await page.locator("#signin-message").textContent();
  assert.equal(message, "Incorrect username or password. (NotAuthorizedException)");
  assert.match(await page.locator("#signin-timing-result").textContent(), /^Sign-in took \d+ ms: .*, then it was refused\.$/);
  assert.equal((await sessionPanel(page)).state, "signed-out");
  await shot(page, "06-wrong-password");

  // The same form then works with the right password.
  await signIn(page, username, PASSWORD);
  assert.equal((await sessionPanel(page)).state, "signed-in");
  assert.equal(await page.locator("#signin-message").textContent(), "");
  noProblems(problems);
});

test("other errors read as sentences: taken username, weak password, unconfirmed account, wrong code", async (t) => {
  const { page, problems } = await openPage(t);
  const signup = page.locator("#signup-section");
  const taken = await demo.confirmedUser("taken");
  await signup.getByLabel("Username").fill(taken);
  await signup.getByLabel("Email").fill(`${taken}@example.com`);
  await signup.getByLabel("Password").fill(PASSWORD);
  await signup.getByRole("button", { name: "Sign up" }).click();
  assert.equal((await settle(page, "signup")).error,
    "That username is already taken. Choose another one, or sign in. (UsernameExistsException)");

  const fresh = uniqueName("unconfirmed");
  await signup.getByLabel("Username").fill(fresh);
  await signup.getByLabel("Password").fill("alllowercase");
  await signup.getByRole("button", { name: "Sign up" }).click();
  assert.match((await settle(page, "signup")).error,
    /^That password is not allowed: password must have .+\. \(InvalidPasswordException\)$/);
  await shot(page, "07-weak-password");

  await signup.getByLabel("Password").fill(PASSWORD);
  await signup.getByRole("button", { name: "Sign up" }).click();
  assert.equal((await settle(page, "signup")).error, "");
  await signIn(page, fresh, PASSWORD);
  assert.match(await page.locator("#signin-message").textContent(),
    /^This account is not confirmed yet\. .+ \(UserNotConfirmedException\)$/);

  const real = (await demo.latestCode(fresh, "SIGN_UP")).code;
  const wrong = real === "000000" ? "111111" : "000000";
  const confirm = page.locator("#confirm-section");
  await confirm.getByLabel("Confirmation code").fill(wrong);
  await confirm.getByRole("button", { name: "Confirm", exact: true }).click();
  assert.equal((await settle(page, "confirm")).error,
    "That code is not right. Check it and try again. (CodeMismatchException)");
  await shot(page, "08-wrong-code");
  noProblems(problems);
});

test("forgot password: the emulator's reset code, a new password, the old one refused", async (t) => {
  const { page, problems } = await openPage(t);
  const username = await demo.confirmedUser("forgot");
  const newPassword = "N3w-Passw0rd!" + Math.floor(Math.random() * 1000);
  const forgot = page.locator("#forgot-section");
  await forgot.getByLabel("Username").fill(username);
  await forgot.getByRole("button", { name: "Send a reset code" }).click();
  assert.match((await settle(page, "forgot")).result, /a reset code was sent to \w\*\*\*@\w\*\*\*\. Enter it/);
  await forgot.getByRole("button", { name: "Get the code from the emulator" }).click();
  await settle(page, "forgot");
  const expected = await demo.latestCode(username, "FORGOT_PASSWORD");
  assert.equal(await forgot.getByLabel("Reset code").inputValue(), expected.code);
  await forgot.getByLabel("New password").fill(newPassword);
  await forgot.getByRole("button", { name: "Set the new password" }).click();
  const reset = await settle(page, "forgot");
  assert.equal(reset.error, "");
  assert.equal(reset.result, `The password of ${username} was changed. Sign in with the new one.`);
  await shot(page, "09-password-reset");

  await signIn(page, username, PASSWORD);
  assert.equal(await page.locator("#signin-message").textContent(), "Incorrect username or password. (NotAuthorizedException)");
  await signIn(page, username, newPassword);
  assert.equal((await sessionPanel(page)).username, username);
  noProblems(problems);
});

test("NEW_PASSWORD_REQUIRED: a user created with a temporary password chooses a new one", async (t) => {
  const { page, problems } = await openPage(t);
  const admin = page.locator("#admin-section");
  await admin.getByRole("button", { name: "Create a user who must change password" }).click();
  const created = await settle(page, "admin");
  assert.equal(created.error, "");
  const username = await admin.getByLabel("Username").inputValue();
  const temporary = await admin.getByLabel("Temporary password").inputValue();
  assert.equal(created.result, `Created ${username} with the temporary password ${temporary}. Sign in with it: Cognito will ask for a new password.`);
  assert.equal((await demo.latestCode(username, "TEMPORARY_PASSWORD")).code, temporary, "the emulator holds that temporary password");

  await signIn(page, username, temporary);
  const challenge = page.locator("#challenge-section");
  assert.equal(await challenge.getAttribute("data-challenge"), "NEW_PASSWORD_REQUIRED");
  assert.equal(await page.locator("#new-password-form").isVisible(), true);
  assert.equal(await page.locator("#totp-challenge-form").isVisible(), false);
  assert.equal((await sessionPanel(page)).state, "signed-out");
  await shot(page, "10-new-password-required");

  // A password against the policy is refused with a sentence, and the challenge stays open.
  await challenge.getByLabel("New password").fill("short");
  await challenge.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForFunction(() => document.getElementById("challenge-message").textContent !== "");
  assert.match(await page.locator("#challenge-message").textContent(), /^(That password is not allowed|Cognito refused the request): .+\./);
  const chosen = "Ch0sen-Passw0rd!";
  await challenge.getByLabel("New password").fill(chosen);
  await challenge.getByRole("button", { name: "Set password and sign in" }).click();
  await page.waitForFunction(() => document.getElementById("session-status").dataset.state === "signed-in");
  assert.equal(await challenge.isHidden(), true);
  assert.equal((await sessionPanel(page)).claims["cognito:username"], username);
  await shot(page, "11-new-password-set");

  await page.getByRole("button", { name: "Sign out" }).click();
  await settle(page, "session");
  await signIn(page, username, temporary);
  assert.equal(await page.locator("#signin-message").textContent(), "Incorrect username or password. (NotAuthorizedException)");
  await signIn(page, username, chosen);
  assert.equal((await sessionPanel(page)).state, "signed-in");
  noProblems(problems);
});

test("TOTP: set up an authenticator, then sign in through SOFTWARE_TOKEN_MFA", async (t) => {
  const { page, problems } = await openPage(t);
  const username = await demo.confirmedUser("totp");
  const totpSection = page.locator("#totp-section");
  assert.equal(await totpSection.getByRole("button", { name: "Set up an authenticator app" }).isDisabled(), true,
    "TOTP set-up needs a session");
  await signIn(page, username, PASSWORD);
  await totpSection.getByRole("button", { name: "Set up an authenticator app" }).click();
  await page.waitForSelector("#totp-setup:not([hidden])");
  const secret = await page.locator("#totp-secret").textContent();
  assert.match(secret, /^[A-Z2-7]{32,}=*$/, "a base32 secret");
  const uri = new URL(await page.locator("#totp-uri").getAttribute("href"));
  assert.equal(uri.protocol, "otpauth:");
  assert.equal(uri.searchParams.get("secret"), secret);
  assert.match(decodeURIComponent(uri.pathname), new RegExp(`${username}$`));
  await shot(page, "12-totp-secret");

  await totpSection.getByLabel("Code from the app").fill(totp(secret));
  await totpSection.getByRole("button", { name: "Verify and turn on TOTP" }).click();
  const enabled = await settle(page, "totp");
  assert.equal(enabled.error, "");
  assert.equal(enabled.result, "TOTP is on. From the next sign-in, Cognito asks for a code from the app.");

  await page.getByRole("button", { name: "Sign out" }).click();
  await settle(page, "session");
  await signIn(page, username, PASSWORD);
  const challenge = page.locator("#challenge-section");
  assert.equal(await challenge.getAttribute("data-challenge"), "SOFTWARE_TOKEN_MFA");
  assert.equal((await sessionPanel(page)).state, "signed-out");

  // A wrong code (none of the codes of the accepted ±1 steps) is refused; the challenge stays.
  const now = Date.now();
  const valid = new Set([-30_000, 0, 30_000].map((d) => totp(secret, now + d)));
  const wrong = ["000000", "111111", "222222", "333333"].find((c) => !valid.has(c));
  await challenge.getByLabel("Authenticator code").fill(wrong);
  await challenge.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForFunction(() => document.getElementById("challenge-message").textContent !== "");
  assert.equal(await page.locator("#challenge-message").textContent(), "That code is not right. Check it and try again. (CodeMismatchException)");
  await shot(page, "13-totp-wrong-code");

  await challenge.getByLabel("Authenticator code").fill(totp(secret));
  await challenge.getByRole("button", { name: "Verify and sign in" }).click();
  await page.waitForFunction(() => document.getElementById("session-status").dataset.state === "signed-in");
  assert.equal((await sessionPanel(page)).username, username);
  await shot(page, "14-totp-signed-in");
  noProblems(problems);
});

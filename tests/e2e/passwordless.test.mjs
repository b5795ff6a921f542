// The demo page's "Sign in with a code by email" in headless Chromium: USER_AUTH with EMAIL_OTP,
// the emulator's code, a wrong code (the challenge stays), the right one, the session panel.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { sessionPanel, settle, shot, startDemo } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.close(); });

test("sign in with a code by email: a wrong code, then the emulator's code", async (t) => {
  const { page, context, problems } = await demo.open();
  t.after(() => context.close());
  const username = await demo.confirmedUser("emailcode");
  const card = page.locator("#code-signin-section");
  await card.getByLabel("Username").fill(username);
  await card.getByRole("button", { name: "Email me a code" }).click();
  await page.waitForSelector("#email-code-challenge-form:not([hidden])");
  const challenge = page.locator("#challenge-section");
  assert.equal(await challenge.getAttribute("data-challenge"), "EMAIL_OTP");
  assert.match(await page.locator("#email-code-sent").textContent(), /^A code was emailed to \w\*\*\*@\w\*\*\*\./);
  assert.equal((await sessionPanel(page)).state, "signed-out");
  await shot(page, "20-email-code-sent");

  const { code } = await demo.latestCode(username, "EMAIL_OTP");
  await challenge.getByLabel("Code from the email").fill(code === "000000" ? "111111" : "000000");
  await challenge.getByRole("button", { name: "Sign in with the code" }).click();
  await page.waitForFunction(() => document.getElementById("challenge-message").textContent !== "");
  assert.equal(await page.locator("#challenge-message").textContent(),
    "That code is not right. Check it and try again. (CodeMismatchException)");
  assert.equal(await challenge.isHidden(), false, "the challenge stays for another try");

  await challenge.getByRole("button", { name: "Get the code from the emulator" }).click();
  await page.waitForFunction((c) => document.getElementById("challenge-email-code").value === c, code);
  await challenge.getByRole("button", { name: "Sign in with the code" }).click();
  await page.waitForFunction(() => document.getElementById("session-status").dataset.state === "signed-in");
  const panel = await sessionPanel(page);
  assert.equal(panel.username, username);
  assert.equal(panel.claims.email_verified, "true");
  assert.equal((await settle(page, "code-signin")).result, `Signed in as ${username}.`);
  await shot(page, "21-email-code-signed-in");
  assert.deepEqual(problems, [], "the page logged errors");
});

test("an account without a verified email is told which factors it has", async (t) => {
  const { page, context, problems } = await demo.open();
  t.after(() => context.close());
  await demo.call("AdminCreateUser", { UserPoolId: demo.config.userPoolId, Username: "no-mail-" + Date.now(),
    TemporaryPassword: "Temp-0rary-Pass!", MessageAction: "SUPPRESS" }).then(async ({ User }) => {
    const card = page.locator("#code-signin-section");
    await card.getByLabel("Username").fill(User.Username);
    await card.getByRole("button", { name: "Email me a code" }).click();
  });
  await page.waitForSelector("#challenge-other:not([hidden])");
  assert.equal(await page.locator("#challenge-section").getAttribute("data-challenge"), "SELECT_CHALLENGE");
  assert.equal(await page.locator("#challenge-other").textContent(),
    "This account cannot get a code by email; it can sign in with PASSWORD, PASSWORD_SRP.");
  assert.deepEqual(problems, [], "the page logged errors");
});

// The demo's passkey section in headless Chromium with a virtual authenticator (CDP): sign in
// with the password, "Add a passkey", the list, sign out, "Sign in with a passkey", delete it.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { PASSWORD, sessionPanel, settle, shot, signIn, startDemo } from "./harness.mjs";

let demo;
before(async () => { demo = await startDemo(); });
after(async () => { await demo?.close(); });

async function withAuthenticator(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { protocol: "ctap2", transport: "internal",
    hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
}

test("add a passkey, sign out, sign in with it, delete it", async (t) => {
  const { context, page, problems } = await demo.open();
  t.after(() => context.close());
  await withAuthenticator(context, page);
  const username = await demo.confirmedUser("passkey");
  await signIn(page, username, PASSWORD);
  assert.equal((await sessionPanel(page)).state, "signed-in");

  const section = page.locator("#passkey-section");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  const added = await settle(page, "passkey");
  assert.equal(added.error, "");
  assert.match(added.result, /Passkey added/);
  assert.equal(await page.locator("#passkey-items li").count(), 1);
  assert.match(await page.locator("#passkey-items li").textContent(), /platform · internal/);
  await shot(page, "passkey-added");

  await page.locator("#sign-out").click();
  await page.waitForFunction(() => document.getElementById("session-status").dataset.state === "signed-out");
  await section.getByLabel("Username").fill(username);
  await section.getByRole("button", { name: "Sign in with a passkey" }).click();
  const signedIn = await settle(page, "passkey");
  assert.equal(signedIn.error, "");
  assert.match(signedIn.result, new RegExp(`Signed in as ${username} with a passkey\\.`));
  const panel = await sessionPanel(page);
  assert.equal(panel.state, "signed-in");
  assert.equal(panel.username, username);

  await section.getByRole("button", { name: "List my passkeys" }).click();
  await page.waitForFunction(() => document.querySelectorAll("#passkey-items li").length === 1);
  await page.locator("#passkey-items li button", { hasText: "Delete" }).click();
  const deleted = await settle(page, "passkey");
  assert.match(deleted.result, /Passkey deleted\./);
  assert.equal(await page.locator("#passkey-items li").count(), 0);
  assert.deepEqual(problems, [], "the page logged errors");
});

test("a refused prompt is explained as a sentence", async (t) => {
  const { context, page } = await demo.open();
  t.after(() => context.close());
  await withAuthenticator(context, page);
  const username = await demo.confirmedUser("passkey");
  await signIn(page, username, PASSWORD);
  const section = page.locator("#passkey-section");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await settle(page, "passkey");
  await section.getByRole("button", { name: "Add a passkey" }).click(); // the same authenticator again
  const twice = await settle(page, "passkey");
  assert.match(twice.error, /already holds a passkey for this account\. \(InvalidStateError\)/);
});

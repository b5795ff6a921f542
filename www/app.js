// The cognito-wasm demo page. Plain ES module, no framework: one CognitoAuth, one handler per form.
import { describeError } from "./errors.js";
import * as demo from "./demo-helpers.js";

const $ = (id) => document.getElementById(id);
const STORAGE_CHOICE_KEY = "cognito-wasm-demo.storage";
const SESSION_KEY_PREFIX = "CognitoIdentityServiceProvider.";

// ---------------------------------------------------------------------------------------------
// Boot: the package (its classes wait for the .wasm by themselves; `init()` resolves once it is
// instantiated, so the time below is the module's) and the server's config.

const boot = $("boot");
let cognito;
let config;
try {
  const started = performance.now();
  [cognito, config] = await Promise.all([
    import("/pkg/browser.js").then(async (module) => (await module.init(), module)),
    fetch("/config.json").then((r) => {
      if (!r.ok) throw new Error(`GET /config.json answered ${r.status}`);
      return r.json();
    }),
  ]);
  boot.textContent = `WebAssembly module loaded in ${Math.round(performance.now() - started)} ms.`;
} catch (e) {
  boot.textContent =
    `The demo could not start: ${e.message}. Build the package (scripts/build-pkg) and start the page with scripts/demo.`;
  boot.classList.add("message");
  throw e;
}

const facts = { Endpoint: config.endpoint, "User pool": config.userPoolId, "App client": config.clientId };
for (const [term, value] of Object.entries(facts)) {
  const dt = document.createElement("dt");
  dt.textContent = term;
  const dd = document.createElement("dd");
  dd.textContent = value;
  $("config").append(dt, dd);
}
$("config").hidden = false;
document.body.classList.toggle("demo-mode", Boolean(config.demoMode));

// ---------------------------------------------------------------------------------------------
// Storage adapters (the `storage` option of CognitoAuth).

const ADAPTERS = {
  local: {
    className: "WebStorage",
    label: "localStorage",
    make: () => new cognito.WebStorage("local"),
    survives: "The session survives a reload, new tabs and a browser restart, until you sign out.",
  },
  session: {
    className: "WebStorage",
    label: "sessionStorage",
    make: () => new cognito.WebStorage("session"),
    survives: "The session survives a reload of this tab only; a new tab starts signed out.",
  },
  cookie: {
    className: "CookieStorage",
    label: "cookies",
    // Browsers refuse Secure cookies from plain-http pages other than localhost.
    make: () => new cognito.CookieStorage({ secure: location.protocol === "https:" }),
    survives: "The session survives a reload and new tabs; the cookies are also sent to this site's server.",
  },
  memory: {
    className: "MemoryStorage",
    label: "memory",
    make: () => new cognito.MemoryStorage(),
    survives: "Nothing survives a reload: the session lives only in this page's CognitoAuth.",
  },
};

// Which adapters this build of cognito-wasm has (the storage option arrived with them).
for (const a of Object.values(ADAPTERS)) a.available = typeof cognito[a.className] === "function";
const storageApi = Object.values(ADAPTERS).some((a) => a.available);
for (const option of $("storage-adapter").options) {
  if (!ADAPTERS[option.value].available) {
    option.disabled = true;
    option.textContent += " (not in this build)";
  }
}

function chosenAdapter() {
  const fromUrl = new URLSearchParams(location.search).get("storage");
  if (fromUrl && ADAPTERS[fromUrl]?.available) {
    localStorage.setItem(STORAGE_CHOICE_KEY, fromUrl);
    return fromUrl;
  }
  const saved = localStorage.getItem(STORAGE_CHOICE_KEY);
  if (saved && ADAPTERS[saved]?.available) return saved;
  return Object.keys(ADAPTERS).find((name) => ADAPTERS[name].available);
}

let adapter = storageApi ? chosenAdapter() : "memory";

// ---------------------------------------------------------------------------------------------
// The client. Its fetch is wrapped to time each request, so a sign-in's time splits into
// "waiting for Cognito" and "SRP work in the browser".

let requestLog = null;
async function timedFetch(input, init) {
  const headers = input instanceof Request ? input.headers : new Headers(init?.headers);
  const operation = (headers.get("x-amz-target") ?? "request").split(".").pop();
  const started = performance.now();
  const response = await fetch(input, init);
  const body = [101, 204, 205, 304].includes(response.status) ? null : await response.arrayBuffer();
  requestLog?.push({ operation, ms: performance.now() - started });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

let auth;
let unsubscribe = () => {};
function createAuth() {
  unsubscribe();
  auth?.free();
  const options = { userPoolId: config.userPoolId, clientId: config.clientId, endpoint: config.endpoint, fetch: timedFetch };
  if (ADAPTERS[adapter].available) options.storage = ADAPTERS[adapter].make();
  auth = new cognito.CognitoAuth(options);
  unsubscribe = typeof auth.onSessionChange === "function" ? auth.onSessionChange((s) => showSession(s)) : () => {};
}

// ---------------------------------------------------------------------------------------------
// Small UI helpers.

function say(prefix, text) {
  $(`${prefix}-result`).textContent = text ?? "";
}

function sayError(prefix, error) {
  const { text, code } = describeError(error);
  const el = $(`${prefix}-message`);
  el.textContent = text;
  const detail = document.createElement("span");
  detail.className = "code";
  detail.textContent = ` (${code})`;
  el.append(detail);
  if (!error?.code) console.error(error);
}

/** Runs an action for a section: clears its messages, marks it busy, shows errors as sentences. */
async function act(prefix, work) {
  const section = $(`${prefix}-section`);
  const message = $(`${prefix}-message`);
  message.textContent = "";
  if ($(`${prefix}-result`)) say(prefix, "");
  section.setAttribute("aria-busy", "true");
  section.querySelectorAll("button").forEach((b) => (b.disabled = true));
  try {
    await work();
  } catch (error) {
    sayError(prefix, error);
  } finally {
    section.removeAttribute("aria-busy");
    section.querySelectorAll("button").forEach((b) => (b.disabled = false));
    syncButtons();
  }
}

const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTime = (ms) => new Date(ms).toLocaleString([], { dateStyle: "medium", timeStyle: "medium" });
function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [h && `${h} h`, (h || m) && `${m} min`, `${s % 60} s`].filter(Boolean).join(" ");
}
const fill = (ids, value) => ids.forEach((id) => { if (value) $(id).value = value; });

// ---------------------------------------------------------------------------------------------
// The session panel.

let current = null;

function showSession(session) {
  current = session && session.idToken ? session : null;
  const status = $("session-status");
  $("session-details").hidden = !current;
  if (!current) {
    status.dataset.state = "signed-out";
    status.textContent = `Signed out. No session is stored in ${ADAPTERS[adapter].label}.`;
  } else {
    status.dataset.state = "signed-in";
    status.textContent = `Signed in as ${current.username}. The session is stored in ${ADAPTERS[adapter].label}.`;
    $("session-username").textContent = current.username;
    $("session-expires-at").textContent = dateTime(current.expiresAt);
    renderClaims(current.claims ?? {});
  }
  tick();
  syncButtons();
}

function renderClaims(claims) {
  const body = $("claims").tBodies[0];
  body.replaceChildren();
  for (const name of Object.keys(claims).sort()) {
    const value = claims[name];
    const row = body.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = name;
    row.append(th);
    const cell = row.insertCell();
    cell.dataset.claim = name;
    const text = typeof value === "string" ? value : JSON.stringify(value);
    cell.textContent = ["exp", "iat", "auth_time"].includes(name) && typeof value === "number"
      ? `${text} (${dateTime(value * 1000)})`
      : text;
  }
}

function tick() {
  if (current) {
    const left = current.expiresAt - Date.now();
    $("session-expires-in").textContent = left > 0
      ? duration(left)
      : `expired ${duration(-left)} ago (the next getSession() refreshes it)`;
  }
  renderStorageInspector();
}
setInterval(tick, 1000);

function syncButtons() {
  $("totp-start").disabled = !current;
  $("passkey-add").disabled = !current;
  $("passkey-list").disabled = !current;
}

// ---------------------------------------------------------------------------------------------
// Storage switch and inspector.

function cookieEntries() {
  return document.cookie.split(/;\s*/).filter(Boolean).map((pair) => {
    const at = pair.indexOf("=");
    return [decodeURIComponent(pair.slice(0, at)), decodeURIComponent(pair.slice(at + 1))];
  });
}

function webStorageEntries(store) {
  const out = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    out.push([key, store.getItem(key)]);
  }
  return out;
}

const short = (value) => (value.length > 28 ? `${value.slice(0, 24)}… (${value.length} chars)` : value);

function renderStorageInspector() {
  const prefix = `${SESSION_KEY_PREFIX}${config.clientId}.`;
  const places = [
    ["localStorage", webStorageEntries(localStorage)],
    ["sessionStorage", webStorageEntries(sessionStorage)],
    ["cookies", cookieEntries()],
  ];
  const list = $("storage-inspector");
  const items = [];
  for (const [place, entries] of places) {
    const mine = entries.filter(([key]) => key.startsWith(prefix));
    const li = document.createElement("li");
    li.dataset.place = place;
    li.dataset.count = String(mine.length);
    const title = document.createElement("strong");
    title.textContent = `${place}: `;
    li.append(title, mine.length ? `${mine.length} key${mine.length > 1 ? "s" : ""}` : "nothing");
    if (mine.length) {
      const ul = document.createElement("ul");
      for (const [key, value] of mine) {
        const item = document.createElement("li");
        const code = document.createElement("code");
        code.textContent = key.slice(prefix.length);
        item.append(code, ` = ${short(value ?? "")}`);
        ul.append(item);
      }
      li.append(ul);
    }
    items.push(li);
  }
  const memory = document.createElement("li");
  memory.dataset.place = "memory";
  const title = document.createElement("strong");
  title.textContent = "memory: ";
  memory.append(title, adapter === "memory" && current ? "the session, inside this page only" : "nothing");
  // MemoryStorage can list its keys; the page cannot see them any other way.
  const memoryKeys = adapter === "memory" && typeof auth?.storage?.keys === "function" ? auth.storage.keys() : [];
  if (memoryKeys.length) {
    const ul = document.createElement("ul");
    for (const key of memoryKeys) {
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = key.replace(prefix, "");
      item.append(code);
      ul.append(item);
    }
    memory.append(ul);
  }
  items.push(memory);
  // Replace only when something changed, so screen readers and selections are not disturbed.
  const html = items.map((li) => li.outerHTML).join("");
  if (list.dataset.html !== html) {
    list.replaceChildren(...items);
    list.dataset.html = html;
  }
}

function explainStorage() {
  const explain = $("storage-explain");
  if (!storageApi) {
    $("storage-adapter").disabled = true;
    explain.textContent =
      "This build of cognito-wasm has no storage option yet (no WebStorage, CookieStorage or MemoryStorage " +
      "exports), so the session lives in memory and a reload signs you out. Rebuild pkg/ once the storage " +
      "adapters have landed.";
    return;
  }
  explain.textContent = `${ADAPTERS[adapter].survives} Sign in, then reload the page to see it.`;
}

$("storage-adapter").value = adapter;
$("storage-adapter").addEventListener("change", (event) =>
  act("storage", async () => {
    adapter = event.target.value;
    localStorage.setItem(STORAGE_CHOICE_KEY, adapter);
    const url = new URL(location.href);
    url.searchParams.set("storage", adapter);
    history.replaceState(null, "", url);
    explainStorage();
    createAuth();
    $("restore-note").hidden = true;
    // The adapters are independent: what the newly chosen one holds is what the page now shows.
    showSession(await auth.getSession());
  }),
);
$("reload").addEventListener("click", () => location.reload());

// ---------------------------------------------------------------------------------------------
// Sign in, and its challenges.

function showTiming(totalMs, log, failed) {
  const network = log.reduce((sum, r) => sum + r.ms, 0);
  const local = Math.max(0, totalMs - network);
  const calls = log.map((r) => `${r.operation} ${Math.round(r.ms)} ms`).join(", ");
  const text =
    `Sign-in took ${Math.round(totalMs)} ms: about ${Math.round(local)} ms of SRP work in WebAssembly here, ` +
    `${Math.round(network)} ms waiting for Cognito (${calls || "no requests"})${failed ? ", then it was refused" : ""}.`;
  const el = $("signin-timing-result");
  el.textContent = text;
  el.dataset.totalMs = String(Math.round(totalMs));
  el.dataset.srpMs = String(Math.round(local));
  $("signin-timing").textContent = text;
}

function afterSignIn(result, prefix) {
  if (result.signedIn) {
    $("challenge-section").hidden = true;
    $("restore-note").hidden = true;
    showSession(result.session);
    say(prefix, `Signed in as ${result.session.username}.`);
    return;
  }
  showChallenge(result);
}

let challengeUsername = "";

function showChallenge({ challenge, parameters, codeDelivery, availableChallenges }) {
  const section = $("challenge-section");
  section.hidden = false;
  section.dataset.challenge = challenge;
  $("new-password-form").hidden = challenge !== "NEW_PASSWORD_REQUIRED";
  $("totp-challenge-form").hidden = challenge !== "SOFTWARE_TOKEN_MFA";
  $("email-code-challenge-form").hidden = challenge !== "EMAIL_OTP";
  const other = $("challenge-other");
  other.hidden = ["NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA", "EMAIL_OTP"].includes(challenge);
  other.textContent = challenge === "SELECT_CHALLENGE"
    ? `This account cannot get a code by email; it can sign in with ${availableChallenges?.join(", ") || "nothing"}.`
    : `Cognito asks for the ${challenge} challenge, which this demo does not handle.`;
  if (challenge === "EMAIL_OTP") {
    $("email-code-sent").textContent = `A code was emailed${codeDelivery?.destination ? ` to ${codeDelivery.destination}` : ""}` +
      ". The emulator sends no email: it prints the code in the terminal running scripts/demo" +
      (config.demoMode ? ", and “Get the code from the emulator” fetches it" : "") + ".";
    $("challenge-email-code").focus();
  }
  if (challenge === "NEW_PASSWORD_REQUIRED") {
    const box = $("required-attributes");
    box.replaceChildren();
    let required = [];
    try {
      required = JSON.parse(parameters?.requiredAttributes ?? "[]");
    } catch { /* none */ }
    for (const full of required) {
      const name = full.replace(/^userAttributes\./, "");
      const label = document.createElement("label");
      label.htmlFor = `attr-${name}`;
      label.textContent = `${name} (required by the pool)`;
      const input = document.createElement("input");
      input.id = `attr-${name}`;
      input.dataset.attribute = name;
      input.required = true;
      box.append(label, input);
    }
    $("challenge-new-password").focus();
  } else if (challenge === "SOFTWARE_TOKEN_MFA") {
    $("challenge-totp-code").focus();
  }
  section.scrollIntoView({ block: "nearest" });
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("signin", async () => {
    $("challenge-section").hidden = true;
    say("session", "");
    requestLog = [];
    const started = performance.now();
    let result;
    try {
      result = await auth.signIn({ username: $("signin-username").value.trim(), password: $("signin-password").value });
    } finally {
      showTiming(performance.now() - started, requestLog, !result);
      requestLog = null;
    }
    $("signin-password").value = "";
    afterSignIn(result, "signin");
  });
});

$("new-password-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("challenge", async () => {
    const attributes = {};
    for (const input of $("required-attributes").querySelectorAll("input")) attributes[input.dataset.attribute] = input.value;
    const result = await auth.respondToChallenge({ newPassword: $("challenge-new-password").value, attributes });
    $("challenge-new-password").value = "";
    afterSignIn(result, "signin");
  });
});

$("code-signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("code-signin", async () => {
    $("challenge-section").hidden = true;
    challengeUsername = $("code-signin-username").value.trim();
    const result = await auth.signIn({ username: challengeUsername, flow: "USER_AUTH", preferredChallenge: "EMAIL_OTP" });
    afterSignIn(result, "code-signin");
  });
});

$("email-code-fetch").addEventListener("click", () =>
  act("challenge", async () => {
    const { code } = await demo.emulatorCode(config.endpoint, { userPoolId: config.userPoolId, username: challengeUsername, purpose: "EMAIL_OTP" });
    $("challenge-email-code").value = code;
  }),
);

$("email-code-challenge-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("challenge", async () => {
    const result = await auth.respondToChallenge({ code: $("challenge-email-code").value.trim() });
    $("challenge-email-code").value = "";
    afterSignIn(result, "code-signin");
  });
});

$("totp-challenge-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("challenge", async () => {
    const result = await auth.respondToChallenge({ code: $("challenge-totp-code").value.trim() });
    $("challenge-totp-code").value = "";
    afterSignIn(result, "signin");
  });
});

// ---------------------------------------------------------------------------------------------
// Session actions.

$("refresh").addEventListener("click", () =>
  act("session", async () => {
    const session = await auth.refreshSession();
    showSession(session);
    say("session", `Tokens refreshed at ${clock(Date.now())}; the new ones expire at ${clock(session.expiresAt)}.`);
  }),
);

$("sign-out").addEventListener("click", () =>
  act("session", async () => {
    const global = $("sign-out-global").checked;
    try {
      await auth.signOut({ global });
    } finally {
      showSession(await auth.getSession().catch(() => null));
    }
    $("totp-setup").hidden = true;
    say("session", global
      ? "Signed out everywhere: every refresh token of this user was revoked."
      : "Signed out: this session's refresh token was revoked and the stored session removed.");
  }),
);

// ---------------------------------------------------------------------------------------------
// Sign up, confirm, forgot password.

$("signup-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("signup", async () => {
    const username = $("signup-username").value.trim();
    const result = await auth.signUp({
      username,
      password: $("signup-password").value,
      attributes: { email: $("signup-email").value.trim() },
    });
    fill(["confirm-username", "signin-username", "forgot-username", "code-signin-username"], username);
    if (result.userConfirmed) {
      say("signup", `Account ${username} created and already confirmed. You can sign in.`);
      return;
    }
    const d = result.codeDelivery ?? {};
    say("signup", `Account ${username} created. A confirmation code was sent` +
      (d.destination ? ` to ${d.destination}` : "") + (d.medium ? ` by ${d.medium.toLowerCase()}` : "") +
      ". The emulator sends no email: it prints the code in the terminal running scripts/demo" +
      (config.demoMode ? ", and “Get the code from the emulator” below fetches it" : "") +
      ". Enter it under “Confirm the sign-up”.");
  });
});

$("confirm-fetch-code").addEventListener("click", () =>
  act("confirm", async () => {
    const username = $("confirm-username").value.trim();
    const { code } = await demo.emulatorCode(config.endpoint, { userPoolId: config.userPoolId, username, purpose: "SIGN_UP" });
    $("confirm-code").value = code;
    say("confirm", `The emulator's latest sign-up code for ${username} is filled in.`);
  }),
);

$("confirm-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("confirm", async () => {
    const username = $("confirm-username").value.trim();
    await auth.confirmSignUp({ username, code: $("confirm-code").value.trim() });
    fill(["signin-username", "code-signin-username"], username);
    say("confirm", `Account ${username} is confirmed. You can sign in now.`);
  });
});

$("confirm-resend").addEventListener("click", () =>
  act("confirm", async () => {
    const username = $("confirm-username").value.trim();
    const { codeDelivery: d = {} } = await auth.resendConfirmationCode({ username });
    say("confirm", `A new code was sent${d.destination ? ` to ${d.destination}` : ""}.`);
  }),
);

$("forgot-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("forgot", async () => {
    const { codeDelivery: d = {} } = await auth.forgotPassword({ username: $("forgot-username").value.trim() });
    say("forgot", `If the account exists, a reset code was sent${d.destination ? ` to ${d.destination}` : ""}. ` +
      "Enter it with a new password below.");
  });
});

$("reset-fetch-code").addEventListener("click", () =>
  act("forgot", async () => {
    const username = $("forgot-username").value.trim();
    const { code } = await demo.emulatorCode(config.endpoint, { userPoolId: config.userPoolId, username, purpose: "FORGOT_PASSWORD" });
    $("reset-code").value = code;
    say("forgot", `The emulator's latest reset code for ${username} is filled in.`);
  }),
);

$("reset-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("forgot", async () => {
    const username = $("forgot-username").value.trim();
    await auth.confirmForgotPassword({ username, code: $("reset-code").value.trim(), newPassword: $("reset-password").value });
    $("reset-password").value = "";
    fill(["signin-username"], username);
    say("forgot", `The password of ${username} was changed. Sign in with the new one.`);
  });
});

// ---------------------------------------------------------------------------------------------
// TOTP set-up: associateSoftwareToken → verifySoftwareToken → setMfaPreference.

$("totp-start").addEventListener("click", () =>
  act("totp", async () => {
    const session = await auth.getSession();
    if (!session) throw Object.assign(new Error("Sign in first."), { code: "DemoError" });
    const { secretCode, uri } = await auth.associateSoftwareToken({ issuer: "cognito-wasm demo" });
    $("totp-secret").textContent = secretCode;
    $("totp-uri").textContent = uri;
    $("totp-uri").href = uri;
    $("totp-setup").hidden = false;
    $("totp-code").focus();
  }),
);

$("totp-verify-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("totp", async () => {
    const session = await auth.getSession();
    if (!session) throw Object.assign(new Error("Sign in first."), { code: "DemoError" });
    await auth.verifySoftwareToken({ code: $("totp-code").value.trim(), friendlyDeviceName: "cognito-wasm demo" });
    await auth.setMfaPreference({ totp: { enabled: true, preferred: true } });
    $("totp-code").value = "";
    $("totp-setup").hidden = true;
    say("totp", "TOTP is on. From the next sign-in, Cognito asks for a code from the app.");
  });
});

// ---------------------------------------------------------------------------------------------
// Passkeys: associatePasskey (StartWebAuthnRegistration → navigator.credentials.create →
// CompleteWebAuthnRegistration), listPasskeys, deletePasskey, and USER_AUTH with WEB_AUTHN.

function showPasskeys(passkeys) {
  const list = $("passkey-items");
  list.replaceChildren();
  for (const key of passkeys) {
    const item = document.createElement("li");
    const text = document.createElement("span");
    text.textContent = `${key.friendlyName ?? "passkey"} · ${key.authenticatorAttachment ?? "?"} · ` +
      `${key.transports.join(", ") || "no transports"} · added ${key.createdAt ? dateTime(key.createdAt) : "?"} `;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Delete";
    remove.addEventListener("click", () =>
      act("passkey", async () => {
        await auth.deletePasskey({ credentialId: key.credentialId });
        showPasskeys((await auth.listPasskeys()).passkeys);
        say("passkey", "Passkey deleted.");
      }),
    );
    item.append(text, remove);
    list.append(item);
  }
  $("passkey-none").hidden = passkeys.length > 0;
}

$("passkey-add").addEventListener("click", () =>
  act("passkey", async () => {
    await auth.associatePasskey();
    showPasskeys((await auth.listPasskeys()).passkeys);
    say("passkey", "Passkey added: sign out, then use “Sign in with a passkey”.");
  }),
);

$("passkey-list").addEventListener("click", () =>
  act("passkey", async () => showPasskeys((await auth.listPasskeys()).passkeys)),
);

$("passkey-signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("passkey", async () => {
    const username = $("passkey-username").value.trim();
    const result = await auth.signIn({ username, flow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" });
    if (result.signedIn) {
      afterSignIn(result, "passkey");
      say("passkey", `Signed in as ${result.session.username} with a passkey.`);
    } else {
      say("passkey", `Cognito did not offer the passkey (${result.challenge}): has this user registered one?`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Demo mode: an emulator-only admin action.

const randomSuffix = () => Math.random().toString(36).slice(2, 8);
$("admin-username").value = `temp-${randomSuffix()}`;
$("admin-email").value = `${$("admin-username").value}@example.com`;
$("admin-password").value = `Temp-${randomSuffix()}-9!`;
$("admin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act("admin", async () => {
    const username = $("admin-username").value.trim();
    const temporaryPassword = $("admin-password").value;
    await demo.adminCreateUser(config.endpoint, {
      userPoolId: config.userPoolId,
      username,
      email: $("admin-email").value.trim(),
      temporaryPassword,
    });
    fill(["signin-username", "forgot-username"], username);
    say("admin", `Created ${username} with the temporary password ${temporaryPassword}. ` +
      "Sign in with it: Cognito will ask for a new password.");
  });
});

// ---------------------------------------------------------------------------------------------
// Start: build the client on the chosen adapter and restore whatever session it holds.

explainStorage();
createAuth();
try {
  const restored = await auth.getSession();
  showSession(restored);
  const note = $("restore-note");
  note.hidden = false;
  note.textContent = restored
    ? `Session restored from ${ADAPTERS[adapter].label} when the page loaded: no sign-in needed.`
    : storageApi
      ? `No session in ${ADAPTERS[adapter].label} when the page loaded.` +
        (adapter === "memory" ? " Memory storage forgets the session on every reload." : "")
      : "This build keeps sessions in memory only, so a reload signs you out.";
} catch (error) {
  showSession(null);
  sayError("session", error);
}
document.body.dataset.ready = "true";

// Example Worker: POST /auth/sign-in {username, password} runs the SRP sign-in at the edge and
// sets HttpOnly cookies; a challenge (MFA code, new password, custom challenge) is answered with
// POST /auth/challenge {answer}; POST /auth/sign-out clears the cookies. Every other path needs a
// valid access token (cookie or `Authorization: Bearer`); an expired one is refreshed
// transparently. Pages without a session are redirected to /sign-in, API calls get a 401 JSON
// body. The routes answer only this origin's pages (a cross-site POST gets 403): the sign-in page
// below is served by the Worker itself; a front end elsewhere is listed in `allowedOrigins`.
import { CognitoWorkerAuth, KvStorage } from "cognito-wasm";

const SIGN_IN_PAGE = `<!doctype html><meta charset="utf-8"><title>Sign in</title>
<form id="f"><input name="username" autocomplete="username"><input name="password" type="password"
autocomplete="current-password"><button>Sign in</button></form><script>
const post = async (path, body) => {
  const r = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { ok: r.ok, step: await r.json() };
};
f.onsubmit = async (e) => { e.preventDefault();
  let { ok, step } = await post("/auth/sign-in", Object.fromEntries(new FormData(f)));
  let challenge = step.challenge;
  // A wrong code (400 CodeMismatchException) keeps the challenge: ask again.
  while (ok ? !step.signedIn : step.error === "CodeMismatchException") {
    if (ok) challenge = step.challenge;
    const answer = prompt(challenge === "NEW_PASSWORD_REQUIRED" ? "New password" : \`Answer to \${challenge}\`);
    if (answer === null) return;
    ({ ok, step } = await post("/auth/challenge", { answer }));
  }
  if (ok) location.href = "/"; else alert(step.message); };
</script>`;

// Created once per isolate: the JWKS cache lives in it.
let handler;

function app(env) {
  const auth = new CognitoWorkerAuth({
    userPoolId: env.USER_POOL_ID,
    clientId: env.CLIENT_ID,
    clientSecret: env.CLIENT_SECRET || undefined,
    endpoint: env.COGNITO_ENDPOINT || undefined,
    signInUrl: "/sign-in",
    // `wrangler dev` serves plain http on localhost, where Secure cookies still work in browsers.
    cookie: { sameSite: "Lax" },
  });
  return auth.wrap(async (request, env, ctx, { claims, refreshed }) => {
    // Per-user data in KV through the same storage interface the library uses for tokens.
    const visits = new KvStorage(env.VISITS, { prefix: "visits:", expirationTtl: 86400 });
    const count = Number((await visits.getItem(claims.sub)) ?? 0) + 1;
    await visits.setItem(claims.sub, String(count));
    return Response.json({ username: claims.username, visits: count, refreshed, claims });
  });
}

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/sign-in") {
      return new Response(SIGN_IN_PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
    }
    handler ??= app(env);
    return handler(request, env, ctx);
  },
};

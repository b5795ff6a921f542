// A Worker: the sign-in form at /, the edge routes (POST /auth/sign-in), and /me behind the
// middleware. Created at module scope, before the first request, as the README says.
import { CognitoWorkerAuth } from "cognito-wasm";

let auth;
function authFor(env) {
  auth ??= new CognitoWorkerAuth({
    userPoolId: env.COGNITO_POOL,
    clientId: env.COGNITO_CLIENT,
    endpoint: env.COGNITO_ENDPOINT,
    cookie: { secure: false },
  });
  return auth;
}

const page = `<!doctype html><meta charset="utf-8"><title>Worker</title>
<form id="sign-in"><input name="username"><input name="password" type="password"><button>Sign in</button></form>
<p id="status">Ready</p>
<script>
document.getElementById("sign-in").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const status = document.getElementById("status");
  const signIn = await fetch("/auth/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: form.get("username"), password: form.get("password") }) });
  if (!signIn.ok) return (status.textContent = "sign-in answered " + signIn.status);
  const me = await (await fetch("/me")).json();
  status.textContent = "Signed in as " + me.username;
});
</script>`;

export default {
  fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/") return new Response(page, { headers: { "content-type": "text/html" } });
    return authFor(env).wrap((request, env, ctx, { claims }) => Response.json({ username: claims.username }))(request, env, ctx);
  },
};

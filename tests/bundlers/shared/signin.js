// The sign-in form every bundler app ships (tests/bundlers/bundlers.test.mjs drives it): the
// client is made as soon as the package is imported, before its .wasm is ready, and used when
// the form is submitted. Config from the page's query: ?endpoint=&pool=&client=.
export function mountSignIn({ CognitoAuth, WasmLoadError }) {
  const query = new URLSearchParams(location.search);
  const status = document.getElementById("status");
  const auth = new CognitoAuth({ userPoolId: query.get("pool"), clientId: query.get("client"), endpoint: query.get("endpoint") });
  auth.onSessionChange((session) => {
    status.dataset.changed = session ? session.username : "";
  });
  status.textContent = "Ready";
  document.getElementById("sign-in").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    try {
      await auth.signIn({ username: form.get("username"), password: form.get("password") });
      const session = await auth.getSession();
      status.textContent = `Signed in as ${session.username}`;
    } catch (e) {
      status.textContent = `${e instanceof WasmLoadError ? "caught " : "uncaught "}${e.name}: ${e.message}`;
    }
  });
}

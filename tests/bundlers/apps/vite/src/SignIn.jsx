import { useMemo, useState } from "react";
import { CognitoAuth } from "cognito-wasm";

export function SignIn() {
  const query = new URLSearchParams(location.search);
  const auth = useMemo(
    () => new CognitoAuth({ userPoolId: query.get("pool"), clientId: query.get("client"), endpoint: query.get("endpoint") }),
    [],
  );
  const [status, setStatus] = useState("Ready");
  async function onSubmit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await auth.signIn({ username: form.get("username"), password: form.get("password") });
      setStatus(`Signed in as ${(await auth.getSession()).username}`);
    } catch (e) {
      setStatus(`${e.name}: ${e.message}`);
    }
  }
  return (
    <form id="sign-in" onSubmit={onSubmit}>
      <input name="username" placeholder="Username" />
      <input name="password" type="password" placeholder="Password" />
      <button>Sign in</button>
      <p id="status">{status}</p>
    </form>
  );
}

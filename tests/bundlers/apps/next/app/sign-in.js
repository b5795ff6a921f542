"use client";
// Rendered on the server first (the Node entry is imported there), then on the page.
import { CognitoAuth } from "cognito-wasm";
import { useEffect, useState } from "react";

export default function SignIn() {
  const [auth, setAuth] = useState(null);
  const [status, setStatus] = useState("Loading…");
  const [verified, setVerified] = useState("");
  useEffect(() => {
    const query = new URLSearchParams(location.search);
    setAuth(new CognitoAuth({ userPoolId: query.get("pool"), clientId: query.get("client"), endpoint: query.get("endpoint") }));
    setStatus("Ready");
  }, []);
  async function onSubmit(event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await auth.signIn({ username: form.get("username"), password: form.get("password") });
      const session = await auth.getSession();
      const response = await fetch("/api/verify", { headers: { authorization: `Bearer ${session.accessToken}` } });
      setVerified(`${response.status} ${await response.text()}`);
      setStatus(`Signed in as ${session.username}`);
    } catch (e) {
      setStatus(`${e.name}: ${e.message}`);
    }
  }
  return (
    <form id="sign-in" onSubmit={onSubmit}>
      <input name="username" placeholder="Username" />
      <input name="password" type="password" placeholder="Password" />
      <button disabled={!auth}>Sign in</button>
      <p id="status">{status}</p>
      <pre id="verified">{verified}</pre>
    </form>
  );
}

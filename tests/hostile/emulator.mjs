// The local Cognito emulator for the hostile and soak tests: COGNITO_EMULATOR_URL when set
// (scripts/test starts one), else one started here on a free port and stopped at exit.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** @returns {Promise<{endpoint: string, cfg: any, stop: () => void}>} */
export async function emulator() {
  if (process.env.COGNITO_EMULATOR_URL) {
    const endpoint = process.env.COGNITO_EMULATOR_URL;
    const cfg = await (await fetch(new URL("_emulator/config", endpoint))).json();
    return { endpoint, cfg, stop: () => {} };
  }
  const child = spawn(`${root}tests/emulator/start`, ["--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`emulator exited (${code}) before it was ready`)));
  });
  const cfg = JSON.parse(line);
  const stop = () => { if (child.exitCode === null) child.kill("SIGTERM"); };
  process.once("exit", stop);
  return { endpoint: cfg.endpoint, cfg, stop };
}

/** The latest code the emulator sent `username` (sign-up unless `purpose` says otherwise). */
export async function emulatorCode(endpoint, userPoolId, username, purpose) {
  const url = new URL("_emulator/codes", endpoint);
  url.search = new URLSearchParams({ userPoolId, username, ...(purpose ? { purpose } : {}) });
  const response = await fetch(url);
  if (!response.ok) throw new Error(`no code for ${username}: HTTP ${response.status}`);
  return (await response.json()).code;
}

/** A raw JSON-1.1 call to the emulator (admin operations included). */
export async function cognitoCall(endpoint, op, body) {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${op} → ${response.status}: ${text}`);
  return JSON.parse(text);
}

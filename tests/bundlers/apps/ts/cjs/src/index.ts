// Compiled with `tsc --strict`, lib es2022 + dom, no skipLibCheck, in each resolution mode; the
// node16/nodenext output is run by Node and signs in.
import {
  CognitoAuth,
  CognitoJwtVerifier,
  MemoryStorage,
  WasmBlockedError,
  WasmLoadError,
  init,
  type Session,
  type TokenStorage,
} from "cognito-wasm";

declare const process: { env: Record<string, string | undefined>; exitCode?: number };

export async function main(): Promise<void> {
  const storage: TokenStorage = new MemoryStorage();
  const auth = new CognitoAuth({
    userPoolId: process.env.COGNITO_POOL ?? "us-east-1_Unset",
    clientId: process.env.COGNITO_CLIENT ?? "unset",
    endpoint: process.env.COGNITO_ENDPOINT,
    storage,
  });
  const unsubscribe: () => void = auth.onSessionChange((session: Session | null) => void session?.username);
  try {
    await init();
    await auth.signIn({ username: process.env.COGNITO_USER ?? "", password: process.env.COGNITO_PASSWORD ?? "" });
    const session: Session | null = await auth.getSession();
    const verifier = new CognitoJwtVerifier({
      userPoolId: process.env.COGNITO_POOL ?? "us-east-1_Unset",
      clientId: process.env.COGNITO_CLIENT ?? "unset",
      endpoint: process.env.COGNITO_ENDPOINT,
      tokenUse: "access",
    });
    const claims = await verifier.verify(session?.accessToken ?? "");
    console.log(`Signed in as ${session?.username}; verified ${String(claims.username)}`);
  } catch (e) {
    if (e instanceof WasmBlockedError) console.log(`blocked: ${e.message}`);
    else if (e instanceof WasmLoadError) console.log(`load failed (${e.retryable}): ${e.message}`);
    else throw e;
    process.exitCode = 1;
  } finally {
    unsubscribe();
    auth.free();
  }
}

// Calls every method of the public API with its typed options and results; checked by
// `tsc --noEmit -p tests/types` against the built package's declarations. Never run.
import {
  CognitoAuth,
  CognitoWorkerAuth,
  CookieStorage,
  MemoryStorage,
  WebStorage,
  type CognitoError,
  type Session,
  type SignInResult,
  type TokenStorage,
  type SoftwareTokenSecret,
  type UpdateUserAttributesResult,
  type UserInfo,
} from "cognito-wasm";

/** A custom, Promise-based storage fits the TokenStorage interface. */
export const asyncStorage: TokenStorage = {
  getItem: async (key) => (key === "x" ? "y" : null),
  setItem: async () => {},
  removeItem: async () => {},
};

export function storages(): TokenStorage[] {
  const web = new WebStorage("session");
  const fellBack: boolean = web.usingFallback;
  void fellBack;
  return [new MemoryStorage(), web, new CookieStorage({ sameSite: "Strict", secure: true, expires: 30 }), asyncStorage];
}

export async function everyMethod(): Promise<void> {
  const auth = new CognitoAuth({
    userPoolId: "us-east-1_AbC123",
    clientId: "abc123",
    endpoint: "http://127.0.0.1:9229/",
    refreshFlow: "GetTokensFromRefreshToken",
    fetch: globalThis.fetch,
    timeoutMs: 5_000,
    maxRetries: 2,
    storage: new WebStorage("local"),
  });
  const unsubscribe: () => void = auth.onSessionChange((session: Session | null) => {
    void session?.username;
  });
  unsubscribe();
  const off: () => void = auth.on("tokenRefresh", (session: Session) => void session.refreshToken);
  auth.on("tokenRefreshFailure", (error: CognitoError) => void error.code);
  auth.on("signedOut", () => {});
  // @ts-expect-error: not an event
  auth.on("tokenRefresh_failure", () => {});
  off();
  const signedUp = await auth.signUp({
    username: "ann",
    password: "Passw0rd!",
    attributes: { email: "ann@example.com" },
    clientMetadata: { source: "example" },
  });
  const confirmed: boolean = signedUp.userConfirmed;
  const sub: string = signedUp.userSub;
  const destination: string | undefined = signedUp.codeDelivery?.destination;
  await auth.confirmSignUp({ username: "ann", code: "123456", forceAliasCreation: false });
  const resent = await auth.resendConfirmationCode({ username: "ann" });
  const medium: string | undefined = resent.codeDelivery.medium;
  await auth.forgotPassword({ username: "ann" });
  await auth.confirmForgotPassword({ username: "ann", code: "123456", newPassword: "N3w-Passw0rd!" });

  const preloaded: Promise<void> = auth.preload(); // the signin module, before the form is submitted
  await preloaded;
  let step: SignInResult = await auth.signIn({ username: "ann", password: "Passw0rd!", flow: "USER_SRP_AUTH" });
  while (!step.signedIn) {
    switch (step.challenge) {
      case "NEW_PASSWORD_REQUIRED":
        step = await auth.respondToChallenge({ newPassword: "N3w-Passw0rd!", attributes: { name: "Ann" } });
        break;
      case "SELECT_MFA_TYPE":
        step = await auth.respondToChallenge({ mfaType: "SOFTWARE_TOKEN_MFA" });
        break;
      case "CUSTOM_CHALLENGE":
        step = await auth.respondToChallenge({ answer: step.parameters["question"] ?? "" });
        break;
      default:
        step = await auth.respondToChallenge({ code: "123456" });
    }
  }
  const session: Session = step.session;
  const expiresAt: number = session.expiresAt;
  const email = session.claims["email"];
  const current: Session | null = await auth.getSession();
  const refreshed: Session = await auth.refreshSession();
  await auth.signOut();
  await auth.signOut({ global: true });
  await auth.signOut({ navigate: false });

  const hosted = new CognitoAuth({
    userPoolId: "us-east-1_AbC123",
    clientId: "abc123",
    oauth: { domain: "auth.example.com", redirectSignIn: "https://app.example.com/", redirectSignOut: "https://app.example.com/bye", scopes: ["openid", "email"] },
  });
  const authorizeUrl: string = await hosted.signInWithRedirect({ provider: "Google", scopes: ["openid"], state: "/inbox", navigate: false });
  await hosted.signInWithRedirect();
  const fromRedirect = await hosted.handleRedirect("https://app.example.com/?code=c&state=s");
  const customState: string | undefined = fromRedirect.customState;
  const redirectUser: string = (await hosted.handleRedirect()).username;
  void [authorizeUrl, customState, redirectUser];

  try {
    await auth.signIn({ username: "ann", password: "wrong" });
  } catch (e) {
    const error = e as CognitoError;
    const code: string = error.code;
    const retry: boolean = error.retryable;
    const status: number | undefined = error.status;
    void [code, retry, status];
  }
  void [confirmed, sub, destination, medium, expiresAt, email, current, refreshed];
}

/** The signed-in user's account methods (src/js/account.rs). */
export async function accountMethods(auth: CognitoAuth): Promise<void> {
  const user: UserInfo = await auth.getUser();
  const email: string | undefined = user.attributes["email"];
  const preferred: string | undefined = user.preferredMfa;
  const factors: string[] | undefined = user.userMfaSettings;
  void [email, preferred, factors, user.mfaOptions?.[0]?.deliveryMedium];
  const update: UpdateUserAttributesResult = await auth.updateUserAttributes({
    attributes: { email: "new@example.com", name: "Ann" },
    clientMetadata: { source: "example" },
  });
  const pending: string[] = update.pendingVerification;
  const medium: string | undefined = update.codeDeliveries[0]?.medium;
  void [pending, medium];
  const resent = await auth.getUserAttributeVerificationCode({ attribute: "email" });
  void resent.codeDelivery.destination;
  await auth.verifyUserAttribute({ attribute: "email", code: "123456" });
  await auth.deleteUserAttributes({ attributes: ["name"] });
  await auth.changePassword({ oldPassword: "Passw0rd!", newPassword: "N3w-Passw0rd!" });
  const secret: SoftwareTokenSecret = await auth.associateSoftwareToken();
  const named = await auth.associateSoftwareToken({ issuer: "My App", accountName: "ann" });
  void [secret.secretCode, named.uri];
  const verified: { status: string } = await auth.verifySoftwareToken({ code: "123456", friendlyDeviceName: "phone" });
  void verified.status;
  await auth.setMfaPreference({ totp: { enabled: true, preferred: true }, sms: { enabled: false } });
  // MFA_SETUP during sign-in: associate with the challenge, then answer with a code.
  const step = await auth.signIn({ username: "ann", password: "Passw0rd!" });
  if (!step.signedIn && step.challenge === "MFA_SETUP") {
    await auth.associateSoftwareToken({ issuer: "My App" });
    await auth.respondToChallenge({ code: "123456", friendlyDeviceName: "phone" });
  }
  await auth.deleteUser();
}

/** Remembered devices. */
export async function devices(): Promise<void> {
  const auth = new CognitoAuth({ userPoolId: "us-east-1_AbC", clientId: "c", rememberDevices: true, deviceName: "laptop" });
  await auth.signIn({ username: "ann", password: "Passw0rd!" });
  const mine: string | null = await auth.getDeviceKey();
  const page = await auth.listDevices({ limit: 10 });
  const all = await auth.listDevices();
  void [mine, page.paginationToken, all.devices.map((d) => [d.deviceKey, d.attributes.device_name, d.lastAuthenticatedAt])];
  await auth.updateDeviceStatus({ remembered: false });
  await auth.updateDeviceStatus({ deviceKey: "us-east-1_x", remembered: true });
  await auth.forgetDevice({ deviceKey: "us-east-1_x" });
  await auth.forgetDevice();
}

/** The edge routes with a split front end (`allowedOrigins`); string parameters stay `string`. */
export function edge(): (request: Request) => Promise<Response> {
  const auth = new CognitoWorkerAuth({ userPoolId: "us-east-1_x", clientId: "c", allowedOrigins: ["https://app.example.com"] });
  const key: string | undefined = new MemoryStorage().getItem("k");
  void key;
  return auth.wrap((request, env, ctx, { claims }) => Response.json(claims));
}

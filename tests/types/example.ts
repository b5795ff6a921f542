// Calls every method of the public API with its typed options and results; checked by
// `tsc --noEmit -p tests/types` against the built package's declarations. Never run.
import {
  CognitoAuth,
  CognitoWorkerAuth,
  CookieStorage,
  MemoryStorage,
  WebStorage,
  type CognitoError,
  type EdgeChallengeAnswer,
  type EdgeSignInResult,
  type Session,
  type SignInResult,
  type TokenStorage,
  type SoftwareTokenSecret,
  type UpdateUserAttributesResult,
  type UserInfo,
  type AuthFactor,
  type AuthFactors,
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
  await auth.preload("signUp"); // a sign-up or password-reset form: the signup module
  await auth.preload("getUser");
  await auth.preload("signIn", { preferredChallenge: "WEB_AUTHN" }); // a passkey sign-in page: the module that has it
  await auth.preload("respondToChallenge", { answer: "WEB_AUTHN" });
  // @ts-expect-error: a call's arguments only for signIn and respondToChallenge
  await auth.preload("getUser", { answer: "WEB_AUTHN" });
  // @ts-expect-error: not a member of CognitoAuth
  await auth.preload("signUpp");
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
  const refreshedWithMetadata: Session = await auth.refreshSession({ clientMetadata: { reason: "example" } });
  let custom: SignInResult = await auth.signIn({ username: "ann", flow: "CUSTOM_AUTH", clientMetadata: { k: "v" } });
  custom = await auth.signIn({ username: "ann", password: "Passw0rd!", flow: "CUSTOM_AUTH", srp: true });
  if (!custom.signedIn && custom.challenge === "CUSTOM_CHALLENGE") {
    custom = await auth.respondToChallenge({ answer: custom.parameters["attempt"] ?? "", clientMetadata: { k: "v" } });
  }
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
  void [confirmed, sub, destination, medium, expiresAt, email, current, refreshed, refreshedWithMetadata, custom];
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

/** The edge challenge route: the sign-in answers a challenge, the page posts the answer. */
export async function edgeChallenge(): Promise<boolean> {
  const auth = new CognitoWorkerAuth({ userPoolId: "us-east-1_x", clientId: "c", routes: { challenge: "/login/answer", signOut: null } });
  void auth;
  const post = async (path: string, body: unknown): Promise<EdgeSignInResult> =>
    (await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).json();
  let step = await post("/auth/sign-in", { username: "ann", password: "Passw0rd!" });
  while (!step.signedIn) {
    const answer: EdgeChallengeAnswer = step.challenge === "CUSTOM_CHALLENGE" ? { answer: "42" } : { code: "123456" };
    step = await post("/login/answer", answer);
  }
  const expiresAt: number = step.expiresAt;
  return expiresAt > 0;
}

/** Passkeys of the signed-in user. */
export async function passkeys(): Promise<void> {
  const auth = new CognitoAuth({ userPoolId: "us-east-1_AbC", clientId: "c" });
  await auth.associatePasskey();
  const first = await auth.listPasskeys({ limit: 5 });
  const all = await auth.listPasskeys();
  const ids: string[] = all.passkeys.map((p) => p.credentialId);
  void [first.nextToken, ids, all.passkeys.map((p) => [p.friendlyName, p.relyingPartyId, p.authenticatorAttachment, p.transports.join(), p.createdAt])];
  await auth.deletePasskey({ credentialId: ids[0] ?? "" });
  try {
    await auth.associatePasskey();
  } catch (e) {
    const err = e as CognitoError;
    if (err.name === "WebAuthnError" && err.code === "NotAllowedError") return;
  }
}

/** Choice-based sign-in (USER_AUTH), passwordless sign-up with auto sign-in, auth factors. */
export async function passwordless(auth: CognitoAuth): Promise<void> {
  let step: SignInResult = await auth.signIn({ username: "ann", flow: "USER_AUTH", preferredChallenge: "EMAIL_OTP" });
  if (!step.signedIn && step.challenge === "SELECT_CHALLENGE") {
    const offered: AuthFactor[] = step.availableChallenges ?? [];
    step = offered.includes("EMAIL_OTP")
      ? await auth.respondToChallenge({ answer: "EMAIL_OTP" })
      : await auth.respondToChallenge({ answer: "PASSWORD_SRP", password: "Passw0rd!" });
  }
  if (!step.signedIn && (step.challenge === "EMAIL_OTP" || step.challenge === "SMS_OTP")) {
    const sentTo: string | undefined = step.codeDelivery?.destination;
    void sentTo;
    step = await auth.respondToChallenge({ code: "123456" });
  }
  if (!step.signedIn && step.challenge === "WEB_AUTHN") {
    const options: string | undefined = step.credentialRequestOptions;
    void options;
    step = await auth.respondToChallenge({ credential: "{}" });
  }
  await auth.signIn({ username: "ann", password: "Passw0rd!", flow: "USER_AUTH", preferredChallenge: "PASSWORD" });
  // @ts-expect-error: not a first factor
  await auth.signIn({ username: "ann", flow: "USER_AUTH", preferredChallenge: "SMS_MFA" });
  if (!step.signedIn && step.challenge === "MFA_SETUP") await auth.respondToChallenge({ email: "ann@example.com" });

  await auth.signUp({ username: "bob", attributes: { email: "bob@example.com" }, autoSignIn: true });
  const confirmed: SignInResult | void = await auth.confirmSignUp({ username: "bob", code: "123456" });
  if (confirmed && confirmed.signedIn) void confirmed.session.username;
  const factors: AuthFactors = await auth.getAuthFactors();
  const configured: string[] = factors.configuredAuthFactors;
  const mfa: string | undefined = factors.preferredMfa;
  void [configured, mfa, factors.mfaSettings];
}

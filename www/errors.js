// Turns a rejection of cognito-wasm (an Error whose `code` is Cognito's exception name or a local
// kind) into a sentence for people. The code is kept alongside for developers.

const cognitoMessage = (e) => String(e?.message ?? "").trim();
const sentence = (text) => (/[.!?]$/.test(text) ? text : `${text}.`);

const FRIENDLY = {
  NotAuthorizedException: (e) => {
    const m = cognitoMessage(e);
    if (/disabled/i.test(m)) return "This account is disabled. Ask an administrator to enable it.";
    if (/revoked/i.test(m)) return "This session was signed out (its tokens were revoked). Sign in again.";
    if (/temporary password has expired/i.test(m)) return "The temporary password has expired. Ask for a new one.";
    if (/session is expired|invalid session/i.test(m)) return "This sign-in attempt timed out. Start signing in again.";
    if (/expired/i.test(m)) return "This session has expired. Sign in again.";
    return "Incorrect username or password.";
  },
  UserNotFoundException: () => "There is no account with that username.",
  UserNotConfirmedException: () =>
    "This account is not confirmed yet. Enter the code from the sign-up in “Confirm the sign-up”, then sign in.",
  UsernameExistsException: () => "That username is already taken. Choose another one, or sign in.",
  AliasExistsException: () => "Another account already uses that email address.",
  InvalidPasswordException: (e) => {
    const detail = cognitoMessage(e).replace(/^Password did not conform with policy:\s*/i, "");
    return `That password is not allowed: ${sentence(detail.charAt(0).toLowerCase() + detail.slice(1))}`;
  },
  CodeMismatchException: () => "That code is not right. Check it and try again.",
  ExpiredCodeException: () => "That code has expired or was already used. Ask for a new one.",
  EnableSoftwareTokenMFAException: () =>
    "That authenticator code does not match. Wait for the app's next code and try again.",
  LimitExceededException: () => "Too many attempts. Ask for a new code, or wait a while and try again.",
  TooManyRequestsException: () => "Too many requests right now. Wait a moment and try again.",
  TooManyFailedAttemptsException: () => "Too many failed attempts. Wait a while and try again.",
  PasswordResetRequiredException: () =>
    "This account needs a new password. Use “Forgot password” to set one.",
  InvalidParameterException: (e) => `Cognito refused the request: ${sentence(cognitoMessage(e))}`,
  CodeDeliveryFailureException: () => "The code could not be sent. Try again later.",
  InvalidUserPoolConfigurationException: () => "The user pool is not set up for this.",
  NetworkError: () =>
    "Cognito could not be reached. Check the network (for the demo: is scripts/demo, and so the emulator, still running?).",
  TimeoutError: () => "Cognito did not answer in time. Try again.",
  InvalidResponseError: () => "Cognito sent an answer this client could not understand.",
  SrpError: () => "The secure password check (SRP) could not be completed. Try again.",
  InvalidParameterError: (e) => `Please check the form: ${sentence(cognitoMessage(e))}`,
  StorageError: (e) => `The browser refused to store the session: ${sentence(cognitoMessage(e))}`,
  InternalErrorException: () => "Cognito had an internal error. Try again.",
  // Passkeys: WebAuthnError's code is the browser's DOMException name; Cognito's WebAuthn*Exception.
  NotAllowedError: () => "The passkey prompt was cancelled, timed out, or no passkey of this site was chosen.",
  InvalidStateError: () => "This authenticator already holds a passkey for this account.",
  AbortError: () => "The passkey prompt was closed.",
  SecurityError: () => "The browser refused a passkey for this site (the relying party does not match the page).",
  WebAuthnOriginNotAllowedException: () => "The user pool does not accept passkeys from this page's origin.",
  WebAuthnRelyingPartyMismatchException: () => "The passkey is for another relying party than the user pool's.",
  WebAuthnChallengeNotFoundException: () => "The passkey registration timed out. Try again.",
  WebAuthnNotEnabledException: () => "Passkeys are not enabled for this user pool.",
  WebAuthnCredentialNotSupportedException: () => "This authenticator's passkey is not supported by the user pool.",
  // Raised by demo-helpers.js with a sentence already.
  DemoError: (e) => sentence(cognitoMessage(e)),
};

/** { text, code } for an error. */
export function describeError(error) {
  const code = error?.code ?? error?.name ?? "Error";
  const friendly = FRIENDLY[code];
  if (friendly) return { text: friendly(error), code };
  const message = cognitoMessage(error);
  return {
    text: message ? `Something went wrong: ${sentence(message)}` : "Something went wrong. Try again.",
    code,
  };
}

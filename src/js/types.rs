//! The shapes of the JS API's option and result objects, and their TypeScript declarations.

use crate::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

use crate::challenge::ChallengeAnswer;
use crate::client::SignUpInput;
use crate::error::Error;
use crate::map::VecMap;
use crate::oauth::OAuthConfig;
use crate::secret::SecretString;
use crate::wire::CodeDeliveryDetails;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options of `new CognitoAuth(…)`. */
export interface CognitoAuthOptions {
  /** `<region>_<id>`; the region is taken from it. */
  userPoolId: string;
  clientId: string;
  /** For app clients with a secret (server-side use only): adds SECRET_HASH to every call. */
  clientSecret?: string;
  /** Default `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Per request; default 10000. */
  timeoutMs?: number;
  /** Retries of throttled calls, and of idempotent calls after 5xx or network errors; default 3. */
  maxRetries?: number;
  /** Where tokens are kept; default `new WebStorage("local")` where `localStorage` works, else
   * `new MemoryStorage()` (the raw modules, `cognito-wasm/raw`: the constructor's
   * `defaultStorage`, else required). Keys as amazon-cognito-identity-js writes them. */
  storage?: TokenStorage;
  /** The hosted UI (`signInWithRedirect`, `handleRedirect`). */
  oauth?: OAuthOptions;
  /** Remember devices: after a sign-in that offers NewDeviceMetadata, ConfirmDevice and store the
   * device (`deviceKey`, `deviceGroupKey`, `randomPasswordKey`); later sign-ins then answer
   * DEVICE_SRP_AUTH. Default false. */
  rememberDevices?: boolean;
  /** ConfirmDevice's DeviceName. */
  deviceName?: string;
  /** How tokens are refreshed. Default `"GetTokensFromRefreshToken"` (stores the new refresh token
   * when the app client rotates them; falls back to `REFRESH_TOKEN_AUTH` for good when the
   * endpoint answers `UnknownOperationException`). `"REFRESH_TOKEN_AUTH"`: InitiateAuth only. */
  refreshFlow?: "GetTokensFromRefreshToken" | "REFRESH_TOKEN_AUTH";
  /** Threat protection: called per request (with the username) for `UserContextData` on
   * InitiateAuth (every sign-in, and REFRESH_TOKEN_AUTH), RespondToAuthChallenge, SignUp,
   * ConfirmSignUp, ResendConfirmationCode, ForgotPassword and ConfirmForgotPassword (not on
   * GetTokensFromRefreshToken, which does not take it); a string is `EncodedData`. Without it, `globalThis.AmazonCognitoAdvancedSecurityData.getData(username,
   * userPoolId, clientId)` is used where Amazon's script is loaded. */
  userContextData?: (username: string) => string | { encodedData?: string; ipAddress?: string } | undefined;
}

/** Any key-value store; each method may return a value or a Promise (Web Storage, Amplify's
 * KeyValueStorageInterface, Workers KV adapters, your own). */
export interface TokenStorage {
  getItem(key: string): string | null | undefined | Promise<string | null | undefined>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export interface SignUpParams {
  username: string;
  /** Omit for a passwordless user (the pool allows EMAIL_OTP / SMS_OTP / WEB_AUTHN sign-in and the
   * app client ALLOW_USER_AUTH; give the email or phone those codes go to). */
  password?: string;
  /** Keep SignUp's `Session` (in memory only) so `confirmSignUp` ends signed in, with `USER_AUTH`
   * and that session, as Amplify's `autoSignIn`. No password is kept. */
  autoSignIn?: boolean;
  attributes?: Record<string, string>;
  validationData?: Record<string, string>;
  clientMetadata?: Record<string, string>;
}

export interface CodeDelivery {
  destination?: string;
  medium?: "EMAIL" | "SMS" | string;
  attribute?: string;
}

export interface SignUpResult {
  userConfirmed: boolean;
  userSub: string;
  codeDelivery?: CodeDelivery;
}

export interface ConfirmSignUpParams {
  username: string;
  code: string;
  forceAliasCreation?: boolean;
  clientMetadata?: Record<string, string>;
}

export interface UsernameParams {
  username: string;
  clientMetadata?: Record<string, string>;
}

export interface CodeDeliveryResult {
  codeDelivery: CodeDelivery;
}

export interface ConfirmForgotPasswordParams {
  username: string;
  code: string;
  newPassword: string;
  clientMetadata?: Record<string, string>;
}

/** A first factor of `USER_AUTH` (choice-based sign-in). */
export type AuthFactor = "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN" | "PASSWORD" | "PASSWORD_SRP";

export interface SignInParams {
  username: string;
  /** Required except for `flow: "CUSTOM_AUTH"` without `srp`, and `flow: "USER_AUTH"` when
   * `preferredChallenge` is not PASSWORD or PASSWORD_SRP. */
  password?: string;
  /** Default "USER_SRP_AUTH". "CUSTOM_AUTH": the pool's custom challenges (Lambda triggers), each
   * a `CUSTOM_CHALLENGE` step answered with `respondToChallenge({ answer })`. "USER_AUTH":
   * choice-based sign-in (the app client needs ALLOW_USER_AUTH): without `preferredChallenge`, or
   * when it is not available to the user, the result is the SELECT_CHALLENGE step. */
  flow?: "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "USER_AUTH";
  /** CUSTOM_AUTH only: verify the password by SRP first (`SRP_A`, `CHALLENGE_NAME: "SRP_A"`). */
  srp?: boolean;
  /** `USER_AUTH` only: `PREFERRED_CHALLENGE`. PASSWORD / PASSWORD_SRP (with `password`) end signed
   * in in one call as the other flows do; EMAIL_OTP / SMS_OTP stop at that challenge, answered with
   * `respondToChallenge({ code })`; WEB_AUTHN ends signed in in one call (the browser's passkey
   * prompt in between; `WebAuthnError` when it is refused, `InvalidParameterError` before any
   * request where there is no `navigator.credentials`). */
  preferredChallenge?: AuthFactor;
  clientMetadata?: Record<string, string>;
}

export type ChallengeName =
  | "NEW_PASSWORD_REQUIRED" | "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SMS_OTP"
  | "SELECT_MFA_TYPE" | "MFA_SETUP" | "CUSTOM_CHALLENGE" | "SELECT_CHALLENGE" | "WEB_AUTHN"
  | (string & {});

export interface ChallengeParams {
  /** SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SMS_OTP; MFA_SETUP: the authenticator's code after
   * `associateSoftwareToken()` (VerifySoftwareToken, then the MFA_SETUP answer). */
  code?: string;
  /** MFA_SETUP: a name for the authenticator. */
  friendlyDeviceName?: string;
  /** NEW_PASSWORD_REQUIRED. */
  newPassword?: string;
  /** SELECT_MFA_TYPE. */
  mfaType?: "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";
  /** CUSTOM_CHALLENGE (sent as `ANSWER`; answer each new CUSTOM_CHALLENGE until signed in or
   * Cognito refuses with NotAuthorizedException); SELECT_CHALLENGE: one of `availableChallenges`
   * (with `password` for PASSWORD and PASSWORD_SRP, which then end signed in as `signIn` does). */
  answer?: string;
  /** SELECT_CHALLENGE answered with PASSWORD or PASSWORD_SRP. */
  password?: string;
  /** WEB_AUTHN: the assertion as AuthenticationResponseJSON (a JSON string). */
  credential?: string;
  /** MFA_SETUP where the pool offers email MFA (`MFAS_CAN_SETUP` lists EMAIL_OTP): the address;
   * an EMAIL_OTP challenge follows, answered with `{ code }`. */
  email?: string;
  /** NEW_PASSWORD_REQUIRED: required attributes, without the `userAttributes.` prefix. */
  attributes?: Record<string, string>;
  clientMetadata?: Record<string, string>;
}

export interface Session {
  username: string;
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** When the earlier token expires, in ms since the epoch by this machine's clock. */
  expiresAt: number;
  /** The ID token's claims (decoded, not verified). */
  claims: Record<string, unknown>;
}

export type SignInResult =
  | { signedIn: true; session: Session }
  | {
      signedIn: false;
      challenge: ChallengeName;
      parameters: Record<string, string>;
      /** SELECT_CHALLENGE: the first factors this user may answer with. */
      availableChallenges?: AuthFactor[];
      /** EMAIL_OTP, SMS_OTP, SMS_MFA: where the code went. */
      codeDelivery?: CodeDelivery;
      /** WEB_AUTHN: `CREDENTIAL_REQUEST_OPTIONS`, the JSON of PublicKeyCredentialRequestOptions
       * (base64url fields), as Cognito sent it. */
      credentialRequestOptions?: string;
    };

export interface SignOutParams {
  /** Also GlobalSignOut: every device's refresh tokens. */
  global?: boolean;
  /** Hosted-UI sessions: navigate through `/logout` to `redirectSignOut` (default true). */
  navigate?: boolean;
}

/** `oauth` of `new CognitoAuth(…)`. */
export interface OAuthOptions {
  /** `<prefix>.auth.<region>.amazoncognito.com` or a custom domain (https implied), or a full
   * origin such as `http://127.0.0.1:9229`. */
  domain: string;
  redirectSignIn: string;
  redirectSignOut?: string;
  /** Default openid, email, phone, profile, aws.cognito.signin.user.admin. */
  scopes?: string[];
}

export interface SignInWithRedirectParams {
  /** `identity_provider`: `Google`, `Facebook`, `LoginWithAmazon`, `SignInWithApple`, a SAML/OIDC IdP name. */
  provider?: string;
  /** Instead of `oauth.scopes`. */
  scopes?: string[];
  /** The app's own value, given back as `customState` by `handleRedirect`. */
  state?: string;
  /** Default true where there is a `location` (browsers); false only returns the URL. */
  navigate?: boolean;
}

/** `refreshSession(params?)`. */
export interface RefreshSessionParams {
  /** ClientMetadata of GetTokensFromRefreshToken (or REFRESH_TOKEN_AUTH): for the pool's
   * pre-token-generation trigger. */
  clientMetadata?: Record<string, string>;
}

export interface CognitoAuth {
  /**
   * Refreshes now (the `refreshFlow` option), even when the tokens are still valid; one refresh
   * for concurrent callers. Network failures keep the session; a refused refresh token
   * (NotAuthorizedException, RefreshTokenReuseException) signs out.
   */
  refreshSession(params?: RefreshSessionParams): Promise<Session>;
  /**
   * Signs out here (RevokeToken on the refresh token) and, with `global`, everywhere
   * (GlobalSignOut). The local session is cleared even when those calls fail.
   */
  signOut(params?: SignOutParams): Promise<void>;
  /**
   * Calls `listener` on each `event` and returns the function that unsubscribes it. Fired for this
   * client's own sign-ins (`signedIn`), sign-outs and `deleteUser` (`signedOut`), refreshes
   * (`tokenRefresh`; `tokenRefreshFailure` with the error when one fails; `sessionExpired` when
   * Cognito refused the refresh token and the session ended), and for what another tab changes
   * in shared Web Storage (`signedIn`, `signedOut`, `tokenRefresh`). `onSessionChange` stays.
   */
  on<E extends keyof AuthEventMap>(event: E, listener: (data: AuthEventMap[E]) => void): () => void;
}

/** What `auth.on(event, listener)` passes to the listener of each event. */
export interface AuthEventMap {
  signedIn: Session;
  signedOut: undefined;
  tokenRefresh: Session;
  tokenRefreshFailure: CognitoError;
  sessionExpired: undefined;
}

/** Every rejection of this library. */
export interface CognitoError extends Error {
  /** Cognito's exception name (`NotAuthorizedException`, …) or a local kind (`NetworkError`,
   * `TimeoutError`, `InvalidResponseError`, `SrpError`, `InvalidParameterError`, `StorageError`),
   * or `OAuthError` from the hosted UI, whose `code` is the OAuth `error` (`invalid_grant`,
   * `access_denied`, …, or the local `invalid_state`), or `WebAuthnError` from a passkey prompt,
   * whose `code` is the DOMException's name (`NotAllowedError`, `AbortError`, `InvalidStateError`, …). */
  name: string;
  code: string;
  /** The HTTP status, when the error came over HTTP. */
  status?: number;
  /** Whether trying again later may succeed. */
  retryable: boolean;
}
"#;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthOptions {
    pub user_pool_id: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub endpoint: Option<String>,
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
    pub oauth: Option<OAuthOptions>,
    pub remember_devices: Option<bool>,
    pub device_name: Option<String>,
    pub refresh_flow: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignUpParams {
    pub username: String,
    /// Absent: a passwordless user.
    pub password: Option<String>,
    /// Keep SignUp's `Session` so `confirmSignUp` ends signed in.
    #[serde(default)]
    pub auto_sign_in: bool,
    #[serde(default)]
    pub attributes: VecMap<String, String>,
    #[serde(default)]
    pub validation_data: VecMap<String, String>,
    pub client_metadata: Option<VecMap<String, String>>,
}

impl From<SignUpParams> for SignUpInput {
    fn from(p: SignUpParams) -> Self {
        SignUpInput {
            username: p.username,
            password: p.password.unwrap_or_default().into(),
            attributes: p.attributes,
            validation_data: p.validation_data,
            client_metadata: p.client_metadata,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmSignUpParams {
    pub username: String,
    pub code: String,
    pub force_alias_creation: Option<bool>,
    pub client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsernameParams {
    pub username: String,
    pub client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmForgotPasswordParams {
    pub username: String,
    pub code: String,
    pub new_password: String,
    pub client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInParams {
    pub username: String,
    /// Required but for `CUSTOM_AUTH` without `srp` and `USER_AUTH` without a password factor.
    #[serde(default)]
    pub password: String,
    pub flow: Option<String>,
    pub srp: Option<bool>,
    /// `USER_AUTH`'s `PREFERRED_CHALLENGE`.
    pub preferred_challenge: Option<String>,
    pub client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeParams {
    pub code: Option<String>,
    pub new_password: Option<String>,
    pub mfa_type: Option<String>,
    pub answer: Option<String>,
    /// SELECT_CHALLENGE answered with PASSWORD or PASSWORD_SRP.
    pub password: Option<String>,
    /// WEB_AUTHN: AuthenticationResponseJSON.
    pub credential: Option<String>,
    /// MFA_SETUP: set up email MFA with this address.
    pub email: Option<String>,
    #[serde(default)]
    pub attributes: VecMap<String, String>,
    pub client_metadata: Option<VecMap<String, String>>,
    /// MFA_SETUP: VerifySoftwareToken's `FriendlyDeviceName`.
    pub friendly_device_name: Option<String>,
}

impl ChallengeParams {
    pub fn answer(&self) -> ChallengeAnswer {
        let secret = |v: &Option<String>| v.as_deref().map(SecretString::from);
        ChallengeAnswer {
            code: secret(&self.code),
            new_password: secret(&self.new_password),
            mfa_type: self.mfa_type.clone(),
            answer: secret(&self.answer),
            password: secret(&self.password),
            credential: self.credential.clone(),
            email: self.email.clone(),
            attributes: self.attributes.clone(),
        }
    }
}

/// `refreshSession({ clientMetadata? })`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RefreshParams {
    pub client_metadata: Option<VecMap<String, String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SignOutParams {
    #[serde(default)]
    pub global: bool,
    /// Hosted-UI sessions: go through `/logout` (default true where there is a `location`).
    pub navigate: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDelivery {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
}

impl From<CodeDeliveryDetails> for CodeDelivery {
    fn from(d: CodeDeliveryDetails) -> Self {
        CodeDelivery {
            destination: d.destination,
            medium: d.delivery_medium,
            attribute: d.attribute_name,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeDeliveryResult {
    pub code_delivery: CodeDelivery,
}

/// `oauth: { domain, redirectSignIn, redirectSignOut?, scopes? }` of `new CognitoAuth`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthOptions {
    pub domain: String,
    pub redirect_sign_in: String,
    pub redirect_sign_out: Option<String>,
    pub scopes: Option<Vec<String>>,
}

impl OAuthOptions {
    /// The core's hosted-UI configuration; `scopes` default to [`OAuthConfig::default_scopes`].
    pub fn into_config(self) -> Result<OAuthConfig, Error> {
        OAuthConfig::new(
            &self.domain,
            &self.redirect_sign_in,
            self.redirect_sign_out.as_deref(),
            self.scopes.unwrap_or_else(OAuthConfig::default_scopes),
        )
    }
}

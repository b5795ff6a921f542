//! `CognitoWorkerAuth`: authentication for Workers `fetch` handlers. The access token comes from
//! `Authorization: Bearer …` or the session cookies (amazon-cognito-identity-js's key layout,
//! through a [`SharedJar`]); an expired one is refreshed with the refresh-token cookie and the new
//! cookies are set on the response. Optional routes run the sign-in (with its challenges:
//! [`crate::edge_challenge`]) and the sign-out at the edge.

use alloc::rc::Rc;
use core::cell::RefCell;

use super::task::awaited;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::panic::guard;

use super::args::{function_arg, snapshot};
use super::cookie_jar::{cookie_header_of, CookieOptions, SharedJar};
use super::error::{invalid_options, to_js_error};
use super::fetch::FetchPlatform;
use super::http;
use super::verifier::{optional_function, CommonOptions, Verified, Verifier};
use crate::challenge::SignInStep;
use crate::client::{AuthFlow, CallOptions, Cognito};
use crate::config::ClientConfig;
use crate::edge_challenge::{
    clear_challenge_cookie, edge_answer, edge_supports, failure_status, keeps_challenge,
    read_challenge_cookie, set_challenge_cookie, EdgeAnswer,
};
use crate::edge_guard::{check_origin, is_json_media_type, serialized_origin, RequestOrigin};
use crate::error::Error;
use crate::storage::StorageKeys;
use crate::verify::{TokenUse, VerifyError};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options of `new CognitoWorkerAuth(…)`. */
export interface CognitoWorkerAuthOptions {
  userPoolId: string;
  /** The app client: access tokens must carry it as `client_id`; sign-in and refresh use it. */
  clientId: string;
  /** For app clients with a secret: SECRET_HASH on sign-in and refresh. */
  clientSecret?: string;
  /** A custom Cognito endpoint (the local emulator). */
  endpoint?: string;
  leewaySeconds?: number;
  /** The access token's `cognito:groups` must hold at least one of these. */
  groups?: string | string[];
  /** The access token's `scope` must hold at least one of these. */
  scopes?: string | string[];
  jwksTtlMs?: number;
  jwksPenaltyMs?: number;
  timeoutMs?: number;
  /** The session cookies' attributes (HttpOnly unless told otherwise). */
  cookie?: CookieOptions;
  /** Where HTML requests (GET with `Accept: text/html`) without a valid session are redirected
   * (302) instead of getting the 401 JSON body. */
  signInUrl?: string;
  /** Paths of the edge routes `handleRoutes` answers; `null` turns one off. Defaults
   * "/auth/sign-in", "/auth/sign-out" and "/auth/challenge". All refuse (403, `{error:
   * "CrossOriginRequest", check, message}`) a request unless `Sec-Fetch-Site` is `same-origin`,
   * or, without `Sec-Fetch-Site`, its `Origin` is the request URL's own — or `Origin` is one of
   * `allowedOrigins`. Sign-in and challenge also need `Content-Type` `application/json` (else
   * 415). Without a challenge route, a sign-in that meets a challenge answers 403. */
  routes?: { signIn?: string | null; signOut?: string | null; challenge?: string | null };
  /** Other origins (`https://app.example.com`, no path) whose pages may call the edge routes:
   * a front end served apart from the Worker. Their requests get CORS answers (a preflight
   * `OPTIONS` is answered 204) with `Access-Control-Allow-Credentials: true`. Default none. */
  allowedOrigins?: string[];
  fetch?: typeof fetch;
}

/** What `authenticate` found. On failure `response` is the 401 JSON (`{error, check, message}`),
 * a 503 when the keys or Cognito are unreachable, or the redirect to `signInUrl`. */
export type AuthOutcome =
  | { ok: true; claims: Record<string, unknown>; refreshed: boolean; setCookie: string[] }
  | { ok: false; check: string; response: Response };

/** What the sign-in and challenge routes answer with status 200: signed in (the session cookies
 * are set), or a challenge to answer with `POST <routes.challenge>` (Cognito's Session is kept in
 * an HttpOnly, SameSite=Strict cookie for 3 minutes, Path the challenge route). */
export type EdgeSignInResult =
  | { signedIn: true; username: string; expiresAt: number }
  | { signedIn: false; challenge: ChallengeName; parameters: Record<string, string> };

/** The JSON body of `POST <routes.challenge>`: `answer`, or the challenge's own field (`code` for
 * SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP, SMS_OTP; `newPassword` and `attributes` for
 * NEW_PASSWORD_REQUIRED; `mfaType` for SELECT_MFA_TYPE). CUSTOM_CHALLENGE takes `answer`. */
export interface EdgeChallengeAnswer {
  answer?: string;
  code?: string;
  newPassword?: string;
  mfaType?: "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP";
  attributes?: Record<string, string>;
}

/** What a wrapped handler gets as its fourth argument. */
export interface AuthContext {
  claims: Record<string, unknown>;
  /** The access token was refreshed for this request (new cookies go on the response). */
  refreshed: boolean;
}

export type AuthenticatedHandler<Env = unknown, Ctx = unknown> =
  (request: Request, env: Env, ctx: Ctx, auth: AuthContext) => Response | Promise<Response>;
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Routes {
    #[serde(default = "sign_in_path")]
    sign_in: Option<String>,
    #[serde(default = "sign_out_path")]
    sign_out: Option<String>,
    #[serde(default = "challenge_path")]
    challenge: Option<String>,
}

fn challenge_path() -> Option<String> {
    Some("/auth/challenge".into())
}

fn sign_in_path() -> Option<String> {
    Some("/auth/sign-in".into())
}

fn sign_out_path() -> Option<String> {
    Some("/auth/sign-out".into())
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MiddlewareOptions {
    user_pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    endpoint: Option<String>,
    sign_in_url: Option<String>,
    routes: Option<Routes>,
    allowed_origins: Option<Vec<String>>,
    #[serde(flatten)]
    common: CommonOptions,
}

/// Why a request is not authenticated.
enum Denied {
    NoToken,
    Token(VerifyError),
    Refresh(Error),
}

impl Denied {
    /// `(status, check, message)` of the answer.
    fn describe(&self) -> (u16, String, String) {
        match self {
            Denied::NoToken => (401, "MissingToken".into(), "no access token".into()),
            Denied::Token(e) if e.is_token_fault() => (401, e.code().into(), e.to_string()),
            Denied::Token(e) => (503, e.code().into(), e.to_string()),
            Denied::Refresh(e) if e.retryable() => (503, "Refresh".into(), e.to_string()),
            Denied::Refresh(e) => (401, "Refresh".into(), format!("{}: {e}", e.code())),
        }
    }
}

struct Authed {
    claims: Verified,
    refreshed: bool,
}

struct Inner {
    verifier: Rc<Verifier>,
    config: ClientConfig,
    fetch: Option<Function>,
    cookie: CookieOptions,
    sign_in_url: Option<String>,
    routes: Routes,
    /// Serialized origins ([`serialized_origin`]).
    allowed_origins: Vec<String>,
}

/// The status ([`failure_status`]) and body of a failed Cognito call at the edge.
fn cognito_failure(e: &Error) -> (u16, Value) {
    (
        failure_status(e),
        json!({"error": e.code(), "message": e.to_string()}),
    )
}

/// Which edge route a request is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Route {
    SignIn,
    SignOut,
    Challenge,
}

/// The `{challenge, parameters}` body for `pending`.
fn challenge_body(pending: &crate::challenge::PendingChallenge) -> Value {
    json!({"signedIn": false, "challenge": pending.name, "parameters": pending.parameters})
}

/// The JSON body of the challenge route.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnswerBody {
    answer: Option<String>,
    code: Option<String>,
    new_password: Option<String>,
    mfa_type: Option<String>,
    #[serde(default)]
    attributes: crate::map::VecMap<String, String>,
}

fn js_err(e: Error) -> JsValue {
    to_js_error(&e)
}

impl Inner {
    fn jar(&self, request: &JsValue) -> Result<SharedJar, Error> {
        let jar = self.cookie.jar(&cookie_header_of(request))?;
        Ok(SharedJar(Rc::new(RefCell::new(jar))))
    }

    fn client(&self, jar: &SharedJar) -> Cognito<FetchPlatform, SharedJar> {
        Cognito::new(
            self.config.clone(),
            FetchPlatform::new(self.fetch.clone()),
            jar.clone(),
            CallOptions::default(),
        )
    }

    /// The verified access-token claims, refreshed through the cookies when expired; with the
    /// `Set-Cookie` lines to send either way.
    async fn authenticate(&self, request: &JsValue) -> (Result<Authed, Denied>, Vec<String>) {
        if let Some(token) = http::header(request, "authorization")
            .as_deref()
            .and_then(|h| h.strip_prefix("Bearer "))
        {
            let verified = self.verifier.verify(token.trim()).await;
            return (
                verified
                    .map(|claims| Authed {
                        claims,
                        refreshed: false,
                    })
                    .map_err(Denied::Token),
                vec![],
            );
        }
        let jar = match self.jar(request) {
            Ok(jar) => jar,
            Err(e) => return (Err(Denied::Refresh(e)), vec![]),
        };
        let outcome = self.verify_cookies(&jar).await;
        (outcome, jar.set_cookie_headers().unwrap_or_default())
    }

    async fn verify_cookies(&self, jar: &SharedJar) -> Result<Authed, Denied> {
        let keys = StorageKeys::new(&self.config.client_id);
        let read = |key: &str| jar.0.borrow().get(key).filter(|v| !v.is_empty());
        let user = read(&keys.last_auth_user()).ok_or(Denied::NoToken)?;
        let [_, access_key, refresh_key, _] = keys.user_keys(&user);
        let access = read(&access_key).ok_or(Denied::NoToken)?;
        match self.verifier.verify(&access).await {
            Ok(claims) => Ok(Authed {
                claims,
                refreshed: false,
            }),
            Err(VerifyError::Expired) if read(&refresh_key).is_some() => {
                let session = self
                    .client(jar)
                    .refresh_session()
                    .await
                    .map_err(Denied::Refresh)?;
                let claims = self
                    .verifier
                    .verify(session.access_token.expose_secret())
                    .await
                    .map_err(Denied::Token)?;
                Ok(Authed {
                    claims,
                    refreshed: true,
                })
            }
            Err(e) => Err(Denied::Token(e)),
        }
    }

    /// The answer to an unauthenticated request: a redirect for a page, else JSON.
    fn deny(
        &self,
        request: &JsValue,
        denied: &Denied,
        set_cookie: &[String],
    ) -> Result<JsValue, JsValue> {
        let (status, check, message) = denied.describe();
        let wants_html = http::header(request, "accept").is_some_and(|a| a.contains("text/html"));
        let is_read = matches!(http::method(request).as_str(), "GET" | "HEAD");
        if let (Some(url), 401, true, true) = (&self.sign_in_url, status, wants_html, is_read) {
            return http::response(&JsValue::NULL, 302, &[("Location", url)], set_cookie);
        }
        let challenge = format!("Bearer error=\"invalid_token\", error_description=\"{check}\"");
        let headers: &[(&str, &str)] = if status == 401 {
            &[("WWW-Authenticate", &challenge)]
        } else {
            &[("Retry-After", "10")]
        };
        let error = if status == 401 {
            "unauthorized"
        } else {
            "unavailable"
        };
        let body = json!({"error": error, "check": check, "message": message});
        http::json_response(status, &body, headers, set_cookie)
    }

    async fn sign_in(&self, request: &JsValue) -> Result<JsValue, JsValue> {
        #[derive(Deserialize)]
        struct Credentials {
            username: String,
            #[serde(default)]
            password: String,
            flow: Option<String>,
            srp: Option<bool>,
        }
        if !is_json_media_type(http::header(request, "content-type").as_deref()) {
            let body = json!({"error": "UnsupportedMediaType", "message": "send JSON {username, password}"});
            return http::json_response(415, &body, &[], &[]);
        }
        let credentials: Option<Credentials> = match http::json_body(request).await {
            Ok(body) => serde_wasm_bindgen::from_value(body).ok(),
            Err(_) => None,
        };
        let Some(credentials) = credentials else {
            let body = json!({"error": "InvalidParameterError", "message": "expected JSON {username, password}"});
            return http::json_response(400, &body, &[], &[]);
        };
        let flow = match AuthFlow::parse(credentials.flow.as_deref(), credentials.srp, None) {
            Ok(flow) => flow,
            Err(e) => return http::json_response(400, &cognito_failure(&e).1, &[], &[]),
        };
        let jar = self.jar(request).map_err(js_err)?;
        let step = self
            .client(&jar)
            .sign_in(
                &credentials.username,
                &credentials.password.into(),
                flow,
                None,
                None,
            )
            .await;
        let had_challenge = read_challenge_cookie(&cookie_header_of(request)).is_some();
        self.sign_in_answer(&jar, step, had_challenge)
    }

    /// The answer of the sign-in and challenge routes to `step`: tokens → 200 with the session
    /// cookies, the challenge cookie cleared (when the request had one); a challenge the edge
    /// answers → 200 `{challenge, parameters}` with the challenge cookie; one it does not → 403.
    fn sign_in_answer(
        &self,
        jar: &SharedJar,
        step: Result<SignInStep, Error>,
        had_challenge: bool,
    ) -> Result<JsValue, JsValue> {
        let mut set_cookie = jar.set_cookie_headers().map_err(js_err)?;
        let secure = self.cookie.secure();
        let challenge_route = self.routes.challenge.as_deref();
        let clearing = challenge_route.filter(|_| had_challenge);
        let cookie_error =
            |e: crate::cookie::CookieError| js_err(Error::invalid_parameter(e.to_string()));
        match step {
            Ok(SignInStep::SignedIn(session)) => {
                if let Some(path) = clearing {
                    set_cookie.push(clear_challenge_cookie(path, secure).map_err(cookie_error)?);
                }
                let body = json!({"signedIn": true, "username": session.username, "expiresAt": session.expires_at_ms});
                http::json_response(200, &body, &[], &set_cookie)
            }
            Ok(SignInStep::Challenge(pending)) => match challenge_route {
                Some(path) if edge_supports(&pending.name) => {
                    set_cookie
                        .push(set_challenge_cookie(&pending, path, secure).map_err(cookie_error)?);
                    http::json_response(200, &challenge_body(&pending), &[], &set_cookie)
                }
                _ => {
                    if let Some(path) = clearing {
                        set_cookie
                            .push(clear_challenge_cookie(path, secure).map_err(cookie_error)?);
                    }
                    let body = json!({"signedIn": false, "error": "ChallengeUnsupported", "challenge": pending.name,
                        "message": "this user must answer a challenge which the edge routes do not run"});
                    http::json_response(403, &body, &[], &set_cookie)
                }
            },
            Err(e) => {
                let (status, body) = cognito_failure(&e);
                http::json_response(status, &body, &[], &set_cookie)
            }
        }
    }

    /// `POST <routes.challenge>`: the answer to the challenge kept in the challenge cookie
    /// ([`crate::edge_challenge`]).
    async fn challenge(&self, request: &JsValue, path: &str) -> Result<JsValue, JsValue> {
        if !is_json_media_type(http::header(request, "content-type").as_deref()) {
            let body = json!({"error": "UnsupportedMediaType", "message": "send JSON {answer} or the challenge's fields"});
            return http::json_response(415, &body, &[], &[]);
        }
        let body: Option<AnswerBody> = match http::json_body(request).await {
            Ok(body) => serde_wasm_bindgen::from_value(body).ok(),
            Err(_) => None,
        };
        let Some(body) = body else {
            let body = json!({"error": "InvalidParameterError", "message": "expected JSON {answer} or the challenge's fields"});
            return http::json_response(400, &body, &[], &[]);
        };
        let secure = self.cookie.secure();
        let clear = clear_challenge_cookie(path, secure)
            .map_err(|e| js_err(Error::invalid_parameter(e.to_string())))?;
        let Some(pending) = read_challenge_cookie(&cookie_header_of(request)) else {
            let body = json!({"error": "NoChallenge", "message": "no challenge in progress (or it expired): sign in again"});
            return http::json_response(401, &body, &[], &[clear]);
        };
        let answer = edge_answer(
            &pending.name,
            EdgeAnswer {
                answer: body.answer,
                code: body.code,
                new_password: body.new_password,
                mfa_type: body.mfa_type,
                attributes: body.attributes,
            },
        );
        let jar = self.jar(request).map_err(js_err)?;
        let step = self
            .client(&jar)
            .respond_to_challenge(&pending, &answer, None)
            .await;
        match step {
            Err(e) if keeps_challenge(&e) => {
                let (status, body) = cognito_failure(&e);
                http::json_response(status, &body, &[], &[])
            }
            Err(e) => {
                let (status, body) = cognito_failure(&e);
                http::json_response(status, &body, &[], &[clear])
            }
            step => self.sign_in_answer(&jar, step, true),
        }
    }

    async fn sign_out(&self, request: &JsValue) -> Result<JsValue, JsValue> {
        let jar = self.jar(request).map_err(js_err)?;
        let had_refresh_token = {
            let keys = StorageKeys::new(&self.config.client_id);
            let jar = jar.0.borrow();
            let user = jar.get(&keys.last_auth_user()).filter(|u| !u.is_empty());
            user.is_some_and(|user| {
                let [_, _, refresh_key, _] = keys.user_keys(&user);
                jar.get(&refresh_key).is_some_and(|t| !t.is_empty())
            })
        };
        // The cookies are cleared even when revoking the refresh token fails.
        let signed_out = self.client(&jar).sign_out(false).await.is_ok();
        let revoked = had_refresh_token && signed_out;
        let set_cookie = jar.set_cookie_headers().map_err(js_err)?;
        http::json_response(
            200,
            &json!({"signedOut": true, "revoked": revoked}),
            &[],
            &set_cookie,
        )
    }

    /// The response of an edge route, or `None` when `request` is for none of them.
    async fn route(&self, request: &JsValue) -> Result<Option<JsValue>, JsValue> {
        let path = http::path(request);
        let is = |route: &Option<String>| route.as_deref() == Some(path.as_str());
        let which = if is(&self.routes.sign_in) {
            Route::SignIn
        } else if is(&self.routes.sign_out) {
            Route::SignOut
        } else if is(&self.routes.challenge) {
            Route::Challenge
        } else {
            return Ok(None);
        };
        let origin = http::header(request, "origin");
        let method = http::method(request);
        let allowed_foreign = origin
            .as_deref()
            .and_then(serialized_origin)
            .filter(|o| self.allowed_origins.contains(o));
        let cors = |origin: &str| {
            [
                ("Access-Control-Allow-Origin", origin.to_owned()),
                ("Access-Control-Allow-Credentials", "true".to_owned()),
                ("Vary", "Origin".to_owned()),
            ]
        };
        if let (Some(origin), "OPTIONS") = (&allowed_foreign, method.as_str()) {
            let mut headers = cors(origin).to_vec();
            headers.push(("Access-Control-Allow-Methods", "POST".into()));
            headers.push(("Access-Control-Allow-Headers", "content-type".into()));
            headers.push(("Access-Control-Max-Age", "600".into()));
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            return http::response(&JsValue::NULL, 204, &headers, &[]).map(Some);
        }
        if method != "POST" {
            let body = json!({"error": "MethodNotAllowed", "message": "use POST"});
            return http::json_response(405, &body, &[("Allow", "POST")], &[]).map(Some);
        }
        let site = http::header(request, "sec-fetch-site");
        let facts = RequestOrigin {
            sec_fetch_site: site.as_deref(),
            origin: origin.as_deref(),
            url: &http::url(request),
        };
        if let Err(refused) = check_origin(facts, &self.allowed_origins) {
            let body = json!({"error": "CrossOriginRequest", "check": refused.code(),
                "message": format!("refused: {refused}")});
            return http::json_response(403, &body, &[("Vary", "Origin")], &[]).map(Some);
        }
        let response = match which {
            Route::SignIn => self.sign_in(request).await?,
            Route::SignOut => self.sign_out(request).await?,
            Route::Challenge => self.challenge(request, &path).await?,
        };
        if let Some(origin) = &allowed_foreign {
            let headers = cors(origin);
            let headers: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            http::append_headers(&response, &headers)?;
        }
        Ok(Some(response))
    }

    async fn authenticate_to_js(&self, request: &JsValue) -> Result<JsValue, JsValue> {
        let (outcome, set_cookie) = self.authenticate(request).await;
        let result = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&result, &k.into(), v).map(drop);
        match outcome {
            Ok(authed) => {
                set("ok", &true.into())?;
                set("claims", &authed.claims.to_js()?)?;
                set("refreshed", &authed.refreshed.into())?;
                set(
                    "setCookie",
                    &set_cookie.iter().map(JsValue::from).collect::<Array>(),
                )?;
            }
            Err(denied) => {
                set("ok", &false.into())?;
                set("check", &denied.describe().1.into())?;
                set("response", &self.deny(request, &denied, &set_cookie)?)?;
            }
        }
        Ok(result.into())
    }

    /// Routes, else authentication, then `handler(request, env, ctx, {claims, refreshed})`
    /// with the new cookies appended to its response.
    async fn serve(&self, handler: &Function, args: [JsValue; 3]) -> Result<JsValue, JsValue> {
        let [request, env, ctx] = args;
        if let Some(response) = self.route(&request).await? {
            return Ok(response);
        }
        let (outcome, set_cookie) = self.authenticate(&request).await;
        let authed = match outcome {
            Ok(authed) => authed,
            Err(denied) => return self.deny(&request, &denied, &set_cookie),
        };
        let auth = Object::new();
        Reflect::set(&auth, &"claims".into(), &authed.claims.to_js()?)?;
        Reflect::set(&auth, &"refreshed".into(), &authed.refreshed.into())?;
        let returned = handler.apply(
            &JsValue::UNDEFINED,
            &Array::of4(&request, &env, &ctx, &auth),
        )?;
        let response = awaited(Promise::resolve(&returned)).await?;
        http::with_set_cookie(&response, &set_cookie)
    }
}

/// Cognito authentication for a Worker: create once at module scope (the JWKS cache lives in
/// it), then `wrap` the fetch handler or call `authenticate`/`handleRoutes` yourself.
#[wasm_bindgen]
pub struct CognitoWorkerAuth {
    inner: Rc<Inner>,
}

#[wasm_bindgen]
impl CognitoWorkerAuth {
    /// Throws `InvalidParameterError` for malformed ids, endpoint or cookie options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoWorkerAuthOptions")] options: JsValue,
    ) -> Result<CognitoWorkerAuth, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CognitoWorkerAuth, Error> {
        let fetch = optional_function(&options, "fetch")?;
        let options = snapshot(&options, "CognitoWorkerAuth options")?;
        let cookie = CookieOptions::from_js(
            &Reflect::get(&options, &"cookie".into()).unwrap_or(JsValue::UNDEFINED),
        )?;
        cookie.jar("")?;
        let parsed: MiddlewareOptions = serde_wasm_bindgen::from_value(options)
            .map_err(|e| invalid_options("CognitoWorkerAuth options", e))?;
        let allowed_origins = parsed
            .allowed_origins
            .unwrap_or_default()
            .iter()
            .map(|o| {
                serialized_origin(o).ok_or_else(|| {
                    Error::invalid_parameter(
                        "allowedOrigins: each must be an origin such as https://app.example.com",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let config = ClientConfig::new(
            &parsed.user_pool_id,
            &parsed.client_id,
            parsed.client_secret.map(Into::into),
            parsed.endpoint.as_deref(),
        )?;
        let verifier = Verifier::new(
            &parsed.user_pool_id,
            parsed.endpoint.as_deref(),
            TokenUse::Access,
            vec![parsed.client_id],
            parsed.common,
            fetch.clone(),
        )?;
        Ok(CognitoWorkerAuth {
            inner: Rc::new(Inner {
                verifier: Rc::new(verifier),
                config,
                fetch,
                cookie,
                sign_in_url: parsed.sign_in_url,
                routes: parsed.routes.unwrap_or(Routes {
                    sign_in: sign_in_path(),
                    sign_out: sign_out_path(),
                    challenge: challenge_path(),
                }),
                allowed_origins,
            }),
        })
    }

    /// Verifies the request's access token (Bearer header, else cookies), refreshing an expired
    /// one through the refresh-token cookie.
    #[wasm_bindgen(unchecked_return_type = "Promise<AuthOutcome>")]
    pub fn authenticate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        guard(async move { inner.authenticate_to_js(&request).await })
    }

    /// `POST <routes.signIn>` with JSON `{username, password, flow?, srp?}` (flow as `signIn`'s:
    /// USER_SRP_AUTH by default, CUSTOM_AUTH…): 200 `{signedIn: true}` with the session cookies,
    /// or 200 `{signedIn: false, challenge, parameters}` with the challenge cookie; 401 for a
    /// wrong password; 403 for a challenge the edge does not run (MFA_SETUP).
    /// `POST <routes.challenge>` with `{answer}` or the challenge's fields: the same answers, or
    /// 401 `NoChallenge` without a live challenge cookie, 400 for a wrong code (the challenge
    /// stays), 401 when Cognito refuses (sign in again).
    /// `POST <routes.signOut>`: revokes the refresh token and clears the cookies. `null` for any
    /// other request.
    #[wasm_bindgen(js_name = handleRoutes, unchecked_return_type = "Promise<Response | null>")]
    pub fn handle_routes(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Request")] request: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        guard(async move { Ok(inner.route(&request).await?.unwrap_or(JsValue::NULL)) })
    }

    /// A fetch handler: the edge routes, then authentication, then `handler` with the claims;
    /// refreshed cookies are appended to its response.
    #[wasm_bindgen(
        unchecked_return_type = "(request: Request, env?: unknown, ctx?: unknown) => Promise<Response>"
    )]
    pub fn wrap(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AuthenticatedHandler<any, any>")] handler: JsValue,
    ) -> Result<Function, JsValue> {
        let handler = function_arg(handler, "wrap's handler").map_err(|e| to_js_error(&e))?;
        let inner = self.inner.clone();
        let serve = move |request: JsValue, env: JsValue, ctx: JsValue| -> Promise {
            let inner = inner.clone();
            let handler = handler.clone();
            guard(async move { inner.serve(&handler, [request, env, ctx]).await })
        };
        Ok(
            Closure::<dyn Fn(JsValue, JsValue, JsValue) -> Promise>::new(serve)
                .into_js_value()
                .unchecked_into(),
        )
    }
}

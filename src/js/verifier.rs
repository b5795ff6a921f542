//! `CognitoJwtVerifier`: a Cognito ID or access token checked against the pool's JWKS, the
//! signature by WebCrypto. Keys are cached per verifier (create it once per isolate, at module
//! scope); one JWKS fetch at a time is shared by every concurrent `verify`.

use crate::map::VecMap;
use alloc::rc::Rc;
use core::cell::{OnceCell, RefCell};

use super::task::awaited;
use js_sys::{Function, Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::panic::guard;

use super::args::{snapshot, string_arg};
use super::error::{invalid_options, to_js_error};
use super::jwks_fetch::fetch_text;
use super::webcrypto::Subtle;
use crate::error::Error;
use crate::local::Local;
use crate::verify::{
    check_claims, check_header, jwks_url, parse_jwks, JwksPolicy, KeyCache, KeyLookup, TokenUse,
    UnverifiedToken, VerifyError, VerifyOptions,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = r#"
/** Options of `new CognitoJwtVerifier(…)`. */
export interface CognitoJwtVerifierOptions {
  /** `<region>_<id>`: the issuer is `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  userPoolId: string;
  /** `aud` (ID token) or `client_id` (access token) must be one of these. */
  clientId: string | string[];
  tokenUse: "id" | "access";
  /** A custom Cognito endpoint (the local emulator): the issuer becomes `<endpoint>/<userPoolId>`. */
  endpoint?: string;
  /** Clock skew tolerated on `exp`, `nbf` and `iat`, in seconds; default 0. */
  leewaySeconds?: number;
  /** The token's `cognito:groups` must hold at least one of these. */
  groups?: string | string[];
  /** The token's `scope` must hold at least one of these. */
  scopes?: string | string[];
  /** Keys are refetched when older than this; default 3600000 (1 h). */
  jwksTtlMs?: number;
  /** No JWKS fetch for this long after a failed one, nor after one that did not bring an unknown
   * `kid`; default 10000. */
  jwksPenaltyMs?: number;
  /** JWKS request deadline; default 5000. */
  timeoutMs?: number;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** The check a token failed (the error's `code`). */
export type JwtCheck =
  | "Malformed" | "Algorithm" | "UnknownKid" | "Signature" | "Issuer" | "TokenUse" | "Audience"
  | "ClientId" | "MissingExp" | "Expired" | "NotYetValid" | "IssuedInFuture" | "MissingGroup"
  | "MissingScope" | "JwksUnavailable";

/** A rejection of `verify`: `name` is "JwtVerificationError" (the token is refused) or
 * "JwksUnavailableError" (the keys could not be fetched: no verdict, `retryable`). */
export interface JwtVerificationError extends Error {
  name: "JwtVerificationError" | "JwksUnavailableError";
  code: JwtCheck;
  retryable: boolean;
}
"#;

/// A string, or an array of strings.
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(one) => vec![one],
            OneOrMany::Many(many) => many,
        }
    }
}

/// By hand rather than `#[serde(untagged)]`, which buffers the value (serde's `Content`).
impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;
        impl<'de> serde::de::Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, one: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(one.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, one: String) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(one))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut many = Vec::new();
                while let Some(item) = seq.next_element()? {
                    many.push(item);
                }
                Ok(OneOrMany::Many(many))
            }
        }
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

/// [`CommonOptions`]' fields listed rather than `#[serde(flatten)]`, which buffers every member.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VerifierOptions {
    user_pool_id: String,
    client_id: OneOrMany,
    token_use: String,
    endpoint: Option<String>,
    leeway_seconds: Option<u32>,
    groups: Option<OneOrMany>,
    scopes: Option<OneOrMany>,
    jwks_ttl_ms: Option<f64>,
    jwks_penalty_ms: Option<f64>,
    timeout_ms: Option<u32>,
}

/// The options `CognitoJwtVerifier` and the Workers middleware share.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CommonOptions {
    leeway_seconds: Option<u32>,
    groups: Option<OneOrMany>,
    scopes: Option<OneOrMany>,
    jwks_ttl_ms: Option<f64>,
    jwks_penalty_ms: Option<f64>,
    timeout_ms: Option<u32>,
}

/// `options[name]` when it is a function; `None` when absent; an error otherwise.
pub fn optional_function(options: &JsValue, name: &str) -> Result<Option<Function>, Error> {
    match Reflect::get(options, &JsValue::from_str(name)) {
        Ok(f) if f.is_undefined() || f.is_null() => Ok(None),
        Ok(f) => f
            .dyn_into::<Function>()
            .map(Some)
            .map_err(|_| Error::invalid_parameter(format!("options.{name} must be a function"))),
        Err(_) => Err(Error::invalid_parameter("options must be an object")),
    }
}

/// A [`VerifyError`] as a JS `Error` with `name`, `code` (the check) and `retryable`.
pub fn verify_error_to_js(error: &VerifyError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name(if error.is_token_fault() {
        "JwtVerificationError"
    } else {
        "JwksUnavailableError"
    });
    let _ = Reflect::set(&js, &"code".into(), &error.code().into());
    let _ = Reflect::set(&js, &"retryable".into(), &(!error.is_token_fault()).into());
    js.into()
}

/// A token that passed every check: its payload's JSON text, as sent.
pub struct Verified {
    payload_json: String,
}

impl Verified {
    /// The claims as a plain JS object: `JSON.parse` of the payload as sent (one call across the
    /// boundary, the token's own key order).
    pub fn to_js(&self) -> Result<JsValue, JsValue> {
        js_sys::JSON::parse(&self.payload_json)
    }
}

/// A verify whose signature check is under way ([`Verifier::start`]).
pub struct Started {
    /// `crypto.subtle.verify(…)`: fulfils with `true` when the signature is valid.
    pub signature_valid: Promise,
    /// The claim checks' verdict, to report only when the signature is valid: a forged token is
    /// refused as `Signature` whatever its claims.
    pub verdict: Result<Verified, VerifyError>,
}

/// The verifier behind the JS class and the middleware.
pub struct Verifier {
    options: VerifyOptions,
    jwks_url: String,
    fetch: Option<Function>,
    timeout_ms: u32,
    subtle: Subtle,
    cache: RefCell<KeyCache<JsValue>>,
    /// The JWKS fetch under way, awaited by every verify that needs it.
    fetching: RefCell<Option<Promise>>,
}

impl Verifier {
    /// A verifier for `pool`'s tokens of `token_use` from `client_ids`, plus `common`.
    pub fn new(
        pool: &str,
        endpoint: Option<&str>,
        token_use: TokenUse,
        client_ids: Vec<String>,
        common: CommonOptions,
        fetch: Option<Function>,
    ) -> Result<Verifier, Error> {
        let mut options = VerifyOptions::new(pool, endpoint, token_use, client_ids)?;
        options.leeway_s = common.leeway_seconds.unwrap_or(0);
        options.groups = common.groups.map(OneOrMany::into_vec).unwrap_or_default();
        options.scopes = common.scopes.map(OneOrMany::into_vec).unwrap_or_default();
        let defaults = JwksPolicy::default();
        let ms = |v: Option<f64>, default: u64| v.map_or(default, |v| v.max(0.0) as u64);
        let policy = JwksPolicy {
            ttl_ms: ms(common.jwks_ttl_ms, defaults.ttl_ms),
            penalty_ms: ms(common.jwks_penalty_ms, defaults.penalty_ms),
        };
        Ok(Verifier {
            jwks_url: jwks_url(&options.issuer),
            options,
            fetch,
            timeout_ms: common.timeout_ms.unwrap_or(5_000),
            subtle: Subtle::from_global().map_err(Error::invalid_parameter)?,
            cache: RefCell::new(KeyCache::new(policy)),
            fetching: RefCell::new(None),
        })
    }

    /// The token's claims when every check passes (see [`crate::verify`] for the order).
    pub async fn verify(self: &Rc<Self>, token: &str) -> Result<Verified, VerifyError> {
        let started = match self.start(token) {
            Some(started) => started?,
            None => {
                let parsed = UnverifiedToken::parse(token)?;
                let key = self.key(check_header(&parsed.header)?).await?;
                self.check(parsed, &key, now_ms())?
            }
        };
        let valid = awaited(started.signature_valid).await;
        if valid.map_or(true, |v| v != JsValue::TRUE) {
            return Err(VerifyError::Signature);
        }
        started.verdict
    }

    /// A verify without waiting for anything, up to the WebCrypto call: `None` when the key is
    /// not cached and the JWKS must be fetched first ([`Verifier::verify`] does). Parse, header
    /// and key faults are final verdicts.
    pub fn start(&self, token: &str) -> Option<Result<Started, VerifyError>> {
        let parsed = match UnverifiedToken::parse(token) {
            Ok(parsed) => parsed,
            Err(e) => return Some(Err(e)),
        };
        let kid = match check_header(&parsed.header) {
            Ok(kid) => kid,
            Err(e) => return Some(Err(e)),
        };
        let now_ms = now_ms();
        let key = match cached_key(self.cache.borrow().lookup(kid, now_ms)) {
            Ok(Some(key)) => key,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        Some(self.check(parsed, &key, now_ms))
    }

    /// Starts the signature check with `key` and runs the claim checks meanwhile; their verdict
    /// counts only once the signature verified.
    fn check(
        &self,
        token: UnverifiedToken<'_>,
        key: &JsValue,
        now_ms: u64,
    ) -> Result<Started, VerifyError> {
        let signature_valid = self
            .subtle
            .start_verify_rs256(key, &token.signature, token.signing_input.as_bytes())
            .map_err(|_| VerifyError::Signature)?;
        let verdict = check_claims(&token.claims, &self.options, now_ms).map(|()| Verified {
            payload_json: token.payload_json,
        });
        Ok(Started {
            signature_valid,
            verdict,
        })
    }

    /// The imported key of `kid`, fetching the JWKS when the cache says so.
    async fn key(self: &Rc<Self>, kid: &str) -> Result<JsValue, VerifyError> {
        if let Some(key) = cached_key(self.cache.borrow().lookup(kid, now_ms()))? {
            return Ok(key);
        }
        // Rejects never: the outcome is recorded in the cache.
        let _ = awaited(self.shared_fetch()).await;
        let found = cached_key(self.cache.borrow_mut().lookup_after_fetch(kid, now_ms()))?;
        found.ok_or(VerifyError::UnknownKid)
    }

    fn shared_fetch(self: &Rc<Self>) -> Promise {
        if let Some(running) = self.fetching.borrow().as_ref() {
            return running.clone();
        }
        let this = self.clone();
        let running = guard(async move {
            let fetched = this.fetch_keys().await;
            let mut cache = this.cache.borrow_mut();
            match fetched {
                Ok(keys) => cache.fetch_succeeded(keys, now_ms()),
                Err(_) => cache.fetch_failed(now_ms()),
            }
            drop(cache);
            this.fetching.replace(None);
            Ok(JsValue::UNDEFINED)
        });
        self.fetching.replace(Some(running.clone()));
        running
    }

    async fn fetch_keys(&self) -> Result<VecMap<String, JsValue>, VerifyError> {
        let text = fetch_text(self.fetch.as_ref(), &self.jwks_url, self.timeout_ms)
            .await
            .map_err(VerifyError::JwksUnavailable)?;
        let mut keys = VecMap::new();
        for jwk in parse_jwks(&text)? {
            // A key WebCrypto refuses is left out: tokens naming it fail as UnknownKid.
            if let Ok(key) = self.subtle.import_rs256(&jwk).await {
                keys.insert(jwk.kid, key);
            }
        }
        Ok(keys)
    }
}

/// The key a cache lookup found, `None` when the JWKS must be fetched, or why there is none.
fn cached_key(lookup: KeyLookup<'_, JsValue>) -> Result<Option<JsValue>, VerifyError> {
    match lookup {
        KeyLookup::Found(key) => Ok(Some(key.clone())),
        KeyLookup::Fetch => Ok(None),
        KeyLookup::Unknown => Err(VerifyError::UnknownKid),
        KeyLookup::Unavailable => Err(VerifyError::JwksUnavailable(
            "the last JWKS fetch failed; waiting before the next".into(),
        )),
    }
}

fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Verifies Cognito ID or access tokens (RS256, the pool's JWKS, WebCrypto).
#[wasm_bindgen]
pub struct CognitoJwtVerifier {
    inner: Rc<Verifier>,
}

#[wasm_bindgen]
impl CognitoJwtVerifier {
    /// Throws `InvalidParameterError` for a malformed pool id, an empty client list, an unknown
    /// `tokenUse`, or a runtime without WebCrypto.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "CognitoJwtVerifierOptions")] options: JsValue,
    ) -> Result<CognitoJwtVerifier, JsValue> {
        Self::build(options).map_err(|e| to_js_error(&e))
    }

    fn build(options: JsValue) -> Result<CognitoJwtVerifier, Error> {
        let fetch = optional_function(&options, "fetch")?;
        let parsed: VerifierOptions =
            serde_wasm_bindgen::from_value(snapshot(&options, "CognitoJwtVerifier options")?)
                .map_err(|e| invalid_options("CognitoJwtVerifier options", e))?;
        let token_use = TokenUse::parse(&parsed.token_use)
            .ok_or_else(|| Error::invalid_parameter("tokenUse must be \"id\" or \"access\""))?;
        let inner = Verifier::new(
            &parsed.user_pool_id,
            parsed.endpoint.as_deref(),
            token_use,
            parsed.client_id.into_vec(),
            CommonOptions {
                leeway_seconds: parsed.leeway_seconds,
                groups: parsed.groups,
                scopes: parsed.scopes,
                jwks_ttl_ms: parsed.jwks_ttl_ms,
                jwks_penalty_ms: parsed.jwks_penalty_ms,
                timeout_ms: parsed.timeout_ms,
            },
            fetch,
        )?;
        Ok(CognitoJwtVerifier {
            inner: Rc::new(inner),
        })
    }

    /// The token's claims; rejects with a `JwtVerificationError` whose `code` names the failed
    /// check, or a `JwksUnavailableError`.
    #[wasm_bindgen(unchecked_return_type = "Promise<Record<string, unknown>>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Promise {
        let token = match string_arg(&token, "token") {
            Ok(token) => token,
            Err(e) => return Promise::reject(&to_js_error(&e)),
        };
        match self.inner.start(&token) {
            Some(Ok(started)) => settle(started),
            Some(Err(e)) => Promise::reject(&verify_error_to_js(&e)),
            None => {
                let inner = self.inner.clone();
                guard(async move {
                    let verified = inner
                        .verify(&token)
                        .await
                        .map_err(|e| verify_error_to_js(&e))?;
                    verified.to_js()
                })
            }
        }
    }
}

/// The outcome of a started verify: `signature_valid.then(…)` with callbacks made once per
/// module instance; the per-call state (the claims object or the claim checks' error) is bound
/// as their first argument, so a verify allocates no closure and spawns no task.
fn settle(started: Started) -> Promise {
    let (callback, state) = match started.verdict.map(|verified| verified.to_js()) {
        Ok(Ok(claims)) => (Settle::Accept, claims),
        Ok(Err(parse_error)) => (Settle::Refuse, parse_error),
        Err(e) => (Settle::Refuse, verify_error_to_js(&e)),
    };
    let s = SETTLE.get_or_init(SettleCallbacks::new);
    let on_verdict = match callback {
        Settle::Accept => &s.accept,
        Settle::Refuse => &s.refuse,
    };
    started
        .signature_valid
        .unchecked_ref::<SignatureCheck>()
        .then(on_verdict.bind1(&JsValue::NULL, &state).upcast(), &s.failed)
}

enum Settle {
    Accept,
    Refuse,
}

/// The `then` callbacks of [`settle`].
struct SettleCallbacks {
    /// `(claims, valid)`: the claims when the signature is valid.
    accept: Function,
    /// `(error, valid)`: the claim checks' error when the signature is valid.
    refuse: Function,
    /// `(reason)`: WebCrypto rejected — a signature it cannot check is not valid.
    failed: Function,
}

fn signature_error() -> JsValue {
    verify_error_to_js(&VerifyError::Signature)
}

impl SettleCallbacks {
    fn new() -> SettleCallbacks {
        type Verdict = dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>;
        let accept = Closure::<Verdict>::new(|claims: JsValue, valid: JsValue| {
            if valid == JsValue::TRUE {
                Ok(claims)
            } else {
                Err(signature_error())
            }
        });
        let refuse = Closure::<Verdict>::new(|error: JsValue, valid: JsValue| {
            Err(if valid == JsValue::TRUE {
                error
            } else {
                signature_error()
            })
        });
        let failed = Closure::<dyn Fn(JsValue) -> Result<JsValue, JsValue>>::new(|_: JsValue| {
            Err(signature_error())
        });
        // Kept for the module instance's life (the static is never dropped).
        SettleCallbacks {
            accept: accept.into_js_value().unchecked_into(),
            refuse: refuse.into_js_value().unchecked_into(),
            failed: failed.into_js_value().unchecked_into(),
        }
    }
}

/// The callbacks of [`settle`], made on the first verify.
static SETTLE: Local<OnceCell<SettleCallbacks>> = Local::new(OnceCell::new());

#[wasm_bindgen]
extern "C" {
    /// The Promise of `crypto.subtle.verify`.
    #[wasm_bindgen(js_name = Promise)]
    type SignatureCheck;

    /// `promise.then(on_fulfilled, on_rejected)` with plain functions.
    #[wasm_bindgen(method)]
    fn then(promise: &SignatureCheck, on_fulfilled: &Function, on_rejected: &Function) -> Promise;
}

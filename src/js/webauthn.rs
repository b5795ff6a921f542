//! `navigator.credentials.create` / `get` for passkeys, found through
//! `globalThis.navigator.credentials`. Conversion only; the rules are in [`crate::webauthn`].
//!
//! Options: `PublicKeyCredential.parseCreationOptionsFromJSON` / `parseRequestOptionsFromJSON`
//! where the browser has them, else `JSON.parse` with the base64url members replaced by
//! `ArrayBuffer`s. Answers: the credential's `toJSON()` where present, else its members read one
//! by one. A rejection becomes [`Error::WebAuthn`] with the DOMException's name.

use super::task::awaited;
#[cfg(feature = "account")]
use js_sys::Array;
use js_sys::{ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};

use super::method;
use crate::error::Error;
use crate::json::Value;
#[cfg(feature = "passkey-sign-in")]
use crate::webauthn::{authentication_response, AuthenticationParts};
use crate::webauthn::{prompt_error, unsupported, Options};
#[cfg(feature = "account")]
use crate::webauthn::{registration_response, RegistrationParts};

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &JsValue, key: &str, value: &JsValue) -> Result<(), Error> {
    Reflect::set(target, &JsValue::from_str(key), value)
        .map(drop)
        .map_err(dom_error)
}

/// A thrown value or rejection as [`Error::WebAuthn`] (`name` and `message` of the DOMException).
fn dom_error(e: JsValue) -> Error {
    let text = |key| get(&e, key).as_string().unwrap_or_default();
    prompt_error(&text("name"), &text("message"))
}

/// `globalThis.navigator.credentials`, or InvalidParameterError when this runtime has none
/// (Node, Workers) or no `PublicKeyCredential`.
pub(super) fn credentials() -> Result<JsValue, Error> {
    let global: JsValue = js_sys::global().into();
    let credentials = get(&get(&global, "navigator"), "credentials");
    let usable = method(&credentials, "create").is_some()
        && method(&credentials, "get").is_some()
        && get(&global, "PublicKeyCredential").is_function();
    usable.then_some(credentials).ok_or_else(unsupported)
}

fn buffer(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).buffer().into()
}

/// The bytes of an `ArrayBuffer` (what WebAuthn's members are) or `Uint8Array`; `None` else.
fn bytes(value: &JsValue) -> Option<Vec<u8>> {
    (value.is_instance_of::<ArrayBuffer>() || value.is_instance_of::<Uint8Array>())
        .then(|| Uint8Array::new(value).to_vec())
}

/// `PublicKeyCredential{Creation,Request}Options` from checked options.
fn public_key_options(options: &Options, parse_from_json: &str) -> Result<JsValue, Error> {
    let json = JSON::parse(&options.json).map_err(dom_error)?;
    let class = get(&js_sys::global(), "PublicKeyCredential");
    if let Some(parse) = method(&class, parse_from_json) {
        return parse.call1(&class, &json).map_err(dom_error);
    }
    set(&json, "challenge", &buffer(&options.challenge))?;
    if let Some(user_id) = &options.user_id {
        set(&get(&json, "user"), "id", &buffer(user_id))?;
    }
    let list = get(&json, options.list);
    for (i, id) in (0u32..).zip(&options.credential_ids) {
        set(
            &Reflect::get_u32(&list, i).map_err(dom_error)?,
            "id",
            &buffer(id),
        )?;
    }
    Ok(json)
}

/// `navigator.credentials[verb]({ publicKey })`, awaited; `null` is NotAllowedError.
async fn ask(verb: &str, public_key: JsValue) -> Result<JsValue, Error> {
    let credentials = credentials()?;
    let call: Function = method(&credentials, verb).ok_or_else(unsupported)?;
    let argument = Object::new();
    set(&argument, "publicKey", &public_key)?;
    let pending: Promise = call
        .call1(&credentials, &argument)
        .map_err(dom_error)?
        .dyn_into()
        .map_err(|_| prompt_error("UnknownError", "navigator.credentials gave no Promise"))?;
    let credential = awaited(pending).await.map_err(dom_error)?;
    if credential.is_null() || credential.is_undefined() {
        return Err(prompt_error("NotAllowedError", "no credential was chosen"));
    }
    Ok(credential)
}

/// `credential.toJSON()` as JSON text, where the browser has it.
fn to_json_text(credential: &JsValue) -> Result<Option<String>, Error> {
    let Some(to_json) = method(credential, "toJSON") else {
        return Ok(None);
    };
    let json = to_json.call0(credential).map_err(dom_error)?;
    Ok(JSON::stringify(&json).map_err(dom_error)?.as_string())
}

/// `target.name()` when it is a method.
fn call0(target: &JsValue, name: &str) -> JsValue {
    method(target, name)
        .and_then(|f| f.call0(target).ok())
        .unwrap_or(JsValue::UNDEFINED)
}

fn extension_results(credential: &JsValue) -> String {
    JSON::stringify(&call0(credential, "getClientExtensionResults"))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn attachment(credential: &JsValue) -> Option<String> {
    get(credential, "authenticatorAttachment").as_string()
}

/// Registration: `navigator.credentials.create`, answered as RegistrationResponseJSON.
#[cfg(feature = "account")]
pub(super) async fn create(options: &Options) -> Result<Value, Error> {
    credentials()?;
    let public_key = public_key_options(options, "parseCreationOptionsFromJSON")?;
    let credential = ask("create", public_key).await?;
    if let Some(text) = to_json_text(&credential)? {
        return registration_response(&text);
    }
    let response = get(&credential, "response");
    let transports = call0(&response, "getTransports")
        .dyn_into::<Array>()
        .unwrap_or_default();
    let parts = RegistrationParts {
        raw_id: bytes(&get(&credential, "rawId")).unwrap_or_default(),
        authenticator_attachment: attachment(&credential),
        client_data_json: bytes(&get(&response, "clientDataJSON")).unwrap_or_default(),
        attestation_object: bytes(&get(&response, "attestationObject")).unwrap_or_default(),
        transports: transports.iter().filter_map(|t| t.as_string()).collect(),
        authenticator_data: bytes(&call0(&response, "getAuthenticatorData")),
        public_key: bytes(&call0(&response, "getPublicKey")),
        public_key_algorithm: call0(&response, "getPublicKeyAlgorithm")
            .as_f64()
            .filter(|a| a.fract() == 0.0 && a.abs() < 1e15)
            .map(|a| a as i64),
        client_extension_results: extension_results(&credential),
    };
    registration_response(&parts.to_json().to_json())
}

/// Sign-in: `navigator.credentials.get`, answered as AuthenticationResponseJSON.
#[cfg(feature = "passkey-sign-in")]
pub(super) async fn get_assertion(options: &Options) -> Result<Value, Error> {
    credentials()?;
    let public_key = public_key_options(options, "parseRequestOptionsFromJSON")?;
    let credential = ask("get", public_key).await?;
    if let Some(text) = to_json_text(&credential)? {
        return authentication_response(&text);
    }
    let response = get(&credential, "response");
    let parts = AuthenticationParts {
        raw_id: bytes(&get(&credential, "rawId")).unwrap_or_default(),
        authenticator_attachment: attachment(&credential),
        client_data_json: bytes(&get(&response, "clientDataJSON")).unwrap_or_default(),
        authenticator_data: bytes(&get(&response, "authenticatorData")).unwrap_or_default(),
        signature: bytes(&get(&response, "signature")).unwrap_or_default(),
        user_handle: bytes(&get(&response, "userHandle")),
        client_extension_results: extension_results(&credential),
    };
    authentication_response(&parts.to_json().to_json())
}

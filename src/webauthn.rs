//! Passkeys (WebAuthn Level 3) as JSON: which members of Cognito's options and of the browser's
//! answers are required, and base64url. The binding layer (`src/js/webauthn.rs`) only moves bytes
//! between these and the browser's `ArrayBuffer`s.
//!
//! - Options in (`CredentialCreationOptions` of StartWebAuthnRegistration, the
//!   `CREDENTIAL_REQUEST_OPTIONS` challenge parameter): [`creation_options`] and
//!   [`request_options`] check the members WebAuthn requires and decode every base64url one;
//!   the JSON is passed on as it came (a browser ignores members it does not know).
//! - Answers out: the browser's `toJSON()` text is checked by [`registration_response`] /
//!   [`authentication_response`]; where there is no `toJSON`, [`RegistrationParts`] and
//!   [`AuthenticationParts`] write RegistrationResponseJSON / AuthenticationResponseJSON.
//! - base64url: RFC 4648 §5 alphabet, written without padding; read with or without it.

use crate::error::Error;
use crate::json::{Number, Object, Value};
use crate::prelude::*;

/// base64url without padding.
pub fn to_base64url(bytes: &[u8]) -> String {
    crate::b64::encode_url(bytes)
}

/// base64url, padded or not; `None` for any other text.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    crate::b64::decode_url_lenient(text)
}

/// Options checked and their binary members decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The options as JSON text, as Cognito sent them.
    pub json: String,
    pub challenge: Vec<u8>,
    /// `user.id` (creation options only).
    pub user_id: Option<Vec<u8>>,
    /// The `id` of each element of [`Options::list`], in order.
    pub credential_ids: Vec<Vec<u8>>,
    /// `excludeCredentials` (creation) or `allowCredentials` (request).
    pub list: &'static str,
}

fn bad(message: String) -> Error {
    Error::invalid_response(message)
}

fn member<'a>(object: &'a Object, path: &str, key: &str) -> Result<&'a Value, Error> {
    object
        .get(key)
        .filter(|v| **v != Value::Null)
        .ok_or_else(|| bad(format!("{path}{key} is missing")))
}

fn object<'a>(object: &'a Object, path: &str, key: &str) -> Result<&'a Object, Error> {
    member(object, path, key)?
        .as_object()
        .ok_or_else(|| bad(format!("{path}{key} is not an object")))
}

fn string<'a>(object: &'a Object, path: &str, key: &str) -> Result<&'a str, Error> {
    member(object, path, key)?
        .as_str()
        .ok_or_else(|| bad(format!("{path}{key} is not a string")))
}

fn binary(object: &Object, path: &str, key: &str) -> Result<Vec<u8>, Error> {
    from_base64url(string(object, path, key)?)
        .ok_or_else(|| bad(format!("{path}{key} is not base64url")))
}

/// The `id`s of a `PublicKeyCredentialDescriptorJSON` list (`type` and `id` required); an
/// absent list is empty.
fn descriptors(options: &Object, key: &str) -> Result<Vec<Vec<u8>>, Error> {
    let Some(list) = options.get(key).filter(|v| **v != Value::Null) else {
        return Ok(Vec::new());
    };
    let Value::Array(items) = list else {
        return Err(bad(format!("{key} is not an array")));
    };
    items
        .iter()
        .map(|item| {
            let item = item
                .as_object()
                .ok_or_else(|| bad(format!("an element of {key} is not an object")))?;
            let path = format!("{key}[].");
            string(item, &path, "type")?;
            binary(item, &path, "id")
        })
        .collect()
}

fn root<'a>(value: &'a Value, what: &str) -> Result<&'a Object, Error> {
    value
        .as_object()
        .ok_or_else(|| bad(format!("{what} is not a JSON object")))
}

/// PublicKeyCredentialCreationOptionsJSON: `rp.name`, `user.id` (base64url), `user.name`,
/// `user.displayName`, `challenge` (base64url) and `pubKeyCredParams` (each with `type` and an
/// integer `alg`) required; `excludeCredentials` ids base64url.
pub fn creation_options(value: &Value) -> Result<Options, Error> {
    let options = root(value, "CredentialCreationOptions")?;
    string(object(options, "", "rp")?, "rp.", "name")?;
    let user = object(options, "", "user")?;
    let user_id = binary(user, "user.", "id")?;
    string(user, "user.", "name")?;
    string(user, "user.", "displayName")?;
    let Value::Array(params) = member(options, "", "pubKeyCredParams")? else {
        return Err(bad("pubKeyCredParams is not an array".into()));
    };
    for param in params {
        let param = param
            .as_object()
            .ok_or_else(|| bad("an element of pubKeyCredParams is not an object".into()))?;
        string(param, "pubKeyCredParams[].", "type")?;
        member(param, "pubKeyCredParams[].", "alg")?
            .as_number()
            .and_then(Number::as_i64)
            .ok_or_else(|| bad("pubKeyCredParams[].alg is not an integer".into()))?;
    }
    Ok(Options {
        json: value.to_json(),
        challenge: binary(options, "", "challenge")?,
        user_id: Some(user_id),
        credential_ids: descriptors(options, "excludeCredentials")?,
        list: "excludeCredentials",
    })
}

/// PublicKeyCredentialRequestOptionsJSON (the `CREDENTIAL_REQUEST_OPTIONS` text): `challenge`
/// (base64url) required; `allowCredentials` ids base64url.
pub fn request_options(text: &str) -> Result<Options, Error> {
    let value = crate::json::parse(text)
        .map_err(|e| bad(format!("CREDENTIAL_REQUEST_OPTIONS is not JSON: {e}")))?;
    let options = root(&value, "CREDENTIAL_REQUEST_OPTIONS")?;
    Ok(Options {
        json: value.to_json(),
        challenge: binary(options, "", "challenge")?,
        user_id: None,
        credential_ids: descriptors(options, "allowCredentials")?,
        list: "allowCredentials",
    })
}

/// The browser's answer is unusable: a local error, nothing sent.
fn unusable(message: String) -> Error {
    Error::WebAuthn {
        code: "EncodingError".into(),
        message,
    }
}

/// Checks a `PublicKeyCredential.toJSON()` text: `id` and `rawId` base64url and equal, `type`
/// `public-key`, `response.clientDataJSON` and each of `binary` base64url,
/// `clientExtensionResults` an object (`{}` when absent).
fn response_json(text: &str, binary_members: &[&str]) -> Result<Value, Error> {
    let check = || -> Result<Value, Error> {
        let mut value = crate::json::parse(text).map_err(|e| bad(e.message()))?;
        let credential = root(&value, "the credential")?;
        let id = string(credential, "", "id")?;
        if id.is_empty() || from_base64url(id).is_none() || string(credential, "", "rawId")? != id {
            return Err(bad("id and rawId are not the same base64url text".into()));
        }
        if string(credential, "", "type")? != "public-key" {
            return Err(bad("type is not public-key".into()));
        }
        let response = object(credential, "", "response")?;
        for key in ["clientDataJSON"].iter().chain(binary_members) {
            binary(response, "response.", key)?;
        }
        let extensions = credential
            .get("clientExtensionResults")
            .map(|e| e.as_object().is_some());
        if extensions == Some(false) {
            return Err(bad("clientExtensionResults is not an object".into()));
        }
        if let (None, Value::Object(o)) = (extensions, &mut value) {
            o.push("clientExtensionResults", Value::Object(Object::default()));
        }
        Ok(value)
    };
    check().map_err(|e| unusable(e.message()))
}

/// RegistrationResponseJSON from `toJSON()`: [`response_json`] with `response.attestationObject`.
pub fn registration_response(text: &str) -> Result<Value, Error> {
    response_json(text, &["attestationObject"])
}

/// AuthenticationResponseJSON from `toJSON()`: [`response_json`] with
/// `response.authenticatorData` and `response.signature`.
pub fn authentication_response(text: &str) -> Result<Value, Error> {
    response_json(text, &["authenticatorData", "signature"])
}

/// What a `PublicKeyCredential` from `navigator.credentials.create` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationParts {
    pub raw_id: Vec<u8>,
    pub authenticator_attachment: Option<String>,
    pub client_data_json: Vec<u8>,
    pub attestation_object: Vec<u8>,
    /// `response.getTransports()`.
    pub transports: Vec<String>,
    /// `response.getAuthenticatorData()`, `getPublicKey()`, `getPublicKeyAlgorithm()`.
    pub authenticator_data: Option<Vec<u8>>,
    pub public_key: Option<Vec<u8>>,
    pub public_key_algorithm: Option<i64>,
    /// `getClientExtensionResults()` as JSON text (`{}` when it is not an object).
    pub client_extension_results: String,
}

/// What a `PublicKeyCredential` from `navigator.credentials.get` holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthenticationParts {
    pub raw_id: Vec<u8>,
    pub authenticator_attachment: Option<String>,
    pub client_data_json: Vec<u8>,
    pub authenticator_data: Vec<u8>,
    pub signature: Vec<u8>,
    pub user_handle: Option<Vec<u8>>,
    pub client_extension_results: String,
}

fn b64(bytes: &[u8]) -> Value {
    Value::String(to_base64url(bytes))
}

fn extensions(text: &str) -> Value {
    match crate::json::parse(text) {
        Ok(value @ Value::Object(_)) => value,
        _ => Value::Object(Object::default()),
    }
}

/// `{id, rawId, type: "public-key", response, authenticatorAttachment?, clientExtensionResults}`.
fn credential_json(
    raw_id: &[u8],
    attachment: Option<&str>,
    response: Object,
    client_extension_results: &str,
) -> Value {
    let mut out = Object::default();
    out.push("id", b64(raw_id));
    out.push("rawId", b64(raw_id));
    out.push("type", Value::String("public-key".into()));
    out.push("response", Value::Object(response));
    if let Some(attachment) = attachment {
        out.push("authenticatorAttachment", Value::String(attachment.into()));
    }
    out.push(
        "clientExtensionResults",
        extensions(client_extension_results),
    );
    Value::Object(out)
}

impl RegistrationParts {
    /// RegistrationResponseJSON: `response` has `clientDataJSON`, `attestationObject`,
    /// `transports`, and `authenticatorData`, `publicKey`, `publicKeyAlgorithm` when known.
    pub fn to_json(&self) -> Value {
        let mut response = Object::default();
        response.push("clientDataJSON", b64(&self.client_data_json));
        response.push("attestationObject", b64(&self.attestation_object));
        let transports = self.transports.iter().cloned().map(Value::String);
        response.push("transports", Value::Array(transports.collect()));
        if let Some(data) = &self.authenticator_data {
            response.push("authenticatorData", b64(data));
        }
        if let Some(key) = &self.public_key {
            response.push("publicKey", b64(key));
        }
        if let Some(alg) = self
            .public_key_algorithm
            .and_then(|a| Number::new(&a.to_string()))
        {
            response.push("publicKeyAlgorithm", Value::Number(alg));
        }
        credential_json(
            &self.raw_id,
            self.authenticator_attachment.as_deref(),
            response,
            &self.client_extension_results,
        )
    }
}

impl AuthenticationParts {
    /// AuthenticationResponseJSON: `response` has `clientDataJSON`, `authenticatorData`,
    /// `signature`, and `userHandle` when the authenticator gave one.
    pub fn to_json(&self) -> Value {
        let mut response = Object::default();
        response.push("clientDataJSON", b64(&self.client_data_json));
        response.push("authenticatorData", b64(&self.authenticator_data));
        response.push("signature", b64(&self.signature));
        if let Some(handle) = &self.user_handle {
            response.push("userHandle", b64(handle));
        }
        credential_json(
            &self.raw_id,
            self.authenticator_attachment.as_deref(),
            response,
            &self.client_extension_results,
        )
    }
}

/// The DOMException names `navigator.credentials` rejects with (WebAuthn §5.1.3, §5.1.4); any
/// other name becomes `UnknownError`.
pub const DOM_ERRORS: [&str; 8] = [
    "NotAllowedError",
    "AbortError",
    "InvalidStateError",
    "NotSupportedError",
    "SecurityError",
    "ConstraintError",
    "EncodingError",
    "UnknownError",
];

/// A rejected `navigator.credentials` call as [`Error::WebAuthn`]: `code` the DOMException's
/// name when it is one of [`DOM_ERRORS`], else `UnknownError`.
pub fn prompt_error(name: &str, message: &str) -> Error {
    let code = DOM_ERRORS
        .iter()
        .find(|known| **known == name)
        .map_or("UnknownError", |known| known);
    Error::WebAuthn {
        code: code.into(),
        message: message.into(),
    }
}

/// Where there is no `navigator.credentials` (Node, Workers): InvalidParameterError.
pub fn unsupported() -> Error {
    Error::invalid_parameter("passkeys need a browser: navigator.credentials is not available here")
}

/// What `respondToChallenge` does about a passkey when the pending challenge is `pending` and
/// the caller's `answer` is `answer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyAnswer {
    /// Not a passkey answer: sent as it is.
    No,
    /// SELECT_CHALLENGE answered `WEB_AUTHN`: sent, then the WEB_AUTHN challenge it brings is
    /// answered with the authenticator's assertion.
    Select,
    /// The pending challenge is WEB_AUTHN itself (returned as the step by a build without the
    /// passkey sign-in, or sent unasked): answered with the assertion, nothing sent before.
    Assert,
}

/// [`PasskeyAnswer`] for `pending` (the challenge's name) and the caller's `answer`: `Assert` at
/// WEB_AUTHN whatever the answer, `Select` at SELECT_CHALLENGE with `WEB_AUTHN`, else `No`.
pub fn passkey_answer(pending: &str, answer: Option<&str>) -> PasskeyAnswer {
    match pending {
        "WEB_AUTHN" => PasskeyAnswer::Assert,
        "SELECT_CHALLENGE" if answer == Some("WEB_AUTHN") => PasskeyAnswer::Select,
        _ => PasskeyAnswer::No,
    }
}

/// `respondToChallenge` at a WEB_AUTHN challenge in a build without the passkey sign-in (the
/// browser package's signin module, called without the loader's routing): InvalidParameterError,
/// the challenge kept for the call that answers it.
pub fn no_passkey_sign_in() -> Error {
    Error::invalid_parameter(
        "this module has no passkey sign-in: answer WEB_AUTHN with respondToChallenge({ answer: \"WEB_AUTHN\" }) through the package's entry, which loads the module that has it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passkey_answers() {
        use PasskeyAnswer::*;
        assert_eq!(passkey_answer("WEB_AUTHN", None), Assert);
        assert_eq!(passkey_answer("WEB_AUTHN", Some("WEB_AUTHN")), Assert);
        assert_eq!(passkey_answer("WEB_AUTHN", Some("EMAIL_OTP")), Assert);
        assert_eq!(
            passkey_answer("SELECT_CHALLENGE", Some("WEB_AUTHN")),
            Select
        );
        assert_eq!(passkey_answer("SELECT_CHALLENGE", Some("EMAIL_OTP")), No);
        assert_eq!(passkey_answer("SELECT_CHALLENGE", None), No);
        assert_eq!(passkey_answer("EMAIL_OTP", Some("WEB_AUTHN")), No);
        assert_eq!(passkey_answer("SMS_MFA", None), No);
        let e = no_passkey_sign_in();
        assert_eq!(e.code(), "InvalidParameterError");
        assert!(e
            .message()
            .contains(r#"respondToChallenge({ answer: "WEB_AUTHN" })"#));
    }

    fn creation() -> String {
        r#"{"challenge":"AAEC_-8","rp":{"id":"localhost","name":"pool"},
            "user":{"id":"dXNlcg","name":"alice","displayName":"alice"},
            "pubKeyCredParams":[{"type":"public-key","alg":-7}],
            "excludeCredentials":[{"type":"public-key","id":"q83v","transports":["internal"]}],
            "authenticatorSelection":{"residentKey":"required"}}"#
            .into()
    }

    fn parsed(text: &str) -> Value {
        crate::json::parse(text).unwrap()
    }

    #[test]
    fn base64url_both_ways() {
        assert_eq!(to_base64url(&[0, 1, 2, 0xff, 0xef]), "AAEC_-8");
        assert_eq!(from_base64url("AAEC_-8").unwrap(), [0, 1, 2, 0xff, 0xef]);
        assert_eq!(from_base64url("AAEC_-8=").unwrap(), [0, 1, 2, 0xff, 0xef]);
        assert_eq!(from_base64url("AAEC/+8"), None); // the standard alphabet is not base64url
        assert_eq!(from_base64url("A"), None);
    }

    #[test]
    fn creation_options_decoded() {
        let options = creation_options(&parsed(&creation())).unwrap();
        assert_eq!(options.challenge, [0, 1, 2, 0xff, 0xef]);
        assert_eq!(options.user_id.as_deref(), Some(&b"user"[..]));
        assert_eq!(options.credential_ids, [vec![0xab, 0xcd, 0xef]]);
        assert_eq!(options.list, "excludeCredentials");
        assert_eq!(parsed(&options.json), parsed(&creation()));
    }

    #[test]
    fn creation_options_required_members() {
        for (from, to, says) in [
            (r#""challenge":"AAEC_-8","#, "", "challenge is missing"),
            (
                r#""challenge":"AAEC_-8""#,
                r#""challenge":"a+b""#,
                "challenge is not base64url",
            ),
            (r#""name":"pool""#, r#""nom":"pool""#, "rp.name is missing"),
            (
                r#""displayName":"alice""#,
                r#""x":1"#,
                "user.displayName is missing",
            ),
            (r#""id":"dXNlcg""#, r#""id":7"#, "user.id is not a string"),
            (
                r#""alg":-7"#,
                r#""alg":"-7""#,
                "pubKeyCredParams[].alg is not an integer",
            ),
            (
                r#""id":"q83v""#,
                r#""id":"q8 3v""#,
                "excludeCredentials[].id is not base64url",
            ),
            (
                r#""type":"public-key","id":"q83v""#,
                r#""id":"q83v""#,
                "excludeCredentials[].type is missing",
            ),
        ] {
            let text = creation().replacen(from, to, 1);
            let err = creation_options(&parsed(&text)).unwrap_err();
            assert_eq!(err.code(), "InvalidResponseError");
            assert!(err.to_string().ends_with(says), "{err} / {says}");
        }
        assert!(creation_options(&parsed("[]")).is_err());
    }

    #[test]
    fn request_options_decoded_and_checked() {
        let text = r#"{"challenge":"AAEC","rpId":"localhost","allowCredentials":[{"type":"public-key","id":"q83v"}],"userVerification":"preferred"}"#;
        let options = request_options(text).unwrap();
        assert_eq!((options.challenge, options.user_id), (vec![0, 1, 2], None));
        assert_eq!(options.credential_ids, [vec![0xab, 0xcd, 0xef]]);
        assert_eq!(options.list, "allowCredentials");
        assert!(request_options(r#"{"challenge":"AAEC"}"#)
            .unwrap()
            .credential_ids
            .is_empty());
        assert!(request_options(r#"{"rpId":"localhost"}"#).is_err());
        assert!(request_options("not json").is_err());
        assert!(request_options(r#"{"challenge":"AAEC","allowCredentials":{}}"#).is_err());
    }

    #[test]
    fn parts_written_as_response_json() {
        let reg = RegistrationParts {
            raw_id: vec![0xab, 0xcd, 0xef],
            authenticator_attachment: Some("platform".into()),
            client_data_json: b"{}".to_vec(),
            attestation_object: vec![0xa0],
            transports: vec!["internal".into()],
            authenticator_data: Some(vec![1]),
            public_key: None,
            public_key_algorithm: Some(-7),
            client_extension_results: r#"{"credProps":{"rk":true}}"#.into(),
        };
        assert_eq!(
            reg.to_json().to_json(),
            r#"{"id":"q83v","rawId":"q83v","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA","transports":["internal"],"authenticatorData":"AQ","publicKeyAlgorithm":-7},"authenticatorAttachment":"platform","clientExtensionResults":{"credProps":{"rk":true}}}"#
        );
        let text = reg.to_json().to_json();
        assert_eq!(registration_response(&text).unwrap(), reg.to_json());
        let auth = AuthenticationParts {
            raw_id: vec![0xab, 0xcd, 0xef],
            client_data_json: b"{}".to_vec(),
            authenticator_data: vec![1],
            signature: vec![2],
            user_handle: Some(b"u".to_vec()),
            client_extension_results: "not an object".into(),
            ..Default::default()
        };
        let text = auth.to_json().to_json();
        assert_eq!(
            text,
            r#"{"id":"q83v","rawId":"q83v","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AQ","signature":"Ag","userHandle":"dQ"},"clientExtensionResults":{}}"#
        );
        assert_eq!(authentication_response(&text).unwrap(), auth.to_json());
    }

    #[test]
    fn browser_json_checked() {
        let good = r#"{"id":"q83v","rawId":"q83v","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AQ","signature":"Ag"}}"#;
        let value = authentication_response(good).unwrap();
        let o = value.as_object().unwrap();
        assert_eq!(
            o.get("clientExtensionResults"),
            Some(&Value::Object(Object::default()))
        );
        for bad in [
            good.replace(r#""rawId":"q83v""#, r#""rawId":"q83w""#),
            good.replace("public-key", "password"),
            good.replace(r#""signature":"Ag""#, r#""signature":"A g""#),
            good.replace(r#","signature":"Ag""#, ""),
            good.replace("}}", r#"},"clientExtensionResults":[]}"#),
            "[]".into(),
        ] {
            let err = authentication_response(&bad).unwrap_err();
            assert_eq!(
                (err.name(), err.code()),
                ("WebAuthnError", "EncodingError"),
                "{bad}"
            );
        }
        assert!(registration_response(good).is_err()); // no attestationObject
    }

    #[test]
    fn prompt_errors_keep_known_names() {
        let e = prompt_error(
            "NotAllowedError",
            "The operation either timed out or was not allowed.",
        );
        assert_eq!((e.name(), e.code()), ("WebAuthnError", "NotAllowedError"));
        assert!(e.to_string().contains("not allowed"));
        assert_eq!(prompt_error("TypeError", "x").code(), "UnknownError");
        assert_eq!(unsupported().code(), "InvalidParameterError");
    }
}

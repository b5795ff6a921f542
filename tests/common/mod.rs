//! Helpers shared by the wasm tests that drive the JS API against the local emulator
//! (`COGNITO_EMULATOR_URL` at build time, default port 9229).
#![allow(dead_code)]

use cognito_wasm::js::CognitoAuth;
use js_sys::{Promise, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub const EMULATOR: &str = match option_env!("COGNITO_EMULATOR_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9229/",
};
pub const PASSWORD: &str = "Corr3ct-Horse!Ω";

pub fn to_js(value: &Value) -> JsValue {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("json → js")
}

pub fn from_js(value: JsValue) -> Value {
    if value.is_undefined() {
        return Value::Null;
    }
    serde_wasm_bindgen::from_value(value).expect("js → json")
}

/// Awaits a Promise of the API: Ok(result as JSON) or Err(the rejection's `code`), after checking
/// that the rejection is a real `Error` whose `name` equals its `code`.
pub async fn call(promise: Promise) -> Result<Value, String> {
    match JsFuture::from(promise).await {
        Ok(value) => Ok(from_js(value)),
        Err(error) => {
            assert!(
                error.is_instance_of::<js_sys::Error>(),
                "rejection is not an Error: {error:?}"
            );
            let get = |key: &str| {
                Reflect::get(&error, &JsValue::from_str(key))
                    .ok()
                    .and_then(|v| v.as_string())
            };
            let code = get("code").expect("error has a code");
            assert_eq!(get("name").as_deref(), Some(code.as_str()));
            assert!(Reflect::get(&error, &JsValue::from_str("retryable"))
                .unwrap()
                .as_bool()
                .is_some());
            Err(code)
        }
    }
}

/// A raw HTTP call to the emulator (its JSON-1.1 API or its `/_emulator/` test hooks).
pub async fn http(path: &str, target: Option<&str>, body: Option<Value>) -> Value {
    let url = format!("{EMULATOR}{path}");
    let request = match (target, body) {
        (Some(target), Some(body)) => gloo_net::http::Request::post(&url)
            .header("Content-Type", "application/x-amz-json-1.1")
            .header(
                "X-Amz-Target",
                &format!("AWSCognitoIdentityProviderService.{target}"),
            )
            .body(body.to_string()),
        (None, Some(body)) => gloo_net::http::Request::post(&url).body(body.to_string()),
        _ => gloo_net::http::Request::get(&url).build(),
    }
    .expect("request");
    let response = request.send().await.expect("emulator reachable");
    let text = response.text().await.expect("body");
    assert!(
        response.ok(),
        "{path} {target:?} → {}: {text}",
        response.status()
    );
    serde_json::from_str(&text).expect("JSON")
}

pub async fn emulator() -> Value {
    http("_emulator/config", None, None).await
}

pub async fn code_for(pool: &str, username: &str) -> String {
    let answer = http(
        &format!("_emulator/codes?userPoolId={pool}&username={username}"),
        None,
        None,
    )
    .await;
    answer["code"].as_str().expect("code").to_owned()
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// A storage object of plain JS over a `Map` (its `map`): `getItem` answers `undefined` for a
/// missing key and `keys()` lists them sorted, as the package's `MemoryStorage` does.
pub fn memory_storage() -> JsValue {
    js_sys::Function::new_no_args(
        "const map = new Map();
         return { map, getItem: (k) => map.get(k), setItem: (k, v) => void map.set(k, v),
                  removeItem: (k) => void map.delete(k), keys: () => [...map.keys()].sort() };",
    )
    .call0(&JsValue::UNDEFINED)
    .expect("storage object")
}

/// A client with its own storage in memory: tests run concurrently in one page, and
/// `localStorage` there is shared by every client of the same app client id.
pub fn auth(options: Value) -> CognitoAuth {
    let options = to_js(&options);
    Reflect::set(&options, &"storage".into(), &memory_storage()).expect("set storage");
    CognitoAuth::new(options, None).unwrap_or_else(|e| panic!("constructor threw {e:?}"))
}

pub fn default_auth(cfg: &Value) -> CognitoAuth {
    auth(
        json!({"userPoolId": cfg["userPoolId"], "clientId": cfg["clientId"], "endpoint": cfg["endpoint"]}),
    )
}

/// Signs up `username` with an email and confirms with the emailed code.
pub async fn confirmed_user(a: &CognitoAuth, pool: &str, username: &str) {
    let signed_up = call(a.sign_up(to_js(&json!({
        "username": username, "password": PASSWORD, "attributes": {"email": format!("{username}@example.com")}
    }))))
    .await
    .expect("signUp");
    assert_eq!(signed_up["userConfirmed"], false);
    assert!(signed_up["userSub"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(signed_up["codeDelivery"]["medium"], "EMAIL");
    let code = code_for(pool, username).await;
    call(a.confirm_sign_up(to_js(&json!({"username": username, "code": code}))))
        .await
        .expect("confirmSignUp");
}

pub fn sign_in_params(username: &str, password: &str) -> JsValue {
    to_js(&json!({"username": username, "password": password}))
}

/// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret at `unix_seconds`.
pub fn totp(secret_base32: &str, unix_seconds: u64) -> String {
    let mut bits = 0u64;
    let mut count = 0;
    let mut key = Vec::new();
    for c in secret_base32.trim_end_matches('=').bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {c}"),
        };
        bits = (bits << 5) | u64::from(value);
        count += 5;
        if count >= 8 {
            key.push((bits >> (count - 8)) as u8);
            count -= 8;
        }
    }
    let mut mac =
        <hmac::Hmac<sha1::Sha1> as hmac::KeyInit>::new_from_slice(&key).expect("any key length");
    hmac::Mac::update(&mut mac, &(unix_seconds / 30).to_be_bytes());
    let digest = hmac::Mac::finalize(mac).into_bytes();
    let offset = (digest[19] & 0xf) as usize;
    let number = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", number % 1_000_000)
}

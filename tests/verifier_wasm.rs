//! `CognitoJwtVerifier` on tokens the emulator signed, in Node and (with
//! `WASM_BINDGEN_USE_BROWSER=1`) in headless Chromium: WebCrypto through `globalThis.crypto`, the
//! JWKS fetched cross-origin. The emulator's URL comes from `COGNITO_EMULATOR_URL` at build time.
#![cfg(target_arch = "wasm32")]

use cognito_wasm::js::CognitoJwtVerifier;
use js_sys::{Promise, Reflect};
use serde::Serialize;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test as test;

const EMULATOR: &str = match option_env!("COGNITO_EMULATOR_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:9229/",
};

/// POST `body` to the emulator: a JSON-1.1 `target`, or an `/_emulator/` path.
async fn post(path: &str, target: Option<&str>, body: Value) -> Value {
    let url = format!("{EMULATOR}{path}");
    let mut request = gloo_net::http::Request::post(&url);
    if let Some(target) = target {
        request = request
            .header("Content-Type", "application/x-amz-json-1.1")
            .header(
                "X-Amz-Target",
                &format!("AWSCognitoIdentityProviderService.{target}"),
            );
    } else {
        request = request.header("Content-Type", "application/json");
    }
    let response = request
        .body(body.to_string())
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(response.ok(), "{path} {target:?}: {}", response.status());
    serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null)
}

async fn config() -> Value {
    let url = format!("{EMULATOR}_emulator/config");
    let response = gloo_net::http::Request::get(&url).send().await.unwrap();
    serde_json::from_str(&response.text().await.unwrap()).unwrap()
}

/// A new user's ID and access tokens (USER_PASSWORD_AUTH), minted with `ttl_s` lifetime.
async fn tokens(cfg: &Value, ttl_s: u32) -> (String, String) {
    let pool = &cfg["userPoolId"];
    let username = format!(
        "verify-{}",
        js_sys::Date::now() as u64 + (js_sys::Math::random() * 1e6) as u64
    );
    let password = "Corr3ct-Horse!Ω";
    post(
        "",
        Some("AdminCreateUser"),
        json!({"UserPoolId": pool, "Username": username, "MessageAction": "SUPPRESS"}),
    )
    .await;
    post(
        "",
        Some("AdminSetUserPassword"),
        json!({"UserPoolId": pool, "Username": username, "Password": password, "Permanent": true}),
    )
    .await;
    post("_emulator/token-ttl", None, json!({"seconds": ttl_s})).await;
    let answer = post(
        "",
        Some("InitiateAuth"),
        json!({"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": cfg["clientId"],
        "AuthParameters": {"USERNAME": username, "PASSWORD": password}}),
    )
    .await;
    post("_emulator/token-ttl", None, json!({"seconds": 3600})).await;
    let result = &answer["AuthenticationResult"];
    (
        result["IdToken"].as_str().unwrap().into(),
        result["AccessToken"].as_str().unwrap().into(),
    )
}

fn verifier(cfg: &Value, token_use: &str, client_id: &Value) -> CognitoJwtVerifier {
    let options = json!({"userPoolId": cfg["userPoolId"], "clientId": client_id, "tokenUse": token_use, "endpoint": EMULATOR});
    let options = options
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap();
    CognitoJwtVerifier::new(options).unwrap()
}

/// The claims, or the rejection's `name/code`.
async fn verify(verifier: &CognitoJwtVerifier, token: &str) -> Result<Value, String> {
    match JsFuture::from(verifier.verify(token.into())).await {
        Ok(claims) => Ok(serde_wasm_bindgen::from_value(claims).unwrap()),
        Err(e) => {
            assert!(e.is_instance_of::<js_sys::Error>());
            let get = |k: &str| {
                Reflect::get(&e, &k.into())
                    .unwrap()
                    .as_string()
                    .unwrap_or_default()
            };
            Err(format!("{}/{}", get("name"), get("code")))
        }
    }
}

#[test]
async fn emulator_tokens_verify_and_each_mismatch_is_named() {
    let cfg = config().await;
    let (id_token, access_token) = tokens(&cfg, 3600).await;
    let access = verifier(
        &cfg,
        "access",
        &json!([cfg["secretClientId"], cfg["clientId"]]),
    );
    let claims = verify(&access, &access_token)
        .await
        .expect("access token verifies");
    assert_eq!(claims["token_use"], "access");
    assert_eq!(claims["client_id"], cfg["clientId"]);
    assert_eq!(
        verify(&access, &id_token).await,
        Err("JwtVerificationError/TokenUse".into())
    );

    let id = verifier(&cfg, "id", &cfg["clientId"]);
    assert_eq!(
        verify(&id, &id_token).await.expect("ID token verifies")["aud"],
        cfg["clientId"]
    );
    assert_eq!(
        verify(&id, &access_token).await,
        Err("JwtVerificationError/TokenUse".into())
    );

    let other_client = verifier(&cfg, "access", &json!("someotherclient"));
    assert_eq!(
        verify(&other_client, &access_token).await,
        Err("JwtVerificationError/ClientId".into())
    );

    let (head, signature) = access_token.rsplit_once('.').unwrap();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    let tampered = format!("{head}.{flipped}{}", &signature[1..]);
    assert_eq!(
        verify(&access, &tampered).await,
        Err("JwtVerificationError/Signature".into())
    );
}

#[test]
async fn an_expired_emulator_token_is_refused_as_expired() {
    let cfg = config().await;
    let (_, access_token) = tokens(&cfg, 1).await;
    JsFuture::from(Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        let set_timeout: js_sys::Function =
            Reflect::get(&global, &"setTimeout".into()).unwrap().into();
        set_timeout
            .call2(&JsValue::UNDEFINED, &resolve, &JsValue::from(2_100))
            .unwrap();
    }))
    .await
    .unwrap();
    let access = verifier(&cfg, "access", &cfg["clientId"]);
    assert_eq!(
        verify(&access, &access_token).await,
        Err("JwtVerificationError/Expired".into())
    );
}

//! Session floor probe: restore a stored session from a `getItem`/`setItem` storage, refresh it
//! when due with one InitiateAuth REFRESH_TOKEN_AUTH, write it back. Nothing else.
use base64::Engine;
use js_sys::{Function, Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

fn get(storage: &JsValue, key: &str) -> Option<String> {
    let f: Function = Reflect::get(storage, &"getItem".into())
        .ok()?
        .dyn_into()
        .ok()?;
    f.call1(storage, &key.into()).ok()?.as_string()
}

fn set(storage: &JsValue, key: &str, value: &str) {
    if let Ok(f) = Reflect::get(storage, &"setItem".into())
        .and_then(|f| f.dyn_into::<Function>().map_err(JsValue::from))
    {
        let _ = f.call2(storage, &key.into(), &value.into());
    }
}

fn exp_of(jwt: &str) -> Option<f64> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let claims = JSON::parse(&text).ok()?;
    Reflect::get(&claims, &"exp".into()).ok()?.as_f64()
}

#[wasm_bindgen(js_name = getSession)]
pub async fn get_session(
    storage: JsValue,
    client_id: String,
    endpoint: String,
    now: f64,
) -> Result<JsValue, JsValue> {
    let prefix = String::from("CognitoIdentityServiceProvider.") + &client_id + ".";
    let user = get(&storage, &(prefix.clone() + "LastAuthUser")).ok_or("no user")?;
    let base = prefix + &user + ".";
    let id = get(&storage, &(base.clone() + "idToken")).ok_or("no id token")?;
    let access = get(&storage, &(base.clone() + "accessToken")).ok_or("no access token")?;
    let refresh = get(&storage, &(base.clone() + "refreshToken")).unwrap_or_default();
    let exp = exp_of(&access).ok_or("bad token")?;
    let out = Object::new();
    if exp - now > 300.0 {
        Reflect::set(&out, &"idToken".into(), &id.into())?;
        Reflect::set(&out, &"accessToken".into(), &access.into())?;
        return Ok(out.into());
    }
    let body = Object::new();
    let params = Object::new();
    Reflect::set(&params, &"REFRESH_TOKEN".into(), &refresh.into())?;
    Reflect::set(&body, &"AuthFlow".into(), &"REFRESH_TOKEN_AUTH".into())?;
    Reflect::set(&body, &"ClientId".into(), &client_id.into())?;
    Reflect::set(&body, &"AuthParameters".into(), &params)?;
    let text: String = JSON::stringify(&body)?.into();
    let response = gloo_net::http::Request::post(&endpoint)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "X-Amz-Target",
            "AWSCognitoIdentityProviderService.InitiateAuth",
        )
        .body(text)
        .map_err(|_| "request")?
        .send()
        .await
        .map_err(|_| "fetch")?;
    let answer = JSON::parse(&response.text().await.map_err(|_| "body")?)?;
    let result = Reflect::get(&answer, &"AuthenticationResult".into())?;
    let id: String = Reflect::get(&result, &"IdToken".into())?
        .as_string()
        .ok_or("no IdToken")?;
    let access: String = Reflect::get(&result, &"AccessToken".into())?
        .as_string()
        .ok_or("no AccessToken")?;
    set(&storage, &(base.clone() + "idToken"), &id);
    set(&storage, &(base + "accessToken"), &access);
    Reflect::set(&out, &"idToken".into(), &id.into())?;
    Reflect::set(&out, &"accessToken".into(), &access.into())?;
    Ok(out.into())
}

//! One USER_SRP_AUTH sign-in with the design card's dependencies, as small as we could write it:
//! `signIn(endpoint, clientId, poolName, username, password, unixSeconds)` resolves to the
//! `AuthenticationResult` (or rejects with a message). Not part of the product.

use std::collections::HashMap;

use base64::Engine;
use gloo_net::http::Request;
use hmac::{Hmac, KeyInit, Mac};
use num_bigint::BigUint;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;

const N_HEX: &[u8] = b"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Call<'a> {
    client_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_flow: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    auth_parameters: Option<HashMap<&'a str, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    challenge_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    challenge_responses: Option<HashMap<&'a str, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Answer {
    #[serde(default)]
    challenge_parameters: HashMap<String, String>,
    session: Option<String>,
    authentication_result: Option<Tokens>,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tokens {
    id_token: String,
    access_token: String,
    refresh_token: Option<String>,
    expires_in: u32,
}

fn fail(message: &str) -> JsValue {
    js_sys::Error::new(message).into()
}

/// Java `BigInteger.toByteArray()`: big-endian, a 0x00 first if the top bit is set.
fn signed_bytes(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        bytes.insert(0, 0);
    }
    bytes
}

fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Result<[u8; 32], JsValue> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| fail("hmac key"))?;
    for p in parts {
        mac.update(p);
    }
    Ok(mac.finalize().into_bytes().into())
}

async fn call(endpoint: &str, op: &str, body: &Call<'_>) -> Result<Answer, JsValue> {
    // Maps as plain objects (the default is an ES `Map`, which JSON.stringify drops).
    let value = body.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?;
    let json = js_sys::JSON::stringify(&value)?;
    let response = Request::post(endpoint)
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "X-Amz-Target",
            &format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .body(String::from(json))
        .map_err(|_| fail("request"))?
        .send()
        .await
        .map_err(|_| fail("fetch"))?;
    let text = response.text().await.map_err(|_| fail("body"))?;
    let value = js_sys::JSON::parse(&text)?;
    if !response.ok() {
        return Err(value);
    }
    Ok(serde_wasm_bindgen::from_value(value)?)
}

/// Cognito's TIMESTAMP, `Www Mmm D HH:MM:SS UTC YYYY`, from the host's calendar (`Date`).
fn timestamp(unix_seconds: f64) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let d = js_sys::Date::new(&JsValue::from_f64(unix_seconds * 1000.0));
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        DAYS[d.get_utc_day() as usize % 7],
        MONTHS[d.get_utc_month() as usize % 12],
        d.get_utc_date(),
        d.get_utc_hours(),
        d.get_utc_minutes(),
        d.get_utc_seconds(),
        d.get_utc_full_year()
    )
}

#[wasm_bindgen(js_name = signIn)]
pub async fn sign_in(
    endpoint: String,
    client_id: String,
    pool_name: String,
    username: String,
    password: String,
    unix_seconds: f64,
) -> Result<JsValue, JsValue> {
    let n = BigUint::parse_bytes(N_HEX, 16).ok_or_else(|| fail("N"))?;
    let g = BigUint::from(2u32);
    let k = BigUint::from_bytes_be(&sha256(&[&signed_bytes(&n), &[2]]));
    let mut a_bytes = [0u8; 32];
    getrandom::fill(&mut a_bytes).map_err(|_| fail("random"))?;
    let a = BigUint::from_bytes_be(&a_bytes);
    let big_a = g.modpow(&a, &n);

    let start = Call {
        client_id: &client_id,
        auth_flow: Some("USER_SRP_AUTH"),
        auth_parameters: Some(HashMap::from([
            ("USERNAME", username.clone()),
            ("SRP_A", big_a.to_str_radix(16)),
        ])),
        challenge_name: None,
        challenge_responses: None,
        session: None,
    };
    let challenge = call(&endpoint, "InitiateAuth", &start).await?;
    let p = &challenge.challenge_parameters;
    let get = |name: &str| p.get(name).ok_or_else(|| fail(name));
    let (salt, b_hex, block, user_id) = (
        get("SALT")?,
        get("SRP_B")?,
        get("SECRET_BLOCK")?,
        get("USER_ID_FOR_SRP")?,
    );
    let parse = |hex: &str| BigUint::parse_bytes(hex.as_bytes(), 16).ok_or_else(|| fail("hex"));
    let (salt, b) = (parse(salt)?, parse(b_hex)?);
    if (&b % &n) == BigUint::default() {
        return Err(fail("B"));
    }
    let u = BigUint::from_bytes_be(&sha256(&[&signed_bytes(&big_a), &signed_bytes(&b)]));
    let identity = sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.as_bytes(),
    ]);
    let x = BigUint::from_bytes_be(&sha256(&[&signed_bytes(&salt), &identity]));
    let base = (&b + &n - (&k * g.modpow(&x, &n)) % &n) % &n;
    let s = base.modpow(&(&a + &u * &x), &n);
    let prk = hmac(&signed_bytes(&u), &[&signed_bytes(&s)])?;
    let key = hmac(&prk, &[b"Caldera Derived Key\x01"])?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let block_bytes = b64.decode(block).map_err(|_| fail("SECRET_BLOCK"))?;
    let when = timestamp(unix_seconds);
    let signature = hmac(
        &key[..16],
        &[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            &block_bytes,
            when.as_bytes(),
        ],
    )?;
    let answer = Call {
        client_id: &client_id,
        auth_flow: None,
        auth_parameters: None,
        challenge_name: Some("PASSWORD_VERIFIER"),
        challenge_responses: Some(HashMap::from([
            ("USERNAME", user_id.clone()),
            ("PASSWORD_CLAIM_SECRET_BLOCK", block.clone()),
            ("TIMESTAMP", when),
            ("PASSWORD_CLAIM_SIGNATURE", b64.encode(signature)),
        ])),
        session: challenge.session.clone(),
    };
    let done = call(&endpoint, "RespondToAuthChallenge", &answer).await?;
    let tokens = done
        .authentication_result
        .ok_or_else(|| fail("no AuthenticationResult"))?;
    Ok(tokens.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

//! Benchmark hooks (Cargo feature `bench`, never in the published package): the SRP math of one
//! sign-in, timed inside WebAssembly with the host's `performance.now()`. Used by `bench/run`.

use js_sys::{Float64Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::map::VecMap;
use crate::secret::SecretString;
use crate::srp::{respond_to_password_verifier, ClientEphemeral, PasswordVerifierChallenge};

/// `performance.now()` of the global scope (Node, browsers, workers), else `Date.now()`.
fn now_ms() -> f64 {
    let global = js_sys::global();
    Reflect::get(&global, &"performance".into())
        .ok()
        .filter(|p| p.is_object())
        .and_then(|performance| {
            let now = super::method(&performance, "now")?;
            now.call0(&performance).ok()?.as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Runs the SRP math of `iterations` sign-ins against one challenge (a reference vector's `SALT`,
/// `SRP_B`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`): each draws a fresh 256-bit `a` and computes
/// `A = g^a` (what `signIn` precomputes while idle), then the whole PASSWORD_VERIFIER answer
/// (`u`, `x`, `g^x`, `S = (B − k·g^x)^(a + u·x)`, `K`, the signature), as a sign-in does.
/// Returns `{ ephemeral, verifier, total }`: `Float64Array`s of milliseconds per iteration.
#[wasm_bindgen(js_name = benchSrp)]
#[allow(clippy::too_many_arguments)]
pub fn bench_srp(
    iterations: u32,
    pool_name: &str,
    user_id_for_srp: &str,
    password: &str,
    salt_hex: &str,
    b_hex: &str,
    secret_block: &str,
) -> Result<Object, JsValue> {
    let parameters: VecMap<String, String> = [
        ("SALT", salt_hex),
        ("SRP_B", b_hex),
        ("SECRET_BLOCK", secret_block),
        ("USER_ID_FOR_SRP", user_id_for_srp),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let fail = |e: crate::srp::SrpError| JsValue::from_str(&e.to_string());
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters).map_err(fail)?;
    let password = SecretString::from(password);
    let n = iterations as usize;
    let (mut ephemeral_ms, mut verifier_ms, mut total_ms) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    let mut signatures = 0usize;
    for _ in 0..n {
        let t0 = now_ms();
        let ephemeral = ClientEphemeral::random().map_err(fail)?;
        let t1 = now_ms();
        let seconds = (js_sys::Date::now() / 1000.0) as u64;
        let response =
            respond_to_password_verifier(pool_name, &password, &ephemeral, &challenge, seconds)
                .map_err(fail)?;
        let t2 = now_ms();
        signatures += response.signature.len();
        ephemeral_ms.push(t1 - t0);
        verifier_ms.push(t2 - t1);
        total_ms.push(t2 - t0);
    }
    let result = Object::new();
    for (name, values) in [
        ("ephemeral", ephemeral_ms),
        ("verifier", verifier_ms),
        ("total", total_ms),
    ] {
        Reflect::set(
            &result,
            &name.into(),
            &Float64Array::from(values.as_slice()),
        )?;
    }
    Reflect::set(
        &result,
        &"signatureBytes".into(),
        &(signatures as f64).into(),
    )?;
    Ok(result)
}

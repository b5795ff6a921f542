//! RS256 (RSASSA-PKCS1-v1_5 with SHA-256) through the runtime's WebCrypto,
//! `globalThis.crypto.subtle`: browsers, Node ≥ 20 and workerd all have it. No RSA of our own.

use super::task::awaited;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::verify::Jwk;

/// `crypto.subtle` and its two methods, looked up once.
pub struct Subtle {
    subtle: JsValue,
    import_key: Function,
    verify: VerifyFunction,
    /// `{name: "RSASSA-PKCS1-v1_5"}`, reused by every `verify`.
    verify_algorithm: Object,
}

fn get(target: &JsValue, key: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(key))
}

fn object(entries: &[(&str, JsValue)]) -> Result<Object, JsValue> {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value)?;
    }
    Ok(object)
}

impl Subtle {
    /// `globalThis.crypto.subtle`, or why it is missing.
    pub fn from_global() -> Result<Subtle, String> {
        let missing = || "this runtime has no crypto.subtle (WebCrypto)".to_owned();
        let crypto = get(&js_sys::global(), "crypto").map_err(|_| missing())?;
        let subtle = get(&crypto, "subtle").map_err(|_| missing())?;
        let method = |name: &str| {
            get(&subtle, name)
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
                .ok_or_else(missing)
        };
        let verify_algorithm = object(&[("name", "RSASSA-PKCS1-v1_5".into())])
            .map_err(|_| "cannot build the algorithm object".to_owned())?;
        Ok(Subtle {
            import_key: method("importKey")?,
            verify: method("verify")?.unchecked_into(),
            subtle,
            verify_algorithm,
        })
    }

    /// `importKey("jwk", {kty: "RSA", n, e, alg: "RS256"}, RSASSA-PKCS1-v1_5/SHA-256, false,
    /// ["verify"])`: a non-extractable verify-only CryptoKey.
    pub async fn import_rs256(&self, jwk: &Jwk) -> Result<JsValue, JsValue> {
        let key_data = object(&[
            ("kty", "RSA".into()),
            ("n", jwk.n.as_str().into()),
            ("e", jwk.e.as_str().into()),
            ("alg", "RS256".into()),
            ("ext", true.into()),
        ])?;
        let algorithm = object(&[
            ("name", "RSASSA-PKCS1-v1_5".into()),
            ("hash", "SHA-256".into()),
        ])?;
        let args = Array::of5(
            &"jwk".into(),
            &key_data,
            &algorithm,
            &false.into(),
            &Array::of1(&"verify".into()),
        );
        // `Promise::resolve`, not a cast: a Promise of another realm (Next.js's edge sandbox
        // hands the host's `crypto.subtle`) fails `instanceof Promise`.
        let started = self.import_key.apply(&self.subtle, &args)?;
        awaited(Promise::resolve(&started)).await
    }

    /// `verify(RSASSA-PKCS1-v1_5, key, signature, data)`, started: a Promise of whether the
    /// signature is valid. The two byte strings are copied once, together, into one JS-owned
    /// array (never views into wasm memory: the call may outlive this borrow), passed as two
    /// views of it.
    pub fn start_verify_rs256(
        &self,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue> {
        let mut both = Vec::with_capacity(signature.len() + data.len());
        both.extend_from_slice(signature);
        both.extend_from_slice(data);
        let (split, end) = u32::try_from(signature.len())
            .ok()
            .zip(u32::try_from(both.len()).ok())
            .ok_or_else(|| JsValue::from_str("too long"))?;
        let copy = Uint8Array::from(both.as_slice());
        let started = self.verify.call(
            &self.subtle,
            &self.verify_algorithm,
            key,
            &copy.subarray(0, split),
            &copy.subarray(split, end),
        )?;
        // The native Promise itself (no new one); a thenable or value from a patched `verify`
        // becomes one.
        Ok(Promise::resolve(&started))
    }
}

#[wasm_bindgen]
extern "C" {
    /// `crypto.subtle.verify`, called without an argument array.
    #[wasm_bindgen(js_name = Function)]
    type VerifyFunction;

    /// `verify.call(subtle, algorithm, key, signature, data)`.
    #[wasm_bindgen(method, catch, js_name = call)]
    fn call(
        verify: &VerifyFunction,
        subtle: &JsValue,
        algorithm: &Object,
        key: &JsValue,
        signature: &Uint8Array,
        data: &Uint8Array,
    ) -> Result<JsValue, JsValue>;
}

//! `CognitoAuth.getDeviceKey` (another `impl` block, with `signup` or `account`: in the browser
//! package's signup and full modules, the lowest above the sign-in path; neither the session path
//! nor the sign-in path needs it).

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::auth::CognitoAuth;
use super::promise::promise;

#[wasm_bindgen]
impl CognitoAuth {
    /// The device key stored for the signed-in user (`null` when this device is not remembered).
    #[wasm_bindgen(js_name = getDeviceKey, unchecked_return_type = "Promise<string | null>")]
    pub fn get_device_key(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let key = inner.client.current_device_key().await?;
            Ok(key.map_or(JsValue::NULL, |k| JsValue::from_str(&k)))
        })
    }
}

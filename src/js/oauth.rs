//! The hosted UI on `CognitoAuth`: `signInWithRedirect` and `handleRedirect` (flows in
//! `crate::oauth_client`, pure parts in `crate::oauth`, navigation in `navigation.rs`).

use js_sys::{Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::args::optional_string_arg;
use super::auth::CognitoAuth;
use super::convert::from_js_or_default;
use super::navigation::{location, navigate};
use super::promise::promise;
use super::session_view::session_object;
use crate::error::Error;

#[wasm_bindgen(typescript_custom_section)]
const OAUTH_METHODS: &str = r#"
export interface CognitoAuth {
  /** Stores a new `state` and PKCE verifier, navigates to the hosted UI's `/oauth2/authorize`
   * (unless `navigate: false` or there is no `location`) and resolves with that URL. */
  signInWithRedirect(params?: SignInWithRedirectParams): Promise<string>;
  /** Checks `state`, exchanges the code at `/oauth2/token` with the verifier and stores the session
   * as `signIn` does. `url` defaults to `location.href`. Rejects with `OAuthError`. */
  handleRedirect(url?: string): Promise<Session & { customState?: string }>;
}
"#;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RedirectParams {
    provider: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    state: Option<String>,
    navigate: Option<bool>,
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Declared in the section above. Stores a new state and PKCE verifier, navigates to the
    /// hosted UI (unless `navigate: false` or there is no `location`) and resolves with its URL.
    #[wasm_bindgen(js_name = signInWithRedirect, skip_typescript)]
    pub fn sign_in_with_redirect(&self, params: JsValue) -> Promise {
        let inner = self.inner.clone();
        let p = from_js_or_default::<RedirectParams>(params, "signInWithRedirect");
        promise(async move {
            let p = p?;
            let url = inner
                .client
                .begin_authorization(p.provider.as_deref(), &p.scopes, p.state)
                .await?;
            if p.navigate != Some(false) {
                navigate(Some(&url));
            }
            Ok(JsValue::from_str(&url))
        })
    }

    /// Declared in the section above. Checks `state`, exchanges the code (PKCE) and stores the
    /// session as `signIn` does; `url` defaults to `location.href`.
    #[wasm_bindgen(js_name = handleRedirect, skip_typescript)]
    pub fn handle_redirect(&self, url: JsValue) -> Promise {
        let inner = self.inner.clone();
        let url = optional_string_arg(&url, "handleRedirect's url");
        promise(async move {
            let url = match url? {
                Some(url) => url,
                None => location()
                    .and_then(|l| Reflect::get(&l, &"href".into()).ok())
                    .and_then(|href| href.as_string())
                    .ok_or_else(|| Error::invalid_parameter("handleRedirect needs the URL"))?,
            };
            let signed_in = inner.client.complete_authorization(&url).await?;
            inner.notify(Some(&signed_in.session));
            inner.emit(
                None,
                Some(&signed_in.session),
                crate::events::Cause::SignIn,
                None,
            );
            let view = session_object(&signed_in.session)?;
            if let Some(state) = signed_in.custom_state {
                let _ = Reflect::set(&view, &"customState".into(), &state.into());
            }
            Ok(view.into())
        })
    }
}

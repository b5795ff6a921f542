//! The hosted UI on `CognitoAuth`: `signInWithRedirect`, `handleRedirect`, and the `/logout`
//! navigation of `signOut` (flows in `crate::oauth_client`, pure parts in `crate::oauth`).

use js_sys::{Promise, Reflect};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use super::args::optional_string_arg;
use super::auth::{from_js_or_default, promise, to_js, CognitoAuth};
use super::fetch::FetchPlatform;
use super::method;
use super::storage::JsStorage;
use super::types::SessionView;
use crate::client::Cognito;
use crate::error::Error;
use crate::oauth::OAuthConfig;

type Client = Cognito<FetchPlatform, JsStorage>;

/// `oauth: { domain, redirectSignIn, redirectSignOut?, scopes? }` of `new CognitoAuth`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthOptions {
    pub domain: String,
    pub redirect_sign_in: String,
    pub redirect_sign_out: Option<String>,
    pub scopes: Option<Vec<String>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct RedirectParams {
    provider: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    state: Option<String>,
    navigate: Option<bool>,
}

/// The client with the hosted UI, when `oauth` is given.
pub fn configure(client: Client, options: Option<OAuthOptions>) -> Result<Client, Error> {
    let Some(o) = options else {
        return Ok(client);
    };
    let config = OAuthConfig::new(
        &o.domain,
        &o.redirect_sign_in,
        o.redirect_sign_out.as_deref(),
        o.scopes.unwrap_or_else(|| {
            [
                "openid",
                "email",
                "phone",
                "profile",
                "aws.cognito.signin.user.admin",
            ]
            .map(String::from)
            .to_vec()
        }),
    )?;
    Ok(client.with_oauth(config))
}

/// `globalThis.location`, where there is one (browsers; not Node or Workers).
fn location() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .filter(|l| l.is_object())
}

/// `location.assign(url)` where there is a `location`; false elsewhere or when it throws.
pub fn navigate(url: Option<&str>) -> bool {
    let (Some(url), Some(location)) = (url, location()) else {
        return false;
    };
    method(&location, "assign").is_some_and(|assign| assign.call1(&location, &url.into()).is_ok())
}

/// The `/logout` URL `signOut` navigates to: for a hosted-UI session with `redirectSignOut`
/// configured, unless `navigate: false`.
pub async fn logout_target(client: &Client, navigate: Option<bool>) -> Option<String> {
    if navigate == Some(false) {
        return None;
    }
    let session = client
        .load_session()
        .await
        .ok()
        .flatten()
        .or_else(|| client.current_session())?;
    match client.is_hosted_ui_session(&session.username).await {
        Ok(true) => client.logout_url(),
        _ => None,
    }
}

#[wasm_bindgen]
impl CognitoAuth {
    /// Declared in `types.rs`. Stores a new state and PKCE verifier, navigates to the hosted UI
    /// (unless `navigate: false` or there is no `location`) and resolves with its URL.
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

    /// Declared in `types.rs`. Checks `state`, exchanges the code (PKCE) and stores the session
    /// as `signIn` does; `url` defaults to `location.href`.
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
            let view = to_js(&SessionView::from(&signed_in.session))?;
            if let Some(state) = signed_in.custom_state {
                let _ = Reflect::set(&view, &"customState".into(), &state.into());
            }
            Ok(view)
        })
    }
}

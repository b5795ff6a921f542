//! The smallest Rust wasm app that signs in with `cognito_wasm::web::Client`: one form
//! (username, password, and a code when Cognito asks for one), the outcome in `#result`, the
//! session kept in `localStorage` (so a reload stays signed in) and a sign-out button.
//! wasm-bindgen and web-sys only; the pool comes from the page's query
//! (`?userPoolId=…&clientId=…&endpoint=…`).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use cognito_wasm::web::{Client, FetchPlatform, WebStorageStore};
use cognito_wasm::{AuthFlow, CallOptions, ChallengeAnswer, ClientConfig, Error, PendingChallenge};
use cognito_wasm::{SecretString, Session, SignInStep};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Document, HtmlInputElement};

struct App {
    client: Client,
    document: Document,
    /// The challenge the next submit answers (with the code field).
    pending: RefCell<Option<PendingChallenge>>,
}

#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let query = web_sys::UrlSearchParams::new_with_str(&window.location().search()?)?;
    let client = ClientConfig::new(
        &query.get("userPoolId").unwrap_or_default(),
        &query.get("clientId").unwrap_or_default(),
        None,
        query.get("endpoint").as_deref(),
    )
    .and_then(|config| {
        let store = WebStorageStore::local()?;
        Ok(Client::new(
            config,
            FetchPlatform::default(),
            store,
            CallOptions::default(),
        ))
    });
    let app = match client {
        Ok(client) => Rc::new(App {
            client,
            document,
            pending: RefCell::new(None),
        }),
        Err(e) => {
            show(&document, "error", &describe(&e));
            return Ok(());
        }
    };

    let on_submit = {
        let app = app.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            let app = app.clone();
            spawn_local(async move { app.submit().await });
        })
    };
    element(&app.document, "sign-in")?
        .add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    on_submit.forget();

    let on_sign_out = {
        let app = app.clone();
        Closure::<dyn FnMut()>::new(move || {
            let app = app.clone();
            spawn_local(async move { app.sign_out().await });
        })
    };
    element(&app.document, "sign-out")?
        .add_event_listener_with_callback("click", on_sign_out.as_ref().unchecked_ref())?;
    on_sign_out.forget();

    // A session stored by an earlier visit (refreshed if it is about to expire).
    spawn_local(async move {
        match app.client.get_session().await {
            Ok(Some(session)) => app.signed_in(&session).await,
            Ok(None) => show(&app.document, "signed-out", "Not signed in."),
            Err(e) => show(&app.document, "error", &describe(&e)),
        }
        if let Some(body) = app.document.body() {
            let _ = body.set_attribute("data-ready", "true");
        }
    });
    Ok(())
}

impl App {
    /// Signs in with the form, or answers the pending challenge with its code.
    async fn submit(&self) {
        let pending = self.pending.borrow_mut().take();
        let step = match pending {
            None => {
                let password = SecretString::from(self.input("password"));
                let username = self.input("username");
                self.client
                    .sign_in(&username, &password, AuthFlow::UserSrp, None, None)
                    .await
            }
            Some(challenge) => {
                let answer = ChallengeAnswer {
                    code: Some(self.input("code").into()),
                    ..Default::default()
                };
                self.client
                    .respond_to_challenge(&challenge, &answer, None)
                    .await
            }
        };
        match step {
            Ok(SignInStep::SignedIn(session)) => self.signed_in(&session).await,
            Ok(SignInStep::Challenge(challenge)) => {
                // This page answers the code challenges (SOFTWARE_TOKEN_MFA, SMS_MFA, EMAIL_OTP).
                show(
                    &self.document,
                    "challenge",
                    &format!("{}: enter the code.", challenge.name),
                );
                self.set_hidden("code-row", false);
                *self.pending.borrow_mut() = Some(challenge);
            }
            Err(e) => show(&self.document, "error", &describe(&e)),
        }
    }

    async fn signed_in(&self, session: &Session) {
        let email = match self.client.get_user().await {
            Ok(user) => user.attributes.get("email").cloned().unwrap_or_default(),
            Err(e) => describe(&e),
        };
        let text = format!("Signed in as {} ({email}).", session.username);
        show(&self.document, "signed-in", &text);
        self.set_hidden("code-row", true);
        self.set_hidden("sign-in", true);
        self.set_hidden("sign-out", false);
    }

    async fn sign_out(&self) {
        let text = match self.client.sign_out(false).await {
            Ok(()) => "Signed out.".to_owned(),
            Err(e) => format!("Signed out here; {}", describe(&e)),
        };
        show(&self.document, "signed-out", &text);
        self.set_hidden("sign-in", false);
        self.set_hidden("sign-out", true);
    }

    fn input(&self, id: &str) -> String {
        element(&self.document, id)
            .ok()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            .map(|input| input.value())
            .unwrap_or_default()
    }

    fn set_hidden(&self, id: &str, hidden: bool) {
        if let Ok(e) = element(&self.document, id) {
            let _ = e.toggle_attribute_with_force("hidden", hidden);
        }
    }
}

fn element(document: &Document, id: &str) -> Result<web_sys::Element, JsValue> {
    document
        .get_element_by_id(id)
        .ok_or_else(|| JsValue::from_str(&format!("no #{id}")))
}

/// `#result` shows `text`; its `data-state` is `state`.
fn show(document: &Document, state: &str, text: &str) {
    if let Ok(result) = element(document, "result") {
        result.set_text_content(Some(text));
        let _ = result.set_attribute("data-state", state);
    }
}

/// `NotAuthorizedException: Incorrect username or password.`
fn describe(error: &Error) -> String {
    format!("{}: {error}", error.code())
}

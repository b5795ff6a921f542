//! Sessions restored from a request's cookies are checked before `getSession` returns them: on a
//! server, a `CookieJar` holds whatever the client sent, so its unsigned-looking JWTs are verified
//! against the pool's JWKS (the ID token for `aud`, the access token for `client_id`) like
//! `CognitoJwtVerifier` does. Storage in a browser is the user's own and is not checked.

use alloc::rc::Rc;

use js_sys::Function;
use wasm_bindgen::JsValue;

use super::method;
use super::verifier::{CommonOptions, Verifier};
use crate::error::Error;
use crate::session::Session;
use crate::verify::{TokenUse, VerifyError};

/// Whether `storage` is a request's cookie jar: it has `CookieJar`'s `setCookieHeaders` and
/// `applyTo` methods (a look-alike only gets the check too).
pub fn is_cookie_jar(storage: &JsValue) -> bool {
    method(storage, "setCookieHeaders").is_some() && method(storage, "applyTo").is_some()
}

/// The two verifiers of a pool's app client.
pub struct RestoredCheck {
    id: Rc<Verifier>,
    access: Rc<Verifier>,
}

impl RestoredCheck {
    pub fn new(
        pool: &str,
        endpoint: Option<&str>,
        client_id: &str,
        fetch: Option<Function>,
    ) -> Result<RestoredCheck, Error> {
        let verifier = |token_use| {
            Verifier::new(
                pool,
                endpoint,
                token_use,
                vec![client_id.to_owned()],
                CommonOptions::default(),
                fetch.clone(),
            )
            .map(Rc::new)
        };
        Ok(RestoredCheck {
            id: verifier(TokenUse::Id)?,
            access: verifier(TokenUse::Access)?,
        })
    }

    /// `Ok(true)` when both tokens pass every check (the session's `username` is read from
    /// them), `Ok(false)` when either is refused; `Err` when the keys are unavailable.
    pub async fn trusts(&self, session: &Session) -> Result<bool, VerifyError> {
        for (verifier, token) in [
            (&self.id, &session.id_token),
            (&self.access, &session.access_token),
        ] {
            match verifier.verify(token.expose_secret()).await {
                Ok(_) => {}
                Err(e) if e.is_token_fault() => return Ok(false),
                Err(e) => return Err(e),
            }
        }
        Ok(true)
    }
}

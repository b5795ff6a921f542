//! The hosted UI (OAuth 2.0 authorization code grant with PKCE), pure: the domain, the
//! `/oauth2/authorize` and `/logout` URLs, the PKCE verifier and challenge (RFC 7636, S256), the
//! pending request kept across the navigation, the parameters of the redirect back, the
//! `/oauth2/token` form bodies and the parsing of its answers and errors.
//!
//! Errors from the hosted UI or `/oauth2/token` become [`Error::OAuth`]: `code` is the OAuth
//! `error` value (`access_denied`, `invalid_grant`, `invalid_request`, `invalid_client`,
//! `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`, `server_error`, …) and
//! `status` the HTTP status when it came from `/oauth2/token`. One code is local:
//! [`INVALID_STATE`], a redirect whose `state` is not the pending request's (or with no request
//! pending).

use crate::config::non_empty_of;
use crate::crypto::sha256;
use crate::error::Error;
use crate::prelude::*;
use crate::secret::SecretString;
use crate::text::{split_ascii, trim_end_ascii};
use crate::wire::{FromJson, OAuthErrorBody, StoredPending, TokenBody};

/// The local OAuth error code of a redirect that does not belong to the pending request.
pub const INVALID_STATE: &str = "invalid_state";

/// Longest `/oauth2/token` answer accepted as JSON (a few KB in practice).
const MAX_ANSWER: usize = 1 << 20;

/// `oauth: { domain, redirectSignIn, redirectSignOut, scopes }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthConfig {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or (tests) a full
    /// `http://127.0.0.1:<port>` origin; no trailing slash.
    origin: String,
    pub redirect_sign_in: String,
    pub redirect_sign_out: Option<String>,
    pub scopes: Vec<String>,
}

impl OAuthConfig {
    /// The scopes asked for when the app names none: Amplify's defaults, `openid email phone
    /// profile aws.cognito.signin.user.admin`.
    pub fn default_scopes() -> Vec<String> {
        let mut scopes = Vec::with_capacity(5);
        for scope in &[
            "openid",
            "email",
            "phone",
            "profile",
            "aws.cognito.signin.user.admin",
        ] {
            scopes.push((*scope).to_owned());
        }
        scopes
    }

    /// `domain` is a bare host (`auth.example.com`, implying https) or an origin with its
    /// scheme (`http://127.0.0.1:9229`).
    pub fn new(
        domain: &str,
        redirect_sign_in: &str,
        redirect_sign_out: Option<&str>,
        scopes: Vec<String>,
    ) -> Result<OAuthConfig, Error> {
        let domain = trim_end_ascii(domain.trim_ascii(), b'/');
        let origin = if domain.starts_with("https://") || domain.starts_with("http://") {
            domain.to_owned()
        } else {
            ["https://", domain].cat()
        };
        let host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .unwrap_or("");
        let (name, port) = split_ascii(host, b':', false).unwrap_or((host, "0"));
        let name_ok = non_empty_of(name, |b| {
            b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
        });
        let port_ok = non_empty_of(port, |b| b.is_ascii_digit());
        if !name_ok || !port_ok {
            return Err(Error::invalid_parameter(
                "oauth.domain must be a host name or an origin (scheme://host[:port])",
            ));
        }
        if redirect_sign_in.is_empty() {
            return Err(Error::invalid_parameter("oauth.redirectSignIn is required"));
        }
        for scope in &scopes {
            if !non_empty_of(scope, |b| b != b' ') {
                return Err(Error::invalid_parameter(
                    "oauth.scopes must be non-empty names without spaces",
                ));
            }
        }
        Ok(OAuthConfig {
            origin,
            redirect_sign_in: redirect_sign_in.to_owned(),
            redirect_sign_out: redirect_sign_out
                .filter(|u| !u.is_empty())
                .map(str::to_owned),
            scopes,
        })
    }

    /// The domain as an origin, e.g. `https://auth.example.com`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn token_url(&self) -> String {
        [&self.origin, "/oauth2/token"].cat()
    }

    /// `/oauth2/authorize?response_type=code&…` for `pending`. `scopes` overrides the configured
    /// ones when not empty; `provider` becomes `identity_provider` (`Google`, a SAML IdP, …).
    pub fn authorize_url(
        &self,
        client_id: &str,
        pending: &PendingAuthorization,
        provider: Option<&str>,
        scopes: &[String],
    ) -> String {
        let scopes = if scopes.is_empty() {
            &self.scopes
        } else {
            scopes
        };
        let challenge = pending.challenge();
        let mut joined = String::new();
        for (i, scope) in scopes.iter().enumerate() {
            if i > 0 {
                joined.push(' ');
            }
            joined.push_str(scope);
        }
        let mut pairs = vec![
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", pending.redirect_uri.as_str()),
            ("state", pending.state.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        if !scopes.is_empty() {
            pairs.push(("scope", joined.as_str()));
        }
        if let Some(provider) = provider.filter(|p| !p.is_empty()) {
            pairs.push(("identity_provider", provider));
        }
        [&self.origin, "/oauth2/authorize?", &form_encode(&pairs)].cat()
    }

    /// `/logout?client_id=…&logout_uri=…`, when `redirectSignOut` is configured.
    pub fn logout_url(&self, client_id: &str) -> Option<String> {
        let logout_uri = self.redirect_sign_out.as_ref()?;
        let query = form_encode(&[("client_id", client_id), ("logout_uri", logout_uri)]);
        Some([&self.origin, "/logout?", &query].cat())
    }
}

/// `base64url(SHA-256(verifier))` without padding (RFC 7636 S256).
pub fn code_challenge(verifier: &str) -> String {
    crate::b64::encode_url(&sha256(&[verifier.as_bytes()]))
}

/// 32 CSPRNG bytes as base64url: 43 characters of the unreserved set.
pub fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::invalid_parameter(format!("no CSPRNG: {e}")))?;
    Ok(crate::b64::encode_url(&bytes))
}

/// The request under way, kept in the token storage across the navigation; used once.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingAuthorization {
    pub state: String,
    pub verifier: SecretString,
    pub redirect_uri: String,
    /// The app's own value (`signInWithRedirect({ state })`), given back after the redirect.
    pub custom_state: Option<String>,
}

impl PendingAuthorization {
    /// A fresh state and verifier from the CSPRNG.
    pub fn random(
        redirect_uri: &str,
        custom_state: Option<String>,
    ) -> Result<PendingAuthorization, Error> {
        Ok(PendingAuthorization {
            state: random_token()?,
            verifier: SecretString::new(random_token()?),
            redirect_uri: redirect_uri.to_owned(),
            custom_state,
        })
    }

    pub fn challenge(&self) -> String {
        code_challenge(self.verifier.expose_secret())
    }

    pub fn to_json(&self) -> Result<String, Error> {
        let stored = StoredPending {
            state: self.state.clone(),
            verifier: self.verifier.expose_secret().to_owned(),
            redirect_uri: self.redirect_uri.clone(),
            custom_state: self.custom_state.clone(),
        };
        Ok(stored.to_json())
    }

    /// `None` for anything that is not a pending request (garbled or foreign storage).
    pub fn from_json(text: &str) -> Option<PendingAuthorization> {
        let stored = crate::json::parse(text)
            .ok()
            .and_then(|v| StoredPending::from_json(&v).ok())?;
        Some(PendingAuthorization {
            state: stored.state,
            verifier: SecretString::new(stored.verifier),
            redirect_uri: stored.redirect_uri,
            custom_state: stored.custom_state,
        })
    }
}

/// What the hosted UI sent back in the redirect's query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    Code {
        code: SecretString,
        state: Option<String>,
    },
    Error {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
}

impl Redirect {
    pub fn state(&self) -> Option<&str> {
        match self {
            Redirect::Code { state, .. } | Redirect::Error { state, .. } => state.as_deref(),
        }
    }
}

/// The `code`/`state` or `error`/`error_description`/`state` of a redirect URL's query.
pub fn parse_redirect(url: &str) -> Result<Redirect, Error> {
    let without_fragment = url.split('#').next().unwrap_or_default();
    let query = without_fragment
        .split_once('?')
        .map_or("", |(_, query)| query);
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for (name, value) in form_decode(query) {
        let slot = match name.as_str() {
            "code" => &mut code,
            "state" => &mut state,
            "error" => &mut error,
            "error_description" => &mut description,
            _ => continue,
        };
        slot.get_or_insert(value);
    }
    match (error, code) {
        (Some(error), _) => Ok(Redirect::Error {
            error,
            description,
            state,
        }),
        (None, Some(code)) if !code.is_empty() => Ok(Redirect::Code {
            code: SecretString::new(code),
            state,
        }),
        _ => Err(Error::invalid_parameter(
            "the URL is not a sign-in redirect: it has neither code nor error",
        )),
    }
}

/// The form body of `grant_type=authorization_code`.
pub fn authorization_code_form(
    client_id: &str,
    code: &SecretString,
    pending: &PendingAuthorization,
) -> SecretString {
    SecretString::new(form_encode(&[
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", code.expose_secret()),
        ("redirect_uri", &pending.redirect_uri),
        ("code_verifier", pending.verifier.expose_secret()),
    ]))
}

/// The form body of `grant_type=refresh_token`.
pub fn refresh_token_form(client_id: &str, refresh_token: &SecretString) -> SecretString {
    SecretString::new(form_encode(&[
        ("grant_type", "refresh_token"),
        ("client_id", client_id),
        ("refresh_token", refresh_token.expose_secret()),
    ]))
}

/// `Basic base64(client_id:client_secret)` (each form-encoded first, RFC 6749 §2.3.1).
pub fn basic_authorization(client_id: &str, secret: &SecretString) -> SecretString {
    let mut pair = String::new();
    push_form_component(&mut pair, client_id);
    pair.push(':');
    push_form_component(&mut pair, secret.expose_secret());
    SecretString::new(["Basic ", &crate::b64::encode(pair.as_bytes())].cat())
}

/// A successful `/oauth2/token` answer.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenResponse {
    pub access_token: SecretString,
    pub id_token: Option<SecretString>,
    pub refresh_token: Option<SecretString>,
    pub expires_in: Option<u64>,
    pub token_type: Option<String>,
}

/// The answer of `/oauth2/token`: tokens on 2xx, else [`Error::OAuth`] (`server_error` for a body
/// without `error`).
pub fn parse_token_response(status: u16, body: &str) -> Result<TokenResponse, Error> {
    if body.len() > MAX_ANSWER {
        return Err(Error::invalid_response("/oauth2/token answer is too large"));
    }
    if (200..300).contains(&status) {
        let unexpected = |why: String| {
            Error::invalid_response(["/oauth2/token answered with unexpected JSON: ", &why].cat())
        };
        let value = crate::json::parse(body).map_err(|e| unexpected(e.message()))?;
        let parsed = TokenBody::from_json(&value).map_err(|e| unexpected(e.message()))?;
        return Ok(TokenResponse {
            access_token: parsed.access_token.into(),
            id_token: parsed.id_token.map(Into::into),
            refresh_token: parsed.refresh_token.map(Into::into),
            expires_in: parsed.expires_in,
            token_type: parsed.token_type,
        });
    }
    let parsed = crate::json::parse(body)
        .ok()
        .and_then(|v| OAuthErrorBody::from_json(&v).ok());
    let (error, description) = match parsed {
        Some(OAuthErrorBody {
            error: Some(error),
            error_description,
        }) if !error.is_empty() => (error, error_description),
        _ => (
            "server_error".to_owned(),
            Some({
                let mut message = String::from("/oauth2/token answered HTTP ");
                crate::text::push_u64(&mut message, u64::from(status));
                message
            }),
        ),
    };
    Err(Error::OAuth {
        error,
        description: description.unwrap_or_default(),
        status: Some(status),
    })
}

/// `application/x-www-form-urlencoded` of `pairs` (space as `%20`).
pub fn form_encode(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        push_form_component(&mut out, name);
        out.push('=');
        push_form_component(&mut out, value);
    }
    out
}

/// Appends `text` percent-encoded (all but the unreserved set).
fn push_form_component(out: &mut String, text: &str) {
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            for nibble in [byte >> 4, byte & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
}

/// The pairs of a query string; `+` is a space, bad `%` escapes are kept as they are.
pub fn form_decode(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

fn percent_decode(text: &str) -> String {
    let hex = |b: Option<&u8>| b.and_then(|&b| char::from(b).to_digit(16));
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.as_bytes().iter();
    while let Some(&byte) = bytes.next() {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let mut ahead = bytes.clone();
                match (hex(ahead.next()), hex(ahead.next())) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        bytes = ahead;
                    }
                    _ => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scopes_are_amplifys() {
        assert_eq!(
            OAuthConfig::default_scopes().join(" "),
            "openid email phone profile aws.cognito.signin.user.admin"
        );
    }

    fn config() -> OAuthConfig {
        OAuthConfig::new(
            "auth.example.com",
            "http://localhost:3000/cb?x=1",
            Some("http://localhost:3000/bye"),
            vec!["openid".into(), "email".into()],
        )
        .unwrap()
    }

    fn pending() -> PendingAuthorization {
        PendingAuthorization {
            state: "st/ate".into(),
            verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            redirect_uri: "http://localhost:3000/cb?x=1".into(),
            custom_state: None,
        }
    }

    /// RFC 7636 appendix B (the challenge is the RFC's; SHA-256 of the verifier confirms it).
    #[test]
    fn pkce_rfc7636_appendix_b() {
        assert_eq!(
            code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn random_verifiers_are_43_unreserved_chars_and_differ() {
        let a = PendingAuthorization::random("http://localhost/", None).unwrap();
        let b = PendingAuthorization::random("http://localhost/", None).unwrap();
        for token in [a.verifier.expose_secret(), a.state.as_str()] {
            assert_eq!(token.len(), 43);
            assert!(token
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        }
        assert_ne!(a.state, b.state);
        assert_ne!(a.verifier, b.verifier);
        let restored = PendingAuthorization::from_json(&a.to_json().unwrap()).unwrap();
        assert_eq!(restored, a);
        assert!(PendingAuthorization::from_json("{\"state\":1}").is_none());
    }

    #[test]
    fn domains_bare_or_with_scheme() {
        assert_eq!(config().origin(), "https://auth.example.com");
        let local = OAuthConfig::new("http://127.0.0.1:9229/", "http://x/", None, vec![]).unwrap();
        assert_eq!(local.token_url(), "http://127.0.0.1:9229/oauth2/token");
        assert_eq!(local.logout_url("c"), None);
        for bad in [
            "",
            "https://",
            "a.com/path",
            "a b.com",
            "user@a.com",
            "a.com:x",
        ] {
            assert!(
                OAuthConfig::new(bad, "http://x/", None, vec![]).is_err(),
                "{bad}"
            );
        }
        assert!(OAuthConfig::new("a.com", "", None, vec![]).is_err());
        assert!(OAuthConfig::new("a.com", "http://x/", None, vec!["a b".into()]).is_err());
        assert!(OAuthConfig::new("a.com", "http://x/", None, vec!["".into()]).is_err());
        assert!(OAuthConfig::new("a.com:443", "http://x/", None, vec!["openid".into()]).is_ok());
    }

    #[test]
    fn authorize_and_logout_urls_are_encoded() {
        let url = config().authorize_url("client1", &pending(), Some("Google"), &[]);
        assert_eq!(
            url,
            "https://auth.example.com/oauth2/authorize?response_type=code&client_id=client1\
             &redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1&state=st%2Fate\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\
             &code_challenge_method=S256&scope=openid%20email&identity_provider=Google"
        );
        let custom = config().authorize_url("c", &pending(), None, &["profile".into()]);
        assert!(custom.ends_with("&scope=profile"), "{custom}");
        assert_eq!(
            config().logout_url("c").unwrap(),
            "https://auth.example.com/logout?client_id=c&logout_uri=http%3A%2F%2Flocalhost%3A3000%2Fbye"
        );
    }

    #[test]
    fn redirects_with_code_or_error() {
        let ok = parse_redirect("http://localhost/cb?x=1&code=abc%2Bd&state=s+1#frag").unwrap();
        assert_eq!(
            ok,
            Redirect::Code {
                code: "abc+d".into(),
                state: Some("s 1".into())
            }
        );
        let denied = parse_redirect(
            "http://localhost/cb?error=access_denied&error_description=User+said%20no&state=s",
        )
        .unwrap();
        assert_eq!(
            denied,
            Redirect::Error {
                error: "access_denied".into(),
                description: Some("User said no".into()),
                state: Some("s".into())
            }
        );
        assert_eq!(denied.state(), Some("s"));
        assert!(parse_redirect("http://localhost/cb").is_err());
        assert!(parse_redirect("http://localhost/cb?code=").is_err());
        assert_eq!(
            form_decode("a=%zz&b=%4"),
            vec![("a".into(), "%zz".into()), ("b".into(), "%4".into())]
        );
        assert_eq!(form_decode("a=%C3%A9"), vec![("a".into(), "é".into())]);
    }

    #[test]
    fn token_forms() {
        let form = authorization_code_form("c 1", &"the-code".into(), &pending());
        assert_eq!(
            form.expose_secret(),
            "grant_type=authorization_code&client_id=c%201&code=the-code\
             &redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb%3Fx%3D1\
             &code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            refresh_token_form("c", &"r.t".into()).expose_secret(),
            "grant_type=refresh_token&client_id=c&refresh_token=r.t"
        );
        assert_eq!(
            basic_authorization("Aladdin", &"open sesame".into()).expose_secret(),
            "Basic QWxhZGRpbjpvcGVuJTIwc2VzYW1l"
        );
    }

    #[test]
    fn token_answers_and_errors() {
        let ok = parse_token_response(
            200,
            r#"{"access_token":"a","id_token":"i","refresh_token":"r","expires_in":3600,"token_type":"Bearer"}"#,
        )
        .unwrap();
        assert_eq!(ok.access_token.expose_secret(), "a");
        assert_eq!(ok.refresh_token, Some("r".into()));
        assert_eq!(ok.expires_in, Some(3600));
        let refreshed =
            parse_token_response(200, r#"{"access_token":"a","id_token":"i"}"#).unwrap();
        assert_eq!(refreshed.refresh_token, None);
        assert_eq!(
            parse_token_response(200, "{}").unwrap_err().code(),
            "InvalidResponseError"
        );
        let refused = parse_token_response(400, r#"{"error":"invalid_grant"}"#).unwrap_err();
        assert_eq!(refused.code(), "invalid_grant");
        assert_eq!(refused.status(), Some(400));
        assert!(!refused.retryable());
        let described = parse_token_response(
            400,
            r#"{"error":"invalid_client","error_description":"bad secret"}"#,
        )
        .unwrap_err();
        assert_eq!(described.to_string(), "invalid_client: bad secret");
        let html = parse_token_response(502, "<html>").unwrap_err();
        assert_eq!(html.code(), "server_error");
        assert!(html.retryable());
    }
}

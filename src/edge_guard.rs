//! Which browser requests may run a state-changing edge route (`CognitoWorkerAuth`'s sign-in and
//! sign-out): the request-origin policy against cross-site request forgery, and the media-type
//! check of a JSON body. Pure: the binding layer passes the header values in.
//!
//! [`check_origin`], in order:
//! 1. `Sec-Fetch-Site: same-origin` → allowed;
//! 2. an `Origin` in the configured allowed origins → allowed (a front end on another origin);
//! 3. any other `Sec-Fetch-Site` (`same-site`, `cross-site`, `none`) → refused;
//! 4. no `Sec-Fetch-Site`: allowed only when `Origin` equals the request URL's origin; a request
//!    with neither header is refused (browsers send `Origin` on every POST).

use crate::prelude::*;
use core::fmt;

/// Why a request was refused (403).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginRefusal {
    /// `Sec-Fetch-Site` says the request comes from another origin.
    CrossSite,
    /// `Origin` is neither the request's own nor an allowed one.
    ForeignOrigin,
    /// Neither `Sec-Fetch-Site` nor `Origin`: nothing shows the request is from this origin.
    NoOrigin,
}

impl OriginRefusal {
    /// The `check` field of the 403 body.
    pub fn code(self) -> &'static str {
        match self {
            OriginRefusal::CrossSite => "SecFetchSite",
            OriginRefusal::ForeignOrigin => "Origin",
            OriginRefusal::NoOrigin => "MissingOrigin",
        }
    }
}

impl fmt::Display for OriginRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OriginRefusal::CrossSite => "Sec-Fetch-Site shows a request from another origin",
            OriginRefusal::ForeignOrigin => {
                "the Origin header is not this origin nor an allowed one"
            }
            OriginRefusal::NoOrigin => "the request has neither Sec-Fetch-Site nor Origin",
        })
    }
}

/// The headers and URL [`check_origin`] decides on.
#[derive(Debug, Clone, Copy)]
pub struct RequestOrigin<'a> {
    pub sec_fetch_site: Option<&'a str>,
    pub origin: Option<&'a str>,
    /// `request.url`.
    pub url: &'a str,
}

/// How allowed a request is (see the module doc). `Ok(true)` when it came through an allowed
/// foreign origin (its answer then carries the CORS headers), `Ok(false)` when same-origin.
pub fn check_origin(request: RequestOrigin<'_>, allowed: &[String]) -> Result<bool, OriginRefusal> {
    let site = request.sec_fetch_site.map(str::trim);
    if site.is_some_and(|s| s.eq_ignore_ascii_case("same-origin")) {
        return Ok(false);
    }
    let origin = request.origin.and_then(serialized_origin);
    if origin.as_ref().is_some_and(|o| allowed.contains(o)) {
        return Ok(true);
    }
    if site.is_some() {
        return Err(OriginRefusal::CrossSite);
    }
    let Some(origin) = origin else {
        return Err(match request.origin {
            Some(_) => OriginRefusal::ForeignOrigin, // `null` or unparsable
            None => OriginRefusal::NoOrigin,
        });
    };
    match serialized_origin_of_url(request.url) {
        Some(own) if own == origin => Ok(false),
        _ => Err(OriginRefusal::ForeignOrigin),
    }
}

/// The origin `scheme://host[:port]` of an `http`/`https` URL: scheme and host lower-cased, the
/// default port (80, 443) dropped, path, query and fragment cut; `None` for other schemes or
/// an empty host.
pub fn serialized_origin_of_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = match host_port.rsplit_once(':') {
        // An IPv6 literal's own colons sit inside brackets.
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (host_port, None),
    };
    if host.is_empty()
        || port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let host = host.to_ascii_lowercase();
    Some(match port {
        Some(p) if p != default_port => format!("{scheme}://{host}:{p}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// An `Origin` header value (or an allowed-origins entry) normalised: a serialized origin with no
/// path; `None` for `null` and anything else.
pub fn serialized_origin(value: &str) -> Option<String> {
    let value = value.trim();
    let after_scheme = value.split_once("://")?.1;
    if after_scheme.contains(['/', '?', '#', '@']) {
        return None;
    }
    serialized_origin_of_url(value)
}

/// The essence `type/subtype` of a `Content-Type` value, lower-cased: what comes before the
/// first `;`, trimmed, when both parts are HTTP tokens; `None` otherwise. So
/// `text/plain;charset=application/json` is `text/plain`, and `application/json, text/plain`
/// (two values joined) is `None`.
pub fn media_type_essence(content_type: &str) -> Option<String> {
    let essence = content_type.split(';').next()?.trim_matches([' ', '\t']);
    let (kind, subtype) = essence.split_once('/')?;
    let is_token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    (is_token(kind) && is_token(subtype)).then(|| essence.to_ascii_lowercase())
}

/// Whether a `Content-Type` value declares JSON: essence `application/json`.
pub fn is_json_media_type(content_type: Option<&str>) -> bool {
    content_type
        .and_then(media_type_essence)
        .is_some_and(|e| e == "application/json")
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://app.example.com/auth/sign-in";

    fn check(
        site: Option<&str>,
        origin: Option<&str>,
        allowed: &[&str],
    ) -> Result<bool, OriginRefusal> {
        let allowed: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
        check_origin(
            RequestOrigin {
                sec_fetch_site: site,
                origin,
                url: URL,
            },
            &allowed,
        )
    }

    #[test]
    fn sec_fetch_site_decides_when_present() {
        assert_eq!(check(Some("same-origin"), None, &[]), Ok(false));
        assert_eq!(
            check(Some("same-origin"), Some("https://evil.example"), &[]),
            Ok(false)
        );
        for site in ["cross-site", "same-site", "none", "bogus", ""] {
            assert_eq!(
                check(Some(site), Some("https://app.example.com"), &[]),
                Err(OriginRefusal::CrossSite),
                "{site}"
            );
        }
        // The login-CSRF request of the review: a sibling origin of the same site.
        assert_eq!(
            check(Some("same-site"), Some("https://evil.app.example.com"), &[]),
            Err(OriginRefusal::CrossSite)
        );
    }

    #[test]
    fn without_sec_fetch_site_origin_must_be_the_requests() {
        assert_eq!(check(None, Some("https://app.example.com"), &[]), Ok(false));
        assert_eq!(
            check(None, Some("https://APP.example.com:443"), &[]),
            Ok(false)
        );
        assert_eq!(
            check(None, Some("https://evil.example"), &[]),
            Err(OriginRefusal::ForeignOrigin)
        );
        assert_eq!(
            check(None, Some("http://app.example.com"), &[]),
            Err(OriginRefusal::ForeignOrigin),
            "another scheme is another origin"
        );
        assert_eq!(
            check(None, Some("https://app.example.com:8443"), &[]),
            Err(OriginRefusal::ForeignOrigin)
        );
        assert_eq!(
            check(None, Some("null"), &[]),
            Err(OriginRefusal::ForeignOrigin)
        );
        assert_eq!(check(None, None, &[]), Err(OriginRefusal::NoOrigin));
    }

    #[test]
    fn allowed_origins_let_a_split_front_end_in() {
        let allowed = ["https://front.example.com"];
        assert_eq!(
            check(
                Some("same-site"),
                Some("https://front.example.com"),
                &allowed
            ),
            Ok(true)
        );
        assert_eq!(
            check(None, Some("https://front.example.com"), &allowed),
            Ok(true)
        );
        assert_eq!(
            check(Some("cross-site"), Some("https://evil.example"), &allowed),
            Err(OriginRefusal::CrossSite)
        );
        assert_eq!(
            check(
                None,
                Some("https://front.example.com.evil.example"),
                &allowed
            ),
            Err(OriginRefusal::ForeignOrigin)
        );
    }

    #[test]
    fn origins_are_normalised() {
        let o = serialized_origin_of_url;
        assert_eq!(
            o("https://App.Example.com/x?y#z").as_deref(),
            Some("https://app.example.com")
        );
        assert_eq!(o("HTTP://h:80/").as_deref(), Some("http://h"));
        assert_eq!(o("http://h:8080").as_deref(), Some("http://h:8080"));
        assert_eq!(o("https://h:443").as_deref(), Some("https://h"));
        assert_eq!(
            o("http://[::1]:8787/a").as_deref(),
            Some("http://[::1]:8787")
        );
        assert_eq!(o("http://[::1]/a").as_deref(), Some("http://[::1]"));
        assert_eq!(o("http://u:p@h/").as_deref(), Some("http://h"));
        for bad in ["ftp://h", "https://", "h/x", "http://h:x", "http://h:"] {
            assert_eq!(o(bad), None, "{bad}");
        }
        assert_eq!(serialized_origin("https://h").as_deref(), Some("https://h"));
        for bad in ["null", "https://h/", "https://h/path", "https://u@h", ""] {
            assert_eq!(serialized_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_the_essence_application_json_is_json() {
        for yes in [
            "application/json",
            "application/json; charset=utf-8",
            "APPLICATION/JSON",
            " application/json ;x=y",
        ] {
            assert!(is_json_media_type(Some(yes)), "{yes}");
        }
        for no in [
            "text/plain;charset=application/json",
            "text/plain; application/json",
            "application/json, text/plain",
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=application/json",
            "application/json/x",
            "",
        ] {
            assert!(!is_json_media_type(Some(no)), "{no}");
        }
        assert!(!is_json_media_type(None));
        assert_eq!(
            media_type_essence("Text/Plain;charset=application/json").as_deref(),
            Some("text/plain")
        );
    }
}

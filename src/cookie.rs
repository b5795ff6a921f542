//! Cookies as text: parsing a `Cookie` header, formatting a `Set-Cookie` line, percent-encoding,
//! and splitting a long value over several cookies (`name`, `name.1`, `name.2`, …).
//!
//! Encoding: names and values keep `A–Z a–z 0–9 - . _` and percent-encode every other byte of
//! their UTF-8 (`%XX`, upper case), so base64url JWTs pass unchanged and `~` never appears
//! unencoded. Decoding accepts any `%XX` (js-cookie's output reads back).
//!
//! Chunking: a value whose encoded form is longer than the limit is stored as a marker
//! `name=~N` plus `name.1` … `name.N`, each holding a slice of the encoded value cut between
//! `%XX` escapes. The marker cannot be an encoded value, since `~` is always escaped.

use crate::prelude::*;
use alloc::fmt;

use crate::text::split_ascii;

/// Cookies by decoded name, with their values as sent (still encoded: read them with
/// [`reassemble`], which decodes).
pub type CookieMap = crate::map::VecMap<String, String>;

/// The encoded-value length per cookie below which nothing is split: browsers keep at most
/// 4096 bytes of name and value, and our names stay under 200.
pub const DEFAULT_CHUNK_LIMIT: usize = 3800;

/// `SameSite`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SameSite {
    Strict,
    #[default]
    Lax,
    None,
}

impl SameSite {
    /// `"Strict" | "Lax" | "None"`, case-insensitive.
    pub fn parse(text: &str) -> Option<SameSite> {
        match text.to_ascii_lowercase().as_str() {
            "strict" => Some(SameSite::Strict),
            "lax" => Some(SameSite::Lax),
            "none" => Some(SameSite::None),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        }
    }
}

/// The attributes of a `Set-Cookie` line. The default is `Path=/; Secure; HttpOnly;
/// SameSite=Lax`, a session cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieAttributes {
    pub domain: Option<String>,
    pub path: String,
    pub secure: bool,
    pub http_only: bool,
    pub same_site: SameSite,
    /// Seconds to live; `Some(0)` deletes; `None` is a session cookie.
    pub max_age_s: Option<i64>,
}

impl Default for CookieAttributes {
    fn default() -> Self {
        CookieAttributes {
            domain: None,
            path: "/".into(),
            secure: true,
            http_only: true,
            same_site: SameSite::Lax,
            max_age_s: None,
        }
    }
}

/// Why a `Set-Cookie` line cannot be formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CookieError {
    /// Empty name.
    EmptyName,
    /// `Domain` or `Path` holds `;`, a control character or a non-ASCII byte.
    InvalidAttribute(&'static str),
    /// `SameSite=None` without `Secure`, which browsers drop.
    SameSiteNoneWithoutSecure,
}

impl CookieError {
    /// The `Display` text, built without `core::fmt`.
    pub fn message(&self) -> String {
        match self {
            CookieError::EmptyName => "cookie name is empty".into(),
            CookieError::InvalidAttribute(which) => ["cookie ", which, " is not valid"].cat(),
            CookieError::SameSiteNoneWithoutSecure => "SameSite=None requires Secure".into(),
        }
    }
}

impl fmt::Display for CookieError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for CookieError {}

fn keeps(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_')
}

/// Percent-encodes every byte but `A–Z a–z 0–9 - . _`.
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if keeps(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            for nibble in [byte >> 4, byte & 0xf] {
                out.push(char::from(
                    HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                ));
            }
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` if the result is not UTF-8. A `%` not followed by two hex
/// digits stays as it is.
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let escaped = match (byte, bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&hi), Some(&lo)) => hex(hi).zip(hex(lo)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(decoded) => {
                out.push(decoded);
                i += 3;
            }
            None => {
                out.push(byte);
                i += 1;
            }
        }
    }
    crate::text::utf8(&out)
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Parses `a=1; b=2` into decoded names and raw values. Pairs without `=` and names that do not
/// decode are skipped; surrounding quotes of a value are removed; the first of two equal names
/// wins (the browser sends the most specific path first).
pub fn parse_cookie_header(header: &str) -> CookieMap {
    let mut jar = CookieMap::new();
    let mut rest = Some(header);
    while let Some(text) = rest {
        // `header.split(';')`, by ASCII byte.
        let pair = match split_ascii(text, b';', false) {
            Some((pair, after)) => {
                rest = Some(after);
                pair
            }
            None => {
                rest = None;
                text
            }
        };
        let Some((name, value)) = split_ascii(pair, b'=', false) else {
            continue;
        };
        let name = name.trim_ascii();
        let value = value.trim_ascii();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if name.is_empty() {
            continue;
        }
        let Some(name) = decode(name) else { continue };
        if !jar.contains_key(&name) {
            jar.insert(name, value.to_owned());
        }
    }
    jar
}

fn check_attribute(value: &str, which: &'static str) -> Result<(), CookieError> {
    if value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b';')
    {
        Ok(())
    } else {
        Err(CookieError::InvalidAttribute(which))
    }
}

/// `<encode(name)>=<encoded_value>; Max-Age=…; Domain=…; Path=…; Secure; HttpOnly; SameSite=…`.
/// `encoded_value` must already be encoded (by [`encode`] or [`split_value`]).
pub fn format_set_cookie(
    name: &str,
    encoded_value: &str,
    attributes: &CookieAttributes,
) -> Result<String, CookieError> {
    if name.is_empty() {
        return Err(CookieError::EmptyName);
    }
    check_attribute(encoded_value, "value")?;
    check_attribute(&attributes.path, "Path")?;
    if attributes.same_site == SameSite::None && !attributes.secure {
        return Err(CookieError::SameSiteNoneWithoutSecure);
    }
    let mut line = encode(name);
    line.push('=');
    line.push_str(encoded_value);
    if let Some(max_age) = attributes.max_age_s {
        line.push_str("; Max-Age=");
        crate::text::push_i64(&mut line, max_age.max(0));
    }
    if let Some(domain) = &attributes.domain {
        check_attribute(domain, "Domain")?;
        line.push_str("; Domain=");
        line.push_str(domain);
    }
    if !attributes.path.is_empty() {
        line.push_str("; Path=");
        line.push_str(&attributes.path);
    }
    if attributes.secure {
        line.push_str("; Secure");
    }
    if attributes.http_only {
        line.push_str("; HttpOnly");
    }
    line.push_str("; SameSite=");
    line.push_str(attributes.same_site.as_str());
    Ok(line)
}

/// The name of chunk `index` (1-based) of `name`: `name.index`.
pub fn chunk_name(name: &str, index: usize) -> String {
    let mut out = [name, "."].cat();
    crate::text::push_u64(&mut out, index as u64);
    out
}

/// The cookies (name, encoded value) that store `value` under `name` with at most `limit`
/// encoded bytes each (a limit under 3 counts as 3): `[(name, encoded)]` when it fits, else
/// `[(name, "~N"), (name.1, part), …, (name.N, part)]`.
pub fn split_value(name: &str, value: &str, limit: usize) -> Vec<(String, String)> {
    let encoded = encode(value);
    let limit = limit.max(3);
    if encoded.len() <= limit {
        return vec![(name.to_owned(), encoded)];
    }
    let mut parts = Vec::new();
    let mut rest = encoded.as_str();
    while !rest.is_empty() {
        let mut cut = limit.min(rest.len());
        // Never cut inside `%XX`: back up to the escape's start when one straddles the cut
        // (`cut ≥ 3` here, so the part stays non-empty).
        if cut < rest.len() {
            let window = cut.saturating_sub(2);
            if let Some(percent) = rest.get(window..cut).and_then(|t| t.find('%')) {
                cut = window + percent;
            }
        }
        let Some((part, tail)) = rest.split_at_checked(cut) else {
            break;
        };
        parts.push(part.to_owned());
        rest = tail;
    }
    let mut marker = String::from("~");
    crate::text::push_u64(&mut marker, parts.len() as u64);
    let mut cookies = Vec::with_capacity(parts.len() + 1);
    cookies.push((name.to_owned(), marker));
    let mut index = 0;
    for part in parts {
        index += 1;
        cookies.push((chunk_name(name, index), part));
    }
    cookies
}

/// How many chunks the marker of `name` announces, if it is one (read from the raw value, where
/// `~` only appears in a marker).
fn chunk_count(jar: &CookieMap, name: &str) -> Option<usize> {
    let count = crate::text::parse_u64(jar.get(name)?.strip_prefix('~')?)?;
    usize::try_from(count).ok()
}

/// The decoded value stored under `name`, joined from its chunks when it was split; `None` when
/// absent, when a chunk is missing, or when it does not decode to UTF-8.
pub fn reassemble(jar: &CookieMap, name: &str) -> Option<String> {
    let Some(count) = chunk_count(jar, name) else {
        return decode(jar.get(name)?);
    };
    let mut encoded = String::new();
    for index in 1..=count {
        encoded.push_str(jar.get(&chunk_name(name, index))?);
    }
    decode(&encoded)
}

/// The chunk cookies of `name` present in `jar` that a write of `new_count` chunks (0 when the
/// value is unchunked or removed) leaves stale: `name.K` for every `K > new_count`.
pub fn stale_chunks(jar: &CookieMap, name: &str, new_count: usize) -> Vec<String> {
    let prefix = [name, "."].cat();
    let mut stale = Vec::new();
    for key in jar.keys() {
        let index = key
            .strip_prefix(&prefix)
            .and_then(crate::text::parse_u64)
            .and_then(|index| usize::try_from(index).ok());
        if index.is_some_and(|index| index > new_count) {
            stale.push(key.clone());
        }
    }
    stale
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_and_keeps_jwt_characters() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln-_";
        assert_eq!(encode(jwt), jwt);
        assert_eq!(encode("a b;c=d~é"), "a%20b%3Bc%3Dd%7E%C3%A9");
        for text in ["", "plain", "a b;c=d,e\"f\\g~%", "Ωmega ✓", "%%41"] {
            assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        }
        assert_eq!(decode("100%").as_deref(), Some("100%"));
        assert_eq!(decode("%zz%4").as_deref(), Some("%zz%4"));
        assert_eq!(decode("%C3"), None);
    }

    #[test]
    fn parses_cookie_headers() {
        let jar = parse_cookie_header(
            " a=1; b = two ;novalue; =x; q=\"quoted\"; enc=%7E%20x; a=second; bad%=y; a.b.c=d",
        );
        let get = |name: &str| reassemble(&jar, name);
        assert_eq!(get("a").as_deref(), Some("1"));
        assert_eq!(get("b").as_deref(), Some("two"));
        assert_eq!(get("q").as_deref(), Some("quoted"));
        assert_eq!(jar.get("enc").map(String::as_str), Some("%7E%20x"));
        assert_eq!(get("enc").as_deref(), Some("~ x"));
        assert_eq!(get("a.b.c").as_deref(), Some("d"));
        assert_eq!(get("bad%").as_deref(), Some("y"));
        assert!(!jar.contains_key("novalue") && !jar.contains_key(""));
        assert!(parse_cookie_header("").is_empty());
    }

    #[test]
    fn formats_set_cookie_lines() {
        let attrs = CookieAttributes {
            max_age_s: Some(3600),
            ..CookieAttributes::default()
        };
        assert_eq!(
            format_set_cookie("n.a@b", "v", &attrs).unwrap(),
            "n.a%40b=v; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=Lax"
        );
        let loose = CookieAttributes {
            domain: Some("example.com".into()),
            path: "/app".into(),
            secure: false,
            http_only: false,
            same_site: SameSite::Strict,
            max_age_s: Some(-5),
        };
        assert_eq!(
            format_set_cookie("n", "", &loose).unwrap(),
            "n=; Max-Age=0; Domain=example.com; Path=/app; SameSite=Strict"
        );
        let none_insecure = CookieAttributes {
            same_site: SameSite::None,
            ..loose.clone()
        };
        assert_eq!(
            format_set_cookie("n", "v", &none_insecure),
            Err(CookieError::SameSiteNoneWithoutSecure)
        );
        let bad_path = CookieAttributes {
            path: "/; Domain=evil".into(),
            ..CookieAttributes::default()
        };
        assert_eq!(
            format_set_cookie("n", "v", &bad_path),
            Err(CookieError::InvalidAttribute("Path"))
        );
        assert_eq!(
            format_set_cookie("n", "a;b", &attrs),
            Err(CookieError::InvalidAttribute("value"))
        );
        assert_eq!(
            format_set_cookie("", "v", &attrs),
            Err(CookieError::EmptyName)
        );
        assert_eq!(SameSite::parse("NONE"), Some(SameSite::None));
        assert_eq!(SameSite::parse("sometimes"), None);
    }

    /// The jar a browser would send back after setting `cookies`.
    fn jar_of(cookies: &[(String, String)]) -> CookieMap {
        let header: Vec<String> = cookies.iter().map(|(n, v)| format!("{n}={v}")).collect();
        parse_cookie_header(&header.join("; "))
    }

    #[test]
    fn short_values_are_not_split() {
        let cookies = split_value("t", "short", 10);
        assert_eq!(cookies, vec![("t".to_owned(), "short".to_owned())]);
        assert_eq!(reassemble(&jar_of(&cookies), "t").as_deref(), Some("short"));
    }

    #[test]
    fn long_values_split_under_the_limit_and_reassemble() {
        // Escapes (`é` = %C3%A9, `~` = %7E) land on every possible cut position.
        let value: String = (0..500)
            .map(|i| ["a", "é", "~", "bc"][i % 4])
            .collect::<String>();
        for limit in [3, 4, 5, 7, 64, 1000] {
            let cookies = split_value("name.x", &value, limit);
            assert!(cookies.len() > 2, "limit {limit}");
            let count = cookies.len() - 1;
            assert_eq!(cookies[0], ("name.x".to_owned(), format!("~{count}")));
            for (i, (name, part)) in cookies.iter().enumerate().skip(1) {
                assert_eq!(name, &format!("name.x.{i}"));
                assert!(!part.is_empty() && part.len() <= limit, "limit {limit}");
            }
            assert_eq!(
                reassemble(&jar_of(&cookies), "name.x").as_deref(),
                Some(value.as_str()),
                "limit {limit}"
            );
        }
    }

    #[test]
    fn a_value_that_looks_like_a_marker_is_not_one() {
        for value in ["~2", "~", "~x"] {
            let cookies = split_value("t", value, 100);
            assert_eq!(cookies.len(), 1);
            assert_eq!(reassemble(&jar_of(&cookies), "t").as_deref(), Some(value));
        }
    }

    #[test]
    fn a_missing_chunk_reads_as_absent() {
        let mut jar = jar_of(&split_value("t", &"x".repeat(30), 10));
        assert!(reassemble(&jar, "t").is_some());
        jar.remove("t.2");
        assert_eq!(reassemble(&jar, "t"), None);
        assert_eq!(reassemble(&CookieMap::new(), "t"), None);
    }

    #[test]
    fn stale_chunks_are_those_past_the_new_count() {
        let jar = jar_of(&split_value("t", &"x".repeat(40), 10));
        assert_eq!(jar.len(), 5);
        assert_eq!(stale_chunks(&jar, "t", 2), vec!["t.3", "t.4"]);
        assert_eq!(stale_chunks(&jar, "t", 0).len(), 4);
        assert!(stale_chunks(&jar, "t", 4).is_empty());
        // Other cookies sharing the prefix are not chunks.
        let other = parse_cookie_header("t.idToken=1; t.x=2; t.1=3");
        assert_eq!(stale_chunks(&other, "t", 0), vec!["t.1"]);
    }
}

//! The cookies of one request plus the changes made while handling it, as `Set-Cookie` lines.
//! Long values are chunked ([`crate::cookie::split_value`]); a write or removal also expires the
//! chunks the previous value left behind.

use crate::cookie::{
    format_set_cookie, parse_cookie_header, reassemble, split_value, stale_chunks,
    CookieAttributes, CookieError, CookieMap,
};
use crate::map::VecMap;
use crate::prelude::*;

/// A request's cookies and the writes made since.
#[derive(Debug, Clone)]
pub struct CookieJar {
    /// The cookies as the browser will hold them after the response: raw (encoded) values.
    current: CookieMap,
    /// Names whose cookie changed: set when in `current`, deleted otherwise.
    changed: VecMap<String, ()>,
    attributes: CookieAttributes,
    chunk_limit: usize,
}

impl CookieJar {
    /// The jar of a `Cookie` header; writes get `attributes` and are split over cookies of at
    /// most `chunk_limit` encoded bytes.
    pub fn new(cookie_header: &str, attributes: CookieAttributes, chunk_limit: usize) -> Self {
        CookieJar {
            current: parse_cookie_header(cookie_header),
            changed: VecMap::new(),
            attributes,
            chunk_limit,
        }
    }

    /// The decoded value of `name`, written values included.
    pub fn get(&self, name: &str) -> Option<String> {
        reassemble(&self.current, name)
    }

    /// Stores `value` under `name` (and its chunks).
    pub fn set(&mut self, name: &str, value: &str) {
        let cookies = split_value(name, value, self.chunk_limit);
        let chunks = cookies.len().saturating_sub(1);
        self.forget(stale_chunks(&self.current, name, chunks));
        for (cookie, encoded) in cookies {
            self.changed.insert(cookie.clone(), ());
            self.current.insert(cookie, encoded);
        }
    }

    /// Deletes `name` and its chunks; a name the request did not carry (and nothing wrote)
    /// needs no `Set-Cookie`.
    pub fn remove(&mut self, name: &str) {
        let mut names = stale_chunks(&self.current, name, 0);
        if self.current.contains_key(name) {
            names.push(name.to_owned());
        }
        self.forget(names);
    }

    fn forget(&mut self, names: Vec<String>) {
        for name in names {
            self.current.remove(&name);
            self.changed.insert(name, ());
        }
    }

    /// Whether anything was written or removed.
    pub fn has_changes(&self) -> bool {
        !self.changed.is_empty()
    }

    /// One `Set-Cookie` line per changed cookie; deletions carry `Max-Age=0`.
    pub fn set_cookie_headers(&self) -> Result<Vec<String>, CookieError> {
        let delete = CookieAttributes {
            max_age_s: Some(0),
            ..self.attributes.clone()
        };
        let mut lines = Vec::new();
        for name in self.changed.keys() {
            lines.push(match self.current.get(name) {
                Some(encoded) => format_set_cookie(name, encoded, &self.attributes)?,
                None => format_set_cookie(name, "", &delete)?,
            });
        }
        Ok(lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jar(header: &str) -> CookieJar {
        let attributes = CookieAttributes {
            max_age_s: Some(60),
            ..CookieAttributes::default()
        };
        CookieJar::new(header, attributes, 10)
    }

    #[test]
    fn reads_and_writes_without_touching_unchanged_cookies() {
        let mut jar = jar("a=1; b=x%20y");
        assert_eq!(jar.get("b").as_deref(), Some("x y"));
        assert!(!jar.has_changes());
        jar.set("c", "new val");
        assert_eq!(jar.get("c").as_deref(), Some("new val"));
        assert_eq!(
            jar.set_cookie_headers().unwrap(),
            vec!["c=new%20val; Max-Age=60; Path=/; Secure; HttpOnly; SameSite=Lax"]
        );
    }

    #[test]
    fn shrinking_a_chunked_value_expires_its_stale_chunks() {
        // 25 bytes over a 10-byte limit: marker + 3 chunks.
        let long = "x".repeat(25);
        let mut first = jar("");
        first.set("t", &long);
        let sent: Vec<String> = first
            .set_cookie_headers()
            .unwrap()
            .iter()
            .map(|line| line.split(';').next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(sent.len(), 4);

        let mut next = jar(&sent.join("; "));
        assert_eq!(next.get("t").as_deref(), Some(long.as_str()));
        next.set("t", "short");
        assert_eq!(next.get("t").as_deref(), Some("short"));
        let lines = next.set_cookie_headers().unwrap();
        assert_eq!(lines.len(), 4);
        assert!(lines[0].starts_with("t=short; Max-Age=60"));
        for (line, chunk) in lines[1..].iter().zip(["t.1", "t.2", "t.3"]) {
            assert!(line.starts_with(&format!("{chunk}=; Max-Age=0;")), "{line}");
        }
    }

    #[test]
    fn removing_an_absent_cookie_sends_nothing() {
        let mut jar = jar("other=1");
        jar.remove("t");
        assert!(!jar.has_changes());
        assert_eq!(jar.set_cookie_headers().unwrap(), Vec::<String>::new());
    }

    #[test]
    fn removal_deletes_the_value_and_its_chunks() {
        let mut jar = jar("t=~2; t.1=abc; t.2=def; other=1");
        assert_eq!(jar.get("t").as_deref(), Some("abcdef"));
        jar.remove("t");
        assert_eq!(jar.get("t"), None);
        assert_eq!(jar.get("other").as_deref(), Some("1"));
        let lines = jar.set_cookie_headers().unwrap();
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| l.contains("=; Max-Age=0;")));
    }
}

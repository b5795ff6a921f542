//! The writer: request bodies and stored values, member by member, with no float formatting
//! (integers are written digit by digit).

use super::Value;
use crate::prelude::*;

/// Builds one JSON object. Members are written in call order; `opt_*` skip `None`.
///
/// `{"A":"x","B":{"C":true},"D":[{"E":"y"}]}` is written as
/// `w.string("A", "x"); w.begin_object("B"); w.bool("C", true); w.end_object();`
/// `w.begin_array("D"); w.begin_element(); w.string("E", "y"); w.end_object(); w.end_array();`
/// then `w.finish()`.
#[derive(Debug)]
pub struct Writer {
    out: String,
    /// Whether the next member or element needs a `,` first.
    comma: bool,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::object()
    }
}

impl Writer {
    /// An empty top-level object.
    pub fn object() -> Writer {
        let mut out = String::with_capacity(256);
        out.push('{');
        Writer { out, comma: false }
    }

    fn separate(&mut self) {
        if self.comma {
            self.out.push(',');
        }
        self.comma = true;
    }

    fn key(&mut self, key: &str) {
        self.separate();
        write_string(&mut self.out, key);
        self.out.push(':');
    }

    pub fn string(&mut self, key: &str, value: &str) {
        self.key(key);
        write_string(&mut self.out, value);
    }

    pub fn opt_string(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string(key, value);
        }
    }

    pub fn bool(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out.push_str(if value { "true" } else { "false" });
    }

    pub fn opt_bool(&mut self, key: &str, value: Option<bool>) {
        if let Some(value) = value {
            self.bool(key, value);
        }
    }

    pub fn uint(&mut self, key: &str, value: u64) {
        self.key(key);
        crate::text::push_u64(&mut self.out, value);
    }

    pub fn opt_uint(&mut self, key: &str, value: Option<u64>) {
        if let Some(value) = value {
            self.uint(key, value);
        }
    }

    /// `"key":{"name":"value",…}` of string pairs.
    pub fn string_map<'a>(
        &mut self,
        key: &str,
        pairs: &mut dyn Iterator<Item = (&'a str, &'a str)>,
    ) {
        self.begin_object(key);
        for (name, value) in pairs {
            self.string(name, value);
        }
        self.end_object();
    }

    /// `"key":["a","b",…]`.
    pub fn string_array(&mut self, key: &str, items: &[String]) {
        self.begin_array(key);
        for item in items {
            self.separate();
            write_string(&mut self.out, item);
        }
        self.end_array();
    }

    /// `"key":<value>`, any JSON value (a Cognito `Document` member).
    pub fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        write_value(&mut self.out, value);
    }

    /// `"key":{`, then members, then [`Writer::end_object`].
    pub fn begin_object(&mut self, key: &str) {
        self.key(key);
        self.out.push('{');
        self.comma = false;
    }

    pub fn end_object(&mut self) {
        self.out.push('}');
        self.comma = true;
    }

    /// `"key":[`, then elements ([`Writer::begin_element`]), then [`Writer::end_array`].
    pub fn begin_array(&mut self, key: &str) {
        self.key(key);
        self.out.push('[');
        self.comma = false;
    }

    /// An object element of the array being written; close it with [`Writer::end_object`].
    pub fn begin_element(&mut self) {
        self.separate();
        self.out.push('{');
        self.comma = false;
    }

    pub fn end_array(&mut self) {
        self.out.push(']');
        self.comma = true;
    }

    /// The text, the top-level object closed.
    pub fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// The host's `JSON.stringify` of a string, which [`write_string`] uses instead of its own
/// writer (`set_host_quoter`, host-json builds): the same text for every `&str` (the escapes below; no lone
/// surrogate can reach it).
pub type HostQuoter = fn(&str) -> String;

#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
static HOST_QUOTER: crate::local::Local<core::cell::Cell<Option<HostQuoter>>> =
    crate::local::Local::new(core::cell::Cell::new(None));

/// Makes [`write_string`] use `quoter` (built with the `host-json` feature on wasm32, where this
/// module's own string writer is then not linked; the JS layer registers one at start, before
/// any call).
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
pub fn set_host_quoter(quoter: HostQuoter) {
    HOST_QUOTER.set(Some(quoter));
}

/// Appends `text` as a JSON string: `"` and `\` escaped, U+0000–U+001F as `\b \f \n \r \t` or
/// `\u00xx`, everything else as is (serde_json's output, and `JSON.stringify`'s: with `host-json`
/// on wasm32, the registered [`HostQuoter`]'s; none registered writes nothing).
pub fn write_string(out: &mut String, text: &str) {
    #[cfg(all(feature = "host-json", target_arch = "wasm32"))]
    if let Some(quote) = HOST_QUOTER.get() {
        out.push_str(&quote(text));
    }
    #[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
    own_string(out, text);
}

/// This module's string writer ([`write_string`]'s escapes).
#[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
fn own_string(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices are whole UTF-8.
        out.push_str(text.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0xf));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(text.get(start..).unwrap_or_default());
    out.push('"');
}

#[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
fn hex_digit(nibble: u8) -> char {
    char::from_digit(u32::from(nibble), 16).unwrap_or('0')
}

/// Appends `value` (numbers as their source text, members in order, duplicates included).
pub(super) fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(object) => {
            out.push('{');
            for (i, (key, item)) in object.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::super::parse;
    use super::*;

    fn quoted(text: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, text);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut every_control: String = (0u8..0x20).map(char::from).collect();
        every_control.push_str("\"\\/\u{7f}\u{2028}é😀 plain");
        for text in [
            "",
            "plain",
            "a\"b",
            "a\\b",
            "line\nbreak",
            "\u{0}",
            &every_control,
        ] {
            assert_eq!(
                quoted(text),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
            assert_eq!(
                parse(&quoted(text)).unwrap(),
                Value::String(text.to_owned())
            );
        }
        assert_eq!(quoted("\u{1}\u{1f}\u{8}\u{c}"), r#""\u0001\u001f\b\f""#);
    }

    #[test]
    fn objects_nest() {
        let mut w = Writer::object();
        w.string("A", "x");
        w.opt_string("Skipped", None);
        w.begin_object("B");
        w.bool("C", true);
        w.opt_bool("D", Some(false));
        w.end_object();
        w.begin_array("E");
        w.begin_element();
        w.string("F", "y");
        w.end_object();
        w.begin_element();
        w.end_object();
        w.end_array();
        w.string_array("G", &["1".into(), "2".into()]);
        w.string_map("H", &mut [("k", "v"), ("l", "w")].into_iter());
        w.begin_object("I");
        w.end_object();
        w.uint("J", 0);
        w.opt_uint("K", Some(u64::MAX));
        w.uint("L", 1_000_000_007);
        let text = w.finish();
        assert_eq!(
            text,
            r#"{"A":"x","B":{"C":true,"D":false},"E":[{"F":"y"},{}],"G":["1","2"],"H":{"k":"v","l":"w"},"I":{},"J":0,"K":18446744073709551615,"L":1000000007}"#
        );
        let theirs: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(theirs["B"]["D"], false);
        assert_eq!(Writer::object().finish(), "{}");
    }

    #[test]
    fn values_round_trip() {
        for text in [
            r#"{"a":[1,-2.5e-3,true,false,null,"\u0001é"],"b":{},"c":[],"a":"dup"}"#,
            r#"[[[[]]],{"":""}]"#,
            r#""x""#,
            "123456789012345678901234567890",
        ] {
            let value = parse(text).unwrap();
            assert_eq!(value.to_json(), text);
            assert_eq!(parse(&value.to_json()).unwrap(), value);
        }
    }
}

//! The reader: one JSON text (RFC 8259) into a [`Value`], iteratively bounded by
//! [`MAX_INPUT_BYTES`] and [`MAX_DEPTH`].

// With the host's reader, only the number grammar of this one is used (`Number::new`).
#![cfg_attr(all(feature = "host-json", target_arch = "wasm32"), allow(dead_code))]

use crate::prelude::*;

use core::fmt;

use super::{Number, Object, Value};

/// The reader [`parse`] uses instead of its own (`set_host_reader`, host-json builds).
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
static HOST_READER: crate::local::Local<core::cell::Cell<Option<HostReader>>> =
    crate::local::Local::new(core::cell::Cell::new(None));

/// Longest text read: the transport's limit on an answer's body (1 MiB).
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// Deepest nesting of arrays and objects read (serde_json stops one level earlier, at 127).
pub const MAX_DEPTH: usize = 128;

/// Why a text is not JSON this reader accepts, and the byte offset where that showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// Byte offset into the input.
    pub at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// Longer than [`MAX_INPUT_BYTES`].
    TooLarge,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// The text ends inside a value (or is empty).
    UnexpectedEnd,
    /// Not the start of a value.
    ExpectedValue,
    /// An object member's name is not a string.
    ExpectedKey,
    ExpectedColon,
    /// After an array element: neither `,` nor `]`.
    ExpectedCommaOrBracket,
    /// After an object member: neither `,` nor `}`.
    ExpectedCommaOrBrace,
    InvalidNumber,
    /// `\` followed by anything but `"\/bfnrtu`, or `\u` without four hex digits.
    InvalidEscape,
    /// A `\u` escape of a UTF-16 surrogate that has no partner.
    LoneSurrogate,
    /// An unescaped U+0000–U+001F inside a string.
    ControlCharacter,
    /// Bytes that are not UTF-8.
    InvalidUtf8,
    /// Anything but whitespace after the value.
    TrailingCharacters,
    /// The host's reader (`set_host_reader`, host-json builds) refused the text (or none is registered).
    NotJson,
}

impl ParseError {
    /// `<what> at byte <at>`, or `not JSON`: the `Display` text, built without `core::fmt`.
    pub fn message(&self) -> String {
        let what = match self.kind {
            ParseErrorKind::TooLarge => "text over the 1048576-byte limit",
            ParseErrorKind::TooDeep => "nesting deeper than 128",
            ParseErrorKind::InvalidNumber => "invalid number",
            ParseErrorKind::InvalidUtf8 => "invalid UTF-8",
            kind => match syntax_error(kind) {
                Some(what) => what,
                None => return "not JSON".to_owned(),
            },
        };
        let mut out = [what, " at byte "].cat();
        crate::text::push_u64(&mut out, self.at as u64);
        out
    }
}

/// Where the host reads JSON this module's reader is not linked, so the errors only it finds
/// cannot arise: no texts for them there.
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
fn syntax_error(_: ParseErrorKind) -> Option<&'static str> {
    None
}

/// What the errors only this module's reader finds say (`None` for [`ParseErrorKind::NotJson`]).
#[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
fn syntax_error(kind: ParseErrorKind) -> Option<&'static str> {
    Some(match kind {
        ParseErrorKind::UnexpectedEnd => "unexpected end of the text",
        ParseErrorKind::ExpectedValue => "expected a value",
        ParseErrorKind::ExpectedKey => "expected a string key",
        ParseErrorKind::ExpectedColon => "expected `:`",
        ParseErrorKind::ExpectedCommaOrBracket => "expected `,` or `]`",
        ParseErrorKind::ExpectedCommaOrBrace => "expected `,` or `}`",
        ParseErrorKind::InvalidEscape => "invalid escape",
        ParseErrorKind::LoneSurrogate => "lone surrogate in a \\u escape",
        ParseErrorKind::ControlCharacter => "control character in a string",
        ParseErrorKind::TrailingCharacters => "trailing characters",
        _ => return None,
    })
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for ParseError {}

/// A reader of one JSON text that stands in for this module's own: the host's `JSON.parse`
/// (`src/js/host_json.rs`), given only texts of at most [`MAX_INPUT_BYTES`] bytes. It answers
/// the same [`Value`] for what both read, fails on the texts this reader refuses but for the
/// differences `docs/json.md` lists, and nests at most [`MAX_DEPTH`] deep.
pub type HostReader = fn(&str) -> Result<Value, ParseError>;

/// Makes [`parse`] use `reader` (built with the `host-json` feature on wasm32, where this
/// module's own reader is then not linked: until a reader is registered, every text is
/// [`ParseErrorKind::NotJson`]).
#[cfg(all(feature = "host-json", target_arch = "wasm32"))]
pub fn set_host_reader(reader: HostReader) {
    HOST_READER.set(Some(reader));
}

/// Reads `text` as one JSON value (with the `host-json` feature on wasm32: through the
/// registered [`HostReader`]).
pub fn parse(text: &str) -> Result<Value, ParseError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ParseError {
            kind: ParseErrorKind::TooLarge,
            at: MAX_INPUT_BYTES,
        });
    }
    #[cfg(all(feature = "host-json", target_arch = "wasm32"))]
    return match HOST_READER.get() {
        Some(reader) => reader(text),
        None => Err(ParseError {
            kind: ParseErrorKind::NotJson,
            at: 0,
        }),
    };
    #[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
    own_parse(text)
}

/// This module's reader, the size limit checked.
#[cfg(not(all(feature = "host-json", target_arch = "wasm32")))]
fn own_parse(text: &str) -> Result<Value, ParseError> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(parser.error(ParseErrorKind::TrailingCharacters));
    }
    Ok(value)
}

/// Reads `bytes` (UTF-8) as one JSON value.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, ParseError> {
    match core::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(e) => Err(ParseError {
            kind: ParseErrorKind::InvalidUtf8,
            at: e.valid_up_to(),
        }),
    }
}

/// Whether `text` is exactly one number by RFC 8259's grammar.
pub(super) fn is_number(text: &str) -> bool {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    };
    parser.number_end().is_ok() && parser.pos == text.len()
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, kind: ParseErrorKind) -> ParseError {
        let kind = if self.pos >= self.bytes.len() && kind != ParseErrorKind::TrailingCharacters {
            ParseErrorKind::UnexpectedEnd
        } else {
            kind
        };
        ParseError { kind, at: self.pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` after any whitespace.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn value(&mut self) -> Result<Value, ParseError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.container(true),
            Some(b'[') => self.container(false),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                self.number_end()?;
                let text = self.text.get(start..self.pos).unwrap_or_default();
                Ok(Value::Number(Number(text.to_owned())))
            }
            _ => Err(self.error(ParseErrorKind::ExpectedValue)),
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.error(ParseErrorKind::ExpectedValue))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(ParseErrorKind::TooDeep));
        }
        self.pos += 1;
        Ok(())
    }

    /// An array (`object` false) or an object, the opening bracket at `pos`: its elements, or
    /// its members, up to the matching close.
    fn container(&mut self, object: bool) -> Result<Value, ParseError> {
        self.enter()?;
        let (close, expected_separator) = match object {
            true => (b'}', ParseErrorKind::ExpectedCommaOrBrace),
            false => (b']', ParseErrorKind::ExpectedCommaOrBracket),
        };
        let mut items = Vec::new();
        let mut members = Vec::new();
        if !self.eat(close) {
            loop {
                if object {
                    self.skip_whitespace();
                    if self.peek() != Some(b'"') {
                        return Err(self.error(ParseErrorKind::ExpectedKey));
                    }
                    let key = self.string()?;
                    if !self.eat(b':') {
                        return Err(self.error(ParseErrorKind::ExpectedColon));
                    }
                    members.push((key, self.value()?));
                } else {
                    items.push(self.value()?);
                }
                if self.eat(close) {
                    break;
                }
                if !self.eat(b',') {
                    return Err(self.error(expected_separator));
                }
            }
        }
        self.depth -= 1;
        Ok(match object {
            true => Value::Object(Object(members)),
            false => Value::Array(items),
        })
    }

    /// A string, the opening `"` at `pos`.
    fn string(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            let rest = self.bytes.get(start..).unwrap_or_default();
            self.pos += rest
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(rest.len());
            // The run ends at an ASCII byte or the end, so it is whole UTF-8.
            out.push_str(self.text.get(start..self.pos).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error(ParseErrorKind::ControlCharacter)),
                None => return Err(self.error(ParseErrorKind::UnexpectedEnd)),
            }
        }
    }

    /// The character of the escape after a `\`.
    fn escape(&mut self) -> Result<char, ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            _ => return Err(self.error(ParseErrorKind::InvalidEscape)),
        };
        self.pos += 1;
        Ok(c)
    }

    /// `uXXXX`, or a surrogate pair `uD8xx\uDCxx`, the `u` at `pos`.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let start = self.pos - 1;
        let high = self.hex4()?;
        let code = match high {
            0xD800..=0xDBFF => {
                let pair = self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u");
                if !pair {
                    return Err(ParseError {
                        kind: ParseErrorKind::LoneSurrogate,
                        at: start,
                    });
                }
                self.pos += 1;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(ParseError {
                        kind: ParseErrorKind::LoneSurrogate,
                        at: start,
                    });
                }
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(ParseError {
                    kind: ParseErrorKind::LoneSurrogate,
                    at: start,
                })
            }
            _ => high,
        };
        char::from_u32(code).ok_or(ParseError {
            kind: ParseErrorKind::LoneSurrogate,
            at: start,
        })
    }

    /// Four hex digits after the `u` at `pos`.
    fn hex4(&mut self) -> Result<u32, ParseError> {
        self.pos += 1;
        let mut code = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| char::from(b).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.error(ParseErrorKind::InvalidEscape));
            };
            code = code * 16 + digit;
            self.pos += 1;
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Moves past one number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number_end(&mut self) -> Result<(), ParseError> {
        let invalid = |p: &Self| Err(p.error(ParseErrorKind::InvalidNumber));
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return invalid(self),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return invalid(self);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return invalid(self);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;

    fn kind(text: &str) -> ParseErrorKind {
        parse(text).unwrap_err().kind
    }

    fn string(text: &str) -> String {
        match parse(text).unwrap() {
            Value::String(s) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn escapes() {
        assert_eq!(string(r#""a\"b\\c\/d""#), "a\"b\\c/d");
        assert_eq!(string(r#""\b\f\n\r\t""#), "\u{8}\u{c}\n\r\t");
        assert_eq!(string(r#""\u0041\u00e9\u20AC""#), "Aé€");
        assert_eq!(string(r#""\u0000""#), "\0");
        assert_eq!(string(r#""\uD83D\uDE00""#), "😀");
        assert_eq!(string(r#""\ud83d\ude00x""#), "😀x");
        assert_eq!(string(r#""\uDBFF\uDFFF""#), "\u{10FFFF}");
        assert_eq!(string("\"é😀 raw\""), "é😀 raw");
        assert_eq!(string("\"\u{7f}\""), "\u{7f}", "DEL needs no escape");
        for bad in [r#""\x""#, r#""\u12""#, r#""\u12G4""#, r#""\U0041""#, "\"\\"] {
            assert!(
                matches!(
                    kind(bad),
                    ParseErrorKind::InvalidEscape | ParseErrorKind::UnexpectedEnd
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn lone_surrogates_are_refused() {
        for bad in [
            r#""\uD83D""#,
            r#""\uD83Dx""#,
            r#""\uD83D\u0041""#,
            r#""\uDE00""#,
            r#""\uDE00\uD83D""#,
            r#""\uD83D\uD83D""#,
        ] {
            assert_eq!(kind(bad), ParseErrorKind::LoneSurrogate, "{bad:?}");
        }
    }

    #[test]
    fn malformed() {
        use ParseErrorKind::*;
        for (text, expected) in [
            ("", UnexpectedEnd),
            ("   ", UnexpectedEnd),
            ("{", UnexpectedEnd),
            ("{\"a\"", UnexpectedEnd),
            ("{\"a\":", UnexpectedEnd),
            ("[1,", UnexpectedEnd),
            ("\"abc", UnexpectedEnd),
            ("{,}", ExpectedKey),
            ("{a:1}", ExpectedKey),
            ("{1:1}", ExpectedKey),
            ("{\"a\" 1}", ExpectedColon),
            ("{\"a\":1,}", ExpectedKey),
            ("{\"a\":1 \"b\":2}", ExpectedCommaOrBrace),
            ("[1,]", ExpectedValue),
            ("[1 2]", ExpectedCommaOrBracket),
            ("[,1]", ExpectedValue),
            ("tru", ExpectedValue),
            ("nul", ExpectedValue),
            ("True", ExpectedValue),
            ("NaN", ExpectedValue),
            ("Infinity", ExpectedValue),
            ("'a'", ExpectedValue),
            ("<html>", ExpectedValue),
            ("01", TrailingCharacters),
            ("1.", UnexpectedEnd),
            ("1.x", InvalidNumber),
            ("-", UnexpectedEnd),
            ("-x", InvalidNumber),
            ("1e", UnexpectedEnd),
            ("+1", ExpectedValue),
            (".5", ExpectedValue),
            ("{} {}", TrailingCharacters),
            ("1 2", TrailingCharacters),
            ("\u{feff}{}", ExpectedValue),
            ("\"a\nb\"", ControlCharacter),
            ("\"a\tb\"", ControlCharacter),
            ("[1]\0", TrailingCharacters),
        ] {
            assert_eq!(kind(text), expected, "{text:?}");
        }
        let e = parse("{\"a\":tru}").unwrap_err();
        assert_eq!(e.to_string(), "expected a value at byte 5");
        assert_eq!(
            parse_bytes(&[b'"', 0xff, b'"']).unwrap_err(),
            ParseError {
                kind: InvalidUtf8,
                at: 1
            }
        );
    }

    #[test]
    fn whitespace_is_rfc_8259s() {
        assert_eq!(parse(" \t\r\n[ 1 , 2 ]\n ").unwrap().to_json(), "[1,2]");
        assert_eq!(kind("\u{a0}1"), ParseErrorKind::ExpectedValue);
        assert_eq!(kind("[1\u{b}]"), ParseErrorKind::ExpectedCommaOrBracket);
    }

    #[test]
    fn depth_limit() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&deep(MAX_DEPTH)).is_ok());
        assert_eq!(kind(&deep(MAX_DEPTH + 1)), ParseErrorKind::TooDeep);
        let objects = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(parse(&objects).is_ok());
        let objects = format!("{}1{}", "{\"a\":".repeat(200), "}".repeat(200));
        assert_eq!(kind(&objects), ParseErrorKind::TooDeep);
        // Far deeper than any stack would take, refused at the limit without recursing further.
        assert_eq!(kind(&"[".repeat(MAX_INPUT_BYTES)), ParseErrorKind::TooDeep);
        // Siblings do not add up.
        let wide = format!("[{}]", vec![deep(100); 1000].join(","));
        assert!(parse(&wide).is_ok());
    }

    #[test]
    fn size_limit() {
        let padded = |len: usize| format!("\"{}\"", "a".repeat(len - 2));
        assert!(parse(&padded(MAX_INPUT_BYTES)).is_ok());
        assert_eq!(
            parse(&padded(MAX_INPUT_BYTES + 1)).unwrap_err(),
            ParseError {
                kind: ParseErrorKind::TooLarge,
                at: MAX_INPUT_BYTES
            }
        );
    }

    #[test]
    fn big_numbers_read_back_exactly() {
        for text in [
            "0",
            "-0",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "18446744073709551616",
            "123456789012345678901234567890123456789",
            "1.7976931348623157e308",
            "1e400",
            "-1E-400",
            "0.1000000000000000055511151231257827",
            "1E+2",
        ] {
            let value = parse(text).unwrap();
            assert_eq!(value.to_json(), text);
            assert_eq!(value.as_number().unwrap().as_str(), text);
        }
        let n = |t: &str| parse(t).unwrap().as_number().unwrap().clone();
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("1700000000.123").as_f64(), Some(1_700_000_000.123));
    }
}

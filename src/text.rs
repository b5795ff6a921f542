//! Text by bytes: `contains` for a `&str` needle without core's substring searcher, integers
//! written digit by digit (no `core::fmt` integer formatting in shipped messages), and UTF-8
//! decoded char by char.

use crate::prelude::*;
/// Whether `needle` occurs in `haystack` (byte for byte; an empty needle always does).
pub fn contains(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window == needle)
}

/// `text` split around its first `byte` (with `last`: its last), which must be ASCII (so both
/// halves are `str`): `split_once`/`rsplit_once` of an ASCII `char`, without the char searcher.
pub fn split_ascii(text: &str, byte: u8, last: bool) -> Option<(&str, &str)> {
    let mut at = None;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b == byte {
            at = Some(i);
            if !last {
                break;
            }
        }
    }
    let at = at?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// `text` without the trailing run of `byte`, which must be ASCII: `trim_end_matches` of an
/// ASCII `char`.
pub fn trim_end_ascii(text: &str, byte: u8) -> &str {
    let mut end = text.len();
    while end > 0 && text.as_bytes().get(end - 1) == Some(&byte) {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

/// Appends the decimal digits of `value`.
pub fn push_u64(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
        start -= 1;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits.iter().skip(start) {
        out.push(char::from(digit));
    }
}

/// Appends `value` in decimal, with `-` when negative.
pub fn push_i64(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    push_u64(out, value.unsigned_abs());
}

/// `text` as `str::parse::<u64>` reads it (an optional `+`, then one or more ASCII digits, within
/// `u64`), without core's generic parser.
pub fn parse_u64(text: &str) -> Option<u64> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for byte in digits.bytes() {
        let digit = byte.checked_sub(b'0').filter(|d| *d < 10)?;
        // `value · 10 + digit` when within `u64` (no 128-bit product on wasm32).
        if value > (u64::MAX - u64::from(digit)) / 10 {
            return None;
        }
        value = value * 10 + u64::from(digit);
    }
    Some(value)
}

/// `text` as `str::parse::<i64>` reads it (an optional `+` or `-`, then one or more ASCII
/// digits, within `i64`).
pub fn parse_i64(text: &str) -> Option<i64> {
    match text.strip_prefix('-') {
        Some(digits) if !digits.starts_with('+') => {
            let magnitude = parse_u64(digits)?;
            0i64.checked_sub_unsigned(magnitude)
        }
        Some(_) => None,
        None => i64::try_from(parse_u64(text)?).ok(),
    }
}

/// `value` in decimal.
pub fn decimal(value: i64) -> String {
    let mut out = String::new();
    push_i64(&mut out, value);
    out
}

/// `bytes` as text when they are UTF-8 (`String::from_utf8`'s rules: no overlong form, no
/// surrogate, nothing past U+10FFFF), decoded char by char: without core's word-at-a-time
/// validator (one decoder for every reader).
pub fn utf8(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while let [first, tail @ ..] = rest {
        // The continuation bytes that follow `first`, the least code point they may encode, and
        // `first`'s bits.
        let (follow, least, bits) = match *first {
            0x00..=0x7F => (0, 0, *first),
            0xC2..=0xDF => (1, 0x80, first & 0x1F),
            0xE0..=0xEF => (2, 0x800, first & 0x0F),
            0xF0..=0xF4 => (3, 0x1_0000, first & 0x07),
            _ => return None,
        };
        let mut code = u32::from(bits);
        for &byte in tail.get(..follow)? {
            if byte & 0xC0 != 0x80 {
                return None;
            }
            code = code << 6 | u32::from(byte & 0x3F);
        }
        if code < least {
            return None;
        }
        // `None` for a surrogate or past U+10FFFF.
        out.push(char::from_u32(code)?);
        rest = tail.get(follow..)?;
    }
    Some(out)
}

/// `parts` joined into one `String` (as `[S]::concat`, without its overflow `expect` and slice
/// copies: one `push_str` per part).
pub trait Cat {
    fn cat(&self) -> String;
}

impl<S: AsRef<str>> Cat for [S] {
    fn cat(&self) -> String {
        let mut out = String::new();
        for part in self {
            out.push_str(part.as_ref());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::{
        contains, decimal, parse_i64, parse_u64, push_u64, split_ascii, trim_end_ascii, utf8,
    };

    #[test]
    fn trims_as_trim_end_matches_does() {
        for text in ["", "=", "==", "a", "a=", "a==", "=a=", "é=", "ü"] {
            assert_eq!(
                trim_end_ascii(text, b'='),
                text.trim_end_matches('='),
                "{text}"
            );
        }
    }

    #[test]
    fn splits_as_split_once_and_rsplit_once_do() {
        for text in ["", "a", "#", "a#b", "a#b#c", "##", "é#ü#", "x:y:z", "é:"] {
            for c in ['#', ':'] {
                assert_eq!(
                    split_ascii(text, c as u8, false),
                    text.split_once(c),
                    "{text}"
                );
                assert_eq!(
                    split_ascii(text, c as u8, true),
                    text.rsplit_once(c),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn integers_parse_as_str_parse_reads_them() {
        for text in [
            "",
            "+",
            "-",
            "0",
            "-0",
            "+0",
            "7",
            "+7",
            "-7",
            "007",
            "12a",
            " 1",
            "1 ",
            "--1",
            "-+1",
            "+-1",
            "++1",
            "1_000",
            "٣",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999",
        ] {
            assert_eq!(parse_u64(text), text.parse::<u64>().ok(), "{text:?}");
            assert_eq!(parse_i64(text), text.parse::<i64>().ok(), "{text:?}");
        }
    }

    #[test]
    fn integers_as_display_writes_them() {
        for value in [0, 1, -1, 9, 10, -10, 1234567890, i64::MAX, i64::MIN] {
            assert_eq!(decimal(value), value.to_string());
        }
        for value in [0, 7, 1_000_000, u64::MAX] {
            let mut out = String::from("x");
            push_u64(&mut out, value);
            assert_eq!(out, format!("x{value}"));
        }
    }

    #[test]
    fn finds_a_needle_as_str_contains_does() {
        for (haystack, needle) in [
            (r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#, "\"EMAIL_OTP\""),
            ("Device does not exist.", "evice"),
            ("", ""),
            ("ab", ""),
            ("a", "ab"),
            ("déjà vu", "jà"),
            ("EMAIL_OTP_X", "\"EMAIL_OTP\""),
        ] {
            assert_eq!(
                contains(haystack, needle),
                haystack.contains(needle),
                "{haystack} {needle}"
            );
        }
    }

    /// Every sequence of one to three bytes, every four-byte sequence that starts with a lead byte
    /// of four or with a lead of two or three then ASCII, and longer texts: as `String::from_utf8`.
    #[test]
    fn utf8_is_string_from_utf8() {
        let same = |bytes: &[u8]| {
            assert_eq!(
                utf8(bytes),
                String::from_utf8(bytes.to_vec()).ok(),
                "{bytes:02x?}"
            )
        };
        same(b"");
        for a in 0..=255u8 {
            same(&[a]);
            for b in 0..=255u8 {
                same(&[a, b]);
                for c in 0..=255u8 {
                    same(&[a, b, c]);
                }
            }
        }
        for a in 0xF0..=0xFFu8 {
            for b in 0x70..=0xC0u8 {
                for c in 0x70..=0xC0u8 {
                    for d in [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF] {
                        same(&[a, b, c, d]);
                    }
                }
            }
        }
        for text in [
            "{\"sub\":\"é\u{1F600}x\"}",
            "\u{10FFFF}\u{FFFF}\u{800}\u{7FF}\u{80}\u{7F}",
        ] {
            same(text.as_bytes());
            let bytes = text.as_bytes();
            for cut in 0..=bytes.len() {
                same(bytes.get(..cut).unwrap());
                same(bytes.get(cut..).unwrap());
            }
        }
    }

    #[test]
    fn cat_joins_parts_of_any_str_type() {
        use super::Cat;
        let owned = String::from("b");
        assert_eq!(["a", &owned, "", "cd"].cat(), "abcd");
        assert_eq!([String::from("x"), String::from("y")].cat(), "xy");
        let none: [&str; 0] = [];
        assert_eq!(none.cat(), "");
    }
}

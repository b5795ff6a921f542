//! Cognito's integer encodings.
//!
//! `hex(n)` is the *signed minimal* big-endian encoding (Java's `BigInteger.toByteArray()` in hex):
//! the magnitude's hex digits, a `0` prepended if their count is odd, then `00` prepended if the
//! first digit is 8–f so the value never reads as negative. It is not padded to the width of N.

use crate::prelude::*;
use cognito_wasm_modexp::Uint;

use super::SrpError;

/// `hex(n)`, lowercase: the lowercase hex of [`to_signed_bytes`] (two digits a byte).
pub fn to_hex(n: &Uint) -> String {
    let bytes = to_signed_bytes(n);
    let mut out = String::with_capacity(2 * bytes.len());
    for b in bytes {
        for nibble in [b >> 4, b & 15] {
            let c = if nibble < 10 { b'0' } else { b'a' - 10 } + nibble;
            out.push(char::from(c));
        }
    }
    out
}

/// `bytes(hex(n))`: the big-endian magnitude with a `0x00` prepended when its top bit is set.
/// Zero is one `0x00`.
pub fn to_signed_bytes(n: &Uint) -> Vec<u8> {
    let magnitude = n.as_bytes_be();
    let mut bytes = Vec::with_capacity(magnitude.len() + 1);
    if magnitude.first().is_none_or(|&b| b >= 0x80) {
        bytes.push(0);
    }
    bytes.extend_from_slice(magnitude);
    bytes
}

/// The value of one ASCII hex digit, either case.
fn digit(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// The big-endian bytes of a hex digit string (an odd count reads as if a `0` led it);
/// `None` when a character is not a hex digit.
pub(crate) fn hex_bytes(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len().div_ceil(2));
    let mut acc: u8 = 0;
    let mut half = text.len() % 2 == 1;
    for &c in text {
        acc = (acc << 4) | digit(c)?;
        if half {
            out.push(acc);
            acc = 0;
        }
        half = !half;
    }
    Some(out)
}

/// Parses a non-negative integer sent as hex by the server (`SALT`, `SRP_B`).
///
/// Accepts upper- and lowercase digits and leading zeros; rejects an empty string, a sign, any
/// other character, and more than `max_digits` digits.
pub fn parse_hex(field: &'static str, text: &str, max_digits: usize) -> Result<Uint, SrpError> {
    let bytes = (!text.is_empty() && text.len() <= max_digits)
        .then(|| hex_bytes(text.as_bytes()))
        .flatten()
        .ok_or(SrpError::InvalidHex { field })?;
    Ok(Uint::from_vec(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn n(hex: &str) -> Uint {
        Uint::from_vec(
            BigUint::parse_bytes(hex.as_bytes(), 16)
                .unwrap()
                .to_bytes_be(),
        )
    }

    #[test]
    fn signed_minimal_encoding() {
        for (value, expected) in [
            ("0", "00"),
            ("1", "01"),
            ("7f", "7f"),
            ("80", "0080"),
            ("fff", "0fff"),
            ("8000", "008000"),
            ("0000abc", "0abc"),
            ("00ff", "00ff"),
        ] {
            assert_eq!(to_hex(&n(value)), expected, "hex({value})");
            let bytes: Vec<u8> = (0..expected.len() / 2)
                .map(|i| u8::from_str_radix(&expected[2 * i..2 * i + 2], 16).unwrap())
                .collect();
            assert_eq!(to_signed_bytes(&n(value)), bytes, "bytes(hex({value}))");
        }
    }

    #[test]
    fn parse_rejects_what_is_not_plain_hex() {
        for bad in ["", "-1f", "+1f", "0x1f", "12 34", "zz", "１２"] {
            assert_eq!(
                parse_hex("SALT", bad, 64),
                Err(SrpError::InvalidHex { field: "SALT" }),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_hex("SRP_B", &"f".repeat(65), 64),
            Err(SrpError::InvalidHex { field: "SRP_B" })
        );
        assert_eq!(parse_hex("SALT", "00Ab", 64), Ok(n("ab")));
    }

    #[test]
    fn agrees_with_num_bigint_radix_conversions() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..80usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 24) as u8
                })
                .collect();
            let reference_value = BigUint::from_bytes_be(&bytes);
            let value = Uint::from_bytes_be(&bytes);
            let mut reference = reference_value.to_str_radix(16);
            if reference.len() % 2 == 1 {
                reference.insert(0, '0');
            }
            if matches!(reference.as_bytes().first(), Some(b'8'..=b'f')) {
                reference.insert_str(0, "00");
            }
            assert_eq!(to_hex(&value), reference);
            let digits = reference_value.to_str_radix(16);
            for text in [
                digits.clone(),
                digits.to_uppercase(),
                format!("000{digits}"),
            ] {
                assert_eq!(parse_hex("SRP_B", &text, 400), Ok(value.clone()), "{text}");
            }
        }
    }
}

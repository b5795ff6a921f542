//! Cognito's integer encodings.
//!
//! `hex(n)` is the *signed minimal* big-endian encoding (Java's `BigInteger.toByteArray()` in hex):
//! the magnitude's hex digits, a `0` prepended if their count is odd, then `00` prepended if the
//! first digit is 8–f so the value never reads as negative. It is not padded to the width of N.

use num_bigint::BigUint;

use super::SrpError;

/// `hex(n)`, lowercase.
pub fn to_hex(n: &BigUint) -> String {
    let mut digits = n.to_str_radix(16);
    if digits.len() % 2 == 1 {
        digits.insert(0, '0');
    }
    if matches!(digits.as_bytes().first(), Some(b'8'..=b'f')) {
        digits.insert_str(0, "00");
    }
    digits
}

/// `bytes(hex(n))`: the big-endian magnitude with a `0x00` prepended when its top bit is set.
pub fn to_signed_bytes(n: &BigUint) -> Vec<u8> {
    let mut bytes = n.to_bytes_be();
    if bytes.first().is_some_and(|&b| b >= 0x80) {
        bytes.insert(0, 0);
    }
    bytes
}

/// Parses a non-negative integer sent as hex by the server (`SALT`, `SRP_B`).
///
/// Accepts upper- and lowercase digits and leading zeros; rejects an empty string, a sign, any
/// other character, and more than `max_digits` digits.
pub fn parse_hex(field: &'static str, text: &str, max_digits: usize) -> Result<BigUint, SrpError> {
    if text.is_empty() || text.len() > max_digits || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(SrpError::InvalidHex { field });
    }
    BigUint::parse_bytes(text.as_bytes(), 16).ok_or(SrpError::InvalidHex { field })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(hex: &str) -> BigUint {
        BigUint::parse_bytes(hex.as_bytes(), 16).unwrap()
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
}

//! Base64 (RFC 4648) in a few lines instead of the `base64` crate's engine (its decoder alone is
//! 3.6 KB of the session module; the crate is this module's reference in the tests below), in the
//! four forms the crate uses, each as the `base64` crate writes or reads it:
//! - [`encode`]: standard alphabet, padded (`SECRET_HASH`, SRP signatures, device secrets, a
//!   Basic authorization); [`decode`] reads it with canonical padding only (`SECRET_BLOCK`).
//! - [`encode_url`]: base64url, unpadded (WebAuthn, PKCE); [`decode_url`] reads it without
//!   padding (a JWT's parts, a JWKS key's `n` and `e`), [`decode_url_lenient`] with or without
//!   (WebAuthn).

use crate::prelude::*;
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn encode_with(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let symbol = |six: u32| {
        alphabet
            .get((six & 63) as usize)
            .map_or('=', |&b| char::from(b))
    };
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        for (slot, byte) in group.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        let [a, b, c] = group.map(u32::from);
        let n = a << 16 | b << 8 | c;
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            match i <= chunk.len() {
                true => out.push(symbol(n >> shift)),
                false if pad => out.push('='),
                false => {}
            }
        }
    }
    out
}

/// Standard alphabet, padded (the crate's `STANDARD`).
pub fn encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD, true)
}

/// base64url, unpadded (the crate's `URL_SAFE_NO_PAD`).
pub fn encode_url(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SAFE, false)
}

/// Unpadded text over `alphabet`: `None` for any other byte, a length of `4k + 1`, or a last
/// symbol whose unused bits are not zero.
fn decode_unpadded(text: &str, alphabet: &[u8; 64]) -> Option<Vec<u8>> {
    let (sixty_two, sixty_three) = match alphabet.get(62..) {
        Some(&[a, b]) => (a, b),
        _ => return None,
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    // `bits` pending bits of `pending`, fewer than 8 after each symbol.
    let (mut pending, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            _ if b == sixty_two => 62,
            _ if b == sixty_three => 63,
            _ => return None,
        };
        pending = pending << 6 | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((pending >> bits) as u8);
            pending &= (1 << bits) - 1;
        }
    }
    (bits < 6 && pending == 0).then_some(out)
}

/// `text` without its trailing `=`, if there are at most as many as its length calls for (all
/// of them with `canonical`).
fn unpad(text: &str, canonical: bool) -> Option<&str> {
    let data = crate::text::trim_end_ascii(text, b'=');
    let padding = text.len() - data.len();
    let needed = (4 - data.len() % 4) % 4;
    let fits = match canonical {
        true => padding == needed,
        false => padding <= needed && (padding == 0 || needed < 3),
    };
    fits.then_some(data)
}

/// Standard alphabet with canonical padding (the crate's `STANDARD`).
pub fn decode(text: &str) -> Option<Vec<u8>> {
    decode_unpadded(unpad(text, true)?, STANDARD)
}

/// base64url without padding (the crate's `URL_SAFE_NO_PAD`).
pub fn decode_url(text: &str) -> Option<Vec<u8>> {
    decode_unpadded(text, URL_SAFE)
}

/// base64url, padded or not (the crate's `URL_SAFE` with `DecodePaddingMode::Indifferent`).
pub fn decode_url_lenient(text: &str) -> Option<Vec<u8>> {
    decode_unpadded(unpad(text, false)?, URL_SAFE)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD as CRATE_STANDARD, URL_SAFE_NO_PAD};
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;

    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );

    fn rng(mut seed: u32) -> impl FnMut() -> u32 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        }
    }

    #[test]
    fn encodes_and_decodes_as_the_base64_crate() {
        let mut next = rng(0x9e37_79b9);
        let symbols = b"AQgw_-Zz09+/===.\n \x80";
        for len in 0..40 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let standard = CRATE_STANDARD.encode(&bytes);
                let url = URL_SAFE_NO_PAD.encode(&bytes);
                assert_eq!(encode(&bytes), standard);
                assert_eq!(encode_url(&bytes), url);
                assert_eq!(decode(&standard), Some(bytes.clone()), "{standard}");
                assert_eq!(decode_url(&url), Some(bytes.clone()), "{url}");
                assert_eq!(decode_url_lenient(&url), Some(bytes.clone()), "{url}");
                // Random texts over valid and invalid symbols: the same verdict and bytes.
                let garbled: String = (0..len)
                    .map(|_| char::from(symbols[next() as usize % symbols.len()]))
                    .collect();
                let g = garbled.as_str();
                assert_eq!(decode(g), CRATE_STANDARD.decode(g).ok(), "{g:?}");
                assert_eq!(decode_url(g), URL_SAFE_NO_PAD.decode(g).ok(), "{g:?}");
                assert_eq!(decode_url_lenient(g), LENIENT.decode(g).ok(), "{g:?}");
            }
        }
        for text in [
            "", "A", "AA", "AB", "AAA", "AAAA", "AAAAA", "A=", "AA=", "AA==", "AA===", "AAA=",
            "AAA==", "AAAA=", "AAAA==", "====", "=", "é", "AA=A", "+/8=", "-_8", "-_8=",
        ] {
            assert_eq!(decode(text), CRATE_STANDARD.decode(text).ok(), "{text:?}");
            assert_eq!(
                decode_url(text),
                URL_SAFE_NO_PAD.decode(text).ok(),
                "{text:?}"
            );
            assert_eq!(
                decode_url_lenient(text),
                LENIENT.decode(text).ok(),
                "{text:?}"
            );
        }
    }
}

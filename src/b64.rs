//! Base64 (RFC 4648) where the session module needs it, in a few lines each instead of the
//! `base64` crate's engine (its decoder alone is 3.6 KB of that module): a JWT's payload
//! (base64url, unpadded) and `SECRET_HASH` or a Basic authorization (standard, padded). Both are
//! checked against the crate, which the rest of the crate still uses.

/// Unpadded base64url (RFC 4648 §5) as the `base64` crate's `URL_SAFE_NO_PAD` decodes it: `None`
/// for a byte outside `A–Z a–z 0–9 - _`, a length of `4k + 1`, or a last symbol whose unused
/// bits are not zero.
pub fn decode_url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    // `bits` pending bits of `pending`, fewer than 8 after each symbol.
    let (mut pending, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let value = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
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

/// Padded standard base64 (RFC 4648 §4), as the `base64` crate's `STANDARD` encodes it.
pub fn encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol = |six: u32| {
        ALPHABET
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
            out.push(if i <= chunk.len() {
                symbol(n >> shift)
            } else {
                '='
            });
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
mod tests {
    use super::*;
    use base64::Engine;

    #[test]
    fn decode_urls_as_the_base64_crate() {
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut seed: u32 = 0x9e37_79b9;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        let alphabet = b"AQgw_-Zz09+/=.\n \x80";
        for len in 0..40 {
            for _ in 0..200 {
                let bytes: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                let text = engine.encode(&bytes);
                assert_eq!(decode_url(&text), Some(bytes), "{text}");
                // Random texts over valid and invalid symbols: the same verdict and bytes.
                let garbled: String = (0..len)
                    .map(|_| char::from(alphabet[next() as usize % alphabet.len()]))
                    .collect();
                assert_eq!(
                    decode_url(&garbled),
                    engine.decode(&garbled).ok(),
                    "{garbled:?}"
                );
            }
        }
        for bad in ["A", "AAAAA", "AB", "AAB", "A=", "AA==", "é"] {
            assert_eq!(decode_url(bad), engine.decode(bad).ok(), "{bad}");
        }
        assert_eq!(decode_url("AA"), Some(vec![0]));
        assert_eq!(decode_url("AB"), None, "unused bits set");
    }

    #[test]
    fn encodes_as_the_base64_crate() {
        let engine = base64::engine::general_purpose::STANDARD;
        let mut seed: u32 = 0x2545_f491;
        for len in 0..70 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            assert_eq!(encode(&bytes), engine.encode(&bytes), "{bytes:?}");
        }
        assert_eq!(encode(&[0xfb, 0xff]), "+/8=");
    }
}

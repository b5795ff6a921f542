//! The two hash primitives Cognito uses: SHA-256 and HMAC-SHA-256, over byte strings given in parts.

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// `SHA-256(part₀ ‖ part₁ ‖ …)`.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// `HMAC-SHA-256(key, part₀ ‖ part₁ ‖ …)` (RFC 2104): `H((K₀ ⊕ opad) ‖ H((K₀ ⊕ ipad) ‖ parts))`,
/// `K₀` the key (its SHA-256 when longer than the 64-byte block) zero-padded to 64 bytes.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = [0u8; 64];
    let hashed;
    let key = if key.len() > block.len() {
        hashed = sha256(&[key]);
        hashed.as_slice()
    } else {
        key
    };
    if let Some(head) = block.get_mut(..key.len()) {
        head.copy_from_slice(key);
    }
    for byte in &mut block {
        *byte ^= 0x36;
    }
    let mut inner = Sha256::new();
    inner.update(block);
    for part in parts {
        inner.update(part);
    }
    let inner: [u8; 32] = inner.finalize().into();
    for byte in &mut block {
        *byte ^= 0x36 ^ 0x5c;
    }
    let outer = sha256(&[&block, &inner]);
    block.zeroize();
    outer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn sha256_of_abc_in_parts() {
        // FIPS 180-2 example "abc".
        assert_eq!(
            hex(&sha256(&[b"a", b"bc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn hmac_agrees_with_the_hmac_crate_for_keys_around_the_block_size() {
        use hmac::{KeyInit, Mac};
        for len in [0, 1, 16, 31, 32, 63, 64, 65, 100, 131] {
            let key: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            let mut mac = hmac::Hmac::<Sha256>::new_from_slice(&key).unwrap();
            mac.update(b"message in two parts");
            let expected: [u8; 32] = mac.finalize().into_bytes().into();
            assert_eq!(
                hmac_sha256(&key, &[b"message in ", b"two parts"]),
                expected,
                "key of {len} bytes"
            );
        }
    }

    #[test]
    fn hmac_rfc4231_case_2() {
        assert_eq!(
            hex(&hmac_sha256(
                b"Jefe",
                &[b"what do ya want ", b"for nothing?"]
            )),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}

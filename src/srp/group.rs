//! The SRP group Cognito uses: the 3072-bit MODP prime of RFC 3526 §4, generator 2, and the
//! multiplier `k = H(bytes(hex(N) ‖ hex(g)))`.

// One-time initialisation: std's `OnceLock` natively (threads), core's `OnceCell` and `Cell` on
// wasm32 (one thread; no std in some builds).
#[cfg(target_arch = "wasm32")]
use core::cell::Cell;
#[cfg(all(target_arch = "wasm32", not(feature = "small-srp")))]
use core::cell::OnceCell as Once;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::OnceLock as Once;

use super::hex::to_signed_bytes;
use super::SrpError;
use crate::crypto::sha256;
#[cfg(target_arch = "wasm32")]
use crate::local::Local;
#[cfg(target_arch = "wasm32")]
use crate::prelude::*;
#[cfg(not(feature = "small-srp"))]
use cognito_wasm_modexp::FixedBase;
use cognito_wasm_modexp::{Montgomery, Uint};

/// RFC 3526 §4: `N = 2^3072 − 2^3008 − 1 + 2^64 · (⌊2^2942 · π⌋ + 1690314)`, big-endian.
const N: [u8; 384] = [
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc9, 0x0f, 0xda, 0xa2, 0x21, 0x68, 0xc2, 0x34,
    0xc4, 0xc6, 0x62, 0x8b, 0x80, 0xdc, 0x1c, 0xd1, 0x29, 0x02, 0x4e, 0x08, 0x8a, 0x67, 0xcc, 0x74,
    0x02, 0x0b, 0xbe, 0xa6, 0x3b, 0x13, 0x9b, 0x22, 0x51, 0x4a, 0x08, 0x79, 0x8e, 0x34, 0x04, 0xdd,
    0xef, 0x95, 0x19, 0xb3, 0xcd, 0x3a, 0x43, 0x1b, 0x30, 0x2b, 0x0a, 0x6d, 0xf2, 0x5f, 0x14, 0x37,
    0x4f, 0xe1, 0x35, 0x6d, 0x6d, 0x51, 0xc2, 0x45, 0xe4, 0x85, 0xb5, 0x76, 0x62, 0x5e, 0x7e, 0xc6,
    0xf4, 0x4c, 0x42, 0xe9, 0xa6, 0x37, 0xed, 0x6b, 0x0b, 0xff, 0x5c, 0xb6, 0xf4, 0x06, 0xb7, 0xed,
    0xee, 0x38, 0x6b, 0xfb, 0x5a, 0x89, 0x9f, 0xa5, 0xae, 0x9f, 0x24, 0x11, 0x7c, 0x4b, 0x1f, 0xe6,
    0x49, 0x28, 0x66, 0x51, 0xec, 0xe4, 0x5b, 0x3d, 0xc2, 0x00, 0x7c, 0xb8, 0xa1, 0x63, 0xbf, 0x05,
    0x98, 0xda, 0x48, 0x36, 0x1c, 0x55, 0xd3, 0x9a, 0x69, 0x16, 0x3f, 0xa8, 0xfd, 0x24, 0xcf, 0x5f,
    0x83, 0x65, 0x5d, 0x23, 0xdc, 0xa3, 0xad, 0x96, 0x1c, 0x62, 0xf3, 0x56, 0x20, 0x85, 0x52, 0xbb,
    0x9e, 0xd5, 0x29, 0x07, 0x70, 0x96, 0x96, 0x6d, 0x67, 0x0c, 0x35, 0x4e, 0x4a, 0xbc, 0x98, 0x04,
    0xf1, 0x74, 0x6c, 0x08, 0xca, 0x18, 0x21, 0x7c, 0x32, 0x90, 0x5e, 0x46, 0x2e, 0x36, 0xce, 0x3b,
    0xe3, 0x9e, 0x77, 0x2c, 0x18, 0x0e, 0x86, 0x03, 0x9b, 0x27, 0x83, 0xa2, 0xec, 0x07, 0xa2, 0x8f,
    0xb5, 0xc5, 0x5d, 0xf0, 0x6f, 0x4c, 0x52, 0xc9, 0xde, 0x2b, 0xcb, 0xf6, 0x95, 0x58, 0x17, 0x18,
    0x39, 0x95, 0x49, 0x7c, 0xea, 0x95, 0x6a, 0xe5, 0x15, 0xd2, 0x26, 0x18, 0x98, 0xfa, 0x05, 0x10,
    0x15, 0x72, 0x8e, 0x5a, 0x8a, 0xaa, 0xc4, 0x2d, 0xad, 0x33, 0x17, 0x0d, 0x04, 0x50, 0x7a, 0x33,
    0xa8, 0x55, 0x21, 0xab, 0xdf, 0x1c, 0xba, 0x64, 0xec, 0xfb, 0x85, 0x04, 0x58, 0xdb, 0xef, 0x0a,
    0x8a, 0xea, 0x71, 0x57, 0x5d, 0x06, 0x0c, 0x7d, 0xb3, 0x97, 0x0f, 0x85, 0xa6, 0xe1, 0xe4, 0xc7,
    0xab, 0xf5, 0xae, 0x8c, 0xdb, 0x09, 0x33, 0xd7, 0x1e, 0x8c, 0x94, 0xe0, 0x4a, 0x25, 0x61, 0x9d,
    0xce, 0xe3, 0xd2, 0x26, 0x1a, 0xd2, 0xee, 0x6b, 0xf1, 0x2f, 0xfa, 0x06, 0xd9, 0x8a, 0x08, 0x64,
    0xd8, 0x76, 0x02, 0x73, 0x3e, 0xc8, 0x6a, 0x64, 0x52, 0x1f, 0x2b, 0x18, 0x17, 0x7b, 0x20, 0x0c,
    0xbb, 0xe1, 0x17, 0x57, 0x7a, 0x61, 0x5d, 0x6c, 0x77, 0x09, 0x88, 0xc0, 0xba, 0xd9, 0x46, 0xe2,
    0x08, 0xe2, 0x4f, 0xa0, 0x74, 0xe5, 0xab, 0x31, 0x43, 0xdb, 0x5b, 0xfc, 0xe0, 0xfd, 0x10, 0x8e,
    0x4b, 0x82, 0xd1, 0x20, 0xa9, 0x3a, 0xd2, 0xca, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];

/// The group's constants, computed once.
pub struct Group {
    pub n: Uint,
    pub g: Uint,
    pub k: Uint,
    /// Exponentiation modulo N.
    montgomery: Montgomery,
    /// The comb table of `g` for exponents of up to [`Group::G_TABLE_BITS`] bits, built on the
    /// first `pow_g` (about 1.5 exponentiations, ~1.5 ms in wasm; each later `g^e` is ~2× faster).
    #[cfg(not(feature = "small-srp"))]
    g_table: Once<FixedBase>,
}

impl Group {
    /// The group shared by every Cognito user pool. [`SrpError::Arithmetic`] only if the
    /// exponentiation kernel refused N (it takes every odd modulus of up to 3,554 bits; a test
    /// holds it to this N), so that no panic and no variable-time fallback is ever needed.
    pub fn cognito() -> Result<&'static Group, SrpError> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            static GROUP: Once<Option<Group>> = Once::new();
            GROUP
                .get_or_init(Group::build)
                .as_ref()
                .ok_or(SrpError::Arithmetic)
        }
        // One thread: the group is built on the first call and leaked (it lives as long as the
        // instance); without a `OnceCell` there is no re-entrancy panic and no drop to link.
        #[cfg(target_arch = "wasm32")]
        {
            static GROUP: Local<Cell<Option<&'static Group>>> = Local::new(Cell::new(None));
            if let Some(group) = GROUP.get() {
                return Ok(group);
            }
            let group: &'static Group =
                Box::leak(Box::new(Group::build().ok_or(SrpError::Arithmetic)?));
            GROUP.set(Some(group));
            Ok(group)
        }
    }

    /// The group's constants; `None` if the kernel refused N.
    fn build() -> Option<Group> {
        let n = Uint::from_bytes_be(&N);
        let g = Uint::from(2);
        let k = Uint::from_bytes_be(&sha256(&[&to_signed_bytes(&n), &to_signed_bytes(&g)]));
        let montgomery = Montgomery::new(&n)?;
        Some(Group {
            n,
            g,
            k,
            montgomery,
            #[cfg(not(feature = "small-srp"))]
            g_table: Once::new(),
        })
    }

    /// `base^exp mod N`, constant-time in the bits of `exp` (see [`Montgomery::pow`]).
    pub fn pow(&self, base: &Uint, exp: &Uint) -> Uint {
        self.montgomery.pow(base, exp)
    }

    /// `a·b mod N` (see [`Montgomery::mul_mod`]).
    pub fn mul(&self, a: &Uint, b: &Uint) -> Uint {
        self.montgomery.mul_mod(a, b)
    }

    /// Exponents `pow_g` reads from the comb table: the secret `a` and `x = H(…)` are 256 bits.
    pub const G_TABLE_BITS: usize = 256;

    /// `g^exp mod N`, constant-time in the bits of `exp`: by the comb table of `g` (see
    /// [`FixedBase`]) up to [`Group::G_TABLE_BITS`] bits, else by doublings (`g = 2`, see
    /// [`Montgomery::pow2`]).
    #[cfg(not(feature = "small-srp"))]
    pub fn pow_g(&self, exp: &Uint) -> Uint {
        let m = &self.montgomery;
        if exp.bits() > Self::G_TABLE_BITS {
            return m.pow2(exp);
        }
        self.g_table
            .get_or_init(|| FixedBase::new(m, &self.g, Self::G_TABLE_BITS))
            .pow(exp)
    }

    /// `g^exp mod N` by [`Montgomery::pow`] (feature `small-srp`: no comb table, no doublings).
    #[cfg(feature = "small-srp")]
    pub fn pow_g(&self, exp: &Uint) -> Uint {
        self.montgomery.pow(&self.g, exp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::hex::to_hex;
    use num_bigint::BigUint;
    use num_traits::One;

    fn big(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(x.as_bytes_be())
    }

    fn uint(x: &BigUint) -> Uint {
        Uint::from_bytes_be(&x.to_bytes_be())
    }

    /// `⌊2^bits · π⌋` by Machin's formula `π = 16·atan(1/5) − 4·atan(1/239)` in fixed point.
    fn floor_pi_scaled(bits: usize) -> BigUint {
        let guard = 64;
        let one = BigUint::one() << (bits + guard);
        let atan_inv = |x: u32| {
            // atan(1/x) = Σ (−1)^i / ((2i+1)·x^(2i+1))
            let x2 = BigUint::from(x * x);
            let mut power = &one / x;
            let (mut plus, mut minus) = (BigUint::default(), BigUint::default());
            let mut i = 0u32;
            while power > BigUint::default() {
                let term = &power / (2 * i + 1);
                if i % 2 == 0 {
                    plus += term;
                } else {
                    minus += term;
                }
                power /= &x2;
                i += 1;
            }
            plus - minus
        };
        (atan_inv(5) * 16u32 - atan_inv(239) * 4u32) >> guard
    }

    #[test]
    fn n_is_the_rfc_3526_prime_derived_from_pi() {
        let one = BigUint::one();
        let expected =
            (&one << 3072) - (&one << 3008) - &one + ((floor_pi_scaled(2942) + 1_690_314u32) << 64);
        let group = Group::cognito().unwrap();
        let n = big(&group.n);
        assert_eq!(n, expected);
        assert_eq!(group.n.bits(), 3072);
        // Fermat test to base 3: N is (very probably) prime.
        assert_eq!(BigUint::from(3u32).modpow(&(&n - &one), &n), one);
        assert_eq!(to_hex(&group.n).len(), 2 * 385, "hex(N) has a leading 00");
    }

    #[test]
    fn fast_paths_agree_with_num_bigint() {
        let group = Group::cognito().unwrap();
        let (n, g) = (big(&group.n), big(&group.g));
        let exp = BigUint::from_bytes_be(&[0xa5; 64]);
        let base = &n - 12345u32;
        assert_eq!(
            big(&group.pow(&uint(&base), &uint(&exp))),
            base.modpow(&exp, &n)
        );
        assert_eq!(big(&group.pow_g(&uint(&exp))), g.modpow(&exp, &n));
        assert_eq!(
            big(&group.mul(&uint(&base), &group.k)),
            (&base * big(&group.k)) % &n
        );
        // The comb table (≤ 256 bits), both sides of its limit.
        for bytes in [
            &[0xffu8; 32][..],
            &[0x5a; 32],
            &[0x01; 17],
            &[0x80; 33],
            &[7],
        ] {
            let exp = BigUint::from_bytes_be(bytes);
            assert_eq!(big(&group.pow_g(&uint(&exp))), g.modpow(&exp, &n), "{exp}");
        }
        #[cfg(not(feature = "small-srp"))]
        assert!(group.g_table.get().is_some(), "the comb table was built");
    }

    #[test]
    fn k_is_the_hash_of_n_and_g() {
        assert_eq!(
            big(&Group::cognito().unwrap().k).to_str_radix(16),
            "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6"
        );
    }
}

//! The SRP group Cognito uses: the 3072-bit MODP prime of RFC 3526 §4, generator 2, and the
//! multiplier `k = H(bytes(hex(N) ‖ hex(g)))`.

use std::sync::OnceLock;

use super::hex::{hex_bytes, to_signed_bytes};
use super::SrpError;
use crate::crypto::sha256;
#[cfg(not(feature = "small-srp"))]
use cognito_wasm_modexp::FixedBase;
use cognito_wasm_modexp::{Montgomery, Uint};

/// RFC 3526 §4: `N = 2^3072 − 2^3008 − 1 + 2^64 · (⌊2^2942 · π⌋ + 1690314)`.
pub(crate) const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9",
    "DE2BCBF6955817183995497CEA956AE515D2261898FA0510",
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64",
    "ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6B",
    "F12FFA06D98A0864D87602733EC86A64521F2B18177B200C",
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB31",
    "43DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

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
    g_table: OnceLock<FixedBase>,
}

impl Group {
    /// The group shared by every Cognito user pool. [`SrpError::Arithmetic`] only if the
    /// exponentiation kernel refused N (it takes every odd modulus of up to 3,554 bits; a test
    /// holds it to this N), so that no panic and no variable-time fallback is ever needed.
    pub fn cognito() -> Result<&'static Group, SrpError> {
        static GROUP: OnceLock<Option<Group>> = OnceLock::new();
        GROUP
            .get_or_init(|| {
                let n = Uint::from_vec(hex_bytes(N_HEX.as_bytes())?);
                let g = Uint::from(2);
                let k = Uint::from_bytes_be(&sha256(&[&to_signed_bytes(&n), &to_signed_bytes(&g)]));
                let montgomery = Montgomery::new(&n)?;
                Some(Group {
                    n,
                    g,
                    k,
                    montgomery,
                    #[cfg(not(feature = "small-srp"))]
                    g_table: OnceLock::new(),
                })
            })
            .as_ref()
            .ok_or(SrpError::Arithmetic)
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

//! [`Uint`], the plain integers around the exponentiation: SRP's values in and out as
//! big-endian bytes, compared, added, subtracted and multiplied (schoolbook, byte by byte).
//! Variable time, as the num-bigint arithmetic it replaces: loops run over the operands' lengths
//! and `cmp` stops at the first differing byte. For the values around the exponentiation
//! (`a + u·x`, `B + N − k·g^x`), never inside it.

use alloc::vec::Vec;
use core::cmp::Ordering;

/// A non-negative integer: its big-endian magnitude without leading zero bytes (zero is empty).
#[derive(Clone, Default, PartialEq, Eq, Hash, Debug)]
pub struct Uint(Vec<u8>);

impl Uint {
    /// The integer whose big-endian bytes these are (leading zeros allowed).
    pub fn from_bytes_be(bytes: &[u8]) -> Uint {
        Uint::from_vec(bytes.to_vec())
    }

    /// As [`Uint::from_bytes_be`], taking the vector.
    pub fn from_vec(mut bytes: Vec<u8>) -> Uint {
        let zeros = bytes.iter().take_while(|&&b| b == 0).count();
        bytes.drain(..zeros);
        Uint(bytes)
    }

    /// The minimal big-endian bytes: empty for zero, else the first byte is not 0.
    pub fn as_bytes_be(&self) -> &[u8] {
        &self.0
    }

    /// `self == 0`.
    pub fn is_zero(&self) -> bool {
        self.0.is_empty()
    }

    /// The bit length: the least `b` with `self < 2^b`.
    pub fn bits(&self) -> usize {
        match self.0.first() {
            Some(&top) => 8 * self.0.len() - top.leading_zeros() as usize,
            None => 0,
        }
    }

    /// Bit `i` (bit 0 the least significant); `false` past the end.
    pub fn bit(&self, i: usize) -> bool {
        byte_le(&self.0, i / 8) >> (i % 8) & 1 == 1
    }

    /// `self + other`.
    pub fn add(&self, other: &Uint) -> Uint {
        let len = self.0.len().max(other.0.len()) + 1;
        let mut out = vec![0u8; len];
        let mut carry = 0u16;
        for (j, o) in out.iter_mut().rev().enumerate() {
            let t = u16::from(byte_le(&self.0, j)) + u16::from(byte_le(&other.0, j)) + carry;
            *o = t as u8;
            carry = t >> 8;
        }
        Uint::from_vec(out)
    }

    /// `self − other`, or `None` if `other > self`.
    pub fn checked_sub(&self, other: &Uint) -> Option<Uint> {
        if other > self {
            return None;
        }
        let mut out = self.0.clone();
        let mut borrow = 0u16;
        for (j, o) in out.iter_mut().rev().enumerate() {
            let t = 0x100 + u16::from(*o) - u16::from(byte_le(&other.0, j)) - borrow;
            *o = t as u8;
            borrow = 1 - (t >> 8);
        }
        Some(Uint::from_vec(out))
    }

    /// `self · other`.
    pub fn mul(&self, other: &Uint) -> Uint {
        let (a, b) = (&self.0, &other.0);
        // Little-endian: row i adds a_i·b at byte i; rows before it reached byte i + len(b) − 1.
        let mut out = vec![0u8; a.len() + b.len()];
        for (i, &x) in a.iter().rev().enumerate() {
            let mut carry = 0u32;
            let mut slots = out.iter_mut().rev().skip(i);
            for &y in b.iter().rev() {
                if let Some(o) = slots.next() {
                    let t = u32::from(x) * u32::from(y) + u32::from(*o) + carry;
                    *o = t as u8;
                    carry = t >> 8;
                }
            }
            if let Some(o) = slots.next() {
                *o = carry as u8;
            }
        }
        Uint::from_vec(out)
    }
}

impl From<u64> for Uint {
    fn from(x: u64) -> Uint {
        Uint::from_bytes_be(&x.to_be_bytes())
    }
}

impl Ord for Uint {
    /// Minimal encodings: the longer is larger, equal lengths compare bytewise.
    fn cmp(&self, other: &Uint) -> Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Uint {
    fn partial_cmp(&self, other: &Uint) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Byte `j` of big-endian `be` counted from the least significant end; 0 past the end.
pub(crate) fn byte_le(be: &[u8], j: usize) -> u8 {
    be.len()
        .checked_sub(j + 1)
        .and_then(|i| be.get(i))
        .copied()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn big(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(x.as_bytes_be())
    }

    /// xorshift64 bytes of assorted lengths, some with leading zeros or runs of 0xff.
    fn samples() -> Vec<Vec<u8>> {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut out = vec![vec![], vec![0], vec![0, 0, 1], vec![0xff; 40], vec![1; 1]];
        for len in [1usize, 2, 3, 7, 8, 9, 31, 32, 33, 64, 65, 384, 385, 390] {
            for style in 0..3 {
                let bytes = (0..len)
                    .map(|i| match style {
                        0 => 0xff,
                        1 if i == 0 => 0,
                        _ => (next() >> 24) as u8,
                    })
                    .collect();
                out.push(bytes);
            }
        }
        out
    }

    #[test]
    fn agrees_with_num_bigint() {
        let samples = samples();
        for x in &samples {
            let a = Uint::from_bytes_be(x);
            let ba = BigUint::from_bytes_be(x);
            assert_eq!(big(&a), ba);
            assert_eq!(a.bits() as u64, ba.bits());
            assert_eq!(a.is_zero(), ba == BigUint::default());
            assert!(a.as_bytes_be().first().is_none_or(|&b| b != 0));
            for i in [0, 1, 7, 8, 9, 100, 3071, 5000] {
                assert_eq!(a.bit(i), ba.bit(i as u64), "bit {i}");
            }
            for y in &samples {
                let b = Uint::from_bytes_be(y);
                let bb = BigUint::from_bytes_be(y);
                assert_eq!(a.cmp(&b), ba.cmp(&bb));
                assert_eq!(a == b, ba == bb);
                assert_eq!(big(&a.add(&b)), &ba + &bb);
                assert_eq!(big(&a.mul(&b)), &ba * &bb);
                let diff = a.checked_sub(&b).map(|d| big(&d));
                assert_eq!(diff, (ba >= bb).then(|| &ba - &bb));
            }
        }
        assert_eq!(
            big(&Uint::from(0x0123_4567_89ab_cdefu64)),
            0x0123_4567_89ab_cdefu64.into()
        );
        assert!(Uint::from(0).is_zero());
    }
}

//! Fixed-width Montgomery arithmetic and modular exponentiation for one odd
//! modulus (sized for SRP's 3072-bit RFC 3526 group).
//!
//! # Representation
//! A residue is `n` limbs of `B` bits each, stored in `u64`s (little-endian):
//! `B = 28` on wasm32 and `B = 56` elsewhere. The radix is smaller than the
//! storage word on purpose: every limb product is `< 2^(2B)` and a whole column
//! of the product fits in the accumulator (`u64` on wasm32, `u128` natively)
//! without carry handling, so the inner loop is one multiply and one add.
//! (wasm32 has a 64×64→64 multiply but no 128-bit product; a `u128` multiply
//! costs several `i64.mul`s there. Measured for one 3072-bit multiplication
//! in Node 20: 11.7 µs with 28-bit limbs, 27.6 µs with 56-bit limbs and `u128`,
//! 34 µs for classic CIOS with 32-bit limbs and `u64` products. At
//! `opt-level = "z"` the same code runs about 1.4× slower than at 3.)
//!
//! `R = 2^(B·n)` with `n` the least limb count such that `R > 4m`. Then, for
//! `a, b < 2m`, REDC gives `(a·b + q·m) / R < 2m` (Walter's bound), so no final
//! subtraction is needed between operations: values stay in `[0, 2m)` and are
//! fully reduced once, at the end, by a masked (branch-free) subtraction.
//!
//! # Multiplication
//! `mul` is Montgomery multiplication, `REDC(a·b) = a·b·R⁻¹ mod m`, in
//! finely integrated product-scanning form (FIPS): column `k` of `a·b` and of
//! `q·m` are summed together; for `k < n` the quotient limb
//! `q_k = acc · (−m⁻¹) mod 2^B` is chosen to clear the column's low `B` bits.
//! `sqr` is the same with the symmetric cross products `a_i·a_j` (`i < j`)
//! summed once and doubled.
//!
//! # Exponentiation
//! `pow` uses a fixed window of `w` bits (`w` from 1 to 6, chosen by the
//! exponent's bit length, see `window_bits`) over a table of `base^0 ..
//! base^(2^w − 1)` in Montgomery form. `pow2` uses left-to-right binary
//! exponentiation where the multiply by 2 is a doubling (shift and masked
//! subtraction of `2m`) instead of a Montgomery multiplication.
//!
//! # Side channels
//! Within the exponentiation, the exponent's bits do not influence branches or
//! memory addresses: every window does the same squarings and one
//! multiplication, table entries are selected by scanning the whole table
//! with masks, `pow2` always doubles and selects with a mask, and no
//! subtraction is conditional on data. What does leak is the exponent's bit
//! length (the number of windows/squarings). The conversions in and out of
//! Montgomery form (`base mod m`, `BigUint` allocation) use `num-bigint`,
//! which is not constant time; they depend on the base and the result, not on
//! the exponent. This fixed-window version costs 4–9% more than a
//! variable-time sliding window (measured in wasm32), so it is the only one.
//! Moduli too large for the lazy-carry bound (see
//! `MAX_LIMBS`) fall back to `BigUint::modpow`, which is variable time.

use num_bigint::BigUint;
use num_traits::{One, Zero};

/// Storage word of one limb.
type Limb = u64;

/// Column accumulator.
#[cfg(target_arch = "wasm32")]
type Acc = u64;
#[cfg(not(target_arch = "wasm32"))]
type Acc = u128;

/// Bits per limb (`B`).
#[cfg(target_arch = "wasm32")]
const LIMB_BITS: u32 = 28;
#[cfg(not(target_arch = "wasm32"))]
const LIMB_BITS: u32 = 56;

const MASK: Limb = (1 << LIMB_BITS) - 1;

/// Largest limb count for which a column sum (at most `2n` products
/// `< 2^(2B)` plus the carry in) cannot overflow `Acc`: `2n < 2^(A − 2B)`.
/// That is 127 limbs (3556 bits) on wasm32 and 32767 limbs natively.
const MAX_LIMBS: usize = (1 << (Acc::BITS - 2 * LIMB_BITS - 1)) - 1;

/// Largest window width used by `pow` (table of `2^6` entries).
const MAX_WINDOW: usize = 6;

#[inline(always)]
fn wide(x: Limb) -> Acc {
    Acc::from(x)
}

/// `Σ x[i] · y[len−1−i]`: one diagonal of a product (`x`, `y` of equal
/// length). Unrolled by four with two accumulators; slice patterns rather
/// than iterator adaptors so that it stays tight at `opt-level = "z"`.
#[inline(always)]
fn dot_rev(mut x: &[Limb], mut y: &[Limb]) -> Acc {
    let (mut s0, mut s1): (Acc, Acc) = (0, 0);
    while let (&[a0, a1, a2, a3, ref xr @ ..], &[ref yr @ .., b3, b2, b1, b0]) = (x, y) {
        s0 += wide(a0) * wide(b0) + wide(a2) * wide(b2);
        s1 += wide(a1) * wide(b1) + wide(a3) * wide(b3);
        (x, y) = (xr, yr);
    }
    while let (&[a, ref xr @ ..], &[ref yr @ .., b]) = (x, y) {
        s0 += wide(a) * wide(b);
        (x, y) = (xr, yr);
    }
    s0 + s1
}

/// Precomputed Montgomery context for one odd modulus.
#[derive(Clone, Debug)]
pub struct Montgomery {
    modulus: BigUint,
    /// `None` when the modulus has more than [`MAX_LIMBS`] limbs.
    ctx: Option<Ctx>,
}

#[derive(Clone, Debug)]
struct Ctx {
    n: usize,
    /// `m` in limbs.
    m: Vec<Limb>,
    /// `2m` in limbs (fits, as `4m < R`).
    m2: Vec<Limb>,
    /// `−m⁻¹ mod 2^B`.
    minv: Limb,
    /// `R mod m`: one in Montgomery form.
    one: Vec<Limb>,
    /// `R² mod m`: multiplying by it converts into Montgomery form.
    r2: Vec<Limb>,
}

impl Montgomery {
    /// Precomputes the context; `None` if `modulus` is even or `< 3`.
    pub fn new(modulus: &BigUint) -> Option<Montgomery> {
        if !modulus.bit(0) || modulus < &BigUint::from(3u32) {
            return None;
        }
        // Least n with B·n ≥ bits + 2, so that R ≥ 2^(bits+2) > 4m.
        let bits = usize::try_from(modulus.bits()).ok()?;
        let n = (bits + 2).div_ceil(LIMB_BITS as usize);
        let ctx = if n <= MAX_LIMBS {
            let r = BigUint::one() << (LIMB_BITS as usize * n);
            let m0 = modulus.iter_u64_digits().next().unwrap_or(1);
            Some(Ctx {
                n,
                m: to_limbs(modulus, n),
                m2: to_limbs(&(modulus << 1u32), n),
                minv: neg_inv(m0) & MASK,
                one: to_limbs(&(&r % modulus), n),
                r2: to_limbs(&((&r * &r) % modulus), n),
            })
        } else {
            None
        };
        Some(Montgomery {
            modulus: modulus.clone(),
            ctx,
        })
    }

    /// The modulus `m`.
    pub fn modulus(&self) -> &BigUint {
        &self.modulus
    }

    /// `base^exp mod m`; `base` may be `>= m` (it is reduced first).
    ///
    /// Fixed-window exponentiation: the exponent's bits affect neither
    /// branches nor memory addresses, only its bit length is visible (see the
    /// module docs). Use this for secret exponents.
    pub fn pow(&self, base: &BigUint, exp: &BigUint) -> BigUint {
        let Some(ctx) = &self.ctx else {
            return base.modpow(exp, &self.modulus);
        };
        if exp.is_zero() {
            return BigUint::one();
        }
        let n = ctx.n;
        let mut q = vec![0; n];
        let base = ctx.to_mont(&to_limbs(&(base % &self.modulus), n), &mut q);

        let bits = usize::try_from(exp.bits()).unwrap_or(usize::MAX);
        let w = window_bits(bits);
        let digits: Vec<u64> = exp.iter_u64_digits().collect();

        // table[i] = base^i·R mod m (in [0, 2m)), i < 2^w.
        let mut table: Vec<Vec<Limb>> = Vec::with_capacity(1 << w);
        table.push(ctx.one.clone());
        table.push(base.clone());
        for _ in 2..(1usize << w) {
            let mut t = vec![0; n];
            if let Some(prev) = table.last() {
                ctx.mul(&mut t, prev, &base, &mut q);
            }
            table.push(t);
        }

        let windows = bits.div_ceil(w);
        let mut acc = vec![0; n];
        let mut t = vec![0; n];
        let mut sel = vec![0; n];
        select(&mut acc, &table, window_at(&digits, (windows - 1) * w, w));
        for i in (0..windows - 1).rev() {
            for _ in 0..w {
                ctx.sqr(&mut t, &acc, &mut q);
                core::mem::swap(&mut acc, &mut t);
            }
            select(&mut sel, &table, window_at(&digits, i * w, w));
            ctx.mul(&mut t, &acc, &sel, &mut q);
            core::mem::swap(&mut acc, &mut t);
        }
        ctx.out_of_mont(&acc, &mut q)
    }

    /// `2^exp mod m`. Faster than `pow(2, exp)`: the multiply by the base is a
    /// doubling (shift and masked subtraction) instead of a Montgomery
    /// multiplication.
    ///
    /// Left-to-right binary: one squaring and one doubling per bit, the
    /// doubled value kept or dropped by a mask, so the exponent's bits affect
    /// neither branches nor memory addresses (only its bit length is visible).
    pub fn pow2(&self, exp: &BigUint) -> BigUint {
        let Some(ctx) = &self.ctx else {
            return BigUint::from(2u32).modpow(exp, &self.modulus);
        };
        if exp.is_zero() {
            return BigUint::one();
        }
        let n = ctx.n;
        let mut q = vec![0; n];
        let bits = usize::try_from(exp.bits()).unwrap_or(usize::MAX);
        let digits: Vec<u64> = exp.iter_u64_digits().collect();

        // The top bit is set: start from 2 (in Montgomery form).
        let mut acc = vec![0; n];
        ctx.double(&mut acc, &ctx.one);
        let mut t = vec![0; n];
        for i in (0..bits - 1).rev() {
            ctx.sqr(&mut t, &acc, &mut q);
            ctx.double(&mut acc, &t);
            // Keep the doubled value iff bit i is set.
            let keep = (window_at(&digits, i, 1) as Limb).wrapping_neg();
            for (a, s) in acc.iter_mut().zip(&t) {
                *a = (*a & keep) | (*s & !keep);
            }
        }
        ctx.out_of_mont(&acc, &mut q)
    }
}

impl Ctx {
    /// `out = REDC(a·b) = a·b·R⁻¹ mod m`, in `[0, 2m)` for `a, b < 2m`.
    /// All slices have `n` limbs; `q` is scratch.
    fn mul(&self, out: &mut [Limb], a: &[Limb], b: &[Limb], q: &mut [Limb]) {
        let n = self.n;
        let m = &self.m[..];
        let m0 = wide(m.first().copied().unwrap_or(0));
        let mut acc: Acc = 0;
        for k in 0..n {
            acc += dot_rev(&a[..=k], &b[..=k]);
            acc += dot_rev(&q[..k], &m[1..=k]);
            let qk = (acc as Limb).wrapping_mul(self.minv) & MASK;
            q[k] = qk;
            acc += wide(qk) * m0;
            acc >>= LIMB_BITS;
        }
        for (k, o) in (n..2 * n - 1).zip(out.iter_mut()) {
            let lo = k + 1 - n;
            acc += dot_rev(&a[lo..], &b[lo..]);
            acc += dot_rev(&q[lo..], &m[lo..]);
            *o = (acc as Limb) & MASK;
            acc >>= LIMB_BITS;
        }
        if let Some(top) = out.last_mut() {
            *top = acc as Limb;
        }
    }

    /// `out = REDC(a²)`; as `mul` with each cross product computed once.
    fn sqr(&self, out: &mut [Limb], a: &[Limb], q: &mut [Limb]) {
        let n = self.n;
        let m = &self.m[..];
        let m0 = wide(m.first().copied().unwrap_or(0));
        let mut acc: Acc = 0;
        for k in 0..n {
            // Pairs i < j with i + j = k: i in 0..h, h = ⌊(k+1)/2⌋.
            let h = k.div_ceil(2);
            acc += dot_rev(&a[..h], &a[k + 1 - h..=k]) << 1;
            if k % 2 == 0 {
                acc += wide(a[k / 2]) * wide(a[k / 2]);
            }
            acc += dot_rev(&q[..k], &m[1..=k]);
            let qk = (acc as Limb).wrapping_mul(self.minv) & MASK;
            q[k] = qk;
            acc += wide(qk) * m0;
            acc >>= LIMB_BITS;
        }
        for (k, o) in (n..2 * n - 1).zip(out.iter_mut()) {
            let lo = k + 1 - n;
            // Pairs i < j: i in lo..(k+1)/2, j = k − i from n−1 down.
            let c = k.div_ceil(2) - lo;
            acc += dot_rev(&a[lo..lo + c], &a[n - c..]) << 1;
            if k % 2 == 0 {
                acc += wide(a[k / 2]) * wide(a[k / 2]);
            }
            acc += dot_rev(&q[lo..], &m[lo..]);
            *o = (acc as Limb) & MASK;
            acc >>= LIMB_BITS;
        }
        if let Some(top) = out.last_mut() {
            *top = acc as Limb;
        }
    }

    /// `out = 2a` reduced to `[0, 2m)` by a masked subtraction of `2m`.
    fn double(&self, out: &mut [Limb], a: &[Limb]) {
        let mut carry = 0;
        for (o, x) in out.iter_mut().zip(a) {
            *o = ((x << 1) | carry) & MASK;
            carry = x >> (LIMB_BITS - 1);
        }
        sub_if_ge(out, &self.m2);
    }

    /// `a·R mod m` (in `[0, 2m)`) for `a < m`.
    fn to_mont(&self, a: &[Limb], q: &mut [Limb]) -> Vec<Limb> {
        let mut out = vec![0; self.n];
        self.mul(&mut out, a, &self.r2, q);
        out
    }

    /// `a·R⁻¹ mod m`, fully reduced, as a `BigUint`.
    fn out_of_mont(&self, a: &[Limb], q: &mut [Limb]) -> BigUint {
        let mut one = vec![0; self.n];
        if let Some(x) = one.first_mut() {
            *x = 1;
        }
        let mut out = vec![0; self.n];
        // REDC(a·1) ≤ m (equal iff a ≡ 0); one masked subtraction fixes it.
        self.mul(&mut out, a, &one, q);
        sub_if_ge(&mut out, &self.m);
        from_limbs(&out)
    }
}

/// `x = x − y` if `x ≥ y`, without branching on the values.
fn sub_if_ge(x: &mut [Limb], y: &[Limb]) {
    // Borrow out of x − y: 0 iff x ≥ y.
    let borrow = x.iter().zip(y).fold(0, |b: Limb, (xi, yi)| {
        xi.wrapping_sub(*yi).wrapping_sub(b) >> 63
    });
    let keep = borrow.wrapping_sub(1);
    let mut b: Limb = 0;
    for (xi, yi) in x.iter_mut().zip(y) {
        let t = xi.wrapping_sub(yi & keep).wrapping_sub(b);
        b = t >> 63;
        *xi = t & MASK;
    }
}

/// `out = table[idx]`, reading every entry (no index-dependent address).
fn select(out: &mut [Limb], table: &[Vec<Limb>], idx: usize) {
    out.iter_mut().for_each(|o| *o = 0);
    for (i, e) in table.iter().enumerate() {
        // All ones iff i == idx.
        let d = (i ^ idx) as u64;
        let mask = ((d | d.wrapping_neg()) >> 63).wrapping_sub(1);
        for (o, x) in out.iter_mut().zip(e) {
            *o |= x & mask;
        }
    }
}

/// Bits `pos .. pos + w` of the exponent (`w ≤ 6`); zero past the end.
fn window_at(digits: &[u64], pos: usize, w: usize) -> usize {
    let (i, s) = (pos / 64, pos % 64);
    let lo = digits.get(i).copied().unwrap_or(0) >> s;
    let hi = match s {
        0 => 0,
        _ => digits.get(i + 1).copied().unwrap_or(0) << (64 - s),
    };
    ((lo | hi) & ((1 << w) - 1)) as usize
}

/// Window width for an exponent of `bits` bits: the `w` minimising roughly
/// `bits/w` multiplications plus `2^w` table entries (built and scanned).
fn window_bits(bits: usize) -> usize {
    match bits {
        0..=4 => 1,
        5..=24 => 2,
        25..=96 => 3,
        97..=320 => 4,
        321..=960 => 5,
        _ => MAX_WINDOW,
    }
}

/// `−x⁻¹ mod 2^64` for odd `x` (Newton: each step doubles the correct bits).
fn neg_inv(x: u64) -> u64 {
    let mut y = x; // x·x ≡ 1 mod 8: 3 bits.
    for _ in 0..5 {
        y = y.wrapping_mul(2u64.wrapping_sub(x.wrapping_mul(y)));
    }
    y.wrapping_neg()
}

/// The low `B·n` bits of `x` as `n` limbs of `B` bits.
fn to_limbs(x: &BigUint, n: usize) -> Vec<Limb> {
    let mut out = vec![0; n];
    let mut slots = out.iter_mut();
    let (mut buf, mut have): (u128, u32) = (0, 0);
    for d in x.iter_u64_digits() {
        buf |= u128::from(d) << have;
        have += 64;
        while have >= LIMB_BITS {
            if let Some(s) = slots.next() {
                *s = (buf as Limb) & MASK;
            }
            buf >>= LIMB_BITS;
            have -= LIMB_BITS;
        }
    }
    if let Some(s) = slots.next() {
        *s = (buf as Limb) & MASK;
    }
    out
}

/// The value of `B`-bit limbs as a `BigUint`.
fn from_limbs(x: &[Limb]) -> BigUint {
    let mut digits = Vec::with_capacity(x.len() * LIMB_BITS as usize / 32 + 1);
    let (mut buf, mut have): (u128, u32) = (0, 0);
    for l in x {
        buf |= u128::from(*l) << have;
        have += LIMB_BITS;
        while have >= 32 {
            digits.push(buf as u32);
            buf >>= 32;
            have -= 32;
        }
    }
    digits.push(buf as u32);
    BigUint::new(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3526 §4, the 3072-bit MODP prime.
    use crate::srp::group::N_HEX as N_3072;

    fn n3072() -> BigUint {
        BigUint::parse_bytes(N_3072.as_bytes(), 16).unwrap()
    }

    /// xorshift64* — deterministic test data.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        /// A number of at most `bits` bits, sometimes with long runs of
        /// ones or zeros (to hit carries and zero windows).
        fn big(&mut self, bits: usize) -> BigUint {
            let words = bits.div_ceil(32);
            let style = self.next() % 4;
            let mut d: Vec<u32> = (0..words)
                .map(|_| match style {
                    0 => u32::MAX,
                    1 => (self.next() as u32) & 0x8000_0001,
                    _ => self.next() as u32,
                })
                .collect();
            if let Some(top) = d.last_mut() {
                let extra = words * 32 - bits;
                *top >>= extra;
            }
            BigUint::new(d)
        }
    }

    fn check(ctx: &Montgomery, base: &BigUint, exp: &BigUint) {
        let m = ctx.modulus();
        assert_eq!(
            ctx.pow(base, exp),
            base.modpow(exp, m),
            "pow {base} {exp} {m}"
        );
        assert_eq!(
            ctx.pow2(exp),
            BigUint::from(2u32).modpow(exp, m),
            "pow2 {exp} {m}"
        );
    }

    fn moduli() -> Vec<BigUint> {
        let mut v: Vec<BigUint> = [3u64, 5, 7, 9, 15, 255, 65_537, (1 << 27) + 1, (1 << 28) - 1]
            .iter()
            .map(|&x| BigUint::from(x))
            .collect();
        v.push((BigUint::one() << 64u32) + 13u32);
        v.push((BigUint::one() << 64u32) - 59u32);
        v.push((BigUint::one() << 127u32) - 1u32);
        v.push((BigUint::one() << 255u32) - 19u32);
        v.push((BigUint::one() << 1024u32) - 1u32);
        v.push(n3072());
        v
    }

    #[test]
    fn rejects_bad_moduli() {
        for m in [0u32, 1, 2, 4, 6, 1 << 20] {
            assert!(Montgomery::new(&BigUint::from(m)).is_none(), "{m}");
        }
        assert!(Montgomery::new(&(n3072() + 1u32)).is_none());
        assert!(Montgomery::new(&BigUint::from(3u32)).is_some());
    }

    #[test]
    fn edge_cases() {
        for m in moduli() {
            let ctx = Montgomery::new(&m).unwrap();
            assert_eq!(ctx.modulus(), &m);
            let bases = [
                BigUint::zero(),
                BigUint::one(),
                BigUint::from(2u32),
                &m - 1u32,
                m.clone(),
                &m + 1u32,
                &m * 3u32,
                &m * &m + 5u32,
                (BigUint::one() << 4000u32) - 1u32,
            ];
            let exps = [
                BigUint::zero(),
                BigUint::one(),
                BigUint::from(2u32),
                BigUint::from(3u32),
                &m - 1u32,
                m.clone(),
                &m - 2u32,
                BigUint::from(u64::MAX),
                (BigUint::one() << 512u32) - 1u32,
                BigUint::one() << 511u32,
            ];
            for b in &bases {
                // Full-size exponents only for the smaller moduli (debug speed).
                for e in exps.iter().filter(|e| e.bits() <= 1024) {
                    check(&ctx, b, e);
                }
            }
        }
    }

    #[test]
    fn random_small_moduli() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for m in moduli().iter().filter(|m| m.bits() < 3072) {
            let ctx = Montgomery::new(m).unwrap();
            for i in 0..40 {
                let b = rng.big(m.bits() as usize + 8);
                let e = rng.big(1 + i * 13);
                check(&ctx, &b, &e);
            }
        }
        // Random odd moduli of assorted sizes.
        for i in 0..60 {
            let m = rng.big(2 + i * 37) | BigUint::from(3u32);
            let ctx = Montgomery::new(&m).unwrap();
            for _ in 0..4 {
                let b = rng.big(m.bits() as usize + 3);
                let e = rng.big(300);
                check(&ctx, &b, &e);
            }
        }
    }

    #[test]
    fn random_3072() {
        let n = n3072();
        let ctx = Montgomery::new(&n).unwrap();
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for bits in [1, 2, 5, 17, 64, 100, 255, 256, 257, 511, 512, 700, 1024] {
            let b = rng.big(3072);
            let e = rng.big(bits);
            check(&ctx, &b, &e);
        }
        for _ in 0..6 {
            let b = rng.big(3100);
            let e = rng.big(512);
            check(&ctx, &b, &e);
        }
    }

    #[test]
    fn largest_fast_modulus() {
        // All-ones operands at the largest limb count maximise column sums.
        let bits = (LIMB_BITS as usize * MAX_LIMBS - 2).min(4000);
        let m = (BigUint::one() << bits) - 1u32;
        let ctx = Montgomery::new(&m).unwrap();
        assert!(ctx.ctx.is_some());
        let e = (BigUint::one() << 64u32) - 1u32;
        for b in [&m - 1u32, &m - 2u32, (BigUint::one() << (bits - 1)) + 1u32] {
            check(&ctx, &b, &e);
        }
    }

    #[test]
    fn huge_modulus_falls_back() {
        let m = (BigUint::one() << 8000u32) - 1u32;
        let ctx = Montgomery::new(&m).unwrap();
        let mut rng = Rng(7);
        let b = rng.big(8100);
        let e = rng.big(40);
        assert_eq!(ctx.pow(&b, &e), b.modpow(&e, &m));
        assert_eq!(ctx.pow2(&e), BigUint::from(2u32).modpow(&e, &m));
    }
}

//! Fixed-width Montgomery arithmetic and constant-time modular exponentiation
//! for one odd modulus, sized for SRP's 3072-bit RFC 3526 group (cognito-wasm).
//!
//! # Representation
//! A residue is `n` limbs of `B` bits each, little-endian: `B = 28` in `u32`s
//! on wasm32 and `B = 56` in `u64`s elsewhere. The radix is smaller than the
//! storage word on purpose: every limb product is `< 2^(2B)` and a whole column
//! of the product fits in the accumulator (`u64` on wasm32, `u128` natively)
//! without carry handling, so the inner loop is one multiply and one add.
//! (wasm32 has a 64×64→64 multiply but no 128-bit product; a `u128` multiply
//! costs several `i64.mul`s there.)
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
//! summed once and doubled. A column `Σ x_i·y_(k−i)` is a forward dot product
//! of `x` with a reversed copy of `y` (`m` reversed once, the other operand per
//! call), so that on wasm32 it runs four products at a time with SIMD128
//! (`u64x2.extmul_{low,high}_u32x4`).
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
//! Montgomery form (bytes to limbs, `base mod m` by Montgomery multiplications,
//! stripping leading zero bytes) depend on the base and the result, not on the
//! exponent. Moduli too large for the lazy-carry bound (see `MAX_LIMBS`) are
//! refused (`Montgomery::new` is `None`): there is no variable-time fallback.
//!
//! # Integers
//! Values come in and go out as [`Uint`], a big-endian byte magnitude with
//! the few plain operations SRP needs around the exponentiation (compare, add,
//! subtract, multiply); `m` itself is only ever odd and `≥ 3`.
//!
//! # Build
//! cognito-wasm builds this crate at `opt-level = 3` while the rest is built
//! for size; on wasm32 the kernel needs SIMD128 (every engine cognito-wasm
//! targets has it: browsers since 2021, Node ≥ 16.4, workerd).

#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// No std: the SRP kernel needs only `alloc` (cognito-wasm's no_std browser modules link it).
#![cfg_attr(not(test), no_std)]

#[macro_use]
extern crate alloc;

mod uint;

use alloc::vec::Vec;

use uint::byte_le;
pub use uint::Uint;

/// Storage word of one limb.
#[cfg(target_arch = "wasm32")]
type Limb = u32;
#[cfg(not(target_arch = "wasm32"))]
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

/// Largest limb count for which a column sum cannot overflow `Acc`: at most
/// `2n` products `< 2^(2B)` (`mul`), or `n/2` doubled ones `< 2^(2B+1)`, one
/// square and `n` products (`sqr`), plus the carry in: `2n < 2^(A − 2B)`.
/// That is 127 limbs (3556 bits) on wasm32 and 32767 limbs natively.
const MAX_LIMBS: usize = (1 << (Acc::BITS - 2 * LIMB_BITS - 1)) - 1;

/// Largest window width used by `pow` (table of `2^6` entries).
const MAX_WINDOW: usize = 6;

/// A limb as `u64` (the identity natively).
#[allow(clippy::useless_conversion)]
#[inline(always)]
fn limb_u64(x: Limb) -> u64 {
    u64::from(x)
}

#[inline(always)]
fn wide(x: Limb) -> Acc {
    Acc::from(x)
}

/// `Σ x[i] · y[i]` over the common length (callers pass equal lengths).
/// Four products per step: SIMD128 lanes on wasm32, two accumulators
/// elsewhere; slice patterns rather than iterator adaptors keep it tight.
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn dot(mut x: &[Limb], mut y: &[Limb]) -> Acc {
    let (mut s0, mut s1): (Acc, Acc) = (0, 0);
    while let (&[a0, a1, a2, a3, ref xr @ ..], &[b0, b1, b2, b3, ref yr @ ..]) = (x, y) {
        s0 += wide(a0) * wide(b0) + wide(a2) * wide(b2);
        s1 += wide(a1) * wide(b1) + wide(a3) * wide(b3);
        (x, y) = (xr, yr);
    }
    while let (&[a, ref xr @ ..], &[b, ref yr @ ..]) = (x, y) {
        s0 += wide(a) * wide(b);
        (x, y) = (xr, yr);
    }
    s0 + s1
}

/// The four lanes of `x` (exactly four limbs) as one `v128.load`.
#[cfg(target_arch = "wasm32")]
#[target_feature(enable = "simd128")]
#[inline]
fn lanes(x: &[Limb]) -> core::arch::wasm32::v128 {
    use core::arch::wasm32::{u32x4_splat, v128, v128_load};
    match x {
        // SAFETY: 4 initialised `u32`s (16 bytes); wasm loads need no alignment.
        [_, _, _, _] => unsafe { v128_load(x.as_ptr().cast::<v128>()) },
        _ => u32x4_splat(0),
    }
}

/// `Σ x[i] · y[i]` over the common length (callers pass equal lengths):
/// each step multiplies four `u32` lanes into two `u64x2` accumulators with
/// `u64x2.extmul_{low,high}_u32x4` (one `pmuludq` each in V8). The lanes are
/// read with one `v128.load` per operand: built from four scalar loads, LLVM
/// turns the pattern into `v128.load32x2_u` + `i64x2.mul`, which V8 emulates
/// with three multiplies. `chunks_exact` leaves no bounds check in the loop.
#[cfg(target_arch = "wasm32")]
#[target_feature(enable = "simd128")]
#[inline]
fn dot(x: &[Limb], y: &[Limb]) -> Acc {
    use core::arch::wasm32::{
        i64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane, u64x2_splat,
    };
    let (xs, ys) = (x.chunks_exact(4), y.chunks_exact(4));
    let (x_tail, y_tail) = (xs.remainder(), ys.remainder());
    let (mut lo, mut hi) = (u64x2_splat(0), u64x2_splat(0));
    for (a, b) in xs.zip(ys) {
        let (a, b) = (lanes(a), lanes(b));
        lo = i64x2_add(lo, u64x2_extmul_low_u32x4(a, b));
        hi = i64x2_add(hi, u64x2_extmul_high_u32x4(a, b));
    }
    let s = i64x2_add(lo, hi);
    let mut sum = u64x2_extract_lane::<0>(s) + u64x2_extract_lane::<1>(s);
    for (a, b) in x_tail.iter().zip(y_tail) {
        sum += wide(*a) * wide(*b);
    }
    sum
}

/// `Σ x[i]·y[i] + Σ z[i]·w[i]` (all of one length) in one pass.
#[cfg(target_arch = "wasm32")]
#[target_feature(enable = "simd128")]
#[inline]
fn dot2(x: &[Limb], y: &[Limb], z: &[Limb], w: &[Limb]) -> Acc {
    use core::arch::wasm32::{
        i64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane, u64x2_splat,
    };
    let (xs, ys, zs, ws) = (
        x.chunks_exact(4),
        y.chunks_exact(4),
        z.chunks_exact(4),
        w.chunks_exact(4),
    );
    let tails = (
        xs.remainder(),
        ys.remainder(),
        zs.remainder(),
        ws.remainder(),
    );
    let (mut lo, mut hi) = (u64x2_splat(0), u64x2_splat(0));
    for ((a, b), (c, d)) in xs.zip(ys).zip(zs.zip(ws)) {
        let (a, b, c, d) = (lanes(a), lanes(b), lanes(c), lanes(d));
        lo = i64x2_add(lo, u64x2_extmul_low_u32x4(a, b));
        hi = i64x2_add(hi, u64x2_extmul_high_u32x4(a, b));
        lo = i64x2_add(lo, u64x2_extmul_low_u32x4(c, d));
        hi = i64x2_add(hi, u64x2_extmul_high_u32x4(c, d));
    }
    let s = i64x2_add(lo, hi);
    let mut sum = u64x2_extract_lane::<0>(s) + u64x2_extract_lane::<1>(s);
    let (xt, yt, zt, wt) = tails;
    for ((a, b), (c, d)) in xt.iter().zip(yt).zip(zt.iter().zip(wt)) {
        sum += wide(*a) * wide(*b) + wide(*c) * wide(*d);
    }
    sum
}

/// `Σ x[i]·y[i] + Σ z[i]·w[i]` (all of one length).
#[cfg(not(target_arch = "wasm32"))]
#[inline(always)]
fn dot2(x: &[Limb], y: &[Limb], z: &[Limb], w: &[Limb]) -> Acc {
    dot(x, y) + dot(z, w)
}

/// Column `k` of a product of two `n`-limb numbers, `Σ x_i·y_(k−i)`: the
/// first `i`, the number of terms, and where `y_(k−i)` for that first `i`
/// sits in the reversed `y` (`y_(k−i) = rev[n−1−k+i]`).
#[inline(always)]
fn column_span(n: usize, k: usize) -> (usize, usize, usize) {
    let lo = k.saturating_sub(n - 1);
    let hi = k.min(n - 1);
    (lo, hi + 1 - lo, n - 1 + lo - k)
}

/// `out = x` reversed (equal lengths).
#[inline(always)]
fn reverse_into(out: &mut [Limb], x: &[Limb]) {
    for (o, v) in out.iter_mut().zip(x.iter().rev()) {
        *o = *v;
    }
}

/// Precomputed Montgomery context for one odd modulus.
#[derive(Clone, Debug)]
pub struct Montgomery {
    modulus: Uint,
    ctx: Ctx,
}

#[derive(Clone, Debug)]
struct Ctx {
    n: usize,
    /// `m` in limbs, and reversed.
    m: Vec<Limb>,
    m_rev: Vec<Limb>,
    /// `2m` in limbs (fits, as `4m < R`).
    m2: Vec<Limb>,
    /// `−m⁻¹ mod 2^B`.
    minv: Limb,
    /// `R mod m`: one in Montgomery form.
    one: Vec<Limb>,
    /// `R² mod m`: multiplying by it converts into Montgomery form.
    r2: Vec<Limb>,
}

/// Per-exponentiation scratch: the quotient limbs of a REDC, a reversed
/// operand, a doubled one.
struct Scratch {
    q: Vec<Limb>,
    rev: Vec<Limb>,
    twice: Vec<Limb>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch {
            q: vec![0; n],
            rev: vec![0; n],
            twice: vec![0; n],
        }
    }
}

/// The limb count `n` for a modulus of `bits` bits: the least `n` with
/// `B·n ≥ bits + 2`, so that `R ≥ 2^(bits+2) > 4m`; `None` past [`MAX_LIMBS`].
fn limbs_for(bits: usize) -> Option<usize> {
    let n = bits.checked_add(2)?.div_ceil(LIMB_BITS as usize);
    (n <= MAX_LIMBS).then_some(n)
}

impl Montgomery {
    /// Precomputes the context; `None` if `modulus` is even, `< 3`, or has more
    /// than [`MAX_LIMBS`] limbs (more than 3,554 bits on wasm32).
    ///
    /// `R mod m` is `2^(bits−1)` doubled `B·n − bits + 1` times modulo `m`;
    /// `R² mod m`, the Montgomery form of `R = 2^(B·n)`, is a square-and-double
    /// ladder over the bits of `B·n` started from `R mod m` (about a dozen
    /// squarings).
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn new(modulus: &Uint) -> Option<Montgomery> {
        let bits = modulus.bits();
        if !modulus.bit(0) || bits < 2 {
            return None;
        }
        let n = limbs_for(bits)?;
        let m = to_limbs(modulus.as_bytes_be(), n);
        let m0 = m.first().copied()?;
        let mut m_rev = vec![0; n];
        reverse_into(&mut m_rev, &m);
        // 2m < R: the doubling of m without reduction.
        let mut m2 = m.clone();
        shl1(&mut m2);
        let mut ctx = Ctx {
            n,
            m,
            m_rev,
            m2,
            minv: (neg_inv(limb_u64(m0)) as Limb) & MASK,
            one: vec![0; n],
            r2: vec![0; n],
        };
        let r_bits = LIMB_BITS as usize * n;
        let mut one = vec![0; n];
        if let Some(limb) = one.get_mut((bits - 1) / LIMB_BITS as usize) {
            *limb = 1 << ((bits - 1) % LIMB_BITS as usize);
        }
        for _ in 0..(r_bits + 1).saturating_sub(bits) {
            shl1(&mut one);
            sub_if_ge(&mut one, &ctx.m);
        }
        let mut s = Scratch::new(n);
        let (mut acc, mut t) = (one.clone(), vec![0; n]);
        for i in (0..usize::BITS - r_bits.leading_zeros()).rev() {
            ctx.sqr(&mut t, &acc, &mut s);
            core::mem::swap(&mut acc, &mut t);
            if r_bits >> i & 1 == 1 {
                ctx.double(&mut t, &acc);
                core::mem::swap(&mut acc, &mut t);
            }
        }
        sub_if_ge(&mut acc, &ctx.m);
        ctx.one = one;
        ctx.r2 = acc;
        Some(Montgomery {
            modulus: modulus.clone(),
            ctx,
        })
    }

    /// The modulus `m`.
    pub fn modulus(&self) -> &Uint {
        &self.modulus
    }

    /// `a·b mod m` (operands of any size): two conversions into Montgomery
    /// form, one product, one conversion out.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn mul_mod(&self, a: &Uint, b: &Uint) -> Uint {
        let ctx = &self.ctx;
        let mut s = Scratch::new(ctx.n);
        let (a, b) = (ctx.to_mont(a, &mut s), ctx.to_mont(b, &mut s));
        let mut t = vec![0; ctx.n];
        ctx.mul(&mut t, &a, &b, &mut s);
        ctx.out_of_mont(&t, &mut s)
    }

    /// `base^exp mod m`; `base` may be `>= m` (it is reduced first).
    ///
    /// Fixed-window exponentiation: the exponent's bits affect neither
    /// branches nor memory addresses, only its bit length is visible (see the
    /// module docs). Use this for secret exponents.
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn pow(&self, base: &Uint, exp: &Uint) -> Uint {
        let ctx = &self.ctx;
        if exp.is_zero() {
            return Uint::from(1);
        }
        let n = ctx.n;
        let mut s = Scratch::new(n);
        let base = ctx.to_mont(base, &mut s);

        let bits = exp.bits();
        let w = window_bits(bits);
        let digits = exp.as_bytes_be();

        // table[i] = base^i·R mod m (in [0, 2m)), i < 2^w.
        let mut table: Vec<Vec<Limb>> = Vec::with_capacity(1 << w);
        table.push(ctx.one.clone());
        table.push(base.clone());
        for _ in 2..(1usize << w) {
            let mut t = vec![0; n];
            if let Some(prev) = table.last() {
                ctx.mul(&mut t, prev, &base, &mut s);
            }
            table.push(t);
        }

        let windows = bits.div_ceil(w);
        let mut acc = vec![0; n];
        let mut t = vec![0; n];
        let mut sel = vec![0; n];
        select(&mut acc, &table, window_at(digits, (windows - 1) * w, w));
        for i in (0..windows - 1).rev() {
            for _ in 0..w {
                ctx.sqr(&mut t, &acc, &mut s);
                core::mem::swap(&mut acc, &mut t);
            }
            select(&mut sel, &table, window_at(digits, i * w, w));
            ctx.mul(&mut t, &acc, &sel, &mut s);
            core::mem::swap(&mut acc, &mut t);
        }
        ctx.out_of_mont(&acc, &mut s)
    }

    /// `2^exp mod m`. Faster than `pow(2, exp)`: the multiply by the base is a
    /// doubling (shift and masked subtraction) instead of a Montgomery
    /// multiplication.
    ///
    /// Left-to-right binary: one squaring and one doubling per bit, the
    /// doubled value kept or dropped by a mask, so the exponent's bits affect
    /// neither branches nor memory addresses (only its bit length is visible).
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn pow2(&self, exp: &Uint) -> Uint {
        let ctx = &self.ctx;
        if exp.is_zero() {
            return Uint::from(1);
        }
        let n = ctx.n;
        let mut s = Scratch::new(n);
        let bits = exp.bits();
        let digits = exp.as_bytes_be();

        // The top bit is set: start from 2 (in Montgomery form).
        let mut acc = vec![0; n];
        ctx.double(&mut acc, &ctx.one);
        let mut t = vec![0; n];
        for i in (0..bits - 1).rev() {
            ctx.sqr(&mut t, &acc, &mut s);
            ctx.double(&mut acc, &t);
            // Keep the doubled value iff bit i is set.
            let keep = (window_at(digits, i, 1) as Limb).wrapping_neg();
            for (a, v) in acc.iter_mut().zip(&t) {
                *a = (*a & keep) | (*v & !keep);
            }
        }
        ctx.out_of_mont(&acc, &mut s)
    }
}

/// Exponentiation of one fixed base, `g^e mod m` for exponents of at most
/// `bits` bits, by the Lim–Lee comb with `h` rows ([`COMB_ROWS`]): the
/// exponent is read as `h` rows of `d = ⌈bits/h⌉` bits, `e = Σ_j e_j·2^(d·j)`,
/// and with the table `T[s] = Π_{j ∈ s} g^(2^(d·j))` (`s` an `h`-bit set),
/// `g^e = Π_{i = d−1 … 0} T[bit i of e_0 … e_(h−1)]` (left to right, one
/// squaring and one multiplication per `i`). A 256-bit exponent costs 43
/// squarings and 43 multiplications instead of 256 squarings; building the
/// table (`2^h` entries) costs about 1.5 exponentiations, so this pays from
/// the second use.
///
/// Constant-time as [`Montgomery::pow`]: every `i` does the same work and the
/// table is scanned with masks.
#[derive(Clone, Debug)]
pub struct FixedBase {
    montgomery: Montgomery,
    base: Uint,
    /// `d`, and `T` in Montgomery form.
    comb: (usize, Vec<Vec<Limb>>),
}

/// Rows of the comb (`h`); the table has `2^h` entries (28 KB for the 3072-bit
/// group). Measured in Node for 256-bit exponents, per `g^e`: 1.4 ms by
/// doublings (`pow2`), 0.95 ms with 4 rows, 0.67 ms with 6, 0.55 ms with 8
/// (whose table is 4× larger and costs 2.5 ms to build).
const COMB_ROWS: usize = 6;

impl FixedBase {
    /// Precomputes the table for `base` and exponents of up to `bits` bits.
    // `rest < set` entries are already in `table`, and `top < COMB_ROWS = rows.len()`.
    #[allow(clippy::indexing_slicing)]
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn new(montgomery: &Montgomery, base: &Uint, bits: usize) -> FixedBase {
        let comb = {
            let ctx = &montgomery.ctx;
            let n = ctx.n;
            let d = bits.div_ceil(COMB_ROWS).max(1);
            let mut s = Scratch::new(n);
            // rows[j] = g^(2^(d·j)), in Montgomery form.
            let mut rows = Vec::with_capacity(COMB_ROWS);
            let mut row = ctx.to_mont(base, &mut s);
            let mut t = vec![0; n];
            for _ in 0..COMB_ROWS {
                rows.push(row.clone());
                for _ in 0..d {
                    ctx.sqr(&mut t, &row, &mut s);
                    core::mem::swap(&mut row, &mut t);
                }
            }
            let mut table: Vec<Vec<Limb>> = Vec::with_capacity(1 << COMB_ROWS);
            table.push(ctx.one.clone());
            for set in 1usize..(1 << COMB_ROWS) {
                // T[set] = T[set without its top row] · rows[top].
                let top = (usize::BITS - 1 - set.leading_zeros()) as usize;
                let rest = set & !(1 << top);
                let mut entry = vec![0; n];
                ctx.mul(&mut entry, &table[rest], &rows[top], &mut s);
                table.push(entry);
            }
            (d, table)
        };
        FixedBase {
            montgomery: montgomery.clone(),
            base: base.clone(),
            comb,
        }
    }

    /// `base^exp mod m`; exponents longer than the table's `bits` take
    /// [`Montgomery::pow`].
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    pub fn pow(&self, exp: &Uint) -> Uint {
        let (ctx, (d, table)) = (&self.montgomery.ctx, &self.comb);
        let d = *d;
        if exp.bits() > d * COMB_ROWS {
            return self.montgomery.pow(&self.base, exp);
        }
        if exp.is_zero() {
            return Uint::from(1);
        }
        let n = ctx.n;
        let mut s = Scratch::new(n);
        let digits = exp.as_bytes_be();
        let mut acc = ctx.one.clone();
        let mut t = vec![0; n];
        let mut sel = vec![0; n];
        for i in (0..d).rev() {
            ctx.sqr(&mut t, &acc, &mut s);
            let set = (0..COMB_ROWS).fold(0, |set, j| set | window_at(digits, d * j + i, 1) << j);
            select(&mut sel, table, set);
            ctx.mul(&mut acc, &t, &sel, &mut s);
        }
        ctx.out_of_mont(&acc, &mut s)
    }
}

impl Ctx {
    /// `out = REDC(a·b) = a·b·R⁻¹ mod m`, in `[0, 2m)` for `a, b < 2m`.
    /// All slices have `n` limbs.
    // Indices come from `column_span` over slices of `n` limbs each (sized by `Ctx`), never
    // from input values; bounds checks here would cost the kernel its speed.
    #[allow(clippy::indexing_slicing)]
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[cfg_attr(feature = "small", inline(never))]
    fn mul(&self, out: &mut [Limb], a: &[Limb], b: &[Limb], s: &mut Scratch) {
        let n = self.n;
        let Scratch { q, rev, .. } = s;
        reverse_into(rev, b);
        let m_rev = &self.m_rev[..];
        self.redc_columns(out, q, |k, q| {
            // Σ a_i·b_(k−i) + Σ q_i·m_(k−i) over the same i.
            let (lo, len, r) = column_span(n, k);
            let (i, j) = (lo..lo + len, r..r + len);
            dot2(&a[i.clone()], &rev[j.clone()], &q[i], &m_rev[j])
        });
    }

    /// `out = REDC(a²)`; as `mul` with each cross product `a_i·a_j` (`i < j`)
    /// computed once, as `(2a_i)·a_j`, in one pass with the first terms of
    /// `Σ q_i·m_(k−i)`.
    // Indices come from `column_span` over slices of `n` limbs each (sized by `Ctx`), never
    // from input values; bounds checks here would cost the kernel its speed.
    #[allow(clippy::indexing_slicing)]
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[cfg_attr(feature = "small", inline(never))]
    fn sqr(&self, out: &mut [Limb], a: &[Limb], s: &mut Scratch) {
        let n = self.n;
        let Scratch { q, rev, twice } = s;
        reverse_into(rev, a);
        for (t, x) in twice.iter_mut().zip(a) {
            *t = x << 1;
        }
        let m_rev = &self.m_rev[..];
        self.redc_columns(out, q, |k, q| {
            let (lo, len, r) = column_span(n, k);
            // Pairs i < j with i + j = k: the first c of the column's terms.
            let c = k.div_ceil(2) - lo;
            let (i, j) = (lo..lo + c, r..r + c);
            let cross = dot2(&twice[i.clone()], &rev[j.clone()], &q[i], &m_rev[j]);
            let square = if k % 2 == 0 {
                wide(a[k / 2]) * wide(a[k / 2])
            } else {
                0
            };
            cross + square + dot(&q[lo + c..lo + len], &m_rev[r + c..r + len])
        });
    }

    /// The shared REDC. `column(k, q)` is column `k` (`k < 2n − 1`) of the
    /// product plus `Σ q_i·m_(k−i)` over the same `i`, where `q_k` is still 0
    /// for `k < n`; the quotient limbs go to `q`, the result (in `[0, 2m)`)
    /// to `out`.
    // `k < n` indexes `q` of `n` limbs (sized by `Scratch::new`).
    #[allow(clippy::indexing_slicing)]
    #[cfg_attr(target_arch = "wasm32", target_feature(enable = "simd128"))]
    #[inline]
    fn redc_columns(
        &self,
        out: &mut [Limb],
        q: &mut [Limb],
        column: impl Fn(usize, &[Limb]) -> Acc,
    ) {
        let n = self.n;
        let m0 = wide(self.m.first().copied().unwrap_or(0));
        q.fill(0);
        let mut acc: Acc = 0;
        for k in 0..n {
            acc += column(k, q);
            let qk = (acc as Limb).wrapping_mul(self.minv) & MASK;
            q[k] = qk;
            acc += wide(qk) * m0;
            acc >>= LIMB_BITS;
        }
        for (k, o) in (n..2 * n - 1).zip(out.iter_mut()) {
            acc += column(k, q);
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

    /// `x·R mod m` (in `[0, 2m)`) for any `x`: with `x = Σ c_j·R^j` (chunks of
    /// `n` limbs, each `< R`), Horner from the top chunk,
    /// `acc ← REDC(acc·R²) + REDC(c_j·R²)`. Each REDC is `< 2m` (`acc < 4m`,
    /// `c_j < R` and `R² mod m < m`, with `4m < R`), so `acc < 4m` throughout
    /// and one masked subtraction of `2m` ends it in `[0, 2m)`.
    fn to_mont(&self, x: &Uint, s: &mut Scratch) -> Vec<Limb> {
        let n = self.n;
        let bytes = x.as_bytes_be();
        let limbs = to_limbs(bytes, (8 * bytes.len()).div_ceil(LIMB_BITS as usize).max(1));
        let (mut acc, mut c, mut t) = (vec![0; n], vec![0; n], vec![0; n]);
        for (j, chunk) in limbs.chunks(n).rev().enumerate() {
            c.fill(0);
            for (d, v) in c.iter_mut().zip(chunk) {
                *d = *v;
            }
            if j > 0 {
                self.mul(&mut t, &acc, &self.r2, s);
                core::mem::swap(&mut acc, &mut t);
            }
            self.mul(&mut t, &c, &self.r2, s);
            add_into(&mut acc, &t);
        }
        sub_if_ge(&mut acc, &self.m2);
        acc
    }

    /// `a·R⁻¹ mod m`, fully reduced.
    fn out_of_mont(&self, a: &[Limb], s: &mut Scratch) -> Uint {
        let mut one = vec![0; self.n];
        if let Some(x) = one.first_mut() {
            *x = 1;
        }
        let mut out = vec![0; self.n];
        // REDC(a·1) ≤ m (equal iff a ≡ 0); one masked subtraction fixes it.
        self.mul(&mut out, a, &one, s);
        sub_if_ge(&mut out, &self.m);
        from_limbs(&out)
    }
}

/// `x = 2x` (the caller knows it fits in `x`'s limbs).
#[inline(never)]
fn shl1(x: &mut [Limb]) {
    let mut carry = 0;
    for v in x.iter_mut() {
        let top = *v >> (LIMB_BITS - 1);
        *v = ((*v << 1) | carry) & MASK;
        carry = top;
    }
}

/// `x = x + y` (equal lengths; the caller knows the sum fits).
#[inline(never)]
fn add_into(x: &mut [Limb], y: &[Limb]) {
    let mut carry = 0;
    for (a, b) in x.iter_mut().zip(y) {
        let t = *a + *b + carry;
        *a = t & MASK;
        carry = t >> LIMB_BITS;
    }
}

/// `x = x − y` if `x ≥ y`, without branching on the values.
#[inline(never)]
fn sub_if_ge(x: &mut [Limb], y: &[Limb]) {
    // Borrow out of x − y: 0 iff x ≥ y.
    let top = Limb::BITS - 1;
    let borrow = x.iter().zip(y).fold(0, |b: Limb, (xi, yi)| {
        xi.wrapping_sub(*yi).wrapping_sub(b) >> top
    });
    let keep = borrow.wrapping_sub(1);
    let mut b: Limb = 0;
    for (xi, yi) in x.iter_mut().zip(y) {
        let t = xi.wrapping_sub(yi & keep).wrapping_sub(b);
        b = t >> top;
        *xi = t & MASK;
    }
}

/// `out = table[idx]`, reading every entry (no index-dependent address).
fn select(out: &mut [Limb], table: &[Vec<Limb>], idx: usize) {
    out.iter_mut().for_each(|o| *o = 0);
    for (i, e) in table.iter().enumerate() {
        // All ones iff i == idx.
        let d = (i ^ idx) as u64;
        let mask = (((d | d.wrapping_neg()) >> 63).wrapping_sub(1)) as Limb;
        for (o, x) in out.iter_mut().zip(e) {
            *o |= x & mask;
        }
    }
}

/// Bits `pos .. pos + w` of the big-endian exponent `be` (`w ≤ 6`); zero
/// past the end.
fn window_at(be: &[u8], pos: usize, w: usize) -> usize {
    let (j, s) = (pos / 8, pos % 8);
    let pair = usize::from(byte_le(be, j)) | usize::from(byte_le(be, j + 1)) << 8;
    (pair >> s) & ((1 << w) - 1)
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

/// The low `B·n` bits of big-endian `be` as `n` limbs of `B` bits.
#[inline(never)]
fn to_limbs(be: &[u8], n: usize) -> Vec<Limb> {
    let mut out = vec![0; n];
    let mut slots = out.iter_mut();
    let (mut buf, mut have): (u64, u32) = (0, 0);
    for &b in be.iter().rev() {
        buf |= u64::from(b) << have;
        have += 8;
        if have >= LIMB_BITS {
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

/// The value of `B`-bit limbs (each `< 2^B`).
#[inline(never)]
fn from_limbs(x: &[Limb]) -> Uint {
    let mut le = Vec::with_capacity(x.len() * LIMB_BITS as usize / 8 + 1);
    let (mut buf, mut have): (u64, u32) = (0, 0);
    for l in x {
        buf |= limb_u64(*l) << have;
        have += LIMB_BITS;
        while have >= 8 {
            le.push(buf as u8);
            buf >>= 8;
            have -= 8;
        }
    }
    le.push(buf as u8);
    le.reverse();
    Uint::from_vec(le)
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use num_traits::{One, Zero};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn u(x: &BigUint) -> Uint {
        Uint::from_bytes_be(&x.to_bytes_be())
    }

    fn b(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(x.as_bytes_be())
    }

    fn context(m: &BigUint) -> Option<Montgomery> {
        Montgomery::new(&u(m))
    }

    /// A 3072-bit odd modulus shaped like RFC 3526's (top and bottom 64 bits
    /// set): `2^3072 − 2^3008 − 1 + 2^64·c`, `c` a fixed 2942-bit odd number.
    /// (cognito-wasm's own tests check the real group through the SRP vectors.)
    fn n3072() -> BigUint {
        let mut rng = Rng(0x243F_6A88_85A3_08D3);
        let c = (BigUint::one() << 2941u32) | rng.big(2941) | BigUint::one();
        (BigUint::one() << 3072u32) - (BigUint::one() << 3008u32) - 1u32 + (c << 64u32)
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
        let m = &b(ctx.modulus());
        assert_eq!(
            b(&ctx.pow(&u(base), &u(exp))),
            base.modpow(exp, m),
            "pow {base} {exp} {m}"
        );
        assert_eq!(
            b(&ctx.pow2(&u(exp))),
            BigUint::from(2u32).modpow(exp, m),
            "pow2 {exp} {m}"
        );
        assert_eq!(
            b(&ctx.mul_mod(&u(base), &u(exp))),
            (base * exp) % m,
            "mul_mod {base} {exp} {m}"
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
    fn fixed_base_agrees_with_modpow() {
        let mut rng = Rng(0x6A09_E667_F3BC_C908);
        let mut moduli = moduli();
        moduli.push(n3072());
        for m in &moduli {
            let ctx = context(m).unwrap();
            for (base, bits) in [
                (BigUint::from(2u32), 256),
                (rng.big(3100), 100),
                (rng.big(64), 7),
            ] {
                let fixed = FixedBase::new(&ctx, &u(&base), bits);
                let mut exps = vec![
                    BigUint::zero(),
                    BigUint::one(),
                    BigUint::from(2u32),
                    (BigUint::one() << bits) - 1u32,
                    BigUint::one() << (bits - 1),
                    // Past the table: the fallback.
                    BigUint::one() << bits,
                    rng.big(bits + 40),
                ];
                exps.extend((0..6).map(|_| rng.big(bits)));
                for e in &exps {
                    assert_eq!(
                        b(&fixed.pow(&u(e))),
                        base.modpow(e, m),
                        "{base}^{e} mod {m}"
                    );
                }
            }
        }
    }

    #[test]
    fn rejects_bad_moduli() {
        for m in [0u32, 1, 2, 4, 6, 1 << 20] {
            assert!(context(&BigUint::from(m)).is_none(), "{m}");
        }
        assert!(context(&(n3072() + 1u32)).is_none());
        assert!(context(&BigUint::from(3u32)).is_some());
    }

    #[test]
    fn edge_cases() {
        for m in moduli() {
            let ctx = context(&m).unwrap();
            assert_eq!(b(ctx.modulus()), m);
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
            let ctx = context(m).unwrap();
            for i in 0..40 {
                let b = rng.big(m.bits() as usize + 8);
                let e = rng.big(1 + i * 13);
                check(&ctx, &b, &e);
            }
        }
        // Random odd moduli of assorted sizes.
        for i in 0..60 {
            let m = rng.big(2 + i * 37) | BigUint::from(3u32);
            let ctx = context(&m).unwrap();
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
        let ctx = context(&n).unwrap();
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
        let ctx = context(&m).unwrap();
        let e = (BigUint::one() << 64u32) - 1u32;
        for b in [&m - 1u32, &m - 2u32, (BigUint::one() << (bits - 1)) + 1u32] {
            check(&ctx, &b, &e);
        }
    }

    #[test]
    fn refuses_moduli_past_the_carry_bound() {
        let largest = LIMB_BITS as usize * MAX_LIMBS - 2;
        assert_eq!(limbs_for(largest), Some(MAX_LIMBS));
        assert_eq!(limbs_for(largest + 1), None);
        assert_eq!(limbs_for(usize::MAX), None);
        assert_eq!(
            limbs_for(3072),
            Some(3074usize.div_ceil(LIMB_BITS as usize))
        );
        if largest < 8000 {
            // wasm32: the bound is within reach of a test.
            assert!(context(&((BigUint::one() << (largest + 1)) - 1u32)).is_none());
        }
    }
}

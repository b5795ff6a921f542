//! The names std's prelude gives, from `alloc`: the no_std builds (the browser package's restore
//! and signin_plain modules) have only core's prelude, so each file that uses one of these has
//! `use crate::prelude::*;` (a plain re-export in the std builds); with them the crate's own
//! [`Cat`] (`[..].cat()`, a `String` from parts), which every build uses.

pub use crate::text::Cat;
pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::{String, ToString};
pub use alloc::vec::Vec;
pub use alloc::{format, vec};

/// `f64::fract` where core lacks it (no std): `x % 1.0`, which is `x − trunc(x)` with its sign
/// for every finite `x` (NaN for ±∞ and NaN, as `fract`).
#[cfg(all(target_arch = "wasm32", not(feature = "std"), feature = "small-heap"))]
pub trait Fract {
    fn fract(self) -> f64;
}

#[cfg(all(target_arch = "wasm32", not(feature = "std"), feature = "small-heap"))]
impl Fract for f64 {
    fn fract(self) -> f64 {
        self % 1.0
    }
}

//! [`Local`]: a `static` of the wasm32 builds' one thread, for the crate's module-wide state
//! (in place of `thread_local!`, which the no_std builds do not have).

use core::ops::Deref;

/// A value in a `static` that only the instance's one thread reaches: `Local<RefCell<T>>`,
/// `Local<Cell<T>>`, `Local<OnceCell<T>>`. `Sync` on wasm32 without the `atomics` target
/// feature only (a build with threads does not compile, rather than share it unsoundly).
pub struct Local<T>(T);

// SAFETY: wasm32 without `atomics` has no threads (no shared memory, no `std::thread`), so a
// `Local` is never reached from two threads: `Sync` adds nothing a single thread could misuse.
#[cfg(not(target_feature = "atomics"))]
unsafe impl<T> Sync for Local<T> {}

impl<T> Local<T> {
    /// `value` as a `static`'s initialiser.
    pub const fn new(value: T) -> Self {
        Local(value)
    }
}

impl<T> Deref for Local<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

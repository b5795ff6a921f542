//! [`Slot`]: one optional value a `CognitoAuth` holds between calls (the pending challenge, the
//! next SRP pair), moved in and out, never borrowed: no borrow flag, and no panic path (a
//! `RefCell` has one per `borrow`/`replace`).

use core::cell::Cell;

pub(super) struct Slot<T>(Cell<Option<T>>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot(Cell::new(None))
    }
}

impl<T> Slot<T> {
    /// Puts `value` in; gives back what was there.
    pub(super) fn replace(&self, value: Option<T>) -> Option<T> {
        self.0.replace(value)
    }

    /// Takes the value out (the slot is then empty).
    #[cfg(feature = "signin")]
    pub(super) fn take(&self) -> Option<T> {
        self.0.take()
    }

    /// `f` over the value in place (taken out for the call, then put back).
    #[inline]
    pub(super) fn with<R>(&self, f: impl FnOnce(&mut Option<T>) -> R) -> R {
        let mut value = self.0.take();
        let out = f(&mut value);
        self.0.set(value);
        out
    }
}

impl<T: Clone> Slot<T> {
    /// A copy of the value.
    pub(super) fn cloned(&self) -> Option<T> {
        self.with(|value| value.clone())
    }
}

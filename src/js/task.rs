//! The crate's awaiting of JS Promises ([`awaited`]) and its tasks ([`start`], [`spawn`]).
//!
//! The browser package's builds (`small-heap`) run no executor: every future in them awaits only
//! JS Promises, each through an [`Awaited`], so a task is a [`Task`] that `task.js`'s `drive`
//! polls again each time the one Promise it awaits settles (the JS event loop is the executor;
//! no waker is used). Every other build (Node and workerd, a Rust app under its own executor, the
//! wasm-bindgen tests) keeps wasm-bindgen-futures' `JsFuture` and `spawn_local`, whose futures
//! are woken through wakers.

use crate::prelude::*;
use core::future::Future;
use core::pin::Pin;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[cfg(feature = "small-heap")]
use driven as imp;
#[cfg(feature = "small-heap")]
pub use driven::Awaited;
#[cfg(not(feature = "small-heap"))]
use executor as imp;
#[cfg(not(feature = "small-heap"))]
pub use executor::Awaited;

/// A task's work: its outcome resolves (`Ok`) or rejects (`Err`) its Promise.
pub type Work = Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>>;

/// `promise`'s outcome, awaited: `Ok` with its value, `Err` with its rejection.
#[inline]
pub fn awaited(promise: Promise) -> Awaited {
    imp::awaited(promise)
}

/// Runs `work` from the next microtask on; the Promise settles with its outcome (or, after a
/// panic, rejects with the panic's Error: [`abandon`]).
#[inline(never)]
pub fn start(work: Work) -> Promise {
    imp::start(work)
}

/// Runs `task` from the next microtask on, for its effects only.
#[inline(never)]
pub fn spawn(task: Pin<Box<dyn Future<Output = ()>>>) {
    imp::spawn(task);
}

/// After a panic: rejects every Promise [`start`] returned that is still pending with `error`
/// (their futures died with the instance); no task is polled again.
pub fn abandon(error: &JsValue) {
    imp::abandon(error);
}

/// The browser package's tasks: driven from JS, one Promise at a time.
#[cfg(feature = "small-heap")]
mod driven {
    use super::*;
    use core::cell::Cell;
    use core::task::{Context, Poll, Waker};

    use crate::local::Local;

    #[wasm_bindgen(module = "/src/js/task.js")]
    extern "C" {
        /// Polls `task` from the next microtask on, then each time the Promise it awaits settles;
        /// the Promise returned settles with the task's outcome.
        fn drive(task: Task) -> Promise;
        /// [`drive`] for the task's effects only (its Promise's rejection ignored).
        #[wasm_bindgen(js_name = detach)]
        fn js_detach(task: Task);
        /// The Promise the task being polled awaits next.
        fn wait(promise: &Promise);
        /// Rejects every driven Promise still pending with `error`; none is polled again.
        #[wasm_bindgen(js_name = abandon)]
        fn js_abandon(error: &JsValue);
    }

    /// The outcome of the Promise the task being polled awaited, for its [`Awaited`] to take.
    static OUTCOME: Local<Cell<Option<Result<JsValue, JsValue>>>> = Local::new(Cell::new(None));

    /// A Promise awaited: on its first poll it hands the Promise to the driver ([`wait`]) and is
    /// pending; polled again, it takes the outcome the driver brought ([`Task::poll`]).
    pub struct Awaited {
        promise: Promise,
        waiting: bool,
    }

    impl Future for Awaited {
        type Output = Result<JsValue, JsValue>;

        fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Self::Output> {
            if self.waiting {
                if let Some(outcome) = OUTCOME.take() {
                    return Poll::Ready(outcome);
                }
            }
            // First poll, or one without an outcome: (again) the Promise to await.
            self.waiting = true;
            wait(&self.promise);
            Poll::Pending
        }
    }

    pub(super) fn awaited(promise: Promise) -> Awaited {
        Awaited {
            promise,
            waiting: false,
        }
    }

    /// A task `task.js` drives (not public API).
    #[wasm_bindgen(skip_typescript, js_name = __Task)]
    pub struct Task(Work);

    #[wasm_bindgen(js_class = __Task)]
    impl Task {
        /// Polls the work with the outcome of the Promise it awaited (`ok`: resolved with
        /// `value`, else rejected with it; ignored on the first poll). Pending: the next Promise
        /// was given to `wait` and this returns `undefined`; ready: the work's outcome (`Err`
        /// throws it).
        pub fn poll(&mut self, ok: bool, value: JsValue) -> Result<JsValue, JsValue> {
            OUTCOME.set(Some(if ok { Ok(value) } else { Err(value) }));
            let polled = self
                .0
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()));
            // No outcome outlives its poll (another task's Awaited never takes it).
            OUTCOME.set(None);
            match polled {
                Poll::Ready(outcome) => outcome,
                Poll::Pending => Ok(JsValue::UNDEFINED),
            }
        }
    }

    pub(super) fn start(work: Work) -> Promise {
        drive(Task(work))
    }

    pub(super) fn spawn(task: Pin<Box<dyn Future<Output = ()>>>) {
        js_detach(Task(Box::pin(Detached(task))));
    }

    pub(super) fn abandon(error: &JsValue) {
        js_abandon(error);
    }

    /// A task for its effects: `undefined` once done.
    struct Detached(Pin<Box<dyn Future<Output = ()>>>);

    impl Future for Detached {
        type Output = Result<JsValue, JsValue>;

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            self.0.as_mut().poll(cx).map(|()| Ok(JsValue::UNDEFINED))
        }
    }
}

/// Every other build's tasks: wasm-bindgen-futures' executor.
#[cfg(not(feature = "small-heap"))]
mod executor {
    use super::*;
    use core::cell::{Cell, RefCell};
    use core::task::{Context, Poll};

    use js_sys::Function;
    use wasm_bindgen_futures::spawn_local;

    use crate::local::Local;

    pub type Awaited = wasm_bindgen_futures::JsFuture;

    pub(super) fn awaited(promise: Promise) -> Awaited {
        Awaited::from(promise)
    }

    /// `reject` of each started Promise still pending, by id.
    static PENDING: Local<RefCell<Vec<(u32, Function)>>> = Local::new(RefCell::new(Vec::new()));
    static NEXT_ID: Local<Cell<u32>> = Local::new(Cell::new(0));

    pub(super) fn start(work: Work) -> Promise {
        let mut handles: Option<(Function, Function)> = None;
        let promise = Promise::new(&mut |resolve, reject| handles = Some((resolve, reject)));
        let Some((resolve, reject)) = handles else {
            return promise; // the Promise constructor always calls its executor
        };
        let id = NEXT_ID.get();
        NEXT_ID.set(id.wrapping_add(1));
        PENDING.borrow_mut().push((id, reject.clone()));
        spawn(Box::pin(Settle {
            work,
            id,
            resolve,
            reject,
        }));
        promise
    }

    pub(super) fn spawn(task: Pin<Box<dyn Future<Output = ()>>>) {
        spawn_local(task);
    }

    pub(super) fn abandon(error: &JsValue) {
        let pending = PENDING
            .try_borrow_mut()
            .map(|mut p| core::mem::take(&mut *p))
            .unwrap_or_default();
        for (_, reject) in pending {
            let _ = reject.call1(&JsValue::UNDEFINED, error);
        }
    }

    /// A started task's work, then the settling of its Promise: its `resolve` or `reject` called
    /// with the outcome, after it leaves [`PENDING`].
    struct Settle {
        work: Work,
        id: u32,
        resolve: Function,
        reject: Function,
    }

    impl Future for Settle {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            let Poll::Ready(outcome) = self.work.as_mut().poll(cx) else {
                return Poll::Pending;
            };
            let id = self.id;
            let mut pending = PENDING.borrow_mut();
            if let Some(i) = pending.iter().position(|(other, _)| *other == id) {
                pending.swap_remove(i); // their order does not matter
            }
            drop(pending);
            let _ = match outcome {
                Ok(value) => self.resolve.call1(&JsValue::UNDEFINED, &value),
                Err(error) => self.reject.call1(&JsValue::UNDEFINED, &error),
            };
            Poll::Ready(())
        }
    }
}

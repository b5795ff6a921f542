//! No traps: a panic (a bug; nothing on a path handling outside data is meant to panic) becomes a
//! JS `Error` named `InternalError`, and the module re-initialises itself on the next call.
//!
//! The release build aborts on panic, which leaves the instance's memory in an unknown state, so
//! the hook installed at start-up (with std; the no_std builds' `#[panic_handler]` does the
//! same, [`on_panic`] in both):
//! 1. writes one fixed line with the panic's source location to `console.error` — never the
//!    panic message, which can quote the data being processed (a `str` slice panic prints the
//!    string);
//! 2. calls [`wasm_bindgen::handler::schedule_reinit`]: the next call of any export makes a fresh
//!    `WebAssembly.Instance` from the same module (objects from before the panic then throw a
//!    clear error instead of touching the new instance);
//! 3. rejects every promise a [`guard`]ed call returned that is still pending with that Error
//!    (their futures died with the instance);
//! 4. throws the Error, which unwinds the WebAssembly frames to the JS caller: a synchronous
//!    call throws it; inside an async task it escapes to the host's uncaught-error handler (the
//!    call's own promise was rejected in step 3).

use crate::prelude::*;
use core::future::Future;
use core::panic::Location;

use js_sys::{Promise, Reflect};
use wasm_bindgen::prelude::*;

/// The fixed prefix of the one line logged per panic.
pub const LOG_PREFIX: &str = "cognito-wasm: internal error";

#[wasm_bindgen(start, skip_typescript, js_name = __cognitoWasmStart)]
fn install_panic_hook() {
    #[cfg(any(feature = "std", not(feature = "small-heap")))]
    std::panic::set_hook(Box::new(|info| on_panic(info.location())));
    // The module's one start function: the host's JSON reader is registered here too.
    #[cfg(feature = "host-json")]
    super::host_json::register();
}

fn internal_error(location: &str) -> js_sys::Error {
    let error = js_sys::Error::new(
        &[
            LOG_PREFIX,
            " (a panic at ",
            location,
            "); the module re-initialises on the next call",
        ]
        .cat(),
    );
    error.set_name("InternalError");
    let _ = Reflect::set(&error, &"code".into(), &"InternalError".into());
    let _ = Reflect::set(&error, &"retryable".into(), &JsValue::FALSE);
    error
}

/// The no_std builds' panic handler (without `std`, with `small-heap`: the package's own globals):
/// [`on_panic`].
#[cfg(all(not(feature = "std"), feature = "small-heap", not(test)))]
#[panic_handler]
fn panic_handler(info: &core::panic::PanicInfo<'_>) -> ! {
    on_panic(info.location())
}

/// Steps 1–4 of the module's documentation for a panic at `location`; never returns (it throws).
fn on_panic(location: Option<&Location<'_>>) -> ! {
    wasm_bindgen::handler::schedule_reinit();
    let location = location.map_or_else(
        || "an unknown location".to_owned(),
        |l| {
            let mut at = String::from(l.file());
            for number in [l.line(), l.column()] {
                at.push(':');
                crate::text::push_u64(&mut at, u64::from(number));
            }
            at
        },
    );
    let error = internal_error(&location);
    web_sys_console_error(&error.message().into());
    super::task::abandon(&error);
    wasm_bindgen::throw_val(error.into());
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn web_sys_console_error(message: &JsValue);
}

/// Runs `work` as a Promise that a panic rejects with `InternalError` rather than leaving pending.
/// Generic only to box: the task machinery is one copy ([`super::task::start`]).
#[inline]
pub fn guard<F>(work: F) -> Promise
where
    F: Future<Output = Result<JsValue, JsValue>> + 'static,
{
    super::task::start(Box::pin(work))
}

/// Test hook (Cargo feature `test-hooks`, never in the published package): panics at once.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(js_name = __forcePanic)]
pub fn force_panic() {
    panic!("forced panic (test hook) with a secret-looking payload: hunter2");
}

/// Test hook: a Promise whose task panics after a timer tick.
#[cfg(feature = "test-hooks")]
#[wasm_bindgen(js_name = __forcePanicAsync)]
pub fn force_panic_async() -> Promise {
    guard(async {
        let tick = Promise::new(&mut |resolve, _| {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let _ = super::task::awaited(tick).await;
        boom()
    })
}

#[cfg(feature = "test-hooks")]
fn boom() -> Result<JsValue, JsValue> {
    panic!("forced async panic (test hook): hunter2");
}

//! Every wasm suite of `tests/` that runs in a browser, in one test binary configured
//! `run_in_browser`: what `wasm-pack test --headless --chrome` runs (and `--node` skips; there
//! each suite runs from its own file, as `cargo test --target wasm32-unknown-unknown` does).
//! Needs the emulator (`tests/emulator/start --port N`, `COGNITO_EMULATOR_URL` at build time).
#![cfg(target_arch = "wasm32")]
// Each suite declares `mod common;` for its own binary; here each gets its copy.
#![allow(clippy::duplicate_mod)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "account.rs"]
mod account;
#[path = "api_flows.rs"]
mod api_flows;
#[path = "devices.rs"]
mod devices;
#[path = "passwordless.rs"]
mod passwordless;
#[path = "rust_client.rs"]
mod rust_client;
#[path = "srp_errors.rs"]
mod srp_errors;
#[path = "srp_vectors.rs"]
mod srp_vectors;
#[path = "storage.rs"]
mod storage;
#[path = "verifier_wasm.rs"]
mod verifier_wasm;

//! The response parsers: `wire::parse_error` (status, `x-amzn-errortype`, body), the JSON of every
//! response type (read through `cognito_wasm::json`), the JSON reader and writer themselves, and a
//! session made from whatever `AuthenticationResult` parses.
#![no_main]
use cognito_wasm::session::Session;
use cognito_wasm::wire::{
    decode, exception_name, parse_error, AuthResponse, CodeDeliveryResponse, Empty,
    GetUserResponse, ListDevicesResponse, Operation, SignUpResponse,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let status = u16::from_be_bytes([data[0], data[1]]);
    let Ok(text) = std::str::from_utf8(&data[3..]) else {
        return;
    };
    // Byte 2 decides whether a prefix of the text is also sent as the header.
    let header = (data[2] & 1 == 1).then(|| {
        &text[..text
            .char_indices()
            .nth(data[2] as usize / 2)
            .map_or(text.len(), |(i, _)| i)]
    });
    let error = parse_error(status, header, text);
    let _ = (
        error.code(),
        error.retryable(),
        error.status(),
        error.to_string(),
    );
    if let Some(h) = header {
        let _ = exception_name(h);
    }
    if let Ok(value) = cognito_wasm::json::parse(text) {
        // What is written reads back as the same value.
        assert_eq!(cognito_wasm::json::parse(&value.to_json()).ok(), Some(value));
    }
    let op = Operation::InitiateAuth;
    if let Ok(answer) = decode::<AuthResponse>(op, text) {
        if let Some(result) = &answer.authentication_result {
            let _ = Session::from_result(result, None, u64::from(status) * 1_000_000);
        }
    }
    let _ = decode::<SignUpResponse>(op, text);
    let _ = decode::<CodeDeliveryResponse>(op, text);
    let _ = decode::<GetUserResponse>(op, text);
    let _ = decode::<ListDevicesResponse>(op, text);
    let _ = decode::<Empty>(op, text);
});

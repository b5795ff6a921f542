//! The response parsers: `wire::parse_error` (status, `x-amzn-errortype`, body), the JSON of every
//! response type, and a session made from whatever `AuthenticationResult` parses.
#![no_main]
use cognito_wasm::session::Session;
use cognito_wasm::wire::{
    exception_name, parse_error, AuthResponse, CodeDeliveryResponse, Empty, SignUpResponse,
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
    if let Ok(answer) = serde_json::from_str::<AuthResponse>(text) {
        if let Some(result) = &answer.authentication_result {
            let _ = Session::from_result(result, None, u64::from(status) * 1_000_000);
        }
    }
    let _ = serde_json::from_str::<SignUpResponse>(text);
    let _ = serde_json::from_str::<CodeDeliveryResponse>(text);
    let _ = serde_json::from_str::<Empty>(text);
});

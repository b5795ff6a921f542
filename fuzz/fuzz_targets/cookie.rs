//! Cookie headers: `parse_cookie_header`, `reassemble`, `decode`, and the round trip
//! `split_value` → `reassemble` for any value and chunk limit.
#![no_main]
use cognito_wasm::cookie::{
    decode, encode, parse_cookie_header, reassemble, split_value, CookieMap,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let limit = usize::from(data[0]);
    let Ok(text) = std::str::from_utf8(&data[1..]) else {
        return;
    };
    let jar = parse_cookie_header(text);
    for name in jar.keys() {
        let _ = reassemble(&jar, name);
    }
    let _ = decode(text);
    assert_eq!(decode(&encode(text)).as_deref(), Some(text));
    let mut split = CookieMap::new();
    for (name, value) in split_value("tok", text, limit) {
        split.insert(name, value);
    }
    assert_eq!(reassemble(&split, "tok").as_deref(), Some(text));
});

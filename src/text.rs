//! Text by bytes: `contains` for a `&str` needle without core's substring searcher, and
//! integers written digit by digit (no `core::fmt` integer formatting in shipped messages).

/// Whether `needle` occurs in `haystack` (byte for byte; an empty needle always does).
pub fn contains(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window == needle)
}

/// Appends the decimal digits of `value`.
pub fn push_u64(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut rest = value;
    let mut start = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
        start -= 1;
        if rest == 0 {
            break;
        }
    }
    for &digit in digits.iter().skip(start) {
        out.push(char::from(digit));
    }
}

/// Appends `value` in decimal, with `-` when negative.
pub fn push_i64(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    push_u64(out, value.unsigned_abs());
}

/// `value` in decimal.
pub fn decimal(value: i64) -> String {
    let mut out = String::new();
    push_i64(&mut out, value);
    out
}

#[cfg(test)]
mod tests {
    use super::{contains, decimal, push_u64};

    #[test]
    fn integers_as_display_writes_them() {
        for value in [0, 1, -1, 9, 10, -10, 1234567890, i64::MAX, i64::MIN] {
            assert_eq!(decimal(value), value.to_string());
        }
        for value in [0, 7, 1_000_000, u64::MAX] {
            let mut out = String::from("x");
            push_u64(&mut out, value);
            assert_eq!(out, format!("x{value}"));
        }
    }

    #[test]
    fn finds_a_needle_as_str_contains_does() {
        for (haystack, needle) in [
            (r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#, "\"EMAIL_OTP\""),
            ("Device does not exist.", "evice"),
            ("", ""),
            ("ab", ""),
            ("a", "ab"),
            ("déjà vu", "jà"),
            ("EMAIL_OTP_X", "\"EMAIL_OTP\""),
        ] {
            assert_eq!(
                contains(haystack, needle),
                haystack.contains(needle),
                "{haystack} {needle}"
            );
        }
    }
}

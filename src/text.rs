//! Text search by bytes: `contains` for a `&str` needle without core's substring searcher.

/// Whether `needle` occurs in `haystack` (byte for byte; an empty needle always does).
pub fn contains(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::contains;

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

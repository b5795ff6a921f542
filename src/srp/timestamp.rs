//! The `TIMESTAMP` of a PASSWORD_VERIFIER response.
//!
//! Format: `Www Mmm D HH:MM:SS UTC YYYY` in UTC with English abbreviations; the day of the month is
//! **not** zero-padded (`Tue Mar 4 09:05:07 UTC 2025`), the time fields are. Cognito rejects a
//! padded day, so a client that pads fails on days 1–9 of every month.

use crate::prelude::*;
/// The weekdays' abbreviations from Sunday, three letters each.
const WEEKDAYS: &str = "SunMonTueWedThuFriSat";
/// The months' abbreviations from January, three letters each.
const MONTHS: &str = "JanFebMarAprMayJunJulAugSepOctNovDec";

/// Formats `unix_seconds` (seconds since 1970-01-01T00:00:00Z) as Cognito's TIMESTAMP.
pub fn format_timestamp(unix_seconds: u64) -> String {
    let days = unix_seconds / 86_400;
    let secs_of_day = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = abbreviation(WEEKDAYS, (days + 4) % 7);
    let month_name = abbreviation(MONTHS, month.saturating_sub(1));
    let mut out = String::with_capacity(28);
    out.push_str(weekday);
    out.push(' ');
    out.push_str(month_name);
    out.push(' ');
    crate::text::push_u64(&mut out, day);
    push_two_digits(&mut out, ' ', secs_of_day / 3600);
    push_two_digits(&mut out, ':', secs_of_day / 60 % 60);
    push_two_digits(&mut out, ':', secs_of_day % 60);
    out.push_str(" UTC ");
    crate::text::push_u64(&mut out, year);
    out
}

/// The `index`th three-letter abbreviation of `names` (empty past the end).
fn abbreviation(names: &'static str, index: u64) -> &'static str {
    let start = (index as usize).saturating_mul(3);
    names.get(start..start.saturating_add(3)).unwrap_or("")
}

/// `separator`, then `value` (below 100) zero-padded to two digits.
fn push_two_digits(out: &mut String, separator: char, value: u64) {
    out.push(separator);
    if value < 10 {
        out.push('0');
    }
    crate::text::push_u64(out, value);
}

/// Proleptic Gregorian (year, month 1–12, day 1–31) of a day count since 1970-01-01
/// (H. Hinnant's `civil_from_days`, for non-negative counts).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        for (secs, expected) in [
            (0, "Thu Jan 1 00:00:00 UTC 1970"),
            (1_741_079_107, "Tue Mar 4 09:05:07 UTC 2025"),
            (951_782_400, "Tue Feb 29 00:00:00 UTC 2000"),
            (1_709_164_799, "Wed Feb 28 23:59:59 UTC 2024"),
            (1_709_164_800, "Thu Feb 29 00:00:00 UTC 2024"),
            (1_709_251_200, "Fri Mar 1 00:00:00 UTC 2024"),
            (1_735_689_599, "Tue Dec 31 23:59:59 UTC 2024"),
            (1_735_689_600, "Wed Jan 1 00:00:00 UTC 2025"),
            (4_107_542_399, "Sun Feb 28 23:59:59 UTC 2100"),
            (4_107_542_400, "Mon Mar 1 00:00:00 UTC 2100"),
            (2_147_483_647, "Tue Jan 19 03:14:07 UTC 2038"),
        ] {
            assert_eq!(format_timestamp(secs), expected, "{secs}");
        }
    }

    #[test]
    fn every_day_of_2025_round_trips_through_the_calendar() {
        // Walk day by day, counting the calendar independently.
        let lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        let months = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let mut secs = 1_735_689_600 + 13 * 3600 + 4 * 60 + 5; // 2025-01-01T13:04:05Z, a Wednesday
        let mut weekday = 3;
        for (month, &len) in lengths.iter().enumerate() {
            for day in 1..=len {
                let expected = format!(
                    "{} {} {day} 13:04:05 UTC 2025",
                    weekdays[weekday % 7],
                    months[month]
                );
                assert_eq!(format_timestamp(secs), expected);
                if day < 10 {
                    assert!(
                        !format_timestamp(secs).contains(" 0"),
                        "padded day: {expected}"
                    );
                }
                secs += 86_400;
                weekday += 1;
            }
        }
    }
}

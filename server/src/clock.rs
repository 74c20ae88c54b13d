//! The server's clock, and the year case numbers are counted in.

use std::time::{SystemTime, UNIX_EPOCH};

use protocol::report::UnixMillis;

/// China Standard Time (UTC+8, no daylight saving): the zone a case's year
/// is counted in, so `GW-2027-000001` is the first case after midnight of
/// 1 January in China.
const CST_OFFSET_MS: i64 = 8 * 3_600_000;

/// Now, by the server's clock.
pub fn now() -> UnixMillis {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    UnixMillis(millis)
}

/// The year of `at` in China Standard Time.
pub fn case_year(at: UnixMillis) -> i64 {
    civil_year(at.0.saturating_add(CST_OFFSET_MS))
}

/// The proleptic Gregorian year of `millis` since the epoch (Howard
/// Hinnant's days-to-civil algorithm).
fn civil_year(millis: i64) -> i64 {
    let z = millis.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_turns_at_midnight_in_china() {
        // 2026-01-01T00:00:00Z is 08:00 in Beijing: 2026 both ways.
        assert_eq!(case_year(UnixMillis(1_767_225_600_000)), 2026);
        // 2025-12-31T16:00:00Z is midnight in Beijing: already 2026.
        assert_eq!(case_year(UnixMillis(1_767_196_800_000)), 2026);
        assert_eq!(case_year(UnixMillis(1_767_196_799_999)), 2025);
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(951_782_400_000), 2000); // 2000-02-29
    }

    #[test]
    fn now_is_after_2025() {
        assert!(now().0 > 1_735_689_600_000);
    }
}

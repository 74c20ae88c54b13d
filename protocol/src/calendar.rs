//! Dates without a date library: the proleptic Gregorian calendar (Howard
//! Hinnant's algorithms) and China Standard Time (UTC+8, no daylight
//! saving), for case numbers' years, Open311's timestamps, the public
//! transparency page and the Learn CSV.

use crate::report::UnixMillis;

/// China Standard Time's offset from UTC, in milliseconds.
pub const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// The (year, month 1–12, day 1–31) of a day counted from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a date (month 1–12, day 1–31).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD HH:MM` in China Standard Time.
pub fn china_time(at: UnixMillis) -> String {
    let local = at.0.saturating_add(CHINA_OFFSET_MS);
    let (year, month, day) = civil_from_days(local.div_euclid(86_400_000));
    let minute_of_day = local.rem_euclid(86_400_000) / 60_000;
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        minute_of_day / 60,
        minute_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip() {
        for days in [
            -800_000, -1, 0, 1, 59, 60, 11_016, 19_782, 20_000, 2_932_896,
        ] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{days}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn china_time_is_utc_plus_eight() {
        assert_eq!(china_time(UnixMillis(0)), "1970-01-01 08:00");
        // 2026-06-05 00:30 UTC is 08:30 in Beijing.
        assert_eq!(
            china_time(UnixMillis(1_780_619_400_000)),
            "2026-06-05 08:30"
        );
        // 2024-02-29 16:00 UTC is 2024-03-01 00:00 in Beijing.
        assert_eq!(
            china_time(UnixMillis(1_709_222_400_000)),
            "2024-03-01 00:00"
        );
    }
}

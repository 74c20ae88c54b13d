//! Dates without a date library: the proleptic Gregorian calendar (Howard
//! Hinnant's algorithms) and China Standard Time (UTC+8, no daylight
//! saving), for case numbers' years, Open311's timestamps, the public
//! transparency page and the Learn CSV.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

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

/// A day of the calendar, written `YYYY-MM-DD` (ISO 8601) in files and on
/// the wire. Only real days exist (no 2026-02-30); years 1 to 9999. Days
/// compare in calendar order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

/// Why a text is not a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    #[error("{0:?} is not a date written YYYY-MM-DD")]
    Format(String),
    #[error("{0:?} is not a day of the calendar")]
    NoSuchDay(String),
}

impl Date {
    /// The day `year-month-day`, if the calendar has it.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let days = days_from_civil(i64::from(year), i64::from(month), i64::from(day));
        let back = civil_from_days(days);
        (back == (i64::from(year), i64::from(month), i64::from(day))).then_some(Date {
            year,
            month,
            day,
        })
    }

    /// Reads exactly `YYYY-MM-DD` (ASCII digits, no spaces, no time).
    pub fn parse(raw: &str) -> Result<Date, DateError> {
        let format = || DateError::Format(raw.to_owned());
        let bytes = raw.as_bytes();
        let digits = |range: std::ops::Range<usize>| {
            bytes[range.clone()]
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| raw[range].parse::<u16>().ok())
                .flatten()
        };
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(format());
        }
        let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10))
        else {
            return Err(format());
        };
        let month = u8::try_from(month).map_err(|_| format())?;
        let day = u8::try_from(day).map_err(|_| format())?;
        Date::new(year, month, day).ok_or_else(|| DateError::NoSuchDay(raw.to_owned()))
    }

    /// The day it is in China (UTC+8) at `now`.
    pub fn china_today(now: UnixMillis) -> Date {
        let local = now.0.saturating_add(CHINA_OFFSET_MS);
        let (year, month, day) = civil_from_days(local.div_euclid(86_400_000));
        // Years outside 1..=9999 are clamped: no clock gives them.
        let year = u16::try_from(year.clamp(1, 9999)).unwrap_or(9999);
        Date {
            year,
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Date {
    type Error = DateError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Date::parse(&raw)
    }
}

impl From<Date> for String {
    fn from(date: Date) -> String {
        date.to_string()
    }
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

    #[test]
    fn dates_read_only_real_days_written_yyyy_mm_dd() {
        let date = Date::parse("2026-12-02").expect("valid");
        assert_eq!((date.year(), date.month(), date.day()), (2026, 12, 2));
        assert_eq!(date.to_string(), "2026-12-02");
        assert!(Date::parse("2024-02-29").is_ok());
        assert_eq!(
            Date::parse("2026-02-29"),
            Err(DateError::NoSuchDay("2026-02-29".into()))
        );
        for bad in [
            "",
            "2026-1-02",
            "2026/12/02",
            "2026-12-02T00:00",
            " 2026-12-02",
            "20261202",
            "２０２６-12-02",
            "+026-12-02",
            "2026-00-10",
            "2026-13-01",
            "0000-01-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(
            Date::parse("2026-1x-02"),
            Err(DateError::Format(_))
        ));
        let json = serde_json::to_string(&date).expect("serialise");
        assert_eq!(json, "\"2026-12-02\"");
        assert_eq!(
            serde_json::from_str::<Date>(&json).expect("read back"),
            date
        );
        assert!(serde_json::from_str::<Date>("\"2026-02-30\"").is_err());
    }

    #[test]
    fn dates_compare_in_calendar_order_and_today_is_chinas() {
        let d = |raw| Date::parse(raw).expect("date");
        assert!(d("2026-12-02") < d("2026-12-03"));
        assert!(d("2026-11-30") < d("2026-12-01"));
        assert!(d("2025-12-31") < d("2026-01-01"));
        // 2026-12-01 16:00 UTC is already 2 December in Beijing.
        assert_eq!(
            Date::china_today(UnixMillis(1_796_140_800_000)),
            d("2026-12-02")
        );
        assert_eq!(
            Date::china_today(UnixMillis(1_796_140_800_000 - 1)),
            d("2026-12-01")
        );
    }
}

//! Date-times as GeoReport v2 writes them: the W3C profile of ISO 8601 with
//! a time zone (`2026-11-29T12:30:00Z`, `2026-11-29T20:30:00+08:00`).
//!
//! We write UTC (`Z`) to the second; we read any offset, optional fractions
//! of a second, and a space in place of `+` (what an unencoded `+` in a
//! query string becomes). A value without a time zone is refused, as the
//! spec requires one.

use thiserror::Error;

use crate::calendar::{civil_from_days, days_from_civil};
use crate::report::UnixMillis;

const MS_PER_DAY: i64 = 86_400_000;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} is not an ISO 8601 date-time with a time zone, like 2026-01-01T00:00:00Z")]
pub struct DateTimeError(pub String);

/// `millis` since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format(at: UnixMillis) -> String {
    let days = at.0.div_euclid(MS_PER_DAY);
    let in_day = at.0.rem_euclid(MS_PER_DAY) / 1000;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3600,
        in_day / 60 % 60,
        in_day % 60
    )
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM|±HHMM)`.
pub fn parse(raw: &str) -> Result<UnixMillis, DateTimeError> {
    let error = || DateTimeError(raw.to_owned());
    let text = raw.trim_start();
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !text.is_ascii() {
        return Err(error());
    }
    let number = |range: std::ops::Range<usize>| -> Result<i64, DateTimeError> {
        let part = &text[range];
        if part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().map_err(|_| error())
        } else {
            Err(error())
        }
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, sep)| bytes[at] != sep) || !matches!(bytes[10], b'T' | b't') {
        return Err(error());
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(error());
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(error());
        }
        let first_three = format!("{:0<3}", &fraction[..digits.min(3)]);
        millis = first_three.parse::<i64>().map_err(|_| error())?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+' | b' ') => 1,
                Some(b'-') => -1,
                _ => return Err(error()),
            };
            let zone = rest[1..].replace(':', "");
            if zone.len() != 4 || !zone.bytes().all(|b| b.is_ascii_digit()) {
                return Err(error());
            }
            let hours: i64 = zone[..2].parse().map_err(|_| error())?;
            let minutes: i64 = zone[2..].parse().map_err(|_| error())?;
            if hours > 23 || minutes > 59 {
                return Err(error());
            }
            sign * (hours * 60 + minutes)
        }
    };
    let local = days_from_civil(year, month, day) * MS_PER_DAY
        + ((hour * 60 + minute) * 60 + second) * 1000
        + millis;
    Ok(UnixMillis(local - offset_minutes * 60_000))
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_utc_to_the_second() {
        assert_eq!(format(UnixMillis(0)), "1970-01-01T00:00:00Z");
        assert_eq!(format(UnixMillis(784_041_330_999)), "1994-11-05T13:15:30Z");
        assert_eq!(
            format(UnixMillis(1_709_164_800_000)),
            "2024-02-29T00:00:00Z"
        );
        assert_eq!(format(UnixMillis(-1)), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn reads_the_specs_examples_as_the_same_instant() {
        let utc = parse("1994-11-05T13:15:30Z").unwrap();
        assert_eq!(utc, UnixMillis(784_041_330_000));
        assert_eq!(parse("1994-11-05T08:15:30-05:00").unwrap(), utc);
        assert_eq!(parse("1994-11-05T21:15:30+0800").unwrap(), utc);
        assert_eq!(parse("1994-11-05T21:15:30 08:00").unwrap(), utc);
        assert_eq!(
            parse("1994-11-05T13:15:30.25Z").unwrap(),
            UnixMillis(784_041_330_250)
        );
    }

    #[test]
    fn refuses_what_is_not_a_zoned_date_time() {
        for bad in [
            "",
            "1994-11-05",
            "1994-11-05T13:15:30",
            "1994-13-05T13:15:30Z",
            "1994-02-30T13:15:30Z",
            "1994-11-05T24:00:00Z",
            "1994-11-05T13:15:30+25:00",
            "1994-11-05 13:15:30Z",
            "tomorrow at noon, Z",
            "1994-11-05T13:15:30.Z",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn round_trips_every_day_for_centuries() {
        for days in (-50_000..80_000).step_by(7) {
            let at = UnixMillis(days * MS_PER_DAY + 45_296_000);
            assert_eq!(parse(&format(at)).unwrap(), at);
        }
    }
}

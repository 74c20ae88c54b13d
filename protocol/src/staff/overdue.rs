//! When a case is overdue: the bureau's practice (the seed) is to accept a
//! report at once and to be on site the same day ("第一时间受理 …
//! 当日赴现场处置").
//!
//! Precisely: a case received at `t` is due by the end of the calendar day
//! of `t` in China Standard Time (UTC+8, no daylight saving), i.e. before
//! 00:00 CST of the next day ([`due_at`]). At `now` it is overdue when
//! `now >= due_at(t)` and it is still `received` or `accepted`: nobody has
//! been on site and it is not closed. A case on site, resolved, rejected or
//! a duplicate is never overdue (the reply has no deadline of its own).

use crate::report::UnixMillis;
use crate::sync::CaseStatus;

/// China Standard Time's offset from UTC.
pub const CST_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// The first instant after the China Standard Time day `received_at` falls
/// in: the case must be on site before then.
pub fn due_at(received_at: UnixMillis) -> UnixMillis {
    let day = received_at
        .0
        .saturating_add(CST_OFFSET_MS)
        .div_euclid(DAY_MS);
    UnixMillis((day + 1) * DAY_MS - CST_OFFSET_MS)
}

/// Whether a case received at `received_at`, now of status `status`, is
/// overdue at `now`.
pub fn is_overdue(received_at: UnixMillis, status: CaseStatus, now: UnixMillis) -> bool {
    matches!(status, CaseStatus::Received | CaseStatus::Accepted) && now >= due_at(received_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-03-10T00:00:00+08:00 = 2026-03-09T16:00:00Z.
    const MIDNIGHT_CST: i64 = 1_773_072_000_000;
    const HOUR: i64 = 3_600_000;

    #[test]
    fn due_at_the_next_midnight_in_china() {
        // Received 09:00 CST on the 10th: due at 00:00 CST on the 11th.
        let received = UnixMillis(MIDNIGHT_CST + 9 * HOUR);
        assert_eq!(due_at(received), UnixMillis(MIDNIGHT_CST + 24 * HOUR));
        // Exactly at midnight: that whole day.
        assert_eq!(
            due_at(UnixMillis(MIDNIGHT_CST)),
            UnixMillis(MIDNIGHT_CST + 24 * HOUR)
        );
        // One millisecond before midnight: due at that midnight.
        assert_eq!(
            due_at(UnixMillis(MIDNIGHT_CST - 1)),
            UnixMillis(MIDNIGHT_CST)
        );
        // 20:00 UTC on the 9th is 04:00 CST on the 10th: the 10th's day,
        // although in UTC it is still the 9th.
        assert_eq!(
            due_at(UnixMillis(MIDNIGHT_CST + 4 * HOUR)),
            UnixMillis(MIDNIGHT_CST + 24 * HOUR)
        );
    }

    #[test]
    fn only_open_cases_nobody_has_visited_are_overdue() {
        let received = UnixMillis(MIDNIGHT_CST + 9 * HOUR);
        let due = due_at(received);
        let before = UnixMillis(due.0 - 1);
        for status in CaseStatus::ALL {
            let open = matches!(status, CaseStatus::Received | CaseStatus::Accepted);
            assert!(!is_overdue(received, status, before), "{status:?}");
            assert_eq!(is_overdue(received, status, due), open, "{status:?}");
        }
    }
}

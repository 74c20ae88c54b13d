//! When the person saw the problem.
//!
//! Times are milliseconds since the Unix epoch, UTC (what `Date.now()` gives).
//! "Now" is always passed in: this crate reads no clock.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::LocalizedText;

/// Milliseconds since 1970-01-01T00:00:00Z. Serialised as a bare number.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct UnixMillis(pub i64);

impl UnixMillis {
    pub const fn new(millis: i64) -> Self {
        UnixMillis(millis)
    }

    pub const fn as_i64(self) -> i64 {
        self.0
    }
}

impl From<i64> for UnixMillis {
    fn from(millis: i64) -> Self {
        UnixMillis(millis)
    }
}

/// When the problem was seen: from 2000-01-01 until at most
/// [`SeenAt::CLOCK_SKEW_MS`] after "now".
///
/// Deserialising checks the lower bound only (there is no "now" to compare
/// with); whoever reads one from outside re-checks it with [`SeenAt::parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "UnixMillis", into = "UnixMillis")]
pub struct SeenAt(UnixMillis);

/// Why a time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SeenAtError {
    /// No time was given (from [`ReportDraft::validate`](super::ReportDraft::validate)).
    #[error("no time given")]
    Missing,
    #[error("{ahead_ms} ms in the future")]
    InFuture { ahead_ms: i64 },
    #[error("before 2000-01-01")]
    TooOld,
}

impl SeenAt {
    /// How far after "now" a time may be, for clocks that disagree a little.
    pub const CLOCK_SKEW_MS: i64 = 60_000;
    /// 2000-01-01T00:00:00Z: the earliest time accepted.
    pub const EARLIEST: UnixMillis = UnixMillis(946_684_800_000);

    /// Checks `value` against `now`.
    pub fn parse(value: UnixMillis, now: UnixMillis) -> Result<SeenAt, SeenAtError> {
        if value.0 < Self::EARLIEST.0 {
            return Err(SeenAtError::TooOld);
        }
        if value.0 > now.0.saturating_add(Self::CLOCK_SKEW_MS) {
            return Err(SeenAtError::InFuture {
                ahead_ms: value.0.saturating_sub(now.0),
            });
        }
        Ok(SeenAt(value))
    }

    pub fn value(self) -> UnixMillis {
        self.0
    }
}

impl TryFrom<UnixMillis> for SeenAt {
    type Error = SeenAtError;

    fn try_from(value: UnixMillis) -> Result<Self, Self::Error> {
        SeenAt::parse(value, UnixMillis(i64::MAX))
    }
}

impl From<SeenAt> for UnixMillis {
    fn from(seen_at: SeenAt) -> Self {
        seen_at.0
    }
}

impl SeenAtError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            SeenAtError::Missing => {
                LocalizedText::new("请填写发现问题的时间。", "Say when you saw the problem.")
            }
            SeenAtError::InFuture { .. } => LocalizedText::new(
                "发现时间不能晚于现在，请检查日期和时间。",
                "The time you saw it cannot be in the future. Check the date and time.",
            ),
            SeenAtError::TooOld => LocalizedText::new(
                "发现时间不能早于 2000 年 1 月 1 日。",
                "The time you saw it cannot be before 1 January 2000.",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixMillis = UnixMillis(1_767_225_600_000); // 2026-01-01T00:00:00Z

    #[test]
    fn up_to_a_minute_ahead_is_clock_skew_more_is_the_future() {
        let plus = |ms: i64| UnixMillis(NOW.0 + ms);
        assert!(SeenAt::parse(NOW, NOW).is_ok());
        assert!(SeenAt::parse(plus(59_000), NOW).is_ok());
        assert!(SeenAt::parse(plus(60_000), NOW).is_ok());
        assert_eq!(
            SeenAt::parse(plus(60_001), NOW),
            Err(SeenAtError::InFuture { ahead_ms: 60_001 })
        );
        assert_eq!(
            SeenAt::parse(plus(61_000), NOW),
            Err(SeenAtError::InFuture { ahead_ms: 61_000 })
        );
    }

    #[test]
    fn nothing_before_2000() {
        assert_eq!(SeenAt::EARLIEST, UnixMillis(946_684_800_000));
        assert!(SeenAt::parse(SeenAt::EARLIEST, NOW).is_ok());
        assert_eq!(
            SeenAt::parse(UnixMillis(946_684_799_999), NOW),
            Err(SeenAtError::TooOld)
        );
        assert_eq!(SeenAt::parse(UnixMillis(0), NOW), Err(SeenAtError::TooOld));
        assert_eq!(
            SeenAt::parse(UnixMillis(i64::MIN), NOW),
            Err(SeenAtError::TooOld)
        );
    }

    #[test]
    fn extreme_values_do_not_overflow() {
        assert!(SeenAt::parse(UnixMillis(i64::MAX), UnixMillis(i64::MAX)).is_ok());
        assert!(matches!(
            SeenAt::parse(UnixMillis(i64::MAX), UnixMillis(i64::MIN)),
            Err(SeenAtError::InFuture { .. })
        ));
    }

    #[test]
    fn serialised_as_a_bare_number() {
        let seen = SeenAt::parse(NOW, NOW).expect("valid");
        assert_eq!(
            serde_json::to_string(&seen).expect("serialise"),
            "1767225600000"
        );
        assert_eq!(
            serde_json::to_string(&NOW).expect("serialise"),
            "1767225600000"
        );
        assert_eq!(
            serde_json::from_str::<SeenAt>("1767225600000").expect("parse"),
            seen
        );
        assert!(serde_json::from_str::<SeenAt>("0").is_err());
    }

    #[test]
    fn every_error_has_a_message() {
        for error in [
            SeenAtError::Missing,
            SeenAtError::InFuture { ahead_ms: 1 },
            SeenAtError::TooOld,
        ] {
            let message = error.message();
            assert!(!message.zh_cn.is_empty() && !message.en.is_empty());
        }
    }
}

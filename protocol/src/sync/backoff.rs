//! How long to wait before trying again: exponential backoff with full
//! jitter, and the server's `Retry-After` as a lower bound.
//!
//! Pure: the caller brings the randomness (a number in `[0, 1)`), so the
//! same inputs always give the same delay and tests need no seeding tricks.
//! Full jitter (a uniform delay between 0 and the exponential ceiling) keeps
//! many phones that lost the network at the same moment from coming back
//! at the same moment.

use std::time::Duration;

/// The backoff policy: `base` doubled per attempt, never more than `cap`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::DEFAULT
    }
}

impl Backoff {
    /// 1 s doubling up to 5 minutes.
    pub const DEFAULT: Backoff = Backoff {
        base: Duration::from_secs(1),
        cap: Duration::from_secs(5 * 60),
    };

    /// The most attempt `attempt` (from 0) may wait: `base · 2^attempt`,
    /// at most `cap`.
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt).unwrap_or(u32::MAX);
        self.base
            .checked_mul(factor)
            .map_or(self.cap, |ceiling| ceiling.min(self.cap))
    }

    /// The delay before retry number `attempt` (0 for the first retry):
    /// `random_unit` of the way from 0 to [`Backoff::ceiling`], whole
    /// milliseconds, and at least `retry_after` (the server's wish) as long
    /// as that is not beyond `cap`. Always within `[0, cap]`.
    ///
    /// `random_unit` should be uniform in `[0, 1)`; anything else is clamped
    /// into it (NaN counts as 0).
    pub fn next_delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        random_unit: f64,
    ) -> Duration {
        let unit = if random_unit.is_nan() {
            0.0
        } else {
            random_unit.clamp(0.0, 1.0)
        };
        let ceiling_ms = self.ceiling(attempt).as_millis() as f64;
        // Below the ceiling even when `unit` is 1.0 or rounds up.
        let jittered_ms =
            ((ceiling_ms * unit).floor() as u64).min((ceiling_ms as u64).saturating_sub(1));
        let jittered = Duration::from_millis(jittered_ms);
        let floor = retry_after.unwrap_or(Duration::ZERO).min(self.cap);
        jittered.max(floor).min(self.cap)
    }
}

/// Reads a `Retry-After` header in its delay-seconds form (`"120"`). The
/// HTTP-date form, and anything unreadable, gives `None`: the client then
/// simply backs off as usual.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Longer than u64 seconds: as long as anyone will wait anyway.
    Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const B: Backoff = Backoff::DEFAULT;
    const CAP: Duration = Duration::from_secs(300);

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    #[test]
    fn the_ceiling_doubles_from_one_second_to_five_minutes() {
        let ceilings: Vec<u64> = (0..12).map(|a| B.ceiling(a).as_secs()).collect();
        assert_eq!(ceilings, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(B.ceiling(31), CAP);
        assert_eq!(B.ceiling(32), CAP);
        assert_eq!(B.ceiling(u32::MAX), CAP);
        assert_eq!(Backoff::default(), B);
    }

    #[test]
    fn the_delay_is_spread_over_the_ceiling() {
        assert_eq!(B.next_delay(0, None, 0.0), Duration::ZERO);
        assert_eq!(B.next_delay(0, None, 0.5), Duration::from_millis(500));
        assert_eq!(B.next_delay(3, None, 0.25), secs(2));
        assert_eq!(B.next_delay(20, None, 0.5), secs(150));
        // Never the ceiling itself: [0, ceiling).
        assert_eq!(
            B.next_delay(0, None, 0.999_999_999),
            Duration::from_millis(999)
        );
        assert_eq!(B.next_delay(20, None, 1.0), Duration::from_millis(299_999));
    }

    #[test]
    fn odd_random_numbers_are_clamped() {
        assert_eq!(B.next_delay(5, None, f64::NAN), Duration::ZERO);
        assert_eq!(B.next_delay(5, None, -3.0), Duration::ZERO);
        assert_eq!(B.next_delay(5, None, 7.0), Duration::from_millis(31_999));
        assert_eq!(
            B.next_delay(5, None, f64::INFINITY),
            Duration::from_millis(31_999)
        );
    }

    #[test]
    fn retry_after_is_a_lower_bound_up_to_the_cap() {
        assert_eq!(B.next_delay(0, Some(secs(30)), 0.9), secs(30));
        assert_eq!(
            B.next_delay(20, Some(secs(30)), 0.9),
            Duration::from_millis(270_000)
        );
        assert_eq!(B.next_delay(0, Some(secs(3600)), 0.0), CAP);
        assert_eq!(B.next_delay(0, Some(Duration::MAX), 0.0), CAP);
    }

    #[test]
    fn retry_after_headers_in_seconds_are_read() {
        assert_eq!(parse_retry_after("120"), Some(secs(120)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("99999999999999999999999"),
            Some(Duration::from_secs(u64::MAX))
        );
        for other in ["", "-1", "1.5", "Wed, 21 Oct 2015 07:28:00 GMT", "12s"] {
            assert_eq!(parse_retry_after(other), None, "{other}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn the_delay_stays_within_zero_and_the_cap(
            attempt in any::<u32>(),
            retry_after in prop::option::of(any::<u64>().prop_map(Duration::from_millis)),
            unit in any::<f64>(),
        ) {
            let delay = B.next_delay(attempt, retry_after, unit);
            prop_assert!(delay <= CAP);
            prop_assert_eq!(delay.subsec_nanos() % 1_000_000, 0, "whole milliseconds");
        }

        #[test]
        fn the_delay_honours_retry_after(
            attempt in 0u32..40,
            retry_after in 0u64..1_000_000,
            unit in 0.0..1.0f64,
        ) {
            let retry_after = Duration::from_millis(retry_after);
            let delay = B.next_delay(attempt, Some(retry_after), unit);
            prop_assert!(delay >= retry_after.min(CAP));
            let without = B.next_delay(attempt, None, unit);
            prop_assert_eq!(delay, without.max(retry_after.min(CAP)));
        }

        #[test]
        fn the_delay_stays_below_the_ceiling_without_retry_after(
            attempt in 0u32..40,
            unit in 0.0..1.0f64,
        ) {
            let delay = B.next_delay(attempt, None, unit);
            prop_assert!(delay < B.ceiling(attempt));
            // The jitter really spreads: the delay tracks the random number.
            let expected = B.ceiling(attempt).as_millis() as f64 * unit;
            prop_assert!((delay.as_millis() as f64 - expected).abs() <= 1.0);
        }

        #[test]
        fn the_ceiling_grows_until_it_reaches_the_cap(attempt in 0u32..64) {
            prop_assert!(B.ceiling(attempt) <= B.ceiling(attempt + 1));
            prop_assert_eq!(B.ceiling(attempt) == CAP, attempt >= 9);
            if attempt >= 9 {
                // From the 10th retry on, delays reach up to the cap.
                prop_assert!(B.next_delay(attempt, None, 0.9999) >= CAP.mul_f64(0.9998));
            }
        }
    }
}

//! The server's clock, and the year case numbers are counted in.

use std::time::{SystemTime, UNIX_EPOCH};

use protocol::report::UnixMillis;

/// Now, by the server's clock.
pub fn now() -> UnixMillis {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|since| i64::try_from(since.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    UnixMillis(millis)
}

/// The year a case created at `at` is numbered in (protocol's rule:
/// China Standard Time).
pub fn case_year(at: UnixMillis) -> i64 {
    protocol::sync::CaseNumber::year_at(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_after_2025() {
        assert!(now().0 > 1_735_689_600_000);
    }
}

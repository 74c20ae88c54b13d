//! The public transparency figures: how many complete cases there are by
//! category and status, and how long the bureau took to accept and to reply
//! to the cases received in the last [`PERIOD_DAYS`] days.
//!
//! The server computes them (`GET /api/v1/transparency` as JSON, and the
//! page `/transparency` as plain HTML); this module only holds their shape.

use serde::{Deserialize, Serialize};

use crate::report::{Category, UnixMillis};
use crate::sync::CaseStatus;

/// `GET` here gives a [`TransparencyReport`] as JSON.
pub const TRANSPARENCY_ROUTE: &str = "/api/v1/transparency";
/// The public HTML page with the same figures (served by the server, not the app).
pub const TRANSPARENCY_PAGE: &str = "/transparency";
/// The medians cover the cases received in this many days before `generated_at`.
pub const PERIOD_DAYS: i64 = 30;
/// [`PERIOD_DAYS`] in milliseconds.
pub const PERIOD_MS: i64 = PERIOD_DAYS * 86_400_000;

/// How many cases are in one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: CaseStatus,
    pub count: u64,
}

/// The cases of one category, by status (every status of
/// [`CaseStatus::ALL`], in that order, zeros included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCounts {
    pub category: Category,
    pub by_status: Vec<StatusCount>,
    pub total: u64,
}

/// A median duration and how many cases it is taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedianDuration {
    /// `None` when no case of the period got that far.
    pub median_ms: Option<i64>,
    pub cases: u64,
}

/// The answer to `GET /api/v1/transparency`.
///
/// Only complete cases count (a report still missing a medium is not a
/// case yet). `categories` and `totals` cover every complete case, by its
/// status now; the medians cover the cases received in
/// `[period_start, generated_at]`: from `received` to the first `accepted`,
/// and from `received` to `resolved` (the public reply).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransparencyReport {
    pub generated_at: UnixMillis,
    pub period_start: UnixMillis,
    /// Every category of [`Category::ALL`], in that order.
    pub categories: Vec<CategoryCounts>,
    /// Every status of [`CaseStatus::ALL`] over all categories.
    pub totals: Vec<StatusCount>,
    pub total: u64,
    /// Complete cases received in the period.
    pub received_in_period: u64,
    pub time_to_acceptance: MedianDuration,
    pub time_to_reply: MedianDuration,
}

//! The filters of `GET requests`, read from its query string.
//!
//! As the spec has them: `service_request_id` (comma-separated case
//! numbers) overrides every other filter; `service_code` and `status`
//! (`open`, `closed`) take comma-separated values and may repeat;
//! `start_date` and `end_date` bound `requested_datetime` (inclusive) and
//! may not span more than 90 days. Without dates the window is the last 90
//! days; with only one, 90 days from or up to it. At most
//! [`MAX_REQUESTS`] requests are answered, newest first. Unknown parameters
//! (`jurisdiction_id`, `page`, …) are ignored.

use serde::Serialize;

use super::error::Open311Errors;
use super::time;
use crate::public::PublicCase;
use crate::report::{Category, UnixMillis};
use crate::sync::{CaseNumber, CaseStatus};

/// The most requests one `GET requests` answers.
pub const MAX_REQUESTS: usize = 1000;
/// The longest date range, and the default one.
pub const MAX_SPAN_MS: i64 = 90 * 86_400_000;

/// GeoReport v2's two statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    Open,
    Closed,
}

impl RequestStatus {
    /// `closed` once the case is resolved, rejected or a duplicate.
    pub fn of(status: CaseStatus) -> RequestStatus {
        if status.is_closed() {
            RequestStatus::Closed
        } else {
            RequestStatus::Open
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Open => "open",
            RequestStatus::Closed => "closed",
        }
    }
}

/// What a `GET requests` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestQuery {
    /// These cases, whatever else was asked.
    Ids(Vec<CaseNumber>),
    Search(Search),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// Empty: every service.
    pub service_codes: Vec<Category>,
    /// Empty: both statuses.
    pub statuses: Vec<RequestStatus>,
    /// Inclusive bounds on `requested_datetime`.
    pub start: UnixMillis,
    pub end: UnixMillis,
}

impl Search {
    /// Whether `case` passes the service and status filters (the store
    /// applies the dates).
    pub fn matches(&self, case: &PublicCase) -> bool {
        (self.service_codes.is_empty() || self.service_codes.contains(&case.category()))
            && (self.statuses.is_empty()
                || self.statuses.contains(&RequestStatus::of(case.status())))
    }
}

/// Every comma-separated value of every `name` parameter, blanks skipped.
fn values<'a>(params: &'a [(String, String)], name: &'a str) -> impl Iterator<Item = &'a str> {
    params
        .iter()
        .filter(move |(key, _)| key == name)
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

fn one_date(params: &[(String, String)], name: &str) -> Result<Option<UnixMillis>, String> {
    match values(params, name).next() {
        None => Ok(None),
        Some(raw) => time::parse(raw)
            .map(Some)
            .map_err(|error| format!("{name}: {error}")),
    }
}

impl RequestQuery {
    /// Reads the filters; every bad one is listed in the 400.
    pub fn parse(
        params: &[(String, String)],
        now: UnixMillis,
    ) -> Result<RequestQuery, Open311Errors> {
        let mut errors = Vec::new();
        let ids: Vec<&str> = values(params, "service_request_id").collect();
        if !ids.is_empty() {
            let mut numbers = Vec::new();
            for id in ids.into_iter().take(MAX_REQUESTS) {
                match CaseNumber::parse(id) {
                    Ok(number) => numbers.push(number),
                    Err(_) => errors.push(format!(
                        "service_request_id: {id:?} is not a case number like GW-2026-000001"
                    )),
                }
            }
            return if errors.is_empty() {
                Ok(RequestQuery::Ids(numbers))
            } else {
                Err(Open311Errors::many(400, errors))
            };
        }
        let mut service_codes = Vec::new();
        for code in values(params, "service_code") {
            match Category::parse(code) {
                Ok(category) => service_codes.push(category),
                Err(_) => errors.push(format!("service_code: {code:?} is not one of our services")),
            }
        }
        let mut statuses = Vec::new();
        for status in values(params, "status") {
            match status.to_ascii_lowercase().as_str() {
                "open" => statuses.push(RequestStatus::Open),
                "closed" => statuses.push(RequestStatus::Closed),
                _ => errors.push(format!("status: {status:?} is neither open nor closed")),
            }
        }
        let start = one_date(params, "start_date").unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let end = one_date(params, "end_date").unwrap_or_else(|e| {
            errors.push(e);
            None
        });
        let (start, end) = match (start, end) {
            (Some(start), Some(end)) => (start, end),
            (Some(start), None) => (start, UnixMillis(start.0.saturating_add(MAX_SPAN_MS))),
            (None, Some(end)) => (UnixMillis(end.0.saturating_sub(MAX_SPAN_MS)), end),
            (None, None) => (UnixMillis(now.0.saturating_sub(MAX_SPAN_MS)), now),
        };
        if start > end {
            errors.push("start_date is after end_date".to_owned());
        } else if end.0 - start.0 > MAX_SPAN_MS {
            errors.push("start_date and end_date may not span more than 90 days".to_owned());
        }
        if errors.is_empty() {
            Ok(RequestQuery::Search(Search {
                service_codes,
                statuses,
                start,
                end,
            }))
        } else {
            Err(Open311Errors::many(400, errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixMillis = UnixMillis(1_800_000_000_000);

    fn parse(pairs: &[(&str, &str)]) -> Result<RequestQuery, Open311Errors> {
        let params: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        RequestQuery::parse(&params, NOW)
    }

    fn search(pairs: &[(&str, &str)]) -> Search {
        match parse(pairs) {
            Ok(RequestQuery::Search(search)) => search,
            other => panic!("not a search: {other:?}"),
        }
    }

    #[test]
    fn ids_override_every_other_filter() {
        let query = parse(&[
            ("service_request_id", "GW-2026-000001,gw-2026-000002"),
            ("status", "nonsense"),
        ])
        .unwrap();
        assert_eq!(
            query,
            RequestQuery::Ids(vec![
                CaseNumber::new(2026, 1).unwrap(),
                CaseNumber::new(2026, 2).unwrap()
            ])
        );
        assert!(parse(&[("service_request_id", "42")]).is_err());
    }

    #[test]
    fn lists_take_commas_and_repeats() {
        let s = search(&[
            ("service_code", "air,noise"),
            ("service_code", "water"),
            ("status", "open,CLOSED"),
            ("jurisdiction_id", "ignored"),
        ]);
        assert_eq!(
            s.service_codes,
            vec![Category::Air, Category::Noise, Category::Water]
        );
        assert_eq!(s.statuses, vec![RequestStatus::Open, RequestStatus::Closed]);
    }

    #[test]
    fn the_window_defaults_to_ninety_days_and_may_not_exceed_it() {
        let s = search(&[]);
        assert_eq!((s.start.0, s.end.0), (NOW.0 - MAX_SPAN_MS, NOW.0));
        let s = search(&[("start_date", "2026-01-01T00:00:00Z")]);
        assert_eq!(s.end.0 - s.start.0, MAX_SPAN_MS);
        let too_long = parse(&[
            ("start_date", "2026-01-01T00:00:00Z"),
            ("end_date", "2026-06-01T00:00:00Z"),
        ])
        .unwrap_err();
        assert_eq!(too_long.status(), 400);
        let backwards = parse(&[
            ("start_date", "2026-02-01T00:00:00Z"),
            ("end_date", "2026-01-01T00:00:00Z"),
        ]);
        assert!(backwards.is_err());
    }

    #[test]
    fn every_bad_filter_is_listed() {
        let errors = parse(&[
            ("service_code", "potholes"),
            ("status", "pending"),
            ("start_date", "yesterday"),
        ])
        .unwrap_err();
        assert_eq!(errors.errors().len(), 3);
        assert!(errors.errors()[0].description.contains("potholes"));
    }

    #[test]
    fn statuses_map_to_open_and_closed() {
        assert_eq!(RequestStatus::of(CaseStatus::OnSite), RequestStatus::Open);
        assert_eq!(
            RequestStatus::of(CaseStatus::Rejected),
            RequestStatus::Closed
        );
        assert_eq!(
            RequestStatus::of(CaseStatus::Duplicate),
            RequestStatus::Closed
        );
    }
}

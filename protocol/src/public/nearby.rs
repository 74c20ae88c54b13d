//! Open cases near where the person is reporting: `GET /api/v1/nearby`.
//!
//! The app sends its position already coarsened to its grid cell
//! ([`NearbyQuery::new`] does it) and the category chosen on the form; the
//! server coarsens the position again ([`NearbyQuery::cell`]), so an exact
//! fix sent by mistake is never used beyond its cell. The answer
//! ([`NearbyAnswer`]) holds at most [`MAX_CASES`] cases in their public
//! form, nearest first: open (not resolved, rejected or a duplicate),
//! complete, of the same category, first received by the server in the
//! last [`WINDOW_DAYS`] days ([`PublicCase::requested_at`]), whose public position is within [`RADIUS_M`] metres of the cell.
//! [`select`] is that whole rule; the server only reads the candidates.
//!
//! The app then shows each case's rough distance and direction from the
//! phone's own position ([`rough_direction`](super::rough_direction)),
//! which never leaves the phone, and how many people reported it
//! ([`PublicCase::reporters`]).

use serde::{Deserialize, Serialize};

use super::case::PublicCase;
use super::coarse::{CoarsePoint, OffTheMap};
use crate::report::{Category, UnixMillis};

/// `GET` here with [`NearbyQuery`] as its query string.
pub const NEARBY_ROUTE: &str = "/api/v1/nearby";
/// How far from the person's cell a case may be, in metres.
pub const RADIUS_M: f64 = 500.0;
/// How recent a case must be: received in this many days.
pub const WINDOW_DAYS: i64 = 30;
/// [`WINDOW_DAYS`] in milliseconds.
pub const WINDOW_MS: i64 = WINDOW_DAYS * 86_400_000;
/// The most cases one answer holds.
pub const MAX_CASES: usize = 5;

/// The query string of `GET /api/v1/nearby`: `lat`, `long` (the position,
/// coarsened) and `category` (its code).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NearbyQuery {
    pub lat: f64,
    pub long: f64,
    pub category: Category,
}

impl NearbyQuery {
    /// The query for a position (coarsened here) and a category.
    pub fn new(cell: CoarsePoint, category: Category) -> NearbyQuery {
        NearbyQuery {
            lat: cell.latitude(),
            long: cell.longitude(),
            category,
        }
    }

    /// The cell the query names: whatever position arrived, coarsened.
    pub fn cell(&self) -> Result<CoarsePoint, OffTheMap> {
        CoarsePoint::of(self.lat, self.long)
    }

    /// The path with its query string, for the app's `fetch`. The
    /// position is written as whole thousandths of a degree, which a cell's
    /// centre is (for any other value: the nearest thousandth, still
    /// inside the grid's rounding), so the app needs no float formatter
    /// (about 10 KB of its wasm).
    pub fn path(&self) -> String {
        format!(
            "{NEARBY_ROUTE}?lat={}&long={}&category={}",
            thousandths(self.lat),
            thousandths(self.long),
            self.category.code()
        )
    }
}

/// `value` in decimal degrees with three decimals, as integer arithmetic
/// writes it: `-0.001`, `30.171`, `121.269`.
fn thousandths(value: f64) -> String {
    let milli = (value * 1000.0).round() as i64;
    let sign = if milli < 0 { "-" } else { "" };
    let milli = milli.unsigned_abs();
    format!("{sign}{}.{:03}", milli / 1000, milli % 1000)
}

/// The answer of `GET /api/v1/nearby`: nearest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearbyAnswer {
    pub cases: Vec<PublicCase>,
}

/// The nearby rule over `candidates` (any public cases; the server passes
/// those of `category` first received since [`window_start`]): open ones
/// of `category` first received in the window ending `now`, within [`RADIUS_M`] of
/// `cell`, nearest first (then the most reporters, then the newest), at
/// most [`MAX_CASES`].
pub fn select(
    cell: &CoarsePoint,
    category: Category,
    now: UnixMillis,
    candidates: impl IntoIterator<Item = PublicCase>,
) -> NearbyAnswer {
    let since = window_start(now);
    let mut near: Vec<(f64, PublicCase)> = candidates
        .into_iter()
        .filter(|case| {
            case.category() == category
                && !case.status().is_closed()
                && case.requested_at() >= since
        })
        .filter_map(|case| {
            let distance = case.position()?.distance_m(cell);
            (distance <= RADIUS_M).then_some((distance, case))
        })
        .collect();
    near.sort_by(|(da, a), (db, b)| {
        da.total_cmp(db)
            .then(b.reporters().cmp(&a.reporters()))
            .then(b.requested_at().cmp(&a.requested_at()))
            .then(b.case_number().cmp(&a.case_number()))
    });
    NearbyAnswer {
        cases: near
            .into_iter()
            .take(MAX_CASES)
            .map(|(_, case)| case)
            .collect(),
    }
}

/// The oldest `requested_at` a nearby case may have at `now`.
pub fn window_start(now: UnixMillis) -> UnixMillis {
    UnixMillis(now.0.saturating_sub(WINDOW_MS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::public::case::tests::{record, T0};
    use crate::public::CaseRecord;
    use crate::report::{GeoPoint, Location};
    use crate::sync::{CaseEventKind, CaseNumber, CreateReport, Timeline, TimelineEvent};

    /// A public case `n` at (`lat`, `lon`), received at `T0 + at_ms`, with
    /// its `events` after that.
    fn case(n: u32, lat: f64, lon: f64, at_ms: i64, events: &[CaseEventKind]) -> PublicCase {
        let base = record(vec![(0, CaseEventKind::Received)], true);
        let mut json = serde_json::to_value(&base.report).expect("json");
        json["location"] = serde_json::to_value(
            Location::new(Some(GeoPoint::parse(lat, lon, 5.0).expect("point")), None)
                .expect("location"),
        )
        .expect("json");
        let report: CreateReport = serde_json::from_value(json).expect("body");
        let mut all = vec![TimelineEvent {
            at: UnixMillis(T0 + at_ms),
            kind: CaseEventKind::Received,
        }];
        all.extend(events.iter().map(|kind| TimelineEvent {
            at: UnixMillis(T0 + at_ms + 1),
            kind: kind.clone(),
        }));
        PublicCase::of(&CaseRecord {
            report,
            timeline: Timeline::new(CaseNumber::new(2026, n).expect("n"), all).expect("timeline"),
            requested_at: UnixMillis(T0 + at_ms),
            supporters: n % 3,
            ..base
        })
    }

    fn numbers(answer: &NearbyAnswer) -> Vec<u32> {
        answer
            .cases
            .iter()
            .map(|case| case.case_number().sequence())
            .collect()
    }

    #[test]
    fn open_cases_of_the_category_within_500_m_nearest_first() {
        let here = CoarsePoint::of(30.5, 114.3).expect("cell");
        let now = UnixMillis(T0 + 1_000);
        let resolved = CaseEventKind::Resolved {
            reply: "done".into(),
        };
        let candidates = vec![
            case(1, 30.503, 114.301, 0, &[]),                         // ~220 m
            case(2, 30.5, 114.3, 0, &[CaseEventKind::Accepted]),      // same cell
            case(3, 30.505, 114.3, 0, &[]),                           // ~440 m
            case(4, 30.51, 114.3, 0, &[]),                            // ~1 km
            case(5, 30.5, 114.3, 0, std::slice::from_ref(&resolved)), // closed
            case(6, 30.5, 114.3, -WINDOW_MS - 1, &[]),                // too old
            case(7, 30.501, 114.3, 1_000 - WINDOW_MS, &[]),           // just in time
        ];
        let answer = select(&here, Category::WaterRiver, now, candidates.clone());
        assert_eq!(numbers(&answer), [2, 7, 1, 3]);
        // Another category: none of them.
        assert!(select(&here, Category::Noise, now, candidates)
            .cases
            .is_empty());
    }

    #[test]
    fn at_most_five_and_the_most_reported_first_at_one_distance() {
        let here = CoarsePoint::of(30.5, 114.3).expect("cell");
        let candidates: Vec<PublicCase> = (1..=9).map(|n| case(n, 30.5, 114.3, 0, &[])).collect();
        let answer = select(&here, Category::WaterRiver, UnixMillis(T0), candidates);
        // Supporters are n % 3: 2, 5, 8 have two, then 1, 4, 7 one; newest
        // (here: the higher number) first among equals.
        assert_eq!(numbers(&answer), [8, 5, 2, 7, 4]);
    }

    #[test]
    fn the_query_is_coarsened_on_both_sides() {
        let exact = NearbyQuery {
            lat: 30.512_345_678,
            long: 114.387_654_321,
            category: Category::Air,
        };
        let cell = exact.cell().expect("cell");
        let sent = NearbyQuery::new(cell, Category::Air);
        assert_eq!(
            sent.path(),
            "/api/v1/nearby?lat=30.513&long=114.387&category=air"
        );
        assert_eq!(sent.cell(), Ok(cell));
        assert!(NearbyQuery { lat: 95.0, ..sent }.cell().is_err());
    }

    #[test]
    fn the_query_names_each_cell_centre_exactly() {
        // Every centre reads back as itself, the same text a float
        // formatter writes, across the map and its signs.
        for (lat, long) in [(-89.9995, -179.9995), (-0.0005, 0.0005), (30.17, 121.2685)] {
            let cell = CoarsePoint::of(lat, long).expect("cell");
            let path = NearbyQuery::new(cell, Category::Air).path();
            let expected = format!(
                "{NEARBY_ROUTE}?lat={}&long={}&category=air",
                cell.latitude(),
                cell.longitude()
            );
            assert_eq!(path, expected);
        }
        let mut lat = -89.999;
        while lat + 0.0173 <= 90.0 {
            assert_eq!(thousandths(lat).parse::<f64>(), Ok(lat), "{lat}");
            lat = CoarsePoint::of(lat + 0.0173, 0.0).expect("cell").latitude();
        }
    }
}

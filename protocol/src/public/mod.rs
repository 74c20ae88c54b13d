//! What anyone may see: the one rule that decides what of a case is public.
//!
//! A reporter's words, exact position, media and contact reach bureau staff
//! only (Environmental Protection Law, Article 57: the receiving authority
//! keeps the reporter's information confidential). Anything public is a
//! [`PublicCase`], and a `PublicCase` is made only by [`PublicCase::of`]
//! from the staff-side [`CaseRecord`]:
//!
//! - `case`: [`CaseRecord`], [`PublicCase`], [`PublicEvent`], the rule.
//! - `coarse`: [`CoarsePoint`], the fixed grid of about 200 m every public
//!   position is snapped to, distances and [`rough_direction`].
//! - `summary`: [`PublicSummary`], the short text staff may publish when
//!   they accept a case.
//! - `nearby`: `GET /api/v1/nearby` ([`NearbyQuery`], [`NearbyAnswer`]) and
//!   its rule, [`nearby::select`].

pub mod case;
pub mod coarse;
pub mod nearby;
pub mod summary;

pub use case::{CaseRecord, PublicCase, PublicEvent};
pub use coarse::{
    bearing_deg, distance_m, rough_direction, CoarsePoint, Compass, OffTheMap, RoughDirection,
    CELL_DEGREES,
};
pub use nearby::{NearbyAnswer, NearbyQuery, NEARBY_ROUTE};
pub use summary::{PublicSummary, PublicSummaryError};

//! Open311 GeoReport v2 (<https://wiki.open311.org/GeoReport_v2>): the
//! mapping between GreenWatch's cases and the standard's wire shapes, in
//! JSON and XML. The server mounts it at [`BASE_PATH`].
//!
//! Pure mapping, no I/O: `format` (the `.json` / `.xml` suffix, the answer
//! language), `time` (ISO 8601 with a time zone, both ways), `xml` (a small
//! escaping writer; every XML answer is built through it), `service` (our
//! categories as services, discovery), `request` (a case as a service
//! request, statuses, `status_notes`, the updates extension), `post` (a
//! `POST requests` form checked by the app's own `ReportDraft::validate`),
//! `query` (the `GET requests` filters) and `error` (the spec's error list).
//!
//! Invariants: every service code is a [`Category`](crate::report::Category)
//! code; a case is `open` until its last event closes it
//! ([`CaseStatus::is_closed`](crate::sync::CaseStatus::is_closed)); every
//! request is read from a [`PublicCase`](crate::public::PublicCase), so no
//! answer can carry a citizen's words, exact position, media, contact or
//! receipt.

pub mod body;
pub mod error;
pub mod format;
pub mod post;
pub mod query;
pub mod request;
pub mod service;
pub mod time;
pub mod xml;

pub use body::Open311Body;
pub use error::{Open311Error, Open311Errors};
pub use format::{Format, Locale, Resource};
pub use post::{MediaUrl, NewServiceRequest, PostForm};
pub use query::{RequestQuery, RequestStatus, MAX_REQUESTS};
pub use request::{RequestCreated, ServiceRequest, ServiceRequestUpdate, TokenAnswer};
pub use service::{Discovery, Service, ServiceDefinition};

/// Where the server mounts the GeoReport v2 endpoint.
pub const BASE_PATH: &str = "/open311/v2";

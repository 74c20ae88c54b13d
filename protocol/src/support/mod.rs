//! "I see this too": a citizen adds their support to an open case instead
//! of filing a new one, with optional photos and voice clips as further
//! evidence, and follows that case like their own report.
//!
//! It is sent exactly as a report is, by the same machinery: the phone
//! makes the support's id ([`SupportId`]) and its receipt secret, queues it
//! in the same outbox, and the same [`SyncMachine`](crate::sync::SyncMachine)
//! sends it ([`SyncItem::Support`](crate::sync::SyncItem)): create
//! (idempotent by the id and a content fingerprint), each medium checked
//! against its declared size and SHA-256, complete. The server keeps one
//! support per id and only the receipt's hash; the receipt then opens the
//! supported case's timeline (`GET /api/v1/cases/{case_number}`).
//!
//! - `draft`: [`SupportId`], [`SupportDraft`], [`ValidSupport`].
//! - `wire`: the routes, [`CreateSupport`], [`support_fingerprint`].
//!
//! When staff mark a case as a duplicate of another, its supporters (and
//! its reporter, as a supporter) move to the original, and the timeline of
//! the duplicate names the original
//! ([`Timeline::duplicate_of`](crate::sync::Timeline::duplicate_of)): the
//! phone then follows the original with the same receipt.

pub mod draft;
pub mod wire;

pub use draft::{SupportDraft, SupportId, ValidSupport};
pub use wire::{
    support_canonical_form, support_fingerprint, support_medium_id, support_medium_path,
    support_path, unknown_case_error, CreateSupport, SUPPORT_MEDIUM_ROUTE, SUPPORT_ROUTE,
};

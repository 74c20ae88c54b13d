//! Sending queued reports: every queued report reaches the server exactly
//! once, with byte-identical media, whatever the network does; the person
//! then gets a case number and follows the case. A support ("I see this
//! too", [`crate::support`]) is sent the same way by the same machine
//! ([`SyncItem`]); what follows about reports holds for supports, with
//! [`support_fingerprint`](crate::support::support_fingerprint) as its
//! content fingerprint.
//!
//! - [`wire`]: the request and answer bodies of `/api/v1` and its paths.
//! - [`case`]: [`CaseNumber`] and the case's [`Timeline`].
//! - [`receipt`]: [`ReceiptSecret`] and [`ReceiptHash`].
//! - [`intake`]: the rules the server checks what arrives against.
//! - [`backoff`]: when to try again.
//! - [`machine`]: the client's state machine: what to send next.
//!
//! # Why exactly once
//!
//! The report's id (a UUID v4 the phone makes when the form opens) is the
//! key of everything. `PUT /api/v1/reports/{id}` creates the report without
//! its media bytes; the server stores at most one report per id, so
//! repeating the create is harmless: the same content (by
//! [`content_fingerprint`]) gets the same case back (200), other content is
//! refused (409). Each medium is then `PUT` on its own, checked against the
//! size and SHA-256 the create declared, and repeating it is harmless too.
//! Every answer says which media the server still misses.
//!
//! So the client may repeat any request any number of times, and it moves
//! on only when the server has answered: after a lost request, a lost
//! answer, a duplicated request, a server restart or the app being killed,
//! it repeats the last step and converges. A report is `Sent` only when the
//! server says it is complete. The media hashes are checked by the server
//! on arrival, so what it keeps is byte for byte what the phone declared.
//! `protocol/tests/sync_simulation.rs` runs the machine against a model of
//! the server under all of those faults.
//!
//! # The receipt: made by the client, only its hash sent
//!
//! A case can be followed only with its receipt, a secret the person's phone
//! holds. Had the server made the secret and returned it only in the first
//! create's answer (201), a phone whose 201 was lost would be stranded: its
//! repeated create gets 200 and the case number but, rightly, not the
//! secret; returning the secret on every replay would make the report id
//! itself the secret, and ids appear in URLs and logs.
//!
//! So the phone makes the secret: 32 bytes from its secure random source,
//! stored with the report *before* the first create (best in the same
//! transaction that queues the report). The create body carries only
//! `receipt_hash`, the SHA-256 of those bytes; the server stores the hash,
//! and it is part of the content fingerprint (the same id, content and
//! receipt hash is a replay; a different receipt hash is a 409). To follow
//! the case, the phone sends the secret in the `X-Receipt` header; the
//! server hashes it and compares ([`ReceiptHash::matches`]); an unknown case
//! and a wrong receipt get the same 404. The secret never travels from the
//! server, so no lost answer can lose it, and the server's database holds
//! only hashes of 256-bit random values, useless to whoever reads it.
//!
//! # Left to the server and the app
//!
//! - The server looks the id up first (same fingerprint: 200 and the case,
//!   even if today's rules or clock would refuse the body; another: 409),
//!   checks only new reports ([`CreateReport::check`]), stores each with
//!   its fingerprint and receipt hash, assigns case numbers once,
//!   sequentially per year (whose time zone is its choice; China Standard
//!   Time is the natural one), and answers errors with
//!   [`IntakeError::to_api_error`] and its status. The case's timeline
//!   starts with `received` when the last medium arrives. Each create and
//!   each medium must be durable before it is answered. The rules are
//!   written out as a model in `protocol/tests/support/server_model.rs`;
//!   the simulation can run against the real server through the same
//!   `IntakeServer` trait.
//! - The app (`src/sync/`, `src/storage/sync_state.rs`) makes and stores
//!   the receipt secret in the transaction that first queues a report,
//!   persists the [`SyncMachine`] after every outcome together with the
//!   outbox states it changed, and calls [`SyncMachine::reconcile`] at the
//!   start of every run (under a Web Lock, so one tab sends at a time).
//! - Open: a report the server already holds cannot change (409). If one of
//!   its media is then refused (a stored file that no longer matches its
//!   hash), editing the report cannot fix it; letting the receipt holder
//!   amend an incomplete report would (same id, same `receipt_hash`, case
//!   not yet complete: replace the content, keep the case number).

pub mod backoff;
pub mod case;
pub mod intake;
pub mod machine;
pub mod receipt;
pub mod wire;

pub use backoff::{parse_retry_after, Backoff};
pub use case::{
    CaseEventKind, CaseNumber, CaseNumberError, CaseStatus, Timeline, TimelineError, TimelineEvent,
};
pub use intake::IntakeError;
pub use machine::{
    Action, ItemSync, Outcome, Phase, QueuedItem, StateChange, SyncItem, SyncMachine,
    REFUSAL_STATUSES,
};
pub use receipt::{ReceiptError, ReceiptHash, ReceiptSecret};
pub use wire::{
    canonical_form, case_path, content_fingerprint, medium_id, medium_path, report_path,
    CreateReport, IntakeStatus, IntakeStatusError, MediumDecl, MediumKind, API_V1, CASE_ROUTE,
    MEDIUM_ROUTE, PHOTO_MIME, RECEIPT_HEADER, REPORT_ROUTE,
};

//! Durable storage: a database (SQLite or PostgreSQL, through sqlx's `Any`
//! driver) for reports, cases and media records, and an object store for the
//! media bytes.
//!
//! Everything the server acknowledges is durable first: SQLite runs in WAL
//! mode with `synchronous=FULL` (a commit is on disk before it returns;
//! PostgreSQL's default `synchronous_commit=on` gives the same), and a
//! medium's bytes are written and synced before the row that records them
//! as received is committed. All SQL of the server lives under this module;
//! route handlers call its methods. `database.rs` chooses the backend and
//! holds the only SQL that differs between the two.
//!
//! Layers, each using only those below it: `error.rs` (`StoreError`);
//! `database.rs` and `media.rs` (the media bytes' object store); `handle.rs`
//! (`Store` itself: opening both); `case_ops.rs` (what several stores share:
//! a case's row and lock, timelines, the audit log, a case's reward as read);
//! then one module per subject, which never call each other except Open311's
//! filing, which is a citizen's create (`reports::insert_report`).
//!
//! `staff.rs` holds the staff's accounts, sessions, audit log and case
//! actions (which append to the same `case_events` the citizen reads).
//! `open311.rs` holds the Open311 API keys (by hash) and the link from a
//! report filed through Open311 to its token and `media_url`.
//! `accounts.rs` lists staff accounts and disables or enables them;
//! `rewards.rs` the communication subsidy of a case (`case_rewards`).
//! `public.rs` is the only place a case is read for anything public
//! (Open311 requests, the transparency figures, the nearby list): each
//! leaves it as a `protocol::public::PublicCase`. `supports.rs` holds "I see
//! this too" (supports and their media); what other stores need of
//! supporters (who follows a case, what a merge moves, the count and list
//! staff see) is in `case_ops.rs`. `quiz.rs` holds the Learn section's quiz
//! results (one row each, written once). `limits.rs` holds the rate limits
//! every instance shares on PostgreSQL. `copy.rs` copies a whole
//! installation into another database and media store (`greenwatch-server
//! migrate`).
//!
//! Layout under the data folder: `greenwatch.db` (with its `-wal` and `-shm`
//! files) unless a `--database-url` names another database, and
//! `media/reports/<report_id>/<index>` and
//! `media/supports/<support_id>/<index>` unless a `--media-url` names an
//! S3-compatible bucket, which holds the same keys under its prefix.

mod accounts;
mod case_ops;
mod copy;
mod database;
mod error;
mod handle;
mod limits;
mod media;
mod open311;
mod public;
mod quiz;
mod reports;
mod rewards;
mod staff;
mod supports;

pub use accounts::AccountOutcome;
pub use case_ops::{AuditActor, StaffUser, StoredMedium};
pub use copy::{CopyError, CopyReport, TABLES};
pub use database::{Backend, DatabaseUrl};
pub use error::{DatabaseUrlError, StoreError};
pub use handle::{Store, StoreLocation, DATABASE_FILE, MEDIA_DIR};
pub use media::{MediaUrl, MediaUrlError};
pub use open311::{NewKeyOutcome, NewOpen311Request, Open311Key};
pub use quiz::{QuizResultOutcome, StoredQuizResult};
pub use reports::{CreateOutcome, MediumOutcome, StoredReport};
pub use rewards::RewardOutcome;
pub use staff::{ActionOutcome, NewUserOutcome, StaffCredentials, SummaryOutcome};
pub use supports::{StoredSupport, SupportMediumOutcome, SupportOutcome};

//! The outbox database's versioned schema (`web_shared::idb` runs each
//! version's migration once, in order; none deletes a store).
//!
//! - v1: `reports` (key path `id`, JSON-like records) and `media` (Blobs,
//!   out-of-line keys: the `MediaId`).
//! - v2: `thumbnails` (small preview Blobs, keyed by report id), so lists do
//!   not load full photos and a sent report's media can be freed while its
//!   preview stays.
//! - v3: `receipts` (each queued report's receipt secret, base64url, keyed
//!   by report id), `sync` (the sync machine, one record under
//!   [`MACHINE_KEY`]) and `cases` (the last case timeline read from the
//!   server, keyed by report id), for sending and following cases.
//! - v4: no new store. `media` and `thumbnails` values are now written as
//!   `{type, bytes: ArrayBuffer}` instead of `Blob`s (WebKit's private and
//!   ephemeral sessions refuse every Blob: see `medium.rs`). The migration
//!   leaves the Blobs v3 wrote where they are: converting them would await
//!   their bytes inside the upgrade transaction, which the browser commits
//!   at the first such await; every read takes both shapes. The version
//!   number is the guard: an older app, which reads only Blobs and would
//!   take a v4 medium for a missing one, cannot open a v4 database.

use web_shared::idb::{NewStore, Schema};

pub const REPORTS: &str = "reports";
pub const MEDIA: &str = "media";
pub const THUMBNAILS: &str = "thumbnails";
pub const RECEIPTS: &str = "receipts";
pub const SYNC: &str = "sync";
pub const CASES: &str = "cases";

/// The key of the one record in [`SYNC`].
pub const MACHINE_KEY: &str = "machine";

pub const SCHEMA: Schema = Schema {
    name: "greenwatch",
    versions: &[
        &[
            NewStore::with_key_path(REPORTS, "id"),
            NewStore::keyed(MEDIA),
        ],
        &[NewStore::keyed(THUMBNAILS)],
        &[
            NewStore::keyed(RECEIPTS),
            NewStore::keyed(SYNC),
            NewStore::keyed(CASES),
        ],
        // v4: media as bytes (see the module documentation).
        &[],
    ],
};

pub const DB_NAME: &str = SCHEMA.name;
pub const CURRENT_VERSION: u32 = SCHEMA.current();

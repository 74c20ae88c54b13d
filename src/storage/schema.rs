//! The database's versioned schema. Each version's migration runs once, in
//! order, inside the upgrade; none deletes a store that holds people's data.
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

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

use super::StorageError;

pub const DB_NAME: &str = "greenwatch";
pub const CURRENT_VERSION: u32 = 3;

pub const REPORTS: &str = "reports";
pub const MEDIA: &str = "media";
pub const THUMBNAILS: &str = "thumbnails";
pub const RECEIPTS: &str = "receipts";
pub const SYNC: &str = "sync";
pub const CASES: &str = "cases";

/// The key of the one record in [`SYNC`].
pub const MACHINE_KEY: &str = "machine";

pub async fn open(name: &str, version: u32) -> Result<Database, StorageError> {
    let db = Database::open(name)
        .with_version(version)
        .with_on_blocked(|_event| Ok(()))
        .with_on_upgrade_needed(move |event, db| {
            let from = event.old_version() as u32;
            for step in (from + 1)..=version {
                migrate(&db, step)?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}

fn migrate(db: &Database, to: u32) -> indexed_db_futures::Result<()> {
    match to {
        1 => {
            db.create_object_store(REPORTS)
                .with_key_path(KeyPath::One("id"))
                .build()?;
            db.create_object_store(MEDIA).build()?;
        }
        2 => {
            db.create_object_store(THUMBNAILS).build()?;
        }
        3 => {
            db.create_object_store(RECEIPTS).build()?;
            db.create_object_store(SYNC).build()?;
            db.create_object_store(CASES).build()?;
        }
        _ => {}
    }
    Ok(())
}

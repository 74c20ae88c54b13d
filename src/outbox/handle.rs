//! The open outbox database: opening it at the current schema (running the
//! migrations) and closing it. What it holds is written and read by the
//! `impl Outbox` blocks of `mod.rs`, `sync_state.rs` and `support.rs`.

use web_shared::idb::{Db, StorageError};

use super::schema::{CURRENT_VERSION, DB_NAME, SCHEMA};

/// An open connection to the outbox database.
pub struct Outbox {
    pub(super) db: Db,
}

impl Outbox {
    /// Opens (creating or migrating as needed) the app's outbox.
    pub async fn open() -> Result<Self, StorageError> {
        Self::open_named(DB_NAME).await
    }

    /// Opens a database of the given name at the current schema version.
    pub async fn open_named(name: &str) -> Result<Self, StorageError> {
        Self::open_at_version(name, CURRENT_VERSION).await
    }

    /// Opens at an older schema version: for tests of migrations only.
    #[doc(hidden)]
    pub async fn open_at_version(name: &str, version: u32) -> Result<Self, StorageError> {
        Ok(Self {
            db: Db::open_as(name, &SCHEMA, version).await?,
        })
    }

    pub fn close(self) {
        self.db.close();
    }

    /// The schema version of the open database.
    pub fn version(&self) -> u32 {
        self.db.version()
    }
}

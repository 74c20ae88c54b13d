//! Durable storage: SQLite (through `sqlx`) for reports, cases and media
//! records, and an object store for the media bytes.
//!
//! Everything the server acknowledges is durable first: the database runs in
//! WAL mode with `synchronous=FULL` (a commit is on disk before it returns),
//! and a medium's bytes are written and synced before the row that records
//! them as received is committed. All SQL of the server lives under this
//! module; route handlers call its methods.
//!
//! `staff.rs` holds the staff's accounts, sessions, audit log and case
//! actions (which append to the same `case_events` the citizen reads).
//! `accounts.rs` lists staff accounts and disables or enables them;
//! `rewards.rs` the communication subsidy of a case (`case_rewards`).
//! `transparency.rs` reads every complete case's category and timeline for
//! the public figures.
//!
//! Layout under the data folder: `greenwatch.db` (with its `-wal` and `-shm`
//! files) and `media/reports/<report_id>/<index>`.

mod accounts;
mod reports;
mod rewards;
mod staff;
mod transparency;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use object_store::local::LocalFileSystem;
use sqlx::sqlite::SqliteSynchronous;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};

pub use accounts::AccountOutcome;
pub use reports::{CreateOutcome, MediumOutcome, StoredReport};
pub use rewards::RewardOutcome;
pub use staff::{ActionOutcome, AuditActor, NewUserOutcome, StaffCredentials, StaffUser};
pub use transparency::CaseHistory;

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "greenwatch.db";
/// The media folder's name inside the data folder.
pub const MEDIA_DIR: &str = "media";

/// Why storage failed. Answered as a 500 whose detail only the logs see.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("media store: {0}")]
    Media(#[from] object_store::Error),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    /// A stored value that no longer reads back (a bug or a damaged database).
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
}

/// The database pool and the media store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    media: Arc<LocalFileSystem>,
    media_root: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database and media folder under
    /// `data_dir` and runs the embedded migrations.
    pub async fn open(data_dir: &Path) -> Result<Store, StoreError> {
        let media_root = data_dir.join(MEDIA_DIR);
        tokio::fs::create_dir_all(&media_root).await?;
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(data_dir.join(DATABASE_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a committed transaction survives a power cut (NORMAL
            // in WAL mode may lose the last commits).
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Writers queue up behind each other instead of failing.
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!().run(&pool).await?;
        let media = LocalFileSystem::new_with_prefix(&media_root)?;
        Ok(Store {
            pool,
            media: Arc::new(media),
            media_root,
        })
    }

    /// The folder the media files live in.
    pub fn media_root(&self) -> &Path {
        &self.media_root
    }

    /// The journal mode and `synchronous` level a connection runs with
    /// (`("wal", 2)` for WAL and FULL): for checks and diagnostics.
    pub async fn durability(&self) -> Result<(String, i64), StoreError> {
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        Ok((journal, synchronous))
    }

    /// Closes the pool (tests use it to reopen the same folder).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

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
//! `staff.rs` holds the staff's accounts, sessions, audit log and case
//! actions (which append to the same `case_events` the citizen reads).
//! `open311.rs` holds the Open311 API keys (by hash) and the link from a
//! report filed through Open311 to its token and `media_url`.
//! `accounts.rs` lists staff accounts and disables or enables them;
//! `rewards.rs` the communication subsidy of a case (`case_rewards`).
//! `public.rs` is the only place a case is read for anything public
//! (Open311 requests, the transparency figures, the nearby list): each
//! leaves it as a `protocol::public::PublicCase`. `supports.rs` holds "I see
//! this too" (supports, their media, who follows which case, what a merge
//! moves). `quiz.rs` holds the Learn section's quiz results (one row each,
//! written once).
//!
//! Layout under the data folder: `greenwatch.db` (with its `-wal` and `-shm`
//! files) unless a `--database-url` names another database, and
//! `media/reports/<report_id>/<index>` and `media/supports/<support_id>/<index>`.

mod accounts;
mod database;
mod open311;
mod public;
mod quiz;
mod reports;
mod rewards;
mod staff;
mod supports;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use object_store::local::LocalFileSystem;
use object_store::ObjectStore;
use sqlx::AnyPool;

pub use accounts::AccountOutcome;
pub use database::{Backend, DatabaseUrl, DatabaseUrlError};
pub use open311::{NewKeyOutcome, NewOpen311Request, Open311Key};
pub use quiz::{QuizResultOutcome, StoredQuizResult};
pub use reports::{CreateOutcome, MediumOutcome, StoredReport};
pub use rewards::RewardOutcome;
pub use staff::{
    ActionOutcome, AuditActor, NewUserOutcome, StaffCredentials, StaffUser, SummaryOutcome,
};
pub use supports::{StoredSupport, SupportMediumOutcome, SupportOutcome};

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "greenwatch.db";
/// The media folder's name inside the data folder.
pub const MEDIA_DIR: &str = "media";

/// Why storage failed. Answered as a 500 whose detail only the logs see.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL: {0}")]
    DatabaseUrl(#[from] DatabaseUrlError),
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

/// Where a store keeps its data: the data folder (media, and the SQLite
/// file by default) and, optionally, a database URL instead of that file.
#[derive(Debug, Clone)]
pub struct StoreLocation {
    pub data_dir: PathBuf,
    pub database_url: Option<DatabaseUrl>,
}

impl StoreLocation {
    /// Everything in `data_dir`, the database in `greenwatch.db`.
    pub fn data_folder(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            database_url: None,
        }
    }

    /// The backend the location names.
    pub fn backend(&self) -> Result<Backend, DatabaseUrlError> {
        match &self.database_url {
            None => Ok(Backend::Sqlite),
            Some(url) => url.backend(),
        }
    }
}

/// The media bytes' object store. A local folder also keeps the concrete
/// store, to find the file `put` wrote and fsync it.
#[derive(Debug, Clone)]
struct Media {
    objects: Arc<dyn ObjectStore>,
    local: Arc<LocalFileSystem>,
    root: PathBuf,
}

/// The database pool and the media store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The database file or URL without its password, for the log.
    described: String,
    media: Media,
}

impl Store {
    /// Opens (creating if needed) the database and media folder `location`
    /// names and runs the embedded migrations of its backend.
    pub async fn open(location: &StoreLocation) -> Result<Store, StoreError> {
        let media_root = location.data_dir.join(MEDIA_DIR);
        tokio::fs::create_dir_all(&media_root).await?;
        let backend = location.backend()?;
        let (pool, described) = match &location.database_url {
            None => {
                let file = location.data_dir.join(DATABASE_FILE);
                let url = database::sqlite_file_url(&file)?;
                let pool = database::connect(backend, &url).await?;
                (pool, file.display().to_string())
            }
            Some(url) => (
                database::connect(backend, url.as_str()).await?,
                url.redacted(),
            ),
        };
        let local = Arc::new(LocalFileSystem::new_with_prefix(&media_root)?);
        Ok(Store {
            pool,
            backend,
            described,
            media: Media {
                objects: local.clone(),
                local,
                root: media_root,
            },
        })
    }

    /// The backend this store runs on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Which database this store runs on, for the log: the backend and
    /// the file or the URL without its password.
    pub fn describe(&self) -> String {
        format!("{} {}", self.backend.name(), self.described)
    }

    /// The folder the media files live in.
    pub fn media_root(&self) -> &Path {
        &self.media.root
    }

    /// The journal mode and `synchronous` level a SQLite connection runs
    /// with (`("wal", 2)` for WAL and FULL): for checks and diagnostics.
    /// `None` on PostgreSQL, whose durability is the database server's.
    pub async fn durability(&self) -> Result<Option<(String, i64)>, StoreError> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let mut conn = self.pool.acquire().await?;
        let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&mut *conn)
            .await?;
        let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
            .fetch_one(&mut *conn)
            .await?;
        Ok(Some((journal, synchronous)))
    }

    /// Closes the pool (tests use it to reopen the same folder).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

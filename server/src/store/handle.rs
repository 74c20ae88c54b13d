//! `Store`: the database pool and the media store, and where they live.
//! The other modules of `store/` add its methods, one subject each.

use std::path::{Path, PathBuf};

use sqlx::AnyPool;

use bytes::Bytes;
use protocol::report::ReportId;
use protocol::support::SupportId;

use super::database::{self, Backend, DatabaseUrl};
use super::error::{DatabaseUrlError, StoreError};
use super::media::{object_key, support_object_key, Media, MediaUrl};

/// The database file's name inside the data folder.
pub const DATABASE_FILE: &str = "greenwatch.db";
/// The media folder's name inside the data folder.
pub const MEDIA_DIR: &str = "media";

/// Where a store keeps its data: the data folder (media, and the SQLite
/// file by default) and, optionally, a database URL instead of that file.
#[derive(Debug, Clone)]
pub struct StoreLocation {
    pub data_dir: PathBuf,
    pub database_url: Option<DatabaseUrl>,
    /// The media's S3-compatible bucket, instead of `<data_dir>/media`.
    pub media_url: Option<MediaUrl>,
}

impl StoreLocation {
    /// Everything in `data_dir`, the database in `greenwatch.db`.
    pub fn data_folder(data_dir: &Path) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            database_url: None,
            media_url: None,
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

/// The database pool and the media store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pub(super) pool: AnyPool,
    pub(super) backend: Backend,
    /// The database file or URL without its password, for the log.
    pub(super) described: String,
    pub(super) media: Media,
}

impl Store {
    /// Opens (creating if needed) the database and media folder `location`
    /// names and runs the embedded migrations of its backend.
    pub async fn open(location: &StoreLocation) -> Result<Store, StoreError> {
        let media = match &location.media_url {
            None => Media::folder(location.data_dir.join(MEDIA_DIR)).await?,
            Some(url) => Media::s3(url).await?,
        };
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
        Ok(Store {
            pool,
            backend,
            described,
            media,
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

    /// The folder the media files live in, when they are in one.
    pub fn media_root(&self) -> Option<&Path> {
        self.media.root()
    }

    /// Where the media are, for the log: the folder or the `s3://` URL.
    pub fn describe_media(&self) -> String {
        self.media.describe()
    }

    /// The stored bytes of medium `index` of report `id`, if any (whether
    /// or not the database records it yet).
    pub async fn medium_bytes(&self, id: ReportId, index: u8) -> Result<Option<Bytes>, StoreError> {
        self.media.get(&object_key(id, index)).await
    }

    /// The stored bytes of medium `index` of support `id`, if any (whether
    /// or not the database records it yet).
    pub async fn support_medium_bytes(
        &self,
        id: SupportId,
        index: u8,
    ) -> Result<Option<Bytes>, StoreError> {
        self.media.get(&support_object_key(id, index)).await
    }

    /// The key of every stored medium (`reports/<id>/<index>`, then
    /// `supports/<id>/<index>`), sorted.
    pub async fn media_keys(&self) -> Result<Vec<String>, StoreError> {
        let mut keys = self.media.keys("reports").await?;
        keys.extend(self.media.keys("supports").await?);
        Ok(keys)
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

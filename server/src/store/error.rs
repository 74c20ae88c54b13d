//! Why storage failed (`StoreError`), and why a database URL cannot be
//! used (`DatabaseUrlError`, one of its causes).

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
    /// The media store could not store or read a medium now (unreachable,
    /// refusing, out of space): answered 503 with `Retry-After`.
    #[error("media store unavailable: {0}")]
    MediaUnavailable(object_store::Error),
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    /// A stored value that no longer reads back (a bug or a damaged database).
    #[error("stored data unreadable: {0}")]
    Corrupt(String),
}

/// Why a database URL cannot be used. The messages never repeat the URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DatabaseUrlError {
    #[error("the database URL is not a URL ({0}); expected postgres://user@host:5432/database or sqlite:path")]
    NotAUrl(String),
    #[error(
        "unsupported database URL scheme {0:?}; use postgres:// (or postgresql://) or sqlite:"
    )]
    Scheme(String),
}

//! Which database the store runs on, connecting to it, and the few places
//! where SQLite and PostgreSQL need different SQL.
//!
//! Invariants: every query of the store runs unchanged on both backends
//! (`$N` placeholders, BIGINT integers read as `i64`, 0/1 flags, only
//! `ON CONFLICT`), except the fragments `Backend` hands out here. Every
//! migration exists in `migrations/sqlite/` and `migrations/postgres/` under
//! the same number and name (a test checks it). A database URL's password
//! never reaches a log or an error message: `DatabaseUrl`'s `Debug` and
//! `redacted` leave it out.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::AnyPool;
use sqlx::{Any, Connection, Transaction};

use super::error::{DatabaseUrlError, StoreError};

/// The SQLite schema: `migrations/sqlite/`, the files the server ran from
/// `migrations/` before PostgreSQL support, byte for byte (sqlx checks each
/// applied migration's SHA-384, so existing databases open unchanged).
pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
/// The same schema for PostgreSQL: `migrations/postgres/`.
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections per server instance.
const MAX_CONNECTIONS: u32 = 8;

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Starts a transaction that writes. SQLite: `BEGIN IMMEDIATE` takes the
    /// one write lock before the first read, so writers run one after the
    /// other. PostgreSQL (READ COMMITTED): a plain `BEGIN`; the store takes
    /// row locks (`for_update`) and relies on unique keys and `ON CONFLICT`
    /// where two writers could meet.
    pub(super) async fn begin_write(
        self,
        pool: &AnyPool,
    ) -> Result<Transaction<'static, Any>, StoreError> {
        Ok(match self {
            Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => pool.begin().await?,
        })
    }

    /// Appended to a `SELECT` of one row inside `begin_write`'s transaction:
    /// locks the row until commit on PostgreSQL; nothing on SQLite, whose
    /// `BEGIN IMMEDIATE` already holds the whole database.
    pub(super) fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// The category (a JSON string field) of the create body in column
    /// `r.body`, as TEXT.
    pub(super) fn body_category(self) -> &'static str {
        match self {
            Backend::Sqlite => "json_extract(r.body, '$.category')",
            Backend::Postgres => "(r.body::jsonb ->> 'category')",
        }
    }

    /// Lists the tables of the database (as `name`), sqlx's own left out.
    pub(super) fn tables_sql(self) -> &'static str {
        match self {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
            }
            Backend::Postgres => {
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations'"
            }
        }
    }

    /// Lists the columns (`name`) of table `$1` in order, with their
    /// declared type (`type`).
    pub(super) fn columns_sql(self) -> &'static str {
        match self {
            Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
            Backend::Postgres => {
                "SELECT column_name::text AS name, data_type::text AS type \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 \
                 ORDER BY ordinal_position"
            }
        }
    }

    /// After rows were copied in with their ids: PostgreSQL's identity
    /// columns continue after the largest id (SQLite's do by themselves).
    pub(super) async fn continue_identities(
        self,
        conn: &mut sqlx::AnyConnection,
    ) -> Result<(), StoreError> {
        if self != Backend::Postgres {
            return Ok(());
        }
        let identities = sqlx::query(
            "SELECT table_name::text AS t, column_name::text AS c \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND is_identity = 'YES'",
        )
        .fetch_all(&mut *conn)
        .await?;
        for row in identities {
            let table: String = sqlx::Row::try_get(&row, "t")?;
            let column: String = sqlx::Row::try_get(&row, "c")?;
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
                 COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
            ))
            .fetch_one(&mut *conn)
            .await?;
        }
        Ok(())
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database URL as given (`--database-url`): `postgres://…` (or
/// `postgresql://…`) or `sqlite:…`. Its `Debug` hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl From<String> for DatabaseUrl {
    fn from(url: String) -> Self {
        DatabaseUrl(url)
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DatabaseUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl DatabaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Which backend the URL names.
    pub fn backend(&self) -> Result<Backend, DatabaseUrlError> {
        let options = AnyConnectOptions::from_str(&self.0)
            .map_err(|error| DatabaseUrlError::NotAUrl(error.to_string()))?;
        match options.database_url.scheme() {
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            "sqlite" => Ok(Backend::Sqlite),
            other => Err(DatabaseUrlError::Scheme(other.to_owned())),
        }
    }

    /// The URL without password or query (which may hold one), for logs.
    pub fn redacted(&self) -> String {
        match AnyConnectOptions::from_str(&self.0) {
            Ok(options) => {
                let mut url = options.database_url;
                // Only fails for URLs that cannot have a password at all.
                let _ = url.set_password(None);
                url.set_query(None);
                url.to_string()
            }
            Err(_) => "(not a URL)".to_owned(),
        }
    }
}

/// Connects to `url` on `backend`, sets SQLite's durability options on
/// every connection, and runs that backend's migrations.
pub(super) async fn connect(backend: Backend, url: &str) -> Result<AnyPool, StoreError> {
    sqlx::any::install_default_drivers();
    let options = AnyConnectOptions::from_str(url)?;
    let pool = match backend {
        Backend::Sqlite => {
            AnyPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        for pragma in SQLITE_PRAGMAS {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?
        }
        Backend::Postgres => {
            // One connection first: its error names the cause (refused,
            // unknown database, authentication); the pool's would only say
            // it timed out.
            let probe = sqlx::AnyConnection::connect_with(&options).await?;
            probe.close().await?;
            AnyPoolOptions::new()
                .max_connections(MAX_CONNECTIONS)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options)
                .await?
        }
    };
    match backend {
        Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
        // sqlx holds an advisory lock while migrating, so several instances
        // starting at once migrate once.
        Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
    }
    Ok(pool)
}

/// Run on each new SQLite connection, in this order.
const SQLITE_PRAGMAS: [&str; 4] = [
    // Writers queue up behind each other instead of failing.
    "PRAGMA busy_timeout = 10000",
    "PRAGMA journal_mode = WAL",
    // FULL: a committed transaction survives a power cut (NORMAL in WAL
    // mode may lose the last commits).
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
];

/// The `sqlite:` URL of the database file at `path`, created if missing.
pub(super) fn sqlite_file_url(path: &Path) -> Result<String, StoreError> {
    let text = path.to_str().ok_or_else(|| {
        StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("the database path {} is not UTF-8", path.display()),
        ))
    })?;
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    Ok(format!("sqlite://{encoded}?mode=rwc"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_folders_hold_the_same_migrations() {
        let names = |migrator: &Migrator| {
            migrator
                .iter()
                .map(|migration| (migration.version, migration.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&SQLITE_MIGRATIONS), names(&POSTGRES_MIGRATIONS));
        assert!(SQLITE_MIGRATIONS.iter().count() >= 2);
    }

    #[test]
    fn no_migration_lies_outside_the_two_folders() {
        // A file in migrations/ itself would run on neither backend.
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let stray: Vec<_> = std::fs::read_dir(&root)
            .expect("migrations folder")
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_file())
            .collect();
        assert!(
            stray.is_empty(),
            "move these into migrations/sqlite and migrations/postgres: {stray:?}"
        );
    }

    #[test]
    fn the_sqlite_migrations_are_those_existing_databases_ran() {
        // SHA-384 of 0001_intake.sql and 0002_staff.sql as they were in
        // migrations/ before the move; sqlx refuses a database whose applied
        // migration's checksum differs.
        let expected = [
            "6e4e50350ce2f191e723d4313e6b81dbe0a62764fcea4ba84e40b177b8d2a62bc83772ff3a3e3fdb100bdc147de74442",
            "540769412b587d44dace8200ffb41e5700805d18a3df7e6c6438044cdf618a1a38f61f3e869996ec06de841fc49b9d5c",
        ];
        let actual: Vec<String> = SQLITE_MIGRATIONS
            .iter()
            .take(expected.len())
            .map(|migration| {
                migration
                    .checksum
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect()
            })
            .collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn urls_name_their_backend_and_hide_passwords() {
        let url = DatabaseUrl::from("postgres://gw:s3cret@db.example:5432/gw".to_owned());
        assert_eq!(url.backend(), Ok(Backend::Postgres));
        assert_eq!(url.redacted(), "postgres://gw@db.example:5432/gw");
        assert!(!format!("{url:?}").contains("s3cret"));
        let url = DatabaseUrl::from("postgresql:///gw?host=/run/pg&password=s3cret".to_owned());
        assert_eq!(url.backend(), Ok(Backend::Postgres));
        assert!(!url.redacted().contains("s3cret"));
        let url = DatabaseUrl::from("sqlite:///var/lib/gw/gw.db".to_owned());
        assert_eq!(url.backend(), Ok(Backend::Sqlite));
        let url = DatabaseUrl::from("mysql://root:s3cret@localhost/gw".to_owned());
        assert_eq!(url.backend(), Err(DatabaseUrlError::Scheme("mysql".into())));
        let url = DatabaseUrl::from("db.example:5432 s3cret".to_owned());
        let error = url.backend().expect_err("not a URL").to_string();
        assert!(!error.contains("s3cret"), "{error}");
    }

    #[test]
    fn file_urls_escape_what_sqlx_would_read_as_syntax() {
        let url = sqlite_file_url(Path::new("/srv/green watch/50%?#/greenwatch.db")).unwrap();
        assert_eq!(
            url,
            "sqlite:///srv/green%20watch/50%25%3F%23/greenwatch.db?mode=rwc"
        );
    }
}

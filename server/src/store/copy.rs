//! Copying a whole installation into another store (`greenwatch-server
//! migrate`): every table of [`TABLES`] row by row in one transaction of
//! the target, after every received medium (of reports and of supports)
//! was copied and checked by its SHA-256 on both sides.
//!
//! Safe to run again after an interruption: the media go first (a medium
//! already in the target with the right bytes is kept, any other bytes are
//! written over), and the rows in one transaction that commits at the end,
//! so an interrupted run leaves the target's tables empty, which is the
//! only state a run accepts. A target with rows, or a media bucket holding
//! objects the source does not have, is refused.

use std::collections::BTreeSet;

use object_store::path::Path as ObjectPath;
use protocol::report::Sha256Hex;
use sqlx::{AnyConnection, Row};

use super::error::StoreError;
use super::handle::Store;

/// Every table of the schema, in an order that satisfies its foreign keys.
/// `tests/migrate.rs` checks it against the tables the migrations create,
/// so a table a later migration adds cannot be left behind unnoticed.
pub const TABLES: &[&str] = &[
    "reports",
    "case_sequences",
    "media",
    "staff_users",
    "case_events",
    "staff_sessions",
    "audit_log",
    "case_rewards",
    "open311_keys",
    "open311_requests",
    "quiz_results",
    "supports",
    "support_media",
    "case_followers",
    "rate_buckets",
    "login_failures",
];

/// What a copy did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    /// Rows copied, per table (in [`TABLES`] order).
    pub rows: Vec<(&'static str, u64)>,
    /// Media checked by hash (and copied when the target keeps its own).
    pub media: u64,
}

/// Why a copy did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("the target database is not empty: table {table} holds {rows} rows")]
    TargetNotEmpty { table: &'static str, rows: i64 },
    #[error("the target media store holds objects the source does not have (such as {0}); give an empty bucket or prefix")]
    TargetMediaNotEmpty(String),
    #[error("medium {key}: {problem}")]
    Medium { key: String, problem: String },
    #[error("table {table}, column {column}: type {kind} cannot be copied")]
    ColumnType {
        table: &'static str,
        column: String,
        kind: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for CopyError {
    fn from(error: sqlx::Error) -> Self {
        CopyError::Store(StoreError::Database(error))
    }
}

/// The tables the store's migrations created, as the database lists them.
pub(super) async fn schema_tables(store: &Store) -> Result<BTreeSet<String>, StoreError> {
    let rows = sqlx::query(store.backend.tables_sql())
        .fetch_all(&store.pool)
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get::<String, _>("name")?))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Text,
}

/// The columns of `table` in the target and what each holds.
async fn columns(store: &Store, table: &'static str) -> Result<Vec<(String, Kind)>, CopyError> {
    let rows = sqlx::query(store.backend.columns_sql())
        .bind(table)
        .fetch_all(&store.pool)
        .await?;
    let mut columns = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.try_get("name")?;
        let kind: String = row.try_get("type")?;
        let kind = match kind.to_ascii_lowercase().as_str() {
            "bigint" | "integer" => Kind::Integer,
            "text" => Kind::Text,
            other => {
                return Err(CopyError::ColumnType {
                    table,
                    column: name,
                    kind: other.to_owned(),
                })
            }
        };
        columns.push((name, kind));
    }
    Ok(columns)
}

impl Store {
    /// Copies everything this store holds into `target` (see the module's
    /// notes). `progress` hears what is being done, for the command's log.
    pub async fn copy_into(
        &self,
        target: &Store,
        mut progress: impl FnMut(&str),
    ) -> Result<CopyReport, CopyError> {
        // 1. The target's tables must all be empty.
        for &table in TABLES {
            let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&target.pool)
                .await?;
            if rows > 0 {
                return Err(CopyError::TargetNotEmpty { table, rows });
            }
        }
        let mut report = CopyReport::default();

        // 2. The media, each checked against its recorded size and hash.
        let media = sqlx::query(
            "SELECT object_key, bytes, sha256 FROM media WHERE received_at IS NOT NULL \
             UNION ALL \
             SELECT object_key, bytes, sha256 FROM support_media WHERE received_at IS NOT NULL \
             ORDER BY object_key",
        )
        .fetch_all(&self.pool)
        .await?;
        let same_media = self.media.describe() == target.media.describe();
        if !same_media {
            let known: BTreeSet<String> = media
                .iter()
                .map(|row| row.try_get::<String, _>("object_key"))
                .collect::<Result<_, _>>()?;
            if let Some(stray) = target
                .media
                .keys("")
                .await?
                .into_iter()
                .find(|key| !known.contains(key))
            {
                return Err(CopyError::TargetMediaNotEmpty(stray));
            }
        }
        progress(&format!("checking {} media", media.len()));
        for row in &media {
            let key: String = row.try_get("object_key")?;
            let size: i64 = row.try_get("bytes")?;
            let sha256: String = row.try_get("sha256")?;
            let path = ObjectPath::from(key.as_str());
            let check = |bytes: &[u8], side: &str| -> Result<(), CopyError> {
                let hash = Sha256Hex::of(bytes).to_string();
                if i64::try_from(bytes.len()).ok() != Some(size) || hash != sha256 {
                    return Err(CopyError::Medium {
                        key: key.clone(),
                        problem: format!(
                            "the {side} holds {} bytes with SHA-256 {hash}; recorded: {size} bytes, {sha256}",
                            bytes.len()
                        ),
                    });
                }
                Ok(())
            };
            let bytes = self
                .media
                .get(&path)
                .await?
                .ok_or_else(|| CopyError::Medium {
                    key: key.clone(),
                    problem: "recorded as received but missing from the source".to_owned(),
                })?;
            check(&bytes, "source")?;
            if !same_media {
                let present = target.media.get(&path).await?;
                let fine = present
                    .as_deref()
                    .is_some_and(|held| check(held, "target").is_ok());
                if !fine {
                    target.media.put(&path, bytes).await?;
                    let copied =
                        target
                            .media
                            .get(&path)
                            .await?
                            .ok_or_else(|| CopyError::Medium {
                                key: key.clone(),
                                problem: "missing from the target right after it was written"
                                    .to_owned(),
                            })?;
                    check(&copied, "target")?;
                }
            }
            report.media += 1;
        }

        // 3. The rows, all in one transaction of the target.
        let mut source = self.pool.acquire().await?;
        let mut tx = target.pool.begin().await?;
        for &table in TABLES {
            let columns = columns(target, table).await?;
            let rows = copy_table(&mut source, &mut tx, table, &columns).await?;
            progress(&format!("{table}: {rows} rows"));
            report.rows.push((table, rows));
        }
        target.backend.continue_identities(&mut tx).await?;
        tx.commit().await?;
        Ok(report)
    }

    /// The tables this store's database holds (for the check that
    /// [`TABLES`] names them all).
    pub async fn table_names(&self) -> Result<BTreeSet<String>, StoreError> {
        schema_tables(self).await
    }
}

async fn copy_table(
    source: &mut AnyConnection,
    target: &mut AnyConnection,
    table: &'static str,
    columns: &[(String, Kind)],
) -> Result<u64, CopyError> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| name.as_str()).collect();
    let select = format!("SELECT {} FROM {table}", names.join(", "));
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let insert = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        names.join(", "),
        placeholders.join(", ")
    );
    let rows = sqlx::query(&select).fetch_all(&mut *source).await?;
    let mut copied = 0;
    for row in rows {
        let mut query = sqlx::query(&insert);
        for (index, (_, kind)) in columns.iter().enumerate() {
            query = match kind {
                Kind::Integer => query.bind(row.try_get::<Option<i64>, _>(index)?),
                Kind::Text => query.bind(row.try_get::<Option<String>, _>(index)?),
            };
        }
        query.execute(&mut *target).await?;
        copied += 1;
    }
    Ok(copied)
}

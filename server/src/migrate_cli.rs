//! `greenwatch-server migrate --to-database-url postgres://… [--to-media-url
//! s3://…]`: copies a stopped SQLite installation (the data folder the
//! other flags name) into an empty PostgreSQL database and, with
//! `--to-media-url`, its media into an empty S3-compatible bucket. Without
//! it the media stay in the data folder, checked by hash in place, and the
//! migrated server runs with the same `--data-dir`.
//!
//! The work is `Store::copy_into` (`store/copy.rs`); it can be run again
//! after an interruption.

use crate::config::MigrateArgs;
use crate::store::{Backend, CopyError, Store, StoreError, StoreLocation};

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("the target must be a PostgreSQL database (postgres://…)")]
    TargetNotPostgres,
    #[error("the source must be a SQLite installation (a data folder); this one is {0}")]
    SourceNotSqlite(&'static str),
    #[error("cannot open the source: {0}")]
    Source(StoreError),
    #[error("cannot open the target: {0}")]
    Target(StoreError),
    #[error(transparent)]
    Copy(#[from] CopyError),
}

/// Copies the installation at `source` to the target `args` names, and
/// says what was copied.
pub async fn run(source: &StoreLocation, args: &MigrateArgs) -> Result<String, MigrateError> {
    let target = StoreLocation {
        data_dir: source.data_dir.clone(),
        database_url: Some(args.to_database_url.clone()),
        media_url: args
            .to_media_url
            .clone()
            .or_else(|| source.media_url.clone()),
    };
    if target
        .backend()
        .map_err(|error| MigrateError::Target(error.into()))?
        != Backend::Postgres
    {
        return Err(MigrateError::TargetNotPostgres);
    }
    let backend = source
        .backend()
        .map_err(|error| MigrateError::Source(error.into()))?;
    if backend != Backend::Sqlite {
        return Err(MigrateError::SourceNotSqlite(backend.name()));
    }
    let from = Store::open(source).await.map_err(MigrateError::Source)?;
    let to = Store::open(&target).await.map_err(MigrateError::Target)?;
    eprintln!(
        "migrate: from {} (media {}) to {} (media {})",
        from.describe(),
        from.describe_media(),
        to.describe(),
        to.describe_media()
    );
    let report = from
        .copy_into(&to, |step| eprintln!("migrate: {step}"))
        .await?;
    from.close().await;
    to.close().await;
    let rows: u64 = report.rows.iter().map(|(_, rows)| rows).sum();
    Ok(format!(
        "migrated {rows} rows in {} tables and {} media (each checked by SHA-256)",
        report.rows.len(),
        report.media
    ))
}

//! The database a test's store runs on: SQLite in the test's data folder,
//! or, when `GREENWATCH_TEST_POSTGRES_URL` names a PostgreSQL database (as a
//! role that may create schemas in it), a fresh schema `gw_test_<uuid>` of
//! its own there (the URL gets `search_path` set to it), dropped when the
//! test ends, so tests run in parallel as they do on SQLite. A schema, not a
//! database: `CREATE DATABASE` takes about a second, and the simulation
//! starts hundreds of servers. `scripts/test` runs the suite both ways.
//!
//! The media likewise: in the test's data folder, or, when
//! `GREENWATCH_TEST_S3_URL` names an S3-compatible bucket (with the
//! `AWS_*` variables object_store reads; `scripts/setup.sh`'s `setup_s3`
//! starts one), under a prefix of the test's own there.

use std::str::FromStr;

use greenwatch_server::store::{DatabaseUrl, MediaUrl, StoreLocation};
use sqlx::any::AnyConnectOptions;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Executor};

/// The variable naming the PostgreSQL database to test in.
pub const POSTGRES_ENV: &str = "GREENWATCH_TEST_POSTGRES_URL";
/// The variable naming the S3-compatible bucket to keep test media in.
pub const S3_ENV: &str = "GREENWATCH_TEST_S3_URL";

/// The bucket of `S3_ENV`, under a new prefix of its own, if set.
pub fn test_media_url() -> Option<MediaUrl> {
    let url = std::env::var(S3_ENV).ok()?;
    let url: MediaUrl = url
        .parse()
        .unwrap_or_else(|error| panic!("{S3_ENV}: {error}"));
    Some(url.join(&format!("t{}", uuid::Uuid::new_v4().simple())))
}

/// The S3 server's `host:port` (from `AWS_ENDPOINT`), when the tests use one.
#[allow(dead_code)] // only tests/media_store.rs
pub fn s3_endpoint() -> Option<String> {
    std::env::var(S3_ENV).ok()?;
    let endpoint = std::env::var("AWS_ENDPOINT").expect("AWS_ENDPOINT with GREENWATCH_TEST_S3_URL");
    Some(
        endpoint
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned(),
    )
}

struct Postgres {
    /// The URL given in `POSTGRES_ENV`.
    admin: String,
    name: String,
    url: DatabaseUrl,
}

pub struct TestDatabase {
    postgres: Option<Postgres>,
    media_url: Option<MediaUrl>,
}

impl TestDatabase {
    /// SQLite, or a new PostgreSQL database when `POSTGRES_ENV` is set.
    pub async fn create() -> TestDatabase {
        let Ok(admin) = std::env::var(POSTGRES_ENV) else {
            return TestDatabase {
                postgres: None,
                media_url: test_media_url(),
            };
        };
        let name = format!("gw_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = PgConnection::connect(&admin)
            .await
            .unwrap_or_else(|error| panic!("{POSTGRES_ENV}: cannot connect: {error}"));
        conn.execute(format!("CREATE SCHEMA {name}").as_str())
            .await
            .expect("CREATE SCHEMA");
        conn.close().await.expect("close");
        let mut url = AnyConnectOptions::from_str(&admin)
            .expect("a URL")
            .database_url;
        url.query_pairs_mut()
            .append_pair("options[search_path]", &name);
        TestDatabase {
            postgres: Some(Postgres {
                admin,
                name,
                url: DatabaseUrl::from(url.to_string()),
            }),
            media_url: test_media_url(),
        }
    }

    /// Where a store over `data_dir` (its media, and SQLite's file) and
    /// this database keeps its data.
    pub fn location(&self, data_dir: &std::path::Path) -> StoreLocation {
        StoreLocation {
            data_dir: data_dir.to_owned(),
            database_url: self.postgres.as_ref().map(|pg| pg.url.clone()),
            media_url: self.media_url.clone(),
        }
    }
}

impl Drop for TestDatabase {
    /// Drops the PostgreSQL schema (best effort: a failure only leaves a
    /// schema behind in the throwaway cluster).
    fn drop(&mut self) {
        let Some(pg) = self.postgres.take() else {
            return;
        };
        // Drop may run inside a test's runtime: a thread of its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async move {
                let mut conn = PgConnection::connect(&pg.admin).await.ok()?;
                let drop = format!("DROP SCHEMA IF EXISTS {} CASCADE", pg.name);
                let _ = conn.execute(drop.as_str()).await;
                conn.close().await.ok()
            })
        })
        .join();
    }
}

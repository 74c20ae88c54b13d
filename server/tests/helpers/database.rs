//! The database a test's store runs on: SQLite in the test's data folder,
//! or, when `GREENWATCH_TEST_POSTGRES_URL` names a PostgreSQL database (as a
//! role that may create schemas in it), a fresh schema `gw_test_<uuid>` of
//! its own there (the URL gets `search_path` set to it), dropped when the
//! test ends, so tests run in parallel as they do on SQLite. A schema, not a
//! database: `CREATE DATABASE` takes about a second, and the simulation
//! starts hundreds of servers. `scripts/test` runs the suite both ways.

use std::str::FromStr;

use greenwatch_server::store::{DatabaseUrl, StoreLocation};
use sqlx::any::AnyConnectOptions;
use sqlx::postgres::PgConnection;
use sqlx::{Connection, Executor};

/// The variable naming the PostgreSQL database to test in.
pub const POSTGRES_ENV: &str = "GREENWATCH_TEST_POSTGRES_URL";

struct Postgres {
    /// The URL given in `POSTGRES_ENV`.
    admin: String,
    name: String,
    url: DatabaseUrl,
}

pub struct TestDatabase {
    postgres: Option<Postgres>,
}

impl TestDatabase {
    /// SQLite, or a new PostgreSQL database when `POSTGRES_ENV` is set.
    pub async fn create() -> TestDatabase {
        let Ok(admin) = std::env::var(POSTGRES_ENV) else {
            return TestDatabase { postgres: None };
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
        }
    }

    /// Where a store over `data_dir` (its media, and SQLite's file) and
    /// this database keeps its data.
    pub fn location(&self, data_dir: &std::path::Path) -> StoreLocation {
        StoreLocation {
            data_dir: data_dir.to_owned(),
            database_url: self.postgres.as_ref().map(|pg| pg.url.clone()),
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

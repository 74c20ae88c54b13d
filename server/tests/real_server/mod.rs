//! The simulation's [`IntakeServer`] over the real server: `startup::app`
//! over a temporary data folder (and a PostgreSQL database of its own when
//! `GREENWATCH_TEST_POSTGRES_URL` is set), driven with `oneshot` in a tokio
//! runtime.

use std::collections::BTreeMap;
use std::str::FromStr;

use axum::body::Body;
use axum::Router;
use greenwatch_server::config::Config;
use greenwatch_server::startup::app;
use greenwatch_server::state::AppState;
use greenwatch_server::store::{Store, StoreLocation, DATABASE_FILE};
use http_body_util::BodyExt;
use protocol::report::{ReportId, Sha256Hex, UnixMillis};
use protocol::support::{support_medium_path, support_path, CreateSupport, SupportId};
use protocol::sync::{case_path, medium_path, report_path, CaseNumber, CreateReport};
use sqlx::any::AnyPoolOptions;
use sqlx::Row;
use tempfile::TempDir;
use tower::ServiceExt;

use crate::support::{AuditCase, AuditSupport, IntakeServer, Request, Response};
use crate::test_database::TestDatabase;

/// The real server over its own data folder.
pub struct RealServer {
    runtime: tokio::runtime::Runtime,
    data: TempDir,
    dist: TempDir,
    location: StoreLocation,
    running: Option<(Router, Store)>,
    /// Last: dropped after the store.
    _database: TestDatabase,
}

impl RealServer {
    pub fn new() -> RealServer {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let data = TempDir::new().expect("data dir");
        let database = runtime.block_on(TestDatabase::create());
        let mut server = RealServer {
            runtime,
            location: database.location(data.path()),
            data,
            dist: TempDir::new().expect("dist dir"),
            running: None,
            _database: database,
        };
        server.start();
        server
    }

    fn start(&mut self) {
        let mut config =
            Config::for_tests(self.data.path().to_owned(), self.dist.path().to_owned());
        // The simulation injects its own 429s; the real limiter would
        // throttle a run that makes hundreds of requests in a second.
        config.rate_limit_burst = 1_000_000;
        config.rate_limit_per_second = 1_000_000;
        config.database_url = self.location.database_url.clone();
        let store = self
            .runtime
            .block_on(Store::open(&self.location))
            .expect("the store opens on its data folder");
        let router = app(AppState::new(config, store.clone()));
        self.running = Some((router, store));
    }

    fn router(&self) -> Router {
        self.running.as_ref().expect("running").0.clone()
    }
}

impl IntakeServer for RealServer {
    fn handle(&mut self, request: &Request, _now: UnixMillis) -> Response {
        // The server has its own clock: `now` is the simulation's.
        let builder = axum::http::Request::builder();
        let http = match request {
            Request::Health => builder.method("GET").uri("/api/health").body(Body::empty()),
            Request::Create { id, body } => builder
                .method("PUT")
                .uri(report_path(*id))
                .header("content-type", "application/json")
                .body(Body::from(body.clone())),
            Request::Medium { id, index, body } => builder
                .method("PUT")
                .uri(medium_path(*id, *index))
                .header("content-type", "application/octet-stream")
                .body(Body::from(body.clone())),
            Request::CreateSupport { id, body } => builder
                .method("PUT")
                .uri(support_path(*id))
                .header("content-type", "application/json")
                .body(Body::from(body.clone())),
            Request::SupportMedium { id, index, body } => builder
                .method("PUT")
                .uri(support_medium_path(*id, *index))
                .header("content-type", "application/octet-stream")
                .body(Body::from(body.clone())),
            Request::Case {
                case_number,
                receipt,
            } => {
                let mut builder = builder.method("GET").uri(case_path(case_number));
                if let Some(receipt) = receipt {
                    builder = builder.header(protocol::sync::RECEIPT_HEADER, receipt);
                }
                builder.body(Body::empty())
            }
        }
        .expect("request");
        let router = self.router();
        self.runtime.block_on(async move {
            let response = router.oneshot(http).await.expect("infallible");
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let body = response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
                .to_vec();
            Response {
                status,
                body,
                retry_after,
            }
        })
    }

    fn restart(&mut self) {
        let (router, store) = self.running.take().expect("running");
        drop(router);
        self.runtime.block_on(store.close());
        drop(store);
        self.start();
    }

    fn audit(&self) -> Vec<AuditCase> {
        let store = self.store();
        let url = self.database_url();
        self.runtime.block_on(async move {
            let pool = audit_pool(&url).await;
            let reports = sqlx::query(
                "SELECT report_id, case_year, case_seq, fingerprint, receipt_hash, body, complete \
                 FROM reports ORDER BY case_year, case_seq",
            )
            .fetch_all(&pool)
            .await
            .expect("reports");
            let media =
                sqlx::query("SELECT report_id, idx, sha256, object_key, received_at FROM media")
                    .fetch_all(&pool)
                    .await
                    .expect("media");
            pool.close().await;
            let mut stored = stored_media(&store, media, "report_id").await;
            reports
                .into_iter()
                .map(|row| {
                    let report_id: String = row.get("report_id");
                    let year: i64 = row.get("case_year");
                    let seq: i64 = row.get("case_seq");
                    let receipt_hash: String = row.get("receipt_hash");
                    let body: String = row.get("body");
                    let complete: i64 = row.get("complete");
                    let body: CreateReport = serde_json::from_str(&body).expect("stored body");
                    assert_eq!(
                        serde_json::to_value(body.receipt_hash()).expect("hash"),
                        serde_json::Value::String(receipt_hash),
                        "the receipt hash column matches the body"
                    );
                    let media = stored.remove(&report_id).unwrap_or_default();
                    AuditCase {
                        report_id: ReportId::from_str(&report_id).expect("a report id"),
                        case_number: CaseNumber::new(
                            u16::try_from(year).expect("a year"),
                            u32::try_from(seq).expect("a sequence"),
                        )
                        .expect("a case number"),
                        fingerprint: row.get("fingerprint"),
                        receipt_hash: body.receipt_hash().clone(),
                        declared: body.media().to_vec(),
                        media,
                        complete: complete != 0,
                    }
                })
                .collect()
        })
    }

    fn audit_supports(&self) -> Vec<AuditSupport> {
        let store = self.store();
        let url = self.database_url();
        self.runtime.block_on(async move {
            let pool = audit_pool(&url).await;
            let supports = sqlx::query(
                "SELECT s.support_id, s.fingerprint, s.receipt_hash, s.body, s.complete, \
                 r.case_year, r.case_seq FROM supports s \
                 JOIN reports r ON r.report_id = s.report_id \
                 WHERE s.source = 'citizen' ORDER BY s.support_id",
            )
            .fetch_all(&pool)
            .await
            .expect("supports");
            let media = sqlx::query(
                "SELECT support_id, idx, sha256, object_key, received_at FROM support_media",
            )
            .fetch_all(&pool)
            .await
            .expect("support media");
            pool.close().await;
            let mut stored = stored_media(&store, media, "support_id").await;
            supports
                .into_iter()
                .map(|row| {
                    let support_id: String = row.get("support_id");
                    let body: String = row.get("body");
                    let body: CreateSupport = serde_json::from_str(&body).expect("stored body");
                    let receipt_hash: String = row.get("receipt_hash");
                    assert_eq!(
                        body.receipt_hash().as_str(),
                        receipt_hash,
                        "the receipt hash column matches the body"
                    );
                    let year: i64 = row.get("case_year");
                    let seq: i64 = row.get("case_seq");
                    let complete: i64 = row.get("complete");
                    AuditSupport {
                        support_id: SupportId::from_str(&support_id).expect("a support id"),
                        case_number: CaseNumber::new(
                            u16::try_from(year).expect("a year"),
                            u32::try_from(seq).expect("a sequence"),
                        )
                        .expect("a case number"),
                        fingerprint: row.get("fingerprint"),
                        receipt_hash: body.receipt_hash().clone(),
                        declared: body.media().to_vec(),
                        media: stored.remove(&support_id).unwrap_or_default(),
                        complete: complete != 0,
                    }
                })
                .collect()
        })
    }
}

impl RealServer {
    fn store(&self) -> Store {
        self.running.as_ref().expect("running").1.clone()
    }

    fn database_url(&self) -> String {
        match &self.location.database_url {
            Some(url) => url.as_str().to_owned(),
            None => format!("sqlite:{}", self.data.path().join(DATABASE_FILE).display()),
        }
    }
}

async fn audit_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("the database opens")
}

/// The received media of `rows` (of `media` or `support_media`) read back
/// from the media store, by owner (`owner` names its id column) and index.
/// A medium recorded as received must be there, with its hash.
async fn stored_media(
    store: &Store,
    rows: Vec<sqlx::any::AnyRow>,
    owner: &str,
) -> BTreeMap<String, BTreeMap<u8, Vec<u8>>> {
    let mut stored: BTreeMap<String, BTreeMap<u8, Vec<u8>>> = BTreeMap::new();
    for row in rows {
        let id: String = row.get(owner);
        let index: i64 = row.get("idx");
        let sha256: String = row.get("sha256");
        let key: String = row.get("object_key");
        let received: Option<i64> = row.get("received_at");
        let file = read_medium(store, &key).await;
        if received.is_none() {
            continue;
        }
        let bytes =
            file.unwrap_or_else(|| panic!("medium {key} is recorded as received but has no file"));
        assert_eq!(
            Sha256Hex::of(&bytes).to_string(),
            sha256,
            "medium {key}: the file differs from the recorded hash"
        );
        stored
            .entry(id)
            .or_default()
            .insert(u8::try_from(index).expect("an index"), bytes);
    }
    stored
}

async fn read_medium(store: &Store, key: &str) -> Option<Vec<u8>> {
    let mut parts = key.split('/');
    let (owner, id, index) = (parts.next()?, parts.next()?, parts.next()?);
    let index: u8 = index.parse().ok()?;
    let bytes = match owner {
        "reports" => store.medium_bytes(id.parse().ok()?, index).await,
        "supports" => store.support_medium_bytes(id.parse().ok()?, index).await,
        _ => return None,
    };
    bytes
        .expect("the media store answers")
        .map(|bytes| bytes.to_vec())
}

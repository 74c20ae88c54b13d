//! Per-client rate limiting of `/api/`, through the real Router (no socket,
//! so every request counts against the one shared bucket).

mod helpers;

use axum::http::StatusCode;
use helpers::{body_bytes, header, TestApp, CSS_NAME, INDEX_HTML, WASM_NAME};
use protocol::{ApiError, ErrorCode};

#[tokio::test]
async fn a_phone_sending_twenty_queued_reports_is_not_limited() {
    // Default limits: 20 reports × (1 create + 12 media) = 260 in a row.
    let app = TestApp::spawn().await;
    for i in 0..260 {
        let response = app.get("/api/health").await;
        assert_eq!(response.status(), StatusCode::OK, "request {i}");
    }
}

#[tokio::test]
async fn over_the_burst_is_429_with_retry_after_and_the_json_error() {
    let app = TestApp::spawn_with(INDEX_HTML, |config| {
        config.rate_limit_burst = 5;
        config.rate_limit_per_second = 1;
    })
    .await;
    for i in 0..5 {
        let response = app.get("/api/health").await;
        assert_eq!(response.status(), StatusCode::OK, "request {i}");
    }
    // Any /api/ path counts, known or not.
    for path in ["/api/health", "/api/nothing-here", "/api/v1/cases/x"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "{path}");
        assert_eq!(header(&response, "retry-after"), "1", "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert!(header(&response, "content-type").starts_with("application/json"));
        let error: ApiError = serde_json::from_slice(&body_bytes(response).await).expect("json");
        assert_eq!(error.code, ErrorCode::RateLimited, "{path}");
    }
}

#[tokio::test]
async fn the_bucket_refills() {
    let app = TestApp::spawn_with(INDEX_HTML, |config| {
        config.rate_limit_burst = 1;
        config.rate_limit_per_second = 20;
    })
    .await;
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/health").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    tokio::time::sleep(std::time::Duration::from_millis(120)).await;
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn app_files_are_never_limited() {
    let app = TestApp::spawn_with(INDEX_HTML, |config| {
        config.rate_limit_burst = 1;
        config.rate_limit_per_second = 1;
    })
    .await;
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/health").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    let wasm = format!("/{WASM_NAME}");
    let css = format!("/{CSS_NAME}");
    for _ in 0..50 {
        for path in ["/", "/reports/new", &wasm, &css, "/sw.js", "/missing.js"] {
            let status = app.get(path).await.status();
            assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{path}");
        }
    }
}

#[tokio::test]
async fn the_served_app_keys_the_limit_by_peer_address() {
    // Through a real socket: `ConnectInfo` is present and the server starts.
    let data = tempfile::TempDir::new().expect("data");
    let dist = tempfile::TempDir::new().expect("dist");
    let mut config = greenwatch_server::config::Config::for_tests(
        data.path().to_owned(),
        dist.path().to_owned(),
    );
    config.rate_limit_burst = 2;
    let server = greenwatch_server::startup::Server::build(config)
        .await
        .expect("build");
    let addr = server.local_addr();
    let handle = tokio::spawn(server.run_until_stopped());
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(raw_get(addr, "/api/health").await);
    }
    handle.abort();
    assert_eq!(statuses, ["200", "200", "429"]);
}

/// The status code of a bare HTTP/1.1 GET.
async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("read");
    answer.split(' ').nth(1).unwrap_or_default().to_owned()
}

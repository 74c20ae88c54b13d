//! Per-client rate limiting of `/api/`, through the real Router (no socket,
//! so every request counts against the one shared bucket).

mod helpers;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response, StatusCode};
use axum::Router;
use greenwatch_server::config::Config;
use greenwatch_server::store::Backend;
use helpers::{body_bytes, header, TestApp, CSS_NAME, INDEX_HTML, WASM_NAME};
use protocol::{ApiError, ErrorCode};
use tower::ServiceExt;

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
        // One a second: the second request comes well within it, even on
        // a loaded machine with the limit in PostgreSQL.
        config.rate_limit_burst = 1;
        config.rate_limit_per_second = 1;
    })
    .await;
    assert_eq!(app.get("/api/health").await.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/health").await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
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

/// A request from `peer` (as the served app sees it: `ConnectInfo`) with
/// `X-Forwarded-For: forwarded` if given.
fn from_peer(path: &str, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let peer: SocketAddr = peer.parse().expect("peer");
    let mut request = Request::get(path);
    if let Some(forwarded) = forwarded {
        request = request.header("x-forwarded-for", forwarded);
    }
    let mut request = request.body(Body::empty()).expect("request");
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit() {
    let app = TestApp::spawn_with(INDEX_HTML, |config| {
        config.rate_limit_burst = 2;
        config.rate_limit_per_second = 1;
        config.trusted_proxies = vec!["127.0.0.0/8".parse().expect("cidr")];
    })
    .await;
    let balancer = "127.0.0.1:40000";
    let status = |response: Response<Body>| response.status();
    // Two citizens behind the balancer: two buckets, not one.
    for _ in 0..2 {
        let r = app
            .request(from_peer("/api/health", balancer, Some("198.51.100.1")))
            .await;
        assert_eq!(status(r), StatusCode::OK);
    }
    let r = app
        .request(from_peer("/api/health", balancer, Some("198.51.100.1")))
        .await;
    assert_eq!(status(r), StatusCode::TOO_MANY_REQUESTS);
    // What the client wrote itself, left of the real address, changes nothing.
    let r = app
        .request(from_peer(
            "/api/health",
            balancer,
            Some("203.0.113.50, 198.51.100.1"),
        ))
        .await;
    assert_eq!(status(r), StatusCode::TOO_MANY_REQUESTS);
    let r = app
        .request(from_peer("/api/health", balancer, Some("198.51.100.2")))
        .await;
    assert_eq!(status(r), StatusCode::OK);
    // A peer that is not a trusted proxy is the client, whatever it forwards.
    for forwarded in ["198.51.100.3", "198.51.100.4"] {
        let r = app
            .request(from_peer("/api/health", "192.0.2.9:1234", Some(forwarded)))
            .await;
        assert_eq!(status(r), StatusCode::OK);
    }
    let r = app
        .request(from_peer(
            "/api/health",
            "192.0.2.9:1234",
            Some("198.51.100.5"),
        ))
        .await;
    assert_eq!(status(r), StatusCode::TOO_MANY_REQUESTS);
}

/// On PostgreSQL every instance takes from the same buckets (and a new
/// instance, as after a restart, finds them as they were); on SQLite, one
/// instance, each keeps its own in memory. The bucket refills one a
/// second, so the counts allow one more for every second the test takes.
#[tokio::test]
async fn instances_on_one_postgresql_share_one_limit_and_a_restart_forgets_nothing() {
    const BURST: u64 = 20;
    let edit = |config: &mut Config| {
        config.rate_limit_burst = BURST as u32;
        config.rate_limit_per_second = 1;
    };
    let app = TestApp::spawn_with(INDEX_HTML, edit).await;
    let other = app.another_instance(edit).await;
    let shared = app.store.backend() == Backend::Postgres;
    let client = "198.51.100.7:5000";
    let start = std::time::Instant::now();
    let ask = |router: Router| async move {
        router
            .oneshot(from_peer("/api/health", client, None))
            .await
            .expect("infallible")
            .status()
    };
    // 30 requests alternating between the instances: 15 each, under the
    // burst of either alone.
    let mut allowed = 0;
    let mut refused = [0, 0];
    for i in 0..30 {
        let router = if i % 2 == 0 {
            app.router.clone()
        } else {
            other.clone()
        };
        match ask(router).await {
            StatusCode::OK => allowed += 1,
            StatusCode::TOO_MANY_REQUESTS => refused[i % 2] += 1,
            status => panic!("request {i}: {status}"),
        }
    }
    if !shared {
        assert_eq!(allowed, 30, "each SQLite instance has its own limit");
        return;
    }
    // One limit for both: the burst (and the refill), then both refuse.
    assert!(
        allowed <= BURST + start.elapsed().as_secs() + 1,
        "{allowed} allowed"
    );
    assert!(refused[0] > 0 && refused[1] > 0, "both refuse: {refused:?}");
    // A new instance (a restart) finds the bucket spent: it lets through
    // only what refilled meanwhile, not a fresh burst.
    let restarted = app.another_instance(edit).await;
    let spent = std::time::Instant::now();
    let mut let_through = 0;
    while ask(restarted.clone()).await == StatusCode::OK {
        let_through += 1;
        assert!(
            let_through < BURST,
            "a restart must not start a fresh bucket"
        );
    }
    assert!(
        let_through <= start.elapsed().as_secs() + 1,
        "{let_through} let through {} s after the burst",
        spent.elapsed().as_secs()
    );
}

#[tokio::test]
async fn failed_logins_count_on_every_instance_with_postgresql() {
    let app = TestApp::spawn().await;
    let other = app.another_instance(|_| {}).await;
    let shared = app.store.backend() == Backend::Postgres;
    let login = |peer: &str| {
        let mut request = Request::post("/api/v1/staff/login")
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({"username": "nobody", "password": "wrong password 12369"})
                    .to_string(),
            ))
            .expect("request");
        request
            .extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().expect("peer")));
        request
    };
    for _ in 0..5 {
        let response = app.request(login("198.51.100.8:1")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // The same name from another client, on the other instance.
    let response = other
        .oneshot(login("198.51.100.9:1"))
        .await
        .expect("infallible");
    if shared {
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert!(
            header(&response, "retry-after")
                .parse::<u64>()
                .expect("seconds")
                >= 1
        );
    } else {
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}

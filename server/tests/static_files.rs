//! Serving the built app: SPA fallback and cache headers.

mod helpers;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use helpers::{body_bytes, header, TestApp, CSS_BROTLI, CSS_NAME, INDEX_HTML, WASM_NAME};

const YEAR: &str = "public, max-age=31536000, immutable";

#[tokio::test]
async fn every_app_route_gets_index_html_never_cached() {
    let app = TestApp::spawn().await;
    for path in ["/", "/report/new", "/reports", "/about", "/no/such/route"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        assert!(
            header(&response, "content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(body_bytes(response).await, INDEX_HTML.as_bytes(), "{path}");
    }
}

#[tokio::test]
async fn each_build_gets_its_own_pages() {
    let app = TestApp::spawn().await;
    for (dir, html) in [
        ("learn", "<title>learn</title>"),
        ("staff", "<title>staff</title>"),
        ("report", "<title>report</title>"),
        ("follow", "<title>follow</title>"),
    ] {
        std::fs::create_dir_all(app.dist.path().join(dir)).expect("dir");
        std::fs::write(app.dist.path().join(dir).join("index.html"), html).expect("html");
    }
    // The folder without its slash is sent to the folder.
    let response = app.get("/learn").await;
    assert_eq!(response.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(header(&response, "location"), "/learn/");
    for (path, html) in [
        ("/learn/", "<title>learn</title>"),
        ("/learn/event", "<title>learn</title>"),
        ("/staff/cases", "<title>staff</title>"),
        ("/learning", INDEX_HTML),
        ("/report/new", "<title>report</title>"),
        ("/reports", "<title>follow</title>"),
        (
            "/reports/6f1c2b4e-8a3d-4f7b-9c1e-2d5a6b7c8d9e",
            "<title>follow</title>",
        ),
        ("/cases", "<title>follow</title>"),
        ("/about", "<title>follow</title>"),
        ("/", INDEX_HTML),
        ("/no/such/route", INDEX_HTML),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        assert_eq!(body_bytes(response).await, html.as_bytes(), "{path}");
    }
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_as_immutable() {
    let app = TestApp::spawn().await;
    let response = app.get(&format!("/{WASM_NAME}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), YEAR);
    assert_eq!(header(&response, "content-type"), "application/wasm");
}

#[tokio::test]
async fn manifest_and_service_worker_are_never_cached() {
    let app = TestApp::spawn().await;
    let manifest = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest.status(), StatusCode::OK);
    assert_eq!(header(&manifest, "cache-control"), "no-store");
    assert_eq!(
        header(&manifest, "content-type"),
        "application/manifest+json"
    );

    let worker = app.get("/sw.js").await;
    assert_eq!(worker.status(), StatusCode::OK);
    assert_eq!(header(&worker, "cache-control"), "no-store");
    assert!(header(&worker, "content-type").contains("javascript"));
}

#[tokio::test]
async fn a_missing_file_is_404_not_html() {
    let app = TestApp::spawn().await;
    let response = app.get("/greenwatch-app-ffffffffffffffff_bg.wasm").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(header(&response, "cache-control"), "no-store");
}

#[tokio::test]
async fn files_are_compressed_when_the_browser_accepts_it() {
    let app = TestApp::spawn().await;
    let response = app
        .request(
            Request::get(format!("/{WASM_NAME}"))
                .header("accept-encoding", "br, gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-encoding"), "br");
    assert!(body_bytes(response).await.len() < 64 * 1024 / 4);
}

#[tokio::test]
async fn the_builds_stored_brotli_copy_is_sent_as_it_is() {
    let app = TestApp::spawn().await;
    let response = app
        .request(
            Request::get(format!("/{CSS_NAME}"))
                .header("accept-encoding", "br, gzip")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-encoding"), "br");
    assert!(header(&response, "content-type").starts_with("text/css"));
    assert_eq!(header(&response, "cache-control"), YEAR);
    assert_eq!(body_bytes(response).await, CSS_BROTLI);
}

#[tokio::test]
async fn a_browser_without_brotli_gets_the_plain_file() {
    let app = TestApp::spawn().await;
    let response = app.get(&format!("/{CSS_NAME}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-encoding"), "");
    assert!(body_bytes(response)
        .await
        .starts_with(b"body { color: green; }"));
}

//! `/api/` driven through the real Router.

mod helpers;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use helpers::{body_bytes, header, TestApp};
use protocol::{ApiError, ErrorCode, HealthResponse, HealthStatus};

#[tokio::test]
async fn health_answers_ok_with_the_version_and_is_never_cached() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert!(header(&response, "content-type").starts_with("application/json"));
    let health: HealthResponse = serde_json::from_slice(&body_bytes(response).await).expect("json");
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.version, env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn an_unknown_api_path_is_a_json_404_not_the_app() {
    let app = TestApp::spawn().await;
    for path in ["/api/nothing-here", "/api/v1/reports", "/api"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        let error: ApiError = serde_json::from_slice(&body_bytes(response).await).expect("json");
        assert_eq!(error.code, ErrorCode::NotFound, "{path}");
        assert!(!error.message.zh_cn.is_empty() && !error.message.en.is_empty());
    }
}

#[tokio::test]
async fn a_wrong_method_is_a_json_405() {
    let app = TestApp::spawn().await;
    let response = app
        .request(
            Request::post("/api/health")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let error: ApiError = serde_json::from_slice(&body_bytes(response).await).expect("json");
    assert_eq!(error.code, ErrorCode::MethodNotAllowed);
}

#[tokio::test]
async fn the_server_opens_its_store_in_the_data_folder_at_start() {
    use greenwatch_server::config::Config;
    use greenwatch_server::startup::Server;
    let data = tempfile::TempDir::new().expect("data dir");
    let dist = tempfile::TempDir::new().expect("dist dir");
    // A data folder that does not exist yet is created.
    let data_dir = data.path().join("nested").join("data");
    let server = Server::build(Config::for_tests(data_dir.clone(), dist.path().to_owned()))
        .await
        .expect("server builds");
    assert_ne!(server.local_addr().port(), 0);
    assert!(data_dir.join("greenwatch.db").is_file());
    assert!(data_dir.join("media").is_dir());
}

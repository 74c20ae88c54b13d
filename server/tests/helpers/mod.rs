//! Test helpers: the real `Router` over a temporary dist and data folder.

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use greenwatch_server::config::Config;
use greenwatch_server::startup::{app, AppState};
use http_body_util::BodyExt;
use tempfile::TempDir;
use tower::ServiceExt;

pub const INDEX_HTML: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><title>GreenWatch</title></html>";
pub const WASM_NAME: &str = "greenwatch-app-0123456789abcdef_bg.wasm";
pub const CSS_NAME: &str = "main-0123456789abcdef.css";
/// Stands for the brotli copy the build stores beside `CSS_NAME`.
pub const CSS_BROTLI: &[u8] = b"stored brotli bytes";

pub struct TestApp {
    pub router: Router,
    _dist: TempDir,
    _data: TempDir,
}

impl TestApp {
    /// The app over a small fake build: index, a hashed wasm, manifest, worker.
    pub fn spawn() -> Self {
        let dist = TempDir::new().expect("dist dir");
        let data = TempDir::new().expect("data dir");
        std::fs::write(dist.path().join("index.html"), INDEX_HTML).expect("index");
        // Large and repetitive, so compression applies.
        let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
            .iter()
            .copied()
            .cycle()
            .take(64 * 1024)
            .collect();
        std::fs::write(dist.path().join(WASM_NAME), wasm).expect("wasm");
        std::fs::write(dist.path().join("manifest.webmanifest"), "{}").expect("manifest");
        std::fs::write(
            dist.path().join(CSS_NAME),
            "body { color: green; }".repeat(100),
        )
        .expect("css");
        std::fs::write(dist.path().join(format!("{CSS_NAME}.br")), CSS_BROTLI).expect("css.br");
        std::fs::write(
            dist.path().join("sw.js"),
            "self.addEventListener('fetch', () => {});",
        )
        .expect("sw");
        let config = Config::for_tests(data.path().to_owned(), dist.path().to_owned());
        Self {
            router: app(AppState::new(config)),
            _dist: dist,
            _data: data,
        }
    }

    pub async fn request(&self, request: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible")
    }

    pub async fn get(&self, path: &str) -> Response<Body> {
        self.request(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }
}

pub async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

pub fn header<'a>(response: &'a Response<Body>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

//! Serving the app built by trunk.
//!
//! Files come from the dist folder as they are. A path that names no file and
//! looks like an app route (no `.` in its last segment) is answered with
//! `index.html`, so deep links work; a missing file with an extension (a stale
//! `app-<hash>.wasm`, say) is a plain 404, never HTML under a wasm name.

use std::convert::Infallible;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// True for a path the app's router handles, as opposed to a file.
pub fn is_app_route(path: &str) -> bool {
    !path.starts_with("/api/")
        && path != "/api"
        && !path.rsplit('/').next().unwrap_or_default().contains('.')
}

/// The service that answers every request outside `/api`.
pub fn service(dist_dir: &Path) -> ServeDir<SpaFallback> {
    ServeDir::new(dist_dir)
        .append_index_html_on_directories(true)
        // The build stores `name.br` / `name.gz` beside each file.
        .precompressed_br()
        .precompressed_gzip()
        .fallback(SpaFallback {
            dist_dir: dist_dir.to_path_buf(),
        })
}

/// The builds with an entry point of their own, each under `/<name>/`, and
/// the first path segments of the pages each renders: the staff console,
/// Learn, and the citizen app's report form and follow-up pages (the app's
/// `router::Entry`; `public/sw.js` keeps the same map for offline use).
const SUB_APPS: [(&str, &[&str]); 4] = [
    ("staff", &["staff"]),
    ("learn", &["learn"]),
    ("report", &["report"]),
    ("follow", &["follow", "reports", "cases", "about"]),
];

/// The `index.html` that answers an app route: the staff console's under
/// `/staff/`, Learn's under `/learn/`, the report form's under `/report/`,
/// the follow-up pages' for `/reports`, `/cases` and `/about` (their own
/// trunk entries), and Home's (the citizen app's first load) everywhere
/// else.
pub fn entry_point(dist_dir: &Path, path: &str) -> PathBuf {
    let first = path
        .strip_prefix('/')
        .unwrap_or(path)
        .split('/')
        .next()
        .unwrap_or_default();
    SUB_APPS
        .iter()
        .find(|(_, segments)| segments.contains(&first))
        .map(|(app, _)| dist_dir.join(app).join("index.html"))
        .unwrap_or_else(|| dist_dir.join("index.html"))
}

/// Answers app routes with their entry point and anything else with 404.
#[derive(Debug, Clone)]
pub struct SpaFallback {
    dist_dir: PathBuf,
}

impl tower::Service<Request> for SpaFallback {
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let index = entry_point(&self.dist_dir, req.uri().path());
        Box::pin(async move { Ok(spa_fallback(index, req).await) })
    }
}

async fn spa_fallback(index: PathBuf, req: Request) -> Response {
    if !is_app_route(req.uri().path()) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if !index.is_file() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The GreenWatch app is not built: run scripts/run from the project folder.",
        )
            .into_response();
    }
    match ServeFile::new(index).oneshot(req).await {
        Ok(response) => response.into_response(),
        Err(error) => match error {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_build_answers_its_own_pages() {
        let dist = Path::new("/d");
        assert_eq!(entry_point(dist, "/"), Path::new("/d/index.html"));
        assert_eq!(entry_point(dist, "/nothing"), Path::new("/d/index.html"));
        assert_eq!(entry_point(dist, "/staffing"), Path::new("/d/index.html"));
        assert_eq!(entry_point(dist, "/learning"), Path::new("/d/index.html"));
        assert_eq!(entry_point(dist, "/reporting"), Path::new("/d/index.html"));
        assert_eq!(
            entry_point(dist, "/report/new"),
            Path::new("/d/report/index.html")
        );
        for path in ["/reports", "/reports/", "/reports/x", "/cases", "/about"] {
            assert_eq!(
                entry_point(dist, path),
                Path::new("/d/follow/index.html"),
                "{path}"
            );
        }
        assert_eq!(
            entry_point(dist, "/learn"),
            Path::new("/d/learn/index.html")
        );
        assert_eq!(
            entry_point(dist, "/learn/event"),
            Path::new("/d/learn/index.html")
        );
        assert_eq!(
            entry_point(dist, "/staff"),
            Path::new("/d/staff/index.html")
        );
        assert_eq!(
            entry_point(dist, "/staff/cases"),
            Path::new("/d/staff/index.html")
        );
    }

    #[test]
    fn routes_and_files_are_told_apart() {
        assert!(is_app_route("/"));
        assert!(is_app_route("/report/new"));
        assert!(is_app_route("/about"));
        assert!(!is_app_route("/app-0123456789abcdef_bg.wasm"));
        assert!(!is_app_route("/icons/icon-192.png"));
        assert!(!is_app_route("/api/health"));
        assert!(!is_app_route("/api"));
    }
}

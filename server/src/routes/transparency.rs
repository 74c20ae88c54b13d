//! The public transparency figures: `GET /api/v1/transparency` (JSON),
//! and outside `/api` the page `GET /transparency` (plain HTML, no script)
//! with its style sheet `GET /transparency.css`. The numbers come from
//! `crate::transparency::summarize` over the public form of the store's
//! complete cases (`Store::all_public_cases`).

use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::{Json, Router};
use protocol::transparency::{TransparencyReport, TRANSPARENCY_PAGE};

use crate::clock;
use crate::error::AppError;
use crate::state::AppState;
use crate::transparency::{render_page, summarize, CSS, CSS_PATH};

async fn report(state: &AppState) -> Result<TransparencyReport, AppError> {
    let cases = state.store.all_public_cases().await?;
    Ok(summarize(&cases, clock::now()))
}

/// `GET /api/v1/transparency`.
#[tracing::instrument(name = "transparency", skip(state))]
pub async fn json(State(state): State<AppState>) -> Result<Json<TransparencyReport>, AppError> {
    report(&state).await.map(Json)
}

/// `GET /transparency`: `text/html; charset=utf-8`.
#[tracing::instrument(name = "transparency_page", skip(state))]
pub async fn page(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    report(&state)
        .await
        .map(|report| Html(render_page(&report)))
}

/// `GET /transparency.css`.
pub async fn css() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        )],
        CSS,
    )
}

/// The page and its style sheet, outside `/api` (merged before the app's
/// fallback, so they win over the SPA's `index.html`).
pub fn page_routes() -> Router<AppState> {
    Router::new()
        .route(TRANSPARENCY_PAGE, get(page))
        .route(PAGE_WITH_SLASH, get(page))
        .route(CSS_PATH, get(css))
}

/// The page's path with a trailing slash, answered the same.
const PAGE_WITH_SLASH: &str = "/transparency/";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slash_path_is_the_page_path() {
        assert_eq!(PAGE_WITH_SLASH, format!("{TRANSPARENCY_PAGE}/"));
    }
}

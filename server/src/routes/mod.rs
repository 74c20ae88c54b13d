//! The `/api/` routes. Each route lives in its own module.

pub mod health;

use axum::routing::get;
use axum::Router;

use crate::error::AppError;
use crate::startup::AppState;

/// Everything under `/api`: known routes, and a JSON 404 for the rest (never
/// the app's `index.html`).
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health).fallback(method_not_allowed))
        .fallback(not_found)
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

//! Where the API router is nested, and its JSON answers for unknown paths
//! and methods (never the app's `index.html`). Used by `routes/mod.rs` and
//! the route groups alike, so it uses none of them.

use crate::error::AppError;

/// Where `routes::api()` is nested.
const API_PREFIX: &str = "/api";

/// A protocol route (`/api/v1/...`) relative to `/api`, where `api()` is nested.
pub fn under_api(route: &'static str) -> &'static str {
    match route.strip_prefix(API_PREFIX) {
        Some(rest) => rest,
        None => panic!("protocol routes live under /api"),
    }
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

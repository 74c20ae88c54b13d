//! `GET /api/health`.

use axum::Json;
use protocol::{HealthResponse, HealthStatus};

#[tracing::instrument(name = "health")]
pub async fn health() -> Json<HealthResponse> {
    Json(HealthResponse {
        status: HealthStatus::Ok,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

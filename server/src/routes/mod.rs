//! The `/api/` routes. Each route group lives in its own module
//! (`staff.rs`: everything under `/api/v1/staff/`; `transparency.rs`: the
//! public figures, also the `/transparency` page outside `/api`;
//! `open311.rs`: Open311 GeoReport v2 under `/open311/v2`, outside `/api`;
//! `supports.rs`: "I see this too"; `nearby.rs`: open cases near a
//! position, in their public form).
//!
//! The `/api/v1` paths come from `protocol::sync::wire`, so the app and the
//! server cannot disagree about them.

mod api_base;
pub mod cases;
pub mod channels;
pub mod health;
pub mod imports;
pub mod nearby;
pub mod open311;
pub mod openapi;
pub mod quiz;
pub mod reports;
pub mod staff;
pub mod supports;
pub mod transparency;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};
use axum::Router;
use protocol::archive::IMPORT_ROUTE;
use protocol::health::HEALTH_PATH;
use protocol::public::NEARBY_ROUTE;
use protocol::support::{SUPPORT_MEDIUM_ROUTE, SUPPORT_ROUTE};
use protocol::sync::{CASE_ROUTE, MEDIUM_ROUTE, REPORT_ROUTE};
use protocol::transparency::TRANSPARENCY_ROUTE;

use crate::state::AppState;
use api_base::{method_not_allowed, not_found, under_api};

/// Everything under `/api`: known routes, and a JSON 404 for the rest (never
/// the app's `index.html`).
pub fn api() -> Router<AppState> {
    Router::new()
        .route(
            under_api(HEALTH_PATH),
            get(health::health).fallback(method_not_allowed),
        )
        .route(
            openapi::ROUTE,
            get(openapi::document).fallback(method_not_allowed),
        )
        .route(
            under_api(REPORT_ROUTE),
            put(reports::create)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(reports::CREATE_BODY_LIMIT)),
        )
        .route(
            under_api(MEDIUM_ROUTE),
            put(reports::upload_medium)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(reports::MEDIUM_BODY_LIMIT)),
        )
        .route(
            under_api(SUPPORT_ROUTE),
            put(supports::create)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(supports::CREATE_BODY_LIMIT)),
        )
        .route(
            under_api(SUPPORT_MEDIUM_ROUTE),
            put(supports::upload_medium)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(supports::MEDIUM_BODY_LIMIT)),
        )
        .route(
            under_api(CASE_ROUTE),
            get(cases::timeline).fallback(method_not_allowed),
        )
        .route(
            under_api(NEARBY_ROUTE),
            get(nearby::nearby).fallback(method_not_allowed),
        )
        .route(
            under_api(TRANSPARENCY_ROUTE),
            get(transparency::json).fallback(method_not_allowed),
        )
        .route(
            under_api(IMPORT_ROUTE),
            post(imports::import)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(imports::IMPORT_BODY_LIMIT)),
        )
        .merge(staff::routes())
        .merge(quiz::routes())
        .merge(channels::routes())
        .fallback(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_routes_sit_under_api() {
        assert_eq!(under_api(HEALTH_PATH), "/health");
        assert_eq!(under_api(REPORT_ROUTE), "/v1/reports/{report_id}");
        assert_eq!(
            under_api(MEDIUM_ROUTE),
            "/v1/reports/{report_id}/media/{index}"
        );
        assert_eq!(under_api(CASE_ROUTE), "/v1/cases/{case_number}");
        assert_eq!(under_api(TRANSPARENCY_ROUTE), "/v1/transparency");
        assert_eq!(under_api(SUPPORT_ROUTE), "/v1/supports/{support_id}");
        assert_eq!(under_api(NEARBY_ROUTE), "/v1/nearby");
    }
}

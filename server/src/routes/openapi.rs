//! `GET /api/openapi.json`: the hand-written OpenAPI 3.1 document of the
//! `/api/` routes (`server/openapi.json`). `tests/openapi.rs` checks it
//! against the real Router, both ways.

use axum::http::header::{self, HeaderValue};
use axum::response::IntoResponse;

/// Where `document` answers, relative to `/api`.
pub const ROUTE: &str = "/openapi.json";

/// The document, embedded at build time.
pub const DOCUMENT: &str = include_str!("../../openapi.json");

#[tracing::instrument(name = "openapi")]
pub async fn document() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        DOCUMENT,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_openapi_3_1_json() {
        let document: serde_json::Value = serde_json::from_str(DOCUMENT).expect("JSON");
        assert_eq!(document["openapi"], "3.1.0");
    }
}

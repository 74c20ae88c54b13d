//! `GET /api/v1/channels` (`protocol::channels::CHANNELS_ROUTE`): the
//! precomputed answer of the `ChannelCatalog` with its `ETag`;
//! `If-None-Match` naming it gets a 304 without a body. `Cache-Control:
//! no-cache` comes from `startup::cache_headers`, as for the quiz packs.

use axum::extract::State;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use protocol::channels::CHANNELS_ROUTE;

use super::{method_not_allowed, under_api};
use crate::state::AppState;

/// The channels route, relative to `/api`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        under_api(CHANNELS_ROUTE),
        get(channels).fallback(method_not_allowed),
    )
}

/// The channel list served, or 304 when the client's copy is current.
#[tracing::instrument(name = "channels", skip_all)]
pub async fn channels(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let catalog = &state.channels;
    let etag = HeaderValue::from_str(catalog.etag())
        .unwrap_or_else(|_| HeaderValue::from_static("W/\"none\""));
    let current = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|value| catalog.matches(value));
    if current {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::ETAG, etag),
        ],
        catalog.body(),
    )
        .into_response()
}

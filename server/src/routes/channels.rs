//! `GET /api/v1/channels` (`protocol::channels::CHANNELS_ROUTE`): the
//! precomputed answer of the `ChannelCatalog` with its `ETag`;
//! `If-None-Match` naming it gets a 304 without a body, and
//! `?newer_than=N` (`ChannelsQuery`) a 204 when the list is not newer. `Cache-Control:
//! no-cache` comes from `startup::cache_headers`, as for the quiz packs.

use axum::extract::State;
use axum::http::header::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use protocol::channels::{ChannelsQuery, CHANNELS_ROUTE};

use super::{method_not_allowed, under_api};
use crate::extract::ApiQuery;
use crate::state::AppState;

/// The channels route, relative to `/api`.
pub fn routes() -> Router<AppState> {
    Router::new().route(
        under_api(CHANNELS_ROUTE),
        get(channels).fallback(method_not_allowed),
    )
}

/// The channel list served; 304 when the client's copy is current, 204
/// when the client shows a version at least as new.
#[tracing::instrument(name = "channels", skip_all)]
pub async fn channels(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ChannelsQuery>,
    headers: HeaderMap,
) -> Response {
    if !query.wants(state.channels.list().version()) {
        return StatusCode::NO_CONTENT.into_response();
    }
    state.channels.answer().respond(&headers)
}

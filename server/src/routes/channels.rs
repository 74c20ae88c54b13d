//! `GET /api/v1/channels` (`protocol::channels::CHANNELS_ROUTE`): the
//! precomputed answer of the `ChannelCatalog` with its `ETag`;
//! `If-None-Match` naming it gets a 304 without a body. `Cache-Control:
//! no-cache` comes from `startup::cache_headers`, as for the quiz packs.

use axum::extract::State;
use axum::http::header::HeaderMap;
use axum::response::Response;
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
    state.channels.answer().respond(&headers)
}

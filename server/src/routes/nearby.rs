//! `GET /api/v1/nearby?lat=…&long=…&category=…`: open cases of that
//! category near the position, in their public form. The position is
//! coarsened to its grid cell whatever arrives (`NearbyQuery::cell`), and
//! `protocol::public::nearby::select` decides which cases, from the
//! store's public cases of the category in the window.

use axum::extract::State;
use axum::Json;
use protocol::public::nearby::{select, window_start};
use protocol::public::{NearbyAnswer, NearbyQuery};
use protocol::LocalizedText;

use crate::clock;
use crate::error::AppError;
use crate::extract::ApiQuery;
use crate::state::AppState;

#[tracing::instrument(name = "nearby", skip_all, fields(category = query.category.code()))]
pub async fn nearby(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<NearbyQuery>,
) -> Result<Json<NearbyAnswer>, AppError> {
    let cell = query.cell().map_err(|_| {
        AppError::InvalidWith(LocalizedText::new(
            "位置无效。",
            "The position is not valid.",
        ))
    })?;
    let now = clock::now();
    let candidates = state
        .store
        .public_cases_of(query.category, window_start(now))
        .await?;
    Ok(Json(select(&cell, query.category, now, candidates)))
}

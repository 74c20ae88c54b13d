//! `PUT /api/v1/reports/{report_id}` (create) and
//! `PUT /api/v1/reports/{report_id}/media/{index}` (one medium's bytes),
//! both through `intake` (the rules are there), answering the
//! `IntakeStatus`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use protocol::report::media::{MAX_PHOTO_BYTES, MAX_VOICE_BYTES};
use protocol::report::ReportId;
use protocol::sync::{CreateReport, IntakeStatus};

use crate::error::AppError;
use crate::extract::{ApiBytes, ApiJson, ApiPath};
use crate::intake::{self, Created};
use crate::state::AppState;

/// The largest create body: text fields and at most 12 media declarations
/// fit many times over.
pub const CREATE_BODY_LIMIT: usize = 64 * 1024;

/// The largest medium body: the protocol's largest per-medium maximum
/// (each medium is then held to its own declared size).
pub const MEDIUM_BODY_LIMIT: usize = {
    let max = if MAX_PHOTO_BYTES > MAX_VOICE_BYTES {
        MAX_PHOTO_BYTES
    } else {
        MAX_VOICE_BYTES
    };
    max as usize
};

/// Creates report `report_id`: 201 the first time, 200 for the same content
/// again, 409 for other content.
#[tracing::instrument(name = "create_report", skip(state, body))]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(report_id): ApiPath<ReportId>,
    ApiJson(body): ApiJson<CreateReport>,
) -> Result<(StatusCode, Json<IntakeStatus>), AppError> {
    match intake::create_report(&state.store, report_id, &body).await? {
        Created::New(report) => {
            tracing::info!(case = %report.case_number, "report created");
            Ok((StatusCode::CREATED, Json(report.status())))
        }
        Created::Replay(report) => Ok((StatusCode::OK, Json(report.status()))),
    }
}

/// Stores medium `index` of report `report_id`; the same bytes again are
/// a 200 without storing anything.
#[tracing::instrument(name = "upload_medium", skip(state, body))]
pub async fn upload_medium(
    State(state): State<AppState>,
    ApiPath((report_id, index)): ApiPath<(ReportId, u8)>,
    ApiBytes(body): ApiBytes,
) -> Result<Json<IntakeStatus>, AppError> {
    let report = intake::store_medium(&state.store, report_id, index, body).await?;
    if report.complete {
        tracing::info!(case = %report.case_number, "report complete");
    }
    Ok(Json(report.status()))
}

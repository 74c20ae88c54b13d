//! `PUT /api/v1/reports/{report_id}` (create) and
//! `PUT /api/v1/reports/{report_id}/media/{index}` (one medium's bytes).
//!
//! The rules are `protocol::sync`'s (see `protocol/tests/support/server_model.rs`):
//! a known id is decided by its content fingerprint alone (200 with its case,
//! or 409); a new one must pass `CreateReport::check`. A medium must match
//! its declaration (`MediumDecl::check_bytes`) and its bytes must be of its
//! kind (`media_type`). Both answer the `IntakeStatus`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use protocol::report::media::{MAX_PHOTO_BYTES, MAX_VOICE_BYTES};
use protocol::report::ReportId;
use protocol::sync::{content_fingerprint, CreateReport, IntakeError, IntakeStatus};

use crate::clock;
use crate::error::AppError;
use crate::extract::{ApiBytes, ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{CreateOutcome, MediumOutcome, StoredReport};

use super::media_upload::{self, Upload};

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
    let fingerprint = content_fingerprint(&body);
    // A known id first: a replay gets its case even if today's rules or
    // clock would refuse the body.
    if let Some(existing) = state.store.report(report_id).await? {
        return replay(&existing, &fingerprint);
    }
    let now = clock::now();
    body.check(now)?;
    match state
        .store
        .create_report(report_id, &body, &fingerprint, now)
        .await?
    {
        CreateOutcome::Created(report) => {
            tracing::info!(case = %report.case_number, "report created");
            Ok((StatusCode::CREATED, Json(report.status())))
        }
        // Another request for the same id got there first.
        CreateOutcome::Existing(existing) => replay(&existing, &fingerprint),
    }
}

fn replay(
    existing: &StoredReport,
    fingerprint: &str,
) -> Result<(StatusCode, Json<IntakeStatus>), AppError> {
    if existing.fingerprint == fingerprint {
        Ok((StatusCode::OK, Json(existing.status())))
    } else {
        Err(IntakeError::Conflict.into())
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
    let Some(report) = state.store.report(report_id).await? else {
        return Err(AppError::NotFound);
    };
    let decl = match media_upload::check(report.medium(index), index, &body)? {
        Upload::AlreadyReceived => return Ok(Json(report.status())),
        Upload::Store(decl) => decl,
    };
    match state
        .store
        .store_medium(report_id, &decl, body, clock::now())
        .await?
    {
        MediumOutcome::Stored(report) => {
            if report.complete {
                tracing::info!(case = %report.case_number, "report complete");
            }
            Ok(Json(report.status()))
        }
        MediumOutcome::UnknownReport => Err(AppError::NotFound),
    }
}

//! `PUT /api/v1/supports/{support_id}` (create) and
//! `PUT /api/v1/supports/{support_id}/media/{index}` (one medium's bytes):
//! "I see this too", under the same rules as a report (`reports.rs`): a
//! known id is decided by its fingerprint alone (200 with its status, or
//! 409); a new one must pass `CreateSupport::check` and name a complete
//! case (else 422); each medium must match its declaration and its bytes
//! be of its kind (`media_type`). Both answer the `IntakeStatus`, whose
//! case number is the case the support counts for.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use protocol::support::{support_fingerprint, unknown_case_error, CreateSupport, SupportId};
use protocol::sync::{IntakeError, IntakeStatus};

use crate::clock;
use crate::error::AppError;
use crate::extract::{ApiBytes, ApiJson, ApiPath};
use crate::intake::{check_upload, Upload};
use crate::state::AppState;
use crate::store::{StoredSupport, SupportMediumOutcome, SupportOutcome};

/// The largest create body: a support declares fewer fields than a report.
pub const CREATE_BODY_LIMIT: usize = super::reports::CREATE_BODY_LIMIT;
/// The largest medium body: the same media limits as a report's.
pub const MEDIUM_BODY_LIMIT: usize = super::reports::MEDIUM_BODY_LIMIT;

/// Creates support `support_id`: 201 the first time, 200 for the same
/// content again, 409 for other content, 422 for an unknown case.
#[tracing::instrument(name = "create_support", skip(state, body))]
pub async fn create(
    State(state): State<AppState>,
    ApiPath(support_id): ApiPath<SupportId>,
    ApiJson(body): ApiJson<CreateSupport>,
) -> Result<(StatusCode, Json<IntakeStatus>), AppError> {
    let fingerprint = support_fingerprint(&body);
    if let Some(existing) = state.store.support(support_id).await? {
        return replay(&existing, &fingerprint);
    }
    body.check()?;
    match state
        .store
        .create_support(support_id, &body, &fingerprint, clock::now())
        .await?
    {
        SupportOutcome::Created(support) => {
            tracing::info!(case = %support.case_number, "support created");
            Ok((StatusCode::CREATED, Json(support.status())))
        }
        SupportOutcome::Existing(existing) => replay(&existing, &fingerprint),
        SupportOutcome::UnknownCase => Err(AppError::InvalidWith(unknown_case_error().message)),
    }
}

fn replay(
    existing: &StoredSupport,
    fingerprint: &str,
) -> Result<(StatusCode, Json<IntakeStatus>), AppError> {
    if existing.fingerprint.as_deref() == Some(fingerprint) {
        Ok((StatusCode::OK, Json(existing.status())))
    } else {
        Err(IntakeError::Conflict.into())
    }
}

/// Stores medium `index` of support `support_id`; the same bytes again
/// are a 200 without storing anything.
#[tracing::instrument(name = "upload_support_medium", skip(state, body))]
pub async fn upload_medium(
    State(state): State<AppState>,
    ApiPath((support_id, index)): ApiPath<(SupportId, u8)>,
    ApiBytes(body): ApiBytes,
) -> Result<Json<IntakeStatus>, AppError> {
    let Some(support) = state.store.support(support_id).await? else {
        return Err(AppError::NotFound);
    };
    let decl = match check_upload(support.medium(index), index, &body)? {
        Upload::AlreadyReceived => return Ok(Json(support.status())),
        Upload::Store(decl) => decl,
    };
    match state
        .store
        .store_support_medium(support_id, &decl, body, clock::now())
        .await?
    {
        SupportMediumOutcome::Stored(support) => {
            if support.complete {
                tracing::info!(case = %support.case_number, "support complete");
            }
            Ok(Json(support.status()))
        }
        SupportMediumOutcome::UnknownSupport => Err(AppError::NotFound),
    }
}

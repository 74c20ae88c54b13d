//! `POST /api/v1/staff/imports` (any staff session): a file of unsent
//! reports saved by a phone, as the body. 200 with an `ImportAnswer` (each
//! report and its case), or one error that says why nothing was imported
//! (`import`).

use axum::extract::State;
use axum::Json;
use protocol::archive::ImportAnswer;

use crate::auth::StaffSession;
use crate::error::AppError;
use crate::extract::ApiBytes;
use crate::import::import_archive;
use crate::state::AppState;
use crate::store::AuditActor;

/// The largest body: the largest archive (`MAX_ARCHIVE_BYTES`).
pub const IMPORT_BODY_LIMIT: usize = protocol::archive::MAX_ARCHIVE_BYTES as usize;

#[tracing::instrument(name = "import_reports", skip_all, fields(staff = %session.user.username))]
pub async fn import(
    State(state): State<AppState>,
    session: StaffSession,
    ApiBytes(body): ApiBytes,
) -> Result<Json<ImportAnswer>, AppError> {
    let answer = import_archive(&state.store, &body, AuditActor::Staff(&session.user)).await?;
    tracing::info!(reports = answer.reports.len(), "file imported");
    Ok(Json(answer))
}

//! The Learn section's routes (paths and bodies from `protocol::quiz::wire`):
//!
//! - `GET /api/v1/quiz/packs`: the precomputed answer of the `QuizCatalog`
//!   with its `ETag`; `If-None-Match` naming it gets a 304 without a body.
//! - `PUT /api/v1/quiz/results/{result_id}`: a known id is decided by the
//!   upload's fingerprint alone (200 with the stored receipt, or 409), before
//!   any rule, so a repeat always gets its receipt; a new one must pass
//!   `QuizResultUpload::validate` (422 naming each field) and is stored (201).
//! - `GET /api/v1/staff/quiz/participation`: any staff session (the
//!   `StaffSession` extractor first, as on every staff route);
//!   `QuizParticipation::aggregate` over every stored result.
//!
//! All of `/api/` shares the per-client rate limit (`rate_limit.rs`), which
//! also bounds anonymous result uploads.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, put};
use axum::{Json, Router};
use protocol::quiz::{
    QuizParticipation, QuizResultId, QuizResultReceipt, QuizResultUpload, QUIZ_PACKS_ROUTE,
    QUIZ_RESULT_ROUTE, STAFF_QUIZ_PARTICIPATION_ROUTE,
};
use protocol::LocalizedText;

use super::api_base::{method_not_allowed, under_api};
use crate::auth::StaffSession;
use crate::clock;
use crate::error::AppError;
use crate::extract::{ApiJson, ApiPath};
use crate::state::AppState;
use crate::store::{QuizResultOutcome, StoredQuizResult};

/// The largest result body: 50 missed ids of 40 characters and an
/// 80-character name fit several times over.
pub const RESULT_BODY_LIMIT: usize = 16 * 1024;

/// The Learn routes, relative to `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            under_api(QUIZ_PACKS_ROUTE),
            get(packs).fallback(method_not_allowed),
        )
        .route(
            under_api(QUIZ_RESULT_ROUTE),
            put(put_result)
                .fallback(method_not_allowed)
                .layer(DefaultBodyLimit::max(RESULT_BODY_LIMIT)),
        )
        .route(
            under_api(STAFF_QUIZ_PARTICIPATION_ROUTE),
            get(participation).fallback(method_not_allowed),
        )
}

/// Every pack served, or 304 when the client's copy is current.
#[tracing::instrument(name = "quiz_packs", skip_all)]
pub async fn packs(State(state): State<AppState>, headers: HeaderMap) -> Response {
    state.quiz.answer().respond(&headers)
}

/// Stores result `result_id`: 201 the first time, 200 for the same content
/// again, 409 for other content.
#[tracing::instrument(name = "quiz_result", skip(state, body))]
pub async fn put_result(
    State(state): State<AppState>,
    ApiPath(result_id): ApiPath<QuizResultId>,
    ApiJson(body): ApiJson<QuizResultUpload>,
) -> Result<(StatusCode, Json<QuizResultReceipt>), AppError> {
    let fingerprint = body.fingerprint();
    if let Some(existing) = state.store.quiz_result(result_id).await? {
        return repeat(existing, &fingerprint);
    }
    let now = clock::now();
    let valid = body.validate(now).map_err(AppError::QuizResultInvalid)?;
    match state
        .store
        .record_quiz_result(result_id, &valid, &fingerprint, now)
        .await?
    {
        QuizResultOutcome::Created(stored) => {
            tracing::info!(mode = valid.mode().code(), "quiz result stored");
            Ok((StatusCode::CREATED, Json(stored.receipt)))
        }
        // Another request for the same id got there first.
        QuizResultOutcome::Existing(existing) => repeat(existing, &fingerprint),
    }
}

fn repeat(
    existing: StoredQuizResult,
    fingerprint: &str,
) -> Result<(StatusCode, Json<QuizResultReceipt>), AppError> {
    if existing.fingerprint == fingerprint {
        Ok((StatusCode::OK, Json(existing.receipt)))
    } else {
        Err(AppError::ConflictWith(LocalizedText::new(
            "这个编号下已有另一份答题成绩。",
            "Another quiz result was already uploaded under this id.",
        )))
    }
}

/// Participation by event, for any staff role.
#[tracing::instrument(name = "quiz_participation", skip_all)]
pub async fn participation(
    _session: StaffSession,
    State(state): State<AppState>,
) -> Result<Json<QuizParticipation>, AppError> {
    let results = state.store.quiz_results().await?;
    Ok(Json(QuizParticipation::aggregate(&results)))
}

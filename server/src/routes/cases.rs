//! `GET /api/v1/cases/{case_number}` with `X-Receipt: <secret>`: the case's
//! timeline. An unknown case, a case not yet complete, a missing, malformed
//! or wrong receipt and a malformed case number all get the same 404, so
//! the answer tells nothing about which cases exist.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use protocol::sync::{CaseNumber, ReceiptSecret, Timeline, RECEIPT_HEADER};

use crate::error::AppError;
use crate::extract::ApiPath;
use crate::state::AppState;

#[tracing::instrument(name = "case_timeline", skip(state, headers))]
pub async fn timeline(
    State(state): State<AppState>,
    ApiPath(case_number): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Json<Timeline>, AppError> {
    let number = CaseNumber::parse(&case_number).map_err(|_| AppError::NotFound)?;
    let secret = headers
        .get(RECEIPT_HEADER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| ReceiptSecret::parse(value.trim()).ok())
        .ok_or(AppError::NotFound)?;
    state
        .store
        .timeline(number, &secret)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

//! `AppError`: every failure of an `/api/` route becomes one JSON body
//! (`protocol::ApiError`) with the matching status.
//!
//! Codes and messages come from `protocol` (`ErrorCode`, `IntakeError`), so
//! the app reads every answer with the same types. A storage failure is a
//! 500 whose detail goes to the logs only, never to the client.

use axum::extract::rejection::{BytesRejection, JsonRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use protocol::report::FieldErrors;
use protocol::staff::{AuthErrorCode, TransitionError};
use protocol::sync::IntakeError;
use protocol::{ApiError, ErrorCode, LocalizedText};

use crate::store::StoreError;

/// How long a client is asked to wait when the media store is unavailable.
pub const MEDIA_RETRY_AFTER: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No such API route, no such report or case, or a wrong receipt: all
    /// the same answer.
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A body larger than the route accepts.
    #[error("request body too large")]
    PayloadTooLarge,
    /// A create body that is not JSON of the right shape, or a body that
    /// could not be read.
    #[error("malformed request body: {0}")]
    Malformed(String),
    /// A medium whose bytes are not of its declared kind, or a JSON body
    /// sent with another content type.
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// Refused by the intake rules (`protocol::sync::intake`).
    #[error(transparent)]
    Intake(#[from] IntakeError),
    /// The database or the media store failed.
    #[error("storage: {0}")]
    Storage(#[from] StoreError),
    /// The handler panicked (a bug); only this request fails.
    #[error("the request's handler panicked")]
    Panicked,
    /// A staff route without a valid session (none, unknown or expired).
    #[error("no valid staff session")]
    Unauthorized,
    /// A failed login: the same for an unknown name and a wrong password.
    #[error("wrong username or password")]
    BadCredentials,
    /// A staff session whose role may not do this.
    #[error("role may not do this")]
    Forbidden,
    /// Too many failed logins; try again after this long.
    #[error("too many failed logins")]
    LoginRateLimited(std::time::Duration),
    /// A case action its status does not allow (409), or a case named a
    /// duplicate of itself (422).
    #[error(transparent)]
    Transition(#[from] TransitionError),
    /// A request that conflicts with what is stored, with its message.
    #[error("conflict: {}", .0.en)]
    ConflictWith(LocalizedText),
    /// A request that breaks a rule, with its message.
    #[error("invalid: {}", .0.en)]
    InvalidWith(LocalizedText),
    /// A quiz result that breaks rules (`QuizResultUpload::validate`),
    /// each named on its field.
    #[error(transparent)]
    QuizResultInvalid(FieldErrors),
}

/// The body of a 401 or 403: `{code, message}` like `ApiError`, with the
/// staff API's own codes.
#[derive(Debug, serde::Serialize)]
struct AuthErrorBody {
    code: AuthErrorCode,
    message: LocalizedText,
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound => ErrorCode::NotFound,
            AppError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::Malformed(_) => ErrorCode::Invalid,
            AppError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            AppError::Intake(error) => error.code(),
            AppError::Storage(StoreError::MediaUnavailable(_)) => ErrorCode::Unavailable,
            AppError::Storage(_) | AppError::Panicked => ErrorCode::Internal,
            AppError::LoginRateLimited(_) => ErrorCode::RateLimited,
            AppError::Transition(TransitionError::NotAllowed { .. })
            | AppError::ConflictWith(_) => ErrorCode::Conflict,
            AppError::Transition(TransitionError::DuplicateOfItself(_))
            | AppError::InvalidWith(_)
            | AppError::QuizResultInvalid(_) => ErrorCode::Invalid,
            // Answered with an `AuthErrorCode` body; `Internal` is never sent.
            AppError::Unauthorized | AppError::BadCredentials | AppError::Forbidden => {
                ErrorCode::Internal
            }
        }
    }

    /// The staff API's code, for a 401 or 403.
    pub fn auth_code(&self) -> Option<AuthErrorCode> {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => Some(AuthErrorCode::Unauthorized),
            AppError::Forbidden => Some(AuthErrorCode::Forbidden),
            _ => None,
        }
    }

    pub fn status(&self) -> StatusCode {
        let status = match self.auth_code() {
            Some(code) => code.status(),
            None => self.code().status(),
        };
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The JSON body sent to the client.
    pub fn to_api_error(&self) -> ApiError {
        match self {
            AppError::Intake(error) => error.to_api_error(),
            AppError::UnsupportedMediaType(_) => IntakeError::UnsupportedMediaType {
                index: 0,
                mime: String::new(),
            }
            .to_api_error(),
            AppError::Transition(error) => ApiError::new(self.code(), error.message()),
            AppError::ConflictWith(message) | AppError::InvalidWith(message) => {
                ApiError::new(self.code(), message.clone())
            }
            AppError::QuizResultInvalid(errors) => ApiError {
                message: match errors.as_slice() {
                    [only] => only.message.clone(),
                    _ => LocalizedText::new(
                        "答题成绩中有几项内容无效。",
                        "Several parts of the quiz result are not valid.",
                    ),
                },
                ..ApiError::invalid(errors.as_slice().to_vec())
            },
            other => ApiError::from(other.code()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::LoginRateLimited(wait) = self {
            return crate::rate_limit::too_many_requests(wait);
        }
        if let Some(code) = self.auth_code() {
            let message = match self {
                AppError::BadCredentials => AuthErrorCode::bad_credentials(),
                _ => code.message(),
            };
            return (self.status(), Json(AuthErrorBody { code, message })).into_response();
        }
        if let AppError::Storage(error @ StoreError::MediaUnavailable(_)) = &self {
            tracing::warn!(%error, "media store unavailable; answering 503");
            let mut response = (
                self.status(),
                Json(ApiError::new(
                    ErrorCode::Unavailable,
                    LocalizedText::new(
                        "暂时无法保存照片或录音，请稍后再试。",
                        "Photos and voice clips cannot be stored right now; try again later.",
                    ),
                )),
            )
                .into_response();
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(MEDIA_RETRY_AFTER.as_secs()),
            );
            return response;
        }
        match &self {
            AppError::Storage(error) => {
                tracing::error!(%error, "storage failed; answering 500");
            }
            AppError::Panicked => tracing::error!("a handler panicked; answering 500"),
            AppError::Malformed(_)
            | AppError::UnsupportedMediaType(_)
            | AppError::Intake(_)
            | AppError::Transition(_)
            | AppError::InvalidWith(_)
            | AppError::QuizResultInvalid(_) => {
                tracing::debug!(error = %self, "request refused");
            }
            _ => {}
        }
        (self.status(), Json(self.to_api_error())).into_response()
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::BytesRejection(bytes) => AppError::from(bytes),
            JsonRejection::MissingJsonContentType(_) => {
                AppError::UnsupportedMediaType("expected Content-Type: application/json".into())
            }
            other => AppError::Malformed(other.body_text()),
        }
    }
}

impl From<BytesRejection> for AppError {
    fn from(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge
        } else {
            AppError::Malformed(rejection.body_text())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_the_status_of_its_code() {
        let errors = [
            (AppError::NotFound, 404),
            (AppError::MethodNotAllowed, 405),
            (AppError::PayloadTooLarge, 413),
            (AppError::Malformed("x".into()), 422),
            (AppError::UnsupportedMediaType("x".into()), 415),
            (AppError::Intake(IntakeError::Conflict), 409),
            (
                AppError::Storage(StoreError::Corrupt("secret detail".into())),
                500,
            ),
        ];
        for (error, status) in errors {
            assert_eq!(error.status().as_u16(), status, "{error}");
            let api = error.to_api_error();
            assert_eq!(api.code.status(), status);
            assert!(!api.message.zh_cn.is_empty() && !api.message.en.is_empty());
            // Internal details never reach the client.
            assert!(!api.message.en.contains("secret detail"));
        }
        let staff = [
            (AppError::Unauthorized, 401),
            (AppError::BadCredentials, 401),
            (AppError::Forbidden, 403),
            (
                AppError::LoginRateLimited(std::time::Duration::from_secs(3)),
                429,
            ),
            (
                AppError::ConflictWith(LocalizedText::new("冲突", "conflict")),
                409,
            ),
            (
                AppError::InvalidWith(LocalizedText::new("无效", "invalid")),
                422,
            ),
        ];
        for (error, status) in staff {
            assert_eq!(error.status().as_u16(), status, "{error}");
            assert_eq!(error.into_response().status().as_u16(), status);
        }
    }
}

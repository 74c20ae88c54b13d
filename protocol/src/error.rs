//! The one error body every `/api/` route answers with.
//!
//! A client branches on `code` (stable, snake_case, never renamed) and shows
//! `message` in its user's language. An [`ErrorCode::Invalid`] answer also
//! names the fields to fix, with the same [`FieldError`] the form shows.

use serde::{Deserialize, Serialize};

use crate::report::FieldError;
use crate::LocalizedText;

/// Stable machine-readable error codes. New codes are added; none is renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No API route at this path, or an unknown case (a case asked for with
    /// the wrong receipt gets the same answer).
    NotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// Something failed on the server; the client should retry later.
    Internal,
    /// The server already holds different content under this id.
    Conflict,
    /// A body, or a declared medium, is larger than allowed.
    PayloadTooLarge,
    /// A medium's type is not one the server accepts.
    UnsupportedMediaType,
    /// The request is well formed but breaks a rule; [`ApiError::fields`]
    /// says which fields.
    Invalid,
    /// Too many requests; the answer's `Retry-After` says when to come back.
    RateLimited,
    /// A store the server needs (the media store) cannot be reached for
    /// now; the answer's `Retry-After` says when to try again.
    Unavailable,
}

impl ErrorCode {
    /// Every code, in the order they were added.
    pub const ALL: [ErrorCode; 9] = [
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Internal,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::Invalid,
        ErrorCode::RateLimited,
        ErrorCode::Unavailable,
    ];

    /// The HTTP status this code is answered with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Internal => 500,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::Invalid => 422,
            ErrorCode::RateLimited => 429,
            ErrorCode::Unavailable => 503,
        }
    }

    /// The code a status stands for, when it is one of ours.
    pub fn from_status(status: u16) -> Option<ErrorCode> {
        ErrorCode::ALL
            .into_iter()
            .find(|code| code.status() == status)
    }

    /// The default message for this code, in both languages.
    pub fn message(self) -> LocalizedText {
        match self {
            ErrorCode::NotFound => LocalizedText::new("未找到所请求的内容。", "Not found."),
            ErrorCode::MethodNotAllowed => LocalizedText::new(
                "此地址不支持该请求方法。",
                "This method is not allowed here.",
            ),
            ErrorCode::Internal => LocalizedText::new(
                "服务器出现问题，请稍后重试。",
                "The server had a problem. Please try again later.",
            ),
            ErrorCode::Conflict => LocalizedText::new(
                "服务器已收到这份报告的另一个版本，无法再更改。",
                "The server already has another version of this report; it cannot be changed.",
            ),
            ErrorCode::PayloadTooLarge => LocalizedText::new(
                "文件过大，服务器无法接收。",
                "A file is too big for the server.",
            ),
            ErrorCode::UnsupportedMediaType => LocalizedText::new(
                "服务器不接收这种文件格式。",
                "The server does not accept this file format.",
            ),
            ErrorCode::Invalid => LocalizedText::new(
                "报告中有内容需要修改。",
                "Part of the report needs to be changed.",
            ),
            ErrorCode::RateLimited => LocalizedText::new(
                "请求过于频繁，请稍后重试。",
                "Too many requests. Please try again later.",
            ),
            ErrorCode::Unavailable => LocalizedText::new(
                "服务器暂时无法保存，请稍后重试。",
                "The server cannot store this right now. Please try again later.",
            ),
        }
    }
}

/// The JSON body of every error answer under `/api/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: LocalizedText,
    /// For [`ErrorCode::Invalid`]: each field to fix, at most one per field,
    /// in form order. Absent from the JSON when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

impl ApiError {
    /// An error with a specific message and no field details.
    pub fn new(code: ErrorCode, message: LocalizedText) -> Self {
        Self {
            code,
            message,
            fields: Vec::new(),
        }
    }

    /// An [`ErrorCode::Invalid`] answer naming the fields to fix.
    pub fn invalid(fields: Vec<FieldError>) -> Self {
        Self {
            code: ErrorCode::Invalid,
            message: ErrorCode::Invalid.message(),
            fields,
        }
    }
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self::new(code, code.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Field;

    #[test]
    fn codes_serialise_as_stable_snake_case() {
        let cases = [
            (ErrorCode::NotFound, "\"not_found\""),
            (ErrorCode::MethodNotAllowed, "\"method_not_allowed\""),
            (ErrorCode::Internal, "\"internal\""),
            (ErrorCode::Conflict, "\"conflict\""),
            (ErrorCode::PayloadTooLarge, "\"payload_too_large\""),
            (
                ErrorCode::UnsupportedMediaType,
                "\"unsupported_media_type\"",
            ),
            (ErrorCode::Invalid, "\"invalid\""),
            (ErrorCode::RateLimited, "\"rate_limited\""),
            (ErrorCode::Unavailable, "\"unavailable\""),
        ];
        assert_eq!(cases.len(), ErrorCode::ALL.len());
        for (code, wire) in cases {
            assert_eq!(serde_json::to_string(&code).expect("serialise"), wire);
            assert_eq!(
                serde_json::from_str::<ErrorCode>(wire).expect("parse"),
                code
            );
        }
    }

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for code in ErrorCode::ALL {
            let message = code.message();
            assert!(!message.zh_cn.trim().is_empty(), "{code:?} zh-CN");
            assert!(!message.en.trim().is_empty(), "{code:?} en");
        }
    }

    #[test]
    fn every_code_has_its_own_status() {
        let statuses: Vec<u16> = ErrorCode::ALL.iter().map(|c| c.status()).collect();
        assert_eq!(statuses, [404, 405, 500, 409, 413, 415, 422, 429, 503]);
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_status(code.status()), Some(code));
        }
        assert_eq!(ErrorCode::from_status(200), None);
        assert_eq!(ErrorCode::from_status(502), None);
    }

    #[test]
    fn field_details_appear_only_when_there_are_some() {
        let plain = ApiError::from(ErrorCode::Conflict);
        let json = serde_json::to_value(&plain).expect("serialise");
        assert_eq!(json["code"], "conflict");
        assert!(json.get("fields").is_none());
        // A body written before `fields` existed still reads.
        let old = r#"{"code":"not_found","message":{"zh-CN":"未找到","en":"Not found"}}"#;
        assert!(serde_json::from_str::<ApiError>(old)
            .expect("parse")
            .fields
            .is_empty());

        let invalid = ApiError::invalid(vec![FieldError {
            field: Field::SeenAt,
            message: LocalizedText::new("时间不对。", "Wrong time."),
        }]);
        let json = serde_json::to_value(&invalid).expect("serialise");
        assert_eq!(json["code"], "invalid");
        assert_eq!(json["fields"][0]["field"], "seen_at");
        assert_eq!(json["fields"][0]["message"]["en"], "Wrong time.");
        let back: ApiError = serde_json::from_value(json).expect("parse");
        assert_eq!(back, invalid);
    }
}

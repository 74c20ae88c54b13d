//! The one error body every `/api/` route answers with.
//!
//! A client branches on `code` (stable, snake_case, never renamed) and shows
//! `message` in its user's language.

use serde::{Deserialize, Serialize};

use crate::LocalizedText;

/// Stable machine-readable error codes. New codes are added; none is renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No API route at this path (or an unknown case: same answer, see the sync issue).
    NotFound,
    /// The route exists but not for this HTTP method.
    MethodNotAllowed,
    /// Something failed on the server; the client should retry later.
    Internal,
}

impl ErrorCode {
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
        }
    }
}

/// The JSON body of every error answer under `/api/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: LocalizedText,
}

impl From<ErrorCode> for ApiError {
    fn from(code: ErrorCode) -> Self {
        Self {
            code,
            message: code.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_as_stable_snake_case() {
        let cases = [
            (ErrorCode::NotFound, "\"not_found\""),
            (ErrorCode::MethodNotAllowed, "\"method_not_allowed\""),
            (ErrorCode::Internal, "\"internal\""),
        ];
        for (code, wire) in cases {
            assert_eq!(serde_json::to_string(&code).expect("serialise"), wire);
        }
    }

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        for code in [
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::Internal,
        ] {
            let message = code.message();
            assert!(!message.zh_cn.trim().is_empty(), "{code:?} zh-CN");
            assert!(!message.en.trim().is_empty(), "{code:?} en");
        }
    }
}

//! The short public summary staff may write when they accept a case: the
//! only words about the problem that are ever published (the reporter's
//! own description never is).

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::report::char_count;
use crate::LocalizedText;

/// A staff-written public summary: trimmed, [`PublicSummary::MIN_CHARS`]
/// to [`PublicSummary::MAX_CHARS`] characters, one paragraph without
/// control characters (it goes into Open311's one-line `description`).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PublicSummary(String);

/// Why a public summary was refused. Counts are in characters after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PublicSummaryError {
    #[error("public summary too short: {actual} characters, at least {min}")]
    TooShort { min: usize, actual: usize },
    #[error("public summary too long: {actual} characters, at most {max}")]
    TooLong { max: usize, actual: usize },
    #[error("public summary contains a line break or control character")]
    ControlCharacter,
}

impl PublicSummary {
    pub const MIN_CHARS: usize = 4;
    pub const MAX_CHARS: usize = 200;

    /// Trims `raw` and checks it.
    pub fn parse(raw: &str) -> Result<PublicSummary, PublicSummaryError> {
        let text = raw.trim();
        if text.chars().any(char::is_control) {
            return Err(PublicSummaryError::ControlCharacter);
        }
        let actual = char_count(text);
        if actual < Self::MIN_CHARS {
            return Err(PublicSummaryError::TooShort {
                min: Self::MIN_CHARS,
                actual,
            });
        }
        if actual > Self::MAX_CHARS {
            return Err(PublicSummaryError::TooLong {
                max: Self::MAX_CHARS,
                actual,
            });
        }
        Ok(PublicSummary(text.to_owned()))
    }

    /// `None` for an empty or blank field (no summary), else [`PublicSummary::parse`].
    pub fn parse_optional(raw: &str) -> Result<Option<PublicSummary>, PublicSummaryError> {
        if raw.trim().is_empty() {
            Ok(None)
        } else {
            PublicSummary::parse(raw).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PublicSummaryError {
    /// What to tell the staff member, in both languages.
    pub fn message(&self) -> LocalizedText {
        match *self {
            PublicSummaryError::TooShort { min, actual } => LocalizedText::new(
                format!("公开摘要至少需要 {min} 个字（现在 {actual} 个）。"),
                format!("The public summary needs at least {min} characters (now {actual})."),
            ),
            PublicSummaryError::TooLong { max, actual } => LocalizedText::new(
                format!("公开摘要最多 {max} 个字（现在 {actual} 个）。"),
                format!("The public summary can have at most {max} characters (now {actual})."),
            ),
            PublicSummaryError::ControlCharacter => LocalizedText::new(
                "公开摘要只能写一段，不能包含换行。",
                "The public summary must be one paragraph, without line breaks.",
            ),
        }
    }
}

impl fmt::Debug for PublicSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for PublicSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PublicSummary {
    type Error = PublicSummaryError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        PublicSummary::parse(&raw)
    }
}

impl From<PublicSummary> for String {
    fn from(summary: PublicSummary) -> Self {
        summary.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_is_trimmed_and_four_to_two_hundred_characters() {
        assert_eq!(
            PublicSummary::parse("  河道有异味  ").map(|s| s.as_str().to_owned()),
            Ok("河道有异味".to_owned())
        );
        assert_eq!(
            PublicSummary::parse(" 异味 "),
            Err(PublicSummaryError::TooShort { min: 4, actual: 2 })
        );
        assert!(PublicSummary::parse(&"污".repeat(200)).is_ok());
        assert_eq!(
            PublicSummary::parse(&"污".repeat(201)),
            Err(PublicSummaryError::TooLong {
                max: 200,
                actual: 201
            })
        );
        assert_eq!(
            PublicSummary::parse("河道\n有异味"),
            Err(PublicSummaryError::ControlCharacter)
        );
        assert_eq!(PublicSummary::parse_optional("   "), Ok(None));
        assert!(serde_json::from_str::<PublicSummary>(r#""ab""#).is_err());
        let summary: PublicSummary = serde_json::from_str(r#"" 夜间施工噪声 ""#).expect("parse");
        assert_eq!(
            serde_json::to_string(&summary).expect("json"),
            r#""夜间施工噪声""#
        );
    }

    #[test]
    fn errors_say_what_to_fix_in_both_languages() {
        let short = PublicSummaryError::TooShort { min: 4, actual: 1 }.message();
        assert!(short.zh_cn.contains('4') && short.en.contains("at least 4"));
        let long = PublicSummaryError::TooLong {
            max: 200,
            actual: 250,
        }
        .message();
        assert!(long.zh_cn.contains("200") && long.en.contains("250"));
        assert!(PublicSummaryError::ControlCharacter
            .message()
            .en
            .contains("line breaks"));
    }
}

//! What the person saw, in their own words.
//!
//! Length is counted in Unicode scalar values (`char`s), so each Chinese
//! character counts as one, after the surrounding whitespace is trimmed.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::LocalizedText;

/// A trimmed description of [`Description::MIN_CHARS`] to
/// [`Description::MAX_CHARS`] characters. Deserialising checks the same rules.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Description(String);

/// Why a description was refused. Counts are in characters after trimming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DescriptionError {
    #[error("description too short: {actual} characters, at least {min}")]
    TooShort { min: usize, actual: usize },
    #[error("description too long: {actual} characters, at most {max}")]
    TooLong { max: usize, actual: usize },
}

/// The number of characters [`Description::parse`] counts in `raw`: Unicode
/// scalar values after trimming. For the form's live counter.
pub fn char_count(raw: &str) -> usize {
    raw.trim().chars().count()
}

impl Description {
    /// The 12369 minimum.
    pub const MIN_CHARS: usize = 5;
    /// The Open311 maximum.
    pub const MAX_CHARS: usize = 4000;

    /// Trims `raw` and checks its length.
    pub fn parse(raw: &str) -> Result<Description, DescriptionError> {
        let trimmed = raw.trim();
        let actual = trimmed.chars().count();
        if actual < Self::MIN_CHARS {
            Err(DescriptionError::TooShort {
                min: Self::MIN_CHARS,
                actual,
            })
        } else if actual > Self::MAX_CHARS {
            Err(DescriptionError::TooLong {
                max: Self::MAX_CHARS,
                actual,
            })
        } else {
            Ok(Description(trimmed.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl DescriptionError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match *self {
            DescriptionError::TooShort { min, actual } => LocalizedText::new(
                format!("描述至少需要 {min} 个字（现在 {actual} 个）。"),
                format!("The description needs at least {min} characters (now {actual})."),
            ),
            DescriptionError::TooLong { max, actual } => LocalizedText::new(
                format!("描述最多 {max} 个字（现在 {actual} 个）。"),
                format!("The description can have at most {max} characters (now {actual})."),
            ),
        }
    }
}

impl TryFrom<String> for Description {
    type Error = DescriptionError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Description::parse(&raw)
    }
}

impl From<Description> for String {
    fn from(description: Description) -> Self {
        description.0
    }
}

impl AsRef<str> for Description {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Description {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn four_characters_are_too_short_five_are_enough() {
        assert_eq!(
            Description::parse("abcd"),
            Err(DescriptionError::TooShort { min: 5, actual: 4 })
        );
        assert_eq!(
            Description::parse("abcde").map(Description::into_inner),
            Ok("abcde".to_owned())
        );
    }

    #[test]
    fn each_chinese_character_counts_once() {
        assert_eq!(char_count("河水发臭"), 4);
        assert!(Description::parse("河水发臭").is_err());
        assert_eq!(
            Description::parse("河水发臭了").map(Description::into_inner),
            Ok("河水发臭了".to_owned())
        );
        // Mixed scripts and emoji: one per scalar value.
        assert_eq!(char_count("黑烟 smoke 🏭"), 10);
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_not_counted() {
        let description = Description::parse("  \n 河水发臭了\t　").expect("valid");
        assert_eq!(description.as_str(), "河水发臭了");
        assert_eq!(char_count("   ab  cd   "), 6);
        assert_eq!(
            Description::parse(" \u{3000}abcd \n"),
            Err(DescriptionError::TooShort { min: 5, actual: 4 })
        );
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(
            Description::parse(" \t\n\u{3000} "),
            Err(DescriptionError::TooShort { min: 5, actual: 0 })
        );
        assert_eq!(char_count(" \t\n "), 0);
    }

    #[test]
    fn four_thousand_characters_fit_four_thousand_and_one_do_not() {
        let max = "水".repeat(4000);
        assert!(Description::parse(&max).is_ok());
        assert_eq!(
            Description::parse(&format!("{max}a")),
            Err(DescriptionError::TooLong {
                max: 4000,
                actual: 4001
            })
        );
        // Trimmed whitespace does not push it over.
        assert!(Description::parse(&format!("  {max}\n")).is_ok());
    }

    #[test]
    fn messages_give_the_rule_and_the_count() {
        let message = DescriptionError::TooShort { min: 5, actual: 3 }.message();
        assert_eq!(message.zh_cn, "描述至少需要 5 个字（现在 3 个）。");
        assert_eq!(
            message.en,
            "The description needs at least 5 characters (now 3)."
        );
        let message = DescriptionError::TooLong {
            max: 4000,
            actual: 4001,
        }
        .message();
        assert!(message.zh_cn.contains("4000") && message.zh_cn.contains("4001"));
        assert!(message.en.contains("4000") && message.en.contains("4001"));
    }

    #[test]
    fn deserialising_applies_the_same_rules() {
        let ok: Description = serde_json::from_str("\" 河水发臭了 \"").expect("valid");
        assert_eq!(ok.as_str(), "河水发臭了");
        assert_eq!(
            serde_json::to_string(&ok).expect("serialise"),
            "\"河水发臭了\""
        );
        assert!(serde_json::from_str::<Description>("\"abc\"").is_err());
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "\\s{0,3}\\PC{0,8}\\s{0,3}",
            // Around the upper bound.
            (prop::collection::vec(any::<char>(), 3990..4010), "\\s{0,3}")
                .prop_map(|(chars, pad)| format!("{pad}{}{pad}", String::from_iter(chars))),
        ]
    }

    proptest! {
        #[test]
        fn accepts_exactly_trimmed_lengths_five_to_four_thousand(raw in any_text()) {
            let count = raw.trim().chars().count();
            prop_assert_eq!(char_count(&raw), count);
            match Description::parse(&raw) {
                Ok(description) => {
                    prop_assert!((5..=4000).contains(&count));
                    prop_assert_eq!(description.as_str(), raw.trim());
                }
                Err(DescriptionError::TooShort { actual, .. }) => {
                    prop_assert!(count < 5);
                    prop_assert_eq!(actual, count);
                }
                Err(DescriptionError::TooLong { actual, .. }) => {
                    prop_assert!(count > 4000);
                    prop_assert_eq!(actual, count);
                }
            }
        }
    }
}

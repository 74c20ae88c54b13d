//! Who a question is for: the audience levels of the Learn quizzes.
//!
//! Each question names the youngest audience it suits ([`Level`]); a player
//! who chooses audience `L` gets the questions whose level is `L` or
//! younger (`question.level() <= L`, as `Primary < Secondary < Adult`). Each
//! pack lists the audiences it offers, and offers one only with at least
//! [`MIN_QUESTIONS_PER_LEVEL`] questions playable there
//! ([`QuizPack::parse`](super::QuizPack::parse) checks).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::LocalizedStr;

/// An audience, youngest first: the derived order is the rule "a question
/// of level `q` is playable at `l` when `q <= l`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Primary-school pupils (about 6 to 12).
    Primary,
    /// Secondary-school pupils (about 12 to 18).
    Secondary,
    /// Adults: every question is playable.
    Adult,
}

/// The fewest questions a pack must have playable at each level it offers.
pub const MIN_QUESTIONS_PER_LEVEL: usize = 5;

impl Level {
    /// Youngest first.
    pub const ALL: [Level; 3] = [Level::Primary, Level::Secondary, Level::Adult];

    /// The level where every question is playable; the choice when nobody
    /// chose one (and of event settings stored before levels existed).
    pub const fn everything() -> Level {
        Level::Adult
    }

    /// The stable code of pack files and stored settings, the same string
    /// serde uses.
    pub fn code(self) -> &'static str {
        match self {
            Level::Primary => "primary",
            Level::Secondary => "secondary",
            Level::Adult => "adult",
        }
    }

    /// The level with this code; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|level| level.code() == code)
    }

    /// Whether a question of level `question` may be asked at this level.
    pub fn admits(self, question: Level) -> bool {
        question <= self
    }

    /// The audience's name, for a picker.
    pub fn label(self) -> LocalizedStr {
        match self {
            Level::Primary => LocalizedStr::new("小学生", "Primary school"),
            Level::Secondary => LocalizedStr::new("中学生", "Secondary school"),
            Level::Adult => LocalizedStr::new("成人", "Adults"),
        }
    }
}

impl Default for Level {
    fn default() -> Self {
        Level::everything()
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn younger_questions_are_playable_at_older_levels_not_the_reverse() {
        assert!(Level::Adult.admits(Level::Primary));
        assert!(Level::Adult.admits(Level::Secondary));
        assert!(Level::Secondary.admits(Level::Primary));
        assert!(Level::Primary.admits(Level::Primary));
        assert!(!Level::Primary.admits(Level::Secondary));
        assert!(!Level::Primary.admits(Level::Adult));
        assert!(!Level::Secondary.admits(Level::Adult));
        assert_eq!(Level::everything(), Level::Adult);
        assert!(Level::ALL.iter().all(|&q| Level::everything().admits(q)));
    }

    #[test]
    fn codes_match_serde_and_read_back() {
        for level in Level::ALL {
            let json = serde_json::to_string(&level).expect("serialise");
            assert_eq!(json, format!("\"{}\"", level.code()));
            assert_eq!(Level::from_code(level.code()), Some(level));
            let label = level.label();
            assert!(!label.zh_cn.is_empty() && !label.en.is_empty());
        }
        assert_eq!(Level::from_code("Primary"), None);
        assert!(serde_json::from_str::<Level>("\"kindergarten\"").is_err());
    }
}

//! The "Learn" quizzes: packs of questions on the bureau's public-awareness
//! themes, and the rules for playing them.
//!
//! A pack is a data file, `content/quiz/<id>.json` (schema and rules in
//! `content/quiz/README.md`). [`QuizPack::parse`] reads and checks one;
//! [`bundled`] gives the packs compiled into the app. [`draw`] picks a quiz's
//! questions and shuffles their options from a seed; [`DrawnQuestion::is_correct`]
//! gives immediate feedback and [`QuizResult::score`] the final score with the
//! questions missed.
//!
//! This module knows nothing about how a quiz is shown or stored: the app
//! keeps the seed and the answers, the server may later serve newer packs
//! (a higher [`QuizPack::version`] replaces a lower one).

pub mod bundled;
pub mod delivery;
pub mod event;
pub mod merge;
pub mod pack;
pub mod play;
pub mod score;
pub mod shuffle;

pub use bundled::{bundled, BUNDLED_FILES};
pub use pack::{
    IdError, Language, PackError, PackField, PackId, Question, QuestionField, QuestionId,
    QuestionKind, QuestionProblem, QuizPack, MAX_ID_CHARS, MAX_OPTIONS, TRUE_FALSE_OPTIONS,
};
pub use event::{
    leaderboard, summarize, to_csv, BestScore, EventField, EventInputError, EventName, EventSettings,
    EventSummary, LeaderCode, Nickname, ParticipantScore, Standing,
};
pub use delivery::Delivery;
pub use merge::newest_packs;
pub use play::{Play, PlayError, Stage};
pub use score::{Answer, Outcome, QuizResult};
pub use shuffle::{draw, shuffle, DrawError, DrawnQuestion, PackChoice, SplitMix64, QUIZ_LENGTH};

//! The "Learn" quizzes: packs of questions on the bureau's public-awareness
//! themes, and the rules for playing them.
//!
//! A pack is a data file, `content/quiz/<id>.json` (schema and rules in
//! `content/quiz/README.md`). [`QuizPack::parse`] reads and checks one;
//! [`bundled`] gives the packs compiled into the app. Every question has a
//! [`Level`] (the youngest audience it suits) and every pack the levels it
//! offers ([`packs_at`] lists them for a picker). [`draw`] picks a quiz's
//! questions for a level and shuffles their options from a seed; [`DrawnQuestion::is_correct`]
//! gives immediate feedback and [`QuizResult::score`] the final score with the
//! questions missed.
//!
//! [`wire`] is the Learn API: the packs the server offers (a higher
//! [`QuizPack::version`] replaces a lower one, [`merge_packs`]), the result a
//! device uploads ([`QuizResultUpload`], which carries no name), and
//! [`participation`], the staff's figures by event.
//!
//! This module knows nothing about how a quiz is shown or stored: the app
//! keeps the seed and the answers.

pub mod bundled;
pub mod citation;
pub mod delivery;
pub mod event;
pub mod level;
pub mod pack;
pub mod participation;
pub mod play;
pub mod score;
pub mod shuffle;
pub mod wire;

pub use bundled::{bundled, BUNDLED_FILES};
pub use citation::{check_source, SourceProblem};
pub use delivery::Delivery;
pub use event::{
    leaderboard, summarize, to_csv, BestScore, EventField, EventInputError, EventSettings,
    EventSummary, LeaderCode, Nickname, ParticipantScore, Standing,
};
pub use level::{Level, MIN_QUESTIONS_PER_LEVEL};
pub use pack::{merge_packs, packs_at};
pub use pack::{
    IdError, Language, PackError, PackField, PackId, Question, QuestionField, QuestionId,
    QuestionKind, QuestionProblem, QuizPack, MAX_ID_CHARS, MAX_OPTIONS, TRUE_FALSE_OPTIONS,
};
pub use participation::{EventParticipation, QuizParticipation, MOST_MISSED_SHOWN};
pub use play::{Play, PlayError, Stage};
pub use score::{Answer, Outcome, QuizResult};
pub use shuffle::{draw, shuffle, DrawError, DrawnQuestion, PackChoice, SplitMix64, QUIZ_LENGTH};
pub use wire::{
    pack_code, quiz_result_path, EventId, EventName, EventNameError, QuizEvent, QuizEventUpload,
    QuizMode, QuizPacksAnswer, QuizResultId, QuizResultReceipt, QuizResultUpload, ReceivedPacks,
    SkippedPack, ValidQuizResult, MAX_EVENT_NAME_CHARS, MAX_QUIZ_TOTAL, MIXED_PACK,
    QUIZ_PACKS_ROUTE, QUIZ_RESULT_FORM_VERSION, QUIZ_RESULT_ROUTE, STAFF_QUIZ_PARTICIPATION_ROUTE,
};

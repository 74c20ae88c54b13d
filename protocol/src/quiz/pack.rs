//! A quiz pack as checked data: [`QuizPack::parse`] reads one pack file
//! (`content/quiz/<id>.json`, schema in `content/quiz/README.md`) and either
//! gives a [`QuizPack`] whose every rule holds or a [`PackError`] that names
//! the question and the problem.
//!
//! The checked types have private fields and no other constructor, so code
//! holding a [`QuizPack`] never re-checks it: every text is filled in both
//! languages, every question has a correct answer that points at one of its
//! options, question ids are unique in the pack, and the pack has at least
//! [`MIN_QUESTIONS_PER_LEVEL`] questions playable at each [`Level`] it offers.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::level::{Level, MIN_QUESTIONS_PER_LEVEL};
use crate::{LocalizedStr, LocalizedText};

/// The two options of every true-or-false question, in this order: index 0 is
/// "true", index 1 is "false". Pack files do not list them.
pub const TRUE_FALSE_OPTIONS: [LocalizedStr; 2] = [
    LocalizedStr::new("正确", "True"),
    LocalizedStr::new("错误", "False"),
];

/// The most options a single- or multiple-choice question may have.
pub const MAX_OPTIONS: usize = 6;

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// Exactly one option is right.
    Single,
    /// At least two options are right and at least one is wrong; the person
    /// must pick exactly the right ones.
    Multiple,
    /// The prompt is a statement; the options are [`TRUE_FALSE_OPTIONS`].
    TrueFalse,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 3] = [
        QuestionKind::Single,
        QuestionKind::Multiple,
        QuestionKind::TrueFalse,
    ];

    /// The stable code used in pack files, the same string serde uses.
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
            QuestionKind::TrueFalse => "true_false",
        }
    }

    /// What the quiz tells the person to do.
    pub fn instruction(self) -> LocalizedStr {
        match self {
            QuestionKind::Single => LocalizedStr::new("单选题：选一个答案", "Pick one answer"),
            QuestionKind::Multiple => {
                LocalizedStr::new("多选题：选出所有正确答案", "Pick every right answer")
            }
            QuestionKind::TrueFalse => {
                LocalizedStr::new("判断题：这句话对吗？", "Is this statement true?")
            }
        }
    }
}

/// One of the two languages every text is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    ZhCn,
    En,
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        })
    }
}

/// Why a pack or question id was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IdError {
    #[error("empty id")]
    Empty,
    #[error("id too long: {actual} characters, at most {max}")]
    TooLong { max: usize, actual: usize },
    #[error("id contains {0:?}: only a-z, 0-9 and '-' are allowed")]
    Character(char),
    #[error("id starts or ends with '-' or has two in a row")]
    Hyphen,
}

/// The rule shared by [`PackId`] and [`QuestionId`]: 1 to [`MAX_ID_CHARS`]
/// lowercase ASCII letters, digits and single inner hyphens.
pub(crate) fn check_id(raw: &str) -> Result<(), IdError> {
    if raw.is_empty() {
        return Err(IdError::Empty);
    }
    if let Some(bad) = raw
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(IdError::Character(bad));
    }
    if raw.len() > MAX_ID_CHARS {
        return Err(IdError::TooLong {
            max: MAX_ID_CHARS,
            actual: raw.len(),
        });
    }
    if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
        return Err(IdError::Hyphen);
    }
    Ok(())
}

/// The longest pack or question id.
pub const MAX_ID_CHARS: usize = 40;

macro_rules! quiz_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks `raw` as it is (no trimming).
            pub fn parse(raw: &str) -> Result<$name, IdError> {
                check_id(raw).map(|()| $name(raw.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;

            fn try_from(raw: String) -> Result<Self, Self::Error> {
                check_id(&raw).map(|()| $name(raw))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

quiz_id!(
    /// Names a pack, for example `water-quality`; its file is
    /// `content/quiz/<id>.json`.
    PackId
);
quiz_id!(
    /// Names a question, for example `wq-01`; unique in its pack (and, by
    /// convention and test, across all bundled packs).
    QuestionId
);

/// A checked question. Its options are in the order of the pack file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    id: QuestionId,
    kind: QuestionKind,
    level: Level,
    prompt: LocalizedText,
    options: Vec<LocalizedText>,
    /// Indexes into `options`, ascending, at least one.
    correct: Vec<usize>,
    explanation: LocalizedText,
    source: LocalizedText,
}

impl Question {
    pub fn id(&self) -> &QuestionId {
        &self.id
    }

    pub fn kind(&self) -> QuestionKind {
        self.kind
    }

    /// The youngest audience the question suits.
    pub fn level(&self) -> Level {
        self.level
    }

    /// Whether a player who chose `level` may get this question.
    pub fn playable_at(&self, level: Level) -> bool {
        level.admits(self.level)
    }

    pub fn prompt(&self) -> &LocalizedText {
        &self.prompt
    }

    /// The options in file order; for true-or-false, [`TRUE_FALSE_OPTIONS`].
    pub fn options(&self) -> &[LocalizedText] {
        &self.options
    }

    /// The indexes of the right options, ascending; never empty.
    pub fn correct(&self) -> &[usize] {
        &self.correct
    }

    /// Shown after the person answers, right or wrong.
    pub fn explanation(&self) -> &LocalizedText {
        &self.explanation
    }

    /// The public document the fact comes from, with the article, clause,
    /// table or section (checked for the bundled packs by
    /// `protocol/tests/content.rs`, not here: a bureau's own pack is not
    /// refused for its wording).
    pub fn source(&self) -> &LocalizedText {
        &self.source
    }
}

/// A checked quiz pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawPack", into = "RawPack")]
pub struct QuizPack {
    id: PackId,
    version: u32,
    title: LocalizedText,
    description: LocalizedText,
    /// The audiences offered, youngest first, each once, at least one.
    levels: Vec<Level>,
    questions: Vec<Question>,
}

impl QuizPack {
    /// Reads a pack file's JSON and checks every rule of
    /// `content/quiz/README.md`.
    pub fn parse(json: &str) -> Result<QuizPack, PackError> {
        let raw: RawPack =
            serde_json::from_str(json).map_err(|err| PackError::Json(err.to_string()))?;
        QuizPack::try_from(raw)
    }

    /// [`QuizPack::parse`] for a pack already read as a JSON value (one pack
    /// of a server's answer).
    pub fn from_value(value: serde_json::Value) -> Result<QuizPack, PackError> {
        let raw: RawPack =
            serde_json::from_value(value).map_err(|err| PackError::Json(err.to_string()))?;
        QuizPack::try_from(raw)
    }

    pub fn id(&self) -> &PackId {
        &self.id
    }

    /// 1 or more; a pack with a higher version replaces one with a lower.
    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn title(&self) -> &LocalizedText {
        &self.title
    }

    pub fn description(&self) -> &LocalizedText {
        &self.description
    }

    /// The audiences the pack offers, youngest first, each once; never
    /// empty. At each, at least [`MIN_QUESTIONS_PER_LEVEL`] questions are
    /// playable.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// Whether the pack offers `level` (a picker at that level lists it).
    pub fn offers(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }

    /// At least one, in file order.
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The questions a player who chose `level` may get, in file order.
    pub fn questions_at(&self, level: Level) -> impl Iterator<Item = &Question> + '_ {
        self.questions.iter().filter(move |q| q.playable_at(level))
    }

    /// The question with this id.
    pub fn question(&self, id: &QuestionId) -> Option<&Question> {
        self.questions.iter().find(|q| &q.id == id)
    }
}

/// Which text of the pack itself is blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackField {
    Title,
    Description,
}

impl fmt::Display for PackField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PackField::Title => "title",
            PackField::Description => "description",
        })
    }
}

/// Which text of a question is blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionField {
    Prompt,
    /// The option at this index (from 0).
    Option(usize),
    Explanation,
    Source,
}

impl fmt::Display for QuestionField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QuestionField::Prompt => f.write_str("prompt"),
            QuestionField::Option(index) => write!(f, "option {index}"),
            QuestionField::Explanation => f.write_str("explanation"),
            QuestionField::Source => f.write_str("source"),
        }
    }
}

/// Why a pack file was refused. Meant for the people who write packs (tests
/// and the server's upload print it); the app shows no pack it cannot read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PackError {
    /// Not JSON, a field missing or unknown, or a value of the wrong type.
    #[error("not a quiz pack: {0}")]
    Json(String),
    #[error("pack id {id:?}: {problem}")]
    PackId { id: String, problem: IdError },
    #[error("pack version must be 1 or more")]
    VersionZero,
    #[error("pack {field}: the {language} text is missing or blank")]
    BlankPackText {
        field: PackField,
        language: Language,
    },
    #[error("pack has no questions")]
    NoQuestions,
    #[error("pack offers no level: \"levels\" lists at least one of primary, secondary, adult")]
    NoLevels,
    #[error("pack lists level {0} twice in \"levels\"")]
    RepeatedLevel(Level),
    /// The pack offers `level` but fewer than [`MIN_QUESTIONS_PER_LEVEL`]
    /// of its questions are playable there (their level is `level` or
    /// younger).
    #[error(
        "pack offers level {level} but only {playable} of its questions are playable there \
         (level {level} or younger); it needs at least {min}"
    )]
    TooFewAtLevel {
        level: Level,
        playable: usize,
        min: usize,
    },
    /// The question at `index` (from 0) in the file, with the id it has there.
    #[error("question {id:?} (number {}): {problem}", .index + 1)]
    Question {
        index: usize,
        id: String,
        problem: QuestionProblem,
    },
}

/// What is wrong with one question.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuestionProblem {
    #[error("bad id: {0}")]
    BadId(IdError),
    #[error("the same id as question number {}", .first_index + 1)]
    DuplicateId { first_index: usize },
    #[error("{field}: the {language} text is missing or blank")]
    BlankText {
        field: QuestionField,
        language: Language,
    },
    #[error("{count} options; this kind needs at least {min}")]
    TooFewOptions { count: usize, min: usize },
    #[error("{count} options; at most {max}")]
    TooManyOptions { count: usize, max: usize },
    #[error("options {first} and {second} have the same {language} text")]
    DuplicateOption {
        first: usize,
        second: usize,
        language: Language,
    },
    #[error("no correct answer")]
    NoCorrectAnswer,
    #[error("answer {index} is out of range: the options are 0 to {}", .options - 1)]
    AnswerOutOfRange { index: usize, options: usize },
    #[error("answer {index} is listed twice")]
    DuplicateAnswer { index: usize },
    #[error("a single-choice question has {count} correct answers; it needs exactly one")]
    SingleWithManyAnswers { count: usize },
    #[error("a multiple-choice question needs at least two correct answers (use \"single\")")]
    MultipleWithOneAnswer,
    #[error("every option is correct; a multiple-choice question needs a wrong one")]
    AllOptionsCorrect,
    #[error("a true_false question lists no options (they are always True and False)")]
    TrueFalseWithOptions,
    #[error("a true_false question's answer is true or false, not a list of indexes")]
    TrueFalseNeedsBoolean,
    #[error("the answer true/false is only for true_false questions; give option indexes")]
    BooleanForChoice,
}

/// The packs of `packs` that offer `level`, in their order: what a picker
/// for that audience lists.
pub fn packs_at(packs: &[QuizPack], level: Level) -> impl Iterator<Item = &QuizPack> + '_ {
    packs.iter().filter(move |pack| pack.offers(level))
}

/// `base` with each pack of `newer` merged in by id: a pack replaces the
/// one with its id only when its version is higher, and a new id is added
/// after the others. Order is otherwise kept, so the result is stable.
///
/// How the app adds a server's packs to its bundled ones, and how the server
/// adds its `--quiz-dir` packs to the bundled set.
pub fn merge_packs(
    base: Vec<QuizPack>,
    newer: impl IntoIterator<Item = QuizPack>,
) -> Vec<QuizPack> {
    let mut merged = base;
    for pack in newer {
        match merged.iter_mut().find(|kept| kept.id == pack.id) {
            Some(kept) if pack.version > kept.version => *kept = pack,
            Some(_) => {}
            None => merged.push(pack),
        }
    }
    merged
}

// ----- the file format -----

/// A text as the file has it: either language may be missing, so a missing
/// one is reported like a blank one, as [`PackError::BlankPackText`] or
/// [`QuestionProblem::BlankText`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(rename = "zh-CN", default)]
    zh_cn: String,
    #[serde(default)]
    en: String,
}

impl RawText {
    /// The checked text, or the first blank language.
    fn check(self) -> Result<LocalizedText, Language> {
        if self.zh_cn.trim().is_empty() {
            Err(Language::ZhCn)
        } else if self.en.trim().is_empty() {
            Err(Language::En)
        } else {
            Ok(LocalizedText::new(self.zh_cn, self.en))
        }
    }
}

impl From<LocalizedText> for RawText {
    fn from(text: LocalizedText) -> Self {
        RawText {
            zh_cn: text.zh_cn,
            en: text.en,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
enum RawAnswer {
    /// For `true_false`.
    Truth(bool),
    /// For `single` and `multiple`: indexes into `options`, from 0.
    Indexes(Vec<usize>),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    kind: QuestionKind,
    level: Level,
    prompt: RawText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    options: Option<Vec<RawText>>,
    answer: RawAnswer,
    explanation: RawText,
    source: RawText,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    id: String,
    version: u32,
    title: RawText,
    description: RawText,
    levels: Vec<Level>,
    questions: Vec<RawQuestion>,
}

impl TryFrom<RawPack> for QuizPack {
    type Error = PackError;

    fn try_from(raw: RawPack) -> Result<Self, Self::Error> {
        let id = PackId::parse(&raw.id).map_err(|problem| PackError::PackId {
            id: raw.id.clone(),
            problem,
        })?;
        if raw.version == 0 {
            return Err(PackError::VersionZero);
        }
        let title = raw
            .title
            .check()
            .map_err(|language| PackError::BlankPackText {
                field: PackField::Title,
                language,
            })?;
        let description = raw
            .description
            .check()
            .map_err(|language| PackError::BlankPackText {
                field: PackField::Description,
                language,
            })?;
        let mut levels: Vec<Level> = Vec::with_capacity(raw.levels.len());
        for level in raw.levels {
            if levels.contains(&level) {
                return Err(PackError::RepeatedLevel(level));
            }
            levels.push(level);
        }
        if levels.is_empty() {
            return Err(PackError::NoLevels);
        }
        levels.sort_unstable();
        if raw.questions.is_empty() {
            return Err(PackError::NoQuestions);
        }
        let mut questions: Vec<Question> = Vec::with_capacity(raw.questions.len());
        for (index, raw_question) in raw.questions.into_iter().enumerate() {
            let raw_id = raw_question.id.clone();
            let in_question = |problem| PackError::Question {
                index,
                id: raw_id.clone(),
                problem,
            };
            let question = check_question(raw_question).map_err(in_question)?;
            if let Some(first_index) = questions.iter().position(|q| q.id == question.id) {
                return Err(in_question(QuestionProblem::DuplicateId { first_index }));
            }
            questions.push(question);
        }
        for &level in &levels {
            let playable = questions.iter().filter(|q| q.playable_at(level)).count();
            if playable < MIN_QUESTIONS_PER_LEVEL {
                return Err(PackError::TooFewAtLevel {
                    level,
                    playable,
                    min: MIN_QUESTIONS_PER_LEVEL,
                });
            }
        }
        Ok(QuizPack {
            id,
            version: raw.version,
            title,
            description,
            levels,
            questions,
        })
    }
}

fn check_question(raw: RawQuestion) -> Result<Question, QuestionProblem> {
    let id = QuestionId::parse(&raw.id).map_err(QuestionProblem::BadId)?;
    let blank = |field| move |language| QuestionProblem::BlankText { field, language };
    let prompt = raw.prompt.check().map_err(blank(QuestionField::Prompt))?;
    let (options, correct) = match (raw.kind, raw.options, raw.answer) {
        (QuestionKind::TrueFalse, Some(_), _) => return Err(QuestionProblem::TrueFalseWithOptions),
        (QuestionKind::TrueFalse, None, RawAnswer::Indexes(_)) => {
            return Err(QuestionProblem::TrueFalseNeedsBoolean)
        }
        (QuestionKind::TrueFalse, None, RawAnswer::Truth(truth)) => (
            TRUE_FALSE_OPTIONS.map(LocalizedStr::to_owned_text).to_vec(),
            vec![if truth { 0 } else { 1 }],
        ),
        (_, _, RawAnswer::Truth(_)) => return Err(QuestionProblem::BooleanForChoice),
        (kind, options, RawAnswer::Indexes(answer)) => {
            let options = check_options(kind, options.unwrap_or_default())?;
            let correct = check_answer(kind, answer, options.len())?;
            (options, correct)
        }
    };
    let explanation = raw
        .explanation
        .check()
        .map_err(blank(QuestionField::Explanation))?;
    let source = raw.source.check().map_err(blank(QuestionField::Source))?;
    Ok(Question {
        id,
        kind: raw.kind,
        level: raw.level,
        prompt,
        options,
        correct,
        explanation,
        source,
    })
}

fn check_options(
    kind: QuestionKind,
    raw: Vec<RawText>,
) -> Result<Vec<LocalizedText>, QuestionProblem> {
    // A multiple-choice question needs two right options and a wrong one.
    let min = if kind == QuestionKind::Multiple { 3 } else { 2 };
    if raw.len() < min {
        return Err(QuestionProblem::TooFewOptions {
            count: raw.len(),
            min,
        });
    }
    if raw.len() > MAX_OPTIONS {
        return Err(QuestionProblem::TooManyOptions {
            count: raw.len(),
            max: MAX_OPTIONS,
        });
    }
    let mut options: Vec<LocalizedText> = Vec::with_capacity(raw.len());
    for (index, option) in raw.into_iter().enumerate() {
        let option = option
            .check()
            .map_err(|language| QuestionProblem::BlankText {
                field: QuestionField::Option(index),
                language,
            })?;
        for (first, earlier) in options.iter().enumerate() {
            let same = if earlier.zh_cn.trim() == option.zh_cn.trim() {
                Some(Language::ZhCn)
            } else if earlier.en.trim().eq_ignore_ascii_case(option.en.trim()) {
                Some(Language::En)
            } else {
                None
            };
            if let Some(language) = same {
                return Err(QuestionProblem::DuplicateOption {
                    first,
                    second: index,
                    language,
                });
            }
        }
        options.push(option);
    }
    Ok(options)
}

fn check_answer(
    kind: QuestionKind,
    answer: Vec<usize>,
    options: usize,
) -> Result<Vec<usize>, QuestionProblem> {
    if answer.is_empty() {
        return Err(QuestionProblem::NoCorrectAnswer);
    }
    let mut seen = HashSet::new();
    for &index in &answer {
        if index >= options {
            return Err(QuestionProblem::AnswerOutOfRange { index, options });
        }
        if !seen.insert(index) {
            return Err(QuestionProblem::DuplicateAnswer { index });
        }
    }
    match kind {
        QuestionKind::Single if answer.len() > 1 => {
            return Err(QuestionProblem::SingleWithManyAnswers {
                count: answer.len(),
            })
        }
        QuestionKind::Multiple if answer.len() == 1 => {
            return Err(QuestionProblem::MultipleWithOneAnswer)
        }
        QuestionKind::Multiple if answer.len() == options => {
            return Err(QuestionProblem::AllOptionsCorrect)
        }
        _ => {}
    }
    let mut correct = answer;
    correct.sort_unstable();
    Ok(correct)
}

impl From<QuizPack> for RawPack {
    fn from(pack: QuizPack) -> Self {
        RawPack {
            id: pack.id.into(),
            version: pack.version,
            title: pack.title.into(),
            description: pack.description.into(),
            levels: pack.levels,
            questions: pack.questions.into_iter().map(RawQuestion::from).collect(),
        }
    }
}

impl From<Question> for RawQuestion {
    fn from(question: Question) -> Self {
        let (options, answer) = match question.kind {
            QuestionKind::TrueFalse => (None, RawAnswer::Truth(question.correct == [0])),
            _ => (
                Some(question.options.into_iter().map(RawText::from).collect()),
                RawAnswer::Indexes(question.correct),
            ),
        };
        RawQuestion {
            id: question.id.into(),
            kind: question.kind,
            level: question.level,
            prompt: question.prompt.into(),
            options,
            answer,
            explanation: question.explanation.into(),
            source: question.source.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn text(zh: &str, en: &str) -> Value {
        json!({ "zh-CN": zh, "en": en })
    }

    /// A true-or-false question `id` of `level`.
    fn statement(id: &str, level: &str) -> Value {
        json!({
            "id": id,
            "kind": "true_false",
            "level": level,
            "prompt": text(&format!("陈述{id}。"), &format!("Statement {id}.")),
            "answer": true,
            "explanation": text("因为。", "Because."),
            "source": text("来源", "Source")
        })
    }

    /// A small pack that passes every rule: one question of each kind
    /// first, then three more statements. It offers secondary (exactly
    /// five playable there) and adult (all six); only three are primary.
    fn valid() -> Value {
        json!({
            "id": "test-pack",
            "version": 1,
            "title": text("测试", "Test"),
            "description": text("测试题", "Test questions"),
            "levels": ["adult", "secondary"],
            "questions": [
                {
                    "id": "t-01",
                    "kind": "single",
                    "level": "primary",
                    "prompt": text("几？", "Which?"),
                    "options": [text("一", "One"), text("二", "Two"), text("三", "Three")],
                    "answer": [1],
                    "explanation": text("因为。", "Because."),
                    "source": text("来源", "Source")
                },
                {
                    "id": "t-02",
                    "kind": "multiple",
                    "level": "secondary",
                    "prompt": text("哪些？", "Which ones?"),
                    "options": [text("一", "One"), text("二", "Two"), text("三", "Three")],
                    "answer": [2, 0],
                    "explanation": text("因为。", "Because."),
                    "source": text("来源", "Source")
                },
                {
                    "id": "t-03",
                    "kind": "true_false",
                    "level": "primary",
                    "prompt": text("天是蓝的。", "The sky is blue."),
                    "answer": false,
                    "explanation": text("因为。", "Because."),
                    "source": text("来源", "Source")
                },
                statement("t-04", "secondary"),
                statement("t-05", "primary"),
                statement("t-06", "adult")
            ]
        })
    }

    fn parse(value: &Value) -> Result<QuizPack, PackError> {
        QuizPack::parse(&value.to_string())
    }

    /// The error for `valid()` changed by `edit`.
    fn error_after(edit: impl FnOnce(&mut Value)) -> PackError {
        let mut value = valid();
        edit(&mut value);
        parse(&value).expect_err("should be refused")
    }

    /// The problem of question `index` after `edit`.
    fn problem_after(index: usize, edit: impl FnOnce(&mut Value)) -> QuestionProblem {
        match error_after(edit) {
            PackError::Question {
                index: at, problem, ..
            } => {
                assert_eq!(at, index);
                problem
            }
            other => panic!("expected a question problem, got {other:?}"),
        }
    }

    #[test]
    fn a_valid_pack_parses_with_answers_sorted() {
        let pack = parse(&valid()).expect("valid");
        assert_eq!(pack.id().as_str(), "test-pack");
        assert_eq!(pack.version(), 1);
        assert_eq!(pack.questions().len(), 6);
        let multiple = &pack.questions()[1];
        assert_eq!(multiple.kind(), QuestionKind::Multiple);
        assert_eq!(multiple.correct(), [0, 2]);
        let truth = &pack.questions()[2];
        assert_eq!(truth.options()[0], LocalizedText::new("正确", "True"));
        assert_eq!(truth.options()[1], LocalizedText::new("错误", "False"));
        assert_eq!(truth.correct(), [1]);
        let id = QuestionId::parse("t-02").expect("id");
        assert_eq!(pack.question(&id), Some(multiple));
    }

    #[test]
    fn a_pack_round_trips_through_json_in_the_file_shape() {
        let pack = parse(&valid()).expect("valid");
        let json = serde_json::to_value(&pack).expect("serialise");
        assert!(json["questions"][2].get("options").is_none());
        assert_eq!(json["questions"][2]["answer"], false);
        assert_eq!(json["questions"][1]["answer"], json!([0, 2]));
        assert_eq!(json["questions"][1]["level"], "secondary");
        assert_eq!(json["levels"], json!(["secondary", "adult"]));
        let back: QuizPack = serde_json::from_value(json).expect("parse back");
        assert_eq!(back, pack);
    }

    #[test]
    fn levels_are_kept_youngest_first_and_filter_the_questions() {
        let pack = parse(&valid()).expect("valid");
        assert_eq!(pack.levels(), [Level::Secondary, Level::Adult]);
        assert!(!pack.offers(Level::Primary));
        assert!(pack.offers(Level::Secondary));
        let at = |level| {
            pack.questions_at(level)
                .map(|q| q.id().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(at(Level::Primary), ["t-01", "t-03", "t-05"]);
        assert_eq!(
            at(Level::Secondary),
            ["t-01", "t-02", "t-03", "t-04", "t-05"]
        );
        assert_eq!(at(Level::Adult).len(), 6);
        assert_eq!(pack.questions()[1].level(), Level::Secondary);
        assert!(!pack.questions()[5].playable_at(Level::Secondary));

        let primary = QuizPack::parse(
            &json!({
                "id": "primary-only",
                "version": 1,
                "title": text("小", "Small"),
                "description": text("小学", "Primary"),
                "levels": ["primary"],
                "questions": (1..=5).map(|i| statement(&format!("p-{i}"), "primary")).collect::<Vec<_>>()
            })
            .to_string(),
        )
        .expect("valid");
        let packs = [pack, primary];
        let listed = |level| {
            packs_at(&packs, level)
                .map(|p| p.id().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(listed(Level::Primary), ["primary-only"]);
        assert_eq!(listed(Level::Secondary), ["test-pack"]);
        assert_eq!(listed(Level::Adult), ["test-pack"]);
    }

    #[test]
    fn refuses_a_level_with_too_few_questions_naming_it() {
        let err = error_after(|v| v["levels"] = json!(["primary", "adult"]));
        assert_eq!(
            err,
            PackError::TooFewAtLevel {
                level: Level::Primary,
                playable: 3,
                min: MIN_QUESTIONS_PER_LEVEL
            }
        );
        assert_eq!(
            err.to_string(),
            "pack offers level primary but only 3 of its questions are playable there \
             (level primary or younger); it needs at least 5"
        );
        // One secondary question raised to adult leaves four at secondary.
        assert_eq!(
            error_after(|v| v["questions"][3]["level"] = json!("adult")),
            PackError::TooFewAtLevel {
                level: Level::Secondary,
                playable: 4,
                min: MIN_QUESTIONS_PER_LEVEL
            }
        );
    }

    #[test]
    fn refuses_missing_empty_repeated_or_unknown_levels() {
        assert_eq!(
            error_after(|v| v["levels"] = json!([])),
            PackError::NoLevels
        );
        assert_eq!(
            error_after(|v| v["levels"] = json!(["adult", "secondary", "adult"])),
            PackError::RepeatedLevel(Level::Adult)
        );
        let err = error_after(|v| {
            v.as_object_mut().expect("pack").remove("levels");
        });
        assert!(
            matches!(err, PackError::Json(ref m) if m.contains("levels")),
            "{err}"
        );
        let err = error_after(|v| {
            v["questions"][4]
                .as_object_mut()
                .expect("question")
                .remove("level");
        });
        assert!(
            matches!(err, PackError::Json(ref m) if m.contains("level")),
            "{err}"
        );
        let err = error_after(|v| v["questions"][0]["level"] = json!("university"));
        assert!(
            matches!(err, PackError::Json(ref m) if m.contains("university")),
            "{err}"
        );
    }

    #[test]
    fn ids_follow_the_rule() {
        for good in ["a", "water-quality", "wq-01", "2024", "a-b-c"] {
            assert!(PackId::parse(good).is_ok(), "{good}");
        }
        assert_eq!(PackId::parse(""), Err(IdError::Empty));
        assert_eq!(PackId::parse("Water"), Err(IdError::Character('W')));
        assert_eq!(PackId::parse("wq 01"), Err(IdError::Character(' ')));
        assert_eq!(PackId::parse("wq_01"), Err(IdError::Character('_')));
        assert_eq!(PackId::parse("水质"), Err(IdError::Character('水')));
        for hyphen in ["-a", "a-", "a--b"] {
            assert_eq!(PackId::parse(hyphen), Err(IdError::Hyphen), "{hyphen}");
        }
        let long = "a".repeat(MAX_ID_CHARS + 1);
        assert_eq!(
            QuestionId::parse(&long),
            Err(IdError::TooLong {
                max: MAX_ID_CHARS,
                actual: MAX_ID_CHARS + 1
            })
        );
        assert!(QuestionId::parse(&long[1..]).is_ok());
        assert!(serde_json::from_str::<QuestionId>("\"A1\"").is_err());
    }

    #[test]
    fn refuses_what_is_not_a_pack() {
        assert!(matches!(QuizPack::parse("{"), Err(PackError::Json(_))));
        assert!(matches!(QuizPack::parse("[]"), Err(PackError::Json(_))));
        let err = error_after(|v| {
            v.as_object_mut().expect("object").remove("version");
        });
        assert!(
            matches!(err, PackError::Json(ref m) if m.contains("version")),
            "{err}"
        );
        let err = error_after(|v| v["colour"] = json!("green"));
        assert!(
            matches!(err, PackError::Json(ref m) if m.contains("colour")),
            "{err}"
        );
        // A misspelt language key is an unknown field, not a silent blank.
        let err = error_after(|v| v["title"] = json!({ "zh_CN": "测试", "en": "Test" }));
        assert!(
            matches!(err, PackError::Json(ref m) if m.contains("zh_CN")),
            "{err}"
        );
        let err = error_after(|v| v["questions"][0]["answer"] = json!([-1]));
        assert!(matches!(err, PackError::Json(_)), "{err}");
        let err = error_after(|v| v["questions"][0]["kind"] = json!("essay"));
        assert!(matches!(err, PackError::Json(_)), "{err}");
    }

    #[test]
    fn refuses_a_bad_pack_id_version_or_text() {
        assert_eq!(
            error_after(|v| v["id"] = json!("Water Quality")),
            PackError::PackId {
                id: "Water Quality".into(),
                problem: IdError::Character('W')
            }
        );
        assert_eq!(
            error_after(|v| v["version"] = json!(0)),
            PackError::VersionZero
        );
        assert_eq!(
            error_after(|v| v["title"]["en"] = json!("  ")),
            PackError::BlankPackText {
                field: PackField::Title,
                language: Language::En
            }
        );
        assert_eq!(
            error_after(|v| v["description"] = json!({ "en": "Only English" })),
            PackError::BlankPackText {
                field: PackField::Description,
                language: Language::ZhCn
            }
        );
        assert_eq!(
            error_after(|v| v["questions"] = json!([])),
            PackError::NoQuestions
        );
    }

    #[test]
    fn refuses_a_duplicate_question_id() {
        let err = error_after(|v| v["questions"][2]["id"] = json!("t-01"));
        assert_eq!(
            err,
            PackError::Question {
                index: 2,
                id: "t-01".into(),
                problem: QuestionProblem::DuplicateId { first_index: 0 }
            }
        );
        assert_eq!(
            err.to_string(),
            "question \"t-01\" (number 3): the same id as question number 1"
        );
    }

    #[test]
    fn refuses_a_bad_question_id() {
        assert_eq!(
            problem_after(1, |v| v["questions"][1]["id"] = json!("T 2")),
            QuestionProblem::BadId(IdError::Character('T'))
        );
    }

    #[test]
    fn refuses_a_missing_or_blank_translation_anywhere_in_a_question() {
        let cases: [(&str, Option<usize>, QuestionField); 4] = [
            ("prompt", None, QuestionField::Prompt),
            ("options", Some(2), QuestionField::Option(2)),
            ("explanation", None, QuestionField::Explanation),
            ("source", None, QuestionField::Source),
        ];
        for (key, option, field) in cases {
            for (language, code) in [(Language::ZhCn, "zh-CN"), (Language::En, "en")] {
                for remove in [false, true] {
                    let problem = problem_after(0, |v| {
                        let text = match option {
                            Some(i) => &mut v["questions"][0][key][i],
                            None => &mut v["questions"][0][key],
                        };
                        let text = text.as_object_mut().expect("text");
                        if remove {
                            text.remove(code);
                        } else {
                            text.insert(code.into(), json!(" \n"));
                        }
                    });
                    assert_eq!(
                        problem,
                        QuestionProblem::BlankText { field, language },
                        "{key} {code} remove={remove}"
                    );
                }
            }
        }
    }

    #[test]
    fn refuses_too_few_too_many_or_repeated_options() {
        assert_eq!(
            problem_after(0, |v| {
                v["questions"][0]["options"] = json!([text("一", "One")]);
                v["questions"][0]["answer"] = json!([0]);
            }),
            QuestionProblem::TooFewOptions { count: 1, min: 2 }
        );
        assert_eq!(
            problem_after(0, |v| {
                v["questions"][0]
                    .as_object_mut()
                    .expect("question")
                    .remove("options");
            }),
            QuestionProblem::TooFewOptions { count: 0, min: 2 }
        );
        assert_eq!(
            problem_after(1, |v| {
                v["questions"][1]["options"] = json!([text("一", "One"), text("二", "Two")]);
                v["questions"][1]["answer"] = json!([0, 1]);
            }),
            QuestionProblem::TooFewOptions { count: 2, min: 3 }
        );
        let seven: Vec<Value> = (0..7)
            .map(|i| text(&format!("选项{i}"), &format!("Option {i}")))
            .collect();
        assert_eq!(
            problem_after(0, |v| v["questions"][0]["options"] = json!(seven)),
            QuestionProblem::TooManyOptions { count: 7, max: 6 }
        );
        assert_eq!(
            problem_after(0, |v| v["questions"][0]["options"][2] = text("三", "one ")),
            QuestionProblem::DuplicateOption {
                first: 0,
                second: 2,
                language: Language::En
            }
        );
        assert_eq!(
            problem_after(0, |v| v["questions"][0]["options"][1] = text("一", "Uno")),
            QuestionProblem::DuplicateOption {
                first: 0,
                second: 1,
                language: Language::ZhCn
            }
        );
    }

    #[test]
    fn refuses_no_correct_answer() {
        assert_eq!(
            problem_after(0, |v| v["questions"][0]["answer"] = json!([])),
            QuestionProblem::NoCorrectAnswer
        );
    }

    #[test]
    fn refuses_an_answer_out_of_range() {
        let err = error_after(|v| v["questions"][0]["answer"] = json!([3]));
        assert_eq!(
            err,
            PackError::Question {
                index: 0,
                id: "t-01".into(),
                problem: QuestionProblem::AnswerOutOfRange {
                    index: 3,
                    options: 3
                }
            }
        );
        assert_eq!(
            err.to_string(),
            "question \"t-01\" (number 1): answer 3 is out of range: the options are 0 to 2"
        );
    }

    #[test]
    fn refuses_a_repeated_answer() {
        assert_eq!(
            problem_after(1, |v| v["questions"][1]["answer"] = json!([0, 2, 0])),
            QuestionProblem::DuplicateAnswer { index: 0 }
        );
    }

    #[test]
    fn refuses_answer_counts_that_do_not_fit_the_kind() {
        assert_eq!(
            problem_after(0, |v| v["questions"][0]["answer"] = json!([0, 1])),
            QuestionProblem::SingleWithManyAnswers { count: 2 }
        );
        assert_eq!(
            problem_after(1, |v| v["questions"][1]["answer"] = json!([1])),
            QuestionProblem::MultipleWithOneAnswer
        );
        assert_eq!(
            problem_after(1, |v| v["questions"][1]["answer"] = json!([0, 1, 2])),
            QuestionProblem::AllOptionsCorrect
        );
    }

    #[test]
    fn true_false_questions_have_a_boolean_answer_and_no_options() {
        assert_eq!(
            problem_after(2, |v| {
                v["questions"][2]["options"] = json!([text("对", "Yes"), text("错", "No")]);
            }),
            QuestionProblem::TrueFalseWithOptions
        );
        assert_eq!(
            problem_after(2, |v| v["questions"][2]["answer"] = json!([0])),
            QuestionProblem::TrueFalseNeedsBoolean
        );
        assert_eq!(
            problem_after(0, |v| v["questions"][0]["answer"] = json!(true)),
            QuestionProblem::BooleanForChoice
        );
    }

    #[test]
    fn kind_codes_match_serde_and_instructions_are_filled() {
        for kind in QuestionKind::ALL {
            let json = serde_json::to_string(&kind).expect("serialise");
            assert_eq!(json, format!("\"{}\"", kind.code()));
            let text = kind.instruction();
            assert!(!text.zh_cn.is_empty() && !text.en.is_empty());
        }
    }
}

//! The Learn section's HTTP API: one definition for the app and the server.
//!
//! - `GET /api/v1/quiz/packs` ([`QUIZ_PACKS_ROUTE`]): 200 with a
//!   [`QuizPacksAnswer`], every pack in the file schema of
//!   `content/quiz/README.md`; `ETag` and `If-None-Match` (304) so an
//!   unchanged set costs nothing. The app reads it with
//!   [`QuizPacksAnswer::parse`], which keeps every valid pack and skips each
//!   invalid one on its own, then merges it into its bundled packs with
//!   [`merge_packs`](super::merge_packs) (a higher version wins).
//! - `PUT /api/v1/quiz/results/{result_id}` ([`QUIZ_RESULT_ROUTE`]), body
//!   [`QuizResultUpload`]: 201 the first time, 200 for the same content
//!   again (by [`QuizResultUpload::fingerprint`]), both with the same
//!   [`QuizResultReceipt`]; 409 for other content under the same id; 422
//!   with field errors when [`QuizResultUpload::validate`] refuses it.
//! - `GET /api/v1/staff/quiz/participation`
//!   ([`STAFF_QUIZ_PARTICIPATION_ROUTE`], operator or admin): a
//!   [`QuizParticipation`](super::QuizParticipation).
//!
//! A result carries no name, nickname, device id or answer text: only which
//! questions were missed and the score (participants may be children).

use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::Uuid;

use super::pack::{PackError, PackId, QuestionId, QuizPack};
use super::score::QuizResult;
use super::shuffle::PackChoice;
use crate::report::media::lower_hex;
use crate::report::{Field, FieldError, FieldErrors, SeenAt, UnixMillis};
use crate::LocalizedText;

/// `GET`: every pack the server offers.
pub const QUIZ_PACKS_ROUTE: &str = "/api/v1/quiz/packs";
/// `PUT`: one quiz result, in axum's pattern syntax.
pub const QUIZ_RESULT_ROUTE: &str = "/api/v1/quiz/results/{result_id}";
/// `GET` (staff): participation by event.
pub const STAFF_QUIZ_PARTICIPATION_ROUTE: &str = "/api/v1/staff/quiz/participation";

/// `PUT` here uploads result `id`.
pub fn quiz_result_path(id: QuizResultId) -> String {
    format!("/api/v1/quiz/results/{id}")
}

/// The `pack` of a result drawn from every pack ([`PackChoice::Mixed`]).
/// No pack may have this id.
pub const MIXED_PACK: &str = "mixed";
/// The most questions a result may count.
pub const MAX_QUIZ_TOTAL: u8 = 50;
/// The longest event name, in characters after trimming.
pub const MAX_EVENT_NAME_CHARS: usize = 80;

// ----- packs -----

/// The answer of `GET /api/v1/quiz/packs`. Each pack serialises in the file
/// schema of `content/quiz/README.md`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuizPacksAnswer {
    pub packs: Vec<QuizPack>,
}

/// What [`QuizPacksAnswer::parse`] read: the valid packs in answer order,
/// and each one it skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedPacks {
    pub packs: Vec<QuizPack>,
    pub skipped: Vec<SkippedPack>,
}

/// A pack of the answer that [`QuizPack::parse`]'s rules refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("pack {index} ({}): {error}", .id.as_deref().unwrap_or("no id"))]
pub struct SkippedPack {
    /// Its place in the answer's `packs`, from 0.
    pub index: usize,
    /// Its `id` when it has a string there, checked or not.
    pub id: Option<String>,
    pub error: PackError,
}

#[derive(Deserialize)]
struct PacksAnswerWire {
    packs: Vec<serde_json::Value>,
}

impl QuizPacksAnswer {
    /// Reads an answer: an error only when the body is not
    /// `{"packs": [...]}`; each element is then checked on its own with the
    /// rules of [`QuizPack::parse`], so one bad pack never drops the others.
    pub fn parse(json: &str) -> Result<ReceivedPacks, serde_json::Error> {
        let wire: PacksAnswerWire = serde_json::from_str(json)?;
        let mut received = ReceivedPacks {
            packs: Vec::with_capacity(wire.packs.len()),
            skipped: Vec::new(),
        };
        for (index, value) in wire.packs.into_iter().enumerate() {
            let id = value
                .get("id")
                .and_then(|id| id.as_str())
                .map(str::to_owned);
            match QuizPack::from_value(value) {
                Ok(pack) => received.packs.push(pack),
                Err(error) => received.skipped.push(SkippedPack { index, id, error }),
            }
        }
        Ok(received)
    }
}

// ----- ids and names -----

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(uuid: Uuid) -> Self {
                $name(uuid)
            }

            pub const fn as_uuid(&self) -> &Uuid {
                &self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(uuid: Uuid) -> Self {
                $name(uuid)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map($name)
            }
        }
    };
}

uuid_id!(
    /// One quiz result, from the moment the quiz ends: a UUID (v4) made on
    /// the device, so uploading it again is harmless.
    QuizResultId
);
uuid_id!(
    /// One community event or classroom session: a UUID made by whoever
    /// sets it up, shared with every participant's device with its name.
    EventId
);

/// An event's name as shown to staff, e.g. `世界环境日·西湖社区`: trimmed,
/// 1 to [`MAX_EVENT_NAME_CHARS`] characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EventName(String);

/// Why an event name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EventNameError {
    #[error("blank")]
    Blank,
    #[error("{actual} characters, at most {max}")]
    TooLong { max: usize, actual: usize },
    #[error("contains a control character")]
    ControlCharacter,
}

impl EventName {
    /// Trims `raw` and checks it.
    pub fn parse(raw: &str) -> Result<EventName, EventNameError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(EventNameError::Blank);
        }
        let actual = name.chars().count();
        if actual > MAX_EVENT_NAME_CHARS {
            return Err(EventNameError::TooLong {
                max: MAX_EVENT_NAME_CHARS,
                actual,
            });
        }
        if name.chars().any(char::is_control) {
            return Err(EventNameError::ControlCharacter);
        }
        Ok(EventName(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for EventName {
    type Error = EventNameError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        EventName::parse(&raw)
    }
}

impl From<EventName> for String {
    fn from(name: EventName) -> String {
        name.0
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl EventNameError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            EventNameError::Blank => {
                LocalizedText::new("请填写活动名称。", "Give the event a name.")
            }
            EventNameError::TooLong { max, .. } => LocalizedText::new(
                format!("活动名称最多 {max} 个字。"),
                format!("The event name can have at most {max} characters."),
            ),
            EventNameError::ControlCharacter => LocalizedText::new(
                "活动名称只能有一行文字。",
                "The event name must be a single line of text.",
            ),
        }
    }
}

/// A checked event: the one a result was played at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuizEvent {
    pub id: EventId,
    pub name: EventName,
}

/// Played alone, or as part of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuizMode {
    Solo,
    Event,
}

impl QuizMode {
    pub fn code(self) -> &'static str {
        match self {
            QuizMode::Solo => "solo",
            QuizMode::Event => "event",
        }
    }

    /// The stored code back; `None` for anything else.
    pub fn from_code(code: &str) -> Option<QuizMode> {
        [QuizMode::Solo, QuizMode::Event]
            .into_iter()
            .find(|mode| mode.code() == code)
    }
}

/// The `pack` of a result: [`MIXED_PACK`] or the pack's id.
pub fn pack_code(choice: &PackChoice) -> &str {
    match choice {
        PackChoice::Mixed => MIXED_PACK,
        PackChoice::One(id) => id.as_str(),
    }
}

// ----- a result -----

/// `event` of a [`QuizResultUpload`] as sent, checked by
/// [`QuizResultUpload::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizEventUpload {
    /// A UUID.
    pub id: String,
    /// 1 to [`MAX_EVENT_NAME_CHARS`] characters once trimmed.
    pub name: String,
}

/// The body of `PUT /api/v1/quiz/results/{result_id}`: one finished quiz.
///
/// **No nickname, name or device id is ever sent**: participants may be
/// children, and the bureau needs only how an event went. The score and the
/// ids of the questions missed are all it learns.
///
/// Fields are as sent (ids as strings) so that [`QuizResultUpload::validate`]
/// can name each one that breaks a rule; a field of the wrong JSON type, a
/// missing one or an unknown one makes the body unreadable (422 without
/// field details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizResultUpload {
    /// The event played at; `null` for a solo quiz.
    pub event: Option<QuizEventUpload>,
    /// [`MIXED_PACK`] or a pack id.
    pub pack: String,
    /// How many were answered right: at most `total`.
    pub correct: u8,
    /// How many questions: 1 to [`MAX_QUIZ_TOTAL`].
    pub total: u8,
    /// The ids of the questions answered wrong or not at all: valid question
    /// ids, none twice, at most `total - correct`.
    pub missed: Vec<String>,
    /// When the quiz ended, on the device's clock: from 2000-01-01 until at
    /// most [`SeenAt::CLOCK_SKEW_MS`] after the server's now.
    pub finished_at: UnixMillis,
    /// `event` exactly when `event` is given.
    pub mode: QuizMode,
}

/// A result that passed [`QuizResultUpload::validate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidQuizResult {
    event: Option<QuizEvent>,
    pack: PackChoice,
    correct: u8,
    total: u8,
    missed: Vec<QuestionId>,
    finished_at: UnixMillis,
}

/// The version tag that starts the canonical form behind
/// [`QuizResultUpload::fingerprint`].
pub const QUIZ_RESULT_FORM_VERSION: &str = "greenwatch/quiz-result/1";

fn field_error(field: Field, zh_cn: impl Into<String>, en: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: LocalizedText::new(zh_cn, en),
    }
}

impl QuizResultUpload {
    /// The upload for a scored quiz: `missed` is the ids of the questions
    /// missed, in quiz order, each once; `mode` follows `event`. Counts over
    /// 255 are capped (and refused by [`QuizResultUpload::validate`]).
    pub fn from_result(
        result: &QuizResult,
        pack: &PackChoice,
        event: Option<&QuizEvent>,
        finished_at: UnixMillis,
    ) -> QuizResultUpload {
        let count = |n: usize| u8::try_from(n).unwrap_or(u8::MAX);
        let mut seen = HashSet::new();
        let missed = result
            .missed()
            .filter(|outcome| seen.insert(&outcome.question))
            .map(|outcome| outcome.question.to_string())
            .collect();
        QuizResultUpload {
            event: event.map(|event| QuizEventUpload {
                id: event.id.to_string(),
                name: event.name.to_string(),
            }),
            pack: pack_code(pack).to_owned(),
            correct: count(result.correct()),
            total: count(result.total()),
            missed,
            finished_at,
            mode: if event.is_some() {
                QuizMode::Event
            } else {
                QuizMode::Solo
            },
        }
    }

    /// Every rule at once, `now` being the server's clock (the app may check
    /// with its own before sending). On failure, one error per field, in
    /// [`Field`] order, named by JSON path (`event.id`, `event.name`, `pack`,
    /// `correct`, `total`, `missed`, `finished_at`, `mode`).
    pub fn validate(&self, now: UnixMillis) -> Result<ValidQuizResult, FieldErrors> {
        let mut errors = Vec::new();

        let event = match &self.event {
            None => None,
            Some(event) => {
                let id = event.id.parse::<EventId>().map_err(|_| {
                    field_error(
                        Field::QuizEventId,
                        "活动编号无效，请重新加入活动。",
                        "The event id is not valid. Join the event again.",
                    )
                });
                let name = EventName::parse(&event.name).map_err(|error| FieldError {
                    field: Field::QuizEventName,
                    message: error.message(),
                });
                match (id, name) {
                    (Ok(id), Ok(name)) => Some(QuizEvent { id, name }),
                    (id, name) => {
                        errors.extend(id.err());
                        errors.extend(name.err());
                        None
                    }
                }
            }
        };

        let pack = if self.pack == MIXED_PACK {
            Some(PackChoice::Mixed)
        } else {
            match PackId::parse(&self.pack) {
                Ok(id) => Some(PackChoice::One(id)),
                Err(_) => {
                    errors.push(field_error(
                        Field::QuizPack,
                        "题库编号无效。",
                        "The quiz pack id is not valid.",
                    ));
                    None
                }
            }
        };

        let total_ok = (1..=MAX_QUIZ_TOTAL).contains(&self.total);
        if !total_ok {
            errors.push(field_error(
                Field::QuizTotal,
                format!("题目数量必须在 1 到 {MAX_QUIZ_TOTAL} 之间。"),
                format!("The number of questions must be 1 to {MAX_QUIZ_TOTAL}."),
            ));
        }
        let correct_ok = self.correct <= self.total;
        if !correct_ok {
            errors.push(field_error(
                Field::QuizCorrect,
                "答对的题数不能多于题目总数。",
                "More answers right than questions.",
            ));
        }

        let mut missed = Vec::with_capacity(self.missed.len());
        let mut missed_error = None;
        for raw in &self.missed {
            match QuestionId::parse(raw) {
                Ok(id) if missed.contains(&id) => {
                    missed_error.get_or_insert((
                        format!("错题 {raw} 重复出现。"),
                        format!("Missed question {raw:?} is listed twice."),
                    ));
                }
                Ok(id) => missed.push(id),
                Err(_) => {
                    missed_error.get_or_insert((
                        "错题编号无效。".to_owned(),
                        format!("Missed question id {raw:?} is not valid."),
                    ));
                }
            }
        }
        let wrong = self.total.saturating_sub(self.correct);
        if missed_error.is_none() && correct_ok && self.missed.len() > usize::from(wrong) {
            missed_error = Some((
                format!("错题有 {} 道，但答错的只有 {wrong} 道。", self.missed.len()),
                format!(
                    "{} missed questions listed, but only {wrong} were not answered right.",
                    self.missed.len()
                ),
            ));
        }
        if let Some((zh_cn, en)) = missed_error {
            errors.push(field_error(Field::QuizMissed, zh_cn, en));
        }

        if let Err(error) = SeenAt::parse(self.finished_at, now) {
            let message = match error {
                crate::report::SeenAtError::TooOld => (
                    "完成时间不能早于 2000 年 1 月 1 日，请检查设备时钟。",
                    "The finishing time cannot be before 1 January 2000. Check the device's clock.",
                ),
                _ => (
                    "完成时间不能晚于现在，请检查设备时钟。",
                    "The finishing time cannot be in the future. Check the device's clock.",
                ),
            };
            errors.push(field_error(Field::QuizFinishedAt, message.0, message.1));
        }

        match (self.mode, self.event.is_some()) {
            (QuizMode::Event, false) => errors.push(field_error(
                Field::QuizMode,
                "活动模式的成绩必须注明活动。",
                "A result in event mode must name its event.",
            )),
            (QuizMode::Solo, true) => errors.push(field_error(
                Field::QuizMode,
                "个人模式的成绩不能注明活动。",
                "A solo result cannot name an event.",
            )),
            _ => {}
        }

        match pack {
            Some(pack) if errors.is_empty() => Ok(ValidQuizResult {
                event,
                pack,
                correct: self.correct,
                total: self.total,
                missed,
                finished_at: self.finished_at,
            }),
            _ => Err(FieldErrors::from_unsorted(errors)),
        }
    }

    /// What the server decides "same content" by: the SHA-256, in lowercase
    /// hex, of every field written out in a fixed order (not JSON, so it
    /// stays stable when serialisers change; changing the form means a new
    /// [`QUIZ_RESULT_FORM_VERSION`]). Each line is `name=` then `-` for an
    /// absent value or `<length in bytes>:<value>`.
    pub fn fingerprint(&self) -> String {
        use crate::canonical::field;
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(QUIZ_RESULT_FORM_VERSION.as_bytes());
        out.push(b'\n');
        let o = &mut out;
        field(o, "event_id", self.event.as_ref().map(|e| e.id.as_str()));
        field(
            o,
            "event_name",
            self.event.as_ref().map(|e| e.name.as_str()),
        );
        field(o, "pack", Some(&self.pack));
        field(o, "correct", Some(&self.correct.to_string()));
        field(o, "total", Some(&self.total.to_string()));
        field(o, "missed", Some(&self.missed.len().to_string()));
        for id in &self.missed {
            field(o, "missed_id", Some(id));
        }
        field(o, "finished_at", Some(&self.finished_at.0.to_string()));
        field(o, "mode", Some(self.mode.code()));
        lower_hex(&Sha256::digest(out))
    }
}

impl ValidQuizResult {
    /// The event played at; `None` for a solo quiz.
    pub fn event(&self) -> Option<&QuizEvent> {
        self.event.as_ref()
    }

    pub fn mode(&self) -> QuizMode {
        if self.event.is_some() {
            QuizMode::Event
        } else {
            QuizMode::Solo
        }
    }

    pub fn pack(&self) -> &PackChoice {
        &self.pack
    }

    /// At most [`ValidQuizResult::total`].
    pub fn correct(&self) -> u8 {
        self.correct
    }

    /// 1 to [`MAX_QUIZ_TOTAL`].
    pub fn total(&self) -> u8 {
        self.total
    }

    /// Unique; at most `total - correct`.
    pub fn missed(&self) -> &[QuestionId] {
        &self.missed
    }

    pub fn finished_at(&self) -> UnixMillis {
        self.finished_at
    }

    /// The body that validates back to this result.
    pub fn to_upload(&self) -> QuizResultUpload {
        QuizResultUpload {
            event: self.event.as_ref().map(|event| QuizEventUpload {
                id: event.id.to_string(),
                name: event.name.to_string(),
            }),
            pack: pack_code(&self.pack).to_owned(),
            correct: self.correct,
            total: self.total,
            missed: self.missed.iter().map(ToString::to_string).collect(),
            finished_at: self.finished_at,
            mode: self.mode(),
        }
    }
}

/// The answer to a result upload, the same on every repeat: `received_at`
/// is when the server first stored it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResultReceipt {
    pub result_id: QuizResultId,
    pub received_at: UnixMillis,
}

#[cfg(test)]
mod tests;

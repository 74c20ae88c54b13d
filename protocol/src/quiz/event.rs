//! Class and event mode: one device passed from person to person.
//!
//! The leader (a teacher, an outreach worker) sets the event up
//! ([`EventSettings`]); each participant types a [`Nickname`], plays, and
//! leaves a [`ParticipantScore`]. From the scores come the
//! [`leaderboard`], the [`EventSummary`] and the CSV export ([`to_csv`]).
//!
//! Nicknames stay on the device: what the server receives for an event
//! (`wire::QuizResultUpload`) never names anyone.

use serde::{Deserialize, Serialize};

use super::level::Level;
use super::pack::QuestionId;
use super::shuffle::PackChoice;
use super::wire::EventName;
use crate::calendar::china_time;
use crate::report::UnixMillis;
use crate::{LocalizedStr, LocalizedText};

/// The most characters a nickname may have.
pub const MAX_NICKNAME_CHARS: usize = 20;
/// The most questions an event's quiz may have.
pub const MAX_EVENT_QUESTIONS: usize = 20;
/// The shortest and longest time a leader may give per question, in seconds.
pub const SECONDS_PER_QUESTION: std::ops::RangeInclusive<u32> = 5..=300;

/// Why a value the leader or a participant typed was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EventInputError {
    #[error("empty")]
    Empty,
    #[error("too long")]
    TooLong,
    #[error("contains control characters")]
    ControlCharacters,
    #[error("question count out of range")]
    QuestionCount,
    #[error("time per question out of range")]
    Seconds,
    #[error("a leader code is 4 to 8 digits")]
    LeaderCode,
}

impl EventInputError {
    /// What to tell the person.
    pub fn message(self) -> LocalizedStr {
        match self {
            EventInputError::Empty => LocalizedStr::new("请填写此项。", "Please fill this in."),
            EventInputError::TooLong => LocalizedStr::new("太长了。", "This is too long."),
            EventInputError::ControlCharacters => LocalizedStr::new(
                "含有不能使用的字符。",
                "This contains characters that cannot be used.",
            ),
            EventInputError::QuestionCount => LocalizedStr::new(
                "题目数量须在 1 到 20 之间。",
                "The number of questions must be from 1 to 20.",
            ),
            EventInputError::Seconds => LocalizedStr::new(
                "每题时间须在 5 到 300 秒之间，或不限时。",
                "The time per question must be from 5 to 300 seconds, or none.",
            ),
            EventInputError::LeaderCode => LocalizedStr::new(
                "组织者密码须为 4 到 8 位数字。",
                "The leader code must be 4 to 8 digits.",
            ),
        }
    }
}

fn short_text(raw: &str, max: usize) -> Result<String, EventInputError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(EventInputError::Empty);
    }
    if text.chars().any(char::is_control) {
        return Err(EventInputError::ControlCharacters);
    }
    if text.chars().count() > max {
        return Err(EventInputError::TooLong);
    }
    Ok(text.to_owned())
}

/// A participant's nickname: 1–20 characters, trimmed. Never sent anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nickname(String);

impl Nickname {
    pub fn parse(raw: &str) -> Result<Nickname, EventInputError> {
        short_text(raw, MAX_NICKNAME_CHARS).map(Nickname)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Nickname {
    type Error = EventInputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Nickname::parse(&raw)
    }
}

impl From<Nickname> for String {
    fn from(name: Nickname) -> String {
        name.0
    }
}

/// The digits the leader types to leave event mode, so a participant
/// cannot wander off into the rest of the app. Kept on the device only; it
/// guards against a curious child, not an attacker with the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LeaderCode(String);

impl LeaderCode {
    pub fn parse(raw: &str) -> Result<LeaderCode, EventInputError> {
        let code = raw.trim();
        if (4..=8).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit()) {
            Ok(LeaderCode(code.to_owned()))
        } else {
            Err(EventInputError::LeaderCode)
        }
    }

    /// Whether `typed` is this code.
    pub fn matches(&self, typed: &str) -> bool {
        typed.trim() == self.0
    }
}

impl TryFrom<String> for LeaderCode {
    type Error = EventInputError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        LeaderCode::parse(&raw)
    }
}

impl From<LeaderCode> for String {
    fn from(code: LeaderCode) -> String {
        code.0
    }
}

/// What the leader chose for an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSettings {
    pub name: EventName,
    pub choice: PackChoice,
    /// The audience: only questions playable there are drawn. Settings
    /// stored before levels existed read as [`Level::everything`].
    #[serde(default = "Level::everything")]
    pub level: Level,
    /// 1 to [`MAX_EVENT_QUESTIONS`].
    pub questions: usize,
    /// `None`: no time limit.
    pub seconds_per_question: Option<u32>,
}

impl EventSettings {
    /// Checks the leader's choices as typed into the form.
    pub fn parse(
        name: &str,
        choice: PackChoice,
        level: Level,
        questions: &str,
        seconds: &str,
    ) -> Result<EventSettings, Vec<(EventField, LocalizedText)>> {
        let mut errors = Vec::new();
        let name = EventName::parse(name).map_err(|e| errors.push((EventField::Name, e.message())));
        let questions = questions
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_EVENT_QUESTIONS).contains(n))
            .ok_or(EventInputError::QuestionCount)
            .map_err(|e| errors.push((EventField::Questions, e.message().to_owned_text())));
        let seconds = match seconds.trim() {
            "" | "0" => Ok(None),
            raw => raw
                .parse::<u32>()
                .ok()
                .filter(|s| SECONDS_PER_QUESTION.contains(s))
                .map(Some)
                .ok_or(EventInputError::Seconds)
                .map_err(|e| errors.push((EventField::Seconds, e.message().to_owned_text()))),
        };
        match (name, questions, seconds) {
            (Ok(name), Ok(questions), Ok(seconds_per_question)) => Ok(EventSettings {
                name,
                choice,
                level,
                questions,
                seconds_per_question,
            }),
            _ => Err(errors),
        }
    }
}

/// The fields of the event form, to place an error beside the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventField {
    Name,
    Questions,
    Seconds,
}

/// One participant's finished quiz, as the device keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantScore {
    pub nickname: Nickname,
    pub correct: usize,
    pub total: usize,
    /// The questions answered wrong or not at all.
    pub missed: Vec<QuestionId>,
    pub finished_at: UnixMillis,
}

impl ParticipantScore {
    /// 0 to 100, rounded down.
    pub fn percent(&self) -> usize {
        (self.correct * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// A row of the leaderboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing<'a> {
    /// From 1; equal scores share a rank ("1, 2, 2, 4").
    pub rank: usize,
    pub score: &'a ParticipantScore,
}

/// The participants, best first: more right answers first; between equal
/// scores, who finished first.
pub fn leaderboard(scores: &[ParticipantScore]) -> Vec<Standing<'_>> {
    let mut sorted: Vec<&ParticipantScore> = scores.iter().collect();
    sorted.sort_by(|a, b| {
        (b.correct * a.total.max(1))
            .cmp(&(a.correct * b.total.max(1)))
            .then(a.finished_at.cmp(&b.finished_at))
    });
    let mut standings: Vec<Standing<'_>> = Vec::with_capacity(sorted.len());
    for (i, score) in sorted.into_iter().enumerate() {
        let rank = match standings.last() {
            Some(last)
                if last.score.correct * score.total.max(1)
                    == score.correct * last.score.total.max(1) =>
            {
                last.rank
            }
            _ => i + 1,
        };
        standings.push(Standing { rank, score });
    }
    standings
}

/// How the event went, for the leader's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSummary {
    pub participants: usize,
    /// The mean of the participants' percentages, rounded to the nearest
    /// whole number; 0 with nobody.
    pub average_percent: usize,
    /// The questions missed most often, most first (ties by id), at most
    /// [`MOST_MISSED`], with how many missed each.
    pub most_missed: Vec<(QuestionId, usize)>,
}

/// How many "most missed" questions the summary lists.
pub const MOST_MISSED: usize = 5;

pub fn summarize(scores: &[ParticipantScore]) -> EventSummary {
    let participants = scores.len();
    let sum: usize = scores.iter().map(ParticipantScore::percent).sum();
    let average_percent = (sum * 2 + participants)
        .checked_div(participants * 2)
        .unwrap_or(0);
    let mut counts: std::collections::BTreeMap<&QuestionId, usize> = Default::default();
    for score in scores {
        for question in &score.missed {
            *counts.entry(question).or_default() += 1;
        }
    }
    let mut most_missed: Vec<(QuestionId, usize)> =
        counts.into_iter().map(|(q, n)| (q.clone(), n)).collect();
    most_missed.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    most_missed.truncate(MOST_MISSED);
    EventSummary {
        participants,
        average_percent,
        most_missed,
    }
}

/// The CSV's column names, in both languages so a spreadsheet in either
/// language reads them.
pub const CSV_HEADER: [&str; 6] = [
    "名次 Rank",
    "昵称 Nickname",
    "答对 Correct",
    "题数 Questions",
    "得分 Percent",
    "完成时间 Finished (UTC+8)",
];

/// The leaderboard as CSV (RFC 4180, CRLF line ends), with a UTF-8 byte
/// order mark so spreadsheet programs read the Chinese right.
///
/// A nickname is whatever a participant typed: one that begins like a
/// formula (`=`, `+`, `-`, `@`, tab, carriage return) gets a leading `'` so a
/// spreadsheet shows it as text instead of running it.
pub fn to_csv(scores: &[ParticipantScore]) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, CSV_HEADER.iter().map(|s| (*s).to_owned()));
    for standing in leaderboard(scores) {
        let score = standing.score;
        push_row(
            &mut out,
            [
                standing.rank.to_string(),
                defuse(score.nickname.as_str()),
                score.correct.to_string(),
                score.total.to_string(),
                score.percent().to_string(),
                china_time(score.finished_at),
            ],
        );
    }
    out
}

fn push_row(out: &mut String, fields: impl IntoIterator<Item = String>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&field);
        }
    }
    out.push_str("\r\n");
}

fn defuse(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// A best score kept per pack choice on the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BestScore {
    pub correct: usize,
    pub total: usize,
}

impl BestScore {
    pub fn percent(self) -> usize {
        (self.correct * 100).checked_div(self.total).unwrap_or(0)
    }

    /// The best of a kept score and a new one: the higher share right; on a
    /// tie, the longer quiz.
    pub fn best(kept: Option<BestScore>, new: BestScore) -> BestScore {
        match kept {
            Some(kept)
                if kept.correct * new.total.max(1) > new.correct * kept.total.max(1)
                    || (kept.correct * new.total.max(1) == new.correct * kept.total.max(1)
                        && kept.total >= new.total) =>
            {
                kept
            }
            _ => new,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(
        name: &str,
        correct: usize,
        total: usize,
        at: i64,
        missed: &[&str],
    ) -> ParticipantScore {
        ParticipantScore {
            nickname: Nickname::parse(name).expect("nickname"),
            correct,
            total,
            missed: missed
                .iter()
                .map(|id| QuestionId::parse(id).expect("id"))
                .collect(),
            finished_at: UnixMillis::new(at),
        }
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(Nickname::parse("  小明 ").expect("ok").as_str(), "小明");
        assert_eq!(Nickname::parse("   "), Err(EventInputError::Empty));
        assert_eq!(
            Nickname::parse(&"长".repeat(21)),
            Err(EventInputError::TooLong)
        );
        assert!(Nickname::parse(&"长".repeat(20)).is_ok());
        assert_eq!(
            Nickname::parse("a\u{7}b"),
            Err(EventInputError::ControlCharacters)
        );
        // Stored names are checked again when read back.
        assert!(serde_json::from_str::<Nickname>("\"\"").is_err());
    }

    #[test]
    fn event_settings_report_every_bad_field() {
        let choice = PackChoice::Mixed;
        let ok =
            EventSettings::parse("六一班", choice.clone(), Level::Primary, "5", "30").expect("ok");
        assert_eq!(ok.questions, 5);
        assert_eq!(ok.seconds_per_question, Some(30));
        let untimed =
            EventSettings::parse("六一班", choice.clone(), Level::Primary, "20", "").expect("ok");
        assert_eq!(untimed.seconds_per_question, None);
        let errors =
            EventSettings::parse(" ", choice.clone(), Level::Primary, "21", "4").expect_err("bad");
        let fields: Vec<EventField> = errors.iter().map(|(field, _)| *field).collect();
        assert_eq!(
            fields,
            vec![EventField::Name, EventField::Questions, EventField::Seconds]
        );
        assert_eq!(
            errors[1].1,
            EventInputError::QuestionCount.message().to_owned_text()
        );
        assert!(EventSettings::parse("a", choice.clone(), Level::Adult, "0", "").is_err());
        assert!(EventSettings::parse("a", choice.clone(), Level::Adult, "x", "").is_err());
        assert!(EventSettings::parse("a", choice, Level::Adult, "3", "301").is_err());
    }

    #[test]
    fn event_settings_keep_their_level_and_old_ones_read_as_everything() {
        let settings =
            EventSettings::parse("六一班", PackChoice::Mixed, Level::Primary, "5", "").expect("ok");
        assert_eq!(settings.level, Level::Primary);
        let json = serde_json::to_value(&settings).expect("serialise");
        assert_eq!(json["level"], "primary");
        let back: EventSettings = serde_json::from_value(json.clone()).expect("read back");
        assert_eq!(back, settings);
        // A record stored before levels existed has no "level".
        let mut old = json;
        old.as_object_mut().expect("object").remove("level");
        let old: EventSettings = serde_json::from_value(old).expect("old record");
        assert_eq!(old.level, Level::Adult);
    }

    #[test]
    fn leader_codes_are_four_to_eight_digits() {
        let code = LeaderCode::parse(" 2468 ").expect("ok");
        assert!(code.matches("2468"));
        assert!(!code.matches("2469"));
        for bad in ["", "123", "123456789", "12a4", "１２３４"] {
            assert_eq!(
                LeaderCode::parse(bad),
                Err(EventInputError::LeaderCode),
                "{bad}"
            );
        }
    }

    #[test]
    fn the_leaderboard_ranks_by_score_then_time_and_shares_ranks() {
        let scores = vec![
            score("c", 2, 3, 30, &[]),
            score("a", 3, 3, 20, &[]),
            score("b", 2, 3, 10, &[]),
            score("d", 0, 3, 5, &[]),
        ];
        let board = leaderboard(&scores);
        let rows: Vec<(usize, &str)> = board
            .iter()
            .map(|s| (s.rank, s.score.nickname.as_str()))
            .collect();
        assert_eq!(rows, vec![(1, "a"), (2, "b"), (2, "c"), (4, "d")]);
    }

    #[test]
    fn the_summary_counts_participants_average_and_most_missed() {
        let scores = vec![
            score("a", 3, 3, 1, &[]),
            score("b", 1, 3, 2, &["q-2", "q-1"]),
            score("c", 2, 3, 3, &["q-2"]),
        ];
        let summary = summarize(&scores);
        assert_eq!(summary.participants, 3);
        // (100 + 33 + 66) / 3 = 66.3
        assert_eq!(summary.average_percent, 66);
        let missed: Vec<(&str, usize)> = summary
            .most_missed
            .iter()
            .map(|(q, n)| (q.as_str(), *n))
            .collect();
        assert_eq!(missed, vec![("q-2", 2), ("q-1", 1)]);
        assert_eq!(summarize(&[]).average_percent, 0);
    }

    #[test]
    fn csv_has_a_header_a_row_each_and_defused_formulas() {
        let scores = vec![
            score("=HYPERLINK(\"x\")", 1, 2, 0, &["q-1"]),
            score("王, 芳", 2, 2, 86_400_000, &[]),
        ];
        let csv = to_csv(&scores);
        assert!(csv.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(lines.len(), 4, "{csv}");
        assert_eq!(lines[0], CSV_HEADER.join(","));
        assert_eq!(lines[1], "1,\"王, 芳\",2,2,100,1970-01-02 08:00");
        assert_eq!(
            lines[2],
            "2,\"'=HYPERLINK(\"\"x\"\")\",1,2,50,1970-01-01 08:00"
        );
        assert_eq!(lines[3], "");
    }

    #[test]
    fn the_best_score_keeps_the_higher_share() {
        let best = |kept, new| BestScore::best(kept, new);
        let s = |correct, total| BestScore { correct, total };
        assert_eq!(best(None, s(3, 10)), s(3, 10));
        assert_eq!(best(Some(s(8, 10)), s(7, 10)), s(8, 10));
        assert_eq!(best(Some(s(7, 10)), s(9, 10)), s(9, 10));
        assert_eq!(best(Some(s(5, 5)), s(10, 10)), s(10, 10));
        assert_eq!(best(Some(s(10, 10)), s(5, 5)), s(10, 10));
    }
}

//! The case a report becomes on the server: its number and its timeline.
//!
//! `GET /api/v1/cases/{case_number}` with the report's receipt answers a
//! [`Timeline`]; its last event gives the case's [`CaseStatus`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::report::UnixMillis;
use crate::staff::{CaseReward, RewardAmount, RewardState};
use crate::{LocalizedStr, LocalizedText};

/// A case's human-readable number, `GW-YYYY-NNNNNN`: the year it was opened
/// and its place in that year's sequence (from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber {
    year: u16,
    sequence: u32,
}

/// Why a case number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum CaseNumberError {
    #[error("not of the form GW-YYYY-NNNNNN")]
    Malformed,
    #[error("year {0} outside 2000..=9999")]
    YearOutOfRange(u16),
    #[error("sequence {0} outside 1..=999999")]
    SequenceOutOfRange(u32),
}

impl CaseNumber {
    pub const PREFIX: &'static str = "GW";
    pub const FIRST_YEAR: u16 = 2000;
    pub const LAST_YEAR: u16 = 9999;
    /// Six digits: the most cases one year can open.
    pub const MAX_SEQUENCE: u32 = 999_999;

    /// The `sequence`th case of `year` (both checked).
    /// China Standard Time (UTC+8, no daylight saving): case years turn at
    /// midnight in China, so `GW-2027-000001` is the first case after
    /// midnight of 1 January in Beijing.
    pub const YEAR_ZONE_OFFSET_MS: i64 = 8 * 3_600_000;

    /// The year a case created at `at` is numbered in.
    pub fn year_at(at: UnixMillis) -> i64 {
        civil_year(at.0.saturating_add(Self::YEAR_ZONE_OFFSET_MS))
    }

    pub fn new(year: u16, sequence: u32) -> Result<CaseNumber, CaseNumberError> {
        if !(Self::FIRST_YEAR..=Self::LAST_YEAR).contains(&year) {
            return Err(CaseNumberError::YearOutOfRange(year));
        }
        if !(1..=Self::MAX_SEQUENCE).contains(&sequence) {
            return Err(CaseNumberError::SequenceOutOfRange(sequence));
        }
        Ok(CaseNumber { year, sequence })
    }

    /// Reads `GW-2026-000123`. Surrounding whitespace and a lowercase `gw`
    /// are accepted (people copy and type these); the digits must be
    /// exactly 4 and 6.
    pub fn parse(raw: &str) -> Result<CaseNumber, CaseNumberError> {
        let raw = raw.trim();
        let mut parts = raw.split('-');
        let (Some(prefix), Some(year), Some(sequence), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CaseNumberError::Malformed);
        };
        let digits = |text: &str, len: usize| {
            (text.len() == len && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse::<u32>().ok())
                .flatten()
        };
        if !prefix.eq_ignore_ascii_case(Self::PREFIX) {
            return Err(CaseNumberError::Malformed);
        }
        let (Some(year), Some(sequence)) = (digits(year, 4), digits(sequence, 6)) else {
            return Err(CaseNumberError::Malformed);
        };
        CaseNumber::new(year as u16, sequence)
    }

    pub fn year(self) -> u16 {
        self.year
    }

    pub fn sequence(self) -> u32 {
        self.sequence
    }
}

impl CaseNumberError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        LocalizedText::new(
            "案件编号的格式应为 GW-2026-000123。",
            "A case number looks like GW-2026-000123.",
        )
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:04}-{:06}", Self::PREFIX, self.year, self.sequence)
    }
}

impl FromStr for CaseNumber {
    type Err = CaseNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseNumber::parse(s)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = CaseNumberError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        CaseNumber::parse(&raw)
    }
}

impl From<CaseNumber> for String {
    fn from(number: CaseNumber) -> Self {
        number.to_string()
    }
}

/// What happened to a case. On the wire, flattened into its
/// [`TimelineEvent`]: `{"at": …, "kind": "resolved", "reply": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CaseEventKind {
    /// The server has the whole report (every medium).
    Received,
    /// The agency took the case on.
    Accepted,
    /// Someone from the agency is at the place.
    OnSite,
    /// Done, with the agency's public reply.
    Resolved { reply: String },
    /// Not taken on, and why.
    Rejected { reason: String },
    /// Already reported: the case it joins, and why.
    Duplicate { of: CaseNumber, reason: String },
}

impl CaseEventKind {
    /// The status a case has once this is its last event.
    pub fn status(&self) -> CaseStatus {
        match self {
            CaseEventKind::Received => CaseStatus::Received,
            CaseEventKind::Accepted => CaseStatus::Accepted,
            CaseEventKind::OnSite => CaseStatus::OnSite,
            CaseEventKind::Resolved { .. } => CaseStatus::Resolved,
            CaseEventKind::Rejected { .. } => CaseStatus::Rejected,
            CaseEventKind::Duplicate { .. } => CaseStatus::Duplicate,
        }
    }
}

/// One step of a case, and when it happened.
///
/// On the wire one flat object, `{"at": …, "kind": "resolved", "reply":
/// "…"}`, read through [`TimelineEventWire`] rather than `#[serde(flatten)]`
/// over the tagged [`CaseEventKind`]: the same JSON, without serde's
/// buffering machinery in the app's wasm (about 10 KB; the app has a size
/// budget).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TimelineEventWire", into = "TimelineEventWire")]
pub struct TimelineEvent {
    pub at: UnixMillis,
    pub kind: CaseEventKind,
}

#[derive(Serialize, Deserialize)]
struct TimelineEventWire {
    at: UnixMillis,
    /// The kind without its details: the status the event gives the case.
    kind: CaseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    of: Option<CaseNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

/// A timeline event whose kind lacks a detail it must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("a `{0}` event needs its `{1}`")]
pub struct MissingDetail(&'static str, &'static str);

impl TryFrom<TimelineEventWire> for TimelineEvent {
    type Error = MissingDetail;

    fn try_from(wire: TimelineEventWire) -> Result<Self, MissingDetail> {
        let kind = match wire.kind {
            CaseStatus::Received => CaseEventKind::Received,
            CaseStatus::Accepted => CaseEventKind::Accepted,
            CaseStatus::OnSite => CaseEventKind::OnSite,
            CaseStatus::Resolved => CaseEventKind::Resolved {
                reply: wire.reply.ok_or(MissingDetail("resolved", "reply"))?,
            },
            CaseStatus::Rejected => CaseEventKind::Rejected {
                reason: wire.reason.ok_or(MissingDetail("rejected", "reason"))?,
            },
            CaseStatus::Duplicate => CaseEventKind::Duplicate {
                of: wire.of.ok_or(MissingDetail("duplicate", "of"))?,
                reason: wire.reason.ok_or(MissingDetail("duplicate", "reason"))?,
            },
        };
        Ok(TimelineEvent { at: wire.at, kind })
    }
}

impl From<TimelineEvent> for TimelineEventWire {
    fn from(event: TimelineEvent) -> Self {
        let mut wire = TimelineEventWire {
            at: event.at,
            kind: event.kind.status(),
            of: None,
            reply: None,
            reason: None,
        };
        match event.kind {
            CaseEventKind::Received | CaseEventKind::Accepted | CaseEventKind::OnSite => {}
            CaseEventKind::Resolved { reply } => wire.reply = Some(reply),
            CaseEventKind::Rejected { reason } => wire.reason = Some(reason),
            CaseEventKind::Duplicate { of, reason } => {
                wire.of = Some(of);
                wire.reason = Some(reason);
            }
        }
        wire
    }
}

/// Where a case stands: the status of its last event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    Accepted,
    OnSite,
    Resolved,
    Rejected,
    Duplicate,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Received,
        CaseStatus::Accepted,
        CaseStatus::OnSite,
        CaseStatus::Resolved,
        CaseStatus::Rejected,
        CaseStatus::Duplicate,
    ];

    /// The stable wire code, the same string serde uses (the staff API's
    /// `status` filter).
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::Accepted => "accepted",
            CaseStatus::OnSite => "on_site",
            CaseStatus::Resolved => "resolved",
            CaseStatus::Rejected => "rejected",
            CaseStatus::Duplicate => "duplicate",
        }
    }

    /// Nothing more is expected to happen (the agency may still reopen it).
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            CaseStatus::Resolved | CaseStatus::Rejected | CaseStatus::Duplicate
        )
    }

    /// The short label shown on the case.
    pub fn label(self) -> LocalizedStr {
        match self {
            CaseStatus::Received => LocalizedStr::new("已收到", "Received"),
            CaseStatus::Accepted => LocalizedStr::new("已受理", "Accepted"),
            CaseStatus::OnSite => LocalizedStr::new("现场处理中", "On site"),
            CaseStatus::Resolved => LocalizedStr::new("已办结", "Resolved"),
            CaseStatus::Rejected => LocalizedStr::new("不予受理", "Rejected"),
            CaseStatus::Duplicate => LocalizedStr::new("重复举报", "Duplicate"),
        }
    }
}

/// A case and everything that happened to it, oldest first: the answer to
/// `GET /api/v1/cases/{case_number}`. Never empty, it starts with
/// [`CaseEventKind::Received`] and its times never go back; deserialising
/// checks the same. In the citizen's answer it may carry the case's
/// communication subsidy ([`CaseReward`]), which the server sends only for a
/// report that left contact details, once approved. On the wire that is two
/// flat fields, `reward_fen` and `reward_state`, read as a plain number and
/// string and checked here: both valid or no reward (one alone, an amount
/// out of range or an unknown state is ignored). A nested object, or serde's
/// checked types, would cost the citizen's first load parsers of their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "TimelineWire", into = "TimelineWire")]
pub struct Timeline {
    case_number: CaseNumber,
    events: Vec<TimelineEvent>,
    reward: Option<CaseReward>,
}

#[derive(Serialize, Deserialize)]
struct TimelineWire {
    case_number: CaseNumber,
    events: Vec<TimelineEvent>,
    /// [`Timeline::duplicate_of`], written for readers that do not walk the
    /// events; ignored when reading (the events say it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<CaseNumber>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reward_fen: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reward_state: Option<String>,
}

impl From<Timeline> for TimelineWire {
    fn from(timeline: Timeline) -> Self {
        TimelineWire {
            case_number: timeline.case_number,
            duplicate_of: timeline.duplicate_of(),
            events: timeline.events,
            reward_fen: timeline.reward.map(|r| r.amount_fen.fen()),
            reward_state: timeline.reward.map(|r| r.state.code().to_owned()),
        }
    }
}

/// Why a timeline was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimelineError {
    #[error("a timeline starts with `received`")]
    DoesNotStartReceived,
    #[error("event {index} is earlier than the one before it")]
    OutOfOrder { index: usize },
    #[error("case {0} is marked a duplicate of itself")]
    DuplicateOfItself(CaseNumber),
}

impl Timeline {
    pub fn new(
        case_number: CaseNumber,
        events: Vec<TimelineEvent>,
    ) -> Result<Timeline, TimelineError> {
        if !matches!(
            events.first(),
            Some(TimelineEvent {
                kind: CaseEventKind::Received,
                ..
            })
        ) {
            return Err(TimelineError::DoesNotStartReceived);
        }
        if let Some(index) = (1..events.len()).find(|&i| events[i].at < events[i - 1].at) {
            return Err(TimelineError::OutOfOrder { index });
        }
        if events.iter().any(
            |event| matches!(&event.kind, CaseEventKind::Duplicate { of, .. } if *of == case_number),
        ) {
            return Err(TimelineError::DuplicateOfItself(case_number));
        }
        Ok(Timeline {
            case_number,
            events,
            reward: None,
        })
    }

    /// The same timeline carrying `reward` (for the citizen's answer).
    pub fn with_reward(mut self, reward: Option<CaseReward>) -> Timeline {
        self.reward = reward;
        self
    }

    /// The communication subsidy the citizen is told about, if any.
    pub fn reward(&self) -> Option<CaseReward> {
        self.reward
    }

    pub fn case_number(&self) -> CaseNumber {
        self.case_number
    }

    /// Oldest first; never empty.
    pub fn events(&self) -> &[TimelineEvent] {
        &self.events
    }

    /// The status of the last event.
    pub fn status(&self) -> CaseStatus {
        self.last().kind.status()
    }

    /// The last event: the one that gives the status.
    pub fn last(&self) -> &TimelineEvent {
        self.events.last().expect("a timeline is never empty")
    }

    /// When the server had the whole report.
    pub fn received_at(&self) -> UnixMillis {
        self.events[0].at
    }

    /// The case this one was merged into, when staff marked it a
    /// duplicate: its reporter and supporters now follow that case, with
    /// the same receipt. On the wire also a top-level `duplicate_of`.
    pub fn duplicate_of(&self) -> Option<CaseNumber> {
        match &self.last().kind {
            CaseEventKind::Duplicate { of, .. } => Some(*of),
            _ => None,
        }
    }
}

impl TryFrom<TimelineWire> for Timeline {
    type Error = TimelineError;

    fn try_from(wire: TimelineWire) -> Result<Self, Self::Error> {
        let amount = wire
            .reward_fen
            .and_then(|fen| RewardAmount::from_fen(fen).ok());
        let state = wire.reward_state.as_deref().and_then(RewardState::parse);
        let reward = match (amount, state) {
            (Some(amount_fen), Some(state)) => Some(CaseReward { amount_fen, state }),
            _ => None,
        };
        Ok(Timeline::new(wire.case_number, wire.events)?.with_reward(reward))
    }
}

/// The proleptic Gregorian year of `millis` since the epoch (Howard
/// Hinnant's days-to-civil algorithm).
fn civil_year(millis: i64) -> i64 {
    let z = millis.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_years_turn_at_midnight_in_china() {
        // 2026-01-01T00:00:00Z is 08:00 in Beijing: 2026 both ways.
        assert_eq!(CaseNumber::year_at(UnixMillis(1_767_225_600_000)), 2026);
        // 2025-12-31T16:00:00Z is midnight in Beijing: already 2026.
        assert_eq!(CaseNumber::year_at(UnixMillis(1_767_196_800_000)), 2026);
        assert_eq!(CaseNumber::year_at(UnixMillis(1_767_196_799_999)), 2025);
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(951_782_400_000), 2000); // 2000-02-29
        assert_eq!(civil_year(1_798_761_599_999), 2026); // 2026-12-31T23:59:59.999Z
        assert_eq!(civil_year(1_798_761_600_000), 2027);
    }
    use proptest::prelude::*;

    fn case(year: u16, sequence: u32) -> CaseNumber {
        CaseNumber::new(year, sequence).expect("valid")
    }

    fn event(at: i64, kind: CaseEventKind) -> TimelineEvent {
        TimelineEvent {
            at: UnixMillis(at),
            kind,
        }
    }

    #[test]
    fn case_numbers_have_a_fixed_form() {
        let number = case(2026, 123);
        assert_eq!(number.to_string(), "GW-2026-000123");
        assert_eq!(CaseNumber::parse("GW-2026-000123"), Ok(number));
        assert_eq!(CaseNumber::parse(" gw-2026-000123\n"), Ok(number));
        assert_eq!("GW-2026-000123".parse::<CaseNumber>(), Ok(number));
        assert_eq!((number.year(), number.sequence()), (2026, 123));
        assert_eq!(case(9999, 999_999).to_string(), "GW-9999-999999");
        assert!(case(2026, 2) < case(2026, 10) && case(2026, 999) < case(2027, 1));
    }

    #[test]
    fn case_numbers_are_refused_unless_exactly_right() {
        for bad in [
            "",
            "GW-2026-123",
            "GW-26-000123",
            "GW-2026-0001234",
            "GX-2026-000123",
            "GW2026000123",
            "GW-2026-000123-1",
            "GW-2026-00012a",
            "GW-2026-+00123",
            "GW-２０２６-000123",
        ] {
            assert_eq!(
                CaseNumber::parse(bad),
                Err(CaseNumberError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(
            CaseNumber::parse("GW-1999-000001"),
            Err(CaseNumberError::YearOutOfRange(1999))
        );
        assert_eq!(
            CaseNumber::parse("GW-2026-000000"),
            Err(CaseNumberError::SequenceOutOfRange(0))
        );
        assert_eq!(
            CaseNumber::new(2026, 1_000_000),
            Err(CaseNumberError::SequenceOutOfRange(1_000_000))
        );
        assert_eq!(
            CaseNumber::new(10_000, 1),
            Err(CaseNumberError::YearOutOfRange(10_000))
        );
        assert!(CaseNumberError::Malformed
            .message()
            .zh_cn
            .contains("GW-2026-000123"));
    }

    #[test]
    fn case_numbers_serialise_as_text() {
        let number = case(2026, 7);
        let json = serde_json::to_string(&number).expect("serialise");
        assert_eq!(json, "\"GW-2026-000007\"");
        assert_eq!(
            serde_json::from_str::<CaseNumber>(&json).expect("parse"),
            number
        );
        assert!(serde_json::from_str::<CaseNumber>("\"GW-2026-7\"").is_err());
    }

    #[test]
    fn events_are_flat_and_tagged_by_kind() {
        let timeline = Timeline::new(
            case(2026, 5),
            vec![
                event(1, CaseEventKind::Received),
                event(2, CaseEventKind::Accepted),
                event(3, CaseEventKind::OnSite),
                event(
                    4,
                    CaseEventKind::Resolved {
                        reply: "已责令整改。".into(),
                    },
                ),
            ],
        )
        .expect("valid");
        let json = serde_json::to_value(&timeline).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({
                "case_number": "GW-2026-000005",
                "events": [
                    {"at": 1, "kind": "received"},
                    {"at": 2, "kind": "accepted"},
                    {"at": 3, "kind": "on_site"},
                    {"at": 4, "kind": "resolved", "reply": "已责令整改。"},
                ]
            })
        );
        assert_eq!(
            serde_json::from_value::<Timeline>(json).expect("parse"),
            timeline
        );
        // A reward rides along when the server sends one.
        let reward = crate::staff::CaseReward {
            amount_fen: crate::staff::RewardAmount::from_fen(5_000).expect("valid"),
            state: crate::staff::RewardState::Paid,
        };
        let rewarded = timeline.clone().with_reward(Some(reward));
        let json = serde_json::to_value(&rewarded).expect("serialise");
        assert_eq!(json["reward_fen"], 5000);
        assert_eq!(json["reward_state"], "paid");
        let read = serde_json::from_value::<Timeline>(json.clone()).expect("parse");
        assert_eq!(read.reward(), Some(reward));
        // Half a reward is none.
        for (field, value) in [
            ("reward_state", serde_json::Value::Null),
            ("reward_state", "lost".into()),
            ("reward_fen", 0.into()),
            ("reward_fen", 50_001.into()),
        ] {
            let mut broken = json.clone();
            broken[field] = value;
            let read = serde_json::from_value::<Timeline>(broken).expect("parse");
            assert_eq!(read.reward(), None, "{field}");
        }
        let duplicate = event(
            5,
            CaseEventKind::Duplicate {
                of: case(2026, 1),
                reason: "同一地点".into(),
            },
        );
        let json = serde_json::to_value(&duplicate).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"at": 5, "kind": "duplicate", "of": "GW-2026-000001", "reason": "同一地点"})
        );
        assert_eq!(
            serde_json::from_value::<TimelineEvent>(json).expect("parse"),
            duplicate
        );
        assert!(serde_json::from_str::<TimelineEvent>(r#"{"at":1,"kind":"lost"}"#).is_err());
        assert!(
            serde_json::from_str::<TimelineEvent>(r#"{"at":1,"kind":"resolved"}"#).is_err(),
            "a resolution carries the agency's reply"
        );
    }

    #[test]
    fn a_duplicate_names_the_case_its_people_now_follow() {
        let open =
            Timeline::new(case(2026, 4), vec![event(1, CaseEventKind::Received)]).expect("valid");
        assert_eq!(open.duplicate_of(), None);
        let merged = Timeline::new(
            case(2026, 4),
            vec![
                event(1, CaseEventKind::Received),
                event(
                    2,
                    CaseEventKind::Duplicate {
                        of: case(2026, 1),
                        reason: "同一地点".into(),
                    },
                ),
            ],
        )
        .expect("valid");
        assert_eq!(merged.duplicate_of(), Some(case(2026, 1)));
        let json = serde_json::to_value(&merged).expect("serialise");
        assert_eq!(json["duplicate_of"], "GW-2026-000001");
        assert_eq!(
            serde_json::from_value::<Timeline>(json.clone()).expect("parse"),
            merged
        );
        // The events decide, not the top-level field.
        let mut lying = serde_json::to_value(&open).expect("serialise");
        lying["duplicate_of"] = "GW-2026-000009".into();
        let read: Timeline = serde_json::from_value(lying).expect("parse");
        assert_eq!(read.duplicate_of(), None);
    }

    #[test]
    fn a_status_code_is_its_serde_name() {
        for status in CaseStatus::ALL {
            let json = serde_json::to_value(status).expect("serialise");
            assert_eq!(json, serde_json::json!(status.code()));
        }
    }

    #[test]
    fn the_status_is_the_last_event() {
        let mut events = vec![event(10, CaseEventKind::Received)];
        let status = |events: &Vec<TimelineEvent>| {
            Timeline::new(case(2026, 9), events.clone())
                .expect("valid")
                .status()
        };
        assert_eq!(status(&events), CaseStatus::Received);
        events.push(event(10, CaseEventKind::Accepted));
        assert_eq!(status(&events), CaseStatus::Accepted);
        events.push(event(
            11,
            CaseEventKind::Rejected {
                reason: "不属于环保部门职责".into(),
            },
        ));
        assert_eq!(status(&events), CaseStatus::Rejected);
        let timeline = Timeline::new(case(2026, 9), events).expect("valid");
        assert!(timeline.status().is_closed());
        assert_eq!(timeline.received_at(), UnixMillis(10));
        assert_eq!(timeline.events().len(), 3);
        assert_eq!(timeline.case_number(), case(2026, 9));
    }

    #[test]
    fn timelines_are_checked() {
        let number = case(2026, 3);
        assert_eq!(
            Timeline::new(number, vec![]),
            Err(TimelineError::DoesNotStartReceived)
        );
        assert_eq!(
            Timeline::new(number, vec![event(1, CaseEventKind::Accepted)]),
            Err(TimelineError::DoesNotStartReceived)
        );
        assert_eq!(
            Timeline::new(
                number,
                vec![
                    event(5, CaseEventKind::Received),
                    event(4, CaseEventKind::Accepted)
                ]
            ),
            Err(TimelineError::OutOfOrder { index: 1 })
        );
        assert_eq!(
            Timeline::new(
                number,
                vec![
                    event(5, CaseEventKind::Received),
                    event(
                        6,
                        CaseEventKind::Duplicate {
                            of: number,
                            reason: "x".into()
                        }
                    )
                ]
            ),
            Err(TimelineError::DuplicateOfItself(number))
        );
        let json = r#"{"case_number":"GW-2026-000003","events":[]}"#;
        assert!(serde_json::from_str::<Timeline>(json).is_err());
    }

    #[test]
    fn statuses_have_labels_and_snake_case_names() {
        for status in CaseStatus::ALL {
            assert!(!status.label().zh_cn.is_empty() && !status.label().en.is_empty());
            let json = serde_json::to_string(&status).expect("serialise");
            assert_eq!(
                serde_json::from_str::<CaseStatus>(&json).expect("parse"),
                status
            );
        }
        assert_eq!(
            serde_json::to_string(&CaseStatus::OnSite).expect("serialise"),
            "\"on_site\""
        );
        let closed: Vec<_> = CaseStatus::ALL
            .into_iter()
            .filter(|s| s.is_closed())
            .collect();
        assert_eq!(
            closed,
            [
                CaseStatus::Resolved,
                CaseStatus::Rejected,
                CaseStatus::Duplicate
            ]
        );
    }

    proptest! {
        #[test]
        fn case_numbers_round_trip(year in 2000u16..=9999, sequence in 1u32..=999_999) {
            let number = case(year, sequence);
            let text = number.to_string();
            prop_assert_eq!(text.len(), 14);
            prop_assert_eq!(CaseNumber::parse(&text), Ok(number));
            prop_assert_eq!(CaseNumber::parse(&text.to_lowercase()), Ok(number));
        }

        #[test]
        fn parsing_anything_never_panics(raw in "\\PC{0,20}|[gGwW]{2}-[0-9]{3,5}-[0-9]{5,7}") {
            if let Ok(number) = CaseNumber::parse(&raw) {
                prop_assert_eq!(number.to_string(), raw.trim().to_uppercase());
            }
        }
    }
}

//! The one rule of what the public may see of a case.
//!
//! [`PublicCase::of`] takes everything the bureau holds about a case
//! ([`CaseRecord`]: the reporter's whole create body with its description,
//! address, exact position, contact, media and receipt hash; the timeline;
//! the staff's public summary; the supporters) and keeps only:
//!
//! - the case number, category and status;
//! - the dates: when the report reached the server, when the case last
//!   changed, and when each step happened;
//! - the staff's public reply of a resolved case, and the case a duplicate
//!   joins (never a rejection's or a duplicate's reason: staff write those
//!   for the reporter);
//! - the staff's public summary, only when they wrote one;
//! - how many people support the case;
//! - the reporter's position coarsened to its grid cell
//!   ([`CoarsePoint`]), or nothing when they only typed an address.
//!
//! Never the description, the address text, the exact position or its
//! accuracy, photos, voice clips, a media link, the contact, the receipt.
//! Every public view (Open311 `GET requests`, the transparency figures,
//! the nearby list) is made of `PublicCase`s; the server builds them in
//! one place (`store/public.rs`) and nothing else it publishes reads a
//! case.

use serde::{Deserialize, Serialize};

use super::coarse::CoarsePoint;
use super::summary::PublicSummary;
use crate::report::{Category, UnixMillis};
use crate::sync::{CaseEventKind, CaseNumber, CaseStatus, CreateReport, Timeline};

/// Everything the bureau holds about one complete case: the input of
/// [`PublicCase::of`]. Staff-side only; it is never sent anywhere.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    /// The reporter's create body, as received.
    pub report: CreateReport,
    pub timeline: Timeline,
    /// When the server first got the report.
    pub requested_at: UnixMillis,
    /// The link given with an Open311 request, if any (staff only).
    pub media_url: Option<String>,
    /// The summary staff wrote for the public, if they did.
    pub public_summary: Option<PublicSummary>,
    /// Complete supports now counted for this case (merged duplicates'
    /// reporters among them).
    pub supporters: u32,
}

/// One step of a case, in public: when, the status it gave, the public
/// reply of a resolution and the case a duplicate joins. On the wire one
/// flat object: `{"at": …, "status": "resolved", "reply": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicEvent {
    pub at: UnixMillis,
    pub status: CaseStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duplicate_of: Option<CaseNumber>,
}

impl PublicEvent {
    fn of(at: UnixMillis, kind: &CaseEventKind) -> PublicEvent {
        let (reply, duplicate_of) = match kind {
            CaseEventKind::Resolved { reply } => (Some(reply.clone()), None),
            CaseEventKind::Duplicate { of, .. } => (None, Some(*of)),
            // A rejection's reason is written for the reporter.
            CaseEventKind::Received
            | CaseEventKind::Accepted
            | CaseEventKind::OnSite
            | CaseEventKind::Rejected { .. } => (None, None),
        };
        PublicEvent {
            at,
            status: kind.status(),
            reply,
            duplicate_of,
        }
    }
}

/// A case as anyone may see it. Built on the server only by
/// [`PublicCase::of`]; the app reads it from the nearby answer (reading it
/// snaps the position to the grid again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicCase {
    case_number: CaseNumber,
    category: Category,
    status: CaseStatus,
    /// When the server first got the report.
    requested_at: UnixMillis,
    /// When the last step happened.
    updated_at: UnixMillis,
    /// Every step, oldest first; never empty.
    events: Vec<PublicEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    summary: Option<PublicSummary>,
    supporters: u32,
    /// The reporter's position as its grid cell; none for a report that
    /// gave only an address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<CoarsePoint>,
}

impl PublicCase {
    /// The rule: what the public may see of `record` (see the module).
    pub fn of(record: &CaseRecord) -> PublicCase {
        let timeline = &record.timeline;
        PublicCase {
            case_number: timeline.case_number(),
            category: record.report.category(),
            status: timeline.status(),
            requested_at: record.requested_at,
            updated_at: timeline.last().at,
            events: timeline
                .events()
                .iter()
                .map(|event| PublicEvent::of(event.at, &event.kind))
                .collect(),
            summary: record.public_summary.clone(),
            supporters: record.supporters,
            position: record
                .report
                .location()
                .point()
                .map(CoarsePoint::from_point),
        }
    }

    pub fn case_number(&self) -> CaseNumber {
        self.case_number
    }

    pub fn category(&self) -> Category {
        self.category
    }

    pub fn status(&self) -> CaseStatus {
        self.status
    }

    pub fn requested_at(&self) -> UnixMillis {
        self.requested_at
    }

    pub fn updated_at(&self) -> UnixMillis {
        self.updated_at
    }

    /// When the case was complete on the server (its first step), if the
    /// answer carried its steps.
    pub fn received_at(&self) -> Option<UnixMillis> {
        self.events.first().map(|event| event.at)
    }

    pub fn events(&self) -> &[PublicEvent] {
        &self.events
    }

    /// The last step, which gives the status.
    pub fn last_event(&self) -> Option<&PublicEvent> {
        self.events.last()
    }

    /// The public reply, once resolved.
    pub fn reply(&self) -> Option<&str> {
        self.last_event().and_then(|event| event.reply.as_deref())
    }

    pub fn summary(&self) -> Option<&PublicSummary> {
        self.summary.as_ref()
    }

    pub fn supporters(&self) -> u32 {
        self.supporters
    }

    /// How many people reported it: its reporter and every supporter.
    pub fn reporters(&self) -> u32 {
        self.supporters.saturating_add(1)
    }

    pub fn position(&self) -> Option<&CoarsePoint> {
        self.position.as_ref()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{
        AudioMime, GeoPoint, MediaId, PhotoMeta, ReportDraft, ReportId, Sha256Hex, VoiceClipMeta,
    };
    use crate::sync::{ReceiptSecret, TimelineEvent};
    use uuid::Uuid;

    /// Strings and numbers that must never appear in anything public.
    pub(crate) const SECRET_WORDS: &str = "MARKER-description-夜里偷排";
    pub(crate) const SECRET_ADDRESS: &str = "MARKER-address-工业路 88 号";
    pub(crate) const SECRET_NAME: &str = "MARKERNAME";
    pub(crate) const SECRET_PHONE: &str = "13912345678";
    pub(crate) const SECRET_LAT: f64 = 30.512_345_678;
    pub(crate) const SECRET_LON: f64 = 114.387_654_321;
    pub(crate) const SECRET_URL: &str = "https://example.org/MARKER-media.jpg";
    pub(crate) const T0: i64 = 1_767_225_600_000;

    /// A case whose every private field carries a marker.
    pub(crate) fn record(events: Vec<(i64, CaseEventKind)>, point: bool) -> CaseRecord {
        let id = ReportId::from_uuid(Uuid::from_u128(7));
        let photo = b"\xff\xd8\xffphoto";
        let clip = b"OggSclip";
        let draft = ReportDraft {
            category: Some(Category::WaterRiver),
            description: format!("{SECRET_WORDS}，有死鱼。"),
            point: point.then(|| GeoPoint::parse(SECRET_LAT, SECRET_LON, 7.25).expect("point")),
            address: SECRET_ADDRESS.into(),
            name: SECRET_NAME.into(),
            phone: SECRET_PHONE.into(),
            photos: vec![PhotoMeta {
                id: MediaId::from_uuid(Uuid::from_u128(8)),
                width: 10,
                height: 10,
                bytes: photo.len() as u64,
                sha256: Sha256Hex::of(photo),
            }],
            voice_clips: vec![VoiceClipMeta {
                id: MediaId::from_uuid(Uuid::from_u128(9)),
                duration_ms: 1000,
                bytes: clip.len() as u64,
                mime: AudioMime::Ogg,
                sha256: Sha256Hex::of(clip),
            }],
            seen_at: Some(UnixMillis(T0 - 60_000)),
            ..ReportDraft::new(id, UnixMillis(T0))
        }
        .validate(UnixMillis(T0))
        .expect("valid");
        let receipt = ReceiptSecret::from_bytes([3; 32]);
        let number = CaseNumber::new(2026, 12).expect("number");
        let events = events
            .into_iter()
            .map(|(ms, kind)| TimelineEvent {
                at: UnixMillis(T0 + ms),
                kind,
            })
            .collect();
        CaseRecord {
            report: CreateReport::from_valid(&draft, &receipt.hash()),
            timeline: Timeline::new(number, events).expect("timeline"),
            requested_at: UnixMillis(T0 - 1_000),
            media_url: Some(SECRET_URL.into()),
            public_summary: None,
            supporters: 2,
        }
    }

    /// Fails if `text` holds anything private of [`record`].
    pub(crate) fn assert_nothing_private(text: &str) {
        let receipt = ReceiptSecret::from_bytes([3; 32]);
        for secret in [
            SECRET_WORDS,
            "有死鱼",
            SECRET_ADDRESS,
            "工业路",
            SECRET_NAME,
            SECRET_PHONE,
            SECRET_URL,
            "MARKER",
            receipt.hash().as_str(),
            &Sha256Hex::of(b"\xff\xd8\xffphoto").to_string(),
            // The fix's digits beyond the cell's three decimals.
            "30.5123",
            "512345",
            "114.3876",
            "387654",
            "7.25",
        ] {
            assert!(!text.contains(secret), "{secret:?} is public in {text}");
        }
    }

    #[test]
    fn the_public_form_keeps_what_may_be_shown() {
        let case = PublicCase::of(&CaseRecord {
            public_summary: Some(PublicSummary::parse("河道发黑，已安排巡查").expect("summary")),
            ..record(
                vec![
                    (0, CaseEventKind::Received),
                    (60_000, CaseEventKind::Accepted),
                    (
                        120_000,
                        CaseEventKind::Resolved {
                            reply: "已责令停止排放。".into(),
                        },
                    ),
                ],
                true,
            )
        });
        assert_eq!(case.case_number().to_string(), "GW-2026-000012");
        assert_eq!(case.category(), Category::WaterRiver);
        assert_eq!(case.status(), CaseStatus::Resolved);
        assert_eq!(case.requested_at(), UnixMillis(T0 - 1_000));
        assert_eq!(case.received_at(), Some(UnixMillis(T0)));
        assert_eq!(case.updated_at(), UnixMillis(T0 + 120_000));
        assert_eq!(case.reply(), Some("已责令停止排放。"));
        assert_eq!(
            case.summary().map(PublicSummary::as_str),
            Some("河道发黑，已安排巡查")
        );
        assert_eq!((case.supporters(), case.reporters()), (2, 3));
        let position = case.position().expect("a position");
        assert_eq!(
            (position.latitude(), position.longitude()),
            (30.513, 114.387)
        );
        let json = serde_json::to_string(&case).expect("json");
        assert_nothing_private(&json);
        let back: PublicCase = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, case);
    }

    #[test]
    fn reasons_are_for_the_reporter_and_an_address_is_not_a_position() {
        let rejected = PublicCase::of(&record(
            vec![
                (0, CaseEventKind::Received),
                (
                    5,
                    CaseEventKind::Rejected {
                        reason: format!("{SECRET_NAME} called twice"),
                    },
                ),
            ],
            false,
        ));
        assert_eq!(rejected.status(), CaseStatus::Rejected);
        assert_eq!(rejected.reply(), None);
        assert_eq!(rejected.position(), None);
        assert_eq!(rejected.summary(), None);
        let json = serde_json::to_value(&rejected).expect("json");
        assert_nothing_private(&json.to_string());
        assert!(json.get("position").is_none() && json.get("summary").is_none());

        let duplicate = PublicCase::of(&record(
            vec![
                (0, CaseEventKind::Received),
                (
                    5,
                    CaseEventKind::Duplicate {
                        of: CaseNumber::new(2026, 3).expect("number"),
                        reason: format!("same as {SECRET_PHONE}"),
                    },
                ),
            ],
            true,
        ));
        assert_eq!(
            duplicate.last_event().and_then(|e| e.duplicate_of),
            CaseNumber::new(2026, 3).ok()
        );
        assert_nothing_private(&serde_json::to_string(&duplicate).expect("json"));
    }

    #[test]
    fn the_wire_form_is_flat_and_stable() {
        let case = PublicCase::of(&record(vec![(0, CaseEventKind::Received)], true));
        let json = serde_json::to_value(&case).expect("json");
        assert_eq!(
            json,
            serde_json::json!({
                "case_number": "GW-2026-000012",
                "category": "water_river",
                "status": "received",
                "requested_at": T0 - 1_000,
                "updated_at": T0,
                "events": [{"at": T0, "status": "received"}],
                "supporters": 2,
                "position": {"latitude": 30.513, "longitude": 114.387}
            })
        );
    }
}

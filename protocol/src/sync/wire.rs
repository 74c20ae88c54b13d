//! The bodies and paths of the report intake API (`/api/v1`), one
//! definition for the app and the server.
//!
//! - `PUT /api/v1/reports/{report_id}`, body [`CreateReport`]: 201 the first
//!   time, 200 for the same content again, both with an [`IntakeStatus`];
//!   409 for other content under the same id.
//! - `PUT /api/v1/reports/{report_id}/media/{index}`, body the medium's
//!   bytes: 200 with an [`IntakeStatus`], also when the same bytes come again.
//! - `GET /api/v1/cases/{case_number}` with `X-Receipt: <secret>`: 200 with a
//!   [`Timeline`](super::Timeline); an unknown case and a wrong receipt get
//!   the same 404.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::case::CaseNumber;
use super::receipt::ReceiptHash;
use crate::report::media::lower_hex;
use crate::report::{
    Category, Contact, Description, Location, MediaId, PhotoMeta, ReportId, SeenAt, Sha256Hex,
    UnixMillis, ValidReport, VoiceClipMeta,
};

/// Where version 1 of the API lives.
pub const API_V1: &str = "/api/v1";
/// The create route, in axum's pattern syntax.
pub const REPORT_ROUTE: &str = "/api/v1/reports/{report_id}";
/// The medium upload route, in axum's pattern syntax.
pub const MEDIUM_ROUTE: &str = "/api/v1/reports/{report_id}/media/{index}";
/// The case route, in axum's pattern syntax.
pub const CASE_ROUTE: &str = "/api/v1/cases/{case_number}";
/// The header that carries the receipt secret (HTTP header names are
/// case-insensitive; this is the lowercase form `http` wants).
pub const RECEIPT_HEADER: &str = "x-receipt";
/// The MIME type of every photo: the app's pipeline re-encodes to JPEG.
pub const PHOTO_MIME: &str = "image/jpeg";

/// `PUT` here creates the report.
pub fn report_path(id: ReportId) -> String {
    format!("{API_V1}/reports/{id}")
}

/// `PUT` here uploads medium `index` of the report.
pub fn medium_path(id: ReportId, index: u8) -> String {
    format!("{API_V1}/reports/{id}/media/{index}")
}

/// `GET` here (with the receipt) gives the case's timeline.
pub fn case_path(case_number: &CaseNumber) -> String {
    format!("{API_V1}/cases/{case_number}")
}

/// Whether a medium is a photo or a voice clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediumKind {
    Photo,
    Voice,
}

impl MediumKind {
    pub fn code(self) -> &'static str {
        match self {
            MediumKind::Photo => "photo",
            MediumKind::Voice => "voice",
        }
    }
}

/// One medium as the create body declares it. Its bytes follow in their own
/// request and must match `bytes` and `sha256` exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediumDecl {
    /// Its place in the report: photos first, then voice clips, from 0.
    pub index: u8,
    pub kind: MediumKind,
    pub mime: String,
    pub bytes: u64,
    pub sha256: Sha256Hex,
}

/// The body of `PUT /api/v1/reports/{report_id}`: the report without its
/// media bytes, and the hash of its receipt. The id is the path's.
///
/// Built by [`CreateReport::from_valid`]. Reading one checks every field's
/// own rules (its types parse only valid values); the server then looks the
/// id up and, for a new report, applies [`CreateReport::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreateReport {
    category: Category,
    description: Description,
    location: Location,
    seen_at: SeenAt,
    contact: Contact,
    created_at: UnixMillis,
    media: Vec<MediumDecl>,
    receipt_hash: ReceiptHash,
}

impl CreateReport {
    /// The create body for `report`, whose receipt secret hashes to
    /// `receipt_hash`. Media are numbered photos first, then voice clips, in
    /// the report's order (the order [`medium_id`] reads back).
    pub fn from_valid(report: &ValidReport, receipt_hash: &ReceiptHash) -> CreateReport {
        let media = declare_media(report.photos(), report.voice_clips());
        CreateReport {
            category: report.category(),
            description: report.description().clone(),
            location: report.location().clone(),
            seen_at: report.seen_at(),
            contact: report.contact().clone(),
            created_at: report.created_at(),
            media,
            receipt_hash: receipt_hash.clone(),
        }
    }

    pub fn category(&self) -> Category {
        self.category
    }

    pub fn description(&self) -> &Description {
        &self.description
    }

    pub fn location(&self) -> &Location {
        &self.location
    }

    pub fn seen_at(&self) -> SeenAt {
        self.seen_at
    }

    pub fn contact(&self) -> &Contact {
        &self.contact
    }

    pub fn created_at(&self) -> UnixMillis {
        self.created_at
    }

    /// In index order for a body made by [`CreateReport::from_valid`]; a
    /// received body is only known to be once [`CreateReport::check`] passed.
    pub fn media(&self) -> &[MediumDecl] {
        &self.media
    }

    /// The declaration of medium `index`, if the body has one.
    pub fn medium(&self, index: u8) -> Option<&MediumDecl> {
        self.media.iter().find(|medium| medium.index == index)
    }

    pub fn receipt_hash(&self) -> &ReceiptHash {
        &self.receipt_hash
    }
}

/// The id of the medium a create body numbers `index` (photos first, then
/// voice clips), for reading its bytes from the device's storage.
pub fn medium_id(report: &ValidReport, index: u8) -> Option<MediaId> {
    nth_medium_id(report.photos(), report.voice_clips(), index)
}

/// The declarations of `photos` then `clips`, numbered from 0: what a
/// create body (a report's or a support's) lists.
pub(crate) fn declare_media(photos: &[PhotoMeta], clips: &[VoiceClipMeta]) -> Vec<MediumDecl> {
    let photos = photos.iter().map(|photo| {
        (
            MediumKind::Photo,
            PHOTO_MIME.to_owned(),
            photo.bytes,
            &photo.sha256,
        )
    });
    let clips = clips.iter().map(|clip| {
        (
            MediumKind::Voice,
            clip.mime.as_str().to_owned(),
            clip.bytes,
            &clip.sha256,
        )
    });
    photos
        .chain(clips)
        .enumerate()
        .map(|(index, (kind, mime, bytes, sha256))| MediumDecl {
            index: u8::try_from(index).expect("valid media lists hold at most 12 media"),
            kind,
            mime,
            bytes,
            sha256: sha256.clone(),
        })
        .collect()
}

/// The id of medium `index` in [`declare_media`]'s numbering.
pub(crate) fn nth_medium_id(
    photos: &[PhotoMeta],
    clips: &[VoiceClipMeta],
    index: u8,
) -> Option<MediaId> {
    photos
        .iter()
        .map(|photo| photo.id)
        .chain(clips.iter().map(|clip| clip.id))
        .nth(usize::from(index))
}

/// What the server decides "same content" by: the SHA-256, in lowercase
/// hex, of [`canonical_form`]. Covers every field of the body, the receipt
/// hash included, so the same id with the same content and receipt is a
/// replay and anything else a conflict.
pub fn content_fingerprint(report: &CreateReport) -> String {
    lower_hex(&Sha256::digest(canonical_form(report)))
}

/// The version tag that starts [`canonical_form`].
pub const CANONICAL_FORM_VERSION: &str = "greenwatch/create-report/1";

/// The create body written out field by field in a fixed order, for
/// [`content_fingerprint`].
///
/// Not JSON on purpose: the server keeps fingerprints for as long as it
/// keeps reports, and a replay from an old app must still match after the
/// body type grows a field or a serialiser changes how it writes numbers.
/// Each line is `name=` followed by `-` for an absent value or
/// `<length in bytes>:<value>`, so no value can be mistaken for another.
/// Changing anything here changes every fingerprint: don't, or bump
/// [`CANONICAL_FORM_VERSION`] and keep the old form for stored reports.
pub fn canonical_form(report: &CreateReport) -> Vec<u8> {
    use crate::canonical::field;
    let mut out = Vec::with_capacity(512);
    out.extend_from_slice(CANONICAL_FORM_VERSION.as_bytes());
    out.push(b'\n');
    let o = &mut out;
    field(o, "category", Some(report.category.code()));
    field(o, "description", Some(report.description.as_str()));
    let point = report.location.point().map(|p| {
        // `Display` for f64 writes the shortest text that reads back to the
        // same number.
        format!("{},{},{}", p.latitude(), p.longitude(), p.accuracy_m())
    });
    field(o, "point", point.as_deref());
    field(
        o,
        "address",
        report.location.address().map(|address| address.as_str()),
    );
    field(o, "seen_at", Some(&report.seen_at.value().0.to_string()));
    canonical_tail(
        o,
        &report.contact,
        report.created_at,
        &report.media,
        &report.receipt_hash,
    );
    out
}

/// The fields a report's and a support's canonical forms end with, in this
/// order: contact, creation time, media, receipt hash (see
/// [`canonical_form`]; changing it changes every fingerprint).
pub(crate) fn canonical_tail(
    o: &mut Vec<u8>,
    contact: &Contact,
    created_at: UnixMillis,
    media: &[MediumDecl],
    receipt_hash: &ReceiptHash,
) {
    use crate::canonical::field;
    field(o, "name", contact.name.as_ref().map(|name| name.as_str()));
    field(
        o,
        "phone",
        contact.phone.as_ref().map(|phone| phone.as_str()),
    );
    field(o, "created_at", Some(&created_at.0.to_string()));
    field(o, "media", Some(&media.len().to_string()));
    for medium in media {
        let value = format!(
            "{} {} {} {} {}",
            medium.index,
            medium.kind.code(),
            medium.bytes,
            medium.sha256,
            medium.mime
        );
        field(o, "medium", Some(&value));
    }
    field(o, "receipt_hash", Some(receipt_hash.as_str()));
}

/// Where a report stands on the server: the answer to a create and to each
/// medium upload. `complete` is exactly "nothing missing"; `missing` is in
/// ascending order without repeats (deserialising checks both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "IntakeStatusWire")]
pub struct IntakeStatus {
    case_number: CaseNumber,
    complete: bool,
    missing: Vec<u8>,
}

#[derive(Deserialize)]
struct IntakeStatusWire {
    case_number: CaseNumber,
    complete: bool,
    missing: Vec<u8>,
}

/// Why an intake status was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IntakeStatusError {
    #[error("missing media indexes are not in ascending order without repeats")]
    MissingNotAscending,
    #[error("`complete` is {complete} but {missing} media are missing")]
    Inconsistent { complete: bool, missing: usize },
}

impl IntakeStatus {
    /// The status of a report under `case_number` still missing `missing`
    /// (in any order; sorted and deduplicated here).
    pub fn new(case_number: CaseNumber, missing: impl IntoIterator<Item = u8>) -> IntakeStatus {
        let mut missing: Vec<u8> = missing.into_iter().collect();
        missing.sort_unstable();
        missing.dedup();
        IntakeStatus {
            case_number,
            complete: missing.is_empty(),
            missing,
        }
    }

    pub fn case_number(&self) -> CaseNumber {
        self.case_number
    }

    /// The server has every declared medium.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// The media indexes the server still needs, ascending.
    pub fn missing(&self) -> &[u8] {
        &self.missing
    }
}

impl TryFrom<IntakeStatusWire> for IntakeStatus {
    type Error = IntakeStatusError;

    fn try_from(wire: IntakeStatusWire) -> Result<Self, Self::Error> {
        if wire.missing.windows(2).any(|pair| pair[0] >= pair[1]) {
            return Err(IntakeStatusError::MissingNotAscending);
        }
        if wire.complete != wire.missing.is_empty() {
            return Err(IntakeStatusError::Inconsistent {
                complete: wire.complete,
                missing: wire.missing.len(),
            });
        }
        Ok(IntakeStatus {
            case_number: wire.case_number,
            complete: wire.complete,
            missing: wire.missing,
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::media::tests::{clip, photo};
    use crate::report::{AudioMime, ReportDraft, VoiceClipMeta};
    use crate::sync::ReceiptSecret;

    pub(crate) const NOW: UnixMillis = UnixMillis(1_767_225_600_000); // 2026-01-01T00:00:00Z

    pub(crate) fn report_id() -> ReportId {
        "67e55044-10b1-426f-9247-bb680e5fe0c8"
            .parse()
            .expect("uuid")
    }

    pub(crate) fn valid_report() -> ValidReport {
        ReportDraft {
            category: Some(Category::WaterRiver),
            description: "小河发黑发臭，有死鱼。".into(),
            photos: vec![photo(1600, 1200, 300_000), photo(800, 600, 90_000)],
            voice_clips: vec![VoiceClipMeta {
                mime: AudioMime::Mp4Aac,
                ..clip(12_000, 50_000)
            }],
            point: Some(crate::report::GeoPoint::parse(30.5, 114.25, 15.0).expect("point")),
            address: "东湖路 12 号".into(),
            seen_at: Some(UnixMillis(NOW.0 - 3_600_000)),
            name: String::new(),
            phone: "13800138000".into(),
            ..ReportDraft::new(report_id(), NOW)
        }
        .validate(NOW)
        .expect("valid")
    }

    pub(crate) fn receipt() -> ReceiptSecret {
        ReceiptSecret::from_bytes([42; 32])
    }

    pub(crate) fn create() -> CreateReport {
        CreateReport::from_valid(&valid_report(), &receipt().hash())
    }

    pub(crate) fn case(sequence: u32) -> CaseNumber {
        CaseNumber::new(2026, sequence).expect("valid")
    }

    #[test]
    fn paths_fill_the_routes() {
        let id = report_id();
        let number = case(123);
        assert_eq!(
            report_path(id),
            "/api/v1/reports/67e55044-10b1-426f-9247-bb680e5fe0c8"
        );
        assert_eq!(
            medium_path(id, 11),
            "/api/v1/reports/67e55044-10b1-426f-9247-bb680e5fe0c8/media/11"
        );
        assert_eq!(case_path(&number), "/api/v1/cases/GW-2026-000123");
        assert_eq!(
            REPORT_ROUTE.replace("{report_id}", &id.to_string()),
            report_path(id)
        );
        assert_eq!(
            MEDIUM_ROUTE
                .replace("{report_id}", &id.to_string())
                .replace("{index}", "11"),
            medium_path(id, 11)
        );
        assert_eq!(
            CASE_ROUTE.replace("{case_number}", &number.to_string()),
            case_path(&number)
        );
        for route in [REPORT_ROUTE, MEDIUM_ROUTE, CASE_ROUTE] {
            assert!(route.starts_with(API_V1));
        }
    }

    #[test]
    fn a_create_body_numbers_photos_then_clips() {
        let report = valid_report();
        let body = create();
        let media = body.media();
        assert_eq!(media.len(), 3);
        assert_eq!(media.iter().map(|m| m.index).collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(
            media.iter().map(|m| m.kind).collect::<Vec<_>>(),
            [MediumKind::Photo, MediumKind::Photo, MediumKind::Voice]
        );
        assert_eq!(media[0].mime, "image/jpeg");
        assert_eq!(media[2].mime, "audio/mp4");
        assert_eq!(media[1].bytes, 90_000);
        assert_eq!(media[2].bytes, 50_000);
        assert_eq!(medium_id(&report, 0), Some(report.photos()[0].id));
        assert_eq!(medium_id(&report, 1), Some(report.photos()[1].id));
        assert_eq!(medium_id(&report, 2), Some(report.voice_clips()[0].id));
        assert_eq!(medium_id(&report, 3), None);
        assert_eq!(body.medium(2), Some(&media[2]));
        assert_eq!(body.medium(3), None);
        assert_eq!(body.receipt_hash(), &receipt().hash());
        assert_eq!(body.category(), Category::WaterRiver);
        assert_eq!(body.seen_at(), report.seen_at());
        assert_eq!(body.created_at(), NOW);
        assert_eq!(body.location(), report.location());
        assert_eq!(body.description(), report.description());
        assert_eq!(body.contact(), report.contact());
    }

    #[test]
    fn a_create_body_has_the_agreed_json_shape_and_round_trips() {
        let body = create();
        let json = serde_json::to_value(&body).expect("serialise");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = [
            "category",
            "description",
            "location",
            "seen_at",
            "contact",
            "created_at",
            "media",
            "receipt_hash",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(json["media"][2]["kind"], "voice");
        assert_eq!(json["media"][0]["sha256"].as_str().map(str::len), Some(64));
        assert_eq!(json["receipt_hash"], receipt().hash().as_str());
        assert_eq!(
            serde_json::from_value::<CreateReport>(json).expect("parse"),
            body
        );
    }

    #[test]
    fn the_fingerprint_is_pinned() {
        // If this changes, every fingerprint the server stored changes with
        // it and replays from phones become conflicts. See `canonical_form`.
        let body = create();
        let form = String::from_utf8(canonical_form(&body)).expect("utf-8");
        let expected = format!(
            "greenwatch/create-report/1\n\
             category=11:water_river\n\
             description=33:小河发黑发臭，有死鱼。\n\
             point=14:30.5,114.25,15\n\
             address=16:东湖路 12 号\n\
             seen_at=13:1767222000000\n\
             name=-\n\
             phone=11:13800138000\n\
             created_at=13:1767225600000\n\
             media=1:3\n\
             medium=90:0 photo 300000 {sha} image/jpeg\n\
             medium=89:1 photo 90000 {sha} image/jpeg\n\
             medium=88:2 voice 50000 {sha} audio/mp4\n\
             receipt_hash=64:{receipt}\n",
            sha = crate::report::media::tests::SHA,
            receipt = receipt().hash(),
        );
        assert_eq!(form, expected);
        assert_eq!(
            content_fingerprint(&body),
            lower_hex(&Sha256::digest(expected.as_bytes()))
        );
        assert_eq!(
            content_fingerprint(&body),
            "46d7551f1f929eedb0afb02ba70bd640a15d07a279b67f272e5c0fff8b84be47"
        );
    }

    #[test]
    fn the_fingerprint_survives_json_and_sees_every_field() {
        let body = create();
        let fingerprint = content_fingerprint(&body);
        let json = serde_json::to_string_pretty(&body).expect("serialise");
        let back: CreateReport = serde_json::from_str(&json).expect("parse");
        assert_eq!(content_fingerprint(&back), fingerprint);

        let changed = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut json = serde_json::to_value(&body).expect("serialise");
            edit(&mut json);
            let other: CreateReport = serde_json::from_value(json).expect("still parses");
            content_fingerprint(&other)
        };
        type Edit<'a> = (&'a str, &'a dyn Fn(&mut serde_json::Value));
        let edits: [Edit; 10] = [
            ("category", &|j| j["category"] = "air".into()),
            ("description", &|j| {
                j["description"] = "小河发黑发臭有死鱼".into()
            }),
            ("point", &|j| {
                j["location"]["point"]["accuracy_m"] = 16.0.into()
            }),
            ("address", &|j| {
                j["location"]["address"] = serde_json::Value::Null
            }),
            ("seen_at", &|j| j["seen_at"] = (NOW.0 - 1).into()),
            ("name", &|j| j["contact"]["name"] = "王".into()),
            ("created_at", &|j| j["created_at"] = (NOW.0 + 1).into()),
            ("media", &|j| {
                j["media"].as_array_mut().expect("array").pop();
            }),
            ("medium", &|j| j["media"][1]["bytes"] = 90_001.into()),
            ("receipt", &|j| {
                j["receipt_hash"] = ReceiptSecret::from_bytes([1; 32]).hash().as_str().into()
            }),
        ];
        for (name, edit) in edits {
            assert_ne!(changed(edit), fingerprint, "{name}");
        }
    }

    #[test]
    fn an_intake_status_is_consistent() {
        let status = IntakeStatus::new(case(1), [3, 1, 3]);
        assert_eq!(status.missing(), [1, 3]);
        assert!(!status.is_complete());
        assert_eq!(status.case_number(), case(1));
        let json = serde_json::to_value(&status).expect("serialise");
        assert_eq!(
            json,
            serde_json::json!({"case_number": "GW-2026-000001", "complete": false, "missing": [1, 3]})
        );
        assert_eq!(
            serde_json::from_value::<IntakeStatus>(json).expect("parse"),
            status
        );
        let done = IntakeStatus::new(case(1), []);
        assert!(done.is_complete() && done.missing().is_empty());

        let parse = |json: &str| serde_json::from_str::<IntakeStatus>(json);
        assert!(parse(r#"{"case_number":"GW-2026-000001","complete":true,"missing":[]}"#).is_ok());
        for bad in [
            r#"{"case_number":"GW-2026-000001","complete":true,"missing":[0]}"#,
            r#"{"case_number":"GW-2026-000001","complete":false,"missing":[]}"#,
            r#"{"case_number":"GW-2026-000001","complete":false,"missing":[2,1]}"#,
            r#"{"case_number":"GW-2026-000001","complete":false,"missing":[1,1]}"#,
            r#"{"case_number":"GW-2026-000001","complete":false,"missing":[256]}"#,
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}

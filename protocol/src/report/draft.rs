//! A report as the person is writing it, and the checked report it becomes.
//!
//! [`ReportDraft`] is the raw form, stored on the device as JSON after every
//! change; it may hold anything. [`ReportDraft::validate`] checks every field
//! at once and gives either a [`ValidReport`] (ready to queue and send) or
//! one [`FieldError`] per field that needs fixing.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;
use uuid::Uuid;

use super::category::{Category, CategoryError};
use super::contact::{Contact, PersonName, PersonNameError, PhoneError, PhoneNumber};
use super::description::{Description, DescriptionError};
use super::location::{GeoPoint, Location, LocationError};
use super::media::{validate_photos, validate_voice_clips, MediaError, PhotoMeta, VoiceClipMeta};
use super::seen_at::{SeenAt, SeenAtError, UnixMillis};
use crate::LocalizedText;

/// Identifies one report from its first draft on. Serialised as the
/// hyphenated UUID; the app makes it (v4) when the form opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReportId(Uuid);

impl ReportId {
    pub const fn from_uuid(uuid: Uuid) -> Self {
        ReportId(uuid)
    }

    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl From<Uuid> for ReportId {
    fn from(uuid: Uuid) -> Self {
        ReportId(uuid)
    }
}

impl fmt::Display for ReportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for ReportId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(ReportId)
    }
}

/// The form as the person filled it in, unchecked.
///
/// Stored as JSON; every field but `id` has a default so records written by
/// older versions (with fewer fields) still load, and unknown fields are
/// ignored so newer records load in older versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDraft {
    pub id: ReportId,
    #[serde(default)]
    pub category: Option<Category>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub photos: Vec<PhotoMeta>,
    #[serde(default)]
    pub voice_clips: Vec<VoiceClipMeta>,
    #[serde(default)]
    pub point: Option<GeoPoint>,
    /// The address or landmark field as typed.
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub seen_at: Option<UnixMillis>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub created_at: UnixMillis,
    #[serde(default)]
    pub updated_at: UnixMillis,
}

/// A field a [`FieldError`] names: the report form's, in the order the form
/// shows them, then those of a quiz result upload
/// ([`QuizResultUpload`](crate::quiz::QuizResultUpload)), named by their
/// JSON path in its body. One enum, so every `invalid` answer of the API is
/// the same [`ApiError`](crate::ApiError).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Category,
    Description,
    Photos,
    VoiceClips,
    Location,
    SeenAt,
    Name,
    Phone,
    /// `event.id` of a quiz result.
    #[serde(rename = "event.id")]
    QuizEventId,
    /// `event.name` of a quiz result.
    #[serde(rename = "event.name")]
    QuizEventName,
    /// `pack` of a quiz result.
    #[serde(rename = "pack")]
    QuizPack,
    /// `correct` of a quiz result.
    #[serde(rename = "correct")]
    QuizCorrect,
    /// `total` of a quiz result.
    #[serde(rename = "total")]
    QuizTotal,
    /// `missed` of a quiz result.
    #[serde(rename = "missed")]
    QuizMissed,
    /// `finished_at` of a quiz result.
    #[serde(rename = "finished_at")]
    QuizFinishedAt,
    /// `mode` of a quiz result.
    #[serde(rename = "mode")]
    QuizMode,
}

impl Field {
    /// The report form's fields, in form order.
    pub const ALL: [Field; 8] = [
        Field::Category,
        Field::Description,
        Field::Photos,
        Field::VoiceClips,
        Field::Location,
        Field::SeenAt,
        Field::Name,
        Field::Phone,
    ];
}

/// What is wrong with one field, ready to show next to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub message: LocalizedText,
}

/// Every field that needs fixing: at least one, at most one per field, in
/// [`Field`] order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Error)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// `errors` sorted into [`Field`] order, keeping the first for each field.
    pub(crate) fn from_unsorted(mut errors: Vec<FieldError>) -> FieldErrors {
        errors.sort_by_key(|error| error.field);
        errors.dedup_by_key(|error| error.field);
        FieldErrors(errors)
    }

    /// The error for `field`, if it has one.
    pub fn for_field(&self, field: Field) -> Option<&FieldError> {
        self.0.iter().find(|error| error.field == field)
    }

    /// The fields that have an error, in form order.
    pub fn fields(&self) -> impl Iterator<Item = Field> + '_ {
        self.0.iter().map(|error| error.field)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, FieldError> {
        self.0.iter()
    }

    pub fn as_slice(&self) -> &[FieldError] {
        &self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false for errors from [`ReportDraft::validate`].
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid fields:")?;
        for error in &self.0 {
            write!(f, " {:?} ({})", error.field, error.message.en)?;
        }
        Ok(())
    }
}

impl<'a> IntoIterator for &'a FieldErrors {
    type Item = &'a FieldError;
    type IntoIter = std::slice::Iter<'a, FieldError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Records `result`'s error, if any, under `field`.
fn keep<T, E>(
    errors: &mut Vec<FieldError>,
    field: Field,
    result: Result<T, E>,
    message: fn(&E) -> LocalizedText,
) -> Option<T> {
    result
        .map_err(|error| {
            errors.push(FieldError {
                field,
                message: message(&error),
            })
        })
        .ok()
}

impl ReportDraft {
    /// An empty form opened at `now`; the time seen starts as `now`.
    pub fn new(id: ReportId, now: UnixMillis) -> ReportDraft {
        ReportDraft {
            id,
            category: None,
            description: String::new(),
            photos: Vec::new(),
            voice_clips: Vec::new(),
            point: None,
            address: String::new(),
            seen_at: Some(now),
            name: String::new(),
            phone: String::new(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Checks every field against the rules, `now` being the device's clock.
    /// On failure, reports every field that needs fixing, not only the first.
    pub fn validate(&self, now: UnixMillis) -> Result<ValidReport, FieldErrors> {
        let mut errors = Vec::new();
        let e = &mut errors;
        let category = keep(
            e,
            Field::Category,
            self.category.ok_or(CategoryError::Missing),
            CategoryError::message,
        );
        let description = keep(
            e,
            Field::Description,
            Description::parse(&self.description),
            DescriptionError::message,
        );
        let photos = keep(
            e,
            Field::Photos,
            validate_photos(&self.photos),
            MediaError::message,
        );
        let voice_clips = keep(
            e,
            Field::VoiceClips,
            validate_voice_clips(&self.voice_clips),
            MediaError::message,
        );
        let location = keep(
            e,
            Field::Location,
            Location::parse(self.point, &self.address),
            LocationError::message,
        );
        let seen_at = keep(
            e,
            Field::SeenAt,
            self.seen_at
                .ok_or(SeenAtError::Missing)
                .and_then(|value| SeenAt::parse(value, now)),
            SeenAtError::message,
        );
        let name = keep(
            e,
            Field::Name,
            PersonName::parse_optional(&self.name),
            PersonNameError::message,
        );
        let phone = keep(
            e,
            Field::Phone,
            PhoneNumber::parse_optional(&self.phone),
            PhoneError::message,
        );
        let (
            Some(category),
            Some(description),
            Some(()),
            Some(()),
            Some(location),
            Some(seen_at),
            Some(name),
            Some(phone),
        ) = (
            category,
            description,
            photos,
            voice_clips,
            location,
            seen_at,
            name,
            phone,
        )
        else {
            return Err(FieldErrors(errors));
        };
        debug_assert!(errors.is_empty());
        Ok(ValidReport {
            id: self.id,
            category,
            description,
            photos: self.photos.clone(),
            voice_clips: self.voice_clips.clone(),
            location,
            seen_at,
            contact: Contact { name, phone },
            created_at: self.created_at,
        })
    }
}

/// A complete report that passed [`ReportDraft::validate`]: the only way to
/// make one. Deserialising re-checks every rule that does not need "now"
/// (the receiver re-checks [`ValidReport::seen_at`] against its own clock).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ValidReportWire")]
pub struct ValidReport {
    id: ReportId,
    category: Category,
    description: Description,
    photos: Vec<PhotoMeta>,
    voice_clips: Vec<VoiceClipMeta>,
    location: Location,
    seen_at: SeenAt,
    contact: Contact,
    created_at: UnixMillis,
}

/// [`ValidReport`]'s shape on the wire, before the list checks.
#[derive(Deserialize)]
struct ValidReportWire {
    id: ReportId,
    category: Category,
    description: Description,
    photos: Vec<PhotoMeta>,
    voice_clips: Vec<VoiceClipMeta>,
    location: Location,
    seen_at: SeenAt,
    contact: Contact,
    created_at: UnixMillis,
}

impl TryFrom<ValidReportWire> for ValidReport {
    type Error = FieldErrors;

    fn try_from(wire: ValidReportWire) -> Result<Self, Self::Error> {
        let mut errors = Vec::new();
        keep(
            &mut errors,
            Field::Photos,
            validate_photos(&wire.photos),
            MediaError::message,
        );
        keep(
            &mut errors,
            Field::VoiceClips,
            validate_voice_clips(&wire.voice_clips),
            MediaError::message,
        );
        if !errors.is_empty() {
            return Err(FieldErrors(errors));
        }
        Ok(ValidReport {
            id: wire.id,
            category: wire.category,
            description: wire.description,
            photos: wire.photos,
            voice_clips: wire.voice_clips,
            location: wire.location,
            seen_at: wire.seen_at,
            contact: wire.contact,
            created_at: wire.created_at,
        })
    }
}

impl ValidReport {
    pub fn id(&self) -> ReportId {
        self.id
    }

    pub fn category(&self) -> Category {
        self.category
    }

    pub fn description(&self) -> &Description {
        &self.description
    }

    pub fn photos(&self) -> &[PhotoMeta] {
        &self.photos
    }

    pub fn voice_clips(&self) -> &[VoiceClipMeta] {
        &self.voice_clips
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

    /// Back to an editable form (for a report that needs attention), with
    /// the checked values in their normalised form.
    pub fn into_draft(self, now: UnixMillis) -> ReportDraft {
        let (point, address) = (
            self.location.point().copied(),
            self.location
                .address()
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
        );
        ReportDraft {
            id: self.id,
            category: Some(self.category),
            description: self.description.into_inner(),
            photos: self.photos,
            voice_clips: self.voice_clips,
            point,
            address,
            seen_at: Some(self.seen_at.value()),
            name: self
                .contact
                .name
                .map(PersonName::into_inner)
                .unwrap_or_default(),
            phone: self
                .contact
                .phone
                .map(PhoneNumber::into_inner)
                .unwrap_or_default(),
            created_at: self.created_at,
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::media::tests::{clip, photo, SHA};
    use crate::report::media::{
        AudioMime, MediaId, Sha256Hex, MAX_PHOTOS, MAX_PHOTO_BYTES, MAX_VOICE_BYTES,
        MAX_VOICE_CLIPS, MAX_VOICE_MS,
    };
    use proptest::prelude::*;

    const NOW: UnixMillis = UnixMillis(1_767_225_600_000); // 2026-01-01T00:00:00Z
    const ID: &str = "67e55044-10b1-426f-9247-bb680e5fe0c8";

    fn id() -> ReportId {
        ID.parse().expect("uuid")
    }

    fn filled() -> ReportDraft {
        ReportDraft {
            category: Some(Category::WaterRiver),
            description: "  小河发黑发臭，有死鱼。 ".into(),
            photos: vec![photo(1600, 1200, 300_000)],
            voice_clips: vec![clip(12_000, 50_000)],
            point: Some(GeoPoint::parse(29.87, 121.55, 15.0).expect("valid")),
            address: "".into(),
            name: " 王小明 ".into(),
            phone: "+86 138 0013 8000".into(),
            ..ReportDraft::new(id(), UnixMillis(NOW.0 - 3_600_000))
        }
    }

    #[test]
    fn report_ids_parse_and_display() {
        assert_eq!(id().to_string(), ID);
        assert_eq!(
            serde_json::to_string(&id()).expect("serialise"),
            format!("\"{ID}\"")
        );
        assert!("nope".parse::<ReportId>().is_err());
    }

    #[test]
    fn a_new_draft_was_seen_now_and_is_otherwise_empty() {
        let draft = ReportDraft::new(id(), NOW);
        assert_eq!(draft.seen_at, Some(NOW));
        assert_eq!((draft.created_at, draft.updated_at), (NOW, NOW));
        assert_eq!(draft.category, None);
        assert!(draft.description.is_empty() && draft.photos.is_empty());
    }

    #[test]
    fn a_filled_draft_validates_to_normalised_values() {
        let report = filled().validate(NOW).expect("valid");
        assert_eq!(report.id(), id());
        assert_eq!(report.category(), Category::WaterRiver);
        assert_eq!(report.description().as_str(), "小河发黑发臭，有死鱼。");
        assert_eq!(report.photos().len(), 1);
        assert_eq!(report.voice_clips().len(), 1);
        assert!(report.location().point().is_some());
        assert_eq!(report.location().address(), None);
        assert_eq!(report.seen_at().value(), UnixMillis(NOW.0 - 3_600_000));
        assert_eq!(
            report.contact().phone.as_ref().map(PhoneNumber::as_str),
            Some("+8613800138000")
        );
        assert!(!report.contact().is_anonymous());
        assert_eq!(report.created_at(), UnixMillis(NOW.0 - 3_600_000));
    }

    #[test]
    fn an_anonymous_report_with_only_an_address_is_valid() {
        let draft = ReportDraft {
            category: Some(Category::Noise),
            description: "夜间施工噪声很大".into(),
            address: "东湖路 12 号工地".into(),
            ..ReportDraft::new(id(), NOW)
        };
        let report = draft.validate(NOW).expect("valid");
        assert!(report.contact().is_anonymous());
        assert_eq!(
            report.location().address().map(|a| a.as_str()),
            Some("东湖路 12 号工地")
        );
    }

    #[test]
    fn an_empty_draft_reports_every_missing_field() {
        let errors = ReportDraft {
            seen_at: None,
            ..ReportDraft::new(id(), NOW)
        }
        .validate(NOW)
        .expect_err("empty");
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            [
                Field::Category,
                Field::Description,
                Field::Location,
                Field::SeenAt
            ]
        );
        assert_eq!(
            errors.for_field(Field::Category).map(|e| &e.message),
            Some(&LocalizedText::new(
                "请选择问题类别。",
                "Choose the kind of problem."
            ))
        );
        assert_eq!(
            errors.for_field(Field::Description).map(|e| &e.message),
            Some(&LocalizedText::new(
                "描述至少需要 5 个字（现在 0 个）。",
                "The description needs at least 5 characters (now 0)."
            ))
        );
        assert_eq!(
            errors.for_field(Field::Location).map(|e| &e.message),
            Some(&LocalizedText::new(
                "请使用当前位置或填写地址、地标。",
                "Use your position or type an address or landmark."
            ))
        );
        assert_eq!(errors.for_field(Field::Photos), None);
    }

    #[test]
    fn every_field_can_fail_at_once() {
        let draft = ReportDraft {
            category: None,
            description: "河水黑".into(),
            photos: vec![photo(10, 10, 10); 10],
            voice_clips: vec![clip(10, 10); 4],
            point: None,
            address: "x".into(),
            seen_at: Some(UnixMillis(NOW.0 + 61_000)),
            name: "a\u{0}b".into(),
            phone: "abc".into(),
            ..ReportDraft::new(id(), NOW)
        };
        let errors = draft.validate(NOW).expect_err("all wrong");
        assert_eq!(errors.fields().collect::<Vec<_>>(), Field::ALL);
        assert_eq!(errors.len(), 8);
        assert_eq!(
            errors
                .for_field(Field::Description)
                .map(|e| e.message.zh_cn.as_str()),
            Some("描述至少需要 5 个字（现在 3 个）。")
        );
        assert!(errors
            .for_field(Field::Photos)
            .is_some_and(|e| e.message.en.contains("at most 9 photos (now 10)")));
        assert!(errors
            .for_field(Field::VoiceClips)
            .is_some_and(|e| e.message.en.contains("at most 3 voice recordings (now 4)")));
        assert!(errors
            .for_field(Field::Location)
            .is_some_and(|e| e.message.en.contains("address")));
        assert!(errors.to_string().starts_with("invalid fields:"));
    }

    #[test]
    fn seen_at_is_checked_against_now() {
        let at = |ms: i64| ReportDraft {
            seen_at: Some(UnixMillis(NOW.0 + ms)),
            ..filled()
        };
        assert!(at(59_000).validate(NOW).is_ok());
        let errors = at(61_000).validate(NOW).expect_err("future");
        assert_eq!(errors.fields().collect::<Vec<_>>(), [Field::SeenAt]);
        let missing = ReportDraft {
            seen_at: None,
            ..filled()
        };
        assert!(missing
            .validate(NOW)
            .expect_err("missing")
            .for_field(Field::SeenAt)
            .is_some());
    }

    #[test]
    fn a_bad_photo_or_clip_is_reported_on_its_field() {
        let draft = ReportDraft {
            photos: vec![photo(10, 10, 10), photo(2000, 10, 10)],
            voice_clips: vec![clip(70_000, 10)],
            ..filled()
        };
        let errors = draft.validate(NOW).expect_err("bad media");
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            [Field::Photos, Field::VoiceClips]
        );
    }

    #[test]
    fn a_record_with_only_an_id_loads() {
        let draft: ReportDraft =
            serde_json::from_str(&format!(r#"{{"id":"{ID}"}}"#)).expect("old record");
        assert_eq!(draft.id, id());
        assert_eq!(draft.category, None);
        assert_eq!(draft.seen_at, None);
        assert_eq!(draft.created_at, UnixMillis(0));
        assert!(draft.description.is_empty() && draft.photos.is_empty());
        assert!(serde_json::from_str::<ReportDraft>("{}").is_err());
    }

    #[test]
    fn a_record_from_a_newer_version_loads() {
        let json = format!(r#"{{"id":"{ID}","category":"air","priority":3}}"#);
        let draft: ReportDraft = serde_json::from_str(&json).expect("newer record");
        assert_eq!(draft.category, Some(Category::Air));
    }

    #[test]
    fn a_draft_round_trips_through_json() {
        let draft = filled();
        let json = serde_json::to_string(&draft).expect("serialise");
        assert_eq!(
            serde_json::from_str::<ReportDraft>(&json).expect("parse"),
            draft
        );
    }

    #[test]
    fn a_valid_report_serialises_in_snake_case_and_round_trips() {
        let report = filled().validate(NOW).expect("valid");
        let json = serde_json::to_value(&report).expect("serialise");
        assert_eq!(json["category"], "water_river");
        assert_eq!(json["description"], "小河发黑发臭，有死鱼。");
        assert_eq!(json["location"]["point"]["accuracy_m"], 15.0);
        assert_eq!(json["contact"]["phone"], "+8613800138000");
        assert_eq!(json["voice_clips"][0]["mime"], "audio/webm;codecs=opus");
        assert_eq!(json["seen_at"], NOW.0 - 3_600_000);
        let back: ValidReport = serde_json::from_value(json).expect("parse");
        assert_eq!(back, report);
    }

    #[test]
    fn deserialising_a_valid_report_rechecks_the_rules() {
        let report = filled().validate(NOW).expect("valid");
        let good = serde_json::to_value(&report).expect("serialise");
        let broken = |path: &[&str], value: serde_json::Value| {
            let mut json = good.clone();
            let mut target = &mut json;
            for key in path {
                target = &mut target[*key];
            }
            *target = value;
            serde_json::from_value::<ValidReport>(json)
        };
        assert!(broken(&["description"], "短".into()).is_err());
        assert!(broken(&["category"], "soil".into()).is_err());
        assert!(broken(&["location", "point"], serde_json::Value::Null).is_err());
        assert!(broken(&["contact", "phone"], "abc".into()).is_err());
        assert!(broken(&["seen_at"], 0.into()).is_err());
        let ten_photos = serde_json::to_value(vec![photo(10, 10, 10); 10]).expect("json");
        assert!(broken(&["photos"], ten_photos).is_err());
        let big_photo = serde_json::to_value(vec![photo(4000, 10, 10)]).expect("json");
        assert!(broken(&["photos"], big_photo).is_err());
    }

    #[test]
    fn a_valid_report_goes_back_to_an_equivalent_draft() {
        let report = filled().validate(NOW).expect("valid");
        let later = UnixMillis(NOW.0 + 5);
        let draft = report.clone().into_draft(later);
        assert_eq!(draft.updated_at, later);
        assert_eq!(draft.phone, "+8613800138000");
        assert_eq!(draft.validate(NOW), Ok(report));
    }

    fn sha() -> impl Strategy<Value = Sha256Hex> {
        prop_oneof![
            Just(Sha256Hex::parse(SHA).expect("valid")),
            "[0-9a-f]{64}".prop_map(|s| Sha256Hex::parse(&s).expect("valid")),
        ]
    }

    fn any_photo() -> impl Strategy<Value = PhotoMeta> {
        (
            any::<u128>(),
            prop_oneof![0..2000u32, any::<u32>()],
            prop_oneof![0..2000u32, any::<u32>()],
            prop_oneof![0..5_000_000u64, any::<u64>()],
            sha(),
        )
            .prop_map(|(id, width, height, bytes, sha256)| PhotoMeta {
                id: MediaId::from_uuid(Uuid::from_u128(id)),
                width,
                height,
                bytes,
                sha256,
            })
    }

    fn any_clip() -> impl Strategy<Value = VoiceClipMeta> {
        (
            any::<u128>(),
            prop_oneof![0..70_000u32, any::<u32>()],
            prop_oneof![0..3_000_000u64, any::<u64>()],
            prop::sample::select(AudioMime::ALL.to_vec()),
            sha(),
        )
            .prop_map(|(id, duration_ms, bytes, mime, sha256)| VoiceClipMeta {
                id: MediaId::from_uuid(Uuid::from_u128(id)),
                duration_ms,
                bytes,
                mime,
                sha256,
            })
    }

    fn any_point() -> impl Strategy<Value = Option<GeoPoint>> {
        prop::option::of(
            (-90.0..=90.0f64, -180.0..=180.0f64, 0.001..=100_000.0f64)
                .prop_map(|(lat, lon, acc)| GeoPoint::parse(lat, lon, acc).expect("in range")),
        )
    }

    fn text(short: &'static str) -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), short, any::<String>()]
    }

    fn any_millis() -> impl Strategy<Value = UnixMillis> {
        prop_oneof![
            any::<i64>(),
            900_000_000_000..2_000_000_000_000i64,
            Just(SeenAt::EARLIEST.0),
        ]
        .prop_map(UnixMillis)
    }

    prop_compose! {
        fn any_draft()(
            id in any::<u128>(),
            category in prop::option::of(prop::sample::select(Category::ALL.to_vec())),
            description in text("\\s?\\PC{3,12}\\s?"),
            photos in prop::collection::vec(any_photo(), 0..12),
            voice_clips in prop::collection::vec(any_clip(), 0..5),
            point in any_point(),
            address in text("\\PC{0,6}"),
            seen_at in prop::option::of(any_millis()),
            name in text("\\s?\\PC{0,8}"),
            phone in text("[+]?[0-9 ()\\-]{0,18}"),
            created_at in any_millis(),
            updated_at in any_millis(),
        ) -> ReportDraft {
            ReportDraft {
                id: ReportId::from_uuid(Uuid::from_u128(id)),
                category,
                description,
                photos,
                voice_clips,
                point,
                address,
                seen_at,
                name,
                phone,
                created_at,
                updated_at,
            }
        }
    }

    fn valid_photo() -> impl Strategy<Value = PhotoMeta> {
        (
            any::<u128>(),
            1..=1600u32,
            1..=1600u32,
            1..=MAX_PHOTO_BYTES,
            sha(),
        )
            .prop_map(|(id, width, height, bytes, sha256)| PhotoMeta {
                id: MediaId::from_uuid(Uuid::from_u128(id)),
                width,
                height,
                bytes,
                sha256,
            })
    }

    fn valid_clip() -> impl Strategy<Value = VoiceClipMeta> {
        (
            any::<u128>(),
            1..=MAX_VOICE_MS,
            1..=MAX_VOICE_BYTES,
            prop::sample::select(AudioMime::ALL.to_vec()),
            sha(),
        )
            .prop_map(|(id, duration_ms, bytes, mime, sha256)| VoiceClipMeta {
                id: MediaId::from_uuid(Uuid::from_u128(id)),
                duration_ms,
                bytes,
                mime,
                sha256,
            })
    }

    prop_compose! {
        /// Drafts that mostly pass, so the `Ok` branch is well exercised,
        /// with the "now" they are checked at.
        fn likely_valid_draft()(
            id in any::<u128>(),
            category in prop::sample::select(Category::ALL.to_vec()),
            description in "\\PC{5,60}",
            photos in prop::collection::vec(valid_photo(), 0..=MAX_PHOTOS),
            voice_clips in prop::collection::vec(valid_clip(), 0..=MAX_VOICE_CLIPS),
            point in any_point(),
            address in prop_oneof![Just(String::new()), "\\PC{2,30}"],
            seen_at in SeenAt::EARLIEST.0..1_900_000_000_000i64,
            ahead in -60_000..10_000_000i64,
            name in prop_oneof![Just(String::new()), "\\PC{1,20}"],
            phone in prop_oneof![Just(String::new()), "[+]?[0-9]{3,4}[ -]?[0-9]{0,11}"],
        ) -> (ReportDraft, UnixMillis) {
            let draft = ReportDraft {
                category: Some(category),
                description,
                photos,
                voice_clips,
                point,
                address,
                seen_at: Some(UnixMillis(seen_at)),
                name,
                phone,
                ..ReportDraft::new(ReportId::from_uuid(Uuid::from_u128(id)), UnixMillis(seen_at))
            };
            (draft, UnixMillis(seen_at + ahead))
        }
    }

    fn draft_and_now() -> impl Strategy<Value = (ReportDraft, UnixMillis)> {
        prop_oneof![(any_draft(), any_millis()), likely_valid_draft()]
    }

    #[test]
    fn likely_valid_drafts_mostly_validate() {
        // Guards the property test below: its `Ok` branch must really run.
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        let strategy = likely_valid_draft();
        let ok = (0..200)
            .filter(|_| {
                let (draft, now) = strategy.new_tree(&mut runner).expect("tree").current();
                draft.validate(now).is_ok()
            })
            .count();
        assert!(ok > 100, "only {ok} of 200 validated");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn validate_never_panics_and_valid_reports_round_trip(
            (draft, now) in draft_and_now(),
        ) {
            match draft.validate(now) {
                Ok(report) => {
                    let json = serde_json::to_string(&report).expect("serialise");
                    let back: ValidReport = serde_json::from_str(&json).expect("parse");
                    prop_assert_eq!(&back, &report);
                    prop_assert_eq!(serde_json::to_string(&back).expect("serialise"), json);
                    prop_assert_eq!(report.into_draft(now).validate(now).is_ok(), true);
                }
                Err(errors) => {
                    prop_assert!(!errors.is_empty());
                    let fields: Vec<_> = errors.fields().collect();
                    let mut sorted = fields.clone();
                    sorted.sort();
                    sorted.dedup();
                    prop_assert_eq!(fields, sorted);
                    for error in &errors {
                        prop_assert!(!error.message.zh_cn.is_empty());
                        prop_assert!(!error.message.en.is_empty());
                    }
                }
            }
        }

        #[test]
        fn drafts_round_trip_through_json(draft in any_draft()) {
            let json = serde_json::to_string(&draft).expect("serialise");
            let back: ReportDraft = serde_json::from_str(&json).expect("parse");
            prop_assert_eq!(back, draft);
        }
    }
}

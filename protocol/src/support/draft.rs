//! "I see this too" as the person fills it in, and the checked support it
//! becomes: the case it supports, optional photos and voice clips (the same
//! pipeline and limits as a report's), optional contact details for staff.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::report::media::{validate_photos, validate_voice_clips};
use crate::report::{
    Contact, Field, FieldError, FieldErrors, MediaError, PersonName, PersonNameError, PhoneError,
    PhoneNumber, PhotoMeta, UnixMillis, VoiceClipMeta,
};
use crate::sync::CaseNumber;
use crate::LocalizedText;

/// Identifies one support: a UUID v4 the phone makes when the person taps
/// "I see this too". The key of its exactly-once sending, like a report's
/// id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SupportId(Uuid);

impl SupportId {
    pub const fn from_uuid(uuid: Uuid) -> Self {
        SupportId(uuid)
    }

    pub const fn as_uuid(&self) -> &Uuid {
        &self.0
    }
}

impl From<Uuid> for SupportId {
    fn from(uuid: Uuid) -> Self {
        SupportId(uuid)
    }
}

impl fmt::Display for SupportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl FromStr for SupportId {
    type Err = uuid::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(SupportId)
    }
}

/// A support as the person is making it, unchecked. Stored as JSON; every
/// field but `id` and `case_number` has a default, so older records load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupportDraft {
    pub id: SupportId,
    /// The case supported, from the nearby list.
    pub case_number: CaseNumber,
    #[serde(default)]
    pub photos: Vec<PhotoMeta>,
    #[serde(default)]
    pub voice_clips: Vec<VoiceClipMeta>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub created_at: UnixMillis,
    #[serde(default)]
    pub updated_at: UnixMillis,
}

impl SupportDraft {
    /// A support of `case_number` started at `now`, with nothing added yet.
    pub fn new(id: SupportId, case_number: CaseNumber, now: UnixMillis) -> SupportDraft {
        SupportDraft {
            id,
            case_number,
            photos: Vec::new(),
            voice_clips: Vec::new(),
            name: String::new(),
            phone: String::new(),
            created_at: now,
            updated_at: now,
        }
    }

    /// Checks every field (the report form's rules for media and contact);
    /// on failure, one error per field to fix, in form order.
    pub fn validate(&self) -> Result<ValidSupport, FieldErrors> {
        let mut errors = Vec::new();
        let mut keep = |field: Field, message: Option<LocalizedText>| {
            if let Some(message) = message {
                errors.push(FieldError { field, message });
            }
        };
        keep(
            Field::Photos,
            validate_photos(&self.photos).err().map(|e| e.message()),
        );
        keep(
            Field::VoiceClips,
            validate_voice_clips(&self.voice_clips)
                .err()
                .map(|e| e.message()),
        );
        let name = PersonName::parse_optional(&self.name);
        keep(
            Field::Name,
            name.as_ref().err().map(PersonNameError::message),
        );
        let phone = PhoneNumber::parse_optional(&self.phone);
        keep(Field::Phone, phone.as_ref().err().map(PhoneError::message));
        match (name, phone) {
            (Ok(name), Ok(phone)) if errors.is_empty() => Ok(ValidSupport {
                id: self.id,
                case_number: self.case_number,
                photos: self.photos.clone(),
                voice_clips: self.voice_clips.clone(),
                contact: Contact { name, phone },
                created_at: self.created_at,
            }),
            _ => Err(FieldErrors::from_unsorted(errors)),
        }
    }
}

/// A support that passed [`SupportDraft::validate`]: the only way to make
/// one (deserialising re-checks the media lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ValidSupportWire")]
pub struct ValidSupport {
    id: SupportId,
    case_number: CaseNumber,
    photos: Vec<PhotoMeta>,
    voice_clips: Vec<VoiceClipMeta>,
    contact: Contact,
    created_at: UnixMillis,
}

#[derive(Deserialize)]
struct ValidSupportWire {
    id: SupportId,
    case_number: CaseNumber,
    photos: Vec<PhotoMeta>,
    voice_clips: Vec<VoiceClipMeta>,
    contact: Contact,
    created_at: UnixMillis,
}

impl TryFrom<ValidSupportWire> for ValidSupport {
    type Error = MediaError;

    fn try_from(wire: ValidSupportWire) -> Result<Self, MediaError> {
        validate_photos(&wire.photos)?;
        validate_voice_clips(&wire.voice_clips)?;
        Ok(ValidSupport {
            id: wire.id,
            case_number: wire.case_number,
            photos: wire.photos,
            voice_clips: wire.voice_clips,
            contact: wire.contact,
            created_at: wire.created_at,
        })
    }
}

impl ValidSupport {
    pub fn id(&self) -> SupportId {
        self.id
    }

    pub fn case_number(&self) -> CaseNumber {
        self.case_number
    }

    pub fn photos(&self) -> &[PhotoMeta] {
        &self.photos
    }

    pub fn voice_clips(&self) -> &[VoiceClipMeta] {
        &self.voice_clips
    }

    pub fn contact(&self) -> &Contact {
        &self.contact
    }

    pub fn created_at(&self) -> UnixMillis {
        self.created_at
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{MediaId, Sha256Hex, MAX_PHOTOS};

    pub(crate) fn photo(n: u128) -> PhotoMeta {
        PhotoMeta {
            id: MediaId::from_uuid(Uuid::from_u128(n)),
            width: 800,
            height: 600,
            bytes: 1000 + n as u64,
            sha256: Sha256Hex::of(&n.to_le_bytes()),
        }
    }

    fn draft() -> SupportDraft {
        SupportDraft::new(
            SupportId::from_uuid(Uuid::from_u128(1)),
            CaseNumber::new(2026, 5).expect("number"),
            UnixMillis(1_000),
        )
    }

    #[test]
    fn a_support_needs_nothing_but_its_case() {
        let valid = draft().validate().expect("valid");
        assert_eq!(valid.case_number().to_string(), "GW-2026-000005");
        assert!(valid.photos().is_empty() && valid.voice_clips().is_empty());
        assert!(valid.contact().is_anonymous());
        let json = serde_json::to_string(&valid).expect("json");
        assert_eq!(
            serde_json::from_str::<ValidSupport>(&json).expect("parse"),
            valid
        );
    }

    #[test]
    fn media_and_contact_follow_the_reports_rules() {
        let mut support = draft();
        support.photos = (0..=MAX_PHOTOS as u128).map(photo).collect();
        support.phone = "12".into();
        support.name = "  王  ".into();
        let errors = support.validate().expect_err("too many photos, bad phone");
        assert_eq!(
            errors.fields().collect::<Vec<_>>(),
            [Field::Photos, Field::Phone]
        );
        support.photos.truncate(2);
        support.phone = "13800138000".into();
        let valid = support.validate().expect("valid");
        assert_eq!(
            valid.contact().name.as_ref().map(|n| n.as_str()),
            Some("王")
        );
        // A stored support with too many photos does not read back.
        let mut json = serde_json::to_value(&valid).expect("json");
        json["photos"] =
            serde_json::to_value((0..=MAX_PHOTOS as u128).map(photo).collect::<Vec<_>>())
                .expect("json");
        assert!(serde_json::from_value::<ValidSupport>(json).is_err());
    }

    #[test]
    fn ids_are_hyphenated_uuids() {
        let id: SupportId = "67e55044-10b1-426f-9247-bb680e5fe0c8"
            .parse()
            .expect("uuid");
        assert_eq!(id.to_string(), "67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(
            serde_json::to_string(&id).expect("json"),
            "\"67e55044-10b1-426f-9247-bb680e5fe0c8\""
        );
        assert!("nope".parse::<SupportId>().is_err());
    }
}

//! The rules the server applies to what arrives, here so the app can know
//! them and the server cannot drift from them.
//!
//! A create for an id the server does not hold yet is checked with
//! [`CreateReport::check`] before anything is stored (an id it holds is a
//! replay or a conflict, decided by the fingerprint alone, so a replay gets
//! its case even if the rules or the clock would refuse the body today);
//! each medium's bytes with [`MediumDecl::check_bytes`]. Each failure is an
//! [`IntakeError`] with its [`ErrorCode`] (so its status) and a message for
//! the person, turned into the answer by [`IntakeError::to_api_error`].

use thiserror::Error;

use super::wire::{CreateReport, MediumDecl, MediumKind, PHOTO_MIME};
use crate::report::media::{MAX_PHOTOS, MAX_PHOTO_BYTES, MAX_VOICE_BYTES, MAX_VOICE_CLIPS};
use crate::report::{
    AudioMime, Field, FieldError, MediaError, SeenAt, SeenAtError, Sha256Hex, UnixMillis,
};
use crate::{ApiError, ErrorCode, LocalizedText};

/// Why the server refused a create or a medium.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IntakeError {
    /// The id already holds other content (or another receipt).
    #[error("the report id already holds different content")]
    Conflict,
    /// A declared medium, or an uploaded body, is larger than allowed.
    #[error("medium {index}: {bytes} bytes, at most {max}")]
    MediumTooLarge { index: u8, bytes: u64, max: u64 },
    /// A medium's MIME type does not fit its kind.
    #[error("medium {index}: unsupported type \"{mime}\"")]
    UnsupportedMediaType { index: u8, mime: String },
    /// Rules broken, each on the form field the person would fix.
    #[error("invalid fields: {0:?}")]
    Invalid(Vec<FieldError>),
}

impl IntakeError {
    pub fn code(&self) -> ErrorCode {
        match self {
            IntakeError::Conflict => ErrorCode::Conflict,
            IntakeError::MediumTooLarge { .. } => ErrorCode::PayloadTooLarge,
            IntakeError::UnsupportedMediaType { .. } => ErrorCode::UnsupportedMediaType,
            IntakeError::Invalid(_) => ErrorCode::Invalid,
        }
    }

    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            IntakeError::Conflict => ErrorCode::Conflict.message(),
            IntakeError::MediumTooLarge { max, .. } => {
                let mb = max.div_ceil(1024 * 1024);
                LocalizedText::new(
                    format!("有一个文件过大（最多 {mb} MB），请删除后重新添加。"),
                    format!("A file is too big (at most {mb} MB). Remove it and add it again."),
                )
            }
            IntakeError::UnsupportedMediaType { .. } => LocalizedText::new(
                "有一个文件的格式不受支持，请删除后重新添加。",
                "A file's format is not supported. Remove it and add it again.",
            ),
            IntakeError::Invalid(fields) => match fields.as_slice() {
                [only] => only.message.clone(),
                _ => ErrorCode::Invalid.message(),
            },
        }
    }

    /// The JSON body of the answer; send it with `self.code().status()`.
    pub fn to_api_error(&self) -> ApiError {
        ApiError {
            code: self.code(),
            message: self.message(),
            fields: match self {
                IntakeError::Invalid(fields) => fields.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// The form field a medium of `kind` belongs to.
fn field_of(kind: MediumKind) -> Field {
    match kind {
        MediumKind::Photo => Field::Photos,
        MediumKind::Voice => Field::VoiceClips,
    }
}

/// The message for a medium whose bytes do not match its declaration.
fn mismatch_message() -> LocalizedText {
    LocalizedText::new(
        "有一个文件与报告中记录的不一致，请删除后重新添加。",
        "A file does not match what the report lists. Remove it and add it again.",
    )
}

impl MediumDecl {
    /// The most bytes a medium of this kind may have.
    pub fn max_bytes(&self) -> u64 {
        match self.kind {
            MediumKind::Photo => MAX_PHOTO_BYTES,
            MediumKind::Voice => MAX_VOICE_BYTES,
        }
    }

    /// The declaration on its own: a MIME type that fits the kind (JPEG for
    /// photos, a recorder format for voice; case and parameters as
    /// [`AudioMime::from_mime`] reads them), then 1 to
    /// [`MediumDecl::max_bytes`] bytes.
    pub fn check(&self) -> Result<(), IntakeError> {
        let mime_fits = match self.kind {
            MediumKind::Photo => {
                let essence = self.mime.split(';').next().unwrap_or_default().trim();
                essence.eq_ignore_ascii_case(PHOTO_MIME)
            }
            MediumKind::Voice => AudioMime::from_mime(&self.mime).is_some(),
        };
        if !mime_fits {
            return Err(IntakeError::UnsupportedMediaType {
                index: self.index,
                mime: self.mime.clone(),
            });
        }
        if self.bytes > self.max_bytes() {
            return Err(IntakeError::MediumTooLarge {
                index: self.index,
                bytes: self.bytes,
                max: self.max_bytes(),
            });
        }
        if self.bytes == 0 {
            let error = match self.kind {
                MediumKind::Photo => MediaError::PhotoFileEmpty,
                MediumKind::Voice => MediaError::VoiceFileEmpty,
            };
            return Err(IntakeError::Invalid(vec![FieldError {
                field: field_of(self.kind),
                message: error.message(),
            }]));
        }
        Ok(())
    }

    /// An uploaded body against this declaration: more bytes than declared
    /// is 413; fewer, or other bytes (by SHA-256), is 422.
    pub fn check_bytes(&self, body: &[u8]) -> Result<(), IntakeError> {
        let actual = body.len() as u64;
        if actual > self.bytes {
            return Err(IntakeError::MediumTooLarge {
                index: self.index,
                bytes: actual,
                max: self.bytes,
            });
        }
        if actual != self.bytes || Sha256Hex::of(body) != self.sha256 {
            return Err(IntakeError::Invalid(vec![FieldError {
                field: field_of(self.kind),
                message: mismatch_message(),
            }]));
        }
        Ok(())
    }
}

impl CreateReport {
    /// Every rule a received create body must pass, `now` being the
    /// server's clock. The first problem found, in this order: a media type
    /// (415), a medium's size (413), then every broken rule at once (422):
    /// the time seen (not in the future), the media numbering (0, 1, 2, …
    /// photos before voice clips) and the number of each kind.
    ///
    /// (Every other field was checked when the body was read: its types
    /// parse only valid values.)
    pub fn check(&self, now: UnixMillis) -> Result<(), IntakeError> {
        let mut fields = Vec::new();
        if let Err(error) = SeenAt::parse(self.seen_at().value(), now) {
            fields.push(FieldError {
                field: Field::SeenAt,
                message: SeenAtError::message(&error),
            });
        }
        check_media(self.media(), fields)
    }
}

/// The media declarations of a create body (a report's or a support's),
/// with `fields` the body's other broken rules: the first media type
/// (415) or size (413) refused, else every broken rule at once (422):
/// `fields`, the numbering (0, 1, 2, … photos before voice clips), the
/// number of each kind and empty media; one error per field, in form order.
pub fn check_media(media: &[MediumDecl], mut fields: Vec<FieldError>) -> Result<(), IntakeError> {
    for medium in media {
        if let Err(
            error @ (IntakeError::UnsupportedMediaType { .. } | IntakeError::MediumTooLarge { .. }),
        ) = medium.check()
        {
            return Err(error);
        }
    }
    fields.extend(media_errors(media));
    if fields.is_empty() {
        return Ok(());
    }
    // One error per field, in form order.
    fields.sort_by_key(|error| error.field);
    fields.dedup_by_key(|error| error.field);
    Err(IntakeError::Invalid(fields))
}

fn media_errors(media: &[MediumDecl]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut push = |field, message| errors.push(FieldError { field, message });
    let numbered = media
        .iter()
        .enumerate()
        .all(|(i, medium)| usize::from(medium.index) == i);
    let grouped = media
        .windows(2)
        .all(|pair| !(pair[0].kind == MediumKind::Voice && pair[1].kind == MediumKind::Photo));
    if !numbered || !grouped {
        push(
            Field::Photos,
            LocalizedText::new(
                "报告中的文件编号有误，请删除照片后重新添加。",
                "The report's files are numbered wrongly. Remove the photos and add them again.",
            ),
        );
    }
    let count = |kind| media.iter().filter(|m| m.kind == kind).count();
    let (photos, clips) = (count(MediumKind::Photo), count(MediumKind::Voice));
    if photos > MAX_PHOTOS {
        let error = MediaError::TooManyPhotos {
            max: MAX_PHOTOS,
            actual: photos,
        };
        push(Field::Photos, error.message());
    }
    if clips > MAX_VOICE_CLIPS {
        let error = MediaError::TooManyVoiceClips {
            max: MAX_VOICE_CLIPS,
            actual: clips,
        };
        push(Field::VoiceClips, error.message());
    }
    for medium in media {
        if let Err(IntakeError::Invalid(fields)) = medium.check() {
            errors.extend(fields);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::wire::tests::{create, NOW};
    use proptest::prelude::*;

    /// The test body with its JSON edited: how a tampered or buggy client's
    /// body reaches the server.
    fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> CreateReport {
        let mut json = serde_json::to_value(create()).expect("serialise");
        edit(&mut json);
        serde_json::from_value(json).expect("still a body")
    }

    fn medium(index: u8, kind: MediumKind, mime: &str, bytes: u64) -> MediumDecl {
        MediumDecl {
            index,
            kind,
            mime: mime.into(),
            bytes,
            sha256: Sha256Hex::of(b""),
        }
    }

    #[test]
    fn the_apps_body_passes() {
        assert_eq!(create().check(NOW), Ok(()));
        // The server's clock may be behind the phone's by up to a minute.
        assert_eq!(
            create().check(UnixMillis(NOW.0 - 3_600_000 - 60_000)),
            Ok(())
        );
    }

    #[test]
    fn a_time_seen_ahead_of_the_servers_clock_is_invalid() {
        let error = create()
            .check(UnixMillis(NOW.0 - 3_600_000 - 60_001))
            .expect_err("future");
        assert_eq!(error.code(), ErrorCode::Invalid);
        let api = error.to_api_error();
        assert_eq!(api.code, ErrorCode::Invalid);
        assert_eq!(api.fields.len(), 1);
        assert_eq!(api.fields[0].field, Field::SeenAt);
        assert_eq!(api.message, api.fields[0].message);
    }

    #[test]
    fn media_types_must_fit_their_kind() {
        for (kind, mime, ok) in [
            (MediumKind::Photo, "image/jpeg", true),
            (MediumKind::Photo, "IMAGE/JPEG", true),
            (MediumKind::Photo, "image/png", false),
            (MediumKind::Photo, "audio/mp4", false),
            (MediumKind::Voice, "audio/webm;codecs=opus", true),
            (MediumKind::Voice, "audio/ogg", true),
            (MediumKind::Voice, "audio/wav", false),
            (MediumKind::Voice, "image/jpeg", false),
        ] {
            let result = medium(4, kind, mime, 10).check();
            assert_eq!(result.is_ok(), ok, "{kind:?} {mime}");
            if !ok {
                assert_eq!(
                    result,
                    Err(IntakeError::UnsupportedMediaType {
                        index: 4,
                        mime: mime.into()
                    })
                );
            }
        }
        let body = edited(|j| j["media"][2]["mime"] = "audio/wav".into());
        let error = body.check(NOW).expect_err("415");
        assert_eq!(error.code().status(), 415);
        assert!(error.message().en.contains("format"));
    }

    #[test]
    fn declared_sizes_are_bounded() {
        assert_eq!(
            medium(0, MediumKind::Photo, "image/jpeg", MAX_PHOTO_BYTES).check(),
            Ok(())
        );
        let error = medium(0, MediumKind::Photo, "image/jpeg", MAX_PHOTO_BYTES + 1)
            .check()
            .expect_err("413");
        assert_eq!(error.code().status(), 413);
        assert!(error.message().en.contains("at most 4 MB"));
        let error = medium(1, MediumKind::Voice, "audio/ogg", MAX_VOICE_BYTES + 1)
            .check()
            .expect_err("413");
        assert!(error.message().zh_cn.contains("2 MB"));
        let error = medium(1, MediumKind::Voice, "audio/ogg", 0)
            .check()
            .expect_err("422");
        assert_eq!(error.code(), ErrorCode::Invalid);
        let body = edited(|j| j["media"][0]["bytes"] = (MAX_PHOTO_BYTES + 1).into());
        assert_eq!(
            body.check(NOW).map_err(|e| e.code()),
            Err(ErrorCode::PayloadTooLarge)
        );
    }

    #[test]
    fn media_must_be_numbered_in_order_and_within_limits() {
        let renumbered = edited(|j| j["media"][1]["index"] = 5.into());
        let error = renumbered.check(NOW).expect_err("numbering");
        assert_eq!(error.code(), ErrorCode::Invalid);
        let voice_first = edited(|j| {
            let media = j["media"].as_array_mut().expect("array");
            media.swap(0, 2);
            for (i, medium) in media.iter_mut().enumerate() {
                medium["index"] = i.into();
            }
        });
        assert!(voice_first.check(NOW).is_err());

        let ten_photos = edited(|j| {
            let photo = j["media"][0].clone();
            j["media"] = (0..10)
                .map(|i| {
                    let mut photo = photo.clone();
                    photo["index"] = i.into();
                    photo
                })
                .collect();
        });
        let IntakeError::Invalid(fields) = ten_photos.check(NOW).expect_err("too many") else {
            panic!("expected 422");
        };
        assert_eq!(fields.len(), 1);
        assert!(fields[0].message.en.contains("at most 9 photos (now 10)"));

        // Several broken rules: all reported, one per field, in form order.
        let both = edited(|j| {
            j["seen_at"] = (NOW.0 + 3_600_000).into();
            j["media"][1]["index"] = 7.into();
        });
        let IntakeError::Invalid(fields) = both.check(NOW).expect_err("both") else {
            panic!("expected 422");
        };
        assert_eq!(
            fields.iter().map(|f| f.field).collect::<Vec<_>>(),
            [Field::Photos, Field::SeenAt]
        );
        assert_eq!(
            IntakeError::Invalid(fields).message(),
            ErrorCode::Invalid.message()
        );
    }

    #[test]
    fn uploaded_bytes_must_match_the_declaration() {
        let bytes = b"\xff\xd8\xff\xe0 a small jpeg".to_vec();
        let declared = MediumDecl {
            index: 2,
            kind: MediumKind::Photo,
            mime: "image/jpeg".into(),
            bytes: bytes.len() as u64,
            sha256: Sha256Hex::of(&bytes),
        };
        assert_eq!(declared.check_bytes(&bytes), Ok(()));
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            declared.check_bytes(&longer),
            Err(IntakeError::MediumTooLarge {
                index: 2,
                bytes: longer.len() as u64,
                max: bytes.len() as u64
            })
        );
        let shorter = &bytes[..bytes.len() - 1];
        assert_eq!(
            declared.check_bytes(shorter).map_err(|e| e.code()),
            Err(ErrorCode::Invalid)
        );
        let mut other = bytes.clone();
        other[3] ^= 1;
        let error = declared.check_bytes(&other).expect_err("other bytes");
        assert_eq!(error.to_api_error().fields[0].field, Field::Photos);
        assert!(error.message().en.contains("does not match"));
    }

    #[test]
    fn every_error_becomes_an_answer_with_its_status() {
        for (error, status) in [
            (IntakeError::Conflict, 409),
            (
                IntakeError::MediumTooLarge {
                    index: 0,
                    bytes: 2,
                    max: 1,
                },
                413,
            ),
            (
                IntakeError::UnsupportedMediaType {
                    index: 0,
                    mime: "x".into(),
                },
                415,
            ),
            (IntakeError::Invalid(vec![]), 422),
        ] {
            let api = error.to_api_error();
            assert_eq!(api.code.status(), status);
            assert!(!api.message.zh_cn.is_empty() && !api.message.en.is_empty());
        }
    }

    proptest! {
        #[test]
        fn only_the_declared_bytes_pass(
            bytes in prop::collection::vec(any::<u8>(), 1..64),
            other in prop::collection::vec(any::<u8>(), 0..64),
        ) {
            let declared = MediumDecl {
                index: 0,
                kind: MediumKind::Voice,
                mime: "audio/ogg".into(),
                bytes: bytes.len() as u64,
                sha256: Sha256Hex::of(&bytes),
            };
            prop_assert_eq!(declared.check_bytes(&bytes), Ok(()));
            prop_assert_eq!(declared.check_bytes(&other).is_ok(), other == bytes);
        }
    }
}

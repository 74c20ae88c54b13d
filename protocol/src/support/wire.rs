//! The bodies and paths of "I see this too", one definition for the app
//! and the server. The same shape as a report's intake:
//!
//! - `PUT /api/v1/supports/{support_id}`, body [`CreateSupport`]: 201 the
//!   first time, 200 for the same content again, both with an
//!   [`IntakeStatus`](crate::sync::IntakeStatus) whose case number is the
//!   case the support counts for (the one it names, or the original that
//!   case was merged into); 409 for other content under the same id; 422
//!   ([`unknown_case_error`]) for a case that does not exist. A case closed
//!   meanwhile still takes the support (the phone may have queued it
//!   offline): its evidence reaches staff and its sender sees the outcome.
//! - `PUT /api/v1/supports/{support_id}/media/{index}`, body the medium's
//!   bytes: 200 with the status, also when the same bytes come again.
//! - Following: `GET /api/v1/cases/{case_number}` with the support's
//!   receipt in `X-Receipt`, as for a report (an unknown case and a wrong
//!   receipt get the same 404).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::draft::{SupportId, ValidSupport};
use crate::report::media::lower_hex;
use crate::report::{Contact, MediaId, UnixMillis};
use crate::sync::intake::check_media;
use crate::sync::wire::{declare_media, nth_medium_id};
use crate::sync::{CaseNumber, IntakeError, MediumDecl, ReceiptHash, API_V1};
use crate::{ApiError, ErrorCode, LocalizedText};

/// The create route, in axum's pattern syntax.
pub const SUPPORT_ROUTE: &str = "/api/v1/supports/{support_id}";
/// The medium upload route, in axum's pattern syntax.
pub const SUPPORT_MEDIUM_ROUTE: &str = "/api/v1/supports/{support_id}/media/{index}";

/// `PUT` here creates the support.
pub fn support_path(id: SupportId) -> String {
    format!("{API_V1}/supports/{id}")
}

/// `PUT` here uploads medium `index` of the support.
pub fn support_medium_path(id: SupportId, index: u8) -> String {
    format!("{API_V1}/supports/{id}/media/{index}")
}

/// The body of `PUT /api/v1/supports/{support_id}`: which case, the
/// optional contact, the media declarations (numbered like a report's) and
/// the hash of the support's own receipt. The id is the path's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateSupport {
    case_number: CaseNumber,
    contact: Contact,
    created_at: UnixMillis,
    media: Vec<MediumDecl>,
    receipt_hash: ReceiptHash,
}

impl CreateSupport {
    /// The create body for `support`, whose receipt secret hashes to
    /// `receipt_hash`. Media are numbered photos first, then voice clips.
    pub fn from_valid(support: &ValidSupport, receipt_hash: &ReceiptHash) -> CreateSupport {
        CreateSupport {
            case_number: support.case_number(),
            contact: support.contact().clone(),
            created_at: support.created_at(),
            media: declare_media(support.photos(), support.voice_clips()),
            receipt_hash: receipt_hash.clone(),
        }
    }

    pub fn case_number(&self) -> CaseNumber {
        self.case_number
    }

    pub fn contact(&self) -> &Contact {
        &self.contact
    }

    pub fn created_at(&self) -> UnixMillis {
        self.created_at
    }

    pub fn media(&self) -> &[MediumDecl] {
        &self.media
    }

    pub fn medium(&self, index: u8) -> Option<&MediumDecl> {
        self.media.iter().find(|medium| medium.index == index)
    }

    pub fn receipt_hash(&self) -> &ReceiptHash {
        &self.receipt_hash
    }

    /// The rules a received body for a new id must pass: a report's media
    /// rules ([`check_media`]: 415, 413, then 422). Every other field was
    /// checked when the body was read. Whether the case exists is the
    /// server's to say ([`unknown_case_error`]).
    pub fn check(&self) -> Result<(), IntakeError> {
        check_media(&self.media, Vec::new())
    }
}

/// The id of the medium a support's create body numbers `index`.
pub fn support_medium_id(support: &ValidSupport, index: u8) -> Option<MediaId> {
    nth_medium_id(support.photos(), support.voice_clips(), index)
}

/// The version tag that starts [`support_canonical_form`].
pub const SUPPORT_CANONICAL_FORM_VERSION: &str = "greenwatch/create-support/1";

/// The SHA-256, in lowercase hex, of [`support_canonical_form`]: the same
/// id with the same fingerprint is a replay, anything else a conflict.
pub fn support_fingerprint(support: &CreateSupport) -> String {
    lower_hex(&Sha256::digest(support_canonical_form(support)))
}

/// The create body field by field in a fixed order (see
/// [`canonical_form`](crate::sync::canonical_form) for why not JSON).
/// Changing anything here changes every stored fingerprint.
pub fn support_canonical_form(support: &CreateSupport) -> Vec<u8> {
    use crate::canonical::field;
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(SUPPORT_CANONICAL_FORM_VERSION.as_bytes());
    out.push(b'\n');
    let o = &mut out;
    field(o, "case_number", Some(&support.case_number.to_string()));
    crate::sync::wire::canonical_tail(
        o,
        &support.contact,
        support.created_at,
        &support.media,
        &support.receipt_hash,
    );
    out
}

/// The 422 for a support of a case the server does not hold (a case
/// number the app did not get from the server): the person cannot fix it
/// by sending again.
pub fn unknown_case_error() -> ApiError {
    ApiError::new(
        ErrorCode::Invalid,
        LocalizedText::new(
            "找不到要支持的案件，请重新查看附近的案件。",
            "The case to support cannot be found. Look at the nearby cases again.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{AudioMime, Sha256Hex, VoiceClipMeta, MAX_VOICE_CLIPS};
    use crate::support::draft::SupportDraft;
    use crate::sync::{MediumKind, ReceiptSecret};
    use uuid::Uuid;

    fn support() -> ValidSupport {
        let mut draft = SupportDraft::new(
            SupportId::from_uuid(Uuid::from_u128(42)),
            CaseNumber::new(2026, 9).expect("number"),
            UnixMillis(1_767_225_600_000),
        );
        draft.photos = vec![crate::support::draft::tests::photo(1)];
        draft.voice_clips = vec![VoiceClipMeta {
            id: MediaId::from_uuid(Uuid::from_u128(2)),
            duration_ms: 3_000,
            bytes: 4_000,
            mime: AudioMime::WebmOpus,
            sha256: Sha256Hex::of(b"clip"),
        }];
        draft.phone = "13800138000".into();
        draft.validate().expect("valid")
    }

    fn body() -> CreateSupport {
        CreateSupport::from_valid(&support(), &ReceiptSecret::from_bytes([5; 32]).hash())
    }

    #[test]
    fn paths_fill_the_routes() {
        let id = SupportId::from_uuid(Uuid::from_u128(42));
        assert_eq!(
            support_path(id),
            SUPPORT_ROUTE.replace("{support_id}", &id.to_string())
        );
        assert_eq!(
            support_medium_path(id, 3),
            SUPPORT_MEDIUM_ROUTE
                .replace("{support_id}", &id.to_string())
                .replace("{index}", "3")
        );
    }

    #[test]
    fn the_body_numbers_photos_then_clips_and_round_trips() {
        let valid = support();
        let body = body();
        let kinds: Vec<_> = body.media().iter().map(|m| (m.index, m.kind)).collect();
        assert_eq!(kinds, [(0, MediumKind::Photo), (1, MediumKind::Voice)]);
        assert_eq!(
            body.medium(1).map(|m| m.mime.as_str()),
            Some("audio/webm;codecs=opus")
        );
        assert_eq!(
            support_medium_id(&valid, 1),
            Some(valid.voice_clips()[0].id)
        );
        assert_eq!(support_medium_id(&valid, 2), None);
        assert_eq!(body.check(), Ok(()));
        let json = serde_json::to_value(&body).expect("json");
        let mut keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "case_number",
                "contact",
                "created_at",
                "media",
                "receipt_hash"
            ]
        );
        assert_eq!(
            serde_json::from_value::<CreateSupport>(json).expect("parse"),
            body
        );
    }

    #[test]
    fn the_media_rules_are_a_reports() {
        let mut json = serde_json::to_value(body()).expect("json");
        json["media"][1]["mime"] = "audio/wav".into();
        let wav: CreateSupport = serde_json::from_value(json).expect("parse");
        assert_eq!(wav.check().map_err(|e| e.code().status()), Err(415));
        let mut json = serde_json::to_value(body()).expect("json");
        let clip = json["media"][1].clone();
        json["media"] = (0..=MAX_VOICE_CLIPS)
            .map(|i| {
                let mut clip = clip.clone();
                clip["index"] = i.into();
                clip
            })
            .collect();
        let many: CreateSupport = serde_json::from_value(json).expect("parse");
        assert_eq!(many.check().map_err(|e| e.code().status()), Err(422));
    }

    #[test]
    fn the_fingerprint_is_pinned_and_sees_every_field() {
        let body = body();
        let form = String::from_utf8(support_canonical_form(&body)).expect("utf-8");
        assert!(form.starts_with(
            "greenwatch/create-support/1\ncase_number=14:GW-2026-000009\nname=-\nphone=11:13800138000\n"
        ));
        let fingerprint = support_fingerprint(&body);
        let changed = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut json = serde_json::to_value(&body).expect("json");
            edit(&mut json);
            support_fingerprint(&serde_json::from_value(json).expect("parse"))
        };
        type Edit<'a> = &'a dyn Fn(&mut serde_json::Value);
        let edits: [Edit; 5] = [
            &|j| j["case_number"] = "GW-2026-000010".into(),
            &|j| j["contact"]["phone"] = serde_json::Value::Null,
            &|j| j["created_at"] = 1.into(),
            &|j| j["media"][0]["bytes"] = 1.into(),
            &|j| j["receipt_hash"] = ReceiptSecret::from_bytes([6; 32]).hash().as_str().into(),
        ];
        for edit in edits {
            assert_ne!(changed(edit), fingerprint);
        }
        assert_eq!(
            fingerprint,
            lower_hex(&Sha256::digest(support_canonical_form(&body)))
        );
    }

    #[test]
    fn an_unknown_case_is_a_refusal_with_a_message() {
        let error = unknown_case_error();
        assert_eq!(error.code.status(), 422);
        assert!(error.message.en.contains("cannot be found"));
    }
}

//! The stored shape of a report.

use protocol::report::{MediaId, ReportDraft, ReportState, UnixMillis};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use web_shared::idb::UnreadableRecord;

/// One report in the `reports` store (key path `id`). Fields added in later
/// versions carry `#[serde(default)]`, so records written by older versions
/// still read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportRecord {
    /// The report's UUID as text: the store's key.
    pub id: String,
    pub state: ReportState,
    /// The report as the person wrote it.
    pub draft: ReportDraft,
    #[serde(default)]
    pub queued_at: Option<UnixMillis>,
    /// The report was sent and its media blobs were deleted from the
    /// device to free space; only its thumbnail is left.
    #[serde(default)]
    pub media_freed: bool,
}

impl ReportRecord {
    pub fn new_draft(draft: ReportDraft) -> Self {
        Self {
            id: draft.id.to_string(),
            state: ReportState::Draft,
            draft,
            queued_at: None,
            media_freed: false,
        }
    }

    /// The person queued it (whatever happened to it since): the sync
    /// engine's business. `None` for a draft.
    pub fn queued(&self) -> Option<protocol::sync::QueuedItem> {
        if self.state == ReportState::Draft {
            return None;
        }
        Some(protocol::sync::QueuedItem {
            item: protocol::sync::SyncItem::Report(self.draft.id),
            queued_at: self.queued_at?,
        })
    }

    /// Every medium the report lists: photos, then voice clips.
    pub fn media_ids(&self) -> impl Iterator<Item = MediaId> + '_ {
        self.draft
            .photos
            .iter()
            .map(|photo| photo.id)
            .chain(self.draft.voice_clips.iter().map(|clip| clip.id))
    }
}

/// A stored report record, or why this version cannot read it (its key
/// when it has one).
pub(super) fn from_js(value: JsValue) -> Result<ReportRecord, UnreadableRecord> {
    web_shared::idb::from_record(value.clone()).map_err(|error| UnreadableRecord {
        key: js_sys::Reflect::get(&value, &JsValue::from_str("id"))
            .ok()
            .and_then(|id| id.as_string()),
        error,
    })
}

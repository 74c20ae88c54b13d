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

/// How long a queued report may wait unsent before Home and My reports
/// point it out: 24 hours.
pub const UNSENT_TOO_LONG_MS: i64 = 24 * 60 * 60 * 1000;

impl ReportRecord {
    /// Queued (or sending, or waiting for the person) at least
    /// [`UNSENT_TOO_LONG_MS`] before `now`, and still not sent.
    pub fn unsent_too_long(&self, now: UnixMillis) -> bool {
        let unsent = matches!(
            self.state,
            ReportState::Queued | ReportState::Sending | ReportState::NeedsAttention
        );
        unsent
            && self
                .queued_at
                .is_some_and(|at| now.0.saturating_sub(at.0) >= UNSENT_TOO_LONG_MS)
    }

    /// Not on the server yet (a draft too): what the browser may lose if it
    /// clears the site's data.
    pub fn unsent(&self) -> bool {
        self.state != ReportState::Sent
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::report::ReportId;

    fn queued(state: ReportState, at: i64) -> ReportRecord {
        let mut record = ReportRecord::new_draft(ReportDraft::new(
            ReportId::from_uuid(uuid::Uuid::from_u128(7)),
            UnixMillis(0),
        ));
        record.state = state;
        record.queued_at = Some(UnixMillis(at));
        record
    }

    #[test]
    fn a_report_unsent_for_24_hours_is_flagged_and_not_a_minute_before() {
        let at = 1_800_000_000_000;
        let record = queued(ReportState::Queued, at);
        assert!(!record.unsent_too_long(UnixMillis(at + UNSENT_TOO_LONG_MS - 60_000)));
        assert!(record.unsent_too_long(UnixMillis(at + UNSENT_TOO_LONG_MS)));
        for state in [ReportState::Sending, ReportState::NeedsAttention] {
            assert!(queued(state, at).unsent_too_long(UnixMillis(at + UNSENT_TOO_LONG_MS)));
        }
    }

    #[test]
    fn sent_reports_drafts_and_a_clock_set_back_are_never_flagged() {
        let at = 1_800_000_000_000;
        let late = UnixMillis(at + 10 * UNSENT_TOO_LONG_MS);
        assert!(!queued(ReportState::Sent, at).unsent_too_long(late));
        let mut draft = queued(ReportState::Draft, at);
        draft.queued_at = None;
        assert!(!draft.unsent_too_long(late));
        assert!(
            !queued(ReportState::Queued, at).unsent_too_long(UnixMillis(at - UNSENT_TOO_LONG_MS))
        );
    }
}

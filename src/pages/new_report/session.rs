//! Which draft the New report page is editing, and saving it.

use crate::outbox::{MediaChanges, Medium, Outbox, ReportRecord, StorageError};
use protocol::report::{MediaId, ReportDraft, ReportId};

/// The draft being written survives a reload or a closed tab: its id is
/// kept here, its content in the outbox.
const CURRENT_DRAFT_KEY: &str = "greenwatch.current_draft";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn current_draft_id() -> Option<ReportId> {
    storage()?
        .get_item(CURRENT_DRAFT_KEY)
        .ok()
        .flatten()?
        .parse()
        .ok()
}

pub fn set_current_draft_id(id: Option<ReportId>) {
    if let Some(storage) = storage() {
        let _ = match id {
            Some(id) => storage.set_item(CURRENT_DRAFT_KEY, &id.to_string()),
            None => storage.remove_item(CURRENT_DRAFT_KEY),
        };
    }
}

/// Media changes owned by a pending save.
#[derive(Default)]
pub struct PendingMedia {
    pub added: Vec<(MediaId, Medium)>,
    pub removed: Vec<MediaId>,
    pub thumbnail: Option<Medium>,
}

/// Writes the draft and its media changes in one transaction.
pub async fn save(draft: ReportDraft, media: PendingMedia) -> Result<(), StorageError> {
    let outbox = Outbox::open().await?;
    let record = ReportRecord::new_draft(draft);
    let result = outbox
        .save(
            &record,
            MediaChanges {
                added: &media.added,
                removed: &media.removed,
                thumbnail: media.thumbnail.as_ref(),
            },
        )
        .await;
    outbox.close();
    result
}

/// A stored, still editable draft with object URLs for its media.
pub struct LoadedDraft {
    pub draft: ReportDraft,
    pub urls: Vec<(MediaId, String)>,
}

pub async fn load(id: ReportId) -> Result<Option<LoadedDraft>, StorageError> {
    let outbox = Outbox::open().await?;
    let result = load_from(&outbox, id).await;
    outbox.close();
    result
}

async fn load_from(outbox: &Outbox, id: ReportId) -> Result<Option<LoadedDraft>, StorageError> {
    let Some(record) = outbox.get(id).await? else {
        return Ok(None);
    };
    if !record.state.is_editable() {
        return Ok(None);
    }
    let urls = outbox.media_urls(&record).await?;
    Ok(Some(LoadedDraft {
        draft: record.draft,
        urls,
    }))
}

//! "I see this too" on the device (schema v5): each support the person
//! added to a nearby case, kept until sent and then followed like a report.
//!
//! Invariants, as for reports:
//! - a support, all its media and its receipt secret are written in one
//!   transaction ([`Outbox::queue_support`]), so an interruption leaves all
//!   of it or none; it is queued at once (there is no support draft);
//! - a support becomes queued only through a [`ValidSupport`], the proof
//!   that it passed `SupportDraft::validate` (the report form's media and
//!   contact rules);
//! - its media are freed only in the write that marks it sent
//!   (`Outbox::record_sync`); the record stays, to follow the case.

use protocol::report::{MediaId, ReportState, UnixMillis};
use protocol::support::{SupportId, ValidSupport};
use protocol::sync::{QueuedItem, ReceiptSecret, SyncItem};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use web_shared::idb::UnreadableRecord;

use super::handle::Outbox;
use super::schema::{MEDIA, RECEIPTS, SUPPORTS};
use super::{to_record, Medium, StorageError};

/// One support in the `supports` store (key path `id`). Fields added later
/// carry `#[serde(default)]`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SupportRecord {
    /// The support's UUID as text: the store's key.
    pub id: String,
    pub state: ReportState,
    pub support: ValidSupport,
    pub queued_at: UnixMillis,
    /// Sent, and its media deleted from the device.
    #[serde(default)]
    pub media_freed: bool,
}

impl SupportRecord {
    /// Every medium it lists: photos, then voice clips.
    pub fn media_ids(&self) -> impl Iterator<Item = MediaId> + '_ {
        self.support
            .photos()
            .iter()
            .map(|photo| photo.id)
            .chain(self.support.voice_clips().iter().map(|clip| clip.id))
    }

    /// What the sync machine is to send (a support is always queued).
    pub fn queued(&self) -> QueuedItem {
        QueuedItem {
            item: SyncItem::Support(self.support.id()),
            queued_at: self.queued_at,
        }
    }
}

pub(super) fn support_from_js(value: JsValue) -> Result<SupportRecord, UnreadableRecord> {
    web_shared::idb::from_record(value.clone()).map_err(|error| UnreadableRecord {
        key: js_sys::Reflect::get(&value, &JsValue::from_str("id"))
            .ok()
            .and_then(|id| id.as_string()),
        error,
    })
}

impl Outbox {
    /// Stores a checked support with its media (read beforehand, so the
    /// transaction awaits only its own requests) and its receipt secret,
    /// queued, in one transaction. Queuing the same id again changes
    /// nothing: its first receipt and content stay.
    pub async fn queue_support(
        &self,
        support: &ValidSupport,
        media: &[(MediaId, Medium)],
        queued_at: UnixMillis,
        receipt: &ReceiptSecret,
    ) -> Result<(), StorageError> {
        let key = support.id().to_string();
        let tx = self.db.write(&[SUPPORTS, MEDIA, RECEIPTS])?;
        let supports = tx.store(SUPPORTS)?;
        if supports.get(&key).await?.is_some() {
            return Ok(());
        }
        let media_store = tx.store(MEDIA)?;
        for (id, medium) in media {
            media_store.put(&id.to_string(), &medium.to_js()).await?;
        }
        tx.store(RECEIPTS)?
            .put(&key, &JsValue::from_str(&receipt.to_base64url()))
            .await?;
        let record = SupportRecord {
            id: key,
            state: ReportState::Queued,
            support: support.clone(),
            queued_at,
            media_freed: false,
        };
        supports.put_record(&to_record(&record)?).await?;
        tx.commit().await
    }

    /// Whether the device holds any support (counted; none is read).
    pub async fn has_supports(&self) -> Result<bool, StorageError> {
        Ok(self.db.count(SUPPORTS).await? > 0)
    }

    /// Every support on the device, newest first, and the records this
    /// version cannot read (kept, untouched).
    pub async fn supports(
        &self,
    ) -> Result<(Vec<SupportRecord>, Vec<UnreadableRecord>), StorageError> {
        let mut readable = Vec::new();
        let mut unreadable = Vec::new();
        for value in self.db.get_all(SUPPORTS).await? {
            match support_from_js(value) {
                Ok(record) => readable.push(record),
                Err(error) => unreadable.push(error),
            }
        }
        readable.sort_by_key(|record| std::cmp::Reverse(record.queued_at));
        Ok((readable, unreadable))
    }

    /// One support, if it exists and can be read.
    pub async fn support(&self, id: SupportId) -> Result<Option<SupportRecord>, StorageError> {
        match self.db.get(SUPPORTS, &id.to_string()).await? {
            None => Ok(None),
            Some(value) => support_from_js(value)
                .map(Some)
                .map_err(StorageError::Unreadable),
        }
    }

    /// The receipt secret kept for a support.
    pub async fn support_receipt(
        &self,
        id: SupportId,
    ) -> Result<Option<ReceiptSecret>, StorageError> {
        self.receipt_at(&id.to_string()).await
    }
}

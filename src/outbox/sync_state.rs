//! What sending and following cases keep on the device (schema v3): each
//! queued report's receipt secret, the sync machine, and the last timeline
//! read for each case (the server's JSON text).
//!
//! Invariants:
//! - the machine and the outbox states it changes are written in one
//!   transaction; a report that becomes `Sent` loses its media blobs in that
//!   same transaction (its record and thumbnail stay), so a blob is never
//!   freed before the server confirmed it holds every medium;
//! - a record is mirrored only when it is the generation the machine knows
//!   (same `queued_at`) and still queued: an edit the person made meanwhile
//!   always wins;
//! - a machine this version cannot read is replaced by an empty one: every
//!   queued report is then sent again from the start, which the server's
//!   idempotency makes harmless (a sent report is confirmed again).

use protocol::report::{ReportId, ReportState};
use protocol::sync::{ItemSync, QueuedItem, ReceiptSecret, SyncItem, SyncMachine, Timeline};
use wasm_bindgen::JsValue;
use web_shared::idb::{from_record, Store};

use super::handle::Outbox;
use super::machine::machine_to_js;
use super::record::{self, ReportRecord};
use super::schema::{CASES, MACHINE_KEY, MEDIA, RECEIPTS, REPORTS, SUPPORTS, SYNC};
use super::support::support_from_js;
use super::{to_record, StorageError};

impl Outbox {
    /// The receipt secret kept for a queued report.
    pub async fn receipt(&self, id: ReportId) -> Result<Option<ReceiptSecret>, StorageError> {
        self.receipt_at(&id.to_string()).await
    }

    /// The receipt secret kept under `key` (a report's or a support's id).
    pub(super) async fn receipt_at(
        &self,
        key: &str,
    ) -> Result<Option<ReceiptSecret>, StorageError> {
        let value = self.db.get(RECEIPTS, key).await?;
        Ok(value
            .and_then(|value| value.as_string())
            .and_then(|encoded| ReceiptSecret::parse(&encoded).ok()))
    }

    /// The stored sync machine; an empty one when there is none yet or the
    /// stored one cannot be read (see the module's invariants).
    pub async fn sync_machine(&self) -> Result<SyncMachine, StorageError> {
        let value = self.db.get(SYNC, MACHINE_KEY).await?;
        Ok(value
            .and_then(|value| from_record(value).ok())
            .unwrap_or_default())
    }

    /// Every report and support the person has queued, whatever its state
    /// since: all the machine is to send.
    pub async fn queued_items(&self) -> Result<Vec<QueuedItem>, StorageError> {
        let mut items: Vec<QueuedItem> = self
            .list()
            .await?
            .reports
            .iter()
            .filter_map(ReportRecord::queued)
            .collect();
        items.extend(self.supports().await?.0.iter().map(|s| s.queued()));
        Ok(items)
    }

    /// Writes the machine and copies its state for `items` into their
    /// outbox records (and frees the media of those now sent), in one
    /// transaction.
    pub async fn record_sync(
        &self,
        machine: &SyncMachine,
        items: &[SyncItem],
    ) -> Result<(), StorageError> {
        let tx = self.db.write(&[SYNC, REPORTS, SUPPORTS, MEDIA])?;
        tx.store(SYNC)?
            .put(MACHINE_KEY, &machine_to_js(machine)?)
            .await?;
        let reports = tx.store(REPORTS)?;
        let supports = tx.store(SUPPORTS)?;
        let media = tx.store(MEDIA)?;
        let chosen = || {
            machine
                .items()
                .iter()
                .filter(|sync| items.contains(&sync.item))
        };
        for (id, sync) in chosen().filter_map(|sync| Some((sync.item.support()?, sync))) {
            mirror_support(&supports, &media, &id.to_string(), sync).await?;
        }
        let mirrored = chosen().filter_map(|sync| Some((sync.item.report()?, sync)));
        for (id, report) in mirrored {
            let raw = reports.get(&id.to_string()).await?;
            let Some(Ok(mut stored)) = raw.map(record::from_js) else {
                continue;
            };
            if stored.state == ReportState::Draft || stored.queued_at != Some(report.queued_at) {
                continue;
            }
            let state = report.phase.state();
            let free = state == ReportState::Sent && !stored.media_freed;
            if stored.state == state && !free {
                continue;
            }
            if free {
                for medium in stored.media_ids() {
                    media.delete(&medium.to_string()).await?;
                }
                stored.media_freed = true;
            }
            stored.state = state;
            reports.put_record(&to_record(&stored)?).await?;
        }
        tx.commit().await
    }

    /// Keeps the timeline last read for a case, as the JSON text the
    /// server sent, under `key`: a report's or a support's id for its own
    /// case, [`followed_key`] for the case a duplicate was merged into.
    /// Says whether it differs from the one kept before.
    pub async fn save_case(&self, key: &str, json: &str) -> Result<bool, StorageError> {
        let tx = self.db.write(&[CASES])?;
        let store = tx.store(CASES)?;
        let before = store.get(key).await?;
        if before.and_then(|value| value.as_string()).as_deref() == Some(json) {
            return Ok(false);
        }
        store.put(key, &JsValue::from_str(json)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The timeline last read for a report's case, if any (and readable).
    pub async fn case(&self, id: ReportId) -> Result<Option<Timeline>, StorageError> {
        self.case_at(&id.to_string()).await
    }

    /// The timeline kept under `key` (see [`Outbox::save_case`]).
    pub async fn case_at(&self, key: &str) -> Result<Option<Timeline>, StorageError> {
        let value = self.db.get(CASES, key).await?;
        Ok(value
            .and_then(|value| value.as_string())
            .and_then(|json| web_shared::json::parse(&json)))
    }
}

/// Where the timeline of the case that the item `id` (a report's or a
/// support's) now follows is kept, once its own case was marked a
/// duplicate of it.
pub fn followed_key(id: &str) -> String {
    format!("{id}>original")
}

/// Copies the machine's state of one support into its record; a support
/// now sent loses its media in the same transaction.
async fn mirror_support(
    supports: &Store<'_>,
    media: &Store<'_>,
    key: &str,
    sync: &ItemSync,
) -> Result<(), StorageError> {
    let Some(Ok(mut stored)) = supports.get(key).await?.map(support_from_js) else {
        return Ok(());
    };
    if stored.queued_at != sync.queued_at {
        return Ok(());
    }
    let state = sync.phase.state();
    let free = state == ReportState::Sent && !stored.media_freed;
    if stored.state == state && !free {
        return Ok(());
    }
    if free {
        for medium in stored.media_ids() {
            media.delete(&medium.to_string()).await?;
        }
        stored.media_freed = true;
    }
    stored.state = state;
    supports.put_record(&to_record(&stored)?).await
}

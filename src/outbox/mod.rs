//! The outbox: reports and their media, kept in IndexedDB (through
//! `web_shared::idb`) until they are sent. Invariants:
//! - a report and all of its media are written in one transaction, so an
//!   interruption leaves the whole report or none of it;
//! - media are stored as their bytes (an `ArrayBuffer` with its type, see
//!   [`Medium`]; never base64, never a `Blob`, which WebKit's private
//!   sessions refuse), in their own store, keyed by their `MediaId`; the
//!   report record lists them; records v3 wrote as `Blob`s still read;
//! - no transaction spans an await on anything but its own requests;
//! - a record this version cannot read is reported, never dropped.

mod handle;
mod machine;
mod medium;
mod record;
mod schema;
mod support;
mod sync_state;

use protocol::report::{MediaId, ReportId, ReportState, ValidReport};
use wasm_bindgen::JsValue;
pub use web_shared::idb::quota;
use web_shared::idb::to_record;
pub use web_shared::idb::{StorageError, UnreadableRecord};

pub use handle::Outbox;
pub use medium::Medium;
use medium::Stored;
pub use record::ReportRecord;
pub use schema::{CURRENT_VERSION, DB_NAME};
pub use support::SupportRecord;
pub use sync_state::followed_key;

use schema::{CASES, MEDIA, RECEIPTS, REPORTS, SYNC, THUMBNAILS};

/// Changes to a report's media that go into the same transaction as the
/// report. Their bytes are already read ([`Medium::from_blob`]), so the
/// transaction awaits nothing else.
#[derive(Default)]
pub struct MediaChanges<'a> {
    /// New media: each id with its bytes.
    pub added: &'a [(MediaId, Medium)],
    /// Media the report no longer lists.
    pub removed: &'a [MediaId],
    /// The report's small preview image, replaced when given.
    pub thumbnail: Option<&'a Medium>,
}

/// A report with the bytes of every medium it lists that is still kept
/// (a sent report's media are freed), read in one transaction: what the
/// sending, the screens and a saved file of unsent reports all start from.
pub struct StoredReport {
    pub record: ReportRecord,
    /// In the report's order (photos, then voice clips).
    pub media: Vec<(MediaId, Medium)>,
}

/// What `list` found: the readable reports, newest first, and the records
/// this version could not read (kept in storage, untouched).
pub struct Listing {
    pub reports: Vec<ReportRecord>,
    pub unreadable: Vec<UnreadableRecord>,
}

impl Outbox {
    /// Writes a report record and its media changes in one transaction.
    pub async fn save(
        &self,
        record: &ReportRecord,
        media: MediaChanges<'_>,
    ) -> Result<(), StorageError> {
        let stores: &[&str] = if media.thumbnail.is_some() {
            &[REPORTS, MEDIA, THUMBNAILS]
        } else {
            &[REPORTS, MEDIA]
        };
        let tx = self.db.write(stores)?;
        let reports = tx.store(REPORTS)?;
        let media_store = tx.store(MEDIA)?;
        for (id, medium) in media.added {
            media_store.put(&id.to_string(), &medium.to_js()).await?;
        }
        for id in media.removed {
            media_store.delete(&id.to_string()).await?;
        }
        if let Some(thumbnail) = media.thumbnail {
            tx.store(THUMBNAILS)?
                .put(&record.id, &thumbnail.to_js())
                .await?;
        }
        reports.put_record(&to_record(record)?).await?;
        tx.commit().await
    }

    /// Marks a complete, valid report as queued for sending. The type says
    /// it was validated; the stored draft is kept as the person wrote it.
    ///
    /// In the same transaction, the report gets its receipt secret unless it
    /// already has one (queued before, then edited): `fresh_receipt` is kept
    /// only for a report queued the first time, so the secret the server may
    /// already hold the hash of never changes.
    pub async fn queue(
        &self,
        report: &ValidReport,
        queued_at: protocol::report::UnixMillis,
        fresh_receipt: &protocol::sync::ReceiptSecret,
    ) -> Result<(), StorageError> {
        let id = report.id();
        let tx = self.db.write(&[REPORTS, RECEIPTS, SYNC])?;
        // A new generation for the sync machine even when the clock stands
        // still or repeats itself: never the `queued_at` it already knows.
        let known = machine::read_machine(&tx.store(SYNC)?)
            .await?
            .get(protocol::sync::SyncItem::Report(id))
            .map(|report| report.queued_at);
        let queued_at = match known {
            Some(known) if known == queued_at => protocol::report::UnixMillis(known.0 + 1),
            _ => queued_at,
        };
        let key = id.to_string();
        let receipts = tx.store(RECEIPTS)?;
        if receipts.get(&key).await?.is_none() {
            receipts
                .put(&key, &JsValue::from_str(&fresh_receipt.to_base64url()))
                .await?;
        }
        let store = tx.store(REPORTS)?;
        let Some(raw) = store.get(&key).await? else {
            return Err(StorageError::NotFound);
        };
        let mut record = record::from_js(raw).map_err(StorageError::Unreadable)?;
        if !record.state.is_editable() {
            return Err(StorageError::NotEditable(record.state));
        }
        record.state = ReportState::Queued;
        record.queued_at = Some(queued_at);
        store.put_record(&to_record(&record)?).await?;
        tx.commit().await
    }

    /// One report record, if it exists and can be read.
    pub async fn get(&self, id: ReportId) -> Result<Option<ReportRecord>, StorageError> {
        match self.db.get(REPORTS, &id.to_string()).await? {
            None => Ok(None),
            Some(value) => record::from_js(value)
                .map(Some)
                .map_err(StorageError::Unreadable),
        }
    }

    /// Every report, newest first, and the records that could not be read.
    pub async fn list(&self) -> Result<Listing, StorageError> {
        let values = self.db.get_all(REPORTS).await?;
        let mut listing = Listing {
            reports: Vec::with_capacity(values.len()),
            unreadable: Vec::new(),
        };
        for value in values {
            match record::from_js(value) {
                Ok(report) => listing.reports.push(report),
                Err(unreadable) => listing.unreadable.push(unreadable),
            }
        }
        listing
            .reports
            .sort_by_key(|report| std::cmp::Reverse(report.draft.updated_at));
        Ok(listing)
    }

    /// A report and the bytes of its kept media, read in one transaction.
    /// `None` when there is no such report.
    pub async fn report_with_media(
        &self,
        id: ReportId,
    ) -> Result<Option<StoredReport>, StorageError> {
        let (record, stored) = {
            let tx = self.db.read(&[REPORTS, MEDIA])?;
            let Some(raw) = tx.store(REPORTS)?.get(&id.to_string()).await? else {
                return Ok(None);
            };
            let record = record::from_js(raw).map_err(StorageError::Unreadable)?;
            let media_store = tx.store(MEDIA)?;
            let mut stored = Vec::new();
            for medium in record.media_ids() {
                if let Some(value) = media_store.get(&medium.to_string()).await? {
                    stored.extend(Stored::from_js(value).map(|value| (medium, value)));
                }
            }
            (record, stored)
        };
        // The transaction is over: a v3 Blob's bytes may now be awaited.
        let mut media = Vec::with_capacity(stored.len());
        for (id, value) in stored {
            media.push((id, value.into_medium().await?));
        }
        Ok(Some(StoredReport { record, media }))
    }

    /// The bytes of one medium.
    pub async fn media(&self, id: MediaId) -> Result<Option<Medium>, StorageError> {
        self.medium(MEDIA, id.to_string()).await
    }

    /// Object URLs for every stored medium of a report, for `<img>` and
    /// `<audio>`. The caller revokes them when its view goes away.
    pub async fn media_urls(
        &self,
        record: &ReportRecord,
    ) -> Result<Vec<(MediaId, String)>, StorageError> {
        let mut urls = Vec::new();
        for medium in record.media_ids() {
            if let Some(url) = self.media(medium).await?.and_then(|m| m.object_url()) {
                urls.push((medium, url));
            }
        }
        Ok(urls)
    }

    /// A report's preview image, where one was stored.
    pub async fn thumbnail(&self, id: ReportId) -> Result<Option<Medium>, StorageError> {
        self.medium(THUMBNAILS, id.to_string()).await
    }

    async fn medium(&self, store: &str, key: String) -> Result<Option<Medium>, StorageError> {
        let value = self.db.get(store, &key).await?;
        match value.and_then(Stored::from_js) {
            Some(stored) => Ok(Some(stored.into_medium().await?)),
            None => Ok(None),
        }
    }

    /// Deletes a report with its media, thumbnail, receipt and case, in one
    /// transaction. Other reports are not touched.
    pub async fn delete(&self, id: ReportId) -> Result<(), StorageError> {
        let key = id.to_string();
        let tx = self
            .db
            .write(&[REPORTS, MEDIA, THUMBNAILS, RECEIPTS, CASES])?;
        let reports = tx.store(REPORTS)?;
        for store in [RECEIPTS, CASES] {
            tx.store(store)?.delete(&key).await?;
        }
        tx.store(CASES)?.delete(&followed_key(&key)).await?;
        if let Some(value) = reports.get(&key).await? {
            // An unreadable record still goes; its media cannot be named, so
            // they stay (they are unreachable but not lost data).
            if let Ok(record) = record::from_js(value) {
                let media = tx.store(MEDIA)?;
                for medium in record.media_ids() {
                    media.delete(&medium.to_string()).await?;
                }
            }
        }
        tx.store(THUMBNAILS)?.delete(&key).await?;
        reports.delete(&key).await?;
        tx.commit().await
    }
}

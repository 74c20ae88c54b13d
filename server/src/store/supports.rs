//! "I see this too": supports of a case, their media, who may follow which
//! case, and what a merge of a duplicate moves.
//!
//! A support is stored like a report (`reports.rs`): one row per id with
//! its fingerprint, receipt hash and create body, its declared media in
//! `support_media`, each recorded only once its bytes are durable, complete
//! when the last one arrives, its bytes written through the same media
//! store (`media.rs`: folder or S3, 503 when unreachable). It counts for a
//! case (`supports.report_id`) and its receipt opens the timelines of the
//! cases in `case_followers`; reading those, counting supporters, listing
//! them for staff and moving them in a merge are shared with the other
//! stores and live in `case_ops.rs`.
//!
//! Locks: a support is created under the row lock of the case it names
//! (and, if that case was merged, of each case down to the original), and
//! a merge holds the row locks of both its cases (`staff.rs`), so a
//! support that arrives while its case is being merged either was there
//! first (and moves with the others) or sees the merge and goes to the
//! original: never left behind. Two creates of one id: the primary key
//! with `ON CONFLICT DO NOTHING` lets one write, as for reports.

use bytes::Bytes;
use object_store::path::Path as ObjectPath;
use protocol::report::UnixMillis;
use protocol::support::{CreateSupport, SupportId};
use protocol::sync::{CaseNumber, IntakeStatus, MediumDecl};
use sqlx::{AnyConnection, Row};

use super::case_ops::{
    case_number, complete_case, load_timeline, lock_case, record_medium, stored_medium,
    StoredMedium, SUPPORT_MEDIA,
};
use super::error::StoreError;
use super::handle::Store;
use super::media::support_object_key;

/// How deep a chain of merges is followed (each merge needs an open
/// target, so real chains are short; this only stops a damaged database
/// from looping).
const MAX_MERGE_CHAIN: usize = 64;

/// A support as the server holds it.
#[derive(Debug, Clone)]
pub struct StoredSupport {
    pub support_id: SupportId,
    /// The case it counts for now.
    pub case_number: CaseNumber,
    /// `None` for a merged reporter's row, which no create can replay.
    pub fingerprint: Option<String>,
    pub complete: bool,
    /// Every declared medium, in index order.
    pub media: Vec<StoredMedium>,
}

impl StoredSupport {
    /// The answer to a create or an upload.
    pub fn status(&self) -> IntakeStatus {
        IntakeStatus::new(
            self.case_number,
            self.media
                .iter()
                .filter(|medium| !medium.received)
                .map(|medium| medium.decl.index),
        )
    }

    pub fn medium(&self, index: u8) -> Option<&StoredMedium> {
        self.media.iter().find(|medium| medium.decl.index == index)
    }
}

/// What a support's create did.
#[derive(Debug)]
pub enum SupportOutcome {
    Created(StoredSupport),
    /// The id was already held; the caller compares fingerprints.
    Existing(StoredSupport),
    /// No complete case with the number the body names.
    UnknownCase,
}

/// What storing a support's medium did.
#[derive(Debug)]
pub enum SupportMediumOutcome {
    Stored(StoredSupport),
    UnknownSupport,
}

impl Store {
    /// The support stored under `id`, if any.
    pub async fn support(&self, id: SupportId) -> Result<Option<StoredSupport>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_support(&mut conn, id).await
    }

    /// Stores a new support under `id` (its body checked by the caller)
    /// for the case it names or, if that case was merged, for the original
    /// at the end of the chain; its receipt will follow every case on the
    /// way. An id already held is answered with its support.
    pub async fn create_support(
        &self,
        id: SupportId,
        body: &CreateSupport,
        fingerprint: &str,
        now: UnixMillis,
    ) -> Result<SupportOutcome, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        if let Some(existing) = load_support(&mut tx, id).await? {
            tx.rollback().await?;
            return Ok(SupportOutcome::Existing(existing));
        }
        // The case named, then each case it was merged into, each locked
        // before it is read (a merge holds both of its cases' locks).
        let mut chain: Vec<(String, CaseNumber)> = Vec::new();
        let mut number = body.case_number();
        loop {
            lock_case(self.backend, &mut tx, number).await?;
            let Some(case) = complete_case(&mut tx, number).await? else {
                tx.rollback().await?;
                if chain.is_empty() {
                    return Ok(SupportOutcome::UnknownCase);
                }
                return Err(StoreError::Corrupt(format!(
                    "{number}, which a case was merged into, is not a complete case"
                )));
            };
            let timeline = load_timeline(&mut tx, &case.report_id, number).await?;
            chain.push((case.report_id, number));
            match timeline.duplicate_of() {
                Some(original) if chain.len() < MAX_MERGE_CHAIN => number = original,
                Some(_) => {
                    return Err(StoreError::Corrupt(format!(
                        "merges from {} run deeper than {MAX_MERGE_CHAIN}",
                        body.case_number()
                    )))
                }
                None => break,
            }
        }
        let (filed_on, _) = &chain[0];
        let (counts_for, case_number) = chain.last().cloned().expect("at least the named case");
        let json = serde_json::to_string(body)
            .map_err(|error| StoreError::Corrupt(format!("support body: {error}")))?;
        let complete = body.media().is_empty();
        let inserted = sqlx::query(
            "INSERT INTO supports (support_id, report_id, filed_on, source, fingerprint, \
             receipt_hash, body, created_at, complete, completed_at) \
             VALUES ($1, $2, $3, 'citizen', $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (support_id) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(&counts_for)
        .bind(filed_on)
        .bind(fingerprint)
        .bind(body.receipt_hash().as_str())
        .bind(json)
        .bind(now.0)
        .bind(i64::from(complete))
        .bind(complete.then_some(now.0))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            // PostgreSQL: a concurrent create of the same id committed first.
            tx.rollback().await?;
            let mut conn = self.pool.acquire().await?;
            return match load_support(&mut conn, id).await? {
                Some(existing) => Ok(SupportOutcome::Existing(existing)),
                None => Err(StoreError::Corrupt(format!(
                    "support {id} conflicted but is not stored"
                ))),
            };
        }
        for medium in body.media() {
            sqlx::query(
                "INSERT INTO support_media \
                 (support_id, idx, kind, mime, bytes, sha256, object_key) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(id.to_string())
            .bind(i64::from(medium.index))
            .bind(medium.kind.code())
            .bind(&medium.mime)
            .bind(i64::try_from(medium.bytes).unwrap_or(i64::MAX))
            .bind(medium.sha256.as_str())
            .bind(support_object_key(id, medium.index).as_ref())
            .execute(&mut *tx)
            .await?;
        }
        for (report_id, _) in &chain {
            sqlx::query("INSERT INTO case_followers (report_id, support_id) VALUES ($1, $2)")
                .bind(report_id)
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(SupportOutcome::Created(StoredSupport {
            support_id: id,
            case_number,
            fingerprint: Some(fingerprint.to_owned()),
            complete,
            media: body
                .media()
                .iter()
                .map(|decl| StoredMedium {
                    decl: decl.clone(),
                    received: false,
                })
                .collect(),
        }))
    }

    /// Stores the bytes of medium `decl.index` of support `id` (checked
    /// against `decl` by the caller), durably, then records it; the last
    /// one missing completes the support. Same order and reasons as
    /// [`Store::store_medium`].
    pub async fn store_support_medium(
        &self,
        id: SupportId,
        decl: &MediumDecl,
        bytes: Bytes,
        now: UnixMillis,
    ) -> Result<SupportMediumOutcome, StoreError> {
        self.media
            .put(&support_object_key(id, decl.index), bytes)
            .await?;
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let last = record_medium(
            &mut tx,
            self.backend,
            &SUPPORT_MEDIA,
            &id.to_string(),
            decl.index,
            now,
        )
        .await?;
        if last {
            sqlx::query(
                "UPDATE supports SET complete = 1, completed_at = $1 \
                 WHERE support_id = $2 AND complete = 0",
            )
            .bind(now.0)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        }
        let support = load_support(&mut tx, id).await?;
        tx.commit().await?;
        Ok(match support {
            Some(support) => SupportMediumOutcome::Stored(support),
            None => SupportMediumOutcome::UnknownSupport,
        })
    }

    /// The MIME type and stored bytes of medium `index` of complete
    /// support `id`, for staff.
    pub async fn staff_support_medium(
        &self,
        id: SupportId,
        index: u8,
    ) -> Result<Option<(String, Bytes)>, StoreError> {
        let row = sqlx::query(
            "SELECT m.mime, m.object_key FROM support_media m \
             JOIN supports s ON s.support_id = m.support_id \
             WHERE m.support_id = $1 AND m.idx = $2 AND s.complete = 1 \
             AND m.received_at IS NOT NULL",
        )
        .bind(id.to_string())
        .bind(i64::from(index))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mime: String = row.try_get("mime")?;
        let key: String = row.try_get("object_key")?;
        let bytes = self
            .media
            .get(&ObjectPath::from(key.as_str()))
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("medium {key} is recorded but missing")))?;
        Ok(Some((mime, bytes)))
    }
}

async fn load_support(
    conn: &mut AnyConnection,
    id: SupportId,
) -> Result<Option<StoredSupport>, StoreError> {
    let row = sqlx::query(
        "SELECT s.fingerprint, s.complete, r.case_year, r.case_seq FROM supports s \
         JOIN reports r ON r.report_id = s.report_id WHERE s.support_id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let case_number = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
    let fingerprint: Option<String> = row.try_get("fingerprint")?;
    let complete = row.try_get::<i64, _>("complete")? != 0;
    let rows = sqlx::query(
        "SELECT idx, kind, mime, bytes, sha256, received_at FROM support_media \
         WHERE support_id = $1 ORDER BY idx",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let owner = format!("support {id}");
    let media = rows
        .iter()
        .map(|row| stored_medium(row, &owner))
        .collect::<Result<_, _>>()?;
    Ok(Some(StoredSupport {
        support_id: id,
        case_number,
        fingerprint,
        complete,
        media,
    }))
}

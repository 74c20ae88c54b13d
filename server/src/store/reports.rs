//! Reports, their media and their cases.

use bytes::Bytes;
use protocol::report::{ReportId, UnixMillis};
use protocol::sync::{
    CaseEventKind, CaseNumber, CreateReport, IntakeStatus, MediumDecl, ReceiptHash, ReceiptSecret,
    Timeline,
};
use sqlx::{Any, Row, Transaction};

use super::case_ops::{
    case_number, follows, insert_event, load_timeline, public_reward, record_medium, stored_medium,
    StoredMedium, REPORT_MEDIA,
};
use super::error::StoreError;
use super::handle::Store;
use super::media::object_key;
use crate::clock::case_year;

/// A report as the server holds it.
#[derive(Debug, Clone)]
pub struct StoredReport {
    pub report_id: ReportId,
    pub case_number: CaseNumber,
    pub fingerprint: String,
    pub complete: bool,
    /// Every declared medium, in index order.
    pub media: Vec<StoredMedium>,
}

impl StoredReport {
    /// The answer to a create or an upload: the case and what is missing.
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

/// What a create did.
#[derive(Debug)]
pub enum CreateOutcome {
    /// A new report, with its new case.
    Created(StoredReport),
    /// The id was already held (another request got there first); the
    /// caller decides between replay and conflict by the fingerprint.
    Existing(StoredReport),
}

/// What storing a medium did.
#[derive(Debug)]
pub enum MediumOutcome {
    /// The report after the medium was recorded (or found recorded).
    Stored(StoredReport),
    /// No report under that id.
    UnknownReport,
}

impl Store {
    /// The report stored under `id`, if any.
    pub async fn report(&self, id: ReportId) -> Result<Option<StoredReport>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        load_report(&mut conn, id).await
    }

    /// Stores a new report under `id` with the year's next case number, in
    /// one transaction. The caller has checked `body` (`CreateReport::check`).
    /// If the id is already held (a concurrent create won), nothing is
    /// written and the held report is returned.
    pub async fn create_report(
        &self,
        id: ReportId,
        body: &CreateReport,
        fingerprint: &str,
        now: UnixMillis,
    ) -> Result<CreateOutcome, StoreError> {
        // SQLite: IMMEDIATE takes the write lock before the first read, so
        // two creates run one after the other and the second sees the
        // first's row. PostgreSQL: two creates may both find no row;
        // `insert_report` then lets only one of them write (see there).
        let mut tx = self.backend.begin_write(&self.pool).await?;
        match insert_report(&mut tx, id, body, fingerprint, now).await? {
            Inserted::Done(outcome @ CreateOutcome::Created(_)) => {
                tx.commit().await?;
                Ok(outcome)
            }
            Inserted::Done(outcome) => {
                tx.rollback().await?;
                Ok(outcome)
            }
            Inserted::Raced => {
                // Rolling back returns the case number.
                tx.rollback().await?;
                let mut conn = self.pool.acquire().await?;
                match load_report(&mut conn, id).await? {
                    Some(existing) => Ok(CreateOutcome::Existing(existing)),
                    None => Err(StoreError::Corrupt(format!(
                        "report {id} conflicted but is not stored"
                    ))),
                }
            }
        }
    }

    /// Stores the bytes of medium `decl.index` of report `id` (already
    /// checked against `decl` by the caller), then records it as received;
    /// when it is the last one missing, the report becomes complete and its
    /// case's timeline starts with `received`.
    ///
    /// The order is what makes a crash harmless: the bytes are durably on
    /// disk before the database says they are there. `LocalFileSystem::put`
    /// writes a temporary file in the same folder and renames it over the
    /// key, so the key never names a partial file; it does not fsync, so we
    /// sync the file and its folders ourselves before recording it. A crash
    /// between the two leaves at worst a file the database does not know,
    /// which the client's retry overwrites with the same bytes.
    pub async fn store_medium(
        &self,
        id: ReportId,
        decl: &MediumDecl,
        bytes: Bytes,
        now: UnixMillis,
    ) -> Result<MediumOutcome, StoreError> {
        self.media.put(&object_key(id, decl.index), bytes).await?;

        let mut tx = self.backend.begin_write(&self.pool).await?;
        let last = record_medium(
            &mut tx,
            self.backend,
            &REPORT_MEDIA,
            &id.to_string(),
            decl.index,
            now,
        )
        .await?;
        if last {
            let completed = sqlx::query(
                "UPDATE reports SET complete = 1 WHERE report_id = $1 AND complete = 0",
            )
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if completed > 0 {
                insert_event(&mut tx, id, now, &CaseEventKind::Received).await?;
            }
        }
        let report = load_report(&mut tx, id).await?;
        tx.commit().await?;
        Ok(match report {
            Some(report) => MediumOutcome::Stored(report),
            None => MediumOutcome::UnknownReport,
        })
    }

    /// The timeline of case `number` if it exists, is complete and `secret`
    /// is its receipt, or the receipt of a complete support that follows it
    /// (`supports::follows`: filed on it, or on a case merged into it);
    /// `None` otherwise (the caller answers all of those with the same
    /// 404). It carries the case's reward only for the reporter's own
    /// receipt, and only as `rewards::public_reward` allows (contact
    /// details, approved or paid).
    pub async fn timeline(
        &self,
        number: CaseNumber,
        secret: &ReceiptSecret,
    ) -> Result<Option<Timeline>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let row = sqlx::query(
            "SELECT report_id, receipt_hash, complete, body FROM reports \
             WHERE case_year = $1 AND case_seq = $2",
        )
        .bind(i64::from(number.year()))
        .bind(i64::from(number.sequence()))
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let report_id: String = row.try_get("report_id")?;
        let receipt_hash: String = row.try_get("receipt_hash")?;
        let complete = row.try_get::<i64, _>("complete")? != 0;
        let receipt_hash = ReceiptHash::parse(&receipt_hash)
            .map_err(|error| StoreError::Corrupt(format!("receipt hash: {error}")))?;
        if !complete {
            return Ok(None);
        }
        if !receipt_hash.matches(secret) {
            if !follows(&mut conn, &report_id, secret).await? {
                return Ok(None);
            }
            return Ok(Some(load_timeline(&mut conn, &report_id, number).await?));
        }
        let body: String = row.try_get("body")?;
        let body: CreateReport = serde_json::from_str(&body)
            .map_err(|error| StoreError::Corrupt(format!("body of {number}: {error}")))?;
        let reward = public_reward(&mut conn, &report_id, &body).await?;
        Ok(Some(
            load_timeline(&mut conn, &report_id, number)
                .await?
                .with_reward(reward),
        ))
    }
}

/// What [`insert_report`] did.
pub(super) enum Inserted {
    /// Created, or found already stored (the caller commits or rolls back).
    Done(CreateOutcome),
    /// PostgreSQL only: a concurrent create of the same id committed first.
    /// The caller rolls back (returning the case number) and reads it.
    Raced,
}

/// Writes a new report (with its media rows, and its `received` event when
/// it has no media) inside the caller's write transaction, with the year's
/// next case number; an id already stored is answered with its report.
///
/// The upsert of the year's counter locks that row until commit, so no case
/// number is handed out twice; the report's primary key with `ON CONFLICT DO
/// NOTHING` lets only one of two concurrent creates of an id write.
pub(super) async fn insert_report(
    tx: &mut Transaction<'static, Any>,
    id: ReportId,
    body: &CreateReport,
    fingerprint: &str,
    now: UnixMillis,
) -> Result<Inserted, StoreError> {
    if let Some(existing) = load_report(tx, id).await? {
        return Ok(Inserted::Done(CreateOutcome::Existing(existing)));
    }
    let year = case_year(now);
    let sequence: i64 = sqlx::query_scalar(
        "INSERT INTO case_sequences (year, last) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET last = case_sequences.last + 1 \
         RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    let case_number = case_number(year, sequence)?;
    let json = serde_json::to_string(body)
        .map_err(|error| StoreError::Corrupt(format!("create body: {error}")))?;
    let complete = body.media().is_empty();
    let inserted = sqlx::query(
        "INSERT INTO reports \
         (report_id, case_year, case_seq, fingerprint, receipt_hash, body, created_at, complete) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (report_id) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(year)
    .bind(sequence)
    .bind(fingerprint)
    .bind(body.receipt_hash().as_str())
    .bind(json)
    .bind(now.0)
    .bind(i64::from(complete))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(Inserted::Raced);
    }
    for medium in body.media() {
        sqlx::query(
            "INSERT INTO media (report_id, idx, kind, mime, bytes, sha256, object_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(i64::from(medium.index))
        .bind(medium.kind.code())
        .bind(&medium.mime)
        .bind(i64::try_from(medium.bytes).unwrap_or(i64::MAX))
        .bind(medium.sha256.as_str())
        .bind(object_key(id, medium.index).as_ref())
        .execute(&mut **tx)
        .await?;
    }
    if complete {
        // No media: the whole report is here now.
        insert_event(tx, id, now, &CaseEventKind::Received).await?;
    }
    let stored = StoredReport {
        report_id: id,
        case_number,
        fingerprint: fingerprint.to_owned(),
        complete,
        media: body
            .media()
            .iter()
            .map(|decl| StoredMedium {
                decl: decl.clone(),
                received: false,
            })
            .collect(),
    };
    Ok(Inserted::Done(CreateOutcome::Created(stored)))
}

async fn load_report(
    conn: &mut sqlx::AnyConnection,
    id: ReportId,
) -> Result<Option<StoredReport>, StoreError> {
    let row = sqlx::query(
        "SELECT case_year, case_seq, fingerprint, complete FROM reports WHERE report_id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let case_number = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
    let fingerprint: String = row.try_get("fingerprint")?;
    let complete = row.try_get::<i64, _>("complete")? != 0;
    let rows = sqlx::query(
        "SELECT idx, kind, mime, bytes, sha256, received_at FROM media \
         WHERE report_id = $1 ORDER BY idx",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let media = rows
        .iter()
        .map(|row| stored_medium(row, &id))
        .collect::<Result<_, _>>()?;
    Ok(Some(StoredReport {
        report_id: id,
        case_number,
        fingerprint,
        complete,
        media,
    }))
}

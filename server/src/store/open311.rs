//! Open311: API keys, and reports filed through GeoReport v2.
//!
//! A filed request is an ordinary report (`reports::insert_report`, the
//! year's next case number, `received` at once as it has no media) plus its
//! `open311_requests` row (token, key, `media_url`), written in one
//! `BEGIN IMMEDIATE` transaction. Reads see complete cases only, and read
//! neither the contact nor the receipt hash: `CaseView` has no place for
//! them.

use protocol::open311::CaseView;
use protocol::report::{ReportId, UnixMillis};
use protocol::sync::{CaseNumber, CreateReport};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::case_ops::{case_number, load_timeline};
use super::error::StoreError;
use super::handle::Store;
use super::reports::{insert_report, CreateOutcome, Inserted};

/// An Open311 API key as stored (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open311Key {
    pub id: String,
    pub name: String,
}

/// What adding a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewKeyOutcome {
    Created(Open311Key),
    NameTaken,
}

/// A new Open311 request to store.
#[derive(Debug, Clone)]
pub struct NewOpen311Request<'a> {
    pub report_id: ReportId,
    pub body: &'a CreateReport,
    pub fingerprint: &'a str,
    pub key_id: &'a str,
    pub token: &'a str,
    pub media_url: Option<&'a str>,
    pub now: UnixMillis,
}

const CASE_COLUMNS: &str = "SELECT r.report_id, r.case_year, r.case_seq, r.body, r.created_at, \
     o.media_url FROM reports r LEFT JOIN open311_requests o ON o.report_id = r.report_id";

impl Store {
    /// Stores key `name` by the SHA-256 of its secret, unless the name is taken.
    pub async fn create_open311_key(
        &self,
        id: &str,
        name: &str,
        key_hash: &str,
        now: UnixMillis,
    ) -> Result<NewKeyOutcome, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO open311_keys (id, name, key_hash, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(id)
        .bind(name)
        .bind(key_hash)
        .bind(now.0)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(if inserted == 1 {
            NewKeyOutcome::Created(Open311Key {
                id: id.to_owned(),
                name: name.to_owned(),
            })
        } else {
            NewKeyOutcome::NameTaken
        })
    }

    /// The valid (not revoked) key whose secret hashes to `key_hash`.
    pub async fn open311_key(&self, key_hash: &str) -> Result<Option<Open311Key>, StoreError> {
        let row = sqlx::query(
            "SELECT id, name FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Open311Key {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
            })
        })
        .transpose()
    }

    /// Files a request: the report, its case and its Open311 row, in one
    /// transaction. The report id is new (the caller made it), so an
    /// existing one is a bug and nothing is written.
    pub async fn create_open311_request(
        &self,
        new: &NewOpen311Request<'_>,
    ) -> Result<CaseNumber, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let stored = match insert_report(&mut tx, new.report_id, new.body, new.fingerprint, new.now)
            .await?
        {
            Inserted::Done(CreateOutcome::Created(stored)) => stored,
            Inserted::Done(CreateOutcome::Existing(_)) | Inserted::Raced => {
                tx.rollback().await?;
                return Err(StoreError::Corrupt(format!(
                    "report id {} already held",
                    new.report_id
                )));
            }
        };
        sqlx::query(
            "INSERT INTO open311_requests (report_id, token, key_id, media_url) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(new.report_id.to_string())
        .bind(new.token)
        .bind(new.key_id)
        .bind(new.media_url)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(stored.case_number)
    }

    /// The case a token was answered with.
    pub async fn open311_token(&self, token: &str) -> Result<Option<CaseNumber>, StoreError> {
        let row = sqlx::query(
            "SELECT r.case_year, r.case_seq FROM open311_requests o \
             JOIN reports r ON r.report_id = o.report_id \
             WHERE o.token = $1 AND r.complete = 1",
        )
        .bind(token)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| case_number(row.try_get("case_year")?, row.try_get("case_seq")?))
            .transpose()
    }

    /// The complete cases among `numbers`, in the order asked, unknown
    /// ones left out.
    pub async fn open311_cases(&self, numbers: &[CaseNumber]) -> Result<Vec<CaseView>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let mut cases = Vec::with_capacity(numbers.len());
        for number in numbers {
            let row = sqlx::query(&format!(
                "{CASE_COLUMNS} WHERE r.case_year = $1 AND r.case_seq = $2 AND r.complete = 1"
            ))
            .bind(i64::from(number.year()))
            .bind(i64::from(number.sequence()))
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(row) = row {
                cases.push(case_view(&mut conn, &row).await?);
            }
        }
        Ok(cases)
    }

    /// Every complete case first received between `start` and `end`
    /// (inclusive), newest first.
    pub async fn open311_cases_between(
        &self,
        start: UnixMillis,
        end: UnixMillis,
    ) -> Result<Vec<CaseView>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "{CASE_COLUMNS} WHERE r.complete = 1 AND r.created_at >= $1 AND r.created_at <= $2 \
             ORDER BY r.created_at DESC, r.case_year DESC, r.case_seq DESC"
        ))
        .bind(start.0)
        .bind(end.0)
        .fetch_all(&mut *conn)
        .await?;
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            cases.push(case_view(&mut conn, row).await?);
        }
        Ok(cases)
    }
}

async fn case_view(conn: &mut sqlx::AnyConnection, row: &AnyRow) -> Result<CaseView, StoreError> {
    let report_id: String = row.try_get("report_id")?;
    let number = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
    let body: String = row.try_get("body")?;
    let body: CreateReport = serde_json::from_str(&body)
        .map_err(|error| StoreError::Corrupt(format!("body of {report_id}: {error}")))?;
    let timeline = load_timeline(conn, &report_id, number).await?;
    Ok(CaseView {
        timeline,
        category: body.category(),
        description: body.description().clone(),
        location: body.location().clone(),
        requested_at: UnixMillis(row.try_get("created_at")?),
        media_url: row.try_get("media_url")?,
    })
}

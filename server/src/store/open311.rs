//! Open311: API keys, and reports filed through GeoReport v2.
//!
//! A filed request is an ordinary report (`reports::insert_report`, the
//! year's next case number, `received` at once as it has no media) plus its
//! `open311_requests` row (token, key, `media_url`), written in one
//! `BEGIN IMMEDIATE` transaction. Reads of requests are public reads, in
//! `public.rs`: complete cases only, each in its `PublicCase` form.

use protocol::report::{ReportId, UnixMillis};
use protocol::sync::{CaseNumber, CreateReport};
use sqlx::Row;

use super::case_ops::case_number;
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
}

//! Quiz results (`quiz_results`, migration 0005): one row per result id,
//! written once and never changed. The row keeps the checked fields and the
//! upload's fingerprint, which decides a repeat (same: the stored receipt)
//! from a conflict (another).

use protocol::quiz::{
    QuizEventUpload, QuizMode, QuizResultId, QuizResultReceipt, QuizResultUpload, ValidQuizResult,
};
use protocol::report::UnixMillis;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::error::StoreError;
use super::handle::Store;

/// A stored result as a repeat upload is compared with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredQuizResult {
    pub receipt: QuizResultReceipt,
    /// `QuizResultUpload::fingerprint` of the first upload.
    pub fingerprint: String,
}

/// What recording a result did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuizResultOutcome {
    /// Stored now.
    Created(StoredQuizResult),
    /// The id was already held (another request got there first); the
    /// caller decides between repeat and conflict by the fingerprint.
    Existing(StoredQuizResult),
}

const COLUMNS: &str =
    "id, mode, event_id, event_name, pack, correct, total, missed, finished_at, received_at, content_hash";

impl Store {
    /// The result stored under `id`, if any.
    pub async fn quiz_result(
        &self,
        id: QuizResultId,
    ) -> Result<Option<StoredQuizResult>, StoreError> {
        let row =
            sqlx::query("SELECT id, received_at, content_hash FROM quiz_results WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.pool)
                .await?;
        row.map(|row| stored(id, &row)).transpose()
    }

    /// Stores `result` under `id`, received `now`: one row, one statement.
    /// If the id is already held, nothing is written and the held result is
    /// returned.
    pub async fn record_quiz_result(
        &self,
        id: QuizResultId,
        result: &ValidQuizResult,
        fingerprint: &str,
        now: UnixMillis,
    ) -> Result<QuizResultOutcome, StoreError> {
        let upload = result.to_upload();
        let missed = serde_json::to_string(&upload.missed)
            .map_err(|error| StoreError::Corrupt(format!("missed questions: {error}")))?;
        let (event_id, event_name) = match upload.event {
            Some(event) => (Some(event.id), Some(event.name)),
            None => (None, None),
        };
        let inserted = sqlx::query(&format!(
            "INSERT INTO quiz_results ({COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
             ON CONFLICT (id) DO NOTHING"
        ))
        .bind(id.to_string())
        .bind(upload.mode.code())
        .bind(event_id)
        .bind(event_name)
        .bind(upload.pack)
        .bind(i64::from(upload.correct))
        .bind(i64::from(upload.total))
        .bind(missed)
        .bind(upload.finished_at.0)
        .bind(now.0)
        .bind(fingerprint)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 1 {
            return Ok(QuizResultOutcome::Created(StoredQuizResult {
                receipt: QuizResultReceipt {
                    result_id: id,
                    received_at: now,
                },
                fingerprint: fingerprint.to_owned(),
            }));
        }
        match self.quiz_result(id).await? {
            Some(existing) => Ok(QuizResultOutcome::Existing(existing)),
            None => Err(StoreError::Corrupt(format!(
                "quiz result {id} neither inserted nor found"
            ))),
        }
    }

    /// Every stored result, checked again as it is read (a row that no
    /// longer passes the rules is a damaged database, not a result).
    pub async fn quiz_results(&self) -> Result<Vec<ValidQuizResult>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM quiz_results ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(valid_result).collect()
    }
}

fn stored(id: QuizResultId, row: &AnyRow) -> Result<StoredQuizResult, StoreError> {
    Ok(StoredQuizResult {
        receipt: QuizResultReceipt {
            result_id: id,
            received_at: UnixMillis(row.try_get("received_at")?),
        },
        fingerprint: row.try_get("content_hash")?,
    })
}

fn valid_result(row: &AnyRow) -> Result<ValidQuizResult, StoreError> {
    let id: String = row.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("quiz result {id}: {what}"));
    let mode: String = row.try_get("mode")?;
    let mode = QuizMode::from_code(&mode).ok_or_else(|| corrupt("mode"))?;
    let event_id: Option<String> = row.try_get("event_id")?;
    let event_name: Option<String> = row.try_get("event_name")?;
    let event = match (event_id, event_name) {
        (Some(id), Some(name)) => Some(QuizEventUpload { id, name }),
        (None, None) => None,
        _ => return Err(corrupt("event id without name or name without id")),
    };
    let count = |column: &str| -> Result<u8, StoreError> {
        let value: i64 = row.try_get(column)?;
        u8::try_from(value).map_err(|_| corrupt(column))
    };
    let missed: String = row.try_get("missed")?;
    let missed: Vec<String> = serde_json::from_str(&missed).map_err(|_| corrupt("missed"))?;
    let upload = QuizResultUpload {
        event,
        pack: row.try_get("pack")?,
        correct: count("correct")?,
        total: count("total")?,
        missed,
        finished_at: UnixMillis(row.try_get("finished_at")?),
        mode,
    };
    // The clock rule held when it was received; only the others are checked
    // again here.
    upload
        .validate(UnixMillis(i64::MAX))
        .map_err(|errors| corrupt(&errors.to_string()))
}

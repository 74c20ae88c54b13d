//! The report sender's requests: each `Action` becomes one `fetch`, and its
//! answer an [`Outcome`] for the machine. What an answer *means* is the
//! machine's business; this file only tells "no answer" from "this answer".

use std::time::Duration;

use protocol::report::{MediaId, ReportId, ValidReport};
use protocol::support::{
    support_medium_id, support_medium_path, support_path, CreateSupport, SupportId, ValidSupport,
};
use protocol::sync::{
    case_path, medium_id, medium_path, report_path, CaseNumber, CreateReport, IntakeStatus,
    Outcome, ReceiptSecret, Timeline, RECEIPT_HEADER,
};
use protocol::{ApiError, ErrorCode, LocalizedText};
use web_shared::http::{self, ErrorBody, NoAnswer, SHORT_TIMEOUT};
use web_sys::{Blob, Response};

use crate::outbox::{Outbox, StorageError};

/// How long a medium upload may take: generous for a slow mobile link
/// (about 16 KiB/s), bounded so a stalled connection is noticed.
fn upload_timeout(bytes: u64) -> Duration {
    let seconds = 30 + bytes / (16 * 1024);
    Duration::from_secs(seconds.min(600))
}

/// The outcome of an answer to a create or an upload.
async fn intake_outcome(response: Response) -> Outcome {
    let status = response.status();
    if status == 200 || status == 201 {
        if let Some(intake) = http::json::<IntakeStatus>(&response).await {
            return Outcome::Intake(intake);
        }
        // A success the app cannot read (a proxy's page?): try again later.
        return Outcome::Failed {
            status: 502,
            error: None,
            retry_after: None,
        };
    }
    failed(response).await
}

async fn failed(response: Response) -> Outcome {
    let retry_after = http::retry_after(&response);
    let status = response.status();
    // Only the message and the fields matter here; the code follows from
    // the status (and reading it would compile in another enum's parser).
    let error = match (
        ErrorCode::from_status(status),
        http::json::<ErrorBody>(&response).await,
    ) {
        (Some(code), Some(body)) => Some(ApiError {
            code,
            message: body.message,
            fields: body.fields,
        }),
        _ => None,
    };
    Outcome::Failed {
        status,
        error,
        retry_after,
    }
}

/// `GET /api/health`: is the server there, for real?
pub async fn check_health() -> Outcome {
    match http::health().await {
        Err(NoAnswer) => Outcome::Unreachable,
        Ok(response) if response.ok() => Outcome::HealthOk,
        Ok(response) => failed(response).await,
    }
}

/// A queued report or support, or a part of it, is gone from the device.
fn cannot_send() -> Outcome {
    Outcome::CannotSend(LocalizedText::new(
        "这条内容已无法从本机读取，请打开它检查后重新提交。",
        "Part of this can no longer be read on this phone. Open it, check it and queue it again.",
    ))
}

/// What a storage error while preparing a send means: a record that truly
/// cannot be read is a verdict on that report (needs attention, with the
/// reason); anything else (a busy or closed database, a full disk) is
/// passed on, so the run ends and the engine tries again later with the
/// report still queued.
pub fn verdict_or_retry(error: StorageError) -> Result<Outcome, StorageError> {
    if error.is_transient() {
        return Err(error);
    }
    let reason = error.message();
    Ok(Outcome::CannotSend(LocalizedText::new(
        format!(
            "这条举报无法从本机读取：{}请打开它检查后重新提交。",
            reason.zh_cn
        ),
        format!(
            "This report cannot be read on this phone: {} Open it, check it and queue it again.",
            reason.en
        ),
    )))
}

/// Why a queued report cannot go out now.
enum NotReady {
    /// A verdict for the machine (the report needs attention).
    Verdict(Outcome),
    /// The device's storage failed for now: the run ends, and is retried.
    Storage(StorageError),
}

impl From<StorageError> for NotReady {
    fn from(error: StorageError) -> Self {
        match verdict_or_retry(error) {
            Ok(outcome) => NotReady::Verdict(outcome),
            Err(error) => NotReady::Storage(error),
        }
    }
}

impl NotReady {
    fn into_outcome(self) -> Result<Outcome, StorageError> {
        match self {
            NotReady::Verdict(outcome) => Ok(outcome),
            NotReady::Storage(error) => Err(error),
        }
    }
}

/// A queued report made ready to send: read, checked again, and its create
/// body. Kept for the run while its media go out one by one (a queued
/// report cannot change: it is editable only once it needs attention).
pub struct Prepared {
    id: ReportId,
    valid: ValidReport,
    body: CreateReport,
}

/// The report `id`, prepared once per run: `cache` holds the last one.
async fn prepared<'c>(
    outbox: &Outbox,
    id: ReportId,
    cache: &'c mut Option<Prepared>,
) -> Result<&'c Prepared, NotReady> {
    if cache.as_ref().is_some_and(|prepared| prepared.id == id) {
        return cache
            .as_ref()
            .ok_or_else(|| NotReady::Verdict(cannot_send()));
    }
    *cache = None;
    let gone = || NotReady::Verdict(cannot_send());
    let record = outbox.get(id).await?.ok_or_else(gone)?;
    let receipt = outbox.receipt(id).await?.ok_or_else(gone)?;
    // `created_at` is fixed when the draft starts and the time seen was
    // checked when it was queued, so a queued report stays valid; checked
    // again so that nothing invalid goes out.
    let valid = record
        .draft
        .validate(web_shared::time::now())
        .map_err(|errors| {
            NotReady::Verdict(match errors.iter().next() {
                Some(error) => Outcome::CannotSend(error.message.clone()),
                None => cannot_send(),
            })
        })?;
    let body = CreateReport::from_valid(&valid, &receipt.hash());
    Ok(cache.insert(Prepared { id, valid, body }))
}

/// `PUT /api/v1/reports/{id}`. `Err` when the device's storage failed for
/// now (the run ends and is retried; nothing was sent).
pub async fn create(
    outbox: &Outbox,
    id: ReportId,
    cache: &mut Option<Prepared>,
) -> Result<Outcome, StorageError> {
    let json_body = match prepared(outbox, id, cache).await {
        Ok(prepared) => http::to_json(&prepared.body),
        Err(not_ready) => return not_ready.into_outcome(),
    };
    Ok(put_json(&report_path(id), json_body).await)
}

/// `PUT` of a create body; `None` (no body could be made) cannot be sent.
async fn put_json(path: &str, json_body: Option<wasm_bindgen::JsValue>) -> Outcome {
    let Some(json_body) = json_body else {
        return cannot_send();
    };
    match http::fetch(
        "PUT",
        path,
        &[("content-type", "application/json")],
        Some(&json_body),
        SHORT_TIMEOUT,
    )
    .await
    {
        Err(NoAnswer) => Outcome::Unreachable,
        Ok(response) => intake_outcome(response).await,
    }
}

/// `PUT /api/v1/reports/{id}/media/{index}` with the stored bytes. `Err`
/// when the device's storage failed for now.
pub async fn upload(
    outbox: &Outbox,
    id: ReportId,
    index: u8,
    cache: &mut Option<Prepared>,
) -> Result<Outcome, StorageError> {
    let prepared = match prepared(outbox, id, cache).await {
        Ok(prepared) => prepared,
        Err(not_ready) => return not_ready.into_outcome(),
    };
    let (Some(decl), Some(medium)) = (
        prepared.body.medium(index),
        medium_id(&prepared.valid, index),
    ) else {
        return Ok(cannot_send());
    };
    let (mime, bytes) = (decl.mime.clone(), decl.bytes);
    put_medium(outbox, &medium_path(id, index), medium, &mime, bytes).await
}

/// `PUT` of one stored medium's bytes. `Err` when the device's storage
/// failed for now.
async fn put_medium(
    outbox: &Outbox,
    path: &str,
    medium: MediaId,
    mime: &str,
    bytes: u64,
) -> Result<Outcome, StorageError> {
    let blob: Blob = match outbox
        .media(medium)
        .await
        .and_then(|m| m.map(|m| m.to_blob()).transpose())
    {
        Ok(Some(blob)) => blob,
        Ok(None) => return Ok(cannot_send()),
        Err(error) => return verdict_or_retry(error),
    };
    Ok(
        match http::fetch(
            "PUT",
            path,
            &[("content-type", mime)],
            Some(&blob.into()),
            upload_timeout(bytes),
        )
        .await
        {
            Err(NoAnswer) => Outcome::Unreachable,
            Ok(response) => intake_outcome(response).await,
        },
    )
}

/// A queued support made ready to send: read once per run, with its
/// create body (a support cannot change once queued).
pub struct PreparedSupport {
    id: SupportId,
    valid: ValidSupport,
    body: CreateSupport,
}

async fn prepared_support<'c>(
    outbox: &Outbox,
    id: SupportId,
    cache: &'c mut Option<PreparedSupport>,
) -> Result<&'c PreparedSupport, NotReady> {
    if cache.as_ref().is_some_and(|prepared| prepared.id == id) {
        return cache
            .as_ref()
            .ok_or_else(|| NotReady::Verdict(cannot_send()));
    }
    *cache = None;
    let gone = || NotReady::Verdict(cannot_send());
    let record = outbox.support(id).await?.ok_or_else(gone)?;
    let receipt = outbox.support_receipt(id).await?.ok_or_else(gone)?;
    let body = CreateSupport::from_valid(&record.support, &receipt.hash());
    Ok(cache.insert(PreparedSupport {
        id,
        valid: record.support,
        body,
    }))
}

/// `PUT /api/v1/supports/{id}`. `Err` when the device's storage failed for
/// now (the run ends and is retried; nothing was sent).
pub async fn create_support(
    outbox: &Outbox,
    id: SupportId,
    cache: &mut Option<PreparedSupport>,
) -> Result<Outcome, StorageError> {
    let json_body = match prepared_support(outbox, id, cache).await {
        Ok(prepared) => http::to_json(&prepared.body),
        Err(not_ready) => return not_ready.into_outcome(),
    };
    Ok(put_json(&support_path(id), json_body).await)
}

/// `PUT /api/v1/supports/{id}/media/{index}` with the stored bytes.
pub async fn upload_support(
    outbox: &Outbox,
    id: SupportId,
    index: u8,
    cache: &mut Option<PreparedSupport>,
) -> Result<Outcome, StorageError> {
    let prepared = match prepared_support(outbox, id, cache).await {
        Ok(prepared) => prepared,
        Err(not_ready) => return not_ready.into_outcome(),
    };
    let (Some(decl), Some(medium)) = (
        prepared.body.medium(index),
        support_medium_id(&prepared.valid, index),
    ) else {
        return Ok(cannot_send());
    };
    let (mime, bytes) = (decl.mime.clone(), decl.bytes);
    put_medium(
        outbox,
        &support_medium_path(id, index),
        medium,
        &mime,
        bytes,
    )
    .await
}

/// What reading a case gave.
pub enum CaseAnswer {
    /// The timeline, and the JSON it was read from (kept as is on the
    /// device, so only reading a timeline is compiled in, not writing one).
    Found(Timeline, String),
    /// Unknown case or wrong receipt (the server does not say which).
    NotFound,
    /// No answer, or one the app could not read.
    Unavailable,
}

/// `GET /api/v1/cases/{case}` with the receipt.
pub async fn case(case_number: &CaseNumber, receipt: &ReceiptSecret) -> CaseAnswer {
    let secret = receipt.to_base64url();
    match http::fetch(
        "GET",
        &case_path(case_number),
        &[(RECEIPT_HEADER, &secret)],
        None,
        SHORT_TIMEOUT,
    )
    .await
    {
        Err(NoAnswer) => CaseAnswer::Unavailable,
        Ok(response) if response.status() == 404 => CaseAnswer::NotFound,
        Ok(response) if response.ok() => {
            let text = http::text(&response).await;
            match text.and_then(|text| Some((web_shared::json::parse::<Timeline>(&text)?, text))) {
                Some((timeline, text)) if timeline.case_number() == *case_number => {
                    CaseAnswer::Found(timeline, text)
                }
                _ => CaseAnswer::Unavailable,
            }
        }
        Ok(_) => CaseAnswer::Unavailable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use web_shared::idb::UnreadableRecord;

    #[test]
    fn a_storage_failure_that_may_pass_ends_the_run_and_is_no_verdict() {
        for error in [
            StorageError::QuotaExceeded,
            StorageError::Blocked,
            StorageError::Unavailable("InvalidStateError".into()),
            StorageError::Browser("AbortError: the transaction was aborted".into()),
        ] {
            let shown = error.message().en;
            match verdict_or_retry(error) {
                Err(error) => assert_eq!(error.message().en, shown),
                Ok(outcome) => panic!("a passing failure became a verdict: {outcome:?}"),
            }
        }
    }

    #[test]
    fn a_record_that_cannot_be_read_is_a_verdict_that_gives_the_reason() {
        let error = StorageError::Unreadable(UnreadableRecord {
            key: Some("report-1".into()),
            error: "missing field `category`".into(),
        });
        let reason = error.message();
        match verdict_or_retry(error) {
            Ok(Outcome::CannotSend(message)) => {
                assert!(message.en.contains(&reason.en), "{}", message.en);
                assert!(message.zh_cn.contains(&reason.zh_cn), "{}", message.zh_cn);
                // The reason in words, never the decoder's own.
                assert!(!message.en.contains("missing field"), "{}", message.en);
            }
            other => panic!("expected a verdict, got {other:?}"),
        }
    }
}

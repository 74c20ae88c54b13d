//! The report sender's requests: each `Action` becomes one `fetch`, and its
//! answer an [`Outcome`] for the machine. What an answer *means* is the
//! machine's business; this file only tells "no answer" from "this answer".

use std::time::Duration;

use protocol::report::{ReportId, ValidReport};
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

/// A queued report, or a part of it, is gone from the device.
fn cannot_send() -> Outcome {
    Outcome::CannotSend(LocalizedText::new(
        "这条举报的内容已无法从本机读取，请打开它检查后重新提交。",
        "Part of this report can no longer be read on this phone. Open it, check it and queue it again.",
    ))
}

/// An item this app does not send (a support: the app queues none yet).
/// Retrying would not help, so the machine sets it aside.
pub fn not_sent_by_this_app() -> Outcome {
    Outcome::CannotSend(LocalizedText::new(
        "这一项不能由本应用发送。",
        "This app cannot send this item.",
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
    let Some(json_body) = json_body else {
        return Ok(cannot_send());
    };
    Ok(
        match http::fetch(
            "PUT",
            &report_path(id),
            &[("content-type", "application/json")],
            Some(&json_body),
            SHORT_TIMEOUT,
        )
        .await
        {
            Err(NoAnswer) => Outcome::Unreachable,
            Ok(response) => intake_outcome(response).await,
        },
    )
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
            &medium_path(id, index),
            &[("content-type", mime.as_str())],
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

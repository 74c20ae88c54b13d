//! The sync engine's requests: each [`Action`] becomes one `fetch`, and its
//! answer an [`Outcome`] for the machine. What an answer *means* is the
//! machine's business; this file only tells "no answer" from "this answer".

use std::time::Duration;

use leptos::prelude::set_timeout_with_handle;
use protocol::report::FieldError;
use protocol::report::{ReportId, ValidReport};
use protocol::sync::{
    case_path, medium_id, medium_path, parse_retry_after, report_path, CaseNumber, CreateReport,
    IntakeStatus, Outcome, ReceiptSecret, Timeline, RECEIPT_HEADER,
};
use protocol::{ApiError, ErrorCode, LocalizedText};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Blob, Headers, RequestInit, Response};

use crate::storage::Outbox;

const HEALTH_PATH: &str = "/api/health";
const SHORT_TIMEOUT: Duration = Duration::from_secs(20);

/// How long a medium upload may take: generous for a slow mobile link
/// (about 16 KiB/s), bounded so a stalled connection is noticed.
fn upload_timeout(bytes: u64) -> Duration {
    let seconds = 30 + bytes / (16 * 1024);
    Duration::from_secs(seconds.min(600))
}

/// No answer: offline, refused, timed out, cut.
pub struct NoAnswer;

pub async fn fetch(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&JsValue>,
    timeout: Duration,
) -> Result<Response, NoAnswer> {
    let window = web_sys::window().ok_or(NoAnswer)?;
    let init = RequestInit::new();
    // No cache option: every /api/ answer is `Cache-Control: no-store` and
    // the service worker never answers /api/.
    init.set_method(method);
    let header_map = Headers::new().map_err(|_| NoAnswer)?;
    for (name, value) in headers {
        header_map.set(name, value).map_err(|_| NoAnswer)?;
    }
    init.set_headers(&header_map);
    if let Some(body) = body {
        init.set_body(body);
    }
    let controller = AbortController::new().ok();
    if let Some(controller) = &controller {
        init.set_signal(Some(&controller.signal()));
    }
    // The timer also covers reading the body. It is not cleared: aborting
    // a finished request does nothing, and the callback is freed once run.
    if let Some(controller) = controller {
        let _ = set_timeout_with_handle(move || controller.abort(), timeout);
    }
    let answer = JsFuture::from(window.fetch_with_str_and_init(path, &init)).await;
    answer
        .ok()
        .and_then(|value| value.dyn_into::<Response>().ok())
        .ok_or(NoAnswer)
}

pub async fn json<T: DeserializeOwned>(response: &Response) -> Option<T> {
    let promise = response.json().ok()?;
    let value = JsFuture::from(promise).await.ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

pub fn to_json(value: &impl Serialize) -> Option<JsValue> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok().map(JsValue::from)
}

/// The outcome of an answer to a create or an upload.
async fn intake_outcome(response: Response) -> Outcome {
    let status = response.status();
    if status == 200 || status == 201 {
        if let Some(intake) = json::<IntakeStatus>(&response).await {
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
    let retry_after = response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|value| parse_retry_after(&value));
    let status = response.status();
    // Only the message and the fields matter here; the code follows from
    // the status (and reading it would compile in another enum's parser).
    let error = match (
        ErrorCode::from_status(status),
        json::<ErrorBody>(&response).await,
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

/// The part of an [`ApiError`] body the app uses.
/// (The staff console reads error answers with it too.)
#[derive(serde::Deserialize)]
pub struct ErrorBody {
    pub message: LocalizedText,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

/// `GET /api/health`: is the server there, for real?
pub async fn check_health() -> Outcome {
    match fetch("GET", HEALTH_PATH, &[], None, SHORT_TIMEOUT).await {
        Err(NoAnswer) => Outcome::Unreachable,
        Ok(response) if response.ok() => Outcome::HealthOk,
        Ok(response) => failed(response).await,
    }
}

fn cannot_send() -> Outcome {
    Outcome::CannotSend(LocalizedText::new(
        "这条举报无法从本机读取，请打开它检查后重新提交。",
        "This report can no longer be read on this phone. Open it, check it and queue it again.",
    ))
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
) -> Result<&'c Prepared, Outcome> {
    if cache.as_ref().is_some_and(|prepared| prepared.id == id) {
        return cache.as_ref().ok_or_else(cannot_send);
    }
    *cache = None;
    let record = outbox
        .get(id)
        .await
        .ok()
        .flatten()
        .ok_or_else(cannot_send)?;
    let receipt = outbox
        .receipt(id)
        .await
        .ok()
        .flatten()
        .ok_or_else(cannot_send)?;
    // `created_at` is fixed when the draft starts and the time seen was
    // checked when it was queued, so a queued report stays valid; checked
    // again so that nothing invalid goes out.
    let valid = record
        .draft
        .validate(crate::time::now())
        .map_err(|errors| match errors.iter().next() {
            Some(error) => Outcome::CannotSend(error.message.clone()),
            None => cannot_send(),
        })?;
    let body = CreateReport::from_valid(&valid, &receipt.hash());
    Ok(cache.insert(Prepared { id, valid, body }))
}

/// `PUT /api/v1/reports/{id}`.
pub async fn create(outbox: &Outbox, id: ReportId, cache: &mut Option<Prepared>) -> Outcome {
    let json_body = match prepared(outbox, id, cache).await {
        Ok(prepared) => to_json(&prepared.body),
        Err(outcome) => return outcome,
    };
    let Some(json_body) = json_body else {
        return cannot_send();
    };
    match fetch(
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
    }
}

/// `PUT /api/v1/reports/{id}/media/{index}` with the stored bytes.
pub async fn upload(
    outbox: &Outbox,
    id: ReportId,
    index: u8,
    cache: &mut Option<Prepared>,
) -> Outcome {
    let prepared = match prepared(outbox, id, cache).await {
        Ok(prepared) => prepared,
        Err(outcome) => return outcome,
    };
    let (Some(decl), Some(medium)) = (
        prepared.body.medium(index),
        medium_id(&prepared.valid, index),
    ) else {
        return cannot_send();
    };
    let (mime, bytes) = (decl.mime.clone(), decl.bytes);
    let Some(blob): Option<Blob> = outbox.media(medium).await.ok().flatten() else {
        return cannot_send();
    };
    match fetch(
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
    }
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

/// A timeline from its JSON text.
pub fn parse_timeline(text: &str) -> Option<Timeline> {
    let value = js_sys::JSON::parse(text).ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// `GET /api/v1/cases/{case}` with the receipt.
pub async fn case(case_number: &CaseNumber, receipt: &ReceiptSecret) -> CaseAnswer {
    let secret = receipt.to_base64url();
    match fetch(
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
            let text = match response.text() {
                Ok(promise) => JsFuture::from(promise)
                    .await
                    .ok()
                    .and_then(|t| t.as_string()),
                Err(_) => None,
            };
            match text.and_then(|text| Some((parse_timeline(&text)?, text))) {
                Some((timeline, text)) if timeline.case_number() == *case_number => {
                    CaseAnswer::Found(timeline, text)
                }
                _ => CaseAnswer::Unavailable,
            }
        }
        Ok(_) => CaseAnswer::Unavailable,
    }
}

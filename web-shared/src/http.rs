//! The apps' HTTP client: same-origin `fetch` with a timeout, JSON bodies
//! both ways, and the server's error body.
//!
//! It only tells "no answer" from "this answer"; what an answer means is the
//! caller's business (the sync machine's, the staff console's, Learn's).

use std::time::Duration;

use leptos::prelude::set_timeout_with_handle;
use protocol::health::HEALTH_PATH;
use protocol::report::FieldError;
use protocol::LocalizedText;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

/// How long a small request (health, a create, a case) may take.
pub const SHORT_TIMEOUT: Duration = Duration::from_secs(20);

/// No answer: offline, refused, timed out, cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoAnswer;

/// One same-origin request. The timer also covers reading the body.
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
    // The timer is not cleared: aborting a finished request does nothing,
    // and the callback is freed once run.
    if let Some(controller) = controller {
        let _ = set_timeout_with_handle(move || controller.abort(), timeout);
    }
    let answer = JsFuture::from(window.fetch_with_str_and_init(path, &init)).await;
    answer
        .ok()
        .and_then(|value| value.dyn_into::<Response>().ok())
        .ok_or(NoAnswer)
}

/// The answer's body as `T`, if it is JSON of that shape.
pub async fn json<T: DeserializeOwned>(response: &Response) -> Option<T> {
    let promise = response.json().ok()?;
    let value = JsFuture::from(promise).await.ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// The answer's body as text.
pub async fn text(response: &Response) -> Option<String> {
    let promise = response.text().ok()?;
    JsFuture::from(promise).await.ok()?.as_string()
}

/// `value` as a JSON request body.
pub fn to_json(value: &impl Serialize) -> Option<JsValue> {
    crate::json::stringify(value).map(JsValue::from)
}

/// The `Retry-After` the answer carries, if it is one the protocol reads.
pub fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get("retry-after")
        .ok()
        .flatten()
        .and_then(|value| protocol::sync::parse_retry_after(&value))
}

/// The part of a [`protocol::ApiError`] body the apps use.
#[derive(serde::Deserialize)]
pub struct ErrorBody {
    pub message: LocalizedText,
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

/// The server's message in a refusal, if it sent one the app can read.
pub async fn error_message(response: &Response) -> Option<LocalizedText> {
    json::<ErrorBody>(response).await.map(|body| body.message)
}

/// `GET /api/health`: is the server there, for real? (Never
/// `navigator.onLine`.) `Ok` with the answer, which may be a refusal.
pub async fn health() -> Result<Response, NoAnswer> {
    fetch("GET", HEALTH_PATH, &[], None, SHORT_TIMEOUT).await
}

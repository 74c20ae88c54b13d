//! The staff API from the console: same-origin `fetch`, so the session
//! cookie (HttpOnly, SameSite=Strict) goes along by itself.

use std::time::Duration;

use protocol::LocalizedText;
use serde::de::DeserializeOwned;
use serde::Serialize;

use web_shared::http::{error_message, fetch, json, to_json};

const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request gave nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// 401: no session, or it expired.
    SignedOut(Option<LocalizedText>),
    /// Another refusal, with the server's message.
    Refused(LocalizedText),
    /// No answer, or one the console cannot read.
    Unavailable,
}

/// One request; an answer that is not a success becomes a [`Problem`].
async fn send(
    method: &str,
    path: &str,
    body: Option<wasm_bindgen::JsValue>,
) -> Result<web_sys::Response, Problem> {
    let content_type = body.as_ref().map(|_| "application/json");
    send_typed(method, path, content_type, body).await
}

async fn send_typed(
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: Option<wasm_bindgen::JsValue>,
) -> Result<web_sys::Response, Problem> {
    let with_type;
    let headers: &[(&str, &str)] = match content_type {
        Some(content_type) => {
            with_type = [("content-type", content_type)];
            &with_type
        }
        None => &[],
    };
    let response = fetch(method, path, headers, body.as_ref(), TIMEOUT)
        .await
        .map_err(|_| Problem::Unavailable)?;
    if response.ok() {
        return Ok(response);
    }
    let message = error_message(&response).await;
    Err(match (response.status(), message) {
        (401, message) => Problem::SignedOut(message),
        (_, Some(message)) => Problem::Refused(message),
        (_, None) => Problem::Unavailable,
    })
}

async fn read<T: DeserializeOwned>(response: web_sys::Response) -> Result<T, Problem> {
    json::<T>(&response).await.ok_or(Problem::Unavailable)
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Problem> {
    read(send("GET", path, None).await?).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Problem> {
    let body = to_json(body).ok_or(Problem::Unavailable)?;
    read(send("POST", path, Some(body)).await?).await
}

/// A POST of raw bytes (an `ArrayBuffer`) of type `content_type`; the
/// answer read as JSON. A long timeout: an upload of many photos.
pub async fn post_bytes<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    body: wasm_bindgen::JsValue,
) -> Result<T, Problem> {
    read(send_typed("POST", path, Some(content_type), Some(body)).await?).await
}

/// A POST without a body; its answer (if any) is not read.
pub async fn post_empty(path: &str) -> Result<(), Problem> {
    send("POST", path, None).await.map(|_| ())
}

//! A JSON answer computed once at start and revalidated by its `ETag`: the
//! quiz packs (`quiz_packs.rs`) and the reporting channels (`channels.rs`).
//! A client whose `If-None-Match` names the tag gets a 304 without a body;
//! `Cache-Control: no-cache` comes from `startup::cache_headers`.

use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};

/// The body and its entity tag.
#[derive(Debug, Clone)]
pub struct JsonAnswer {
    body: Bytes,
    etag: String,
}

impl JsonAnswer {
    /// The answer of `body`, tagged by the first 128 bits of its SHA-256.
    pub fn new(body: Vec<u8>) -> JsonAnswer {
        let digest = Sha256::digest(&body);
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        JsonAnswer {
            body: Bytes::from(body),
            // Weak: the compression layer may send other bytes of the same
            // content, and a strong tag would promise byte equality.
            etag: format!("W/\"{hex}\""),
        }
    }

    /// The JSON body.
    pub fn body(&self) -> Bytes {
        self.body.clone()
    }

    /// The entity tag, quoted as the header carries it.
    pub fn etag(&self) -> &str {
        &self.etag
    }

    /// Whether an `If-None-Match` header value names this answer (weak
    /// comparison, as RFC 9110 asks for this header; `*` names any).
    pub fn matches(&self, if_none_match: &str) -> bool {
        let ours = opaque(&self.etag);
        if_none_match
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || opaque(tag) == ours)
    }

    /// The answer to a request with `headers`: 304 when the client's copy
    /// is current, else the body with its tag.
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        let etag = HeaderValue::from_str(&self.etag)
            .unwrap_or_else(|_| HeaderValue::from_static("W/\"none\""));
        let current = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .any(|value| self.matches(value));
        if current {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
        }
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::ETAG, etag),
            ],
            self.body(),
        )
            .into_response()
    }
}

/// An entity tag without its weakness prefix.
fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

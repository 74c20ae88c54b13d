//! The results outbox: each event participant's result, queued on the
//! device (`store.rs`) and sent by the sync engine (`crate::sync`), which
//! runs this after the reports, under the same Web Lock, on the same
//! triggers and with the same backoff policy.
//!
//! `PUT /api/v1/quiz/results/{id}` is idempotent: a result whose answer was
//! lost is sent again and the server counts it once. What each answer
//! means is [`Delivery`]'s rule (`protocol::quiz::delivery`).

use std::cell::Cell;
use std::time::Duration;

use protocol::quiz::{Delivery, QuizResultUpload, QUIZ_RESULT_ROUTE};
use protocol::sync::Backoff;
use protocol::LocalizedText;
use serde::{Deserialize, Serialize};

use super::store::LearnStore;
use crate::sync::http::{self, ErrorBody};

/// A result waiting to be sent, or sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuedResult {
    pub id: uuid::Uuid,
    pub upload: QuizResultUpload,
    pub state: ResultState,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ResultState {
    Queued,
    Sent,
    /// The server refused the content; kept, not sent again.
    Refused(LocalizedText),
}

thread_local! {
    /// Failed tries in a row, for the backoff.
    static ATTEMPT: Cell<u32> = const { Cell::new(0) };
}

const TIMEOUT: Duration = Duration::from_secs(20);

/// Sends every queued result, one at a time. `None` when nothing is left to
/// send; otherwise how long to wait before trying again.
pub async fn send_queued() -> Option<Duration> {
    let store = LearnStore::open().await.ok()?;
    let wait = send_with(&store).await;
    store.close();
    wait
}

async fn send_with(store: &LearnStore) -> Option<Duration> {
    let results = store.results().await.ok()?;
    for result in results.iter().filter(|r| r.state == ResultState::Queued) {
        let path = QUIZ_RESULT_ROUTE.replace("{result_id}", &result.id.to_string());
        let body = http::to_json(&result.upload)?;
        let answer = http::fetch(
            "PUT",
            &path,
            &[("content-type", "application/json")],
            Some(&body),
            TIMEOUT,
        )
        .await
        .ok();
        let status = answer.as_ref().map(|response| response.status());
        match Delivery::from_status(status) {
            Delivery::Sent => {
                ATTEMPT.set(0);
                store
                    .set_result_state(result, ResultState::Sent)
                    .await
                    .ok()?;
            }
            Delivery::Refused => {
                let message = match &answer {
                    Some(response) => http::json::<ErrorBody>(response)
                        .await
                        .map(|body| body.message),
                    None => None,
                }
                .unwrap_or_else(|| {
                    LocalizedText::new("服务器拒收了这条成绩。", "The server refused this result.")
                });
                store
                    .set_result_state(result, ResultState::Refused(message))
                    .await
                    .ok()?;
            }
            Delivery::Retry => {
                let attempt = ATTEMPT.get();
                ATTEMPT.set(attempt.saturating_add(1));
                let retry_after = answer
                    .as_ref()
                    .and_then(|response| response.headers().get("retry-after").ok().flatten())
                    .and_then(|value| protocol::sync::parse_retry_after(&value));
                return Some(Backoff::DEFAULT.next_delay(
                    attempt,
                    retry_after,
                    js_sys::Math::random(),
                ));
            }
        }
    }
    None
}

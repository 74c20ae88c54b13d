//! Sending the results outbox: each event participant's result, queued on
//! the device (`store.rs`) and sent by the shared sync engine, which runs
//! [`SENDERS`] on the same triggers, under the same Web Lock and with the
//! same backoff policy as the citizen app's reports.
//!
//! `PUT /api/v1/quiz/results/{id}` is idempotent: a result whose answer was
//! lost is sent again and the server counts it once. What each answer
//! means is [`Delivery`]'s rule (`protocol::quiz::delivery`). A storage
//! failure is never read as "nothing to send": the run ends as failed and
//! the engine tries again later; a result this version cannot read stays
//! stored and is shown as needing attention.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

use protocol::quiz::{quiz_result_path, Delivery, QuizResultId};
use protocol::sync::Backoff;
use protocol::LocalizedText;
use web_shared::http::{self, SHORT_TIMEOUT};
use web_shared::idb::StorageError;
use web_shared::sync::{RunEnd, RunOptions, Sender, SyncHandle};

use super::store::{LearnStore, ResultState};

/// The senders Learn runs: its quiz results.
pub const SENDERS: &[Sender] = &[send_results];

thread_local! {
    /// Failed tries in a row, for the backoff.
    static ATTEMPT: Cell<u32> = const { Cell::new(0) };
}

fn send_results(_: RunOptions, handle: SyncHandle) -> Pin<Box<dyn Future<Output = RunEnd>>> {
    Box::pin(async move {
        match send_queued().await {
            Ok(end) => end,
            Err(error) => handle.failed(error.message()),
        }
    })
}

/// Sends every queued result, one at a time: `Idle` when nothing is left
/// to send, `Wait` when the server asks for patience or cannot be reached.
pub async fn send_queued() -> Result<RunEnd, StorageError> {
    let store = LearnStore::open().await?;
    let end = send_with(&store).await;
    store.close();
    end
}

async fn send_with(store: &LearnStore) -> Result<RunEnd, StorageError> {
    let listing = store.results().await?;
    for result in listing
        .results
        .iter()
        .filter(|r| r.state == ResultState::Queued)
    {
        let path = quiz_result_path(QuizResultId::from_uuid(result.id));
        let Some(body) = http::to_json(&result.upload) else {
            store
                .set_result_state(result, ResultState::Refused(cannot_write()))
                .await?;
            continue;
        };
        let answer = http::fetch(
            "PUT",
            &path,
            &[("content-type", "application/json")],
            Some(&body),
            SHORT_TIMEOUT,
        )
        .await
        .ok();
        let status = answer.as_ref().map(|response| response.status());
        match Delivery::from_status(status) {
            Delivery::Sent => {
                ATTEMPT.set(0);
                store.set_result_state(result, ResultState::Sent).await?;
            }
            Delivery::Refused => {
                let message = match &answer {
                    Some(response) => http::error_message(response).await,
                    None => None,
                }
                .unwrap_or_else(|| {
                    LocalizedText::new("服务器拒收了这条成绩。", "The server refused this result.")
                });
                store
                    .set_result_state(result, ResultState::Refused(message))
                    .await?;
            }
            Delivery::Retry => {
                let attempt = ATTEMPT.get();
                ATTEMPT.set(attempt.saturating_add(1));
                let retry_after = answer.as_ref().and_then(http::retry_after);
                return Ok(RunEnd::Wait(Backoff::DEFAULT.next_delay(
                    attempt,
                    retry_after,
                    js_sys::Math::random(),
                )));
            }
        }
    }
    Ok(RunEnd::Idle)
}

fn cannot_write() -> LocalizedText {
    LocalizedText::new(
        "这条成绩无法整理成要发送的格式。",
        "This result could not be put into the form it is sent in.",
    )
}

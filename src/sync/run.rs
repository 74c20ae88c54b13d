//! One run of the report sender (under the engine's Web Lock): bring the
//! stored machine in line with the outbox, then carry out its actions until
//! it is idle or has to wait. Every decision is [`SyncMachine`]'s; this
//! file performs requests and stores what they changed, after every single
//! answer. A storage failure ends the run (the engine retries it later);
//! the reports stay as they were stored.

use leptos::prelude::*;
use protocol::report::ReportState;
use protocol::sync::{Action, ItemSync, Outcome, Phase, SyncItem, SyncMachine};
use web_shared::sync::{RunEnd, RunOptions, SyncHandle, SyncStatus};
use web_shared::time::now;

use super::requests::{self, CaseAnswer};
use crate::outbox::{followed_key, Outbox, StorageError};

thread_local! {
    /// The sending states this tab last showed, to notice another tab's.
    static SEEN: std::cell::RefCell<Vec<ItemSync>> = const { std::cell::RefCell::new(Vec::new()) };
}

pub async fn run(options: RunOptions, handle: SyncHandle) -> RunEnd {
    let outbox = match Outbox::open().await {
        Ok(outbox) => outbox,
        Err(error) => return failed(handle, error),
    };
    let end = match run_with(&outbox, options, handle).await {
        Ok(end) => end,
        Err(error) => failed(handle, error),
    };
    outbox.close();
    end
}

fn failed(handle: SyncHandle, error: StorageError) -> RunEnd {
    handle.failed(error.message())
}

fn pending(machine: &SyncMachine) -> usize {
    machine
        .items()
        .iter()
        .filter(|sync| matches!(sync.phase, Phase::Queued | Phase::Sending { .. }))
        .count()
}

async fn run_with(
    outbox: &Outbox,
    options: RunOptions,
    handle: SyncHandle,
) -> Result<RunEnd, StorageError> {
    let mut machine = outbox.sync_machine().await?;
    // Reports and supports ("I see this too"): both sent the same way.
    machine.reconcile(outbox.queued_items().await?);
    if options.retry_now {
        machine.retry_now();
    }
    let every: Vec<SyncItem> = machine.items().iter().map(|sync| sync.item).collect();
    outbox.record_sync(&machine, &every).await?;
    // Pages reload only for a real change (a retry every few seconds while
    // offline must not redraw the page under the person's finger): here,
    // sending states unlike those this tab last saw (another tab sent, or
    // the person queued or deleted a report).
    if SEEN.with(|seen| seen.borrow().as_slice() != machine.items()) {
        handle.changed();
    }

    let mut unreachable = false;
    let mut sent_now: Vec<SyncItem> = Vec::new();
    let mut prepared = None;
    let mut prepared_support = None;
    let end = loop {
        let action = machine.next_action(now());
        match action {
            Action::Idle => break RunEnd::Idle,
            Action::Wait(delay) => break RunEnd::Wait(delay),
            _ => {}
        }
        handle.status.set(SyncStatus::Sending {
            left: pending(&machine),
        });
        let outcome = match action {
            Action::CheckHealth => requests::check_health().await,
            Action::Create(SyncItem::Report(id)) => {
                requests::create(outbox, id, &mut prepared).await?
            }
            Action::UploadMedium(SyncItem::Report(id), index) => {
                requests::upload(outbox, id, index, &mut prepared).await?
            }
            Action::Create(SyncItem::Support(id)) => {
                requests::create_support(outbox, id, &mut prepared_support).await?
            }
            Action::UploadMedium(SyncItem::Support(id), index) => {
                requests::upload_support(outbox, id, index, &mut prepared_support).await?
            }
            Action::Wait(_) | Action::Idle => break RunEnd::Idle,
        };
        unreachable = match &outcome {
            Outcome::Unreachable => true,
            Outcome::Failed { status, .. } => *status >= 500,
            _ => false,
        };
        let change = machine.on_outcome(&action, outcome, now(), js_sys::Math::random());
        let items: Vec<SyncItem> = action.item().into_iter().collect();
        outbox.record_sync(&machine, &items).await?;
        if let Some(change) = change {
            handle.changed();
            if change.to == ReportState::Sent {
                sent_now.push(change.item);
            }
        }
    };

    // The cases of the reports just sent, and of every sent report when
    // asked (start, reconnection, Send now).
    let refresh_all = options.refresh_cases && !unreachable;
    let mut cases_changed = false;
    for sync in machine.items() {
        if matches!(sync.phase, Phase::Sent { .. })
            && (refresh_all || sent_now.contains(&sync.item))
        {
            cases_changed |= refresh_case(outbox, sync.item, &sync.phase).await;
        }
    }
    if cases_changed {
        handle.changed();
    }
    SEEN.with(|seen| *seen.borrow_mut() = machine.items().to_vec());
    let left = pending(&machine);
    handle.status.set(match end {
        RunEnd::Wait(_) => SyncStatus::Waiting {
            left,
            offline: unreachable,
        },
        _ => SyncStatus::Done,
    });
    Ok(end)
}

/// Reads the case's timeline and keeps it; no answer keeps the old one.
/// When staff merged the case into another (`Timeline::duplicate_of`), the
/// same receipt opens that one, and it is kept too: the person follows the
/// original from then on. Says whether anything kept changed (pages
/// reload only then).
async fn refresh_case(outbox: &Outbox, item: SyncItem, phase: &Phase) -> bool {
    let Some(case_number) = phase.case_number() else {
        return false;
    };
    let (key, receipt) = match item {
        SyncItem::Report(id) => (id.to_string(), outbox.receipt(id).await),
        SyncItem::Support(id) => (id.to_string(), outbox.support_receipt(id).await),
    };
    let Ok(Some(receipt)) = receipt else {
        return false;
    };
    let CaseAnswer::Found(timeline, json) = requests::case(&case_number, &receipt).await else {
        return false;
    };
    let mut changed = outbox.save_case(&key, &json).await.unwrap_or(false);
    if let Some(original) = timeline.duplicate_of() {
        if let CaseAnswer::Found(_, json) = requests::case(&original, &receipt).await {
            changed |= outbox
                .save_case(&followed_key(&key), &json)
                .await
                .unwrap_or(false);
        }
    }
    changed
}

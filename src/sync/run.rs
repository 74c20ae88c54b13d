//! One run of the report sender (under the engine's Web Lock): bring the
//! stored machine in line with the outbox, then carry out its actions until
//! it is idle or has to wait. Every decision is [`SyncMachine`]'s; this
//! file performs requests and stores what they changed, after every single
//! answer. A storage failure ends the run (the engine retries it later);
//! the reports stay as they were stored.

use leptos::prelude::*;
use protocol::report::{ReportId, ReportState};
use protocol::sync::{Action, ItemSync, Outcome, Phase, SyncItem, SyncMachine};
use web_shared::sync::{RunEnd, RunOptions, SyncHandle, SyncStatus};
use web_shared::time::now;

use super::requests::{self, CaseAnswer};
use crate::outbox::{Outbox, StorageError};

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
    // The outbox holds reports only, so after this the machine holds
    // nothing else: this app queues no supports (yet).
    machine.reconcile(outbox.queued_reports().await?);
    if options.retry_now {
        machine.retry_now();
    }
    let every: Vec<ReportId> = machine
        .items()
        .iter()
        .filter_map(|sync| sync.item.report())
        .collect();
    outbox.record_sync(&machine, &every).await?;
    // Pages reload only for a real change (a retry every few seconds while
    // offline must not redraw the page under the person's finger): here,
    // sending states unlike those this tab last saw (another tab sent, or
    // the person queued or deleted a report).
    if SEEN.with(|seen| seen.borrow().as_slice() != machine.items()) {
        handle.changed();
    }

    let mut unreachable = false;
    let mut sent_now: Vec<ReportId> = Vec::new();
    let mut prepared = None;
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
            // Never asked: `reconcile` above left only reports. Should a
            // stored machine still name a support, it cannot go from here.
            Action::Create(SyncItem::Support(_))
            | Action::UploadMedium(SyncItem::Support(_), _) => requests::not_sent_by_this_app(),
            Action::Wait(_) | Action::Idle => break RunEnd::Idle,
        };
        unreachable = match &outcome {
            Outcome::Unreachable => true,
            Outcome::Failed { status, .. } => *status >= 500,
            _ => false,
        };
        let change = machine.on_outcome(&action, outcome, now(), js_sys::Math::random());
        let ids: Vec<ReportId> = action
            .item()
            .and_then(SyncItem::report)
            .into_iter()
            .collect();
        outbox.record_sync(&machine, &ids).await?;
        if let Some(change) = change {
            handle.changed();
            if let (ReportState::Sent, Some(id)) = (change.to, change.item.report()) {
                sent_now.push(id);
            }
        }
    };

    // The cases of the reports just sent, and of every sent report when
    // asked (start, reconnection, Send now).
    let refresh_all = options.refresh_cases && !unreachable;
    let mut cases_changed = false;
    for sync in machine.items() {
        let Some(id) = sync.item.report() else {
            continue;
        };
        if matches!(sync.phase, Phase::Sent { .. }) && (refresh_all || sent_now.contains(&id)) {
            cases_changed |= refresh_case(outbox, id, &sync.phase).await;
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
/// Says whether the kept timeline changed (pages reload only then).
async fn refresh_case(outbox: &Outbox, id: ReportId, phase: &Phase) -> bool {
    let Some(case_number) = phase.case_number() else {
        return false;
    };
    let Ok(Some(receipt)) = outbox.receipt(id).await else {
        return false;
    };
    match requests::case(&case_number, &receipt).await {
        CaseAnswer::Found(_, json) => outbox.save_case(id, &json).await.unwrap_or(false),
        CaseAnswer::NotFound | CaseAnswer::Unavailable => false,
    }
}

//! The sync engine in the app: sends queued reports by itself and keeps
//! their cases' timelines up to date.
//!
//! The decisions are [`protocol::sync::SyncMachine`]'s (tested natively,
//! with a seeded fault-injection simulation); this module only decides
//! *when* to run it and carries out its actions:
//!
//! - [`run`]: one run under the Web Lock (`lock`), reading and writing the
//!   machine in IndexedDB after every answer;
//! - `http`: each action as one `fetch`;
//! - here: the triggers (app start, the `online` event, the page becoming
//!   visible, "Send now", a report queued, Background Sync's wake-up) and
//!   the retry timer the machine's backoff asks for.
//!
//! Invariants: at most one run at a time in a tab (triggers that arrive
//! meanwhile are merged into one more run), at most one across tabs (the
//! lock), and a run always starts from the stored machine.

mod background;
pub mod http;
mod lock;
pub mod run;

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::sync::ReceiptSecret;
use protocol::LocalizedText;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use run::{RunEnd, RunOptions};

/// The Web Lock every tab's sync run takes.
const LOCK_NAME: &str = "greenwatch-sync";
/// After the device's storage failed, try again this much later.
const AFTER_STORAGE_FAILURE: Duration = Duration::from_secs(30);

/// What made the engine run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    Start,
    Online,
    Visible,
    SendNow,
    Queued,
    BackgroundSync,
    /// The backoff's wait is over.
    Timer,
}

impl Reason {
    fn options(self) -> RunOptions {
        match self {
            // The wait was the machine's own decision.
            Reason::Timer => RunOptions::default(),
            // A report is new: send it, no need to read cases.
            Reason::Queued => RunOptions {
                retry_now: true,
                refresh_cases: false,
            },
            // Something suggests the server may be reachable now: check
            // (one tiny health request) rather than wait out the backoff.
            _ => RunOptions {
                retry_now: true,
                refresh_cases: true,
            },
        }
    }
}

/// Where sending stands, for the interface.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncStatus {
    /// Nothing has run yet.
    Starting,
    /// Nothing waiting to be sent.
    Done,
    /// Sending; `left` reports still to go.
    Sending { left: usize },
    /// Waiting before the next try; `offline` when the server was not
    /// reached.
    Waiting { left: usize, offline: bool },
    /// The device's storage failed.
    Failed(LocalizedText),
}

/// The engine's state for the interface: its status, and a revision that
/// grows whenever stored reports or cases changed (pages reload on it).
#[derive(Clone, Copy)]
pub struct SyncHandle {
    pub status: RwSignal<SyncStatus>,
    pub revision: leptos::prelude::Trigger,
}

/// Pages reload at most this often while a sync is running: with 50 reports
/// on screen, reloading after every state change slowed sending fourfold.
const RELOAD_EVERY: Duration = Duration::from_millis(400);

thread_local! {
    static RELOAD_PENDING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

impl SyncHandle {
    /// Stored reports or cases changed: pages reload, at most once per
    /// [`RELOAD_EVERY`] (the last change always shows).
    fn changed(&self) {
        if RELOAD_PENDING.replace(true) {
            return;
        }
        let revision = self.revision;
        let scheduled = set_timeout_with_handle(
            move || {
                RELOAD_PENDING.set(false);
                revision.notify();
            },
            RELOAD_EVERY,
        );
        if scheduled.is_err() {
            RELOAD_PENDING.set(false);
            self.revision.notify();
        }
    }
}

struct Scheduler {
    handle: SyncHandle,
    running: bool,
    /// Triggers that came during a run: one more run, with their options.
    again: Option<RunOptions>,
    timer: Option<TimeoutHandle>,
}

thread_local! {
    static SCHEDULER: RefCell<Option<Scheduler>> = const { RefCell::new(None) };
}

/// Starts the engine: runs it now and on every trigger from here on.
pub fn start() -> SyncHandle {
    let handle = SyncHandle {
        status: RwSignal::new(SyncStatus::Starting),
        revision: leptos::prelude::Trigger::new(),
    };
    provide_context(handle);
    SCHEDULER.with(|scheduler| {
        *scheduler.borrow_mut() = Some(Scheduler {
            handle,
            running: false,
            again: None,
            timer: None,
        });
    });
    listen();
    background::listen(|| trigger(Reason::BackgroundSync));
    trigger(Reason::Start);
    handle
}

/// The engine's state, for pages.
pub fn use_sync() -> Option<SyncHandle> {
    use_context::<SyncHandle>()
}

/// Asks the engine to run (merged with a run in progress).
pub fn trigger(reason: Reason) {
    let options = reason.options();
    let start = SCHEDULER.with(|scheduler| {
        let mut scheduler = scheduler.borrow_mut();
        let scheduler = scheduler.as_mut()?;
        if scheduler.running {
            scheduler.again = Some(scheduler.again.unwrap_or_default().merge(options));
            return None;
        }
        if let Some(timer) = scheduler.timer.take() {
            timer.clear();
        }
        scheduler.running = true;
        Some(scheduler.handle)
    });
    if let Some(handle) = start {
        spawn_local(drive(options, handle));
    }
}

/// One run: the reports. (The Learn build, feature `learn`, sends its quiz
/// results in the same run; the citizen app's build carries none of that.)
#[cfg(not(feature = "learn"))]
async fn run_all(options: RunOptions, handle: SyncHandle) -> RunEnd {
    run::run(options, handle).await
}

/// One run: the reports, then the quiz results (`crate::learn::outbox`),
/// under the same lock and on one schedule: the sooner wait wins.
#[cfg(feature = "learn")]
async fn run_all(options: RunOptions, handle: SyncHandle) -> RunEnd {
    let end = run::run(options, handle).await;
    match (end, crate::learn::outbox::send_queued().await) {
        (RunEnd::Failed(message), _) => RunEnd::Failed(message),
        (RunEnd::Idle, None) => RunEnd::Idle,
        (RunEnd::Idle, Some(wait)) => RunEnd::Wait(wait),
        (RunEnd::Wait(wait), None) => RunEnd::Wait(wait),
        (RunEnd::Wait(a), Some(b)) => RunEnd::Wait(a.min(b)),
    }
}

async fn drive(mut options: RunOptions, handle: SyncHandle) {
    loop {
        let end = lock::exclusive(LOCK_NAME, run_all(options, handle))
            .await
            .unwrap_or(RunEnd::Wait(Duration::from_secs(1)));
        if let RunEnd::Wait(_) = end {
            if matches!(
                handle.status.get_untracked(),
                SyncStatus::Waiting { offline: true, .. }
            ) {
                background::register();
            }
        }
        let next = SCHEDULER.with(|scheduler| {
            let mut scheduler = scheduler.borrow_mut();
            let scheduler = scheduler.as_mut()?;
            if let Some(again) = scheduler.again.take() {
                return Some(again);
            }
            scheduler.running = false;
            let delay = match &end {
                RunEnd::Idle => None,
                RunEnd::Wait(delay) => Some(*delay),
                RunEnd::Failed(_) => Some(AFTER_STORAGE_FAILURE),
            };
            scheduler.timer = delay
                .and_then(|delay| set_timeout_with_handle(|| trigger(Reason::Timer), delay).ok());
            None
        });
        match next {
            Some(again) => options = again,
            None => break,
        }
    }
}

/// The browser events that make the engine run.
fn listen() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let online = Closure::<dyn Fn()>::new(|| trigger(Reason::Online));
    let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    online.forget();
    if let Some(document) = window.document() {
        let visible = Closure::<dyn Fn()>::new(|| {
            let shown = web_sys::window()
                .and_then(|window| window.document())
                .is_some_and(|document| {
                    document.visibility_state() == web_sys::VisibilityState::Visible
                });
            if shown {
                trigger(Reason::Visible);
            }
        });
        let _ = document
            .add_event_listener_with_callback("visibilitychange", visible.as_ref().unchecked_ref());
        visible.forget();
    }
}

/// A new receipt secret from the browser's secure random source, for a
/// report about to be queued.
pub fn new_receipt_secret() -> Option<ReceiptSecret> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; ReceiptSecret::BYTES];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(ReceiptSecret::from_bytes(bytes))
}

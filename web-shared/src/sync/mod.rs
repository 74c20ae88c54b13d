//! The sync engine's runner: *when* to send, for the senders an app gives it.
//!
//! An app starts it with its list of [`Sender`]s (the citizen app: its
//! reports; Learn: its quiz results). Each sender carries out one run of
//! its own outbox and says how it ended; the decisions inside a run are the
//! sender's (for reports, `protocol::sync::SyncMachine`'s). This module
//! owns the rest:
//!
//! - the triggers: app start, the `online` event, the page becoming
//!   visible, "Send now", something queued, Background Sync's wake-up
//!   (`background`), and the retry timer the senders' backoff asks for;
//! - one run at a time in a tab (triggers that arrive meanwhile are merged
//!   into one more run), and one across tabs (the Web Lock [`LOCK_NAME`],
//!   `lock`);
//! - [`SyncStatus`] and the reload signal pages follow ([`SyncHandle`]).
//!
//! It knows nothing about reports, quizzes or IndexedDB.

mod background;
mod lock;

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::LocalizedText;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The Web Lock every tab's sync run takes, whichever app it is.
pub const LOCK_NAME: &str = "greenwatch-sync";
/// After the device's storage failed, try again this much later.
const AFTER_STORAGE_FAILURE: Duration = Duration::from_secs(30);
/// Pages reload at most this often while a sync is running: with 50 reports
/// on screen, reloading after every state change slowed sending fourfold.
const RELOAD_EVERY: Duration = Duration::from_millis(400);

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
            // The wait was the senders' own decision.
            Reason::Timer => RunOptions::default(),
            // Something is new: send it, no need to read cases.
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

/// What a run was asked to do besides sending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Forget the backoff's wait: something suggests the server is back.
    pub retry_now: bool,
    /// Read the timelines of sent reports' cases again.
    pub refresh_cases: bool,
}

impl RunOptions {
    /// Both runs' wishes, for triggers that came while one was running.
    pub fn merge(self, other: RunOptions) -> RunOptions {
        RunOptions {
            retry_now: self.retry_now || other.retry_now,
            refresh_cases: self.refresh_cases || other.refresh_cases,
        }
    }
}

/// How one sender's run ended.
#[derive(Debug, Clone, PartialEq)]
pub enum RunEnd {
    /// Nothing left to send.
    Idle,
    /// Try again after this long (backoff, `Retry-After`).
    Wait(Duration),
    /// The device's storage failed; nothing was sent in a wrong state, and
    /// the engine tries again later.
    Failed(LocalizedText),
}

impl RunEnd {
    /// The end of a run of several senders: a failure wins, then the
    /// sooner wait.
    pub fn and(self, other: RunEnd) -> RunEnd {
        match (self, other) {
            (RunEnd::Failed(message), _) | (_, RunEnd::Failed(message)) => RunEnd::Failed(message),
            (RunEnd::Wait(a), RunEnd::Wait(b)) => RunEnd::Wait(a.min(b)),
            (RunEnd::Wait(wait), RunEnd::Idle) | (RunEnd::Idle, RunEnd::Wait(wait)) => {
                RunEnd::Wait(wait)
            }
            (RunEnd::Idle, RunEnd::Idle) => RunEnd::Idle,
        }
    }

    /// When the engine runs again by itself, if at all.
    fn next_run(&self) -> Option<Duration> {
        match self {
            RunEnd::Idle => None,
            RunEnd::Wait(delay) => Some(*delay),
            RunEnd::Failed(_) => Some(AFTER_STORAGE_FAILURE),
        }
    }
}

/// One run of one outbox: what an app gives the engine. It runs under the
/// lock, reads its outbox afresh, sends what it can and says how it ended.
pub type Sender = fn(RunOptions, SyncHandle) -> Pin<Box<dyn Future<Output = RunEnd>>>;

/// Where sending stands, for the interface.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncStatus {
    /// Nothing has run yet.
    Starting,
    /// Nothing waiting to be sent.
    Done,
    /// Sending; `left` items still to go.
    Sending { left: usize },
    /// Waiting before the next try; `offline` when the server was not
    /// reached.
    Waiting { left: usize, offline: bool },
    /// The device's storage failed (the engine tries again later).
    Failed(LocalizedText),
}

/// The engine's state for the interface: its status, and a revision that
/// grows whenever stored items or cases changed (pages reload on it).
#[derive(Clone, Copy)]
pub struct SyncHandle {
    pub status: RwSignal<SyncStatus>,
    pub revision: Trigger,
}

thread_local! {
    static RELOAD_PENDING: Cell<bool> = const { Cell::new(false) };
    static SCHEDULER: RefCell<Option<Scheduler>> = const { RefCell::new(None) };
}

impl SyncHandle {
    /// Stored items or cases changed: pages reload, at most once per
    /// [`RELOAD_EVERY`] (the last change always shows).
    pub fn changed(&self) {
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

    /// A sender's storage failed: shown, and the run ends in a retry.
    pub fn failed(&self, message: LocalizedText) -> RunEnd {
        self.status.set(SyncStatus::Failed(message.clone()));
        RunEnd::Failed(message)
    }
}

struct Scheduler {
    handle: SyncHandle,
    senders: &'static [Sender],
    running: bool,
    /// Triggers that came during a run: one more run, with their options.
    again: Option<RunOptions>,
    timer: Option<TimeoutHandle>,
}

/// Starts the engine with the app's senders: runs it now and on every
/// trigger from here on. Call once, from the app's root component.
pub fn start(senders: &'static [Sender]) -> SyncHandle {
    let handle = SyncHandle {
        status: RwSignal::new(SyncStatus::Starting),
        revision: Trigger::new(),
    };
    provide_context(handle);
    SCHEDULER.with(|scheduler| {
        *scheduler.borrow_mut() = Some(Scheduler {
            handle,
            senders,
            running: false,
            again: None,
            timer: None,
        });
    });
    listen();
    lock::release_on_leave();
    background::listen(|| trigger(Reason::BackgroundSync));
    // The first run starts in a task of its own, after the one that shows
    // the page: its first steps (the lock, opening the database) would
    // otherwise lengthen that task, the one a person waits for.
    leptos::prelude::set_timeout(|| trigger(Reason::Start), std::time::Duration::ZERO);
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
        Some((scheduler.handle, scheduler.senders))
    });
    if let Some((handle, senders)) = start {
        spawn_local(drive(options, handle, senders));
    }
}

/// One run: every sender in turn, under the same lock.
async fn run_all(options: RunOptions, handle: SyncHandle, senders: &'static [Sender]) -> RunEnd {
    let mut end = RunEnd::Idle;
    for sender in senders {
        end = end.and(sender(options, handle).await);
    }
    end
}

async fn drive(mut options: RunOptions, handle: SyncHandle, senders: &'static [Sender]) {
    loop {
        let end = lock::exclusive(LOCK_NAME, run_all(options, handle, senders))
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
            scheduler.timer = end
                .next_run()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn failed() -> RunEnd {
        RunEnd::Failed(LocalizedText::new("坏了", "broken"))
    }

    #[test]
    fn a_failure_wins_over_any_other_end() {
        for other in [RunEnd::Idle, RunEnd::Wait(Duration::from_secs(3)), failed()] {
            assert_eq!(failed().and(other.clone()), failed());
            assert_eq!(other.and(failed()), failed());
        }
    }

    #[test]
    fn the_sooner_wait_wins_and_idle_waits_for_the_other() {
        let (a, b) = (Duration::from_secs(2), Duration::from_secs(9));
        assert_eq!(RunEnd::Wait(a).and(RunEnd::Wait(b)), RunEnd::Wait(a));
        assert_eq!(RunEnd::Wait(b).and(RunEnd::Wait(a)), RunEnd::Wait(a));
        assert_eq!(RunEnd::Idle.and(RunEnd::Wait(b)), RunEnd::Wait(b));
        assert_eq!(RunEnd::Wait(b).and(RunEnd::Idle), RunEnd::Wait(b));
        assert_eq!(RunEnd::Idle.and(RunEnd::Idle), RunEnd::Idle);
    }

    #[test]
    fn a_storage_failure_is_retried_later_and_idle_never() {
        assert_eq!(failed().next_run(), Some(AFTER_STORAGE_FAILURE));
        assert_eq!(RunEnd::Idle.next_run(), None);
        let wait = Duration::from_millis(1500);
        assert_eq!(RunEnd::Wait(wait).next_run(), Some(wait));
    }

    #[test]
    fn triggers_during_a_run_merge_their_wishes() {
        let queued = Reason::Queued.options();
        let timer = Reason::Timer.options();
        assert!(!timer.retry_now && !timer.refresh_cases);
        assert_eq!(
            timer.merge(queued),
            RunOptions {
                retry_now: true,
                refresh_cases: false
            }
        );
        assert_eq!(
            queued.merge(Reason::Online.options()),
            RunOptions {
                retry_now: true,
                refresh_cases: true
            }
        );
    }
}

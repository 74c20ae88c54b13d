//! Sending the citizen's reports: the sender this app gives the shared sync
//! engine (`web_shared::sync`, which decides *when* to run), and following
//! the cases of sent reports.
//!
//! The decisions are [`protocol::sync::SyncMachine`]'s (tested natively,
//! with a seeded fault-injection simulation); this module carries out its
//! actions:
//!
//! - [`run`]: one run, reading and writing the machine in the outbox after
//!   every answer;
//! - `requests`: each action as one request, its answer as an `Outcome`;
//!   reading a case;
//! - [`deferred`]: how Home, whose build leaves the engine out, starts it
//!   from the engine's own build (`/sync/`, [`run_alone`]) when the device
//!   holds something for it.

pub mod deferred;
pub mod requests;
pub mod run;

use std::future::Future;
use std::pin::Pin;

use protocol::sync::ReceiptSecret;
use web_shared::sync::{RunEnd, RunOptions, Sender, SyncHandle};

/// The senders the citizen app runs: its reports.
pub const SENDERS: &[Sender] = &[send_reports];

fn send_reports(options: RunOptions, handle: SyncHandle) -> Pin<Box<dyn Future<Output = RunEnd>>> {
    Box::pin(run::run(options, handle))
}

/// The engine's own build (`src/bin/sync.rs`, loaded into Home's window
/// by [`deferred::load_engine`]): the engine with no page of its own. Its
/// reactive owner lives as long as the page.
pub fn run_alone() {
    // Leptos starts its executor when it mounts a page; here nothing is
    // mounted, and the engine's runs are tasks.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = leptos::prelude::Owner::new();
    owner.with(|| {
        web_shared::sync::start(SENDERS);
    });
    std::mem::forget(owner);
}

/// A new receipt secret from the browser's secure random source, for a
/// report about to be queued.
pub fn new_receipt_secret() -> Option<ReceiptSecret> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; ReceiptSecret::BYTES];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(ReceiptSecret::from_bytes(bytes))
}

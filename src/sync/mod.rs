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
//!   reading a case.

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

/// A new receipt secret from the browser's secure random source, for a
/// report about to be queued.
pub fn new_receipt_secret() -> Option<ReceiptSecret> {
    let crypto = web_sys::window()?.crypto().ok()?;
    let mut bytes = [0u8; ReceiptSecret::BYTES];
    crypto.get_random_values_with_u8_array(&mut bytes).ok()?;
    Some(ReceiptSecret::from_bytes(bytes))
}

//! GreenWatch, the citizen environmental-reporting app (Leptos, client-side).
//!
//! Three builds mount it (`router::Entry`): `main.rs` mounts [`App`] (Home,
//! the first load), `bin/report.rs` [`ReportApp`] (the form) and
//! `bin/follow.rs` [`FollowApp`] (My reports, a report, checking a case,
//! About). Everything lives here so browser tests can import it. Calls go downward only: `app` and `pages`/`components` →
//! the features (`outbox`, `sync`, `media`, `geo`, `channels`, `export`) →
//! `web_shared` (storage, HTTP, the sync runner) → `protocol`.

pub mod app;
pub mod build_info;
pub mod channels;
pub mod clipboard;
pub mod components;
pub mod device;
pub mod export;
pub mod geo;
pub mod i18n;
pub mod media;
pub mod outbox;
pub mod pages;
pub mod router;
pub mod sync;

pub use app::{App, FollowApp, ReportApp};

/// Talc instead of the default dlmalloc: smaller code (the first load has a
/// 170 KiB budget) and faster; the app is single-threaded. Here, in the
/// library, so all three builds (`main.rs`, `bin/`) use it.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

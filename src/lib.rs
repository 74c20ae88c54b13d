//! GreenWatch, the citizen environmental-reporting app (Leptos, client-side).
//!
//! `main.rs` only mounts [`App`]; everything lives here so browser tests can
//! import it. Calls go downward only: `app` and `pages`/`components` →
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

pub use app::App;

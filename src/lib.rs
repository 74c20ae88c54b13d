//! GreenWatch, the citizen environmental-reporting app (Leptos, client-side).
//!
//! `main.rs` only mounts [`App`]; everything lives here so browser tests can
//! import it.

pub mod app;
pub mod build_info;
pub mod clipboard;
pub mod components;
pub mod format;
pub mod geo;
pub mod i18n;
pub mod learn;
pub mod media;
pub mod pages;
pub mod router;
pub mod staff;
pub mod storage;
pub mod sw_client;
pub mod sync;
pub mod time;

pub use app::App;

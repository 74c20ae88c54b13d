//! What GreenWatch's three browser apps (the citizen app, the staff console
//! and Learn) share, and nothing that belongs to one of them:
//!
//! - `http`: the HTTP client (same-origin `fetch` with a timeout, JSON,
//!   the server's error body, the health check); `json`: JSON text
//!   through the browser's own parser;
//! - `idb`: the IndexedDB layer (schemas with their migrations, typed
//!   transactions, [`idb::StorageError`] in words a person can act on,
//!   storage quota and persistence): the only code that touches
//!   `indexed_db_futures`;
//! - `sync`: the sync engine's runner (triggers, one run at a time, the
//!   Web Lock, Background Sync, retry timers) over the senders an app
//!   gives it;
//! - `i18n`: the language machinery and the strings of the shared parts;
//! - `components`: `Field`, `LanguageSwitch`, `UpdateBanner`,
//!   `CaseTimeline`, the page title;
//! - `sw_client`: the service worker's registration and updates;
//! - `time`, `format`: local time and numbers as people read them.
//!
//! It depends only on `protocol` and the browser stack; no app crate
//! depends on another, they all depend on this one.

pub mod components;
pub mod format;
pub mod http;
pub mod i18n;
pub mod idb;
pub mod json;
pub mod nav;
pub mod sw_client;
pub mod sync;
pub mod time;

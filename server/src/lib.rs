//! GreenWatch's server: serves the built app and the `/api/` routes.
//!
//! `startup::app` builds the whole `Router` from a `state::AppState`, so tests drive
//! it as a tower `Service` without opening a port.

pub mod auth;
pub mod cache_policy;
pub mod channels;
pub mod client_addr;
pub mod clock;
pub mod config;
pub mod error;
pub mod extract;
pub mod import;
pub mod import_cli;
pub mod intake;
pub mod media_type;
pub mod migrate_cli;
pub mod open311_cli;
pub mod quiz_packs;
pub mod rate_limit;
pub mod revalidated;
pub mod routes;
pub mod security;
pub mod staff_cli;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod store;
pub mod telemetry;
pub mod transparency;

//! Wire types and domain rules shared by the GreenWatch app and server.
//!
//! This crate knows nothing about browsers, Leptos, IndexedDB, axum or SQL:
//! it is plain Rust, compiled and tested natively, and compiled to wasm as part
//! of the app. Every type that crosses the network is defined here once.

pub mod archive;
pub mod calendar;
mod canonical;
pub mod channels;
pub mod error;
pub mod health;
pub mod open311;
pub mod public;
pub mod quiz;
pub mod report;
pub mod staff;
pub mod support;
pub mod sync;
pub mod text;
pub mod transparency;

pub use error::{ApiError, ErrorCode};
pub use health::{HealthResponse, HealthStatus};
pub use text::{LocalizedStr, LocalizedText};

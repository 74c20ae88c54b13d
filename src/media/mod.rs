//! Media the person attaches to a report, prepared in the browser before anything is stored.

mod canvas;
pub mod photo;
pub mod thumbnail;
pub mod voice;

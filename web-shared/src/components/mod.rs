//! Pieces of the interface all three apps use.

mod case_timeline;
mod field;
mod language_switch;
mod page_title;
mod update_banner;

pub use case_timeline::CaseTimeline;
pub use field::{Field, FieldIds};
pub use language_switch::LanguageSwitch;
pub use page_title::use_page_title;
pub use update_banner::UpdateBanner;

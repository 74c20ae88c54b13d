//! Pieces of the layout shared by every page.

mod bottom_nav;
mod case_timeline;
mod language_switch;
mod page_title;
mod sync_status;
mod update_banner;

pub use bottom_nav::BottomNav;
pub use case_timeline::CaseTimeline;
pub use language_switch::LanguageSwitch;
pub use page_title::use_page_title;
pub use sync_status::SyncStatusBar;
pub use update_banner::UpdateBanner;

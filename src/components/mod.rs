//! Pieces of the layout shared by every page.

mod bottom_nav;
mod language_switch;
mod page_title;
mod update_banner;

pub use bottom_nav::BottomNav;
pub use language_switch::LanguageSwitch;
pub use page_title::use_page_title;
pub use update_banner::UpdateBanner;

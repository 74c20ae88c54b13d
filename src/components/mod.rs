//! Pieces of the citizen app's layout (the shared ones are
//! `web_shared::components`).

mod bottom_nav;
mod sync_status;

pub use bottom_nav::BottomNav;
pub use sync_status::SyncStatusBar;
pub use web_shared::components::{CaseTimeline, Field, LanguageSwitch, UpdateBanner};

use crate::i18n::{tr, Strings};

/// Sets the tab title to "<page> · <app name>" while the page is shown.
pub fn use_page_title(title: fn(&Strings) -> &'static str) {
    web_shared::components::use_page_title(tr(title));
}

/// A CSS class per state, for its colour.
pub fn state_class(state: protocol::report::ReportState) -> &'static str {
    match state {
        protocol::report::ReportState::Draft => "state state-draft",
        protocol::report::ReportState::Queued => "state state-queued",
        protocol::report::ReportState::Sending => "state state-sending",
        protocol::report::ReportState::Sent => "state state-sent",
        protocol::report::ReportState::NeedsAttention => "state state-attention",
    }
}

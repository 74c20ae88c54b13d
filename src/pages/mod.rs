//! One module per route.

mod about;
mod check_case;
mod home;
mod my_reports;
mod my_supports;
mod new_report;
mod not_found;
mod report_detail;

pub use about::About;
pub use check_case::CheckCase;
pub use home::Home;
pub use my_reports::MyReports;
pub use new_report::{current_draft_id, set_current_draft_id, NewReport};
pub use not_found::NotFound;
pub use report_detail::ReportDetail;

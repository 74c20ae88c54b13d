//! Case handling by the bureau's staff: the wire types of `/api/v1/staff/`,
//! one definition for the server and a future staff console.
//!
//! - `auth`: [`Role`], [`Username`], [`NewPassword`], login and account bodies,
//!   and the 401/403 answers ([`AuthErrorCode`]).
//! - `action`: [`CaseAction`] and [`transition`], the rule of which action a
//!   case in which status accepts.
//! - `overdue`: [`is_overdue`], the bureau's same-day targets in China
//!   Standard Time.
//! - `cases`: the case list and detail, the audit log, reply templates.
//!
//! Plain Rust, like the rest of this crate: no I/O.

pub mod action;
pub mod auth;
pub mod cases;
pub mod overdue;
pub mod templates;

pub use action::{
    transition, ActionKind, CaseAction, DuplicateBody, ReasonText, RejectBody, ReplyText,
    ResolveBody, StaffText, StaffTextError, TransitionError,
};
pub use auth::{
    AuthErrorCode, LoginRequest, NewPassword, NewPasswordError, NewStaffUser, Role, StaffMe,
    Username, UsernameError,
};
pub use cases::{
    AuditAction, AuditEntry, AuditQuery, CaseDetail, CaseFilter, CaseSummary, StaffMedium,
};
pub use overdue::{due_at, is_overdue, CST_OFFSET_MS};
pub use templates::{reply_templates, ReplyTemplate};

use crate::sync::CaseNumber;

/// Where the staff API lives.
pub const STAFF_API: &str = "/api/v1/staff";

/// The staff routes, in axum's pattern syntax.
pub const LOGIN_ROUTE: &str = "/api/v1/staff/login";
pub const LOGOUT_ROUTE: &str = "/api/v1/staff/logout";
pub const ME_ROUTE: &str = "/api/v1/staff/me";
pub const USERS_ROUTE: &str = "/api/v1/staff/users";
pub const AUDIT_ROUTE: &str = "/api/v1/staff/audit";
pub const CASES_ROUTE: &str = "/api/v1/staff/cases";
pub const CASE_ROUTE: &str = "/api/v1/staff/cases/{case_number}";
pub const CASE_MEDIUM_ROUTE: &str = "/api/v1/staff/cases/{case_number}/media/{index}";
pub const ACCEPT_ROUTE: &str = "/api/v1/staff/cases/{case_number}/accept";
pub const ON_SITE_ROUTE: &str = "/api/v1/staff/cases/{case_number}/on-site";
pub const RESOLVE_ROUTE: &str = "/api/v1/staff/cases/{case_number}/resolve";
pub const REJECT_ROUTE: &str = "/api/v1/staff/cases/{case_number}/reject";
pub const DUPLICATE_ROUTE: &str = "/api/v1/staff/cases/{case_number}/duplicate";
pub const REPLY_TEMPLATES_ROUTE: &str = "/api/v1/staff/reply-templates";

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "gw_staff_session";

/// `GET` here: one case for staff.
pub fn staff_case_path(case_number: &CaseNumber) -> String {
    format!("{STAFF_API}/cases/{case_number}")
}

/// `GET` here: the stored bytes of medium `index` of a case.
pub fn staff_medium_path(case_number: &CaseNumber, index: u8) -> String {
    format!("{STAFF_API}/cases/{case_number}/media/{index}")
}

/// `POST` here: `action` on a case.
pub fn staff_action_path(case_number: &CaseNumber, action: ActionKind) -> String {
    format!("{STAFF_API}/cases/{case_number}/{}", action.path_segment())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_fill_the_route_patterns() {
        let number = CaseNumber::new(2026, 7).expect("valid");
        let fill = |route: &str| {
            route
                .replace("{case_number}", "GW-2026-000007")
                .replace("{index}", "2")
        };
        assert_eq!(staff_case_path(&number), fill(CASE_ROUTE));
        assert_eq!(staff_medium_path(&number, 2), fill(CASE_MEDIUM_ROUTE));
        for (kind, route) in [
            (ActionKind::Accept, ACCEPT_ROUTE),
            (ActionKind::OnSite, ON_SITE_ROUTE),
            (ActionKind::Resolve, RESOLVE_ROUTE),
            (ActionKind::Reject, REJECT_ROUTE),
            (ActionKind::Duplicate, DUPLICATE_ROUTE),
        ] {
            assert_eq!(staff_action_path(&number, kind), fill(route));
        }
    }
}

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
//! - `reward`: the communication subsidy for a genuine tip: [`RewardAmount`],
//!   [`RewardState`], [`reward_transition`] and who may take each step.
//!
//! Plain Rust, like the rest of this crate: no I/O.

pub mod action;
pub mod auth;
pub mod cases;
pub mod overdue;
pub mod reward;
pub mod templates;

pub use action::{
    transition, AcceptBody, ActionKind, CaseAction, DuplicateBody, PublicSummaryBody, ReasonText,
    RejectBody, ReplyText, ResolveBody, StaffText, StaffTextError, TransitionError,
};
pub use auth::{
    may_disable, AuthErrorCode, DisableError, LoginRequest, NewPassword, NewPasswordError,
    NewStaffUser, Role, StaffAccount, StaffMe, Username, UsernameError,
};
pub use cases::{
    AuditAction, AuditEntry, AuditQuery, CaseDetail, CaseFilter, CaseSort, CaseSummary,
    StaffMedium, StaffSupporter,
};
pub use overdue::{due_at, is_overdue, CST_OFFSET_MS};
pub use reward::{
    eligible, reward_transition, CaseReward, ProposeReward, RewardAmount, RewardAmountError,
    RewardError, RewardState, RewardStep, StaffReward,
};
pub use templates::{reply_templates, ReplyTemplate};

use crate::support::SupportId;
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
pub const USER_DISABLE_ROUTE: &str = "/api/v1/staff/users/{username}/disable";
pub const USER_ENABLE_ROUTE: &str = "/api/v1/staff/users/{username}/enable";
pub const REWARD_ROUTE: &str = "/api/v1/staff/cases/{case_number}/reward";
pub const REWARD_APPROVE_ROUTE: &str = "/api/v1/staff/cases/{case_number}/reward/approve";
pub const REWARD_REJECT_ROUTE: &str = "/api/v1/staff/cases/{case_number}/reward/reject";
pub const REWARD_PAID_ROUTE: &str = "/api/v1/staff/cases/{case_number}/reward/paid";
pub const PUBLIC_SUMMARY_ROUTE: &str = "/api/v1/staff/cases/{case_number}/public-summary";
pub const SUPPORT_MEDIUM_ROUTE: &str = "/api/v1/staff/supports/{support_id}/media/{index}";

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

/// `GET` here: the stored bytes of medium `index` of a support.
pub fn staff_support_medium_path(support: &SupportId, index: u8) -> String {
    format!("{STAFF_API}/supports/{support}/media/{index}")
}

/// `POST` here: a case's new public summary.
pub fn staff_public_summary_path(case_number: &CaseNumber) -> String {
    format!("{STAFF_API}/cases/{case_number}/public-summary")
}

/// `POST` here: `action` on a case.
pub fn staff_action_path(case_number: &CaseNumber, action: ActionKind) -> String {
    format!("{STAFF_API}/cases/{case_number}/{}", action.path_segment())
}

/// `POST` here: disable (`enable == false`) or enable an account.
pub fn staff_user_path(username: &Username, enable: bool) -> String {
    let verb = if enable { "enable" } else { "disable" };
    format!("{STAFF_API}/users/{username}/{verb}")
}

/// `POST` here: take `step` on a case's reward.
pub fn staff_reward_path(case_number: &CaseNumber, step: RewardStep) -> String {
    let tail = match step {
        RewardStep::Propose(_) => "",
        RewardStep::Approve => "/approve",
        RewardStep::Reject => "/reject",
        RewardStep::MarkPaid => "/paid",
    };
    format!("{STAFF_API}/cases/{case_number}/reward{tail}")
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
        assert_eq!(
            staff_public_summary_path(&number),
            fill(PUBLIC_SUMMARY_ROUTE)
        );
        let support = SupportId::from_uuid(uuid::Uuid::from_u128(1));
        assert_eq!(
            staff_support_medium_path(&support, 2),
            fill(SUPPORT_MEDIUM_ROUTE).replace("{support_id}", &support.to_string())
        );
        for (kind, route) in [
            (ActionKind::Accept, ACCEPT_ROUTE),
            (ActionKind::OnSite, ON_SITE_ROUTE),
            (ActionKind::Resolve, RESOLVE_ROUTE),
            (ActionKind::Reject, REJECT_ROUTE),
            (ActionKind::Duplicate, DUPLICATE_ROUTE),
        ] {
            assert_eq!(staff_action_path(&number, kind), fill(route));
        }
        let amount = RewardAmount::from_fen(100).expect("valid");
        for (step, route) in [
            (RewardStep::Propose(amount), REWARD_ROUTE),
            (RewardStep::Approve, REWARD_APPROVE_ROUTE),
            (RewardStep::Reject, REWARD_REJECT_ROUTE),
            (RewardStep::MarkPaid, REWARD_PAID_ROUTE),
        ] {
            assert_eq!(staff_reward_path(&number, step), fill(route));
        }
        let name = Username::parse("wang.fang").expect("valid");
        assert_eq!(
            staff_user_path(&name, false),
            USER_DISABLE_ROUTE.replace("{username}", "wang.fang")
        );
        assert_eq!(
            staff_user_path(&name, true),
            USER_ENABLE_ROUTE.replace("{username}", "wang.fang")
        );
    }
}

//! The staff's view of cases, and the audit log.

use serde::{Deserialize, Serialize};

use crate::public::PublicSummary;
use crate::report::{Category, Contact, Description, Location, SeenAt, Sha256Hex, UnixMillis};
use crate::support::SupportId;
use crate::sync::{CaseNumber, CaseStatus, MediumKind, Timeline};

use super::{ActionKind, RewardStep, StaffReward};

/// The query of `GET /api/v1/staff/cases`; every part optional.
/// `from` and `to` bound the time the case was received (whole report on
/// the server): `from <= received_at < to`, Unix milliseconds. `sort`
/// chooses the order ([`CaseSort`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<CaseSort>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CaseStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<UnixMillis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<UnixMillis>,
}

impl CaseFilter {
    /// Whether a case with these properties passes the filter.
    pub fn matches(&self, category: Category, status: CaseStatus, received_at: UnixMillis) -> bool {
        self.category.is_none_or(|wanted| wanted == category)
            && self.status.is_none_or(|wanted| wanted == status)
            && self.from.is_none_or(|from| received_at >= from)
            && self.to.is_none_or(|to| received_at < to)
    }
}

/// The order of the case list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseSort {
    /// Overdue first, then newest ([`CaseSummary::list_order`]).
    #[default]
    Overdue,
    /// The most supporters first, then as `Overdue`
    /// ([`CaseSummary::supporters_order`]).
    Supporters,
}

impl CaseSort {
    /// How two lines of the list compare under this order.
    pub fn compare(self, a: &CaseSummary, b: &CaseSummary) -> std::cmp::Ordering {
        match self {
            CaseSort::Overdue => CaseSummary::list_order(a, b),
            CaseSort::Supporters => CaseSummary::supporters_order(a, b),
        }
    }
}

/// One line of the case list. The list holds complete cases only, overdue
/// ones first, then newest first ([`CaseSummary::list_order`]), unless
/// sorted by supporters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub case_number: CaseNumber,
    pub category: Category,
    pub status: CaseStatus,
    /// When the server had the whole report.
    pub received_at: UnixMillis,
    /// When it must be on site ([`super::due_at`]).
    pub due_at: UnixMillis,
    /// [`super::is_overdue`] at the time of the answer.
    pub overdue: bool,
    /// Complete supports counted for the case (merged duplicates'
    /// reporters among them).
    #[serde(default)]
    pub supporters: u32,
}

impl CaseSummary {
    /// The list's order: overdue first, then newest received first, then
    /// the higher case number.
    pub fn list_order(a: &CaseSummary, b: &CaseSummary) -> std::cmp::Ordering {
        b.overdue
            .cmp(&a.overdue)
            .then(b.received_at.cmp(&a.received_at))
            .then(b.case_number.cmp(&a.case_number))
    }

    /// The most supporters first, then [`CaseSummary::list_order`].
    pub fn supporters_order(a: &CaseSummary, b: &CaseSummary) -> std::cmp::Ordering {
        b.supporters
            .cmp(&a.supporters)
            .then_with(|| CaseSummary::list_order(a, b))
    }
}

/// One medium of a case, with where staff fetch its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMedium {
    pub index: u8,
    pub kind: MediumKind,
    pub mime: String,
    pub bytes: u64,
    pub sha256: Sha256Hex,
    /// `GET /api/v1/staff/cases/{case_number}/media/{index}`.
    pub url: String,
}

/// `GET /api/v1/staff/cases/{case_number}`: everything about a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseDetail {
    pub case_number: CaseNumber,
    pub category: Category,
    pub status: CaseStatus,
    pub received_at: UnixMillis,
    pub due_at: UnixMillis,
    pub overdue: bool,
    pub description: Description,
    pub location: Location,
    pub seen_at: SeenAt,
    pub media: Vec<StaffMedium>,
    /// Only when the reporter gave a name or a phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The link given with a request filed through Open311, if any: a
    /// checked http(s) URL of someone else's server, never fetched by ours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
    /// The same timeline the citizen reads.
    pub timeline: Timeline,
    /// The communication subsidy, once proposed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reward: Option<StaffReward>,
    /// What the public sees of the problem, if staff wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_summary: Option<PublicSummary>,
    /// Everyone who supports the case now, oldest first.
    #[serde(default)]
    pub supporters: Vec<StaffSupporter>,
}

/// One supporter of a case, for staff: a citizen's "I see this too" with
/// its evidence, or the reporter of a case merged into this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSupporter {
    /// When it arrived whole (a support) or was merged (a duplicate).
    pub at: UnixMillis,
    /// The case it was filed on: this one, or a case merged into it.
    pub filed_on: CaseNumber,
    /// Set for the reporter of a duplicate merged into this case; their
    /// report, media and contact are on that case's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_case: Option<CaseNumber>,
    /// A support's own photos and voice clips (for a merged reporter, the
    /// media of their case), each with where staff fetch its bytes.
    pub media: Vec<StaffMedium>,
    /// Only when the supporter gave a name or a phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The support's id (absent for a merged reporter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_id: Option<SupportId>,
}

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Login,
    LoginFailed,
    Logout,
    UserCreated,
    Accept,
    OnSite,
    Resolve,
    Reject,
    Duplicate,
    UserDisabled,
    UserEnabled,
    RewardProposed,
    RewardApproved,
    RewardRejected,
    RewardPaid,
    /// The public summary was written, changed or withdrawn after accepting.
    PublicSummary,
    /// A report came in from a file a phone saved (`crate::archive`); the
    /// detail says whether it made a new case.
    ReportImported,
}

impl AuditAction {
    pub const ALL: [AuditAction; 17] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::UserCreated,
        AuditAction::Accept,
        AuditAction::OnSite,
        AuditAction::Resolve,
        AuditAction::Reject,
        AuditAction::Duplicate,
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::RewardProposed,
        AuditAction::RewardApproved,
        AuditAction::RewardRejected,
        AuditAction::RewardPaid,
        AuditAction::PublicSummary,
        AuditAction::ReportImported,
    ];

    /// The stable name, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::UserCreated => "user_created",
            AuditAction::Accept => "accept",
            AuditAction::OnSite => "on_site",
            AuditAction::Resolve => "resolve",
            AuditAction::Reject => "reject",
            AuditAction::Duplicate => "duplicate",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::RewardProposed => "reward_proposed",
            AuditAction::RewardApproved => "reward_approved",
            AuditAction::RewardRejected => "reward_rejected",
            AuditAction::RewardPaid => "reward_paid",
            AuditAction::PublicSummary => "public_summary",
            AuditAction::ReportImported => "report_imported",
        }
    }

    pub fn parse(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

impl From<RewardStep> for AuditAction {
    fn from(step: RewardStep) -> Self {
        match step {
            RewardStep::Propose(_) => AuditAction::RewardProposed,
            RewardStep::Approve => AuditAction::RewardApproved,
            RewardStep::Reject => AuditAction::RewardRejected,
            RewardStep::MarkPaid => AuditAction::RewardPaid,
        }
    }
}

impl From<ActionKind> for AuditAction {
    fn from(kind: ActionKind) -> Self {
        match kind {
            ActionKind::Accept => AuditAction::Accept,
            ActionKind::OnSite => AuditAction::OnSite,
            ActionKind::Resolve => AuditAction::Resolve,
            ActionKind::Reject => AuditAction::Reject,
            ActionKind::Duplicate => AuditAction::Duplicate,
        }
    }
}

/// One entry of `GET /api/v1/staff/audit`, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: UnixMillis,
    /// Who: the staff username (for a failed login, the name that was
    /// typed), or `command line` for accounts made with `staff add`.
    pub actor: String,
    pub action: AuditAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<CaseNumber>,
    /// What else: the event appended, the account created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The query of `GET /api/v1/staff/audit`: at most `limit` entries (default
/// 100, at most 1000) older than entry `before` (a page: pass the last id
/// of the page before), newest first; only those by `actor` (a username as
/// recorded), of `action`, and about `case_number`, when given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<CaseNumber>,
}

impl AuditQuery {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 1000;

    pub fn limit(&self) -> u32 {
        self.limit
            .unwrap_or(Self::DEFAULT_LIMIT)
            .clamp(1, Self::MAX_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(sequence: u32, received_at: i64, overdue: bool) -> CaseSummary {
        CaseSummary {
            case_number: CaseNumber::new(2026, sequence).expect("valid"),
            category: Category::Air,
            status: CaseStatus::Received,
            received_at: UnixMillis(received_at),
            due_at: UnixMillis(received_at + 1),
            overdue,
            supporters: sequence % 3,
        }
    }

    #[test]
    fn overdue_first_then_newest() {
        let mut list = [
            summary(1, 100, false),
            summary(2, 300, false),
            summary(3, 50, true),
            summary(4, 60, true),
            summary(5, 300, false),
        ];
        list.sort_by(CaseSummary::list_order);
        let order: Vec<u32> = list.iter().map(|c| c.case_number.sequence()).collect();
        assert_eq!(order, [4, 3, 5, 2, 1]);
        // By supporters (sequence % 3: 2 for 2 and 5, 1 for 1 and 4, 0 for 3).
        list.sort_by(|a, b| CaseSort::Supporters.compare(a, b));
        let order: Vec<u32> = list.iter().map(|c| c.case_number.sequence()).collect();
        assert_eq!(order, [5, 2, 4, 1, 3]);
        let filter: CaseFilter = serde_json::from_str(r#"{"sort":"supporters"}"#).expect("parse");
        assert_eq!(filter.sort, Some(CaseSort::Supporters));
        assert!(serde_json::from_str::<CaseFilter>(r#"{"sort":"loudest"}"#).is_err());
    }

    #[test]
    fn filters_combine() {
        let filter = CaseFilter {
            sort: None,
            category: Some(Category::Noise),
            status: None,
            from: Some(UnixMillis(10)),
            to: Some(UnixMillis(20)),
        };
        assert!(filter.matches(Category::Noise, CaseStatus::Accepted, UnixMillis(10)));
        assert!(!filter.matches(Category::Noise, CaseStatus::Accepted, UnixMillis(20)));
        assert!(!filter.matches(Category::Air, CaseStatus::Accepted, UnixMillis(15)));
        assert!(CaseFilter::default().matches(Category::Air, CaseStatus::Resolved, UnixMillis(0)));
    }

    #[test]
    fn audit_codes_round_trip() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.code()), Some(action));
            let json = serde_json::to_string(&action).expect("json");
            assert_eq!(json, format!("\"{}\"", action.code()));
        }
        assert_eq!(AuditQuery::default().limit(), 100);
        assert_eq!(
            AuditQuery {
                limit: Some(5000),
                ..AuditQuery::default()
            }
            .limit(),
            1000
        );
    }
}

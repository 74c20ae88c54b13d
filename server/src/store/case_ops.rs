//! What the stores of reports, staff actions, rewards and Open311 share:
//! a complete case's row and its lock, case numbers, timelines and their
//! events, who acts (`StaffUser`) and the audit log, and a case's reward as
//! staff and citizen read it. It calls none of those stores; they call it.

use protocol::report::{ReportId, UnixMillis};
use protocol::staff::{
    AuditAction, CaseReward, RewardAmount, RewardState, Role, StaffReward, Username,
};
use protocol::sync::{CaseEventKind, CaseNumber, CreateReport, Timeline, TimelineEvent};
use sqlx::{Any, AnyConnection, Row, Transaction};

use super::database::Backend;
use super::error::StoreError;

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: i64,
    pub username: Username,
    pub role: Role,
}

/// Who the audit log names for an action.
#[derive(Debug, Clone, Copy)]
pub enum AuditActor<'a> {
    Staff(&'a StaffUser),
    /// `greenwatch-server staff add`.
    CommandLine,
    /// A failed login: the name as typed, and its account if there is one.
    Attempt {
        user_id: Option<i64>,
        typed: &'a str,
    },
}

impl AuditActor<'_> {
    pub const COMMAND_LINE: &'static str = "command line";

    fn user_id(self) -> Option<i64> {
        match self {
            AuditActor::Staff(user) => Some(user.id),
            AuditActor::CommandLine => None,
            AuditActor::Attempt { user_id, .. } => user_id,
        }
    }

    fn name(self) -> String {
        match self {
            AuditActor::Staff(user) => user.username.to_string(),
            AuditActor::CommandLine => Self::COMMAND_LINE.to_owned(),
            AuditActor::Attempt { typed, .. } => typed.to_owned(),
        }
    }
}

pub(super) fn role_from_code(code: &str) -> Result<Role, StoreError> {
    Role::parse(code).ok_or_else(|| StoreError::Corrupt(format!("role {code:?}")))
}

pub(super) fn username_from(raw: &str) -> Result<Username, StoreError> {
    Username::parse(raw).map_err(|_| StoreError::Corrupt(format!("username {raw:?}")))
}

/// Writes one audit row: who (`actor`), what, about which report, when.
pub(super) async fn audit(
    conn: &mut AnyConnection,
    at: UnixMillis,
    actor: AuditActor<'_>,
    action: AuditAction,
    report_id: Option<&str>,
    detail: Option<&str>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, actor, action, report_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(at.0)
    .bind(actor.user_id())
    .bind(actor.name())
    .bind(action.code())
    .bind(report_id)
    .bind(detail)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A complete case's report id and create body.
pub(super) struct CaseRow {
    pub(super) report_id: String,
    pub(super) body: CreateReport,
}

/// PostgreSQL: locks case `number`'s report row until the transaction ends,
/// which is what `BEGIN IMMEDIATE` already does on SQLite, so two writes
/// to one case run one after the other.
pub(super) async fn lock_case(
    backend: Backend,
    conn: &mut AnyConnection,
    number: CaseNumber,
) -> Result<(), StoreError> {
    let lock = format!(
        "SELECT report_id FROM reports WHERE case_year = $1 AND case_seq = $2{}",
        backend.for_update()
    );
    sqlx::query(&lock)
        .bind(i64::from(number.year()))
        .bind(i64::from(number.sequence()))
        .fetch_optional(&mut *conn)
        .await?;
    Ok(())
}

pub(super) async fn complete_case(
    conn: &mut AnyConnection,
    number: CaseNumber,
) -> Result<Option<CaseRow>, StoreError> {
    let row = sqlx::query(
        "SELECT report_id, body FROM reports \
         WHERE case_year = $1 AND case_seq = $2 AND complete = 1",
    )
    .bind(i64::from(number.year()))
    .bind(i64::from(number.sequence()))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let body: String = row.try_get("body")?;
    let body: CreateReport = serde_json::from_str(&body)
        .map_err(|error| StoreError::Corrupt(format!("body of {number}: {error}")))?;
    Ok(Some(CaseRow {
        report_id: row.try_get("report_id")?,
        body,
    }))
}

/// The timeline of the case of report `report_id`, numbered `number`.
pub(super) async fn load_timeline(
    conn: &mut sqlx::AnyConnection,
    report_id: &str,
    number: CaseNumber,
) -> Result<Timeline, StoreError> {
    let rows = sqlx::query("SELECT at, kind FROM case_events WHERE report_id = $1 ORDER BY id")
        .bind(report_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        let at: i64 = row.try_get("at")?;
        let kind: String = row.try_get("kind")?;
        let kind: CaseEventKind = serde_json::from_str(&kind)
            .map_err(|error| StoreError::Corrupt(format!("case event: {error}")))?;
        events.push(TimelineEvent {
            at: UnixMillis(at),
            kind,
        });
    }
    Timeline::new(number, events)
        .map_err(|error| StoreError::Corrupt(format!("timeline of {number}: {error}")))
}

pub(super) fn case_number(year: i64, sequence: i64) -> Result<CaseNumber, StoreError> {
    let bad = || StoreError::Corrupt(format!("case number {year}/{sequence}"));
    let year = u16::try_from(year).map_err(|_| bad())?;
    let sequence = u32::try_from(sequence).map_err(|_| bad())?;
    CaseNumber::new(year, sequence).map_err(|_| bad())
}

pub(super) async fn insert_event(
    tx: &mut Transaction<'static, Any>,
    id: ReportId,
    at: UnixMillis,
    kind: &CaseEventKind,
) -> Result<(), StoreError> {
    let kind = serde_json::to_string(kind)
        .map_err(|error| StoreError::Corrupt(format!("case event: {error}")))?;
    sqlx::query("INSERT INTO case_events (report_id, at, kind) VALUES ($1, $2, $3)")
        .bind(id.to_string())
        .bind(at.0)
        .bind(kind)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn amount_from(fen: i64) -> Result<RewardAmount, StoreError> {
    u32::try_from(fen)
        .ok()
        .and_then(|fen| RewardAmount::from_fen(fen).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("reward amount {fen}")))
}

fn state_from(code: &str) -> Result<RewardState, StoreError> {
    RewardState::parse(code).ok_or_else(|| StoreError::Corrupt(format!("reward state {code:?}")))
}

/// The reward of report `report_id` as staff see it, if one was proposed.
pub(super) async fn staff_reward(
    conn: &mut AnyConnection,
    report_id: &str,
) -> Result<Option<StaffReward>, StoreError> {
    let row = sqlx::query(
        "SELECT w.amount_fen, w.state, w.proposed_at, w.updated_at, \
         p.username AS proposer, d.username AS decider \
         FROM case_rewards w JOIN staff_users p ON p.id = w.proposed_by \
         LEFT JOIN staff_users d ON d.id = w.decided_by \
         WHERE w.report_id = $1",
    )
    .bind(report_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let state: String = row.try_get("state")?;
    Ok(Some(StaffReward {
        amount_fen: amount_from(row.try_get("amount_fen")?)?,
        state: state_from(&state)?,
        proposed_by: row.try_get("proposer")?,
        proposed_at: UnixMillis(row.try_get("proposed_at")?),
        decided_by: row.try_get("decider")?,
        updated_at: UnixMillis(row.try_get("updated_at")?),
    }))
}

/// What the citizen is told about the reward of report `report_id`, whose
/// create body is `body`: only with contact details, only once approved.
pub(super) async fn public_reward(
    conn: &mut AnyConnection,
    report_id: &str,
    body: &CreateReport,
) -> Result<Option<CaseReward>, StoreError> {
    if body.contact().is_anonymous() {
        return Ok(None);
    }
    Ok(staff_reward(conn, report_id)
        .await?
        .filter(|reward| reward.state.is_public())
        .map(|reward| CaseReward {
            amount_fen: reward.amount_fen,
            state: reward.state,
        }))
}

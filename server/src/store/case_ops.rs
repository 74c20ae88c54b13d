//! What the stores of reports, supports, staff actions, rewards, Open311
//! and the public reads share: a complete case's row and its lock, case
//! numbers, timelines and their events, a declared medium as stored, who
//! acts (`StaffUser`) and the audit log, a case's reward as staff and
//! citizen read it, and a case's supporters (who follows it, their count,
//! the list staff see, what a merge moves). It calls none of those stores;
//! they call it.

use std::fmt;

use protocol::report::{ReportId, Sha256Hex, UnixMillis};
use protocol::staff::{
    staff_medium_path, staff_support_medium_path, AuditAction, CaseReward, RewardAmount,
    RewardState, Role, StaffMedium, StaffReward, StaffSupporter, Username,
};
use protocol::support::{CreateSupport, SupportId};
use protocol::sync::{
    CaseEventKind, CaseNumber, CreateReport, MediumDecl, MediumKind, ReceiptHash, ReceiptSecret,
    Timeline, TimelineEvent,
};
use sqlx::any::AnyRow;
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
    /// `greenwatch-server staff add`, `import-reports`.
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

/// One declared medium (of a report or a support) and whether its bytes
/// are stored.
#[derive(Debug, Clone)]
pub struct StoredMedium {
    pub decl: MediumDecl,
    pub received: bool,
}

pub(super) fn kind_from_code(code: &str) -> Result<MediumKind, StoreError> {
    match code {
        "photo" => Ok(MediumKind::Photo),
        "voice" => Ok(MediumKind::Voice),
        other => Err(StoreError::Corrupt(format!("medium kind {other:?}"))),
    }
}

/// The medium in `row` (`idx, kind, mime, bytes, sha256, received_at` of
/// `media` or `support_media`), declared by `owner` (for the error).
pub(super) fn stored_medium(
    row: &AnyRow,
    owner: &impl fmt::Display,
) -> Result<StoredMedium, StoreError> {
    let index: i64 = row.try_get("idx")?;
    let kind: String = row.try_get("kind")?;
    let bytes: i64 = row.try_get("bytes")?;
    let sha256: String = row.try_get("sha256")?;
    let received_at: Option<i64> = row.try_get("received_at")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("medium {index} of {owner}: {what}"));
    Ok(StoredMedium {
        decl: MediumDecl {
            index: u8::try_from(index).map_err(|_| corrupt("index"))?,
            kind: kind_from_code(&kind)?,
            mime: row.try_get("mime")?,
            bytes: u64::try_from(bytes).map_err(|_| corrupt("size"))?,
            sha256: Sha256Hex::parse(&sha256).map_err(|_| corrupt("sha256"))?,
        },
        received: received_at.is_some(),
    })
}

/// Whose media a [`record_medium`] call records: a report's or a support's
/// (table names are these constants, never input).
pub(super) struct MediaOwner {
    /// The owner's table and its id column.
    pub table: &'static str,
    pub id_column: &'static str,
    /// The table of its declared media.
    pub media_table: &'static str,
}

pub(super) const REPORT_MEDIA: MediaOwner = MediaOwner {
    table: "reports",
    id_column: "report_id",
    media_table: "media",
};

pub(super) const SUPPORT_MEDIA: MediaOwner = MediaOwner {
    table: "supports",
    id_column: "support_id",
    media_table: "support_media",
};

/// Records medium `index` of `owner`'s row `id` as received (its bytes are
/// already stored whole), under the owner's row lock: on PostgreSQL two
/// uploads of one owner run one after the other, so the last one to commit
/// sees every other medium received (at READ COMMITTED each would otherwise
/// miss the other's uncommitted row). True when this call received the
/// last missing medium, so the caller completes the owner in the same
/// transaction; false for a medium already received, or others missing.
pub(super) async fn record_medium(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    owner: &MediaOwner,
    id: &str,
    index: u8,
    now: UnixMillis,
) -> Result<bool, StoreError> {
    let MediaOwner {
        table,
        id_column,
        media_table,
    } = owner;
    let lock = format!(
        "SELECT {id_column} FROM {table} WHERE {id_column} = $1{}",
        backend.for_update()
    );
    sqlx::query(&lock)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let updated = sqlx::query(&format!(
        "UPDATE {media_table} SET received_at = $1 \
         WHERE {id_column} = $2 AND idx = $3 AND received_at IS NULL"
    ))
    .bind(now.0)
    .bind(id)
    .bind(i64::from(index))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    let missing: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {media_table} WHERE {id_column} = $1 AND received_at IS NULL"
    ))
    .bind(id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(missing == 0)
}

/// The SQL of the number of complete supports counted for report
/// `r.report_id` (a column expression).
pub(super) const SUPPORTERS_OF_R: &str = "(SELECT COUNT(*) FROM supports s \
     WHERE s.report_id = r.report_id AND s.complete = 1)";

/// Whether `secret` is the receipt of a complete support that follows the
/// case of report `report_id` (filed on it, or on a case merged into it,
/// or the reporter of a case merged into it). Compares every hash in Rust
/// ([`ReceiptHash::matches`]), as for a report's own receipt.
pub(super) async fn follows(
    conn: &mut AnyConnection,
    report_id: &str,
    secret: &ReceiptSecret,
) -> Result<bool, StoreError> {
    let hashes: Vec<String> = sqlx::query_scalar(
        "SELECT s.receipt_hash FROM case_followers f \
         JOIN supports s ON s.support_id = f.support_id \
         WHERE f.report_id = $1 AND s.complete = 1",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut found = false;
    for hash in hashes {
        let hash = ReceiptHash::parse(&hash)
            .map_err(|error| StoreError::Corrupt(format!("support receipt hash: {error}")))?;
        found |= hash.matches(secret);
    }
    Ok(found)
}

/// The `support_id` of the row that makes the reporter of `report_id` a
/// supporter of the case it was merged into: never a UUID, so never a
/// citizen's support id.
fn merged_id(report_id: &str) -> String {
    format!("merged:{report_id}")
}

/// Staff marked the case of report `duplicate` a duplicate of the case of
/// report `original`, inside the caller's write transaction that holds
/// both cases' locks: every support of the duplicate now counts for the
/// original, everyone who followed the duplicate also follows the
/// original, and the duplicate's reporter (by `reporter_hash`, their
/// receipt's) becomes a supporter of the original.
pub(super) async fn move_supporters(
    conn: &mut AnyConnection,
    duplicate: &str,
    original: &str,
    reporter_hash: &ReceiptHash,
    now: UnixMillis,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE supports SET report_id = $1 WHERE report_id = $2")
        .bind(original)
        .bind(duplicate)
        .execute(&mut *conn)
        .await?;
    let merged = merged_id(duplicate);
    sqlx::query(
        "INSERT INTO supports (support_id, report_id, filed_on, source, fingerprint, \
         receipt_hash, body, created_at, complete, completed_at) \
         VALUES ($1, $2, $3, 'duplicate', NULL, $4, NULL, $5, 1, $5) \
         ON CONFLICT (support_id) DO NOTHING",
    )
    .bind(&merged)
    .bind(original)
    .bind(duplicate)
    .bind(reporter_hash.as_str())
    .bind(now.0)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO case_followers (report_id, support_id) \
         SELECT $1, support_id FROM case_followers WHERE report_id = $2 \
         ON CONFLICT (report_id, support_id) DO NOTHING",
    )
    .bind(original)
    .bind(duplicate)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO case_followers (report_id, support_id) VALUES ($1, $2) \
         ON CONFLICT (report_id, support_id) DO NOTHING",
    )
    .bind(original)
    .bind(&merged)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Everyone who supports the case of report `report_id` now, oldest first,
/// for staff: citizens' supports with their media and contact, and the
/// reporters of merged duplicates (their media are their own case's).
pub(super) async fn staff_supporters(
    conn: &mut AnyConnection,
    report_id: &str,
) -> Result<Vec<StaffSupporter>, StoreError> {
    let rows = sqlx::query(
        "SELECT s.support_id, s.source, s.body, s.completed_at, s.filed_on, \
         r.case_year, r.case_seq FROM supports s JOIN reports r ON r.report_id = s.filed_on \
         WHERE s.report_id = $1 AND s.complete = 1 ORDER BY s.completed_at, s.support_id",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut supporters = Vec::with_capacity(rows.len());
    for row in rows {
        let raw_id: String = row.try_get("support_id")?;
        let source: String = row.try_get("source")?;
        let filed_on = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
        let at = UnixMillis(row.try_get::<Option<i64>, _>("completed_at")?.unwrap_or(0));
        let supporter = match source.as_str() {
            "citizen" => {
                let id: SupportId = raw_id
                    .parse()
                    .map_err(|_| StoreError::Corrupt(format!("support id {raw_id:?}")))?;
                let body: Option<String> = row.try_get("body")?;
                let body: CreateSupport = serde_json::from_str(body.as_deref().unwrap_or(""))
                    .map_err(|error| {
                        StoreError::Corrupt(format!("body of support {id}: {error}"))
                    })?;
                StaffSupporter {
                    at,
                    filed_on,
                    merged_case: None,
                    media: body
                        .media()
                        .iter()
                        .map(|medium| StaffMedium {
                            index: medium.index,
                            kind: medium.kind,
                            mime: medium.mime.clone(),
                            bytes: medium.bytes,
                            sha256: medium.sha256.clone(),
                            url: staff_support_medium_path(&id, medium.index),
                        })
                        .collect(),
                    contact: (!body.contact().is_anonymous()).then(|| body.contact().clone()),
                    support_id: Some(id),
                }
            }
            "duplicate" => {
                let merged: String = row.try_get("filed_on")?;
                StaffSupporter {
                    at,
                    filed_on,
                    merged_case: Some(filed_on),
                    media: received_report_media(conn, &merged, filed_on).await?,
                    contact: None,
                    support_id: None,
                }
            }
            other => return Err(StoreError::Corrupt(format!("support source {other:?}"))),
        };
        supporters.push(supporter);
    }
    Ok(supporters)
}

/// The received media of report `report_id` (case `number`), for staff.
async fn received_report_media(
    conn: &mut AnyConnection,
    report_id: &str,
    number: CaseNumber,
) -> Result<Vec<StaffMedium>, StoreError> {
    let rows = sqlx::query(
        "SELECT idx, kind, mime, bytes, sha256, received_at FROM media \
         WHERE report_id = $1 AND received_at IS NOT NULL ORDER BY idx",
    )
    .bind(report_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let medium = stored_medium(row, &number)?.decl;
            Ok(StaffMedium {
                url: staff_medium_path(&number, medium.index),
                index: medium.index,
                kind: medium.kind,
                mime: medium.mime,
                bytes: medium.bytes,
                sha256: medium.sha256,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_reporters_id_is_never_a_support_id() {
        let id = merged_id("67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert_eq!(id, "merged:67e55044-10b1-426f-9247-bb680e5fe0c8");
        assert!(id.parse::<SupportId>().is_err());
    }
}

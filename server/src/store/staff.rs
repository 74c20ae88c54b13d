//! Staff accounts, sessions, the audit log and case actions.
//!
//! Every staff action and its audit row are written in one transaction.

use bytes::Bytes;
use object_store::path::Path as ObjectPath;
use protocol::public::PublicSummary;
use protocol::report::{Category, UnixMillis};
use protocol::staff::{
    due_at, is_overdue, staff_medium_path, transition, AuditAction, AuditEntry, AuditQuery,
    CaseAction, CaseDetail, CaseFilter, CaseSummary, Role, StaffMedium, TransitionError, Username,
};
use protocol::sync::{CaseEventKind, CaseNumber, Timeline};
use sqlx::{AnyConnection, Row};

use super::case_ops::{
    audit, case_number, complete_case, load_timeline, lock_case, move_supporters, role_from_code,
    staff_reward, staff_supporters, username_from, AuditActor, StaffUser, SUPPORTERS_OF_R,
};
use super::error::StoreError;
use super::handle::Store;

/// An account and its password hash (a PHC string), for a login.
#[derive(Debug, Clone)]
pub struct StaffCredentials {
    pub user: StaffUser,
    pub password_hash: String,
}

/// What creating an account did.
#[derive(Debug)]
pub enum NewUserOutcome {
    Created(StaffUser),
    /// An account with that name exists.
    NameTaken,
}

/// What a case action did.
#[derive(Debug)]
pub enum ActionOutcome {
    /// Appended; the case's timeline now.
    Applied(Timeline),
    /// No complete case with that number.
    UnknownCase,
    /// A duplicate of a case that does not exist (or is not complete).
    UnknownTarget,
    /// A duplicate of a case that is itself a duplicate of this one: mark
    /// it a duplicate of that one instead.
    TargetIsDuplicate(CaseNumber),
    Refused(TransitionError),
}

/// What writing a public summary did.
#[derive(Debug)]
pub enum SummaryOutcome {
    /// Stored (or withdrawn, for `None`).
    Written(Option<PublicSummary>),
    /// No complete case with that number.
    UnknownCase,
}

impl Store {
    /// Creates a staff account, with its audit row, unless the name is taken.
    pub async fn create_staff_user(
        &self,
        username: &Username,
        password_hash: &str,
        role: Role,
        by: AuditActor<'_>,
        now: UnixMillis,
    ) -> Result<NewUserOutcome, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO staff_users (username, password_hash, role, created_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id",
        )
        .bind(username.as_str())
        .bind(password_hash)
        .bind(role.code())
        .bind(now.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            tx.rollback().await?;
            return Ok(NewUserOutcome::NameTaken);
        };
        let detail = format!("{} ({})", username, role.code());
        audit(
            &mut tx,
            now,
            by,
            AuditAction::UserCreated,
            None,
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        Ok(NewUserOutcome::Created(StaffUser {
            id,
            username: username.clone(),
            role,
        }))
    }

    /// The enabled account named `username` and its password hash, if any
    /// (a disabled account cannot sign in).
    pub async fn staff_credentials(
        &self,
        username: &Username,
    ) -> Result<Option<StaffCredentials>, StoreError> {
        let row = sqlx::query(
            "SELECT id, username, password_hash, role FROM staff_users \
             WHERE username = $1 AND disabled_at IS NULL",
        )
        .bind(username.as_str())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(StaffCredentials {
            user: StaffUser {
                id: row.try_get("id")?,
                username: username_from(row.try_get("username")?)?,
                role: role_from_code(row.try_get("role")?)?,
            },
            password_hash: row.try_get("password_hash")?,
        }))
    }

    /// Records a session (by its token's hash) valid until `expires_at`,
    /// and the login in the audit log; drops sessions that have expired.
    pub async fn start_session(
        &self,
        user: &StaffUser,
        token_hash: &str,
        now: UnixMillis,
        expires_at: UnixMillis,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, user_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.id)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            AuditActor::Staff(user),
            AuditAction::Login,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed login for the name that was typed.
    pub async fn record_failed_login(
        &self,
        typed: &str,
        user_id: Option<i64>,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        // What was typed, shortened: it is not a checked name.
        let typed: String = typed.trim().chars().take(64).collect();
        audit(
            &mut conn,
            now,
            AuditActor::Attempt {
                user_id,
                typed: &typed,
            },
            AuditAction::LoginFailed,
            None,
            None,
        )
        .await
    }

    /// The account of the session whose token hashes to `token_hash`, if
    /// it exists, has not expired at `now` and its account is enabled.
    pub async fn session(
        &self,
        token_hash: &str,
        now: UnixMillis,
    ) -> Result<Option<StaffUser>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.role FROM staff_sessions s \
             JOIN staff_users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
        )
        .bind(token_hash)
        .bind(now.0)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(StaffUser {
            id: row.try_get("id")?,
            username: username_from(row.try_get("username")?)?,
            role: role_from_code(row.try_get("role")?)?,
        }))
    }

    /// Deletes a session, with the logout in the audit log.
    pub async fn end_session(
        &self,
        user: &StaffUser,
        token_hash: &str,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        sqlx::query("DELETE FROM staff_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            now,
            AuditActor::Staff(user),
            AuditAction::Logout,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The audit log, newest first: a page of `query.limit()` entries older
    /// than `query.before`, by `query.actor`, of `query.action`, about
    /// `query.case_number` (each only when given).
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError> {
        let actor = query
            .actor
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty());
        let (year, sequence) = query.case_number.map_or((None, None), |number| {
            (
                Some(i64::from(number.year())),
                Some(i64::from(number.sequence())),
            )
        });
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.actor, a.action, a.detail, r.case_year, r.case_seq \
             FROM audit_log a LEFT JOIN reports r ON r.report_id = a.report_id \
             WHERE ($1 IS NULL OR a.id < $1) AND ($2 IS NULL OR a.actor = $2) \
             AND ($3 IS NULL OR a.action = $3) \
             AND ($4 IS NULL OR (r.case_year = $4 AND r.case_seq = $5)) \
             ORDER BY a.id DESC LIMIT $6",
        )
        .bind(query.before)
        .bind(actor)
        .bind(query.action.map(AuditAction::code))
        .bind(year)
        .bind(sequence)
        .bind(i64::from(query.limit()))
        .fetch_all(&self.pool)
        .await?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let action: String = row.try_get("action")?;
            let year: Option<i64> = row.try_get("case_year")?;
            let sequence: Option<i64> = row.try_get("case_seq")?;
            let case_number = match (year, sequence) {
                (Some(year), Some(sequence)) => Some(case_number(year, sequence)?),
                _ => None,
            };
            entries.push(AuditEntry {
                id: row.try_get("id")?,
                at: UnixMillis(row.try_get("at")?),
                actor: row.try_get("actor")?,
                action: AuditAction::parse(&action)
                    .ok_or_else(|| StoreError::Corrupt(format!("audit action {action:?}")))?,
                case_number,
                detail: row.try_get("detail")?,
            });
        }
        Ok(entries)
    }

    /// Complete cases passing `filter`, overdue first, then newest first.
    pub async fn staff_cases(
        &self,
        filter: &CaseFilter,
        now: UnixMillis,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let sql = format!(
            "SELECT r.case_year, r.case_seq, {} AS category, \
             (SELECT e.at FROM case_events e WHERE e.report_id = r.report_id \
              ORDER BY e.id LIMIT 1) AS received_at, \
             (SELECT e.kind FROM case_events e WHERE e.report_id = r.report_id \
              ORDER BY e.id DESC LIMIT 1) AS last_kind, \
             {} AS supporters \
             FROM reports r WHERE r.complete = 1",
            self.backend.body_category(),
            SUPPORTERS_OF_R,
        );
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        let mut cases = Vec::new();
        for row in rows {
            let number = case_number(row.try_get("case_year")?, row.try_get("case_seq")?)?;
            let category: String = row.try_get("category")?;
            let category = Category::parse(&category)
                .map_err(|_| StoreError::Corrupt(format!("category of {number}")))?;
            let received_at: Option<i64> = row.try_get("received_at")?;
            let last_kind: Option<String> = row.try_get("last_kind")?;
            let (Some(received_at), Some(last_kind)) = (received_at, last_kind) else {
                return Err(StoreError::Corrupt(format!(
                    "complete case {number} has no events"
                )));
            };
            let status = serde_json::from_str::<CaseEventKind>(&last_kind)
                .map_err(|error| StoreError::Corrupt(format!("case event: {error}")))?
                .status();
            let received_at = UnixMillis(received_at);
            if !filter.matches(category, status, received_at) {
                continue;
            }
            let supporters: i64 = row.try_get("supporters")?;
            cases.push(CaseSummary {
                case_number: number,
                category,
                status,
                received_at,
                due_at: due_at(received_at),
                overdue: is_overdue(received_at, status, now),
                supporters: u32::try_from(supporters).unwrap_or(u32::MAX),
            });
        }
        let sort = filter.sort.unwrap_or_default();
        cases.sort_by(|a, b| sort.compare(a, b));
        Ok(cases)
    }

    /// Everything about complete case `number`, if there is one.
    pub async fn staff_case(
        &self,
        number: CaseNumber,
        now: UnixMillis,
    ) -> Result<Option<CaseDetail>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let Some(case) = complete_case(&mut conn, number).await? else {
            return Ok(None);
        };
        let timeline = load_timeline(&mut conn, &case.report_id, number).await?;
        let body = case.body;
        let received_at = timeline.received_at();
        let status = timeline.status();
        let media = body
            .media()
            .iter()
            .map(|medium| StaffMedium {
                index: medium.index,
                kind: medium.kind,
                mime: medium.mime.clone(),
                bytes: medium.bytes,
                sha256: medium.sha256.clone(),
                url: staff_medium_path(&number, medium.index),
            })
            .collect();
        let contact = (!body.contact().is_anonymous()).then(|| body.contact().clone());
        let media_url: Option<String> =
            sqlx::query_scalar("SELECT media_url FROM open311_requests WHERE report_id = $1")
                .bind(&case.report_id)
                .fetch_optional(&mut *conn)
                .await?
                .flatten();
        let reward = staff_reward(&mut conn, &case.report_id).await?;
        let public_summary = public_summary(&mut conn, &case.report_id, number).await?;
        let supporters = staff_supporters(&mut conn, &case.report_id).await?;
        Ok(Some(CaseDetail {
            case_number: number,
            category: body.category(),
            status,
            received_at,
            due_at: due_at(received_at),
            overdue: is_overdue(received_at, status, now),
            description: body.description().clone(),
            location: body.location().clone(),
            seen_at: body.seen_at(),
            media,
            contact,
            media_url,
            timeline,
            reward,
            public_summary,
            supporters,
        }))
    }

    /// The MIME type and stored bytes of medium `index` of complete case
    /// `number`, if both exist.
    pub async fn staff_medium(
        &self,
        number: CaseNumber,
        index: u8,
    ) -> Result<Option<(String, Bytes)>, StoreError> {
        let row = sqlx::query(
            "SELECT m.mime, m.object_key FROM media m JOIN reports r ON r.report_id = m.report_id \
             WHERE r.case_year = $1 AND r.case_seq = $2 AND r.complete = 1 AND m.idx = $3 \
             AND m.received_at IS NOT NULL",
        )
        .bind(i64::from(number.year()))
        .bind(i64::from(number.sequence()))
        .bind(i64::from(index))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mime: String = row.try_get("mime")?;
        let key: String = row.try_get("object_key")?;
        let bytes = self
            .media
            .get(&ObjectPath::from(key.as_str()))
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("medium {key} is recorded but missing")))?;
        Ok(Some((mime, bytes)))
    }

    /// Applies `action` to complete case `number` if the transition rule
    /// allows it: one event appended to its timeline and one audit row, in
    /// one transaction.
    pub async fn apply_case_action(
        &self,
        number: CaseNumber,
        action: &CaseAction,
        by: &StaffUser,
        now: UnixMillis,
    ) -> Result<ActionOutcome, StoreError> {
        // IMMEDIATE: two actions on one case run one after the other, each
        // deciding on the status the other left. A merge also holds the
        // original's lock (both taken in case-number order, so two merges
        // never wait on each other in a circle), so a support of either
        // case is created wholly before or wholly after it.
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let mut locks = vec![number];
        if let CaseAction::Duplicate(body) = action {
            locks.push(body.of);
        }
        locks.sort_unstable();
        locks.dedup();
        for locked in locks {
            lock_case(self.backend, &mut tx, locked).await?;
        }
        let Some(case) = complete_case(&mut tx, number).await? else {
            tx.rollback().await?;
            return Ok(ActionOutcome::UnknownCase);
        };
        let timeline = load_timeline(&mut tx, &case.report_id, number).await?;
        let event = match transition(number, timeline.status(), action) {
            Ok(event) => event,
            Err(error) => {
                tx.rollback().await?;
                return Ok(ActionOutcome::Refused(error));
            }
        };
        let mut original = None;
        if let CaseEventKind::Duplicate { of, .. } = &event {
            let Some(target) = complete_case(&mut tx, *of).await? else {
                tx.rollback().await?;
                return Ok(ActionOutcome::UnknownTarget);
            };
            // Its supporters will count there: it must not be merged itself.
            let target_timeline = load_timeline(&mut tx, &target.report_id, *of).await?;
            if let Some(further) = target_timeline.duplicate_of() {
                tx.rollback().await?;
                return Ok(ActionOutcome::TargetIsDuplicate(further));
            }
            original = Some(target.report_id);
        }
        // A timeline's times never go back, even if the clock did.
        let at = UnixMillis(now.0.max(timeline.last().at.0));
        let kind = serde_json::to_string(&event)
            .map_err(|error| StoreError::Corrupt(format!("case event: {error}")))?;
        sqlx::query(
            "INSERT INTO case_events (report_id, at, kind, staff_user_id) VALUES ($1, $2, $3, $4)",
        )
        .bind(&case.report_id)
        .bind(at.0)
        .bind(&kind)
        .bind(by.id)
        .execute(&mut *tx)
        .await?;
        audit(
            &mut tx,
            now,
            AuditActor::Staff(by),
            AuditAction::from(action.kind()),
            Some(&case.report_id),
            Some(&kind),
        )
        .await?;
        if let CaseAction::Accept(body) = action {
            if let Some(summary) = &body.public_summary {
                write_summary(&mut tx, &case.report_id, Some(summary), by, now).await?;
            }
        }
        if let Some(original) = original {
            move_supporters(
                &mut tx,
                &case.report_id,
                &original,
                case.body.receipt_hash(),
                at,
            )
            .await?;
        }
        let timeline = load_timeline(&mut tx, &case.report_id, number).await?;
        tx.commit().await?;
        Ok(ActionOutcome::Applied(timeline))
    }

    /// Writes (or, with `None`, withdraws) the public summary of complete
    /// case `number`, with its audit row, in one transaction.
    pub async fn set_public_summary(
        &self,
        number: CaseNumber,
        summary: Option<&PublicSummary>,
        by: &StaffUser,
        now: UnixMillis,
    ) -> Result<SummaryOutcome, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        lock_case(self.backend, &mut tx, number).await?;
        let Some(case) = complete_case(&mut tx, number).await? else {
            tx.rollback().await?;
            return Ok(SummaryOutcome::UnknownCase);
        };
        write_summary(&mut tx, &case.report_id, summary, by, now).await?;
        tx.commit().await?;
        Ok(SummaryOutcome::Written(summary.cloned()))
    }
}

impl Store {
    /// Records in the audit log that `actor` imported report `report_id`
    /// from a file, with what the import did (`detail`).
    pub async fn audit_import(
        &self,
        actor: AuditActor<'_>,
        report_id: protocol::report::ReportId,
        detail: &str,
        now: UnixMillis,
    ) -> Result<(), StoreError> {
        let mut conn = self.pool.acquire().await?;
        audit(
            &mut conn,
            now,
            actor,
            AuditAction::ReportImported,
            Some(&report_id.to_string()),
            Some(detail),
        )
        .await
    }
}

/// Stores the public summary of report `report_id` (`None`: withdrawn)
/// and its audit row, in the caller's transaction.
async fn write_summary(
    conn: &mut AnyConnection,
    report_id: &str,
    summary: Option<&PublicSummary>,
    by: &StaffUser,
    now: UnixMillis,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE reports SET public_summary = $1 WHERE report_id = $2")
        .bind(summary.map(PublicSummary::as_str))
        .bind(report_id)
        .execute(&mut *conn)
        .await?;
    audit(
        conn,
        now,
        AuditActor::Staff(by),
        AuditAction::PublicSummary,
        Some(report_id),
        summary.map(PublicSummary::as_str),
    )
    .await
}

/// The public summary stored for report `report_id` (case `number`).
async fn public_summary(
    conn: &mut AnyConnection,
    report_id: &str,
    number: CaseNumber,
) -> Result<Option<PublicSummary>, StoreError> {
    let text: Option<String> =
        sqlx::query_scalar("SELECT public_summary FROM reports WHERE report_id = $1")
            .bind(report_id)
            .fetch_optional(&mut *conn)
            .await?
            .flatten();
    text.map(|text| PublicSummary::parse(&text))
        .transpose()
        .map_err(|error| StoreError::Corrupt(format!("public summary of {number}: {error}")))
}

//! Listing staff accounts and disabling or enabling them.
//!
//! Disabling is decided by `protocol::staff::may_disable` (never oneself,
//! never the last enabled administrator) inside one write transaction
//! that also ends the account's sessions and writes the audit row. SQLite's
//! `BEGIN IMMEDIATE` runs two such changes one after the other; on
//! PostgreSQL the administrators' rows are locked first, for the same
//! effect: two administrators disabling each other cannot leave none.

use protocol::report::UnixMillis;
use protocol::staff::{may_disable, AuditAction, DisableError, StaffAccount, Username};
use sqlx::Row;

use super::case_ops::{audit, role_from_code, username_from, AuditActor, StaffUser};
use super::error::StoreError;
use super::handle::Store;

/// What disabling or enabling an account did.
#[derive(Debug)]
pub enum AccountOutcome {
    /// Done (or it already was so); the account now.
    Changed(StaffAccount),
    UnknownUser,
    Refused(DisableError),
}

fn account_from(row: &sqlx::any::AnyRow) -> Result<StaffAccount, StoreError> {
    let disabled_at: Option<i64> = row.try_get("disabled_at")?;
    Ok(StaffAccount {
        username: username_from(row.try_get("username")?)?,
        role: role_from_code(row.try_get("role")?)?,
        created_at: UnixMillis(row.try_get("created_at")?),
        disabled: disabled_at.is_some(),
    })
}

impl Store {
    /// Every staff account, oldest first.
    pub async fn staff_accounts(&self) -> Result<Vec<StaffAccount>, StoreError> {
        let rows = sqlx::query(
            "SELECT username, role, created_at, disabled_at FROM staff_users ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_from).collect()
    }

    /// Disables (`enable == false`) or enables account `target`, by `by`.
    /// Disabling ends its sessions. A change is audited; asking for the
    /// state it is already in changes nothing.
    pub async fn set_staff_enabled(
        &self,
        target: &Username,
        enable: bool,
        by: &StaffUser,
        now: UnixMillis,
    ) -> Result<AccountOutcome, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        let lock_admins = format!(
            "SELECT id FROM staff_users WHERE role = 'admin'{}",
            self.backend.for_update()
        );
        sqlx::query(&lock_admins).fetch_all(&mut *tx).await?;
        let row = sqlx::query(
            "SELECT id, username, role, created_at, disabled_at FROM staff_users \
             WHERE username = $1",
        )
        .bind(target.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            tx.rollback().await?;
            return Ok(AccountOutcome::UnknownUser);
        };
        let id: i64 = row.try_get("id")?;
        let account = account_from(&row)?;
        if account.disabled != enable {
            tx.rollback().await?;
            return Ok(AccountOutcome::Changed(account));
        }
        if !enable {
            let enabled_admins: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM staff_users WHERE role = 'admin' AND disabled_at IS NULL",
            )
            .fetch_one(&mut *tx)
            .await?;
            let enabled_admins = u64::try_from(enabled_admins).unwrap_or(0);
            if let Err(error) = may_disable(&by.username, target, account.role, enabled_admins) {
                tx.rollback().await?;
                return Ok(AccountOutcome::Refused(error));
            }
            sqlx::query("DELETE FROM staff_sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE staff_users SET disabled_at = $1 WHERE id = $2")
            .bind((!enable).then_some(now.0))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let action = if enable {
            AuditAction::UserEnabled
        } else {
            AuditAction::UserDisabled
        };
        let detail = format!("{} ({})", account.username, account.role.code());
        audit(
            &mut tx,
            now,
            AuditActor::Staff(by),
            action,
            None,
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        Ok(AccountOutcome::Changed(StaffAccount {
            disabled: !enable,
            ..account
        }))
    }
}

//! The communication subsidy of a case (`case_rewards`).
//!
//! Each step ([`RewardStep`]) is decided by `protocol::staff::reward`'s
//! rules inside one write transaction, under the case's row lock
//! (`case_ops::lock_case`), that also writes its audit row, so two steps on one
//! reward run one after the other on either database. The citizen's
//! case answer reads `case_ops::public_reward`: nothing unless the report left
//! contact details and the reward is approved or paid.

use protocol::report::UnixMillis;
use protocol::staff::{
    eligible, reward_transition, AuditAction, RewardError, RewardStep, StaffReward,
};
use protocol::sync::CaseNumber;

use super::case_ops::{
    audit, complete_case, load_timeline, lock_case, staff_reward, AuditActor, StaffUser,
};
use super::error::StoreError;
use super::handle::Store;

/// What a reward step did.
#[derive(Debug)]
pub enum RewardOutcome {
    /// Taken; the reward now.
    Applied(StaffReward),
    /// No complete case with that number.
    UnknownCase,
    Refused(RewardError),
}

impl Store {
    /// Takes `step` on the reward of complete case `number`, with its
    /// audit row, in one transaction.
    pub async fn apply_reward_step(
        &self,
        number: CaseNumber,
        step: RewardStep,
        by: &StaffUser,
        now: UnixMillis,
    ) -> Result<RewardOutcome, StoreError> {
        let mut tx = self.backend.begin_write(&self.pool).await?;
        lock_case(self.backend, &mut tx, number).await?;
        let Some(case) = complete_case(&mut tx, number).await? else {
            tx.rollback().await?;
            return Ok(RewardOutcome::UnknownCase);
        };
        let status = load_timeline(&mut tx, &case.report_id, number)
            .await?
            .status();
        let current = staff_reward(&mut tx, &case.report_id).await?;
        let decided = eligible(status, !case.body.contact().is_anonymous())
            .and_then(|()| reward_transition(current.as_ref().map(|r| r.state), step));
        let state = match decided {
            Ok(state) => state,
            Err(error) => {
                tx.rollback().await?;
                return Ok(RewardOutcome::Refused(error));
            }
        };
        let amount = match (step, &current) {
            (RewardStep::Propose(amount), _) => amount,
            (_, Some(reward)) => reward.amount_fen,
            // `reward_transition` allows only a proposal without a reward.
            (_, None) => {
                tx.rollback().await?;
                return Ok(RewardOutcome::Refused(RewardError::NotAllowed {
                    from: None,
                    to: state,
                }));
            }
        };
        if let RewardStep::Propose(amount) = step {
            sqlx::query(
                "INSERT INTO case_rewards \
                 (report_id, amount_fen, state, proposed_by, proposed_at, decided_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, NULL, $5)",
            )
            .bind(&case.report_id)
            .bind(i64::from(amount.fen()))
            .bind(state.code())
            .bind(by.id)
            .bind(now.0)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE case_rewards SET state = $1, decided_by = $2, updated_at = $3 \
                 WHERE report_id = $4",
            )
            .bind(state.code())
            .bind(by.id)
            .bind(now.0)
            .bind(&case.report_id)
            .execute(&mut *tx)
            .await?;
        }
        let detail = format!("{amount} {}", state.code());
        audit(
            &mut tx,
            now,
            AuditActor::Staff(by),
            AuditAction::from(step),
            Some(&case.report_id),
            Some(&detail),
        )
        .await?;
        let reward = staff_reward(&mut tx, &case.report_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("reward of {number} vanished")))?;
        tx.commit().await?;
        Ok(RewardOutcome::Applied(reward))
    }
}

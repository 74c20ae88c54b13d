//! The communication subsidy (通讯补贴) for a genuine tip.
//!
//! The seed (the Cixi bureau's answer to a deputy's suggestion) cites the
//! 《网民通过网络途径提供环境问题线索通讯补贴办法（试行）》 (慈环发〔2016〕95 号):
//! the bureau gives people who truthfully report environmental pollution
//! "一定的通讯补贴以资奖励", a communication subsidy as a reward. It names no
//! amount, so the cap here, [`RewardAmount::MAX_FEN`] (¥500), is ours: a
//! phone-credit subsidy, not a bounty.
//!
//! Invariants:
//! - An amount is whole fen (分), 1 to [`RewardAmount::MAX_FEN`].
//! - A reward exists only for a case that is resolved (the tip was found
//!   genuine) and whose reporter left a name or a phone number: the bureau
//!   needs someone to pay. [`eligible`] is that rule.
//! - [`reward_transition`] is the whole life of a reward:
//!
//! | step       | who            | from       | to         |
//! | ---------- | -------------- | ---------- | ---------- |
//! | `propose`  | any staff      | no reward  | `proposed` |
//! | `approve`  | administrators | `proposed` | `approved` |
//! | `reject`   | administrators | `proposed` | `rejected` |
//! | `paid`     | administrators | `approved` | `paid`     |
//!
//!   `paid` and `rejected` are final: a case has at most one reward.
//! - The citizen's case answer carries the reward ([`CaseReward`]) only once
//!   the bureau decided to pay it (`approved`, `paid`) and only if the
//!   report left contact details; a proposal is internal until approved.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::report::UnixMillis;
use crate::sync::CaseStatus;
use crate::{LocalizedStr, LocalizedText};

use super::Role;

/// An amount of CNY in fen (1/100 yuan): 1 to [`Self::MAX_FEN`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct RewardAmount(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RewardAmountError {
    #[error("a reward is ¥0.01 to ¥500.00")]
    OutOfRange,
}

impl RewardAmountError {
    pub fn message(&self) -> LocalizedText {
        LocalizedText::new(
            "补贴金额须在 0.01 元至 500.00 元之间。",
            "A subsidy is ¥0.01 to ¥500.00.",
        )
    }
}

impl RewardAmount {
    /// ¥500.00.
    pub const MAX_FEN: u32 = 50_000;

    pub fn from_fen(fen: u32) -> Result<RewardAmount, RewardAmountError> {
        if (1..=Self::MAX_FEN).contains(&fen) {
            Ok(RewardAmount(fen))
        } else {
            Err(RewardAmountError::OutOfRange)
        }
    }

    /// From yuan as typed: `50`, `50.5`, `50.50`, `¥50` (at most two
    /// decimals, surrounding spaces dropped).
    pub fn parse_yuan(raw: &str) -> Result<RewardAmount, RewardAmountError> {
        let raw = raw.trim();
        let raw = raw
            .strip_prefix('¥')
            .or_else(|| raw.strip_prefix('￥'))
            .unwrap_or(raw)
            .trim();
        let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 6 || fraction.len() > 2 || !digits(whole) {
            return Err(RewardAmountError::OutOfRange);
        }
        if !digits(fraction) || (raw.contains('.') && fraction.is_empty()) {
            return Err(RewardAmountError::OutOfRange);
        }
        let whole: u32 = whole.parse().map_err(|_| RewardAmountError::OutOfRange)?;
        let fraction: u32 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| RewardAmountError::OutOfRange)?;
        Self::from_fen(whole * 100 + fraction)
    }

    pub fn fen(self) -> u32 {
        self.0
    }
}

/// `¥12.50`.
impl fmt::Display for RewardAmount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "¥{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl TryFrom<u32> for RewardAmount {
    type Error = RewardAmountError;
    fn try_from(fen: u32) -> Result<Self, Self::Error> {
        RewardAmount::from_fen(fen)
    }
}

impl From<RewardAmount> for u32 {
    fn from(amount: RewardAmount) -> Self {
        amount.0
    }
}

/// Where a reward stands. On the wire, its [`code`](Self::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardState {
    Proposed,
    Approved,
    Paid,
    Rejected,
}

impl RewardState {
    pub const ALL: [RewardState; 4] = [
        RewardState::Proposed,
        RewardState::Approved,
        RewardState::Paid,
        RewardState::Rejected,
    ];

    /// The stable name, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            RewardState::Proposed => "proposed",
            RewardState::Approved => "approved",
            RewardState::Paid => "paid",
            RewardState::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<RewardState> {
        RewardState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the citizen may see a reward in this state.
    pub fn is_public(self) -> bool {
        matches!(self, RewardState::Approved | RewardState::Paid)
    }

    /// The label, as the citizen and staff read it.
    pub fn label(self) -> LocalizedStr {
        match self {
            RewardState::Proposed => {
                LocalizedStr::new("已提议，待审批", "Proposed, awaiting approval")
            }
            RewardState::Approved => LocalizedStr::new("已批准，待发放", "Approved, to be paid"),
            RewardState::Paid => LocalizedStr::new("已发放", "Paid"),
            RewardState::Rejected => LocalizedStr::new("未批准", "Not approved"),
        }
    }
}

/// A step in a reward's life ([`reward_transition`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RewardStep {
    Propose(RewardAmount),
    Approve,
    Reject,
    MarkPaid,
}

impl RewardStep {
    /// Who may take this step: any staff member proposes; administrators
    /// decide and record the payment.
    pub fn role(self) -> Role {
        match self {
            RewardStep::Propose(_) => Role::Operator,
            RewardStep::Approve | RewardStep::Reject | RewardStep::MarkPaid => Role::Admin,
        }
    }

    /// The state this step leads to.
    pub fn target(self) -> RewardState {
        match self {
            RewardStep::Propose(_) => RewardState::Proposed,
            RewardStep::Approve => RewardState::Approved,
            RewardStep::Reject => RewardState::Rejected,
            RewardStep::MarkPaid => RewardState::Paid,
        }
    }
}

/// Why a reward step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RewardError {
    /// The reporter left neither a name nor a phone number (422).
    #[error("the reporter left no contact details")]
    NoContact,
    /// The case is not resolved, so the tip is not (yet) found genuine (409).
    #[error("the case is {0:?}, not resolved")]
    NotResolved(CaseStatus),
    /// The step does not follow from the reward's state (409).
    #[error("a reward that is {from:?} cannot become {to:?}")]
    NotAllowed {
        from: Option<RewardState>,
        to: RewardState,
    },
}

impl RewardError {
    /// 422 for a case that can never have a reward, 409 otherwise.
    pub fn status(self) -> u16 {
        match self {
            RewardError::NoContact => 422,
            RewardError::NotResolved(_) | RewardError::NotAllowed { .. } => 409,
        }
    }

    pub fn message(self) -> LocalizedText {
        match self {
            RewardError::NoContact => LocalizedText::new(
                "举报人未留联系方式，无法发放通讯补贴。",
                "The reporter left no contact details; no subsidy can be paid.",
            ),
            RewardError::NotResolved(status) => {
                let label = status.label();
                LocalizedText::new(
                    format!(
                        "案件当前状态为“{}”；只有已办结（线索属实）的案件才能给予通讯补贴。",
                        label.zh_cn
                    ),
                    format!(
                        "This case is \"{}\"; only a resolved case (a genuine tip) earns a subsidy.",
                        label.en
                    ),
                )
            }
            RewardError::NotAllowed { from, to } => {
                let from = from.map_or(LocalizedStr::new("尚无补贴", "no subsidy yet"), |s| {
                    s.label()
                });
                let to = to.label();
                LocalizedText::new(
                    format!("补贴当前为“{}”，不能改为“{}”。", from.zh_cn, to.zh_cn),
                    format!(
                        "The subsidy is \"{}\"; it cannot become \"{}\".",
                        from.en, to.en
                    ),
                )
            }
        }
    }
}

/// Whether a case may have a reward at all: resolved, with contact details.
pub fn eligible(status: CaseStatus, has_contact: bool) -> Result<(), RewardError> {
    if !has_contact {
        return Err(RewardError::NoContact);
    }
    if status != CaseStatus::Resolved {
        return Err(RewardError::NotResolved(status));
    }
    Ok(())
}

/// The state after `step` from `current` (`None`: no reward yet).
pub fn reward_transition(
    current: Option<RewardState>,
    step: RewardStep,
) -> Result<RewardState, RewardError> {
    let to = step.target();
    let allowed = matches!(
        (current, step),
        (None, RewardStep::Propose(_))
            | (Some(RewardState::Proposed), RewardStep::Approve)
            | (Some(RewardState::Proposed), RewardStep::Reject)
            | (Some(RewardState::Approved), RewardStep::MarkPaid)
    );
    if allowed {
        Ok(to)
    } else {
        Err(RewardError::NotAllowed { from: current, to })
    }
}

/// The reward in the citizen's case answer: only `approved` or `paid`, and
/// only when the report left contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseReward {
    pub amount_fen: RewardAmount,
    pub state: RewardState,
}

/// `POST /api/v1/staff/cases/{case_number}/reward`: propose a reward.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeReward {
    pub amount_fen: RewardAmount,
}

/// A case's reward as staff see it (in `CaseDetail` and the answers of the
/// reward routes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffReward {
    pub amount_fen: RewardAmount,
    pub state: RewardState,
    /// Who proposed it.
    pub proposed_by: String,
    pub proposed_at: UnixMillis,
    /// Who took the last step after the proposal, if anyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    pub updated_at: UnixMillis,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(fen: u32) -> RewardAmount {
        RewardAmount::from_fen(fen).expect("valid")
    }

    #[test]
    fn amounts_are_whole_fen_up_to_five_hundred_yuan() {
        assert!(RewardAmount::from_fen(0).is_err());
        assert!(RewardAmount::from_fen(50_001).is_err());
        assert_eq!(amount(50_000).to_string(), "¥500.00");
        assert_eq!(amount(1).to_string(), "¥0.01");
        assert_eq!(amount(5_050).to_string(), "¥50.50");
        assert!(serde_json::from_str::<RewardAmount>("0").is_err());
        assert!(serde_json::from_str::<RewardAmount>("-5").is_err());
        assert!(serde_json::from_str::<RewardAmount>("1.5").is_err());
        assert_eq!(
            serde_json::from_str::<RewardAmount>("5000").expect("ok"),
            amount(5_000)
        );
    }

    #[test]
    fn yuan_as_typed() {
        for (typed, fen) in [
            ("50", 5_000),
            (" 50.5 ", 5_050),
            ("50.05", 5_005),
            ("¥20", 2_000),
            ("￥0.01", 1),
            ("500", 50_000),
        ] {
            assert_eq!(RewardAmount::parse_yuan(typed), Ok(amount(fen)), "{typed}");
        }
        for bad in [
            "", "0", "500.01", "1.234", "1.", ".5", "-3", "1e3", "abc", "9999999",
        ] {
            assert!(RewardAmount::parse_yuan(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_life_of_a_reward() {
        use RewardState::*;
        let propose = RewardStep::Propose(amount(5_000));
        let steps = [
            propose,
            RewardStep::Approve,
            RewardStep::Reject,
            RewardStep::MarkPaid,
        ];
        let allowed = |from: Option<RewardState>, step: RewardStep| -> Option<RewardState> {
            match (from, step) {
                (None, RewardStep::Propose(_)) => Some(Proposed),
                (Some(Proposed), RewardStep::Approve) => Some(Approved),
                (Some(Proposed), RewardStep::Reject) => Some(Rejected),
                (Some(Approved), RewardStep::MarkPaid) => Some(Paid),
                _ => None,
            }
        };
        let froms = std::iter::once(None).chain(RewardState::ALL.map(Some));
        for from in froms {
            for step in steps {
                let got = reward_transition(from, step);
                match allowed(from, step) {
                    Some(to) => assert_eq!(got, Ok(to), "{from:?} {step:?}"),
                    None => assert_eq!(
                        got,
                        Err(RewardError::NotAllowed {
                            from,
                            to: step.target()
                        }),
                        "{from:?} {step:?}"
                    ),
                }
            }
        }
        // Paid and rejected are final.
        for step in steps {
            assert!(reward_transition(Some(Paid), step).is_err());
            assert!(reward_transition(Some(Rejected), step).is_err());
        }
    }

    #[test]
    fn operators_propose_and_admins_decide() {
        assert_eq!(RewardStep::Propose(amount(1)).role(), Role::Operator);
        for step in [
            RewardStep::Approve,
            RewardStep::Reject,
            RewardStep::MarkPaid,
        ] {
            assert_eq!(step.role(), Role::Admin);
            assert!(!Role::Operator.allows(step.role()));
        }
    }

    #[test]
    fn only_resolved_cases_with_contact_are_eligible() {
        assert_eq!(eligible(CaseStatus::Resolved, true), Ok(()));
        assert_eq!(
            eligible(CaseStatus::Resolved, false),
            Err(RewardError::NoContact)
        );
        for status in CaseStatus::ALL {
            if status != CaseStatus::Resolved {
                assert_eq!(
                    eligible(status, true),
                    Err(RewardError::NotResolved(status))
                );
            }
        }
        assert_eq!(RewardError::NoContact.status(), 422);
        assert_eq!(RewardError::NotResolved(CaseStatus::Accepted).status(), 409);
    }

    #[test]
    fn only_decided_rewards_are_public_and_states_round_trip() {
        assert!(!RewardState::Proposed.is_public());
        assert!(!RewardState::Rejected.is_public());
        assert!(RewardState::Approved.is_public());
        assert!(RewardState::Paid.is_public());
        for state in RewardState::ALL {
            assert_eq!(RewardState::parse(state.code()), Some(state));
            let json = serde_json::to_string(&state).expect("json");
            assert_eq!(json, format!("\"{}\"", state.code()));
            assert!(!state.label().zh_cn.is_empty() && !state.label().en.is_empty());
            assert_eq!(
                serde_json::from_str::<RewardState>(&json).expect("read"),
                state
            );
        }
        assert!(serde_json::from_str::<RewardState>("\"lost\"").is_err());
        assert!(serde_json::from_str::<RewardState>("3").is_err());
        let reward = CaseReward {
            amount_fen: amount(5_000),
            state: RewardState::Approved,
        };
        let json = serde_json::to_value(reward).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"amount_fen": 5000, "state": "approved"})
        );
    }
}

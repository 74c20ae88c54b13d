//! What staff do to a case, and the rule of which action a case accepts.
//!
//! Each action appends one event to the timeline the citizen reads
//! (`GET /api/v1/cases/{case_number}`). [`transition`] is the whole rule:
//!
//! | action      | allowed when the case is   | appends                 |
//! | ----------- | -------------------------- | ----------------------- |
//! | `accept`    | received                   | `accepted`              |
//! | `on-site`   | accepted                   | `on_site`               |
//! | `resolve`   | accepted, on site          | `resolved` with a reply |
//! | `reject`    | received, accepted         | `rejected` with reason  |
//! | `duplicate` | received, accepted         | `duplicate` of another case, with reason |
//!
//! Nothing is allowed once a case is closed (resolved, rejected,
//! duplicate), and a case is never a duplicate of itself.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::public::PublicSummary;
use crate::report::char_count;
use crate::sync::{CaseEventKind, CaseNumber, CaseStatus};
use crate::LocalizedText;

/// Text staff write for the public or the record: trimmed, 1 to `MAX`
/// characters.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StaffText<const MAX: usize>(String);

/// The public reply of a resolved case (the citizen reads it): at most 2000
/// characters.
pub type ReplyText = StaffText<2000>;
/// Why a case is rejected or a duplicate: at most 1000 characters.
pub type ReasonText = StaffText<1000>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum StaffTextError {
    #[error("empty")]
    Empty,
    #[error("longer than {max} characters")]
    TooLong { max: usize },
}

impl<const MAX: usize> StaffText<MAX> {
    pub const MAX_CHARS: usize = MAX;

    pub fn parse(raw: &str) -> Result<Self, StaffTextError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(StaffTextError::Empty);
        }
        if char_count(text) > MAX {
            return Err(StaffTextError::TooLong { max: MAX });
        }
        Ok(StaffText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl<const MAX: usize> fmt::Debug for StaffText<MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<const MAX: usize> TryFrom<String> for StaffText<MAX> {
    type Error = StaffTextError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        StaffText::parse(&raw)
    }
}

impl<const MAX: usize> From<StaffText<MAX>> for String {
    fn from(text: StaffText<MAX>) -> Self {
        text.0
    }
}

impl StaffTextError {
    pub fn message(&self) -> LocalizedText {
        match self {
            StaffTextError::Empty => LocalizedText::new("请填写内容。", "Please write something."),
            StaffTextError::TooLong { max } => LocalizedText::new(
                format!("内容不能超过 {max} 个字。"),
                format!("At most {max} characters."),
            ),
        }
    }
}

/// The body of `POST …/accept`, which may also be empty (or `null`): the
/// short summary of the problem staff publish with the case, if any
/// (the only words about it the public ever sees; see `crate::public`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_summary: Option<PublicSummary>,
}

/// The body of `POST …/public-summary`: a new public summary, or `null`
/// (or none) to withdraw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicSummaryBody {
    #[serde(default)]
    pub public_summary: Option<PublicSummary>,
}

/// The body of `POST …/resolve`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolveBody {
    pub reply: ReplyText,
}

/// The body of `POST …/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectBody {
    pub reason: ReasonText,
}

/// The body of `POST …/duplicate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateBody {
    pub of: CaseNumber,
    pub reason: ReasonText,
}

/// One action on a case, with what it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseAction {
    /// With the public summary to store, if staff wrote one.
    Accept(AcceptBody),
    OnSite,
    Resolve(ResolveBody),
    Reject(RejectBody),
    Duplicate(DuplicateBody),
}

/// An action without its details: its route and audit name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Accept,
    OnSite,
    Resolve,
    Reject,
    Duplicate,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] = [
        ActionKind::Accept,
        ActionKind::OnSite,
        ActionKind::Resolve,
        ActionKind::Reject,
        ActionKind::Duplicate,
    ];

    /// The last segment of its route.
    pub fn path_segment(self) -> &'static str {
        match self {
            ActionKind::Accept => "accept",
            ActionKind::OnSite => "on-site",
            ActionKind::Resolve => "resolve",
            ActionKind::Reject => "reject",
            ActionKind::Duplicate => "duplicate",
        }
    }

    /// The statuses a case may have for this action.
    pub fn allowed_from(self) -> &'static [CaseStatus] {
        match self {
            ActionKind::Accept => &[CaseStatus::Received],
            ActionKind::OnSite => &[CaseStatus::Accepted],
            ActionKind::Resolve => &[CaseStatus::Accepted, CaseStatus::OnSite],
            ActionKind::Reject | ActionKind::Duplicate => {
                &[CaseStatus::Received, CaseStatus::Accepted]
            }
        }
    }

    /// The verb, for messages.
    fn verb(self) -> (&'static str, &'static str) {
        match self {
            ActionKind::Accept => ("受理", "accepted"),
            ActionKind::OnSite => ("标记为现场处理", "marked on site"),
            ActionKind::Resolve => ("办结", "resolved"),
            ActionKind::Reject => ("不予受理", "rejected"),
            ActionKind::Duplicate => ("标记为重复举报", "marked a duplicate"),
        }
    }
}

impl CaseAction {
    pub fn kind(&self) -> ActionKind {
        match self {
            CaseAction::Accept(_) => ActionKind::Accept,
            CaseAction::OnSite => ActionKind::OnSite,
            CaseAction::Resolve(_) => ActionKind::Resolve,
            CaseAction::Reject(_) => ActionKind::Reject,
            CaseAction::Duplicate(_) => ActionKind::Duplicate,
        }
    }

    /// The timeline event this action appends.
    pub fn event(&self) -> CaseEventKind {
        match self {
            CaseAction::Accept(_) => CaseEventKind::Accepted,
            CaseAction::OnSite => CaseEventKind::OnSite,
            CaseAction::Resolve(body) => CaseEventKind::Resolved {
                reply: body.reply.as_str().to_owned(),
            },
            CaseAction::Reject(body) => CaseEventKind::Rejected {
                reason: body.reason.as_str().to_owned(),
            },
            CaseAction::Duplicate(body) => CaseEventKind::Duplicate {
                of: body.of,
                reason: body.reason.as_str().to_owned(),
            },
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TransitionError {
    /// The case's status does not allow it (a 409).
    #[error("a case that is {from:?} cannot be {action:?}")]
    NotAllowed {
        from: CaseStatus,
        action: ActionKind,
    },
    /// A case named as a duplicate of itself (a 422).
    #[error("case {0} cannot be a duplicate of itself")]
    DuplicateOfItself(CaseNumber),
}

impl TransitionError {
    pub fn message(&self) -> LocalizedText {
        match self {
            TransitionError::NotAllowed { from, action } => {
                let label = from.label();
                let (zh_verb, en_verb) = action.verb();
                let closed = if from.is_closed() {
                    ("案件已结案，不能再更改。", " It is closed.")
                } else {
                    ("", "")
                };
                LocalizedText::new(
                    format!(
                        "案件当前状态为“{}”，不能{}。{}",
                        label.zh_cn, zh_verb, closed.0
                    ),
                    format!(
                        "This case is \"{}\"; it cannot be {}.{}",
                        label.en, en_verb, closed.1
                    ),
                )
            }
            TransitionError::DuplicateOfItself(_) => LocalizedText::new(
                "案件不能标记为与自身重复。",
                "A case cannot be a duplicate of itself.",
            ),
        }
    }
}

/// The event `action` appends to case `case` whose status is `current`, if
/// the rule allows it.
pub fn transition(
    case: CaseNumber,
    current: CaseStatus,
    action: &CaseAction,
) -> Result<CaseEventKind, TransitionError> {
    let kind = action.kind();
    if !kind.allowed_from().contains(&current) {
        return Err(TransitionError::NotAllowed {
            from: current,
            action: kind,
        });
    }
    if let CaseAction::Duplicate(body) = action {
        if body.of == case {
            return Err(TransitionError::DuplicateOfItself(case));
        }
    }
    Ok(action.event())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(sequence: u32) -> CaseNumber {
        CaseNumber::new(2026, sequence).expect("valid")
    }

    fn actions() -> Vec<CaseAction> {
        vec![
            CaseAction::Accept(AcceptBody::default()),
            CaseAction::OnSite,
            CaseAction::Resolve(ResolveBody {
                reply: ReplyText::parse("已查处，责令停产整改。").expect("ok"),
            }),
            CaseAction::Reject(RejectBody {
                reason: ReasonText::parse("不属于环保部门职责").expect("ok"),
            }),
            CaseAction::Duplicate(DuplicateBody {
                of: case(1),
                reason: ReasonText::parse("同一排污口").expect("ok"),
            }),
        ]
    }

    #[test]
    fn the_whole_table() {
        use ActionKind as A;
        use CaseStatus as S;
        let allowed = [
            (S::Received, vec![A::Accept, A::Reject, A::Duplicate]),
            (
                S::Accepted,
                vec![A::OnSite, A::Resolve, A::Reject, A::Duplicate],
            ),
            (S::OnSite, vec![A::Resolve]),
            (S::Resolved, vec![]),
            (S::Rejected, vec![]),
            (S::Duplicate, vec![]),
        ];
        assert_eq!(allowed.len(), CaseStatus::ALL.len());
        for (status, kinds) in allowed {
            for action in actions() {
                let result = transition(case(2), status, &action);
                if kinds.contains(&action.kind()) {
                    assert_eq!(result, Ok(action.event()), "{status:?} {action:?}");
                    assert_eq!(result.expect("ok").status(), action.event().status());
                } else {
                    assert_eq!(
                        result,
                        Err(TransitionError::NotAllowed {
                            from: status,
                            action: action.kind()
                        }),
                        "{status:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn closed_cases_accept_nothing() {
        for status in CaseStatus::ALL.into_iter().filter(|s| s.is_closed()) {
            for action in actions() {
                let error = transition(case(2), status, &action).expect_err("closed");
                assert!(error.message().en.contains("closed"), "{error:?}");
                assert!(error.message().zh_cn.contains("已结案"));
            }
        }
    }

    #[test]
    fn a_case_is_never_a_duplicate_of_itself() {
        let action = CaseAction::Duplicate(DuplicateBody {
            of: case(5),
            reason: ReasonText::parse("同一事件").expect("ok"),
        });
        assert_eq!(
            transition(case(5), CaseStatus::Received, &action),
            Err(TransitionError::DuplicateOfItself(case(5)))
        );
        assert!(transition(case(6), CaseStatus::Received, &action).is_ok());
    }

    #[test]
    fn texts_are_trimmed_required_and_limited() {
        assert_eq!(ReplyText::parse("   "), Err(StaffTextError::Empty));
        assert_eq!(ReplyText::parse(" 已处理 ").expect("ok").as_str(), "已处理");
        assert!(ReplyText::parse(&"字".repeat(2000)).is_ok());
        assert_eq!(
            ReplyText::parse(&"字".repeat(2001)),
            Err(StaffTextError::TooLong { max: 2000 })
        );
        assert!(ReasonText::parse(&"x".repeat(1001)).is_err());
        assert!(serde_json::from_str::<ResolveBody>(r#"{"reply":""}"#).is_err());
        assert!(serde_json::from_str::<ResolveBody>(r#"{}"#).is_err());
        let body: DuplicateBody =
            serde_json::from_str(r#"{"of":"GW-2026-000001","reason":"同一排污口"}"#)
                .expect("parse");
        assert_eq!(body.of, case(1));
        // Accepting: no body, `null`, `{}` or a checked summary.
        assert_eq!(
            serde_json::from_str::<Option<AcceptBody>>("null").expect("parse"),
            None
        );
        assert_eq!(
            serde_json::from_str::<AcceptBody>("{}").expect("parse"),
            AcceptBody::default()
        );
        let body: AcceptBody =
            serde_json::from_str(r#"{"public_summary":" 河道发黑发臭 "}"#).expect("parse");
        assert_eq!(
            body.public_summary.as_ref().map(PublicSummary::as_str),
            Some("河道发黑发臭")
        );
        assert!(serde_json::from_str::<AcceptBody>(r#"{"public_summary":"x"}"#).is_err());
        let withdraw: PublicSummaryBody =
            serde_json::from_str(r#"{"public_summary":null}"#).expect("parse");
        assert_eq!(withdraw.public_summary, None);
    }

    #[test]
    fn messages_name_the_status_in_both_languages() {
        let error = TransitionError::NotAllowed {
            from: CaseStatus::Received,
            action: ActionKind::OnSite,
        };
        assert!(error.message().zh_cn.contains("已收到"));
        assert!(error.message().en.contains("Received"));
        for kind in ActionKind::ALL {
            assert!(!kind.allowed_from().is_empty());
        }
    }
}

//! Where a report is on its way from the form to the server.

use serde::{Deserialize, Serialize};

use crate::LocalizedStr;

/// The life of a report on the device.
///
/// `Draft` → (validated) `Queued` → `Sending` → `Sent`; a send the server
/// refused, or a stored report that no longer validates, is `NeedsAttention`
/// and goes back to the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    Draft,
    Queued,
    Sending,
    Sent,
    NeedsAttention,
}

impl ReportState {
    pub const ALL: [ReportState; 5] = [
        ReportState::Draft,
        ReportState::Queued,
        ReportState::Sending,
        ReportState::Sent,
        ReportState::NeedsAttention,
    ];

    /// The person may still change it.
    pub fn is_editable(self) -> bool {
        matches!(self, ReportState::Draft | ReportState::NeedsAttention)
    }

    /// It is complete and waits for (or is in) a send.
    pub fn is_waiting_to_send(self) -> bool {
        matches!(self, ReportState::Queued | ReportState::Sending)
    }

    /// The short label shown on the report in the list.
    pub fn label(self) -> LocalizedStr {
        match self {
            ReportState::Draft => LocalizedStr::new("草稿", "Draft"),
            ReportState::Queued => LocalizedStr::new("待发送", "Queued"),
            ReportState::Sending => LocalizedStr::new("发送中", "Sending"),
            ReportState::Sent => LocalizedStr::new("已发送", "Sent"),
            ReportState::NeedsAttention => LocalizedStr::new("需要处理", "Needs attention"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_snake_case() {
        let wire: Vec<String> = ReportState::ALL
            .iter()
            .map(|s| serde_json::to_string(s).expect("serialise"))
            .collect();
        assert_eq!(
            wire,
            [
                "\"draft\"",
                "\"queued\"",
                "\"sending\"",
                "\"sent\"",
                "\"needs_attention\""
            ]
        );
        for state in ReportState::ALL {
            let json = serde_json::to_string(&state).expect("serialise");
            assert_eq!(
                serde_json::from_str::<ReportState>(&json).expect("parse"),
                state
            );
        }
    }

    #[test]
    fn editable_and_waiting_do_not_overlap() {
        let editable: Vec<_> = ReportState::ALL
            .into_iter()
            .filter(|s| s.is_editable())
            .collect();
        let waiting: Vec<_> = ReportState::ALL
            .into_iter()
            .filter(|s| s.is_waiting_to_send())
            .collect();
        assert_eq!(editable, [ReportState::Draft, ReportState::NeedsAttention]);
        assert_eq!(waiting, [ReportState::Queued, ReportState::Sending]);
        assert!(!ReportState::Sent.is_editable() && !ReportState::Sent.is_waiting_to_send());
    }

    #[test]
    fn labels() {
        assert_eq!(
            ReportState::Draft.label(),
            LocalizedStr::new("草稿", "Draft")
        );
        assert_eq!(
            ReportState::NeedsAttention.label(),
            LocalizedStr::new("需要处理", "Needs attention")
        );
        assert_eq!(ReportState::Queued.label().zh_cn, "待发送");
        assert_eq!(ReportState::Sending.label().zh_cn, "发送中");
        assert_eq!(ReportState::Sent.label().zh_cn, "已发送");
    }
}

//! A case's handling, oldest step first: shown on a sent report and on the
//! "Check a case" page; then the communication subsidy, when the server
//! sends one (only to a reporter who left contact details).

use leptos::prelude::*;
use protocol::staff::RewardState;
use protocol::sync::{CaseEventKind, Timeline};

use crate::i18n::{shared, use_i18n};
use crate::time::display;

#[component]
pub fn CaseTimeline(timeline: Timeline) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {timeline.events().iter().cloned().map(|event| {
                let status = event.kind.status();
                let detail = match event.kind {
                    CaseEventKind::Resolved { reply } => Some((shared(|s| s.case_reply), reply)),
                    CaseEventKind::Rejected { reason } => Some((shared(|s| s.case_reason), reason)),
                    CaseEventKind::Duplicate { of, reason } => {
                        Some((shared(|s| s.case_duplicate_of), format!("{of} · {reason}")))
                    }
                    CaseEventKind::Received | CaseEventKind::Accepted | CaseEventKind::OnSite => None,
                };
                view! {
                    <li>
                        <span class="timeline-status">{move || i18n.locale().label(status.label())}</span>
                        " " <time>{display(event.at)}</time>
                        {detail.map(|(label, text)| view! { <p class="timeline-detail">{label}{text}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
        {timeline.reward().filter(|r| r.state.is_public()).map(|reward| {
            let paid = reward.state == RewardState::Paid;
            view! {
                <p class="reward">{move || {
                    let t = i18n.shared();
                    format!("{}{}", if paid { t.case_reward_paid } else { t.case_reward_approved }, reward.amount_fen)
                }}</p>
            }
        })}
    }
}

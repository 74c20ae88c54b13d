//! The cases the person supports ("I see this too"), on My reports: each
//! with where sending stands, its receipt once sent, and the case's
//! timeline, followed like a report's (and the original's, once staff
//! marked the case a duplicate).

use leptos::prelude::*;
use protocol::report::ReportState;
use protocol::sync::{Phase, SyncItem, Timeline};
use protocol::LocalizedText;

use super::report_detail::FollowedCase;
use crate::components::state_class;
use crate::components::CaseTimeline;
use crate::i18n::{tr, use_i18n};
use crate::outbox::{followed_key, Outbox, StorageError, SupportRecord};

#[derive(Clone)]
struct Row {
    record: SupportRecord,
    phase: Option<Phase>,
    receipt: Option<String>,
    timeline: Option<Timeline>,
    followed: Option<Timeline>,
}

async fn load() -> Result<Vec<Row>, StorageError> {
    let outbox = Outbox::open().await?;
    let result = async {
        let machine = outbox.sync_machine().await?;
        let mut rows = Vec::new();
        for record in outbox.supports().await?.0 {
            let id = record.support.id();
            let key = record.id.clone();
            rows.push(Row {
                phase: machine
                    .get(SyncItem::Support(id))
                    .map(|sync| sync.phase.clone()),
                receipt: outbox.support_receipt(id).await?.map(|r| r.to_base64url()),
                timeline: outbox.case_at(&key).await?,
                followed: outbox.case_at(&followed_key(&key)).await?,
                record,
            });
        }
        Ok(rows)
    }
    .await;
    outbox.close();
    result
}

#[component]
pub fn MySupports() -> impl IntoView {
    let i18n = use_i18n();
    let rows = RwSignal::new(None::<Result<Vec<Row>, LocalizedText>>);
    let revision = web_shared::sync::use_sync().map(|sync| sync.revision);
    Effect::new(move |_| {
        if let Some(revision) = revision {
            revision.track();
        }
        leptos::task::spawn_local(async move {
            rows.set(Some(load().await.map_err(|e| e.message())));
        });
    });
    move || match rows.get() {
        Some(Ok(rows)) if !rows.is_empty() => Some(
            view! {
                <h2>{tr(|s| s.supports_title)}</h2>
                <ul class="report-list supports">
                    {rows.into_iter().map(|row| view! { <SupportRow row=row /> }).collect_view()}
                </ul>
            }
            .into_any(),
        ),
        Some(Err(message)) => Some(
            view! { <p class="notice" role="alert">{i18n.locale().text(&message).to_owned()}</p> }
                .into_any(),
        ),
        _ => None,
    }
}

#[component]
fn SupportRow(row: Row) -> impl IntoView {
    let i18n = use_i18n();
    let state = row.record.state;
    let number = row.record.support.case_number();
    let photos = row.record.support.photos().len();
    let attention = match &row.phase {
        Some(Phase::NeedsAttention { message, .. }) => Some(message.clone()),
        _ => None,
    };
    view! {
        <li class="support-row">
            <p>
                <strong>{tr(|s| s.support_of)} {number.to_string()}</strong> " · "
                <span class=state_class(state)>{move || i18n.locale().label(state.label())}</span>
                " · " {photos} " " {tr(|s| s.reports_photos_count)}
            </p>
            {attention.map(|message| view! {
                <p class="attention">{tr(|s| s.report_attention)}{move || i18n.locale().text(&message).to_owned()}</p>
            })}
            {row.receipt.filter(|_| state == ReportState::Sent).map(|receipt| view! {
                <p>{tr(|s| s.case_receipt)} ": " <code class="receipt">{receipt}</code></p>
            })}
            {row.timeline.map(|timeline| view! { <CaseTimeline timeline=timeline /> })}
            {row.followed.map(|followed| view! { <FollowedCase timeline=followed /> })}
        </li>
    }
}

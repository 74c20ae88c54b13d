//! Where sending stands, and "Send now": on the pages that list reports.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};
use crate::sync::{self, SyncStatus, Trigger};

#[component]
pub fn SyncStatusBar() -> impl IntoView {
    let i18n = use_i18n();
    let Some(handle) = sync::use_sync() else {
        return ().into_any();
    };
    let text = move || {
        let t = i18n.t();
        match handle.status.get() {
            SyncStatus::Starting => String::new(),
            SyncStatus::Done => t.sync_done.to_owned(),
            SyncStatus::Sending { left } => t.sync_sending.replace("{n}", &left.to_string()),
            SyncStatus::Waiting {
                left,
                offline: true,
            } => t.sync_waiting_offline.replace("{n}", &left.to_string()),
            SyncStatus::Waiting { left, .. } => t.sync_waiting.replace("{n}", &left.to_string()),
            SyncStatus::Failed(message) => i18n.locale().text(&message).to_owned(),
        }
    };
    let waiting = move || {
        matches!(
            handle.status.get(),
            SyncStatus::Waiting { .. } | SyncStatus::Failed(_)
        )
    };
    view! {
        <div class="sync-status" aria-label=tr(|s| s.sync_status_label) role="region">
            <p role="status">{text}</p>
            <Show when=waiting>
                <button type="button" class="button" on:click=move |_| sync::trigger(Trigger::SendNow)>
                    {tr(|s| s.sync_send_now)}
                </button>
            </Show>
        </div>
    }
    .into_any()
}

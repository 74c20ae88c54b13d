//! Where sending stands, and "Send now": on the pages that list reports.

use leptos::prelude::*;

use crate::i18n::{tr, use_i18n};
use web_shared::sync::{self, Reason, SyncStatus};

#[component]
pub fn SyncStatusBar() -> impl IntoView {
    let i18n = use_i18n();
    let Some(handle) = sync::use_sync() else {
        return ().into_any();
    };
    let text = move || {
        let t = i18n.t();
        let (text, left) = match handle.status.get() {
            SyncStatus::Starting => return String::new(),
            SyncStatus::Done => (t.sync_done, 0),
            SyncStatus::Sending { left } => (t.sync_sending, left),
            SyncStatus::Waiting {
                left,
                offline: true,
            } => (t.sync_waiting_offline, left),
            SyncStatus::Waiting { left, .. } => (t.sync_waiting, left),
            SyncStatus::Failed(message) => return i18n.locale().text(&message).to_owned(),
        };
        if left == 0 {
            text.to_owned()
        } else {
            format!("{text} {}{left}", t.sync_left)
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
                <button type="button" class="button" on:click=move |_| sync::trigger(Reason::SendNow)>
                    {tr(|s| s.sync_send_now)}
                </button>
            </Show>
        </div>
    }
    .into_any()
}

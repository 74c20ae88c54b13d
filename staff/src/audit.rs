//! The audit log (administrators): newest first, filtered by who, what and
//! which case, a page at a time (the server's `before` cursor).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::staff::{AuditAction, AuditEntry, AuditQuery, AUDIT_ROUTE};
use protocol::sync::CaseNumber;
use protocol::LocalizedText;

use super::api::{self, Problem};
use super::console::use_console;
use super::strings::st;
use web_shared::i18n::use_i18n;
use web_shared::time::display;

/// Entries per page.
const PAGE: u32 = 50;

/// The query string of `query` (codes and case numbers are URL-safe; the
/// name is checked by `Username`'s rules only loosely here, so it is
/// percent-encoded).
fn query_string(query: &AuditQuery) -> String {
    let mut parts = vec![format!("limit={}", query.limit())];
    if let Some(before) = query.before {
        parts.push(format!("before={before}"));
    }
    if let Some(actor) = &query.actor {
        parts.push(format!(
            "actor={}",
            String::from(js_sys::encode_uri_component(actor))
        ));
    }
    if let Some(action) = query.action {
        parts.push(format!("action={}", action.code()));
    }
    if let Some(number) = query.case_number {
        parts.push(format!("case_number={number}"));
    }
    format!("{AUDIT_ROUTE}?{}", parts.join("&"))
}

#[component]
pub fn AuditLog() -> impl IntoView {
    let console = use_console();
    let i18n = use_i18n();
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let case = RwSignal::new(String::new());
    let entries = RwSignal::new(None::<Result<Vec<AuditEntry>, Problem>>);
    let before = RwSignal::new(None::<i64>);
    let bad_case = RwSignal::new(None::<LocalizedText>);
    let load = move || {
        let case_text = case.get_untracked();
        let case_number = match case_text.trim() {
            "" => None,
            text => match CaseNumber::parse(text) {
                Ok(number) => Some(number),
                Err(error) => {
                    bad_case.set(Some(error.message()));
                    return;
                }
            },
        };
        bad_case.set(None);
        let actor = actor.get_untracked().trim().to_owned();
        let query = AuditQuery {
            limit: Some(PAGE),
            before: before.get_untracked(),
            actor: (!actor.is_empty()).then_some(actor),
            action: AuditAction::parse(&action.get_untracked()),
            case_number,
        };
        let path = query_string(&query);
        spawn_local(async move {
            let answer = api::get::<Vec<AuditEntry>>(&path).await;
            if let Err(Problem::SignedOut(_)) = answer {
                console.signed_out();
                return;
            }
            entries.set(Some(answer));
        });
    };
    load();
    let filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        before.set(None);
        load();
    };
    let newest = move |_| {
        before.set(None);
        load();
    };
    let older = move |_| {
        let last = entries.with_untracked(|e| {
            e.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|list| list.last().map(|entry| entry.id))
        });
        if let Some(last) = last {
            before.set(Some(last));
            load();
        }
    };
    view! {
        <section class="page">
            <h1>{st(|s| s.audit)}</h1>
            <form class="staff-filter" on:submit=filter aria-label=st(|s| s.filter)>
                <label>
                    {st(|s| s.audit_actor)} " "
                    <input type="text" autocomplete="off" prop:value=actor
                        on:input=move |ev| actor.set(event_target_value(&ev)) />
                </label>
                <label>
                    {st(|s| s.audit_action)} " "
                    <select on:change=move |ev| action.set(event_target_value(&ev))>
                        <option value="">{st(|s| s.all)}</option>
                        {AuditAction::ALL.into_iter().map(|a| view! {
                            <option value=a.code()>{a.code()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {st(|s| s.audit_case)} " "
                    <input type="text" placeholder="GW-2026-000123" prop:value=case
                        aria-invalid=move || bad_case.with(Option::is_some).to_string()
                        on:input=move |ev| case.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button">{st(|s| s.apply)}</button>
            </form>
            <p role="alert">
                {move || bad_case.get().map(|m| i18n.locale().text(&m).to_owned())}
            </p>
            {move || match entries.get() {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{st(|s| s.audit_empty)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="case-table audit-table">
                        <thead>
                            <tr>
                                <th scope="col">{st(|s| s.audit_at)}</th>
                                <th scope="col">{st(|s| s.audit_actor)}</th>
                                <th scope="col">{st(|s| s.audit_action)}</th>
                                <th scope="col">{st(|s| s.audit_case)}</th>
                                <th scope="col">{st(|s| s.audit_detail)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|entry| view! {
                                <tr>
                                    <td>{display(entry.at)}</td>
                                    <td>{entry.actor}</td>
                                    <td><code>{entry.action.code()}</code></td>
                                    <td>{entry.case_number.map(|n| n.to_string())}</td>
                                    <td class="audit-detail">{entry.detail}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
            <div class="detail-actions">
                <button type="button" class="button" on:click=newest
                    disabled=move || before.get().is_none()>{st(|s| s.newest)}</button>
                <button type="button" class="button" on:click=older
                    disabled=move || !entries.with(|e| matches!(e, Some(Ok(list)) if list.len() == PAGE as usize))>
                    {st(|s| s.older)}
                </button>
            </div>
        </section>
    }
}

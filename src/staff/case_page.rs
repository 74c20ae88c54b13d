//! One case: everything the citizen sent, the contact only when given, the
//! timeline, and the actions its status allows (`ActionKind::allowed_from`;
//! the server checks the same rule).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::Contact;
use protocol::staff::{
    staff_action_path, staff_case_path, ActionKind, CaseDetail, DuplicateBody, RejectBody,
    ReplyTemplate, ResolveBody, StaffText, REPLY_TEMPLATES_ROUTE,
};
use protocol::sync::{CaseNumber, MediumKind, Timeline};
use protocol::LocalizedText;

use super::api::{self, Problem};
use super::strings::st;
use super::{use_console, Screen};
use crate::components::CaseTimeline;
use crate::format::fixed;
use crate::i18n::use_i18n;
use crate::time::display;

#[component]
pub fn CasePage(number: CaseNumber) -> impl IntoView {
    let console = use_console();
    let detail = RwSignal::new(None::<Result<CaseDetail, Problem>>);
    let load = move || {
        spawn_local(async move {
            let answer = api::get::<CaseDetail>(&staff_case_path(&number)).await;
            if let Err(Problem::SignedOut(_)) = answer {
                console.signed_out();
                return;
            }
            detail.set(Some(answer));
        })
    };
    load();
    view! {
        <section class="page case-page">
            <p>
                <button type="button" class="link-button" on:click=move |_| console.screen.set(Screen::Cases)>
                    {st(|s| s.back)}
                </button>
            </p>
            {move || match detail.get() {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(case)) => view! { <CaseView case=case on_change=Callback::new(move |()| load()) /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CaseView(case: CaseDetail, on_change: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let number = case.case_number;
    let category = case.category;
    let status = case.status;
    let allowed = move |action: ActionKind| action.allowed_from().contains(&status);
    let place = {
        let point = case.location.point().map(|p| (p.latitude(), p.longitude()));
        let address = case
            .location
            .address()
            .map(|a| a.as_str().to_owned())
            .unwrap_or_default();
        view! {
            <p>
                {address}
                {point.map(|(lat, lon)| view! {
                    " (" {fixed(lat, 5)} ", " {fixed(lon, 5)} ") "
                    <a href=format!("https://www.openstreetmap.org/?mlat={0}&mlon={1}#map=17/{0}/{1}", fixed(lat, 6), fixed(lon, 6))
                        target="_blank" rel="noopener">{st(|s| s.map)}</a>
                })}
            </p>
        }
    };
    view! {
        <h1>{number.to_string()} " · " {move || i18n.locale().label(category.name())}</h1>
        <p>
            <strong>{move || i18n.locale().label(status.label())}</strong>
            {case.overdue.then(|| view! { " " <strong class="overdue-badge">{st(|s| s.overdue)}</strong> })}
            " · " {st(|s| s.received)} " " {display(case.received_at)}
            " · " {st(|s| s.due)} " " {display(case.due_at)}
        </p>
        <h2>{st(|s| s.description)}</h2>
        <p class="description">{case.description.as_str().to_owned()}</p>
        <h2>{st(|s| s.place)}</h2>
        {place}
        <h2>{st(|s| s.seen_at)}</h2>
        <p>{display(case.seen_at.value())}</p>
        <h2>{st(|s| s.media)}</h2>
        <ul class="thumbnails large">
            {case.media.into_iter().map(|medium| match medium.kind {
                MediumKind::Photo => view! {
                    <li><img src=medium.url alt=format!("{} {}", number, medium.index + 1) /></li>
                }.into_any(),
                MediumKind::Voice => view! {
                    <li><audio controls=true src=medium.url aria-label=format!("{} {}", number, medium.index + 1)></audio></li>
                }.into_any(),
            }).collect_view()}
        </ul>
        {case.media_url.map(|url| {
            let href = url.clone();
            view! {
                <p>
                    {st(|s| s.linked_media)} ": "
                    <a href=href target="_blank" rel="noopener noreferrer">{url}</a>
                </p>
            }
        })}
        <h2>{st(|s| s.contact)}</h2>
        <p>{contact_text(case.contact.as_ref()).unwrap_or_else(|| st(|s| s.anonymous)().to_owned())}</p>
        <h2>{st(|s| s.timeline)}</h2>
        <CaseTimeline timeline=case.timeline.clone() />
        <Actions number=number allowed=Callback::new(allowed) on_change=on_change />
    }
}

fn contact_text(contact: Option<&Contact>) -> Option<String> {
    let contact = contact?;
    let parts: Vec<&str> = [
        contact.name.as_ref().map(|n| n.as_str()),
        contact.phone.as_ref().map(|p| p.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[component]
fn Actions(
    number: CaseNumber,
    allowed: Callback<ActionKind, bool>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reply = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let duplicate_of = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<LocalizedText>);
    let templates = RwSignal::new(Vec::<ReplyTemplate>::new());
    if allowed.run(ActionKind::Resolve) {
        spawn_local(async move {
            if let Ok(list) = api::get::<Vec<ReplyTemplate>>(REPLY_TEMPLATES_ROUTE).await {
                templates.set(list);
            }
        });
    }
    let use_template = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let text = templates.with_untracked(|list| {
            list.iter()
                .find(|template| template.id == id)
                .map(|template| i18n.locale().text(&template.reply).to_owned())
        });
        if let Some(text) = text {
            reply.set(text);
        }
    };
    let act = move |action: ActionKind| {
        let path = staff_action_path(&number, action);
        spawn_local(async move {
            let answer = match action {
                ActionKind::Resolve => match StaffText::parse(&reply.get_untracked()) {
                    Ok(reply) => api::post::<_, Timeline>(&path, &ResolveBody { reply }).await,
                    Err(error) => return problem.set(Some(error.message())),
                },
                ActionKind::Reject => match StaffText::parse(&reason.get_untracked()) {
                    Ok(reason) => api::post::<_, Timeline>(&path, &RejectBody { reason }).await,
                    Err(error) => return problem.set(Some(error.message())),
                },
                ActionKind::Duplicate => {
                    let of = match CaseNumber::parse(duplicate_of.get_untracked().trim()) {
                        Ok(of) => of,
                        Err(error) => return problem.set(Some(error.message())),
                    };
                    match StaffText::parse(&reason.get_untracked()) {
                        Ok(reason) => {
                            api::post::<_, Timeline>(&path, &DuplicateBody { of, reason }).await
                        }
                        Err(error) => return problem.set(Some(error.message())),
                    }
                }
                _ => api::post::<_, Timeline>(&path, &()).await,
            };
            match answer {
                Ok(_) => {
                    problem.set(None);
                    on_change.run(());
                }
                Err(Problem::Refused(message)) | Err(Problem::SignedOut(Some(message))) => {
                    problem.set(Some(message))
                }
                Err(_) => problem.set(Some(LocalizedText::new(
                    super::strings::ZH_CN.unavailable,
                    super::strings::EN.unavailable,
                ))),
            }
        });
    };
    view! {
        <div class="detail-actions staff-actions">
            {allowed.run(ActionKind::Accept).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| act(ActionKind::Accept)>{st(|s| s.accept)}</button>
            })}
            {allowed.run(ActionKind::OnSite).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| act(ActionKind::OnSite)>{st(|s| s.on_site)}</button>
            })}
        </div>
        {allowed.run(ActionKind::Resolve).then(|| view! {
            <div class="field">
                <label for="staff-template">{st(|s| s.template)}</label>
                <select id="staff-template" on:change=use_template>
                    <option value="">{st(|s| s.template_none)}</option>
                    {move || templates.get().into_iter().map(|template| view! {
                        <option value=template.id.clone()>{i18n.locale().text(&template.title).to_owned()}</option>
                    }).collect_view()}
                </select>
                <label for="staff-reply">{st(|s| s.reply)}</label>
                <textarea id="staff-reply" rows="4" prop:value=reply
                    on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                <button type="button" class="button primary" on:click=move |_| act(ActionKind::Resolve)>{st(|s| s.resolve)}</button>
            </div>
        })}
        {allowed.run(ActionKind::Reject).then(|| view! {
            <div class="field">
                <label for="staff-reason">{st(|s| s.reason)}</label>
                <input id="staff-reason" type="text" prop:value=reason
                    on:input=move |ev| reason.set(event_target_value(&ev)) />
                <button type="button" class="button danger" on:click=move |_| act(ActionKind::Reject)>{st(|s| s.reject)}</button>
            </div>
        })}
        {allowed.run(ActionKind::Duplicate).then(|| view! {
            <div class="field">
                <label for="staff-duplicate-of">{st(|s| s.duplicate_of)}</label>
                <input id="staff-duplicate-of" type="text" placeholder="GW-2026-000123" prop:value=duplicate_of
                    on:input=move |ev| duplicate_of.set(event_target_value(&ev)) />
                <button type="button" class="button" on:click=move |_| act(ActionKind::Duplicate)>{st(|s| s.duplicate)}</button>
            </div>
        })}
        <p role="alert">{move || problem.get().map(|m| i18n.locale().text(&m).to_owned())}</p>
    }
}

//! One case: everything the citizen sent, the contact only when given, the
//! timeline, and the actions its status allows (`ActionKind::allowed_from`;
//! the server checks the same rule).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::public::PublicSummary;
use protocol::report::Contact;
use protocol::staff::{
    reward_transition, staff_action_path, staff_case_path, staff_public_summary_path,
    staff_reward_path, AcceptBody, ActionKind, CaseDetail, DuplicateBody, ProposeReward,
    PublicSummaryBody, RejectBody, ReplyTemplate, ResolveBody, RewardAmount, RewardStep, Role,
    StaffMedium, StaffReward, StaffSupporter, StaffText, REPLY_TEMPLATES_ROUTE,
};
use protocol::sync::{CaseNumber, CaseStatus, MediumKind, Timeline};
use protocol::LocalizedText;

use super::api::{self, Problem};
use super::console::{use_console, Screen};
use super::strings::st;
use web_shared::components::{CaseTimeline, Field};
use web_shared::format::fixed;
use web_shared::i18n::use_i18n;
use web_shared::time::display;

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
    let has_contact = case.contact.is_some();
    let reward = case.reward.clone();
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
        <MediaList media=case.media name=number.to_string() />
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
        <Supporters supporters=case.supporters />
        <Actions number=number allowed=Callback::new(allowed) summary=case.public_summary on_change=on_change />
        <Reward number=number status=status has_contact=has_contact reward=reward on_change=on_change />
    }
}

/// The communication subsidy: its state, and the steps this account may
/// take (`reward_transition` and `RewardStep::role`; the server checks the
/// same).
#[component]
fn Reward(
    number: CaseNumber,
    status: CaseStatus,
    has_contact: bool,
    reward: Option<StaffReward>,
    on_change: Callback<()>,
) -> impl IntoView {
    let console = use_console();
    let i18n = use_i18n();
    let role = console
        .me
        .with_untracked(|me| me.as_ref().map(|m| m.role))
        .unwrap_or(Role::Operator);
    let current = reward.as_ref().map(|r| r.state);
    let may = move |step: RewardStep| {
        role.allows(step.role()) && reward_transition(current, step).is_ok()
    };
    let amount = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<LocalizedText>);
    let take = move |step: RewardStep| {
        spawn_local(async move {
            let path = staff_reward_path(&number, step);
            let answer = match step {
                RewardStep::Propose(amount_fen) => {
                    api::post::<_, StaffReward>(&path, &ProposeReward { amount_fen }).await
                }
                _ => api::post::<_, StaffReward>(&path, &()).await,
            };
            match answer {
                Ok(_) => {
                    problem.set(None);
                    on_change.run(());
                }
                Err(Problem::SignedOut(_)) => console.signed_out(),
                Err(Problem::Refused(message)) => problem.set(Some(message)),
                Err(Problem::Unavailable) => problem.set(Some(LocalizedText::new(
                    super::strings::ZH_CN.unavailable,
                    super::strings::EN.unavailable,
                ))),
            }
        });
    };
    let propose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match RewardAmount::parse_yuan(&amount.get_untracked()) {
            Ok(amount_fen) => take(RewardStep::Propose(amount_fen)),
            Err(error) => problem.set(Some(error.message())),
        }
    };
    let placeholder = RewardAmount::from_fen(5_000).ok();
    let state = match (&reward, has_contact, status) {
        (Some(reward), _, _) => {
            let state = reward.state;
            let decided = reward.decided_by.clone();
            view! {
                <p class="reward">
                    <strong>{reward.amount_fen.to_string()}</strong> " · "
                    {move || i18n.locale().label(state.label())}
                </p>
                <p>
                    {st(|s| s.reward_proposed_by)} {reward.proposed_by.clone()} " "
                    {display(reward.proposed_at)}
                    {decided.map(|name| view! { " · " {st(|s| s.reward_decided_by)} {name} })}
                </p>
            }
            .into_any()
        }
        (None, false, _) => view! { <p>{st(|s| s.reward_no_contact)}</p> }.into_any(),
        (None, true, status) if status != CaseStatus::Resolved => {
            view! { <p>{st(|s| s.reward_not_resolved)}</p> }.into_any()
        }
        (None, true, _) => view! { <p>{st(|s| s.reward_none)}</p> }.into_any(),
    };
    let can_propose = has_contact && status == CaseStatus::Resolved && current.is_none();
    view! {
        <h2>{st(|s| s.reward)}</h2>
        {state}
        {can_propose.then(|| view! {
            <form class="reward-form" on:submit=propose>
                <Field id="staff-reward-amount" label=st(|s| s.reward_amount)>
                    <input id="staff-reward-amount" type="text" inputmode="decimal"
                        placeholder=placeholder.map(|a| a.to_string())
                        prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev)) />
                </Field>
                <button type="submit" class="button primary">{st(|s| s.reward_propose)}</button>
            </form>
        })}
        <div class="detail-actions staff-actions">
            {may(RewardStep::Approve).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| take(RewardStep::Approve)>{st(|s| s.reward_approve)}</button>
            })}
            {may(RewardStep::Reject).then(|| view! {
                <button type="button" class="button danger" on:click=move |_| take(RewardStep::Reject)>{st(|s| s.reward_reject)}</button>
            })}
            {may(RewardStep::MarkPaid).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| take(RewardStep::MarkPaid)>{st(|s| s.reward_paid)}</button>
            })}
        </div>
        <p role="alert">{move || problem.get().map(|m| i18n.locale().text(&m).to_owned())}</p>
    }
}

/// A case's or a supporter's photos and voice clips, each named `name`
/// and its number.
#[component]
fn MediaList(media: Vec<StaffMedium>, name: String) -> impl IntoView {
    view! {
        <ul class="thumbnails large">
            {media.into_iter().map(|medium| {
                let label = format!("{name} {}", medium.index + 1);
                match medium.kind {
                    MediumKind::Photo => view! { <li><img src=medium.url alt=label /></li> }.into_any(),
                    MediumKind::Voice => view! {
                        <li><audio controls=true src=medium.url aria-label=label></audio></li>
                    }.into_any(),
                }
            }).collect_view()}
        </ul>
    }
}

/// Everyone who supports the case: "I see this too" with its evidence and
/// contact, or the reporter of a duplicate merged into it (whose report
/// stays on that case's page).
#[component]
fn Supporters(supporters: Vec<StaffSupporter>) -> impl IntoView {
    let count = supporters.len();
    view! {
        <h2>{st(|s| s.supporters)} " (" {count} ")"</h2>
        {(count == 0).then(|| view! { <p>{st(|s| s.supporters_none)}</p> })}
        <ol class="supporters">
            {supporters.into_iter().enumerate().map(|(i, supporter)| {
                let origin = match supporter.merged_case {
                    Some(merged) => view! { {st(|s| s.supporter_merged)} {merged.to_string()} }.into_any(),
                    None => view! { {st(|s| s.supporter_support)} {supporter.filed_on.to_string()} }.into_any(),
                };
                let contact = contact_text(supporter.contact.as_ref());
                view! {
                    <li>
                        <p>{origin} " · " {display(supporter.at)}</p>
                        <p>
                            {st(|s| s.contact)} ": "
                            {contact.unwrap_or_else(|| st(|s| s.anonymous)().to_owned())}
                        </p>
                        <MediaList media=supporter.media name=format!("{} {}", st(|s| s.supporters)(), i + 1) />
                    </li>
                }
            }).collect_view()}
        </ol>
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
    summary: Option<PublicSummary>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let has_summary = summary.is_some();
    let summary = RwSignal::new(summary.map(|s| s.as_str().to_owned()).unwrap_or_default());
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
    let unavailable = move || {
        LocalizedText::new(
            super::strings::ZH_CN.unavailable,
            super::strings::EN.unavailable,
        )
    };
    let save_summary = move |_| {
        let public_summary = match PublicSummary::parse_optional(&summary.get_untracked()) {
            Ok(public_summary) => public_summary,
            Err(error) => return problem.set(Some(error.message())),
        };
        spawn_local(async move {
            let path = staff_public_summary_path(&number);
            match api::post::<_, PublicSummaryBody>(&path, &PublicSummaryBody { public_summary })
                .await
            {
                Ok(_) => {
                    problem.set(None);
                    on_change.run(());
                }
                Err(Problem::Refused(message)) | Err(Problem::SignedOut(Some(message))) => {
                    problem.set(Some(message))
                }
                Err(_) => problem.set(Some(unavailable())),
            }
        });
    };
    let act = move |action: ActionKind| {
        let path = staff_action_path(&number, action);
        spawn_local(async move {
            let answer = match action {
                ActionKind::Accept => match PublicSummary::parse_optional(&summary.get_untracked())
                {
                    Ok(public_summary) => {
                        api::post::<_, Timeline>(&path, &AcceptBody { public_summary }).await
                    }
                    Err(error) => return problem.set(Some(error.message())),
                },
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
                Err(_) => problem.set(Some(unavailable())),
            }
        });
    };
    let accepting = allowed.run(ActionKind::Accept);
    view! {
        <h2>{st(|s| s.public_summary)}</h2>
        {(!has_summary && !accepting).then(|| view! { <p>{st(|s| s.public_summary_none)}</p> })}
        <div class="action-form">
            <Field id="staff-public-summary" label=st(|s| s.public_summary) help=st(|s| s.public_summary_help)>
                <textarea id="staff-public-summary" rows="2" maxlength="200" prop:value=summary
                    on:input=move |ev| summary.set(event_target_value(&ev))></textarea>
            </Field>
            {(!accepting).then(|| view! {
                <button type="button" class="button" on:click=save_summary>{st(|s| s.public_summary_save)}</button>
            })}
        </div>
        <div class="detail-actions staff-actions">
            {allowed.run(ActionKind::Accept).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| act(ActionKind::Accept)>{st(|s| s.accept)}</button>
            })}
            {allowed.run(ActionKind::OnSite).then(|| view! {
                <button type="button" class="button primary" on:click=move |_| act(ActionKind::OnSite)>{st(|s| s.on_site)}</button>
            })}
        </div>
        {allowed.run(ActionKind::Resolve).then(|| view! {
            <div class="action-form">
                <Field id="staff-template" label=st(|s| s.template)>
                    <select id="staff-template" on:change=use_template>
                        <option value="">{st(|s| s.template_none)}</option>
                        {move || templates.get().into_iter().map(|template| view! {
                            <option value=template.id.clone()>{i18n.locale().text(&template.title).to_owned()}</option>
                        }).collect_view()}
                    </select>
                </Field>
                <Field id="staff-reply" label=st(|s| s.reply)>
                    <textarea id="staff-reply" rows="4" prop:value=reply
                        on:input=move |ev| reply.set(event_target_value(&ev))></textarea>
                </Field>
                <button type="button" class="button primary" on:click=move |_| act(ActionKind::Resolve)>{st(|s| s.resolve)}</button>
            </div>
        })}
        {allowed.run(ActionKind::Reject).then(|| view! {
            <div class="action-form">
                <Field id="staff-reason" label=st(|s| s.reason)>
                    <input id="staff-reason" type="text" prop:value=reason
                        on:input=move |ev| reason.set(event_target_value(&ev)) />
                </Field>
                <button type="button" class="button danger" on:click=move |_| act(ActionKind::Reject)>{st(|s| s.reject)}</button>
            </div>
        })}
        {allowed.run(ActionKind::Duplicate).then(|| view! {
            <div class="action-form">
                <Field id="staff-duplicate-of" label=st(|s| s.duplicate_of)>
                    <input id="staff-duplicate-of" type="text" placeholder="GW-2026-000123" prop:value=duplicate_of
                        on:input=move |ev| duplicate_of.set(event_target_value(&ev)) />
                </Field>
                <p class="help">{st(|s| s.duplicate_help)}</p>
                <button type="button" class="button" on:click=move |_| act(ActionKind::Duplicate)>{st(|s| s.duplicate)}</button>
            </div>
        })}
        <p role="alert">{move || problem.get().map(|m| i18n.locale().text(&m).to_owned())}</p>
    }
}

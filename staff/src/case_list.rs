//! The cases: overdue first, then newest, or the most supporters first
//! (the server's order, `CaseSort`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::Category;
use protocol::staff::{CaseSummary, CASES_ROUTE};
use protocol::sync::CaseStatus;

use super::api::{self, Problem};
use super::console::{use_console, Screen};
use super::strings::st;
use web_shared::i18n::use_i18n;
use web_shared::time::display;

/// `CaseSort::Supporters` in the query string (its serde name).
const SUPPORTERS: &str = "supporters";

#[component]
pub fn CaseList() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let cases = RwSignal::new(None::<Result<Vec<CaseSummary>, Problem>>);
    let category = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let sort = RwSignal::new(String::new());
    let load = move || {
        // Codes from the selects are protocol's own (`Category::code`,
        // the status's serde name); the server parses and checks them.
        let mut query = Vec::new();
        let (category, status) = (category.get_untracked(), status.get_untracked());
        if sort.with_untracked(|sort| sort == SUPPORTERS) {
            query.push(format!("sort={SUPPORTERS}"));
        }
        if !category.is_empty() {
            query.push(format!("category={category}"));
        }
        if !status.is_empty() {
            query.push(format!("status={status}"));
        }
        let path = if query.is_empty() {
            CASES_ROUTE.to_owned()
        } else {
            format!("{CASES_ROUTE}?{}", query.join("&"))
        };
        spawn_local(async move {
            let answer = api::get::<Vec<CaseSummary>>(&path).await;
            if let Err(Problem::SignedOut(_)) = answer {
                console.signed_out();
                return;
            }
            cases.set(Some(answer));
        });
    };
    load();
    let filter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        load();
    };
    view! {
        <section class="page">
            <h1>{st(|s| s.cases)}</h1>
            <form class="staff-filter" on:submit=filter aria-label=st(|s| s.filter)>
                <label>
                    {st(|s| s.category)} " "
                    <select on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="">{st(|s| s.all)}</option>
                        {Category::ALL.into_iter().map(|c| view! {
                            <option value=c.code()>{move || i18n.locale().label(c.name())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {st(|s| s.state)} " "
                    <select on:change=move |ev| status.set(event_target_value(&ev))>
                        <option value="">{st(|s| s.all)}</option>
                        {CaseStatus::ALL.into_iter().map(|c| view! {
                            <option value=c.code()>{move || i18n.locale().label(c.label())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {st(|s| s.sort)} " "
                    <select on:change=move |ev| sort.set(event_target_value(&ev))>
                        <option value="">{st(|s| s.sort_overdue)}</option>
                        <option value=SUPPORTERS>{st(|s| s.sort_supporters)}</option>
                    </select>
                </label>
                <button type="submit" class="button">{st(|s| s.apply)}</button>
            </form>
            {move || match cases.get() {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{st(|s| s.no_cases)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="case-table">
                        <thead>
                            <tr>
                                <th scope="col">{st(|s| s.case_number)}</th>
                                <th scope="col">{st(|s| s.category)}</th>
                                <th scope="col">{st(|s| s.state)}</th>
                                <th scope="col">{st(|s| s.received)}</th>
                                <th scope="col">{st(|s| s.due)}</th>
                                <th scope="col">{st(|s| s.supporters_count)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {list.into_iter().map(|case| {
                                let number = case.case_number;
                                view! {
                                    <tr class:overdue=case.overdue>
                                        <td>
                                            <button type="button" class="link-button"
                                                on:click=move |_| console.screen.set(Screen::Case(number))>
                                                {number.to_string()}
                                            </button>
                                        </td>
                                        <td>{move || i18n.locale().label(case.category.name())}</td>
                                        <td>
                                            {move || i18n.locale().label(case.status.label())}
                                            {case.overdue.then(|| view! { " " <strong class="overdue-badge">{st(|s| s.overdue)}</strong> })}
                                        </td>
                                        <td>{display(case.received_at)}</td>
                                        <td>{display(case.due_at)}</td>
                                        <td>{case.supporters}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

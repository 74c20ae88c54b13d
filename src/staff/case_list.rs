//! The cases: overdue first, then newest (the server's order).

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::staff::{CaseSummary, CASES_ROUTE};

use super::api::{self, Problem};
use super::strings::st;
use super::{use_console, Screen};
use crate::i18n::use_i18n;
use crate::time::display;

#[component]
pub fn CaseList() -> impl IntoView {
    let i18n = use_i18n();
    let console = use_console();
    let cases = RwSignal::new(None::<Result<Vec<CaseSummary>, Problem>>);
    spawn_local(async move {
        let answer = api::get::<Vec<CaseSummary>>(CASES_ROUTE).await;
        if let Err(Problem::SignedOut(_)) = answer {
            console.signed_out();
            return;
        }
        cases.set(Some(answer));
    });
    view! {
        <section class="page">
            <h1>{st(|s| s.cases)}</h1>
            {move || match cases.get() {
                None => ().into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{st(|s| s.no_cases)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="case-table">
                        <thead>
                            <tr>
                                <th scope="col">{st(|s| s.case_number)}</th>
                                <th scope="col">{crate::i18n::tr(|s| s.form_category)}</th>
                                <th scope="col">{crate::i18n::tr(|s| s.reports_state)}</th>
                                <th scope="col">{st(|s| s.received)}</th>
                                <th scope="col">{st(|s| s.due)}</th>
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

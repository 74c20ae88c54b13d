//! Participation in the Learn quizzes (any staff member): for each event,
//! how many took part, the average score and the questions most often
//! missed; results played alone are counted apart. The figures are the
//! server's (`protocol::quiz::QuizParticipation`); no name is ever sent.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::quiz::{bundled, QuestionId, QuizParticipation, STAFF_QUIZ_PARTICIPATION_ROUTE};

use super::api::{self, Problem};
use super::console::use_console;
use super::strings::st;
use web_shared::i18n::{use_i18n, Locale};
use web_shared::time::display;

/// A question's prompt in `locale`, or its id when no bundled pack has it.
fn prompt(id: &QuestionId, locale: Locale) -> String {
    bundled()
        .iter()
        .flat_map(|pack| pack.questions())
        .find(|question| question.id() == id)
        .map(|question| locale.text(question.prompt()).to_owned())
        .unwrap_or_else(|| id.to_string())
}

#[component]
pub fn Participation() -> impl IntoView {
    let console = use_console();
    let i18n = use_i18n();
    let figures = RwSignal::new(None::<Result<QuizParticipation, Problem>>);
    spawn_local(async move {
        let answer = api::get::<QuizParticipation>(STAFF_QUIZ_PARTICIPATION_ROUTE).await;
        if let Err(Problem::SignedOut(_)) = answer {
            console.signed_out();
            return;
        }
        figures.set(Some(answer));
    });
    view! {
        <h1>{st(|s| s.participation)}</h1>
        {move || {
            let locale = i18n.locale();
            match figures.get() {
                None => ().into_any(),
                Some(Err(Problem::Refused(message))) => view! {
                    <p class="notice" role="alert">{locale.text(&message).to_owned()}</p>
                }.into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(figures)) => {
                    let rows = figures.events.iter().map(|event| {
                        let missed = event
                            .most_missed
                            .iter()
                            .map(|(id, times)| view! { <li>{prompt(id, locale)} " (" {*times} ")"</li> })
                            .collect_view();
                        view! {
                            <tr>
                                <th scope="row">{event.name.as_str().to_owned()}</th>
                                <td>{event.participants}</td>
                                <td>{format!("{}%", event.average_percent)}</td>
                                <td>{display(event.first_at)} " – " {display(event.last_at)}</td>
                                <td><ol>{missed}</ol></td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <dl class="summary">
                            <dt>{st(|s| s.participants_total)}</dt>
                            <dd class="participants-total">{figures.total_participants}</dd>
                            <dt>{st(|s| s.solo_results)}</dt>
                            <dd>{figures.solo_results}</dd>
                        </dl>
                        {if figures.events.is_empty() {
                            view! { <p>{st(|s| s.no_events)}</p> }.into_any()
                        } else {
                            view! {
                                <table class="participation">
                                    <thead>
                                        <tr>
                                            <th scope="col">{st(|s| s.event)}</th>
                                            <th scope="col">{st(|s| s.participants)}</th>
                                            <th scope="col">{st(|s| s.average)}</th>
                                            <th scope="col">{st(|s| s.when)}</th>
                                            <th scope="col">{st(|s| s.most_missed)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }
        }}
    }
}

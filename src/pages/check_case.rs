//! Check a case: its number and receipt, typed or pasted on any device,
//! give its handling. Both are parsed with protocol's types before any
//! request; the server gives the same "not found" for an unknown case and
//! a wrong receipt.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::sync::{CaseNumber, ReceiptSecret, Timeline};
use protocol::LocalizedText;

use crate::components::{use_page_title, CaseTimeline, Field};
use crate::i18n::{tr, Strings};
use crate::sync::requests::{self, CaseAnswer};
use web_shared::i18n::localized;

#[derive(Clone)]
enum Answer {
    Checking,
    Found(Timeline),
    NotFound,
    Unavailable,
}

#[component]
pub fn CheckCase() -> impl IntoView {
    use_page_title(|s| s.check_title);
    let case_number = RwSignal::new(String::new());
    let receipt = RwSignal::new(String::new());
    let case_error = RwSignal::new(None::<LocalizedText>);
    let receipt_error = RwSignal::new(None::<LocalizedText>);
    let answer = RwSignal::new(None::<Answer>);

    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = CaseNumber::parse(case_number.get_untracked().trim());
        let secret = ReceiptSecret::parse(receipt.get_untracked().trim());
        case_error.set(number.as_ref().err().map(|error| error.message()));
        receipt_error.set(secret.as_ref().err().map(|error| error.message()));
        let (Ok(number), Ok(secret)) = (number, secret) else {
            answer.set(None);
            return;
        };
        answer.set(Some(Answer::Checking));
        spawn_local(async move {
            answer.set(Some(match requests::case(&number, &secret).await {
                CaseAnswer::Found(timeline, _) => Answer::Found(timeline),
                CaseAnswer::NotFound => Answer::NotFound,
                CaseAnswer::Unavailable => Answer::Unavailable,
            }));
        });
    };

    view! {
        <section class="page check-case">
            <h1>{tr(|s| s.check_title)}</h1>
            <p>{tr(|s| s.check_intro)}</p>
            <form class="check-form" novalidate=true on:submit=check>
                <TextField id="case-number" label=|s| s.case_number value=case_number error=case_error placeholder="GW-2026-000123" />
                <TextField id="receipt" label=|s| s.case_receipt value=receipt error=receipt_error placeholder="" />
                <button type="submit" class="button primary">{tr(|s| s.check_submit)}</button>
            </form>
            <div role="status">
                {move || match answer.get() {
                    None => ().into_any(),
                    Some(Answer::Checking) => view! { <p>{tr(|s| s.form_loading)}</p> }.into_any(),
                    Some(Answer::NotFound) => view! { <p class="notice">{tr(|s| s.check_not_found)}</p> }.into_any(),
                    Some(Answer::Unavailable) => view! { <p class="notice">{tr(|s| s.check_unavailable)}</p> }.into_any(),
                    Some(Answer::Found(timeline)) => view! {
                        <h2>{tr(|s| s.case_timeline)} " " {timeline.case_number().to_string()}</h2>
                        <CaseTimeline timeline=timeline />
                    }.into_any(),
                }}
            </div>
        </section>
    }
}

/// A labelled text input with its error beside it.
#[component]
fn TextField(
    id: &'static str,
    label: fn(&Strings) -> &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<LocalizedText>>,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <Field id=id label=tr(label) error=localized(move || error.get())>
            <input
                id=id
                type="text"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </Field>
    }
}

//! Importing a file of unsent reports a citizen's phone saved ("Save
//! unsent reports to a file", `protocol::archive`): the file goes to
//! `POST /api/v1/staff/imports` as it is; the answer lists each report
//! with its case (new, already there, or completed), or says why nothing
//! of the file was imported.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::archive::{ImportAnswer, ImportOutcome, IMPORT_ROUTE};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::api::{self, Problem};
use super::console::{use_console, Screen};
use super::strings::st;
use web_shared::i18n::use_i18n;

/// The chosen file's bytes, if one is chosen and can be read.
async fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<js_sys::ArrayBuffer> {
    let file = input.files()?.get(0)?;
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    buffer.dyn_into().ok()
}

#[component]
pub fn ImportReports() -> impl IntoView {
    let console = use_console();
    let i18n = use_i18n();
    let input = NodeRef::<leptos::html::Input>::new();
    let result = RwSignal::new(None::<Result<ImportAnswer, Problem>>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = input.get_untracked() else {
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let answer = match chosen_file(&input).await {
                Some(bytes) => api::post_bytes(IMPORT_ROUTE, "application/zip", bytes.into()).await,
                None => Err(Problem::Refused(protocol::LocalizedText::new(
                    "请先选择一个文件。",
                    "Choose a file first.",
                ))),
            };
            busy.set(false);
            if let Err(Problem::SignedOut(_)) = answer {
                console.signed_out();
                return;
            }
            result.set(Some(answer));
        });
    };
    view! {
        <h1>{st(|s| s.import)}</h1>
        <p>{st(|s| s.import_intro)}</p>
        <form class="import-form" on:submit=submit>
            <label>
                {st(|s| s.import_file)}
                <input type="file" accept=".zip,application/zip" node_ref=input required />
            </label>
            <button type="submit" class="button" disabled=move || busy.get()>{st(|s| s.import_button)}</button>
        </form>
        {move || {
            let locale = i18n.locale();
            match result.get() {
                None => ().into_any(),
                Some(Err(Problem::Refused(message))) => view! {
                    <p class="notice" role="alert">{st(|s| s.import_refused)} " " {locale.text(&message).to_owned()}</p>
                }.into_any(),
                Some(Err(_)) => view! { <p class="notice" role="alert">{st(|s| s.unavailable)}</p> }.into_any(),
                Some(Ok(answer)) => {
                    let rows = answer.reports.into_iter().map(|report| {
                        let number = report.case_number;
                        let outcome = match report.outcome {
                            ImportOutcome::Created => st(|s| s.import_created),
                            ImportOutcome::AlreadyThere => st(|s| s.import_already_there),
                            ImportOutcome::Completed => st(|s| s.import_completed),
                        };
                        view! {
                            <tr>
                                <td>
                                    <button type="button" class="link-button"
                                        on:click=move |_| console.screen.set(Screen::Case(number))>
                                        {number.to_string()}
                                    </button>
                                </td>
                                <td>{outcome}</td>
                                <td><code>{report.report_id.to_string()}</code></td>
                            </tr>
                        }
                    }).collect_view();
                    view! {
                        <div role="status">
                        <table class="import-result">
                            <caption>{st(|s| s.import_done)}</caption>
                            <thead><tr>
                                <th scope="col">{st(|s| s.case_number)}</th>
                                <th scope="col">{st(|s| s.import_result)}</th>
                                <th scope="col">{st(|s| s.import_report_id)}</th>
                            </tr></thead>
                            <tbody>{rows}</tbody>
                        </table>
                        </div>
                    }.into_any()
                }
            }
        }}
    }
}

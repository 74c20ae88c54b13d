//! New report: the form a citizen fills in by the river, with or without a
//! signal. Every change is saved to the outbox as a draft; "Queue" validates
//! with `protocol::report::ReportDraft::validate` and marks it queued.

mod fields;
mod form;
mod media_fields;
mod nearby;
mod session;
mod support;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{ReportDraft, ReportId};
use protocol::LocalizedText;

use crate::components::use_page_title;
use crate::i18n::{tr, use_i18n};
use crate::outbox::{quota, Outbox, StorageError};
use crate::router::{use_router, Route};
use web_shared::time::now;

pub use session::{current_draft_id, set_current_draft_id};

use form::{Form, SaveStatus};

#[component]
pub fn NewReport(draft: Option<ReportId>) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.new_report_title);
    let form = Form::new();
    let load_error = RwSignal::new(None::<LocalizedText>);

    // The draft named in `?draft=`, else the one in progress, else a new one.
    spawn_local(async move {
        let id = draft.or_else(current_draft_id);
        let loaded = match id {
            Some(id) => session::load(id).await,
            None => Ok(None),
        };
        let draft = match loaded {
            Ok(Some(loaded)) => {
                form.urls.set(loaded.urls);
                loaded.draft
            }
            Ok(None) => ReportDraft::new(new_report_id(), now()),
            Err(error) => {
                load_error.set(Some(error.message()));
                ReportDraft::new(new_report_id(), now())
            }
        };
        set_current_draft_id(Some(draft.id));
        form.draft.set(Some(draft));
    });
    on_cleanup(move || {
        for (_, url) in form.urls.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });

    let router = use_router();
    let queue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(draft) = form.draft.get_untracked() else {
            return;
        };
        form.tried.set(true);
        match draft.validate(now()) {
            Err(errors) => {
                form.errors.set(Some(errors));
                focus_first_error();
            }
            Ok(valid) => {
                form.errors.set(None);
                if let Some(timer) = form.save_timer.get_value() {
                    timer.clear();
                }
                form.status.set(SaveStatus::Saving);
                spawn_local(async move {
                    let started = performance_now();
                    match queue_report(draft, &valid).await {
                        Ok(()) => {
                            mark_queue_time(started);
                            set_current_draft_id(None);
                            quota::request_persistence_in_background();
                            // The report's page opens in place (this build
                            // renders it, see `Entry::renders`), so it opens
                            // with no network too; the form is replaced in
                            // history, as it is done. Sending starts here.
                            router.replace(&Route::Report(valid.id()).href());
                            web_shared::sync::trigger(web_shared::sync::Reason::Queued);
                        }
                        Err(error) => form.status.set(SaveStatus::Failed(error.message())),
                    }
                });
            }
        }
    };

    view! {
        <section class="page new-report">
            <h1>{tr(|s| s.new_report_title)}</h1>
            <p>{tr(|s| s.new_report_intro)}</p>
            <p class="privacy-note">{tr(|s| s.new_report_privacy)}</p>
            {move || load_error.get().map(|message| view! {
                <p class="notice" role="alert">{i18n.locale().text(&message).to_owned()}</p>
            })}
            <Show
                when=move || form.draft.with(Option::is_some)
                fallback=move || view! { <p>{tr(|s| s.form_loading)}</p> }
            >
                <form class="report-form" novalidate=true on:submit=queue>
                    <Show when=move || form.errors.with(|e| e.as_ref().is_some_and(|e| !e.is_empty()))>
                        <p class="form-error-summary" role="alert">{tr(|s| s.form_fix_errors)}</p>
                    </Show>
                    <fields::CategoryField form=form />
                    <fields::DescriptionField form=form />
                    <media_fields::PhotosField form=form />
                    <media_fields::VoiceField form=form />
                    <fields::LocationField form=form />
                    <nearby::NearbyCases form=form />
                    <fields::SeenAtField form=form />
                    <fields::ContactField form=form />
                    <div class="form-actions">
                        <button type="submit" class="button primary">{tr(|s| s.form_queue)}</button>
                        <p class="save-status" role="status">
                            {move || match form.status.get() {
                                SaveStatus::Idle => String::new(),
                                SaveStatus::Saving => i18n.t().form_saving.to_owned(),
                                SaveStatus::Saved => i18n.t().form_saved.to_owned(),
                                SaveStatus::Failed(message) => i18n.locale().text(&message).to_owned(),
                            }}
                        </p>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// Writes the final draft, then marks it queued.
async fn queue_report(
    draft: ReportDraft,
    valid: &protocol::report::ValidReport,
) -> Result<(), StorageError> {
    let receipt = crate::sync::new_receipt_secret().ok_or_else(|| {
        StorageError::Browser("this browser has no secure random source".to_owned())
    })?;
    session::save(draft, session::PendingMedia::default()).await?;
    let outbox = Outbox::open().await?;
    let result = outbox.queue(valid, now(), &receipt).await;
    outbox.close();
    result
}

fn new_report_id() -> ReportId {
    ReportId::from(uuid::Uuid::new_v4())
}

fn performance_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

/// Records "Queue pressed → report stored" (ms) for the benchmarks.
fn mark_queue_time(started: f64) {
    if let Some(window) = web_sys::window() {
        let elapsed = performance_now() - started;
        let _ = js_sys::Reflect::set(&window, &"__greenwatchLastQueueMs".into(), &elapsed.into());
    }
}

fn focus_first_error() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    // After the errors render: the first invalid control gets focus.
    let _ = set_timeout_with_handle(
        move || {
            if let Ok(Some(element)) = document.query_selector("[aria-invalid=\"true\"]") {
                if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
                {
                    let _ = element.focus();
                }
            }
        },
        Duration::from_millis(0),
    );
}

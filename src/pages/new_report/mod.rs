//! New report: the form a citizen fills in by the river, with or without a
//! signal. Every change is saved to the outbox as a draft; "Queue" validates
//! with `protocol::report::ReportDraft::validate` and marks it queued.

mod fields;
mod media_fields;
mod session;

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{Field, FieldErrors, MediaId, ReportDraft, ReportId};
use protocol::LocalizedText;

use crate::components::use_page_title;
use crate::i18n::{tr, use_i18n};
use crate::outbox::{quota, Medium, Outbox, StorageError};
use crate::router::{use_router, Route};
use web_shared::time::now;

pub use session::{current_draft_id, set_current_draft_id};

/// How long typing pauses before the draft is written.
const SAVE_DELAY: Duration = Duration::from_millis(400);

#[derive(Debug, Clone, PartialEq)]
enum SaveStatus {
    Idle,
    Saving,
    Saved,
    Failed(LocalizedText),
}

/// The form's state, shared by its field components.
#[derive(Clone, Copy)]
struct Form {
    /// `None` while the draft loads.
    draft: RwSignal<Option<ReportDraft>>,
    /// Object URLs of the draft's media, for thumbnails and playback.
    urls: RwSignal<Vec<(MediaId, String)>>,
    /// Set by the first "Queue": from then on errors follow every change.
    tried: RwSignal<bool>,
    errors: RwSignal<Option<FieldErrors>>,
    status: RwSignal<SaveStatus>,
    save_timer: StoredValue<Option<TimeoutHandle>>,
}

impl Form {
    fn new() -> Self {
        Self {
            draft: RwSignal::new(None),
            urls: RwSignal::new(Vec::new()),
            tried: RwSignal::new(false),
            errors: RwSignal::new(None),
            status: RwSignal::new(SaveStatus::Idle),
            save_timer: StoredValue::new(None),
        }
    }

    /// Changes the draft, then saves it after a short pause.
    fn edit(&self, change: impl FnOnce(&mut ReportDraft)) {
        self.draft.update(|draft| {
            if let Some(draft) = draft {
                change(draft);
                draft.updated_at = now();
            }
        });
        self.revalidate();
        if let Some(timer) = self.save_timer.get_value() {
            timer.clear();
        }
        let form = *self;
        let timer = set_timeout_with_handle(
            move || form.save(session::PendingMedia::default()),
            SAVE_DELAY,
        )
        .ok();
        self.save_timer.set_value(timer);
    }

    /// Writes the draft with a media change applied, together with the
    /// media, and only then shows the change: a medium that could not be
    /// stored (a full disk) never appears as if it were kept.
    async fn commit_media(
        &self,
        change: impl Fn(&mut ReportDraft),
        media: session::PendingMedia,
    ) -> Result<(), StorageError> {
        let Some(mut snapshot) = self.draft.get_untracked() else {
            return Ok(());
        };
        change(&mut snapshot);
        snapshot.updated_at = now();
        self.status.set(SaveStatus::Saving);
        if let Err(error) = session::save(snapshot, media).await {
            self.status.set(SaveStatus::Failed(error.message()));
            return Err(error);
        }
        // The live draft may have changed while the medium was written
        // (typing goes on): apply the same change to it and write it again.
        self.draft.update(|draft| {
            if let Some(draft) = draft {
                change(draft);
                draft.updated_at = now();
            }
        });
        self.revalidate();
        self.save(session::PendingMedia::default());
        Ok(())
    }

    /// Stores a new medium with the draft that lists it, and shows it once
    /// stored. The bytes are read from the Blobs first: the transaction that
    /// stores them awaits nothing else.
    async fn add_medium(
        &self,
        id: MediaId,
        blob: web_sys::Blob,
        thumbnail: Option<web_sys::Blob>,
        change: impl Fn(&mut ReportDraft),
    ) -> Result<(), StorageError> {
        let medium = Medium::from_blob(&blob).await?;
        let thumbnail = match thumbnail {
            // No preview is better than no photo.
            Some(blob) => Medium::from_blob(&blob).await.ok(),
            None => None,
        };
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok();
        let added = session::PendingMedia {
            added: vec![(id, medium)],
            thumbnail,
            ..Default::default()
        };
        let result = self.commit_media(change, added).await;
        if let Some(url) = url {
            if result.is_ok() {
                self.urls.update(|urls| urls.push((id, url)));
            } else {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
        result
    }

    /// Takes a medium out of the draft and out of storage.
    async fn remove_medium(self, id: MediaId, change: impl Fn(&mut ReportDraft)) {
        let removed = session::PendingMedia {
            removed: vec![id],
            ..Default::default()
        };
        if self.commit_media(change, removed).await.is_ok() {
            self.urls.update(|urls| {
                urls.retain(|(medium, url)| {
                    if *medium == id {
                        let _ = web_sys::Url::revoke_object_url(url);
                    }
                    *medium != id
                })
            });
        }
    }

    fn save(&self, media: session::PendingMedia) {
        let Some(draft) = self.draft.get_untracked() else {
            return;
        };
        let status = self.status;
        status.set(SaveStatus::Saving);
        spawn_local(async move {
            match session::save(draft, media).await {
                Ok(()) => status.set(SaveStatus::Saved),
                Err(error) => status.set(SaveStatus::Failed(error.message())),
            }
        });
    }

    fn revalidate(&self) {
        if self.tried.get_untracked() {
            let errors = self
                .draft
                .with_untracked(|draft| draft.as_ref().and_then(|d| d.validate(now()).err()));
            self.errors.set(errors);
        }
    }

    /// The error to show next to a field, if any.
    fn error(&self, field: Field) -> Option<LocalizedText> {
        self.errors
            .with(|errors| errors.as_ref()?.for_field(field).map(|e| e.message.clone()))
    }

    fn url(&self, id: MediaId) -> Option<String> {
        self.urls.with(|urls| {
            urls.iter()
                .find(|(medium, _)| *medium == id)
                .map(|(_, url)| url.clone())
        })
    }
}

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
                            web_shared::sync::trigger(web_shared::sync::Reason::Queued);
                            quota::request_persistence_in_background();
                            router.navigate(&Route::Report(valid.id()).href());
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

//! One report as stored on this device: everything in it, its state, and
//! the ways to continue editing (drafts) or delete it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{MediaId, ReportId, ReportState};
use protocol::sync::{Phase, ReceiptSecret, SyncItem, Timeline};
use protocol::LocalizedText;

use crate::components::state_class;
use crate::components::{use_page_title, CaseTimeline};
use crate::i18n::{tr, use_i18n};
use crate::outbox::{Outbox, ReportRecord};
use crate::router::{paths, use_router, Link, Route};
use web_shared::format::fixed;
use web_shared::time::display;

#[derive(Clone)]
struct Detail {
    record: ReportRecord,
    urls: Vec<(MediaId, String)>,
    /// Where sending stands (from the sync machine), once queued.
    phase: Option<Phase>,
    receipt: Option<ReceiptSecret>,
    timeline: Option<Timeline>,
    /// The case this one was merged into, once staff marked it a duplicate.
    followed: Option<Timeline>,
}

async fn load(id: ReportId) -> Result<Option<Detail>, LocalizedText> {
    let outbox = Outbox::open().await.map_err(|e| e.message())?;
    let result = async {
        let Some(record) = outbox.get(id).await? else {
            return Ok(None);
        };
        let urls = outbox.media_urls(&record).await?;
        let phase = match record.state {
            ReportState::Draft => None,
            _ => outbox
                .sync_machine()
                .await?
                .get(SyncItem::Report(id))
                .map(|r| r.phase.clone()),
        };
        let receipt = outbox.receipt(id).await?;
        let timeline = outbox.case(id).await?;
        let followed = outbox
            .case_at(&crate::outbox::followed_key(&id.to_string()))
            .await?;
        Ok(Some(Detail {
            record,
            urls,
            phase,
            receipt,
            timeline,
            followed,
        }))
    }
    .await
    .map_err(|e: crate::outbox::StorageError| e.message());
    outbox.close();
    result
}

#[component]
pub fn ReportDetail(id: ReportId) -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.my_reports_title);
    let detail = RwSignal::new(None::<Result<Option<Detail>, LocalizedText>>);
    let revoke = move || {
        if let Some(Ok(Some(detail))) = detail.get_untracked() {
            for (_, url) in &detail.urls {
                let _ = web_sys::Url::revoke_object_url(url);
            }
        }
    };
    // Loaded again whenever the sync engine changed a report or a case.
    let revision = web_shared::sync::use_sync().map(|sync| sync.revision);
    Effect::new(move |_| {
        if let Some(revision) = revision {
            revision.track();
        }
        spawn_local(async move {
            let loaded = load(id).await;
            revoke();
            detail.set(Some(loaded));
        });
    });
    on_cleanup(revoke);
    // Outside the view that reloads: a reload never closes the dialog.
    let confirming = RwSignal::new(false);

    view! {
        <section class="page report-detail">
            {move || match detail.get() {
                None => view! { <p>{tr(|s| s.form_loading)}</p> }.into_any(),
                Some(result) => match &result {
                    Err(message) => view! {
                        <h1>{tr(|s| s.my_reports_title)}</h1>
                        <p class="notice" role="alert">{i18n.locale().text(message).to_owned()}</p>
                    }.into_any(),
                    Ok(None) => view! {
                        <h1>{tr(|s| s.report_not_found)}</h1>
                        <p><Link href=paths::MY_REPORTS>{tr(|s| s.report_back)}</Link></p>
                    }.into_any(),
                    Ok(Some(detail)) => view! { <DetailView detail=detail.clone() confirming=confirming /> }.into_any(),
                },
            }}
        </section>
    }
}

#[component]
fn DetailView(detail: Detail, confirming: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let router = use_router();
    let Detail {
        record,
        urls,
        phase,
        receipt,
        timeline,
        followed,
    } = detail;
    let draft = record.draft.clone();
    let state = record.state;
    let id = draft.id;
    let url_of = move |medium: MediaId| {
        urls.iter()
            .find(|(m, _)| *m == medium)
            .map(|(_, url)| url.clone())
            .unwrap_or_default()
    };
    let delete_error = RwSignal::new(None::<LocalizedText>);
    let delete = move |_| {
        spawn_local(async move {
            let result = async {
                let outbox = Outbox::open().await?;
                let result = outbox.delete(id).await;
                outbox.close();
                result
            }
            .await;
            match result {
                Ok(()) => {
                    if crate::pages::current_draft_id() == Some(id) {
                        crate::pages::set_current_draft_id(None);
                    }
                    router.navigate(paths::MY_REPORTS);
                }
                Err(error) => delete_error.set(Some(error.message())),
            }
        });
    };
    let category = draft.category;
    let description = draft.description.clone();
    let address = draft.address.clone();
    let point = draft.point;
    let seen = draft.seen_at.map(display).unwrap_or_default();
    let name = draft.name.trim().to_owned();
    let phone = draft.phone.trim().to_owned();
    let anonymous = name.is_empty() && phone.is_empty();

    view! {
        <h1>
            {move || category.map(|c| i18n.locale().label(c.name())).unwrap_or(i18n.t().my_reports_title)}
        </h1>
        <p>
            {tr(|s| s.reports_state)} ": "
            <span class=state_class(state)>{move || i18n.locale().label(state.label())}</span>
        </p>
        {match &phase {
            Some(Phase::NeedsAttention { message, fields, .. }) => {
                let message = message.clone();
                let fields = fields.clone();
                Some(view! {
                    <div class="notice attention" role="alert">
                        <p>{tr(|s| s.report_attention)}{move || i18n.locale().text(&message).to_owned()}</p>
                        <ul>
                            {fields.into_iter().map(|field| view! {
                                <li>{move || i18n.locale().text(&field.message).to_owned()}</li>
                            }).collect_view()}
                        </ul>
                        <p>{tr(|s| s.report_attention_help)}</p>
                    </div>
                }.into_any())
            }
            _ => None,
        }}
        {phase.as_ref().and_then(Phase::case_number).map(|case_number| view! {
            <CaseSection case_number=case_number.to_string() receipt=receipt.clone() timeline=timeline.clone() followed=followed.clone() />
        })}
        <h2>{tr(|s| s.form_description)}</h2>
        <p class="description">{description}</p>
        {record.media_freed.then(|| view! { <p class="media-freed">{tr(|s| s.report_media_freed)}</p> })}
        <h2>{tr(|s| s.form_photos)}</h2>
        <ul class="thumbnails large">
            {draft.photos.iter().enumerate().map(|(index, photo)| view! {
                <li>
                    <img
                        src=url_of(photo.id)
                        alt=move || format!("{} {}", i18n.t().form_photo, index + 1)
                        width=photo.width
                        height=photo.height
                    />
                </li>
            }).collect_view()}
        </ul>
        <h2>{tr(|s| s.form_voice)}</h2>
        <ul class="clips">
            {draft.voice_clips.iter().enumerate().map(|(index, clip)| view! {
                <li>
                    <audio controls=true src=url_of(clip.id) aria-label=move || format!("{} {}", i18n.t().form_voice_clip, index + 1)></audio>
                </li>
            }).collect_view()}
        </ul>
        <h2>{tr(|s| s.form_location)}</h2>
        <p>
            {point.map(|p| format!("{}, {} (±{} m)", fixed(p.latitude(), 5), fixed(p.longitude(), 5), fixed(p.accuracy_m(), 0)))}
            {(point.is_some() && !address.trim().is_empty()).then_some(" · ")}
            {address.clone()}
            {(point.is_none() && address.trim().is_empty()).then(|| view! { {tr(|s| s.report_no_location)} })}
        </p>
        <h2>{tr(|s| s.form_seen_at)}</h2>
        <p>{seen}</p>
        <h2>{tr(|s| s.form_contact)}</h2>
        <p>
            {if anonymous {
                view! { {tr(|s| s.report_anonymous)} }.into_any()
            } else {
                view! { {name.clone()} " " {phone.clone()} }.into_any()
            }}
        </p>
        <div class="detail-actions">
            {state.is_editable().then(|| view! {
                <Link href=Route::NewReport { draft: Some(id) }.href() class="button primary">{tr(|s| s.report_edit)}</Link>
            })}
            <button type="button" class="button danger" on:click=move |_| confirming.set(true)>
                {tr(|s| s.report_delete)}
            </button>
            <Link href=paths::MY_REPORTS class="button">{tr(|s| s.report_back)}</Link>
        </div>
        <Show when=move || confirming.get()>
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                <p id="confirm-text">{tr(|s| s.report_delete_confirm)}</p>
                <button type="button" class="button danger" on:click=delete>{tr(|s| s.report_delete_yes)}</button>
                <button type="button" class="button" on:click=move |_| confirming.set(false)>{tr(|s| s.report_delete_no)}</button>
            </div>
        </Show>
        {move || delete_error.get().map(|m| view! { <p class="notice" role="alert">{i18n.locale().text(&m).to_owned()}</p> })}
    }
}

/// The case number, the receipt with a copy button, and the handling.
#[component]
fn CaseSection(
    case_number: String,
    receipt: Option<ReceiptSecret>,
    timeline: Option<Timeline>,
    followed: Option<Timeline>,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(None::<bool>);
    let receipt = receipt.map(|receipt| receipt.to_base64url());
    let copy = {
        let case_number = case_number.clone();
        let receipt = receipt.clone().unwrap_or_default();
        move |_| {
            let text = format!(
                "{} {}\n{} {}",
                i18n.t().case_number,
                case_number,
                i18n.t().case_receipt,
                receipt
            );
            spawn_local(async move { copied.set(Some(crate::clipboard::write(&text).await)) });
        }
    };
    view! {
        <h2>{tr(|s| s.case_number)}</h2>
        <p class="case-number"><strong>{case_number}</strong></p>
        {receipt.map(|receipt| view! {
            <p>{tr(|s| s.case_receipt)} ": " <code class="receipt">{receipt}</code></p>
            <p class="hint">{tr(|s| s.case_receipt_hint)}</p>
            <button type="button" class="button" on:click=copy>{tr(|s| s.case_copy)}</button>
            <p role="status">
                {move || match copied.get() {
                    None => "",
                    Some(true) => i18n.t().case_copied,
                    Some(false) => i18n.t().case_copy_failed,
                }}
            </p>
        })}
        <h2>{tr(|s| s.case_timeline)}</h2>
        {match timeline {
            Some(timeline) => view! { <CaseTimeline timeline=timeline /> }.into_any(),
            None => view! { <p>{tr(|s| s.case_no_timeline)}</p> }.into_any(),
        }}
        {followed.map(|followed| view! { <FollowedCase timeline=followed /> })}
    }
}

/// The case a duplicate was merged into, which the person now follows.
#[component]
pub fn FollowedCase(timeline: Timeline) -> impl IntoView {
    view! {
        <h2>{tr(|s| s.support_following)} {timeline.case_number().to_string()}</h2>
        <CaseTimeline timeline=timeline />
    }
}

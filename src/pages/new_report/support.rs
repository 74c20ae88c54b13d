//! "I see this too": the person's support of a nearby case instead of a new
//! report, with optional photos and voice clips through the same pipeline
//! and limits as a report's (`SupportDraft::validate`). Queued in the outbox with its media
//! and receipt in one transaction and sent by the same sync engine, once;
//! My reports then follows the case.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{
    AudioMime, MediaId, PhotoMeta, Sha256Hex, UnixMillis, VoiceClipMeta, MAX_VOICE_MS,
};
use protocol::support::{SupportDraft, SupportId};
use protocol::sync::CaseNumber;
use protocol::LocalizedText;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use crate::i18n::{tr, use_i18n};
use crate::media::photo::{blob_sha256, process_photo};
use crate::media::voice::{Recorder, VoiceError};
use crate::outbox::{Medium, Outbox, StorageError};
use crate::router::{Link, Route};
use web_shared::time::now;

/// Photos picked so far: each with its bytes and an object URL.
type Picked = Vec<(PhotoMeta, Medium, String)>;
/// Voice clips recorded so far, the same way.
type Recorded = Vec<(VoiceClipMeta, Medium, String)>;

#[component]
pub(super) fn SupportButton(
    case_number: CaseNumber,
    /// The cases this phone supports already (shared by the list).
    supported: RwSignal<Vec<CaseNumber>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let picked = RwSignal::new(Picked::new());
    let clips = RwSignal::new(Recorded::new());
    let recorder = StoredValue::new_local(None::<Recorder>);
    let recording = RwSignal::new(false);
    let processing = RwSignal::new(false);
    let problem = RwSignal::new(None::<LocalizedText>);
    let queued = move || supported.with(|s| s.contains(&case_number));
    let id = SupportId::from_uuid(uuid::Uuid::new_v4());
    let created_at = now();
    let input_id = StoredValue::new(format!("support-photo-{case_number}"));
    let stop = move || {
        let Some(active) = recorder.try_update_value(Option::take).flatten() else {
            return;
        };
        recording.set(false);
        spawn_local(async move {
            match add_clip(active).await {
                Ok(clip) => clips.update(|c| c.push(clip)),
                Err(message) => problem.set(Some(message)),
            }
        });
    };
    let start = move |_| {
        problem.set(None);
        spawn_local(async move {
            match Recorder::start().await {
                Ok(active) => {
                    recorder.set_value(Some(active));
                    recording.set(true);
                }
                Err(error) => problem.set(Some(error.message())),
            }
        });
    };
    // A clip stops by itself at the length limit.
    let ticker = set_interval_with_handle(
        move || {
            let ms = recorder.with_value(|r| r.as_ref().map_or(0, Recorder::elapsed_ms));
            if ms >= MAX_VOICE_MS {
                stop();
            }
        },
        std::time::Duration::from_millis(500),
    )
    .ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        stop();
        let urls = picked.get_untracked().into_iter().map(|(_, _, url)| url);
        for url in urls.chain(clips.get_untracked().into_iter().map(|(_, _, url)| url)) {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });

    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let files: Vec<File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        problem.set(None);
        processing.set(true);
        spawn_local(async move {
            for file in files {
                match add_photo(&file).await {
                    Ok(photo) => picked.update(|p| p.push(photo)),
                    Err(message) => problem.set(Some(message)),
                }
            }
            processing.set(false);
        });
    };

    let send = move |_| {
        let photos = picked.get_untracked();
        let recorded = clips.get_untracked();
        let mut draft = SupportDraft::new(id, case_number, created_at);
        draft.photos = photos.iter().map(|(meta, _, _)| meta.clone()).collect();
        draft.voice_clips = recorded.iter().map(|(meta, _, _)| meta.clone()).collect();
        let valid = match draft.validate() {
            Ok(valid) => valid,
            Err(errors) => {
                return problem.set(errors.iter().next().map(|e| e.message.clone()));
            }
        };
        let media: Vec<(MediaId, Medium)> = photos
            .into_iter()
            .map(|(meta, medium, _)| (meta.id, medium))
            .chain(
                recorded
                    .into_iter()
                    .map(|(meta, medium, _)| (meta.id, medium)),
            )
            .collect();
        spawn_local(async move {
            match queue(&valid, &media, now()).await {
                Ok(()) => {
                    supported.update(|s| s.push(case_number));
                    web_shared::sync::trigger(web_shared::sync::Reason::Queued);
                }
                Err(error) => problem.set(Some(error.message())),
            }
        });
    };

    let label = move || format!("{} {case_number}", i18n.t().support_add);
    view! {
        <Show
            when=move || !queued()
            fallback=move || view! {
                <p class="notice" role="status">
                    {tr(|s| s.support_queued)} " "
                    <Link href=Route::MyReports.href()>{tr(|s| s.my_reports_title)}</Link>
                </p>
            }
        >
            <button type="button" class="button" aria-expanded=move || open.get().to_string()
                aria-label=label on:click=move |_| open.update(|o| *o = !*o)>
                {tr(|s| s.support_add)}
            </button>
            <Show when=move || open.get()>
                <div class="support-panel">
                    <p class="help">{tr(|s| s.support_help)}</p>
                    <label class="button file-button" for=input_id.get_value()>{tr(|s| s.form_add_photos)}</label>
                    <input id=input_id.get_value() class="file-input" type="file" accept="image/*" multiple=true
                        disabled=move || processing.get() on:change=on_pick />
                    <Show when=move || processing.get()>
                        <p role="status">{tr(|s| s.form_processing_photo)}</p>
                    </Show>
                    <ul class="thumbnails">
                        {move || picked.get().into_iter().enumerate().map(|(i, (_, _, url))| view! {
                            <li class="thumbnail">
                                <img src=url width="96" height="96"
                                    alt=move || format!("{} {}", i18n.t().form_photo, i + 1) />
                            </li>
                        }).collect_view()}
                    </ul>
                    <Show
                        when=move || recording.get()
                        fallback=move || view! {
                            <button type="button" class="button" on:click=start>{tr(|s| s.form_record)}</button>
                        }
                    >
                        <button type="button" class="button recording" on:click=move |_| stop()>
                            {tr(|s| s.form_stop_recording)}
                        </button>
                    </Show>
                    <ul class="clips">
                        {move || clips.get().into_iter().enumerate().map(|(i, (_, _, url))| view! {
                            <li class="clip">
                                <audio controls=true src=url
                                    aria-label=move || format!("{} {}", i18n.t().form_voice_clip, i + 1)></audio>
                            </li>
                        }).collect_view()}
                    </ul>
                    <p class="field-error" role="alert">
                        {move || problem.get().map(|m| i18n.locale().text(&m).to_owned())}
                    </p>
                    <button type="button" class="button primary" on:click=send
                        disabled=move || processing.get() || recording.get()>
                        {tr(|s| s.support_send)}
                    </button>
                </div>
            </Show>
        </Show>
    }
}

/// One picked file through the photo pipeline (no EXIF, at most 1600 px),
/// with its checked metadata and bytes.
async fn add_photo(file: &File) -> Result<(PhotoMeta, Medium, String), LocalizedText> {
    let processed = process_photo(file).await.map_err(|e| e.message())?;
    let sha256 = Sha256Hex::parse(&processed.sha256)
        .map_err(|_| StorageError::Browser("sha-256".to_owned()).message())?;
    let meta = PhotoMeta {
        id: MediaId::from_uuid(uuid::Uuid::new_v4()),
        width: processed.width,
        height: processed.height,
        bytes: processed.bytes,
        sha256,
    };
    meta.validate().map_err(|e| e.message())?;
    let medium = Medium::from_blob(&processed.blob)
        .await
        .map_err(|e| e.message())?;
    let url = medium.object_url().unwrap_or_default();
    Ok((meta, medium, url))
}

/// A finished recording with its checked metadata and bytes.
async fn add_clip(active: Recorder) -> Result<(VoiceClipMeta, Medium, String), LocalizedText> {
    let clip = active.stop().await.map_err(|e| e.message())?;
    let failed = || VoiceError::Failed("read".into()).message();
    let sha256 = blob_sha256(&clip.blob)
        .await
        .ok()
        .and_then(|hash| Sha256Hex::parse(&hash).ok())
        .ok_or_else(failed)?;
    let meta = VoiceClipMeta {
        id: MediaId::from_uuid(uuid::Uuid::new_v4()),
        duration_ms: clip.duration_ms.min(MAX_VOICE_MS),
        bytes: clip.blob.size() as u64,
        mime: AudioMime::from_mime(&clip.mime).unwrap_or(AudioMime::WebmOpus),
        sha256,
    };
    meta.validate().map_err(|e| e.message())?;
    let medium = Medium::from_blob(&clip.blob)
        .await
        .map_err(|e| e.message())?;
    let url = medium.object_url().unwrap_or_default();
    Ok((meta, medium, url))
}

/// Stores the support, its media and a new receipt, queued.
async fn queue(
    valid: &protocol::support::ValidSupport,
    media: &[(MediaId, Medium)],
    at: UnixMillis,
) -> Result<(), StorageError> {
    let receipt = crate::sync::new_receipt_secret().ok_or_else(|| {
        StorageError::Browser("this browser has no secure random source".to_owned())
    })?;
    let outbox = Outbox::open().await?;
    let result = outbox.queue_support(valid, media, at, &receipt).await;
    outbox.close();
    result
}

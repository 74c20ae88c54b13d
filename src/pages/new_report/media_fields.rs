//! Photos and voice clips. Each medium is processed in the browser, then
//! written to the outbox together with the draft that lists it.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{
    AudioMime, Field, MediaError, MediaId, PhotoMeta, Sha256Hex, VoiceClipMeta, MAX_PHOTOS,
    MAX_VOICE_CLIPS, MAX_VOICE_MS,
};
use protocol::LocalizedText;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement};

use super::form::Form;
use crate::i18n::{tr, use_i18n};
use crate::media::photo::{self, process_photo};
use crate::media::thumbnail::thumbnail;
use crate::media::voice::{Recorder, VoiceError};

fn new_media_id() -> MediaId {
    MediaId::from_uuid(uuid::Uuid::new_v4())
}

#[component]
pub(super) fn PhotosField(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let processing = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<LocalizedText>::new());
    let photos = move || {
        form.draft
            .with(|d| d.as_ref().map(|d| d.photos.clone()).unwrap_or_default())
    };

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
        // Picking the same file again must fire `change` again.
        input.set_value("");
        problems.set(Vec::new());
        spawn_local(add_photos(form, files, processing, problems));
    };

    view! {
        <fieldset class="field" aria-describedby="photos-help photos-error" aria-invalid=move || if form.error(Field::Photos).is_some() { "true" } else { "false" }>
            <legend>{tr(|s| s.form_photos)}</legend>
            <p class="help" id="photos-help">{tr(|s| s.form_photos_help)}</p>
            <label class="button file-button" for="photo-input">{tr(|s| s.form_add_photos)}</label>
            <input
                id="photo-input"
                class="file-input"
                type="file"
                accept="image/*"
                multiple=true
                disabled=move || processing.with(Option::is_some)
                on:change=on_pick
            />
            {move || processing.get().map(|name| view! {
                <p class="processing" role="status">{tr(|s| s.form_processing_photo)} " " {name.clone()}</p>
            })}
            <ul class="problems" aria-live="polite">
                {move || problems.get().into_iter().map(|message| view! {
                    <li class="field-error" role="alert">{i18n.locale().text(&message).to_owned()}</li>
                }).collect_view()}
            </ul>
            <ul class="thumbnails">
                {move || photos().into_iter().enumerate().map(|(index, meta)| {
                    let id = meta.id;
                    let number = index + 1;
                    view! {
                        <li class="thumbnail">
                            <img
                                src=move || form.url(id).unwrap_or_default()
                                alt=move || format!("{} {}", i18n.t().form_photo, number)
                                width="96"
                                height="96"
                            />
                            <button
                                type="button"
                                class="remove"
                                aria-label=move || format!("{} {}", i18n.t().form_remove_photo, number)
                                on:click=move |_| {
                                    spawn_local(form.remove_medium(id, move |d| d.photos.retain(|p| p.id != id)));
                                }
                            >"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="field-error" id="photos-error">
                {move || form.error(Field::Photos).map(|m| i18n.locale().text(&m).to_owned())}
            </p>
        </fieldset>
    }
}

/// Processes the picked files one at a time (one decoded image in memory at
/// once) and stores each with the draft as soon as it is ready.
async fn add_photos(
    form: Form,
    files: Vec<File>,
    processing: RwSignal<Option<String>>,
    problems: RwSignal<Vec<LocalizedText>>,
) {
    for file in files {
        let count = form
            .draft
            .with_untracked(|d| d.as_ref().map_or(0, |d| d.photos.len()));
        if count >= MAX_PHOTOS {
            let error = MediaError::TooManyPhotos {
                max: MAX_PHOTOS,
                actual: count + 1,
            };
            problems.update(|p| p.push(error.message()));
            break;
        }
        processing.set(Some(file.name()));
        match process_photo(&file).await {
            Ok(processed) => {
                let Ok(sha256) = Sha256Hex::parse(&processed.sha256) else {
                    continue;
                };
                let meta = PhotoMeta {
                    id: new_media_id(),
                    width: processed.width,
                    height: processed.height,
                    bytes: processed.bytes,
                    sha256,
                };
                if let Err(error) = meta.validate() {
                    problems.update(|p| p.push(error.message()));
                    continue;
                }
                let preview = if count == 0 {
                    thumbnail(&processed.blob, processed.width, processed.height).await
                } else {
                    None
                };
                let id = meta.id;
                let stored = form
                    .add_medium(id, processed.blob, preview, move |d| {
                        d.photos.push(meta.clone())
                    })
                    .await;
                if let Err(error) = stored {
                    problems.update(|p| p.push(error.message()));
                    // Out of space: the next photos would fail too.
                    break;
                }
            }
            Err(error) => problems.update(|p| p.push(error.message())),
        }
    }
    processing.set(None);
}

#[component]
pub(super) fn VoiceField(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let recorder = StoredValue::new_local(None::<Recorder>);
    let recording = RwSignal::new(false);
    let elapsed_ms = RwSignal::new(0u32);
    let problem = RwSignal::new(None::<LocalizedText>);
    let clips = move || {
        form.draft.with(|d| {
            d.as_ref()
                .map(|d| d.voice_clips.clone())
                .unwrap_or_default()
        })
    };
    let full = move || clips().len() >= MAX_VOICE_CLIPS;

    let stop = move || {
        let Some(active) = recorder.try_update_value(Option::take).flatten() else {
            return;
        };
        recording.set(false);
        spawn_local(async move {
            match active.stop().await {
                Ok(clip) => {
                    let meta = VoiceClipMeta {
                        id: new_media_id(),
                        duration_ms: clip.duration_ms.min(MAX_VOICE_MS),
                        bytes: clip.blob.size() as u64,
                        mime: AudioMime::from_mime(&clip.mime).unwrap_or(AudioMime::WebmOpus),
                        sha256: match photo::blob_sha256(&clip.blob)
                            .await
                            .ok()
                            .and_then(|hash| Sha256Hex::parse(&hash).ok())
                        {
                            Some(hash) => hash,
                            None => {
                                problem.set(Some(VoiceError::Failed("read".into()).message()));
                                return;
                            }
                        },
                    };
                    if let Err(error) = meta.validate() {
                        problem.set(Some(error.message()));
                        return;
                    }
                    let stored = form
                        .add_medium(meta.id, clip.blob, None, move |d| {
                            d.voice_clips.push(meta.clone())
                        })
                        .await;
                    if let Err(error) = stored {
                        problem.set(Some(error.message()));
                    }
                }
                Err(error) => problem.set(Some(error.message())),
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
                    elapsed_ms.set(0);
                }
                Err(error) => problem.set(Some(error.message())),
            }
        });
    };

    // The running timer, and the stop at the length limit.
    let ticker = set_interval_with_handle(
        move || {
            if !recording.get_untracked() {
                return;
            }
            let ms = recorder.with_value(|r| r.as_ref().map_or(0, Recorder::elapsed_ms));
            elapsed_ms.set(ms);
            if ms >= MAX_VOICE_MS {
                stop();
            }
        },
        std::time::Duration::from_millis(250),
    )
    .ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        stop();
    });

    view! {
        <fieldset class="field" aria-describedby="voice-help">
            <legend>{tr(|s| s.form_voice)}</legend>
            <p class="help" id="voice-help">{tr(|s| s.form_voice_help)}</p>
            <Show
                when=move || recording.get()
                fallback=move || view! {
                    <button type="button" class="button" on:click=start disabled=full>
                        {tr(|s| s.form_record)}
                    </button>
                }
            >
                <button type="button" class="button recording" on:click=move |_| stop()>
                    {tr(|s| s.form_stop_recording)}
                </button>
                <p class="timer" role="timer" aria-label=tr(|s| s.form_recording)>
                    {move || format!("{} / {}", clock(elapsed_ms.get()), clock(MAX_VOICE_MS))}
                </p>
            </Show>
            {move || problem.get().map(|message| view! {
                <p class="notice" role="alert">{i18n.locale().text(&message).to_owned()}</p>
            })}
            <ul class="clips">
                {move || clips().into_iter().enumerate().map(|(index, meta)| {
                    let id = meta.id;
                    let number = index + 1;
                    view! {
                        <li class="clip">
                            <audio
                                controls=true
                                src=move || form.url(id).unwrap_or_default()
                                aria-label=move || format!("{} {}", i18n.t().form_voice_clip, number)
                            ></audio>
                            <span class="duration">{clock(meta.duration_ms)}</span>
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| {
                                    spawn_local(form.remove_medium(id, move |d| d.voice_clips.retain(|c| c.id != id)));
                                }
                            >
                                {move || format!("{} {}", i18n.t().form_remove_clip, number)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </fieldset>
    }
}

/// `m:ss`.
fn clock(ms: u32) -> String {
    let seconds = ms / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

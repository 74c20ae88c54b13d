//! The New report form's state, shared by its field components (`fields`,
//! `media_fields`, `nearby`) and the page: the draft, its media's URLs, the
//! errors shown, and saving as the person types.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::report::{Field, FieldErrors, MediaId, ReportDraft};
use protocol::LocalizedText;
use web_shared::time::now;

use super::session;
use crate::outbox::{Medium, StorageError};

/// How long typing pauses before the draft is written.
const SAVE_DELAY: Duration = Duration::from_millis(400);

#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Idle,
    Saving,
    Saved,
    Failed(LocalizedText),
}

/// The form's state, shared by its field components.
#[derive(Clone, Copy)]
pub struct Form {
    /// `None` while the draft loads.
    pub draft: RwSignal<Option<ReportDraft>>,
    /// Object URLs of the draft's media, for thumbnails and playback.
    pub urls: RwSignal<Vec<(MediaId, String)>>,
    /// Set by the first "Queue": from then on errors follow every change.
    pub tried: RwSignal<bool>,
    pub errors: RwSignal<Option<FieldErrors>>,
    pub status: RwSignal<SaveStatus>,
    pub save_timer: StoredValue<Option<TimeoutHandle>>,
}

impl Form {
    pub fn new() -> Self {
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
    pub fn edit(&self, change: impl FnOnce(&mut ReportDraft)) {
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
    pub async fn commit_media(
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
    pub async fn add_medium(
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
    pub async fn remove_medium(self, id: MediaId, change: impl Fn(&mut ReportDraft)) {
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

    pub fn save(&self, media: session::PendingMedia) {
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

    pub fn revalidate(&self) {
        if self.tried.get_untracked() {
            let errors = self
                .draft
                .with_untracked(|draft| draft.as_ref().and_then(|d| d.validate(now()).err()));
            self.errors.set(errors);
        }
    }

    /// The error to show next to a field, if any.
    pub fn error(&self, field: Field) -> Option<LocalizedText> {
        self.errors
            .with(|errors| errors.as_ref()?.for_field(field).map(|e| e.message.clone()))
    }

    pub fn url(&self, id: MediaId) -> Option<String> {
        self.urls.with(|urls| {
            urls.iter()
                .find(|(medium, _)| *medium == id)
                .map(|(_, url)| url.clone())
        })
    }
}

//! "Save unsent reports to a file": every report waiting to be sent, with
//! its media, written into one ZIP (`protocol::archive`) that the browser
//! downloads, for a person to hand to outreach staff when the reports
//! cannot be sent. Staff import it on the server, where each report becomes
//! a case once under its own id, so the phone's own sync later finds its
//! case there.
//!
//! Each report's create body is the one its sync sends
//! (`CreateReport::from_valid` with its receipt's hash; the receipt secret
//! stays on the phone), and its media are read through the outbox. The
//! media are never copied into one buffer: the file is a `Blob` of parts,
//! the ZIP headers (`StoredZip`) and each medium's own `ArrayBuffer`.

use protocol::archive::zip::StoredZip;
use protocol::archive::{manifest_json, medium_file, MANIFEST_FILE};
use protocol::sync::{medium_id, CreateReport};
use protocol::LocalizedText;
use wasm_bindgen::JsCast;

use crate::outbox::{Outbox, StorageError};

/// A file ready to download.
pub struct Archive {
    /// The parts of the file, in order: `Uint8Array`s and `ArrayBuffer`s.
    parts: js_sys::Array,
    /// How many reports it holds.
    pub reports: usize,
}

fn failed() -> LocalizedText {
    LocalizedText::new(
        "无法生成文件，请稍后重试。报告仍保留在本机。",
        "The file could not be made. Try again later; the reports are still on this device.",
    )
}

/// Every report waiting to be sent (queued or being sent), whole, as an
/// archive; `None` when there is none. A report that cannot be written
/// whole (its receipt or a medium missing) is left out and stays queued.
pub async fn unsent_archive(outbox: &Outbox) -> Result<Option<Archive>, StorageError> {
    let now = web_shared::time::now();
    let listing = outbox.list().await?;
    let mut zip = StoredZip::new();
    let parts = js_sys::Array::new();
    let mut reports = Vec::new();
    for record in listing.reports {
        if !record.state.is_waiting_to_send() {
            continue;
        }
        let Ok(id) = record.id.parse() else { continue };
        let (Some(stored), Some(receipt)) = (
            outbox.report_with_media(id).await?,
            outbox.receipt(id).await?,
        ) else {
            continue;
        };
        let Ok(valid) = stored.record.draft.validate(now) else {
            continue;
        };
        let body = CreateReport::from_valid(&valid, &receipt.hash());
        let mut entries = Vec::with_capacity(body.media().len());
        for decl in body.media() {
            let medium = medium_id(&valid, decl.index)
                .and_then(|medium| stored.media.iter().find(|(id, _)| *id == medium));
            match medium {
                Some((_, medium)) => entries.push((medium_file(id, decl), medium)),
                None => break,
            }
        }
        if entries.len() != body.media().len() {
            continue;
        }
        let Some(json) = web_shared::json::stringify(&body) else {
            continue;
        };
        for (name, medium) in entries {
            // The CRC needs the bytes once; only the header is kept.
            let header = zip
                .entry_header(&name, &medium.to_vec())
                .map_err(|_| StorageError::Browser("zip".into()))?;
            parts.push(&js_sys::Uint8Array::from(header.as_slice()));
            parts.push(medium.buffer());
        }
        reports.push((id, json));
    }
    if reports.is_empty() {
        return Ok(None);
    }
    let count = reports.len();
    let json = manifest_json(now, &reports);
    let zip_error = |_| StorageError::Browser("zip".into());
    let header = zip
        .entry_header(MANIFEST_FILE, json.as_bytes())
        .map_err(zip_error)?;
    parts.push(&js_sys::Uint8Array::from(header.as_slice()));
    parts.push(&js_sys::Uint8Array::from(json.as_bytes()));
    let end = zip.finish().map_err(zip_error)?;
    parts.push(&js_sys::Uint8Array::from(end.as_slice()));
    Ok(Some(Archive {
        parts,
        reports: count,
    }))
}

thread_local! {
    /// The object URL of the last file saved.
    static LAST_URL: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Asks the browser to save `archive` as `name`.
pub fn download(archive: &Archive, name: &str) -> Result<(), LocalizedText> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/zip");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&archive.parts, &options)
        .map_err(|_| failed())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed())?;
    let link = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(failed)?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Revoking the URL at once may cancel the download in some browsers;
    // it goes when the next file is saved (or the page is left), so one
    // file at most stays in memory.
    LAST_URL.with(|last| {
        if let Some(previous) = last.replace(Some(url)) {
            let _ = web_sys::Url::revoke_object_url(&previous);
        }
    });
    Ok(())
}

/// The message for a failed export.
pub fn failure(error: &StorageError) -> LocalizedText {
    match error {
        StorageError::Browser(_) => failed(),
        other => other.message(),
    }
}

//! Storage space: how much the site uses and may use, and persistence.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Bytes used by this site and the most it may use, as the browser reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Usage {
    pub used: f64,
    pub available: f64,
}

fn manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let has = js_sys::Reflect::has(&navigator, &"storage".into()).ok()?;
    has.then(|| navigator.storage())
}

/// The browser's estimate, where it gives one.
pub async fn estimate() -> Option<Usage> {
    let promise = manager()?.estimate().ok()?;
    // A dictionary, not a class: no `instanceof` check is possible.
    let estimate: web_sys::StorageEstimate = JsFuture::from(promise).await.ok()?.unchecked_into();
    let used = estimate.get_usage()?;
    let quota = estimate.get_quota()?;
    Some(Usage {
        used,
        available: (quota - used).max(0.0),
    })
}

/// Asks the browser not to evict the outbox under storage pressure, without
/// waiting for the answer: nothing a person does may wait on it (Firefox
/// answers `persist()` only after its permission prompt, which may never be
/// seen; a headless Firefox never answers). Nothing is asked where the
/// browser has no `navigator.storage` (WebKit's ephemeral sessions, plain
/// http).
pub fn request_persistence_in_background() {
    if manager().is_some() {
        wasm_bindgen_futures::spawn_local(async {
            let _ = request_persistence().await;
        });
    }
}

/// Whether the browser has promised to keep this site's data: `None` where
/// it cannot say (no `navigator.storage`).
pub async fn persisted() -> Option<bool> {
    let promise = manager()?.persisted().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Asks the browser not to evict the outbox under storage pressure. Returns
/// whether storage is persistent now. May never finish (see
/// [`request_persistence_in_background`]): never await it in a person's way.
pub async fn request_persistence() -> bool {
    let Some(manager) = manager() else {
        return false;
    };
    if let Ok(promise) = manager.persisted() {
        if JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()) == Some(true) {
            return true;
        }
    }
    match manager.persist() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

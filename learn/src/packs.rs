//! Which quiz packs Learn plays: those bundled in the build, replaced by
//! newer versions the server served (kept on the device, so they stay
//! after going offline). The merge rule is `protocol::quiz::merge_packs`.

use protocol::quiz::{bundled, merge_packs, QuizPack, QuizPacksAnswer, QUIZ_PACKS_ROUTE};

use super::store::{CachedPack, LearnStore};
use web_shared::http;

/// The kept packs that still read (a pack this version cannot read stays
/// stored but is not played).
fn readable(cached: &[CachedPack]) -> Vec<QuizPack> {
    cached
        .iter()
        .filter_map(|pack| QuizPack::parse(&pack.json).ok())
        .collect()
}

/// The packs to play offline: bundled, with newer kept ones in their place.
/// Says whether any kept pack replaced or joined a bundled one.
pub async fn load() -> (Vec<QuizPack>, bool) {
    let kept = match LearnStore::open().await {
        Ok(store) => {
            let kept = store.cached_packs().await.unwrap_or_default();
            store.close();
            kept
        }
        Err(_) => Vec::new(),
    };
    merged(readable(&kept))
}

/// The bundled packs with `others` merged in, and whether that changed them.
fn merged(others: Vec<QuizPack>) -> (Vec<QuizPack>, bool) {
    let base = bundled();
    let packs = merge_packs(base.clone(), others);
    let updated = packs != base;
    (packs, updated)
}

/// Asks the server for its packs; keeps those newer than what the device
/// has. `None` when the server was not reached or sent nothing readable.
pub async fn refresh() -> Option<(Vec<QuizPack>, bool)> {
    let response = http::fetch("GET", QUIZ_PACKS_ROUTE, &[], None, http::SHORT_TIMEOUT)
        .await
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    let text = http::text(&response).await?;
    let received = QuizPacksAnswer::parse(&text).ok()?.packs;
    let (current, _) = load().await;
    let newer: Vec<CachedPack> = received
        .iter()
        .filter(|pack| {
            current
                .iter()
                .find(|have| have.id() == pack.id())
                .is_none_or(|have| have.version() < pack.version())
        })
        .filter_map(|pack| {
            Some(CachedPack {
                id: pack.id().as_str().to_owned(),
                version: pack.version(),
                json: serde_json::to_string(pack).ok()?,
            })
        })
        .collect();
    if !newer.is_empty() {
        let store = LearnStore::open().await.ok()?;
        let kept = store.keep_packs(&newer).await;
        store.close();
        kept.ok()?;
    }
    Some(merged(merge_packs(current, received)))
}

//! Learn's device store in a real browser: a result this version cannot
//! read is listed as unreadable with its reason and kept, never dropped and
//! never taken for "nothing to send".

use greenwatch_learn::store::{LearnStore, SCHEMA};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use web_shared::idb::Db;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_result_this_version_cannot_read_is_listed_with_its_reason_and_kept() {
    let name = format!("learn-unreadable-{}", js_sys::Math::random());
    // What an older or damaged version might have left: not a result.
    let db = Db::open_as(&name, &SCHEMA, SCHEMA.versions.len() as u32)
        .await
        .expect("open");
    db.put(
        greenwatch_learn::store::RESULTS,
        "0b7e1c5e-0000-4000-8000-000000000001",
        &JsValue::from_str("a result from another version"),
    )
    .await
    .expect("put");
    db.close();

    let store = LearnStore::open_named(&name).await.expect("open the store");
    for _ in 0..2 {
        let listing = store.results().await.expect("the listing reads");
        assert!(listing.results.is_empty());
        assert_eq!(listing.unreadable.len(), 1, "kept, and listed each time");
        let unreadable = &listing.unreadable[0];
        assert_eq!(
            unreadable.key.as_deref(),
            Some("0b7e1c5e-0000-4000-8000-000000000001")
        );
        assert!(!unreadable.error.is_empty(), "the reason is given");
    }
    store.close();
}

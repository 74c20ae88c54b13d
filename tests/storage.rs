//! The outbox in real IndexedDB, in headless Chromium, Firefox and WebKit.
#![cfg(target_arch = "wasm32")]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use greenwatch_app::outbox::{MediaChanges, Medium, Outbox, ReportRecord, CURRENT_VERSION};
use protocol::report::{
    Category, MediaId, PhotoMeta, ReportDraft, ReportId, ReportState, Sha256Hex, UnixMillis,
};
use protocol::sync::{Action, CaseNumber, IntakeStatus, Outcome, ReceiptSecret, SyncMachine};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_shared::time::now;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh database name per test, so tests never see each other's data.
fn db_name(test: &str) -> String {
    format!("greenwatch-test-{test}-{}", uuid::Uuid::new_v4())
}

fn medium_of(bytes: &[u8]) -> Medium {
    Medium::from_bytes("image/jpeg", bytes)
}

/// Writes a report with new media, as the form does.
async fn save_with_media(outbox: &Outbox, record: &ReportRecord, added: &[(MediaId, Medium)]) {
    outbox
        .save(
            record,
            MediaChanges {
                added,
                ..Default::default()
            },
        )
        .await
        .expect("save");
}

/// Every byte value, many times: a round trip that changes any byte shows.
fn sample_bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 + i / 256) as u8).collect()
}

fn draft_with_photo(len: usize) -> (ReportDraft, MediaId) {
    let id = MediaId::from_uuid(uuid::Uuid::new_v4());
    let mut draft = ReportDraft::new(ReportId::from_uuid(uuid::Uuid::new_v4()), now());
    draft.description = "河面漂着油污".into();
    draft.photos.push(PhotoMeta {
        id,
        width: 1600,
        height: 1200,
        bytes: len as u64,
        sha256: Sha256Hex::parse(&"ab".repeat(32)).expect("hash"),
    });
    (draft, id)
}

#[wasm_bindgen_test]
async fn a_media_round_trip_is_byte_identical() {
    let outbox_name = db_name("roundtrip");
    let outbox = Outbox::open_named(&outbox_name).await.expect("open");
    let bytes = sample_bytes(300 * 1024);
    let (draft, media_id) = draft_with_photo(bytes.len());
    let record = ReportRecord::new_draft(draft.clone());
    let added = [(media_id, medium_of(&bytes))];
    save_with_media(&outbox, &record, &added).await;

    let stored = outbox
        .media(media_id)
        .await
        .expect("read")
        .expect("the medium");
    assert_eq!(stored.len() as usize, bytes.len());
    assert_eq!(stored.mime(), "image/jpeg");
    assert_eq!(stored.to_vec(), bytes);
    // Stored as bytes with their type, not as a Blob (which WebKit's
    // private sessions refuse).
    let raw = get_raw(&outbox_name, "media", &media_id.to_string()).await;
    assert!(!raw.is_instance_of::<web_sys::Blob>());
    let raw_bytes = js_sys::Reflect::get(&raw, &"bytes".into()).expect("bytes");
    assert!(raw_bytes.is_instance_of::<js_sys::ArrayBuffer>());
    assert_eq!(
        js_sys::Reflect::get(&raw, &"type".into())
            .expect("type")
            .as_string()
            .as_deref(),
        Some("image/jpeg")
    );
    // A Blob made from them at read time (an upload body) holds the same bytes.
    let blob = stored.to_blob().expect("blob");
    assert_eq!(blob.type_(), "image/jpeg");
    assert_eq!(bytes_of_blob(&blob).await, bytes);
    let back = outbox
        .get(draft.id)
        .await
        .expect("read")
        .expect("the report");
    assert_eq!(back.draft, draft);
    assert_eq!(back.state, ReportState::Draft);
    outbox.close();
}

#[wasm_bindgen_test]
async fn a_database_written_by_the_previous_schema_is_migrated_with_its_data() {
    let name = db_name("migration");
    let bytes = sample_bytes(10_000);
    let (draft, media_id) = draft_with_photo(bytes.len());

    // Version 1 of the schema, as the previous app wrote it.
    let v1 = Outbox::open_at_version(&name, 1).await.expect("open v1");
    assert_eq!(v1.version(), 1);
    save_with_media(&v1, &ReportRecord::new_draft(draft.clone()), &[]).await;
    v1.close();
    // Versions 1 to 3 kept each medium as a Blob.
    put_raw_blob(&name, "media", &media_id.to_string(), &bytes).await;

    // The current app opens it: the migrations run and nothing is lost.
    let current = Outbox::open_named(&name).await.expect("open current");
    assert_eq!(current.version(), CURRENT_VERSION);
    let back = current
        .get(draft.id)
        .await
        .expect("read")
        .expect("the v1 report");
    assert_eq!(back.draft, draft);
    let medium = current
        .media(media_id)
        .await
        .expect("read")
        .expect("the v1 medium");
    assert_eq!(medium.to_vec(), bytes);
    // The store added in v2 is there and empty for old reports.
    assert!(current
        .thumbnail(draft.id)
        .await
        .expect("v2 store")
        .is_none());
    let listing = current.list().await.expect("list");
    assert_eq!(listing.reports.len(), 1);
    // The stores added in v3 are there and empty for old reports.
    assert!(current.receipt(draft.id).await.expect("v3 store").is_none());
    assert!(current.case(draft.id).await.expect("v3 store").is_none());
    assert_eq!(
        current.sync_machine().await.expect("v3 store"),
        SyncMachine::new()
    );
    current.close();
}

fn secret(byte: u8) -> ReceiptSecret {
    ReceiptSecret::from_bytes([byte; ReceiptSecret::BYTES])
}

/// A draft that passes every rule, with one photo.
fn valid_draft_with_photo(len: usize) -> (ReportDraft, MediaId) {
    let (mut draft, media_id) = draft_with_photo(len);
    draft.category = Some(Category::Noise);
    draft.address = "北门广场".into();
    draft.photos[0].sha256 = Sha256Hex::of(&sample_bytes(len));
    (draft, media_id)
}

#[wasm_bindgen_test]
async fn queueing_keeps_one_receipt_and_always_starts_a_new_generation() {
    let outbox = Outbox::open_named(&db_name("queue")).await.expect("open");
    let (draft, media_id) = valid_draft_with_photo(1000);
    let added = [(media_id, medium_of(&sample_bytes(1000)))];
    save_with_media(&outbox, &ReportRecord::new_draft(draft.clone()), &added).await;
    let valid = draft.validate(now()).expect("valid");
    let at = now();
    outbox.queue(&valid, at, &secret(1)).await.expect("queue");
    let queued = outbox.get(draft.id).await.expect("read").expect("report");
    assert_eq!(queued.state, ReportState::Queued);
    assert_eq!(queued.queued_at, Some(at));
    assert_eq!(
        outbox.receipt(draft.id).await.expect("read"),
        Some(secret(1))
    );

    // The sync machine learns of it; the server refuses it; the person edits
    // it (a draft again) and queues it at the very same clock reading.
    let mut machine = SyncMachine::new();
    machine.queue(draft.id.into(), at);
    outbox
        .record_sync(&machine, &[draft.id])
        .await
        .expect("record");
    save_with_media(&outbox, &ReportRecord::new_draft(draft.clone()), &[]).await;
    outbox
        .queue(&valid, at, &secret(2))
        .await
        .expect("queue again");
    let again = outbox.get(draft.id).await.expect("read").expect("report");
    assert_eq!(
        again.queued_at,
        Some(UnixMillis(at.0 + 1)),
        "a new generation"
    );
    assert_eq!(
        outbox.receipt(draft.id).await.expect("read"),
        Some(secret(1)),
        "the receipt the server may hold the hash of never changes"
    );
    outbox.close();
}

#[wasm_bindgen_test]
async fn a_sent_report_loses_its_media_blobs_but_keeps_record_and_thumbnail() {
    let outbox = Outbox::open_named(&db_name("sent")).await.expect("open");
    let (draft, media_id) = valid_draft_with_photo(2000);
    let record = ReportRecord::new_draft(draft.clone());
    let thumbnail = medium_of(&sample_bytes(100));
    outbox
        .save(
            &record,
            MediaChanges {
                added: &[(media_id, medium_of(&sample_bytes(2000)))],
                thumbnail: Some(&thumbnail),
                ..Default::default()
            },
        )
        .await
        .expect("save");
    let valid = draft.validate(now()).expect("valid");
    let at = now();
    outbox.queue(&valid, at, &secret(3)).await.expect("queue");

    // Still sending: the media stay.
    let case_number = CaseNumber::new(2026, 7).expect("case");
    let mut machine = SyncMachine::new();
    machine.queue(draft.id.into(), at);
    let create = Action::Create(draft.id.into());
    machine.on_outcome(
        &create,
        Outcome::Intake(IntakeStatus::new(case_number, [0])),
        now(),
        0.5,
    );
    outbox
        .record_sync(&machine, &[draft.id])
        .await
        .expect("record");
    let sending = outbox.get(draft.id).await.expect("read").expect("report");
    assert_eq!(sending.state, ReportState::Sending);
    assert!(outbox.media(media_id).await.expect("read").is_some());

    // Complete: state, media freed, thumbnail kept, all in one write.
    let upload = Action::UploadMedium(draft.id.into(), 0);
    machine.on_outcome(
        &upload,
        Outcome::Intake(IntakeStatus::new(case_number, [])),
        now(),
        0.5,
    );
    outbox
        .record_sync(&machine, &[draft.id])
        .await
        .expect("record");
    let sent = outbox.get(draft.id).await.expect("read").expect("report");
    assert_eq!(sent.state, ReportState::Sent);
    assert!(sent.media_freed);
    assert_eq!(sent.draft, draft, "the report itself stays readable");
    assert!(outbox.media(media_id).await.expect("read").is_none());
    assert!(outbox.thumbnail(draft.id).await.expect("read").is_some());
    // (What it knew of the link is not stored: a started app checks first.)
    assert_eq!(
        outbox.sync_machine().await.expect("read").items(),
        machine.items()
    );

    // The case's timeline is kept as the server's JSON and read back.
    let json = r#"{"case_number":"GW-2026-000007","events":[{"at":1,"kind":"received"},{"at":2,"kind":"resolved","reply":"已处理"}]}"#;
    assert!(outbox.save_case(draft.id, json).await.expect("save case"));
    assert!(
        !outbox.save_case(draft.id, json).await.expect("save case"),
        "the same timeline again is no change"
    );
    let timeline = outbox
        .case(draft.id)
        .await
        .expect("read")
        .expect("timeline");
    assert_eq!(timeline.case_number(), case_number);
    assert_eq!(timeline.events().len(), 2);

    // Deleting the report takes its receipt and case along.
    outbox.delete(draft.id).await.expect("delete");
    assert!(outbox.receipt(draft.id).await.expect("read").is_none());
    assert!(outbox.case(draft.id).await.expect("read").is_none());
    outbox.close();
}

#[wasm_bindgen_test]
async fn an_interrupted_write_leaves_no_partial_report() {
    let name = db_name("interrupted");
    let outbox = Outbox::open_named(&name).await.expect("open");
    let (mut draft, first) = draft_with_photo(1000);
    let second = MediaId::from_uuid(uuid::Uuid::new_v4());
    draft.photos.push(PhotoMeta {
        id: second,
        ..draft.photos[0].clone()
    });
    let record = ReportRecord::new_draft(draft.clone());
    let added = [
        (first, medium_of(&sample_bytes(1000))),
        (second, medium_of(&sample_bytes(1000))),
    ];

    {
        // Start the write, let it issue its first request, then drop it,
        // as when the tab is closed in the middle of saving.
        let mut save = pin!(outbox.save(
            &record,
            MediaChanges {
                added: &added,
                ..Default::default()
            }
        ));
        let mut context = Context::from_waker(Waker::noop());
        assert!(matches!(save.as_mut().poll(&mut context), Poll::Pending));
    }
    // Let the browser settle the abandoned transaction.
    sleep_ms(50).await;

    assert!(
        outbox.get(draft.id).await.expect("read").is_none(),
        "no report"
    );
    assert!(
        outbox.media(first).await.expect("read").is_none(),
        "no first medium"
    );
    assert!(
        outbox.media(second).await.expect("read").is_none(),
        "no second medium"
    );

    // The same write, completed, stores everything.
    save_with_media(&outbox, &record, &added).await;
    assert!(outbox.get(draft.id).await.expect("read").is_some());
    assert!(outbox.media(second).await.expect("read").is_some());
    outbox.close();
}

#[wasm_bindgen_test]
async fn deleting_one_report_removes_its_media_and_nothing_else() {
    let outbox = Outbox::open_named(&db_name("delete")).await.expect("open");
    let (keep, keep_media) = draft_with_photo(100);
    let (gone, gone_media) = draft_with_photo(100);
    for (draft, media) in [(&keep, keep_media), (&gone, gone_media)] {
        let added = [(media, medium_of(&sample_bytes(100)))];
        save_with_media(&outbox, &ReportRecord::new_draft(draft.clone()), &added).await;
    }
    outbox.delete(gone.id).await.expect("delete");
    assert!(outbox.get(gone.id).await.expect("read").is_none());
    assert!(outbox.media(gone_media).await.expect("read").is_none());
    assert!(outbox.get(keep.id).await.expect("read").is_some());
    assert!(outbox.media(keep_media).await.expect("read").is_some());
    outbox.close();
}

#[wasm_bindgen_test]
async fn a_record_this_version_cannot_read_is_reported_and_kept() {
    let name = db_name("unreadable");
    let outbox = Outbox::open_named(&name).await.expect("open");
    let (draft, _) = draft_with_photo(10);
    outbox
        .save(
            &ReportRecord::new_draft(draft.clone()),
            MediaChanges::default(),
        )
        .await
        .expect("save");
    outbox.close();

    // A record from some other version, with a state this one does not know.
    put_raw(
        &name,
        "reports",
        r#"{"id":"not-a-report","state":"teleported","draft":{}}"#,
    )
    .await;

    let outbox = Outbox::open_named(&name).await.expect("reopen");
    let listing = outbox.list().await.expect("list");
    assert_eq!(listing.reports.len(), 1);
    assert_eq!(listing.unreadable.len(), 1);
    assert_eq!(listing.unreadable[0].key.as_deref(), Some("not-a-report"));
    // Listing again finds it again: it was not dropped.
    assert_eq!(outbox.list().await.expect("list").unreadable.len(), 1);
    outbox.close();
}

#[wasm_bindgen_test]
async fn a_report_written_by_v3_with_blobs_reads_whole_and_new_media_join_it() {
    let name = db_name("v3-blobs");
    let photo = sample_bytes(5_000);
    let clip = sample_bytes(700);
    let (mut draft, photo_id) = draft_with_photo(photo.len());
    let clip_id = MediaId::from_uuid(uuid::Uuid::new_v4());
    draft.voice_clips.push(protocol::report::VoiceClipMeta {
        id: clip_id,
        duration_ms: 2_000,
        bytes: clip.len() as u64,
        mime: protocol::report::AudioMime::WebmOpus,
        sha256: Sha256Hex::of(&clip),
    });

    // The v3 app: the record, each medium and the thumbnail as Blobs.
    let v3 = Outbox::open_at_version(&name, 3).await.expect("open v3");
    save_with_media(&v3, &ReportRecord::new_draft(draft.clone()), &[]).await;
    v3.close();
    put_raw_blob(&name, "media", &photo_id.to_string(), &photo).await;
    put_raw_blob(&name, "media", &clip_id.to_string(), &clip).await;
    put_raw_blob(&name, "thumbnails", &draft.id.to_string(), &photo[..100]).await;

    let current = Outbox::open_named(&name).await.expect("open current");
    assert_eq!(current.version(), CURRENT_VERSION);
    let stored = current
        .report_with_media(draft.id)
        .await
        .expect("read")
        .expect("the v3 report");
    assert_eq!(stored.record.draft, draft);
    let media: Vec<(MediaId, Vec<u8>)> = stored
        .media
        .iter()
        .map(|(id, medium)| (*id, medium.to_vec()))
        .collect();
    assert_eq!(
        media,
        vec![(photo_id, photo.clone()), (clip_id, clip.clone())]
    );
    assert_eq!(
        Sha256Hex::of(&media[1].1),
        draft.voice_clips[0].sha256,
        "the recorded SHA-256 still matches"
    );
    let thumbnail = current
        .thumbnail(draft.id)
        .await
        .expect("read")
        .expect("the v3 thumbnail");
    assert_eq!(thumbnail.to_vec(), &photo[..100]);

    // A photo added now (stored as bytes) sits beside the v3 Blobs.
    let added = MediaId::from_uuid(uuid::Uuid::new_v4());
    draft.photos.push(PhotoMeta {
        id: added,
        ..draft.photos[0].clone()
    });
    let third = sample_bytes(3_000);
    save_with_media(
        &current,
        &ReportRecord::new_draft(draft.clone()),
        &[(added, medium_of(&third))],
    )
    .await;
    let stored = current
        .report_with_media(draft.id)
        .await
        .expect("read")
        .expect("the report");
    let ids: Vec<MediaId> = stored.media.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, vec![photo_id, added, clip_id], "photos, then clips");
    assert_eq!(stored.media[1].1.to_vec(), third);

    // Deleting it takes both shapes along.
    current.delete(draft.id).await.expect("delete");
    assert!(current.media(photo_id).await.expect("read").is_none());
    assert!(current.media(added).await.expect("read").is_none());
    assert!(current.thumbnail(draft.id).await.expect("read").is_none());
    current.close();
}

async fn bytes_of_blob(blob: &web_sys::Blob) -> Vec<u8> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .expect("array buffer");
    js_sys::Uint8Array::new(&buffer).to_vec()
}

/// Puts a Blob of `bytes` under `key`, as versions 1 to 3 stored media.
/// An engine that refuses every Blob in IndexedDB (WebKit's ephemeral
/// sessions, where those versions could store no medium at all) gets the
/// v4 shape instead, so the rest of the test still runs there.
async fn put_raw_blob(db: &str, store: &str, key: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let script = js_sys::Function::new_with_args(
        "name, store, key, bytes",
        "const put = (value) => new Promise((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => {
                const db = open.result;
                const tx = db.transaction(store, 'readwrite');
                try {
                    tx.objectStore(store).put(value, key);
                } catch (error) {
                    db.close();
                    reject(error);
                    return;
                }
                tx.oncomplete = () => { db.close(); resolve(); };
                tx.onabort = () => { db.close(); reject(tx.error); };
            };
            open.onerror = () => reject(open.error);
        });
        return put(new Blob([bytes], { type: 'image/jpeg' }))
            .catch(() => put({ type: 'image/jpeg', bytes: bytes.slice().buffer }));",
    );
    let args = js_sys::Array::of4(&db.into(), &store.into(), &key.into(), &array);
    let promise: js_sys::Promise = script
        .apply(&wasm_bindgen::JsValue::NULL, &args)
        .expect("call")
        .unchecked_into();
    JsFuture::from(promise).await.expect("raw blob put");
}

/// The value under `key` in `store`, read with the raw IndexedDB API.
async fn get_raw(db: &str, store: &str, key: &str) -> wasm_bindgen::JsValue {
    let script = js_sys::Function::new_with_args(
        "name, store, key",
        "return new Promise((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => {
                const db = open.result;
                const request = db.transaction(store).objectStore(store).get(key);
                request.onsuccess = () => { db.close(); resolve(request.result); };
                request.onerror = () => reject(request.error);
            };
            open.onerror = () => reject(open.error);
        });",
    );
    let promise: js_sys::Promise = script
        .call3(
            &wasm_bindgen::JsValue::NULL,
            &db.into(),
            &store.into(),
            &key.into(),
        )
        .expect("call")
        .unchecked_into();
    JsFuture::from(promise).await.expect("raw get")
}

/// Writes a JSON value into a store with the raw IndexedDB API.
async fn put_raw(db: &str, store: &str, json: &str) {
    let value = js_sys::JSON::parse(json).expect("json");
    let script = js_sys::Function::new_with_args(
        "name, store, value",
        "return new Promise((resolve, reject) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => {
                const db = open.result;
                const tx = db.transaction(store, 'readwrite');
                tx.objectStore(store).put(value);
                tx.oncomplete = () => { db.close(); resolve(); };
                tx.onerror = () => reject(tx.error);
            };
            open.onerror = () => reject(open.error);
        });",
    );
    let promise: js_sys::Promise = script
        .call3(
            &wasm_bindgen::JsValue::NULL,
            &db.into(),
            &store.into(),
            &value,
        )
        .expect("call")
        .unchecked_into();
    JsFuture::from(promise).await.expect("raw put");
}

async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

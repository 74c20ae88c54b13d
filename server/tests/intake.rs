//! Report intake under `/api/v1` through the real Router and a real store:
//! create, media, cases, and every refusal as the JSON `ApiError`.

mod helpers;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenwatch_server::clock;
use greenwatch_server::store::{Backend, Store};
use helpers::{body_bytes, header, jpeg, json_body, webm, ReportFixture, TestApp};
use protocol::report::Field;
use protocol::sync::{case_path, CaseEventKind, CaseNumber, IntakeStatus, ReceiptSecret, Timeline};
use protocol::{ApiError, ErrorCode};

fn this_year() -> u16 {
    u16::try_from(clock::case_year(clock::now())).expect("a four-digit year")
}

async fn api_error(response: axum::http::Response<Body>, status: StatusCode) -> ApiError {
    assert_eq!(response.status(), status);
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert!(header(&response, "content-type").starts_with("application/json"));
    let error: ApiError = json_body(response).await;
    assert_eq!(error.code.status(), status.as_u16());
    assert!(!error.message.zh_cn.is_empty() && !error.message.en.is_empty());
    error
}

// ---------------------------------------------------------------- create

#[tokio::test]
async fn a_create_is_201_then_a_replay_is_200_with_the_same_case() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();

    let first = app.put_json(&report.path(), report.json()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    assert_eq!(header(&first, "cache-control"), "no-store");
    let first: IntakeStatus = json_body(first).await;
    assert_eq!(
        first.case_number(),
        CaseNumber::new(this_year(), 1).unwrap()
    );
    assert!(!first.is_complete());
    assert_eq!(first.missing(), [0, 1]);

    let again = app.put_json(&report.path(), report.json()).await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: IntakeStatus = json_body(again).await;
    assert_eq!(again, first);

    // The next report gets the year's next number.
    let other = ReportFixture::new();
    let second: IntakeStatus = json_body(app.put_json(&other.path(), other.json()).await).await;
    assert_eq!(
        second.case_number(),
        CaseNumber::new(this_year(), 2).unwrap()
    );
}

#[tokio::test]
async fn different_content_under_the_same_id_is_409() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let created = app.put_json(&report.path(), report.json()).await;
    assert_eq!(created.status(), StatusCode::CREATED);

    let edited = report.json_edited(|j| j["description"] = "小河发黑发臭，有很多死鱼。".into());
    let error = api_error(
        app.put_json(&report.path(), edited).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error.code, ErrorCode::Conflict);

    // Another receipt is other content too.
    let other_receipt = report.json_edited(|j| {
        j["receipt_hash"] = ReceiptSecret::from_bytes([1; 32]).hash().as_str().into()
    });
    let error = api_error(
        app.put_json(&report.path(), other_receipt).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error.code, ErrorCode::Conflict);

    // The original is still the one held.
    let replay = app.put_json(&report.path(), report.json()).await;
    assert_eq!(replay.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_create_breaking_the_rules_is_refused_and_spends_no_case_number() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();

    let future = report.json_edited(|j| j["seen_at"] = (clock::now().0 + 3_600_000).into());
    let error = api_error(
        app.put_json(&report.path(), future).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error.code, ErrorCode::Invalid);
    assert_eq!(error.fields.len(), 1);
    assert_eq!(error.fields[0].field, Field::SeenAt);

    let wav = report.json_edited(|j| j["media"][1]["mime"] = "audio/wav".into());
    let error = api_error(
        app.put_json(&report.path(), wav).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert_eq!(error.code, ErrorCode::UnsupportedMediaType);

    let huge = report.json_edited(|j| j["media"][0]["bytes"] = (5u64 * 1024 * 1024).into());
    let error = api_error(
        app.put_json(&report.path(), huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);

    // Nothing was stored: the real body is new and gets the first number.
    let created = app.put_json(&report.path(), report.json()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let status: IntakeStatus = json_body(created).await;
    assert_eq!(status.case_number().sequence(), 1);
}

#[tokio::test]
async fn malformed_json_is_a_json_422() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    for body in [
        "{not json".to_owned(),
        "{}".to_owned(),
        // Well-formed JSON, but a field breaks its type's rules.
        report.json_edited(|j| j["description"] = "短".into()),
        report.json_edited(|j| j["receipt_hash"] = "not a hash".into()),
    ] {
        let error = api_error(
            app.put_json(&report.path(), body.clone()).await,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
        assert_eq!(error.code, ErrorCode::Invalid, "{body}");
    }
    // Nothing was created.
    assert!(app.store.report(report.id).await.expect("read").is_none());
}

#[tokio::test]
async fn a_create_without_a_json_content_type_is_a_json_415() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let response = app
        .put_bytes(&report.path(), report.json().into_bytes())
        .await;
    let error = api_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    assert_eq!(error.code, ErrorCode::UnsupportedMediaType);
}

#[tokio::test]
async fn a_create_body_over_64_kib_is_a_json_413() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let big = report.json_edited(|j| j["padding"] = "x".repeat(70 * 1024).into());
    let error = api_error(
        app.put_json(&report.path(), big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn a_report_id_that_is_not_a_uuid_is_a_json_404() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let error = api_error(
        app.put_json("/api/v1/reports/not-a-uuid", report.json())
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(error.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn the_intake_routes_refuse_other_methods_as_json_405() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    for (method, path) in [
        ("GET", report.path()),
        ("POST", report.path()),
        ("GET", report.medium_path(0)),
        ("PUT", case_path(&CaseNumber::new(2026, 1).unwrap())),
    ] {
        let response = app
            .request(
                Request::builder()
                    .method(method)
                    .uri(&path)
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        let error = api_error(response, StatusCode::METHOD_NOT_ALLOWED).await;
        assert_eq!(error.code, ErrorCode::MethodNotAllowed, "{method} {path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_of_one_report_make_exactly_one_case() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let router = app.router.clone();
        let (path, json) = (report.path(), report.json());
        tasks.spawn(async move {
            use tower::ServiceExt;
            let response = router
                .oneshot(
                    Request::put(path)
                        .header("content-type", "application/json")
                        .body(Body::from(json))
                        .expect("request"),
                )
                .await
                .expect("infallible");
            let status = response.status();
            let bytes = body_bytes(response).await;
            assert!(
                status == StatusCode::CREATED || status == StatusCode::OK,
                "{status}: {}",
                String::from_utf8_lossy(&bytes)
            );
            let body: IntakeStatus = serde_json::from_slice(&bytes).expect("status");
            (status, body)
        });
    }
    let mut created = 0;
    let mut numbers = Vec::new();
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("task");
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::OK => {}
            other => panic!("unexpected {other}"),
        }
        numbers.push(body.case_number());
    }
    assert_eq!(created, 1, "exactly one create wins");
    assert_eq!(numbers.len(), 10);
    assert!(numbers.iter().all(|n| *n == numbers[0]), "{numbers:?}");
    assert_eq!(numbers[0].sequence(), 1);

    // No number was spent on the losers: the next report is the second.
    let other = ReportFixture::new();
    let second: IntakeStatus = json_body(app.put_json(&other.path(), other.json()).await).await;
    assert_eq!(second.case_number().sequence(), 2);
}

// ----------------------------------------------------------------- media

#[tokio::test]
async fn media_arrive_one_by_one_until_the_report_is_complete() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let created: IntakeStatus = json_body(app.put_json(&report.path(), report.json()).await).await;
    assert_eq!(created.missing(), [0, 1]);

    let response = app
        .put_bytes(&report.medium_path(1), report.media[1].clone())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let status: IntakeStatus = json_body(response).await;
    assert_eq!(status.missing(), [0]);
    assert!(!status.is_complete());
    assert!(!app.store.report(report.id).await.unwrap().unwrap().complete);

    let response = app
        .put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let status: IntakeStatus = json_body(response).await;
    assert!(status.missing().is_empty());
    assert!(status.is_complete());
    assert_eq!(status.case_number(), created.case_number());
    assert!(app.store.report(report.id).await.unwrap().unwrap().complete);

    // A replayed create now says complete too.
    let replay: IntakeStatus = json_body(app.put_json(&report.path(), report.json()).await).await;
    assert_eq!(replay, status);

    // The files hold exactly the bytes the phone declared.
    for (index, bytes) in report.media.iter().enumerate() {
        let stored = app
            .store
            .medium_bytes(report.id, index as u8)
            .await
            .expect("media store")
            .expect("stored medium");
        assert_eq!(&stored[..], &bytes[..]);
    }
}

#[tokio::test]
async fn the_same_medium_again_is_200_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    app.put_json(&report.path(), report.json()).await;
    let first = app
        .put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    assert_eq!(first.status(), StatusCode::OK);
    let first: IntakeStatus = json_body(first).await;
    let again = app
        .put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    assert_eq!(again.status(), StatusCode::OK);
    let again: IntakeStatus = json_body(again).await;
    assert_eq!(again, first);
    assert_eq!(again.missing(), [1]);

    // Also once the report is complete.
    let done: IntakeStatus = json_body(
        app.put_bytes(&report.medium_path(1), report.media[1].clone())
            .await,
    )
    .await;
    assert!(done.is_complete());
    let after = app
        .put_bytes(&report.medium_path(1), report.media[1].clone())
        .await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_eq!(json_body::<IntakeStatus>(after).await, done);
    // The timeline still has one `received`.
    let timeline: Timeline = json_body(
        app.get_with_receipt(&case_path(&done.case_number()), Some(&report.receipt()))
            .await,
    )
    .await;
    assert_eq!(timeline.events().len(), 1);
}

#[tokio::test]
async fn a_medium_with_other_bytes_of_the_same_size_is_422() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    app.put_json(&report.path(), report.json()).await;
    let mut other = report.media[0].clone();
    *other.last_mut().unwrap() ^= 0xFF;
    let error = api_error(
        app.put_bytes(&report.medium_path(0), other).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error.code, ErrorCode::Invalid);
    assert_eq!(error.fields.len(), 1);
    assert_eq!(error.fields[0].field, Field::Photos);
    // Nothing was recorded.
    let held = app.store.report(report.id).await.unwrap().unwrap();
    assert!(!held.medium(0).unwrap().received);
}

#[tokio::test]
async fn a_medium_of_the_wrong_size_is_refused() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    app.put_json(&report.path(), report.json()).await;

    let shorter = report.media[1][..report.media[1].len() - 1].to_vec();
    let error = api_error(
        app.put_bytes(&report.medium_path(1), shorter).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error.fields[0].field, Field::VoiceClips);

    let mut longer = report.media[1].clone();
    longer.push(0);
    let error = api_error(
        app.put_bytes(&report.medium_path(1), longer).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);

    let empty = api_error(
        app.put_bytes(&report.medium_path(1), Vec::new()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(empty.code, ErrorCode::Invalid);
}

#[tokio::test]
async fn a_medium_whose_bytes_are_not_its_kind_is_415() {
    let app = TestApp::spawn().await;
    // Declared (and hashed) as they are, but a PNG is no JPEG and a WAV is
    // no recorder format.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(jpeg(500, 3));
    let mut wav = b"RIFF\0\0\0\0WAVE".to_vec();
    wav.extend(webm(500, 4));
    let report = ReportFixture::with_media(png.clone(), wav.clone());
    app.put_json(&report.path(), report.json()).await;
    for (index, bytes) in [(0, png), (1, wav)] {
        let error = api_error(
            app.put_bytes(&report.medium_path(index), bytes).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        )
        .await;
        assert_eq!(error.code, ErrorCode::UnsupportedMediaType);
    }
    let held = app.store.report(report.id).await.unwrap().unwrap();
    assert_eq!(held.status().missing(), [0, 1]);
}

#[tokio::test]
async fn mp4_and_ogg_voice_clips_are_accepted() {
    let app = TestApp::spawn().await;
    for head in [&b"\0\0\0\x20ftypM4A "[..], &b"OggS\0\x02"[..]] {
        let mut clip = head.to_vec();
        clip.extend(webm(400, 5));
        let report = ReportFixture::with_media(jpeg(300, 6), clip);
        let status = app.send_whole(&report).await;
        assert!(status.is_complete());
    }
}

#[tokio::test]
async fn a_medium_over_the_protocols_maximum_is_a_json_413() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    app.put_json(&report.path(), report.json()).await;
    let huge = jpeg(4 * 1024 * 1024 + 1, 7);
    let error = api_error(
        app.put_bytes(&report.medium_path(0), huge).await,
        StatusCode::PAYLOAD_TOO_LARGE,
    )
    .await;
    assert_eq!(error.code, ErrorCode::PayloadTooLarge);
}

#[tokio::test]
async fn a_medium_for_an_unknown_report_is_404_and_an_undeclared_index_422() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let error = api_error(
        app.put_bytes(&report.medium_path(0), report.media[0].clone())
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(error.code, ErrorCode::NotFound);

    app.put_json(&report.path(), report.json()).await;
    let error = api_error(
        app.put_bytes(&report.medium_path(2), report.media[0].clone())
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(error.code, ErrorCode::Invalid);
    // An index that is not a u8 names nothing.
    let path = report.medium_path(0).replace("/media/0", "/media/300");
    api_error(
        app.put_bytes(&path, report.media[0].clone()).await,
        StatusCode::NOT_FOUND,
    )
    .await;
}

// ----------------------------------------------------------------- cases

#[tokio::test]
async fn a_complete_case_shows_its_timeline_to_its_receipt() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let before = clock::now();
    let status = app.send_whole(&report).await;
    let response = app
        .get_with_receipt(&case_path(&status.case_number()), Some(&report.receipt()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let timeline: Timeline = json_body(response).await;
    assert_eq!(timeline.case_number(), status.case_number());
    assert_eq!(timeline.events().len(), 1);
    assert_eq!(timeline.last().kind, CaseEventKind::Received);
    assert!(timeline.received_at() >= before && timeline.received_at() <= clock::now());

    // Case numbers are read as people type them.
    let typed = status.case_number().to_string().to_lowercase();
    let response = app
        .get_with_receipt(&format!("/api/v1/cases/{typed}"), Some(&report.receipt()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_cases_and_wrong_receipts_get_the_same_404() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let status = app.send_whole(&report).await;
    let path = case_path(&status.case_number());
    let unknown = case_path(&CaseNumber::new(this_year(), 999).unwrap());
    let wrong = ReceiptSecret::from_bytes([9; 32]).to_base64url();
    let expected = body_bytes(
        app.get_with_receipt(&unknown, Some(&report.receipt()))
            .await,
    )
    .await;

    for (path, receipt) in [
        (path.as_str(), Some(wrong.as_str())),
        (path.as_str(), Some("not a receipt")),
        (path.as_str(), None),
        (unknown.as_str(), Some(wrong.as_str())),
        ("/api/v1/cases/GW-20-1", Some(report.receipt().as_str())),
    ] {
        let response = app.get_with_receipt(path, receipt).await;
        assert_eq!(
            response.status(),
            StatusCode::NOT_FOUND,
            "{path} {receipt:?}"
        );
        assert_eq!(header(&response, "cache-control"), "no-store");
        assert_eq!(body_bytes(response).await, expected, "{path} {receipt:?}");
    }
    let error: ApiError = serde_json::from_slice(&expected).expect("json");
    assert_eq!(error.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn an_incomplete_case_is_not_shown_yet() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let status: IntakeStatus = json_body(app.put_json(&report.path(), report.json()).await).await;
    let path = case_path(&status.case_number());
    let response = app.get_with_receipt(&path, Some(&report.receipt())).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    app.put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    app.put_bytes(&report.medium_path(1), report.media[1].clone())
        .await;
    let response = app.get_with_receipt(&path, Some(&report.receipt())).await;
    assert_eq!(response.status(), StatusCode::OK);
}

// ------------------------------------------------------------ durability

#[tokio::test]
async fn what_was_acknowledged_is_there_after_a_restart() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let status = app.send_whole(&report).await;
    app.store.close().await;

    // A new store over the same folder, as after a restart.
    let reopened = Store::open(&app.location).await.expect("reopen");
    let held = reopened.report(report.id).await.unwrap().expect("held");
    assert!(held.complete);
    assert_eq!(held.status(), status);
    let timeline = reopened
        .timeline(status.case_number(), &report.secret)
        .await
        .unwrap()
        .expect("timeline");
    assert_eq!(timeline.last().kind, CaseEventKind::Received);

    // SQLite only: the database is in WAL mode with synchronous=FULL.
    // (PostgreSQL's durability is its server's; `durability` is `None`.)
    match reopened.durability().await.expect("pragmas") {
        Some((journal, synchronous)) => {
            assert_eq!(reopened.backend(), Backend::Sqlite);
            assert_eq!(journal.to_lowercase(), "wal");
            assert_eq!(synchronous, 2, "FULL");
            assert!(app.data.path().join("greenwatch.db").is_file());
        }
        None => assert_eq!(reopened.backend(), Backend::Postgres),
    }
    reopened.close().await;
}

#[tokio::test]
async fn a_medium_that_cannot_be_written_is_a_503_and_not_recorded() {
    let app = TestApp::spawn().await;
    let Some(media) = app.store.media_root().map(ToOwned::to_owned) else {
        // Media in S3: tests/media_store.rs makes that store unreachable.
        return;
    };
    let report = ReportFixture::new();
    app.put_json(&report.path(), report.json()).await;
    // The media folder replaced by a file: every write under it fails.
    std::fs::remove_dir_all(&media).expect("remove media folder");
    std::fs::write(&media, b"in the way").expect("file in the way");

    let response = app
        .put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    // 503 with Retry-After: the phone's sync machine waits and retries.
    assert_eq!(helpers::header(&response, "retry-after"), "10");
    let error = api_error(response, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(error.code, ErrorCode::Unavailable);
    assert!(!error.message.en.contains("in the way"), "no detail leaks");
    assert!(error.fields.is_empty());
    // Never recorded as received without its bytes.
    let held = app.store.report(report.id).await.unwrap().unwrap();
    assert_eq!(held.status().missing(), [0, 1]);

    // Once the disk is back, the retry succeeds.
    std::fs::remove_file(&media).expect("remove the file");
    std::fs::create_dir(&media).expect("media folder back");
    let response = app
        .put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

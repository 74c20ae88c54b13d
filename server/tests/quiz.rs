//! The Learn routes through the real Router and a real store: the packs
//! (built in, `--quiz-dir`, `ETag`/304), result uploads (201, 200, 409,
//! 422 with fields) and the staff's participation figures.

mod helpers;

use std::path::Path;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use greenwatch_server::config::Config;
use greenwatch_server::quiz_packs::QuizDirError;
use greenwatch_server::startup::{Server, StartupError};
use helpers::{body_bytes, header, json_body, TestApp};
use protocol::quiz::{
    bundled, QuizPack, QuizPacksAnswer, QuizParticipation, QuizResultReceipt, QUIZ_PACKS_ROUTE,
    STAFF_QUIZ_PARTICIPATION_ROUTE,
};
use protocol::{ApiError, ErrorCode};
use serde_json::{json, Value};
use tempfile::TempDir;

const EVENT_A: &str = "0b8f8d7e-2c5a-4d3e-9a51-1f0e6c2b7a11";
const EVENT_B: &str = "5d2c1b0a-9e8f-4a7b-8c6d-2e1f0a9b8c7d";
const PASSWORD: &str = "operator password 12369";

fn now() -> i64 {
    greenwatch_server::clock::now().0
}

fn result_path(id: uuid::Uuid) -> String {
    protocol::quiz::quiz_result_path(id.into())
}

/// A valid solo result.
fn solo(correct: u8, total: u8, missed: &[&str]) -> Value {
    json!({
        "event": null,
        "pack": "mixed",
        "correct": correct,
        "total": total,
        "missed": missed,
        "finished_at": now() - 60_000,
        "mode": "solo"
    })
}

/// A valid result at event `id` named `name`.
fn at_event(id: &str, name: &str, correct: u8, total: u8, missed: &[&str]) -> Value {
    json!({
        "event": { "id": id, "name": name },
        "pack": "water-quality",
        "correct": correct,
        "total": total,
        "missed": missed,
        "finished_at": now() - 60_000,
        "mode": "event"
    })
}

async fn put(app: &TestApp, body: &Value) -> Response<Body> {
    app.put_json(&result_path(uuid::Uuid::new_v4()), body.to_string())
        .await
}

async fn get_packs(app: &TestApp, if_none_match: Option<&str>) -> Response<Body> {
    let mut request = Request::get(QUIZ_PACKS_ROUTE);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    app.request(request.body(Body::empty()).expect("request"))
        .await
}

async fn packs_of(response: Response<Body>) -> Vec<QuizPack> {
    assert_eq!(response.status(), StatusCode::OK);
    let body = String::from_utf8(body_bytes(response).await).expect("utf-8");
    let received = QuizPacksAnswer::parse(&body).expect("a packs answer");
    assert!(received.skipped.is_empty(), "{:?}", received.skipped);
    received.packs
}

/// `pack` as JSON with `edit` applied.
fn edited(pack: &QuizPack, edit: impl FnOnce(&mut Value)) -> Value {
    let mut value = serde_json::to_value(pack).expect("pack");
    edit(&mut value);
    value
}

fn write_pack(dir: &Path, file: &str, value: &Value) {
    std::fs::write(dir.join(file), value.to_string()).expect("write pack");
}

// ------------------------------------------------------------------ packs

#[tokio::test]
async fn the_packs_answer_is_every_bundled_pack_with_a_tag_to_revalidate() {
    let app = TestApp::spawn().await;
    let response = get_packs(&app, None).await;
    assert!(header(&response, "content-type").starts_with("application/json"));
    assert_eq!(header(&response, "cache-control"), "no-cache");
    let etag = header(&response, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(packs_of(response).await, bundled());

    // The same tag: 304, no body, the tag again.
    for tag in [
        etag.clone(),
        etag.trim_start_matches("W/").to_owned(),
        format!("\"x\", {etag}"),
    ] {
        let response = get_packs(&app, Some(&tag)).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{tag}");
        assert_eq!(header(&response, "etag"), etag);
        assert_eq!(header(&response, "cache-control"), "no-cache");
        assert!(body_bytes(response).await.is_empty());
    }
    // Another tag: the whole answer.
    let response = get_packs(&app, Some("W/\"0123\"")).await;
    assert_eq!(packs_of(response).await, bundled());
    // Every other /api/ answer stays no-store.
    let response = app.get("/api/health").await;
    assert_eq!(header(&response, "cache-control"), "no-store");
}

#[tokio::test]
async fn a_quiz_folder_adds_packs_and_replaces_only_with_a_higher_version() {
    let packs = bundled();
    let dir = TempDir::new().expect("quiz dir");
    let newer = edited(&packs[0], |v| {
        v["version"] = json!(packs[0].version() + 1);
        v["title"]["en"] = json!("Updated title");
    });
    write_pack(dir.path(), "newer.json", &newer);
    let same = edited(&packs[1], |v| {
        v["title"]["en"] = json!("Same version, ignored")
    });
    write_pack(dir.path(), "same.json", &same);
    let added = edited(&packs[2], |v| {
        v["id"] = json!("local-rivers");
        v["title"]["en"] = json!("Our rivers");
    });
    write_pack(dir.path(), "local-rivers.json", &added);
    std::fs::write(dir.path().join("notes.txt"), "not a pack").expect("note");

    let built_in_tag = header(&get_packs(&TestApp::spawn().await, None).await, "etag").to_owned();
    let folder = dir.path().to_owned();
    let app = TestApp::spawn_with(helpers::INDEX_HTML, |c| c.quiz_dir = Some(folder)).await;
    let response = get_packs(&app, None).await;
    assert_ne!(
        header(&response, "etag"),
        built_in_tag,
        "new content, new tag"
    );
    let served = packs_of(response).await;
    assert_eq!(served.len(), packs.len() + 1);
    assert_eq!(served[0].version(), packs[0].version() + 1);
    assert_eq!(served[0].title().en, "Updated title");
    assert_eq!(served[1], packs[1]);
    assert_eq!(&served[2..packs.len()], &packs[2..]);
    let last = served.last().expect("added");
    assert_eq!(last.id().as_str(), "local-rivers");
    assert_eq!(last.title().en, "Our rivers");
}

/// `Server::build` over a quiz folder made by `fill`.
async fn build_with_folder(fill: impl FnOnce(&Path)) -> (Result<Server, StartupError>, TempDir) {
    let dir = TempDir::new().expect("quiz dir");
    fill(dir.path());
    let data = TempDir::new().expect("data");
    let dist = TempDir::new().expect("dist");
    let mut config = Config::for_tests(data.path().join("data"), dist.path().to_owned());
    config.quiz_dir = Some(dir.path().to_owned());
    let built = Server::build(config).await;
    // The data folder is not even created when the packs are refused.
    if built.is_err() {
        assert!(!data.path().join("data").exists());
    }
    (built, dir)
}

#[tokio::test]
async fn an_invalid_quiz_folder_stops_the_server_naming_the_file_and_the_problem() {
    let good = serde_json::to_value(&bundled()[0]).expect("pack");

    let (built, _dir) = build_with_folder(|dir| {
        write_pack(dir, "a-good.json", &good);
        let mut bad = good.clone();
        bad["id"] = json!("broken");
        bad["questions"][0]["answer"] = json!([9]);
        write_pack(dir, "broken.json", &bad);
    })
    .await;
    let error = built.err().expect("refused");
    let message = error.to_string();
    assert!(
        matches!(&error, StartupError::Quiz(QuizDirError::Invalid { path, .. }) if path.ends_with("broken.json")),
        "{message}"
    );
    assert!(message.contains("broken.json"), "{message}");
    assert!(message.contains("out of range"), "{message}");

    let (built, _dir) = build_with_folder(|dir| {
        std::fs::write(dir.join("half.json"), "{\"id\": \"half\"").expect("write");
    })
    .await;
    let message = built.err().expect("refused").to_string();
    assert!(
        message.contains("half.json") && message.contains("not a quiz pack"),
        "{message}"
    );

    let (built, _dir) = build_with_folder(|dir| {
        write_pack(dir, "one.json", &good);
        write_pack(dir, "two.json", &good);
    })
    .await;
    let message = built.err().expect("refused").to_string();
    assert!(
        message.contains("one.json") && message.contains("two.json"),
        "{message}"
    );

    let (built, _dir) = build_with_folder(|dir| {
        let mut mixed = good.clone();
        mixed["id"] = json!("mixed");
        write_pack(dir, "mixed.json", &mixed);
    })
    .await;
    let message = built.err().expect("refused").to_string();
    assert!(message.contains("reserved"), "{message}");

    let data = TempDir::new().expect("data");
    let mut config = Config::for_tests(data.path().to_owned(), data.path().to_owned());
    config.quiz_dir = Some(data.path().join("no-such-folder"));
    let message = Server::build(config)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("no-such-folder"), "{message}");
}

#[tokio::test]
async fn the_real_server_serves_the_folder_it_was_started_with() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let newer = edited(&bundled()[3], |v| v["version"] = json!(99));
    let (built, _dir) = build_with_folder(|dir| write_pack(dir, "newer.json", &newer)).await;
    let server = built.expect("a valid folder starts");
    let addr = server.local_addr();
    let running = tokio::spawn(server.run_until_stopped());
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(
            format!(
                "GET {QUIZ_PACKS_ROUTE} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .expect("request");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("answer");
    running.abort();
    let answer = String::from_utf8(answer).expect("utf-8");
    let (head, body) = answer.split_once("\r\n\r\n").expect("head and body");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let received = QuizPacksAnswer::parse(body).expect("packs");
    assert_eq!(received.packs[3].version(), 99);
    assert_eq!(received.packs.len(), bundled().len());
}

// ---------------------------------------------------------------- results

#[tokio::test]
async fn a_result_is_stored_once_and_repeats_get_the_same_receipt() {
    let app = TestApp::spawn().await;
    let id = uuid::Uuid::new_v4();
    let body = at_event(EVENT_A, "世界环境日·西湖社区", 7, 10, &["wq-01", "wq-04"]);
    let before = now();
    let response = app.put_json(&result_path(id), body.to_string()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let first: QuizResultReceipt = json_body(response).await;
    assert_eq!(first.result_id.to_string(), id.to_string());
    assert!(first.received_at.0 >= before && first.received_at.0 <= now());

    // The same content again, even re-serialised with its fields in
    // another order: 200 and the very same receipt.
    let mut fields: Vec<(String, Value)> = body
        .as_object()
        .expect("object")
        .clone()
        .into_iter()
        .collect();
    fields.reverse();
    let reordered = format!(
        "{{{}}}",
        fields
            .iter()
            .map(|(k, v)| format!("{}:{v}", Value::from(k.as_str())))
            .collect::<Vec<_>>()
            .join(",")
    );
    for again in [body.to_string(), reordered] {
        let response = app.put_json(&result_path(id), again).await;
        assert_eq!(response.status(), StatusCode::OK);
        let receipt: QuizResultReceipt = json_body(response).await;
        assert_eq!(receipt, first);
    }

    // Other content under the same id: 409, and the stored result is kept.
    let mut other = body.clone();
    other["correct"] = json!(8);
    other["missed"] = json!(["wq-01"]);
    let response = app.put_json(&result_path(id), other.to_string()).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let error: ApiError = json_body(response).await;
    assert_eq!(error.code, ErrorCode::Conflict);
    let stored = app.store.quiz_results().await.expect("results");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].correct(), 7);
    assert_eq!(
        stored[0].event().expect("event").name.as_str(),
        "世界环境日·西湖社区"
    );
}

#[tokio::test]
async fn every_broken_rule_is_a_422_naming_its_field() {
    let app = TestApp::spawn().await;
    let base = at_event(EVENT_A, "Class 3-2", 7, 10, &["wq-01", "wq-04", "wq-09"]);
    let cases: Vec<(&str, Value)> = vec![
        (
            "event.id",
            json!({ "event": { "id": "class-3-2", "name": "Class 3-2" } }),
        ),
        (
            "event.name",
            json!({ "event": { "id": EVENT_A, "name": "   " } }),
        ),
        (
            "event.name",
            json!({ "event": { "id": EVENT_A, "name": "环".repeat(81) } }),
        ),
        (
            "event.name",
            json!({ "event": { "id": EVENT_A, "name": "Class\n3-2" } }),
        ),
        ("pack", json!({ "pack": "Water Quality" })),
        ("correct", json!({ "correct": 11, "missed": [] })),
        ("total", json!({ "total": 0, "correct": 0, "missed": [] })),
        ("total", json!({ "total": 51 })),
        ("missed", json!({ "missed": ["wq-01", "WQ 04"] })),
        ("missed", json!({ "missed": ["wq-01", "wq-01"] })),
        ("missed", json!({ "missed": ["a", "b", "c", "d"] })),
        ("finished_at", json!({ "finished_at": now() + 10 * 60_000 })),
        ("finished_at", json!({ "finished_at": 0 })),
        ("mode", json!({ "mode": "solo" })),
        ("mode", json!({ "event": null })),
    ];
    for (path, change) in cases {
        let mut body = base.clone();
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let response = put(&app, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {body}"
        );
        let raw: Value = json_body(response).await;
        assert_eq!(raw["code"], "invalid", "{path}");
        let fields = raw["fields"].as_array().expect("fields");
        assert_eq!(fields.len(), 1, "{path}: {raw}");
        assert_eq!(fields[0]["field"], path, "{raw}");
        assert!(fields[0]["message"]["zh-CN"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
        assert_eq!(
            raw["message"], fields[0]["message"],
            "one field: its message"
        );
        // The app reads it with the one ApiError.
        let error: ApiError = serde_json::from_value(raw).expect("an ApiError");
        assert_eq!(error.fields.len(), 1);
    }
    // Several at once: each named, in order.
    let mut body = base.clone();
    body["pack"] = json!("");
    body["mode"] = json!("solo");
    let raw: Value = json_body(put(&app, &body).await).await;
    let paths: Vec<&str> = raw["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("path"))
        .collect();
    assert_eq!(paths, ["pack", "mode"]);
    assert!(app.store.quiz_results().await.expect("results").is_empty());
}

#[tokio::test]
async fn an_unreadable_body_is_a_422_without_fields_like_the_report_route() {
    let app = TestApp::spawn().await;
    let base = solo(9, 10, &["wq-02"]);
    let mut nickname = base.clone();
    nickname["nickname"] = json!("小明");
    let mut school = at_event(EVENT_A, "A", 9, 10, &[]);
    school["event"]["school"] = json!("第一小学");
    let mut too_big = base.clone();
    too_big["correct"] = json!(300);
    let mut missing = base.clone();
    missing.as_object_mut().expect("object").remove("mode");
    for body in [nickname, school, too_big, missing] {
        let response = put(&app, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        let error: ApiError = json_body(response).await;
        assert_eq!(error.code, ErrorCode::Invalid);
        assert!(error.fields.is_empty());
    }
    let response = app
        .put_json(&result_path(uuid::Uuid::new_v4()), "{\"event\":")
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = app
        .put_json("/api/v1/quiz/results/not-a-uuid", base.to_string())
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let mut huge = base.clone();
    huge["missed"] = json!(["q".repeat(20_000)]);
    let response = put(&app, &huge).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(app.store.quiz_results().await.expect("results").is_empty());
}

// ---------------------------------------------------------- participation

async fn participation(app: &TestApp, cookie: Option<&str>) -> Response<Body> {
    let mut request = Request::get(STAFF_QUIZ_PARTICIPATION_ROUTE);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    app.request(request.body(Body::empty()).expect("request"))
        .await
}

#[tokio::test]
async fn staff_see_participation_by_event_and_the_solo_results() {
    let app = TestApp::spawn().await;
    let uploads = [
        at_event(EVENT_A, "世界环境日·西湖社区", 10, 10, &[]),
        at_event(
            EVENT_A,
            "世界环境日·西湖社区",
            5,
            10,
            &["wq-01", "wq-02", "wq-03"],
        ),
        at_event(EVENT_A, "世界环境日·西湖社区", 6, 10, &["wq-01", "wq-02"]),
        at_event(EVENT_B, "Class 3-2", 1, 4, &["no-01", "no-02", "no-03"]),
        at_event(EVENT_B, "Class 3-2", 2, 4, &["no-01", "no-02"]),
        solo(8, 10, &["wq-01"]),
        solo(9, 10, &[]),
        solo(3, 10, &[]),
    ];
    for body in &uploads {
        assert_eq!(put(&app, body).await.status(), StatusCode::CREATED);
    }
    // A repeat counts once.
    let id = uuid::Uuid::new_v4();
    for _ in 0..2 {
        app.put_json(&result_path(id), uploads[7].to_string()).await;
    }

    let response = participation(&app, None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let cookie = app.operator_cookie(PASSWORD).await;
    let response = participation(&app, Some(&cookie)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let summary: QuizParticipation = json_body(response).await;
    assert_eq!(summary.total_participants, 9);
    assert_eq!(summary.solo_results, 4);
    assert_eq!(summary.events.len(), 2);
    let a = summary
        .events
        .iter()
        .find(|e| e.event_id.to_string() == EVENT_A)
        .expect("event A");
    assert_eq!(a.name.as_str(), "世界环境日·西湖社区");
    assert_eq!(a.participants, 3);
    assert_eq!(a.average_percent, 70); // (100 + 50 + 60) / 3
    assert!(a.first_at <= a.last_at);
    let missed: Vec<(String, u32)> = a
        .most_missed
        .iter()
        .map(|(id, n)| (id.to_string(), *n))
        .collect();
    assert_eq!(
        missed,
        [
            ("wq-01".into(), 2),
            ("wq-02".into(), 2),
            ("wq-03".into(), 1)
        ]
    );
    let b = summary
        .events
        .iter()
        .find(|e| e.event_id.to_string() == EVENT_B)
        .expect("event B");
    assert_eq!(b.participants, 2);
    assert_eq!(b.average_percent, 38); // (25 + 50) / 2 = 37.5
    assert_eq!(b.most_missed[0].0.as_str(), "no-01");
    assert_eq!(b.most_missed[0].1, 2);
}

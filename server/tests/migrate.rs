//! `greenwatch-server migrate` (`Store::copy_into`): a SQLite installation
//! with cases in every state, staff accounts, the audit log, rewards, quiz
//! results, Open311 keys, supports with their media (one moved by a merge,
//! one still waiting for a medium) and public summaries moves into an empty
//! target (PostgreSQL when
//! `GREENWATCH_TEST_POSTGRES_URL` is set, media in S3 when
//! `GREENWATCH_TEST_S3_URL` is; else another SQLite file and folder), the
//! server on the target answers what the source answered, a second run is
//! refused, and an interrupted run can be run again.

mod helpers;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use greenwatch_server::config::Config;
use greenwatch_server::open311_cli::add_key;
use greenwatch_server::staff_cli::add_staff_user;
use greenwatch_server::startup::app;
use greenwatch_server::state::AppState;
use greenwatch_server::store::{CopyError, Store, StoreLocation, TABLES};
use helpers::database::{test_media_url, TestDatabase};
use helpers::{body_bytes, ReportFixture, SupportFixture, TestApp, INDEX_HTML};
use protocol::staff::{self, AuditQuery, Role};
use protocol::sync::{CaseNumber, IntakeStatus};
use serde_json::{json, Value};
use tempfile::TempDir;
use tower::ServiceExt;

const ADMIN_PASSWORD: &str = "admin password 12369";

#[tokio::test]
async fn the_copied_tables_are_every_table_the_migrations_create() {
    let app = TestApp::spawn().await;
    let tables = app.store.table_names().await.expect("tables");
    let listed: BTreeSet<String> = TABLES.iter().map(|t| (*t).to_owned()).collect();
    assert_eq!(
        tables, listed,
        "store/copy.rs TABLES must name every table, in foreign-key order"
    );
}

async fn send(
    router: &Router,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let request = match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    (status, body_bytes(response).await)
}

async fn login(router: &Router, username: &str, password: &str) -> String {
    let response = router
        .clone()
        .oneshot(
            Request::post("/api/v1/staff/login")
                .header("content-type", "application/json")
                .body(Body::from(
                    json!({"username": username, "password": password}).to_string(),
                ))
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK, "login {username}");
    helpers::header(&response, "set-cookie")
        .split(';')
        .next()
        .expect("cookie")
        .to_owned()
}

/// A complete case from `report`, and its number.
async fn case(app: &TestApp, report: &ReportFixture) -> String {
    let status: IntakeStatus = app.send_whole(report).await;
    status.case_number().to_string()
}

async fn act(app: &TestApp, cookie: &str, number: &str, tail: &str, body: Option<Value>) {
    let path = format!("/api/v1/staff/cases/{number}/{tail}");
    let (status, answer) = send(&app.router, "POST", &path, Some(cookie), body).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{tail}: {}",
        String::from_utf8_lossy(&answer)
    );
}

/// What the installation to move holds: the app, the reports sent with
/// their case numbers, the supports sent (the last one still waiting for a
/// medium) and the Open311 key.
struct County {
    app: TestApp,
    reports: Vec<(ReportFixture, String)>,
    supports: Vec<SupportFixture>,
    key: String,
}

/// The installation to move: SQLite and a media folder, with something in
/// every table.
async fn county_installation() -> County {
    let app = TestApp::spawn_at(
        INDEX_HTML,
        |_| {},
        |location| {
            location.database_url = None;
            location.media_url = None;
        },
    )
    .await;
    add_staff_user(&app.location, "admin", Role::Admin, ADMIN_PASSWORD)
        .await
        .expect("admin");
    let operator = app.operator_cookie("operator password 12369").await;
    let admin = login(&app.router, "admin", ADMIN_PASSWORD).await;
    let mut reports = Vec::new();
    for _ in 0..6 {
        let report = ReportFixture::new();
        let number = case(&app, &report).await;
        reports.push((report, number));
    }
    // received (0), accepted (1), on site (2), resolved with a paid reward
    // (3), rejected (4), a duplicate of 0 (5).
    let n = |i: usize| reports[i].1.clone();
    // Supports: one with media on the case that becomes a duplicate (the
    // merge moves it to 0 and makes 5's reporter a supporter there), one
    // bare on 1, and one still waiting for its second medium on 2.
    let number = |i: usize| reports[i].1.parse::<CaseNumber>().expect("case number");
    let mut supports = vec![
        SupportFixture::new(number(5)),
        SupportFixture::bare(number(1)),
    ];
    for support in &supports {
        app.send_support(support).await;
    }
    let waiting_support = SupportFixture::new(number(2));
    let response = app
        .put_json(&waiting_support.path(), waiting_support.json())
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .put_bytes(
            &waiting_support.medium_path(0),
            waiting_support.media[0].clone(),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    supports.push(waiting_support);
    // A public summary given on accepting, and one edited afterwards.
    let summary = json!({"public_summary": "东湖路河道发黑发臭"});
    act(&app, &operator, &n(1), "accept", Some(summary)).await;
    act(
        &app,
        &operator,
        &n(1),
        "public-summary",
        Some(json!({"public_summary": "东湖路河道有异味"})),
    )
    .await;
    act(&app, &operator, &n(2), "accept", None).await;
    act(&app, &operator, &n(2), "on-site", None).await;
    act(&app, &operator, &n(3), "accept", None).await;
    let reply = json!({"reply": "经现场核查，已责令整改。 The plant was ordered to stop."});
    act(&app, &operator, &n(3), "resolve", Some(reply)).await;
    act(
        &app,
        &operator,
        &n(3),
        "reward",
        Some(json!({"amount_fen": 5000})),
    )
    .await;
    act(&app, &admin, &n(3), "reward/approve", None).await;
    act(&app, &admin, &n(3), "reward/paid", None).await;
    act(
        &app,
        &operator,
        &n(4),
        "reject",
        Some(json!({"reason": "不属于环保部门职责。 Not ours."})),
    )
    .await;
    act(
        &app,
        &operator,
        &n(5),
        "duplicate",
        Some(json!({"of": n(0), "reason": "同一排口。 Same outlet."})),
    )
    .await;
    // A report still waiting for its second medium.
    let waiting = ReportFixture::new();
    let response = app.put_json(&waiting.path(), waiting.json()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .put_bytes(&waiting.medium_path(0), waiting.media[0].clone())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Quiz results, solo and at an event.
    for (id, body) in [
        (
            uuid::Uuid::new_v4(),
            json!({"event": null, "pack": "mixed", "correct": 7, "total": 10,
            "missed": ["wq-01"], "finished_at": greenwatch_server::clock::now().0 - 60_000, "mode": "solo"}),
        ),
        (
            uuid::Uuid::new_v4(),
            json!({"event": {"id": uuid::Uuid::new_v4().to_string(), "name": "Class 3"},
            "pack": "water-quality", "correct": 9, "total": 10, "missed": [],
            "finished_at": greenwatch_server::clock::now().0 - 60_000, "mode": "event"}),
        ),
    ] {
        let response = app
            .put_json(
                &protocol::quiz::quiz_result_path(id.into()),
                body.to_string(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // An Open311 key and a request filed with it.
    let key = add_key(&app.location, "city app").await.expect("key");
    let form = format!(
        "api_key={key}&service_code=air&lat=31.2304&long=121.4737&description=Black+smoke+every+night"
    );
    let response = app
        .request(
            Request::post("/open311/v2/requests.json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    County {
        app,
        reports,
        supports,
        key,
    }
}

/// An empty target: the test database (PostgreSQL or SQLite) in a new data
/// folder, the media in the test bucket or that folder.
async fn empty_target() -> (StoreLocation, TempDir, TestDatabase) {
    let data = TempDir::new().expect("target dir");
    let database = TestDatabase::create().await;
    let mut location = database.location(data.path());
    location.media_url = test_media_url();
    (location, data, database)
}

fn router_on(location: &StoreLocation, store: Store, dist: &std::path::Path) -> Router {
    let mut config = Config::for_tests(location.data_dir.clone(), dist.to_owned());
    config.database_url = location.database_url.clone();
    config.media_url = location.media_url.clone();
    app(AppState::new(config, store))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_installation_moves_and_the_server_on_the_target_answers_the_same() {
    let County {
        app: source,
        reports,
        supports,
        key,
    } = county_installation().await;
    let audit_before = source
        .store
        .audit_log(&AuditQuery::default())
        .await
        .expect("audit");
    let (target_location, _target_dir, _target_db) = empty_target().await;

    // An interrupted run (the process dies while copying the rows) leaves
    // the target's tables empty, and the next run completes.
    let interrupted = {
        let from = source.store.clone();
        let to = Store::open(&target_location).await.expect("target");
        tokio::spawn(async move {
            from.copy_into(&to, |step| {
                if step.starts_with("open311_keys") {
                    panic!("interrupted");
                }
            })
            .await
        })
        .await
    };
    assert!(interrupted.is_err(), "the first run was interrupted");
    let target = Store::open(&target_location).await.expect("target");
    let copied = source.store.copy_into(&target, |_| {}).await.expect("copy");
    assert_eq!(
        copied.media,
        2 * 6 + 1 + 2 + 1,
        "every received medium of reports and supports, checked"
    );
    assert_eq!(copied.rows.len(), TABLES.len());
    // A target that is not empty any more is refused.
    match source.store.copy_into(&target, |_| {}).await {
        Err(CopyError::TargetNotEmpty { table, rows }) => {
            assert_eq!(table, "reports");
            assert_eq!(rows, 8);
        }
        other => panic!("a second copy must be refused: {other:?}"),
    }

    // The server on the target.
    let served = router_on(&target_location, target.clone(), source.dist.path());
    assert_eq!(
        target
            .audit_log(&AuditQuery::default())
            .await
            .expect("audit"),
        audit_before
    );
    let admin_source = login(&source.router, "admin", ADMIN_PASSWORD).await;
    let admin_target = login(&served, "admin", ADMIN_PASSWORD).await;
    let mut paths = vec![
        "/api/v1/staff/cases".to_owned(),
        "/api/v1/staff/users".to_owned(),
        "/api/v1/staff/quiz/participation".to_owned(),
        "/open311/v2/requests.json".to_owned(),
    ];
    for (report, number) in &reports {
        paths.push(format!("/api/v1/staff/cases/{number}"));
        for index in 0..report.media.len() {
            paths.push(format!("/api/v1/staff/cases/{number}/media/{index}"));
        }
    }
    for index in 0..supports[0].media.len() {
        paths.push(staff::staff_support_medium_path(
            &supports[0].id,
            u8::try_from(index).expect("index"),
        ));
    }
    paths.push("/api/v1/staff/cases?sort=supporters".to_owned());
    paths.push("/api/v1/nearby?lat=30.513&long=114.387&category=water_river".to_owned());
    for path in &paths {
        let (status_source, body_source) =
            send(&source.router, "GET", path, Some(&admin_source), None).await;
        let (status_target, body_target) =
            send(&served, "GET", path, Some(&admin_target), None).await;
        assert_eq!(status_source, StatusCode::OK, "{path} on the source");
        assert_eq!(status_target, StatusCode::OK, "{path} on the target");
        assert_eq!(
            String::from_utf8_lossy(&body_target),
            String::from_utf8_lossy(&body_source),
            "{path}"
        );
    }
    // The citizen reads each case with its receipt, the reward included.
    for (report, number) in &reports {
        let path = format!("/api/v1/cases/{number}");
        let read = |router: Router| {
            let request = Request::get(&path)
                .header(protocol::sync::RECEIPT_HEADER, report.receipt())
                .body(Body::empty())
                .expect("request");
            async move {
                let response = router.oneshot(request).await.expect("infallible");
                (response.status(), body_bytes(response).await)
            }
        };
        let (a, body_a) = read(source.router.clone()).await;
        let (b, body_b) = read(served.clone()).await;
        assert_eq!((a, b), (StatusCode::OK, StatusCode::OK), "{path}");
        assert_eq!(body_a, body_b, "{path}");
    }
    // A supporter follows with their own receipt: the case they supported
    // and, for the one merged away, the original too.
    let followed = [
        (&supports[0], &reports[5].1),
        (&supports[0], &reports[0].1),
        (&supports[1], &reports[1].1),
    ];
    for (support, number) in followed {
        let path = format!("/api/v1/cases/{number}");
        let mut answers = Vec::new();
        for router in [source.router.clone(), served.clone()] {
            let request = Request::get(&path)
                .header(protocol::sync::RECEIPT_HEADER, support.receipt())
                .body(Body::empty())
                .expect("request");
            let response = router.oneshot(request).await.expect("infallible");
            answers.push((response.status(), body_bytes(response).await));
        }
        assert_eq!(answers[0].0, StatusCode::OK, "{path} for a supporter");
        assert_eq!(answers[0], answers[1], "{path} for a supporter");
    }
    // The support still waiting for a medium finishes on the target.
    let waiting = &supports[2];
    let response = served
        .clone()
        .oneshot(
            Request::put(waiting.medium_path(1))
                .header("content-type", "application/octet-stream")
                .body(Body::from(waiting.media[1].clone()))
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let status: IntakeStatus =
        serde_json::from_slice(&body_bytes(response).await).expect("an intake status");
    assert!(status.is_complete(), "the support completes on the target");
    // The Open311 key files on the target, and numbering goes on.
    let form = format!(
        "api_key={key}&service_code=noise&address_string=North+gate&description=Loud+all+night"
    );
    let response = served
        .clone()
        .oneshot(
            Request::post("/open311/v2/requests.json")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let filed: Value = serde_json::from_slice(&body_bytes(response).await).expect("json");
    let number = filed[0]["service_request_id"].as_str().expect("id");
    assert!(
        number.ends_with("-000009"),
        "the next case number: {number}"
    );
    // A staff action on the target writes new audit rows after the old.
    let number = &reports[0].1;
    let (status, _) = send(
        &served,
        "POST",
        &format!("/api/v1/staff/cases/{number}/accept"),
        Some(&admin_target),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Every medium is in the target's media store, once.
    assert_eq!(
        target.media_keys().await.expect("keys").len(),
        2 * 6 + 1 + 2 + 2
    );
}

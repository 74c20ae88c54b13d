//! Concurrent writers, through the real `Router` on a multi-threaded
//! runtime. SQLite runs its writers one at a time (`BEGIN IMMEDIATE`);
//! PostgreSQL at READ COMMITTED does not, so these run against both
//! (`GREENWATCH_TEST_POSTGRES_URL`, see `helpers/database.rs`): creates of
//! different reports never share a case number or leave a gap, creates of
//! one report id make one report, media of one report arriving together
//! complete it once, one case action wins over the same one sent twice,
//! one support id sent at once is one support, and a support arriving
//! while its case is merged ends up counted for the original.

mod helpers;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use greenwatch_server::staff_cli::add_staff_user;
use helpers::{body_bytes, header, ReportFixture, SupportFixture, TestApp};
use protocol::staff::Role;
use protocol::sync::{CaseEventKind, IntakeStatus};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// `method path` with `body` of `content_type` and an optional cookie: the
/// status and the body's bytes.
async fn send(
    router: Router,
    method: &str,
    path: String,
    content_type: &str,
    body: Vec<u8>,
    cookie: Option<String>,
) -> (StatusCode, Vec<u8>) {
    let mut request = Request::builder().method(method).uri(path);
    if !body.is_empty() {
        request = request.header("content-type", content_type);
    }
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = router
        .oneshot(request.body(Body::from(body)).expect("request"))
        .await
        .expect("infallible");
    let status = response.status();
    (status, body_bytes(response).await)
}

fn status_of(bytes: &[u8]) -> IntakeStatus {
    serde_json::from_slice(bytes).unwrap_or_else(|error| {
        panic!("{error}: {}", String::from_utf8_lossy(bytes));
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_creates_get_distinct_case_numbers_and_one_report_per_id() {
    let app = TestApp::spawn().await;
    let reports: Vec<ReportFixture> = (0..12).map(|_| ReportFixture::new()).collect();
    let mut tasks = JoinSet::new();
    // Each report's create sent three times at once, all reports at once.
    for (n, report) in reports.iter().enumerate() {
        for _ in 0..3 {
            let router = app.router.clone();
            let (path, json) = (report.path(), report.json().into_bytes());
            tasks.spawn(async move {
                let (status, bytes) =
                    send(router, "PUT", path, "application/json", json, None).await;
                (n, status, bytes)
            });
        }
    }
    let mut created = vec![0; reports.len()];
    let mut numbers = vec![BTreeSet::new(); reports.len()];
    while let Some(result) = tasks.join_next().await {
        let (n, status, bytes) = result.expect("task");
        match status {
            StatusCode::CREATED => created[n] += 1,
            StatusCode::OK => {}
            other => panic!("{other}: {}", String::from_utf8_lossy(&bytes)),
        }
        numbers[n].insert(status_of(&bytes).case_number());
    }
    assert!(
        created.iter().all(|&c| c == 1),
        "one create wins per id: {created:?}"
    );
    assert!(
        numbers.iter().all(|set| set.len() == 1),
        "every answer for a report names its one case: {numbers:?}"
    );
    let sequences: BTreeSet<u32> = numbers
        .iter()
        .flatten()
        .map(|number| number.sequence())
        .collect();
    let expected: BTreeSet<u32> = (1..=12).collect();
    assert_eq!(
        sequences, expected,
        "distinct numbers, none spent on a loser"
    );
    for report in &reports {
        let held = app.store.report(report.id).await.expect("read");
        assert!(held.is_some(), "{} is stored", report.id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn media_arriving_together_complete_the_report_once() {
    let app = TestApp::spawn().await;
    let reports: Vec<ReportFixture> = (0..6).map(|_| ReportFixture::new()).collect();
    for report in &reports {
        let (status, _) = send(
            app.router.clone(),
            "PUT",
            report.path(),
            "application/json",
            report.json().into_bytes(),
            None,
        )
        .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    // Every medium of every report, twice, all at once.
    let mut tasks = JoinSet::new();
    for report in &reports {
        for (index, bytes) in report.media.iter().enumerate() {
            for _ in 0..2 {
                let router = app.router.clone();
                let path = report.medium_path(index as u8);
                let bytes = bytes.clone();
                tasks.spawn(async move {
                    send(router, "PUT", path, "application/octet-stream", bytes, None).await
                });
            }
        }
    }
    while let Some(result) = tasks.join_next().await {
        let (status, bytes) = result.expect("task");
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    for report in &reports {
        let held = app
            .store
            .report(report.id)
            .await
            .expect("read")
            .expect("held");
        assert!(held.complete, "{} is complete", report.id);
        let timeline = app
            .store
            .timeline(held.case_number, &report.secret)
            .await
            .expect("read")
            .expect("a timeline");
        let received = timeline
            .events()
            .iter()
            .filter(|event| event.kind == CaseEventKind::Received)
            .count();
        assert_eq!(received, 1, "one `received` for {}", held.case_number);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_case_action_sent_at_once_applies_once() {
    let app = TestApp::spawn().await;
    let password = "a long staff password";
    add_staff_user(&app.location, "operator", Role::Operator, password)
        .await
        .expect("operator");
    let login = serde_json::json!({ "username": "operator", "password": password });
    let response = app
        .request(
            Request::post("/api/v1/staff/login")
                .header("content-type", "application/json")
                .body(Body::from(login.to_string()))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = header(&response, "set-cookie")
        .split(';')
        .next()
        .expect("a cookie")
        .to_owned();
    // Several cases, each accepted eight times at once.
    let mut cases = Vec::new();
    for _ in 0..4 {
        let report = ReportFixture::new();
        let number = app.send_whole(&report).await.case_number();
        cases.push((report, number));
    }
    let mut tasks = JoinSet::new();
    for (n, (_, number)) in cases.iter().enumerate() {
        for _ in 0..8 {
            let router = app.router.clone();
            let path = format!("/api/v1/staff/cases/{number}/accept");
            let cookie = cookie.clone();
            tasks.spawn(async move {
                let (status, bytes) =
                    send(router, "POST", path, "", Vec::new(), Some(cookie)).await;
                (n, status, bytes)
            });
        }
    }
    let mut applied = vec![0; cases.len()];
    while let Some(result) = tasks.join_next().await {
        let (n, status, bytes) = result.expect("task");
        match status {
            StatusCode::OK => applied[n] += 1,
            StatusCode::CONFLICT => {}
            other => panic!("{other}: {}", String::from_utf8_lossy(&bytes)),
        }
    }
    assert!(
        applied.iter().all(|&a| a == 1),
        "one accept wins per case, the others see it and get 409: {applied:?}"
    );
    for (report, number) in &cases {
        let timeline = app
            .store
            .timeline(*number, &report.secret)
            .await
            .expect("read")
            .expect("a timeline");
        let kinds: Vec<_> = timeline.events().iter().map(|event| &event.kind).collect();
        assert_eq!(kinds, [&CaseEventKind::Received, &CaseEventKind::Accepted]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_support_sent_at_once_is_stored_once_and_completed_once() {
    let app = TestApp::spawn().await;
    let number = app.send_whole(&ReportFixture::new()).await.case_number();
    let supports: Vec<SupportFixture> = (0..4).map(|_| SupportFixture::new(number)).collect();
    // Each create six times at once, every support at once.
    let mut tasks = JoinSet::new();
    for (n, support) in supports.iter().enumerate() {
        for _ in 0..6 {
            let router = app.router.clone();
            let (path, json) = (support.path(), support.json().into_bytes());
            tasks.spawn(async move {
                let (status, bytes) =
                    send(router, "PUT", path, "application/json", json, None).await;
                (n, status, bytes)
            });
        }
    }
    let mut created = vec![0; supports.len()];
    while let Some(result) = tasks.join_next().await {
        let (n, status, bytes) = result.expect("task");
        match status {
            StatusCode::CREATED => created[n] += 1,
            StatusCode::OK => {}
            other => panic!("{other}: {}", String::from_utf8_lossy(&bytes)),
        }
        assert_eq!(status_of(&bytes).case_number(), number);
    }
    assert!(
        created.iter().all(|&c| c == 1),
        "one create wins: {created:?}"
    );
    // Then every medium of every support twice at once.
    let mut tasks = JoinSet::new();
    for support in &supports {
        for (index, bytes) in support.media.iter().enumerate() {
            for _ in 0..2 {
                let router = app.router.clone();
                let path = support.medium_path(index as u8);
                let bytes = bytes.clone();
                tasks.spawn(async move {
                    send(router, "PUT", path, "application/octet-stream", bytes, None).await
                });
            }
        }
    }
    while let Some(result) = tasks.join_next().await {
        let (status, bytes) = result.expect("task");
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&bytes)
        );
    }
    for support in &supports {
        let held = app
            .store
            .support(support.id)
            .await
            .expect("read")
            .expect("held");
        assert!(held.complete, "{} is complete", support.id);
    }
    let public = app.store.public_cases(&[number]).await.expect("read");
    assert_eq!(public[0].supporters(), 4, "each support counted once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_support_arriving_while_its_case_is_merged_is_counted_for_the_original() {
    let app = TestApp::spawn().await;
    let password = "a long staff password";
    let cookie = app.operator_cookie(password).await;
    for round in 0..8 {
        let original = app.send_whole(&ReportFixture::new()).await.case_number();
        let duplicate = app.send_whole(&ReportFixture::new()).await.case_number();
        let supports: Vec<SupportFixture> =
            (0..3).map(|_| SupportFixture::bare(duplicate)).collect();
        let mut tasks = JoinSet::new();
        {
            let router = app.router.clone();
            let cookie = cookie.clone();
            let path = format!("/api/v1/staff/cases/{duplicate}/duplicate");
            let body = serde_json::json!({"of": original.to_string(), "reason": "同一排污口"});
            tasks.spawn(async move {
                let body = body.to_string().into_bytes();
                let (status, bytes) =
                    send(router, "POST", path, "application/json", body, Some(cookie)).await;
                (None, status, bytes)
            });
        }
        for (n, support) in supports.iter().enumerate() {
            let router = app.router.clone();
            let (path, json) = (support.path(), support.json().into_bytes());
            tasks.spawn(async move {
                let (status, bytes) =
                    send(router, "PUT", path, "application/json", json, None).await;
                (Some(n), status, bytes)
            });
        }
        while let Some(result) = tasks.join_next().await {
            let (support, status, bytes) = result.expect("task");
            let expected = if support.is_some() {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            assert_eq!(
                status,
                expected,
                "round {round}: {}",
                String::from_utf8_lossy(&bytes)
            );
            if support.is_some() {
                // Counted for whichever case it found, and moved if it came first.
                let named = status_of(&bytes).case_number();
                assert!(named == duplicate || named == original, "round {round}");
            }
        }
        for support in &supports {
            let held = app
                .store
                .support(support.id)
                .await
                .expect("read")
                .expect("held");
            assert_eq!(held.case_number, original, "round {round}: not left behind");
            for case in [duplicate, original] {
                let timeline = app
                    .store
                    .timeline(case, &support.secret)
                    .await
                    .expect("read");
                assert!(timeline.is_some(), "round {round}: follows {case}");
            }
        }
        let public = app
            .store
            .public_cases(&[original, duplicate])
            .await
            .expect("read");
        // Three supports and the duplicate's reporter; none left on the duplicate.
        assert_eq!(public[0].supporters(), 4, "round {round}");
        assert_eq!(public[1].supporters(), 0, "round {round}");
    }
}

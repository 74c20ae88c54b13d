//! "I see this too" through the real Router: a support's intake (exactly
//! once by its id, media under a report's rules), its receipt following the
//! case, what staff see (supporters, their media and contact, the list
//! sorted by supporters, the public summary), and a merge of a duplicate
//! moving supporters and the duplicate's reporter to the original.

mod helpers;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use helpers::{body_bytes, header, jpeg, json_body, ReportFixture, SupportFixture, TestApp};
use protocol::staff::{AuditAction, AuditEntry, CaseDetail, CaseSummary, Role};
use protocol::sync::{CaseNumber, CaseStatus, IntakeStatus, ReceiptSecret, Timeline};
use protocol::ApiError;
use serde_json::{json, Value};

const PASSWORD: &str = "operator password 12369";
const ADMIN_PASSWORD: &str = "admin password 12369";

async fn case(app: &TestApp) -> (ReportFixture, CaseNumber) {
    let report = ReportFixture::new();
    let number = app.send_whole(&report).await.case_number();
    (report, number)
}

async fn follow(app: &TestApp, number: CaseNumber, receipt: &str) -> Response<Body> {
    app.get_with_receipt(&format!("/api/v1/cases/{number}"), Some(receipt))
        .await
}

async fn timeline(app: &TestApp, number: CaseNumber, receipt: &str) -> Timeline {
    let response = follow(app, number, receipt).await;
    assert_eq!(response.status(), StatusCode::OK, "{number}");
    json_body(response).await
}

async fn staff(
    app: &TestApp,
    cookie: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Response<Body> {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("cookie", cookie);
    if body.is_some() {
        request = request.header("content-type", "application/json");
    }
    let body = body.map(|b| Body::from(b.to_string())).unwrap_or_default();
    app.request(request.body(body).expect("request")).await
}

async fn detail(app: &TestApp, cookie: &str, number: CaseNumber) -> CaseDetail {
    let response = staff(
        app,
        cookie,
        "GET",
        &format!("/api/v1/staff/cases/{number}"),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

async fn refusal(response: Response<Body>, status: StatusCode) -> ApiError {
    assert_eq!(response.status(), status);
    json_body(response).await
}

#[tokio::test]
async fn a_support_arrives_once_with_its_media_and_its_receipt_follows_the_case() {
    let app = TestApp::spawn().await;
    let (report, number) = case(&app).await;
    let support = SupportFixture::new(number);

    let response = app.put_json(&support.path(), support.json()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let status: IntakeStatus = json_body(response).await;
    assert_eq!(
        (status.case_number(), status.missing()),
        (number, &[0, 1][..])
    );
    // Not followed until it is whole.
    let response = follow(&app, number, &support.receipt()).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Media: the same checks as a report's.
    let mut other = support.media[0].clone();
    other[10] ^= 1;
    let response = app.put_bytes(&support.medium_path(0), other).await;
    refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let mut png = support.media[0].clone();
    png[..4].copy_from_slice(b"\x89PNG");
    let png_support = SupportFixture::with(number, vec![png.clone()], Vec::new(), "");
    let response = app.put_json(&png_support.path(), png_support.json()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app.put_bytes(&png_support.medium_path(0), png).await;
    refusal(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
    let response = app.put_bytes(&support.medium_path(7), vec![1]).await;
    refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let unknown = SupportFixture::new(number);
    let response = app
        .put_bytes(&unknown.medium_path(0), unknown.media[0].clone())
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    for (index, bytes) in support.media.iter().enumerate() {
        let response = app
            .put_bytes(&support.medium_path(index as u8), bytes.clone())
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        // Again: the same bytes change nothing.
        let response = app
            .put_bytes(&support.medium_path(index as u8), bytes.clone())
            .await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    // A replay of the create is 200 with the same case, whole now; other
    // content under the same id is 409.
    let response = app.put_json(&support.path(), support.json()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let status: IntakeStatus = json_body(response).await;
    assert!(status.is_complete());
    assert_eq!(status.case_number(), number);
    let other = SupportFixture::bare(number);
    let response = app.put_json(&support.path(), other.json()).await;
    refusal(response, StatusCode::CONFLICT).await;

    // The supporter follows the case like its reporter, without the
    // reporter's reward; a wrong receipt and an unknown case get 404.
    let theirs = timeline(&app, number, &support.receipt()).await;
    let reporters = timeline(&app, number, &report.receipt()).await;
    assert_eq!(theirs.events(), reporters.events());
    assert_eq!(theirs.reward(), None);
    let stranger = ReceiptSecret::from_bytes([9; 32]).to_base64url();
    assert_eq!(
        follow(&app, number, &stranger).await.status(),
        StatusCode::NOT_FOUND
    );
    let elsewhere = CaseNumber::new(number.year(), number.sequence() + 50).expect("number");
    assert_eq!(
        follow(&app, elsewhere, &support.receipt()).await.status(),
        StatusCode::NOT_FOUND
    );
    // Its receipt follows only the case it supports.
    let (_, another) = case(&app).await;
    assert_eq!(
        follow(&app, another, &support.receipt()).await.status(),
        StatusCode::NOT_FOUND
    );
    // A case closed while the support waited on the phone still takes it.
    let cookie = app.operator_cookie(PASSWORD).await;
    let path = format!("/api/v1/staff/cases/{another}/reject");
    let response = staff(
        &app,
        &cookie,
        "POST",
        &path,
        Some(json!({"reason": "不属于本局"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let late = SupportFixture::bare(another);
    assert_eq!(app.send_support(&late).await.case_number(), another);
    assert_eq!(
        timeline(&app, another, &late.receipt()).await.status(),
        CaseStatus::Rejected
    );

    // A support of a case that does not exist: 422 with a message, nothing stored.
    let nowhere = SupportFixture::bare(elsewhere);
    let response = app.put_json(&nowhere.path(), nowhere.json()).await;
    let error = refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(error.message.en.contains("cannot be found"), "{error:?}");
    assert!(app.store.support(nowhere.id).await.expect("read").is_none());
    // Ten photos: over a report's limit of nine.
    let crowded = SupportFixture::with(number, vec![jpeg(100, 1)], Vec::new(), "");
    let mut body: Value = serde_json::to_value(&crowded.body).expect("json");
    let photo = body["media"][0].clone();
    body["media"] = (0..10)
        .map(|index| {
            let mut photo = photo.clone();
            photo["index"] = index.into();
            photo
        })
        .collect();
    let response = app.put_json(&crowded.path(), body.to_string()).await;
    let error = refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(error.message.en.contains("at most 9 photos"), "{error:?}");
}

#[tokio::test]
async fn staff_see_supporters_their_media_and_sort_the_list_by_them() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let (_, quiet) = case(&app).await;
    let (_, popular) = case(&app).await;
    let (_, newest) = case(&app).await;
    let first = SupportFixture::new(popular);
    app.send_support(&first).await;
    app.send_support(&SupportFixture::bare(popular)).await;
    app.send_support(&SupportFixture::bare(quiet)).await;
    // An incomplete support counts for nothing yet.
    let pending = SupportFixture::new(newest);
    let response = app.put_json(&pending.path(), pending.json()).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    let detail = detail(&app, &cookie, popular).await;
    assert_eq!(detail.supporters.len(), 2);
    let supporter = &detail.supporters[0];
    assert_eq!(supporter.support_id, Some(first.id));
    assert_eq!(supporter.filed_on, popular);
    assert_eq!(supporter.merged_case, None);
    assert_eq!(
        supporter
            .contact
            .as_ref()
            .and_then(|c| c.phone.as_ref())
            .map(|p| p.as_str()),
        Some("13900001111")
    );
    assert!(detail.supporters[1].contact.is_none());
    assert_eq!(supporter.media.len(), 2);
    for (medium, bytes) in supporter.media.iter().zip(&first.media) {
        let response = staff(&app, &cookie, "GET", &medium.url, None).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", medium.url);
        assert_eq!(header(&response, "content-type"), medium.mime);
        assert_eq!(&body_bytes(response).await, bytes);
    }
    // The media of an incomplete support are not served.
    let response = app
        .put_bytes(&pending.medium_path(0), pending.media[0].clone())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let path = format!("/api/v1/staff/supports/{}/media/0", pending.id);
    assert_eq!(
        staff(&app, &cookie, "GET", &path, None).await.status(),
        StatusCode::NOT_FOUND
    );

    let list = |sort: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let response = staff(
                app,
                &cookie,
                "GET",
                &format!("/api/v1/staff/cases{sort}"),
                None,
            )
            .await;
            assert_eq!(response.status(), StatusCode::OK);
            let list: Vec<CaseSummary> = json_body(response).await;
            list.into_iter()
                .map(|c| (c.case_number, c.supporters))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list("?sort=supporters").await,
        [(popular, 2), (quiet, 1), (newest, 0)]
    );
    assert_eq!(
        list("").await,
        [(newest, 0), (popular, 2), (quiet, 1)],
        "newest first"
    );
    let response = staff(
        &app,
        &cookie,
        "GET",
        "/api/v1/staff/cases?sort=loudest",
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_public_summary_is_checked_stored_shown_to_staff_and_audited() {
    let app = TestApp::spawn().await;
    greenwatch_server::staff_cli::add_staff_user(
        &app.location,
        "admin",
        Role::Admin,
        ADMIN_PASSWORD,
    )
    .await
    .expect("admin");
    let cookie = app.operator_cookie(PASSWORD).await;
    let (_, number) = case(&app).await;
    let accept = format!("/api/v1/staff/cases/{number}/accept");
    // Too short: 422 with the rule's message in both languages, nothing done.
    let response = staff(
        &app,
        &cookie,
        "POST",
        &accept,
        Some(json!({"public_summary": "臭"})),
    )
    .await;
    let error = refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(error.message.zh_cn.contains("至少") && error.message.en.contains("at least 4"));
    let response = staff(
        &app,
        &cookie,
        "POST",
        &accept,
        Some(json!({"public_summary": "河道\n发黑"})),
    )
    .await;
    refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        detail(&app, &cookie, number).await.status,
        CaseStatus::Received
    );

    let response = staff(
        &app,
        &cookie,
        "POST",
        &accept,
        Some(json!({"public_summary": "  东湖路河道发黑发臭  "})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let shown = detail(&app, &cookie, number).await;
    assert_eq!(shown.status, CaseStatus::Accepted);
    assert_eq!(
        shown.public_summary.as_ref().map(|s| s.as_str()),
        Some("东湖路河道发黑发臭")
    );

    // Edited later, then withdrawn.
    let path = format!("/api/v1/staff/cases/{number}/public-summary");
    let response = staff(
        &app,
        &cookie,
        "POST",
        &path,
        Some(json!({"public_summary": "东湖路河道有异味"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = json_body(response).await;
    assert_eq!(body["public_summary"], "东湖路河道有异味");
    let public = app.store.public_cases(&[number]).await.expect("read");
    assert_eq!(
        public[0].summary().map(|s| s.as_str()),
        Some("东湖路河道有异味")
    );
    let response = staff(
        &app,
        &cookie,
        "POST",
        &path,
        Some(json!({"public_summary": null})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(detail(&app, &cookie, number).await.public_summary, None);
    let unknown = format!(
        "/api/v1/staff/cases/{}/public-summary",
        CaseNumber::new(2020, 1).expect("n")
    );
    let response = staff(
        &app,
        &cookie,
        "POST",
        &unknown,
        Some(json!({"public_summary": "东湖路河道"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    // Each change has its audit row: accept's summary, the edit, the withdrawal.
    let admin = {
        let login = json!({ "username": "admin", "password": ADMIN_PASSWORD });
        let response = app
            .request(
                Request::post("/api/v1/staff/login")
                    .header("content-type", "application/json")
                    .body(Body::from(login.to_string()))
                    .expect("request"),
            )
            .await;
        header(&response, "set-cookie")
            .split(';')
            .next()
            .expect("cookie")
            .to_owned()
    };
    let response = staff(
        &app,
        &admin,
        "GET",
        &format!("/api/v1/staff/audit?action=public_summary&case_number={number}"),
        None,
    )
    .await;
    let entries: Vec<AuditEntry> = json_body(response).await;
    let details: Vec<Option<&str>> = entries.iter().map(|e| e.detail.as_deref()).collect();
    assert_eq!(
        details,
        [None, Some("东湖路河道有异味"), Some("东湖路河道发黑发臭")],
        "newest first"
    );
    assert!(entries
        .iter()
        .all(|e| e.action == AuditAction::PublicSummary && e.actor == "operator"));
}

#[tokio::test]
async fn a_merged_duplicate_moves_its_supporters_and_its_reporter_follows_the_original() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let (original_report, original) = case(&app).await;
    let (duplicate_report, duplicate) = case(&app).await;
    let early = SupportFixture::new(duplicate);
    app.send_support(&early).await;
    app.send_support(&SupportFixture::bare(original)).await;

    let response = staff(
        &app,
        &cookie,
        "POST",
        &format!("/api/v1/staff/cases/{duplicate}/duplicate"),
        Some(json!({"of": original.to_string(), "reason": "同一排污口"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);

    // The duplicate's reporter and its supporter see where it went, and
    // follow the original with the same receipts.
    let theirs = timeline(&app, duplicate, &duplicate_report.receipt()).await;
    assert_eq!(theirs.duplicate_of(), Some(original));
    let raw: Value = json_body(follow(&app, duplicate, &early.receipt()).await).await;
    assert_eq!(raw["duplicate_of"], original.to_string());
    let followed = timeline(&app, original, &duplicate_report.receipt()).await;
    assert_eq!(followed.case_number(), original);
    assert_eq!(followed.status(), CaseStatus::Received);
    timeline(&app, original, &early.receipt()).await;
    // The original's reporter is not thereby let into the duplicate.
    assert_eq!(
        follow(&app, duplicate, &original_report.receipt())
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Staff: the original now has three supporters, oldest first: its own,
    // the moved one with its media, and the duplicate's reporter (whose
    // media are the duplicate's).
    let shown = detail(&app, &cookie, original).await;
    assert_eq!(shown.supporters.len(), 3);
    let moved = shown
        .supporters
        .iter()
        .find(|s| s.support_id == Some(early.id))
        .expect("the moved supporter");
    assert_eq!(moved.filed_on, duplicate);
    let response = staff(&app, &cookie, "GET", &moved.media[0].url, None).await;
    assert_eq!(body_bytes(response).await, early.media[0]);
    let reporter = shown
        .supporters
        .iter()
        .find(|s| s.merged_case == Some(duplicate))
        .expect("the duplicate's reporter");
    assert_eq!(reporter.support_id, None);
    assert_eq!(reporter.contact, None);
    assert_eq!(reporter.media.len(), 2);
    let response = staff(&app, &cookie, "GET", &reporter.media[1].url, None).await;
    assert_eq!(body_bytes(response).await, duplicate_report.media[1]);
    assert!(detail(&app, &cookie, duplicate).await.supporters.is_empty());
    let public = app.store.public_cases(&[original]).await.expect("read");
    assert_eq!(public[0].reporters(), 4);

    // A support of the duplicate arriving later counts for the original.
    let late = SupportFixture::bare(duplicate);
    let response = app.put_json(&late.path(), late.json()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let status: IntakeStatus = json_body(response).await;
    assert_eq!(status.case_number(), original);
    timeline(&app, duplicate, &late.receipt()).await;
    timeline(&app, original, &late.receipt()).await;
    assert_eq!(detail(&app, &cookie, original).await.supporters.len(), 4);

    // Merged again, the original into a third case: everyone moves on.
    let (_, third) = case(&app).await;
    let response = staff(
        &app,
        &cookie,
        "POST",
        &format!("/api/v1/staff/cases/{original}/duplicate"),
        Some(json!({"of": third.to_string(), "reason": "同一企业"})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    for receipt in [
        duplicate_report.receipt(),
        early.receipt(),
        late.receipt(),
        original_report.receipt(),
    ] {
        timeline(&app, third, &receipt).await;
    }
    // Four supporters moved, and the original's reporter joined them.
    assert_eq!(detail(&app, &cookie, third).await.supporters.len(), 5);
    let later = SupportFixture::bare(duplicate);
    let status = app.send_support(&later).await;
    assert_eq!(status.case_number(), third, "down the whole chain");

    // A case is never merged into a duplicate: staff are told the original.
    let (_, fourth) = case(&app).await;
    let response = staff(
        &app,
        &cookie,
        "POST",
        &format!("/api/v1/staff/cases/{fourth}/duplicate"),
        Some(json!({"of": duplicate.to_string(), "reason": "同一排污口"})),
    )
    .await;
    let error = refusal(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        error.message.en.contains(&original.to_string()),
        "{error:?}"
    );
    assert!(error.message.zh_cn.contains(&original.to_string()));
    assert_eq!(
        detail(&app, &cookie, fourth).await.status,
        CaseStatus::Received
    );
}

//! The public transparency figures through the real Router: the JSON at
//! `/api/v1/transparency`, the page `/transparency` and its style sheet.

mod helpers;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenwatch_server::clock;
use helpers::{body_bytes, header, json_body, ReportFixture, TestApp};
use protocol::report::Category;
use protocol::sync::{CaseNumber, CaseStatus, IntakeStatus};
use protocol::transparency::{MedianDuration, StatusCount, TransparencyReport};
use serde_json::json;
use sqlx::AnyPool;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
const PASSWORD: &str = "operator password 12369";

/// A complete case of `category` (the fixture's report, recategorised).
async fn complete_case(app: &TestApp, category: Category) -> CaseNumber {
    let report = ReportFixture::new();
    let body = report.json_edited(|j| j["category"] = category.code().into());
    let response = app.put_json(&report.path(), body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mut status: Option<IntakeStatus> = None;
    for index in 0..report.media.len() {
        let response = app
            .put_bytes(
                &report.medium_path(index as u8),
                report.media[index].clone(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        status = Some(json_body(response).await);
    }
    let status = status.expect("media");
    assert!(status.is_complete());
    status.case_number()
}

async fn act(app: &TestApp, cookie: &str, case: CaseNumber, action: &str) {
    let mut request =
        Request::post(format!("/api/v1/staff/cases/{case}/{action}")).header("cookie", cookie);
    let body = if action == "resolve" {
        request = request.header("content-type", "application/json");
        Body::from(json!({ "reply": "经现场核查，已责令整改。" }).to_string())
    } else {
        Body::empty()
    };
    let response = app.request(request.body(body).expect("request")).await;
    assert_eq!(response.status(), StatusCode::OK, "{action} {case}");
}

async fn database(app: &TestApp) -> AnyPool {
    app.database_pool().await
}

/// Sets when case `case`'s `kind` events happened.
async fn set_time(db: &AnyPool, case: CaseNumber, kind: &str, at: i64) {
    let updated = sqlx::query(
        "UPDATE case_events SET at = $1 WHERE kind LIKE $2 AND report_id = \
         (SELECT report_id FROM reports WHERE case_year = $3 AND case_seq = $4)",
    )
    .bind(at)
    // CaseEventKind's JSON starts with its tag; no JSON function is portable.
    .bind(format!("{{\"kind\":\"{kind}\"%"))
    .bind(i64::from(case.year()))
    .bind(i64::from(case.sequence()))
    .execute(db)
    .await
    .expect("update")
    .rows_affected();
    assert_eq!(updated, 1, "{kind} of {case}");
}

fn count(counts: &[StatusCount], status: CaseStatus) -> u64 {
    counts
        .iter()
        .find(|c| c.status == status)
        .map(|c| c.count)
        .expect("every status is listed")
}

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(
        header(&response, "content-type"),
        "text/html; charset=utf-8"
    );
    assert_eq!(header(&response, "cache-control"), "no-store");
    let csp = header(&response, "content-security-policy");
    assert!(csp.contains("style-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-inline"));
    String::from_utf8(body_bytes(response).await).expect("utf-8")
}

#[tokio::test]
async fn counts_complete_cases_by_category_and_status_with_medians() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let now = clock::now().0;

    // Three cases received in the period, one before it.
    let resolved = complete_case(&app, Category::Noise).await;
    let accepted = complete_case(&app, Category::Noise).await;
    let waiting = complete_case(&app, Category::Air).await;
    let old = complete_case(&app, Category::Air).await;
    // A report still missing a medium is not a case yet.
    let partial = ReportFixture::new();
    let body = partial.json_edited(|j| j["category"] = "noise".into());
    assert_eq!(
        app.put_json(&partial.path(), body).await.status(),
        StatusCode::CREATED
    );

    for (case, action) in [
        (resolved, "accept"),
        (resolved, "resolve"),
        (accepted, "accept"),
        (old, "accept"),
        (old, "resolve"),
    ] {
        act(&app, &cookie, case, action).await;
    }

    let db = database(&app).await;
    // Accepted after 2 h, replied after 6 h.
    set_time(&db, resolved, "received", now - 10 * HOUR).await;
    set_time(&db, resolved, "accepted", now - 8 * HOUR).await;
    set_time(&db, resolved, "resolved", now - 4 * HOUR).await;
    // Accepted after 4 h 30 min.
    set_time(&db, accepted, "received", now - 2 * DAY).await;
    set_time(
        &db,
        accepted,
        "accepted",
        now - 2 * DAY + 4 * HOUR + 30 * 60_000,
    )
    .await;
    set_time(&db, waiting, "received", now - HOUR).await;
    // Forty days ago: counted, but not in the medians.
    set_time(&db, old, "received", now - 40 * DAY).await;
    set_time(&db, old, "accepted", now - 40 * DAY + 100 * HOUR).await;
    set_time(&db, old, "resolved", now - 40 * DAY + 200 * HOUR).await;

    let response = app.get("/api/v1/transparency").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "cache-control"), "no-store");
    assert!(header(&response, "content-type").starts_with("application/json"));
    let report: TransparencyReport = json_body(response).await;

    assert_eq!(report.total, 4, "the partial report is not counted");
    assert_eq!(report.received_in_period, 3);
    assert_eq!(report.generated_at.0 - report.period_start.0, 30 * DAY);
    assert!(report.generated_at.0 >= now);
    let categories: Vec<Category> = report.categories.iter().map(|c| c.category).collect();
    assert_eq!(categories, Category::ALL);
    let noise = report
        .categories
        .iter()
        .find(|c| c.category == Category::Noise)
        .expect("noise");
    assert_eq!(noise.total, 2);
    assert_eq!(count(&noise.by_status, CaseStatus::Resolved), 1);
    assert_eq!(count(&noise.by_status, CaseStatus::Accepted), 1);
    assert_eq!(count(&noise.by_status, CaseStatus::Received), 0);
    let air = report
        .categories
        .iter()
        .find(|c| c.category == Category::Air)
        .expect("air");
    assert_eq!(count(&air.by_status, CaseStatus::Received), 1);
    assert_eq!(count(&air.by_status, CaseStatus::Resolved), 1);
    assert_eq!(count(&report.totals, CaseStatus::Resolved), 2);
    assert_eq!(count(&report.totals, CaseStatus::Accepted), 1);
    assert_eq!(count(&report.totals, CaseStatus::Received), 1);
    assert_eq!(count(&report.totals, CaseStatus::Rejected), 0);

    // Median of 2 h and 4 h 30 min; one reply after 6 h.
    assert_eq!(
        report.time_to_acceptance,
        MedianDuration {
            median_ms: Some(3 * HOUR + 15 * 60_000),
            cases: 2
        }
    );
    assert_eq!(
        report.time_to_reply,
        MedianDuration {
            median_ms: Some(6 * HOUR),
            cases: 1
        }
    );

    let html = page(&app, "/transparency").await;
    assert!(html.contains("3 小时 15 分钟"), "{html}");
    assert!(html.contains("3 h 15 min"));
    assert!(html.contains("6 小时 0 分钟"));
    assert!(html.contains("6 h 0 min"));
    // The noise row: received 0, accepted 1, on site 0, resolved 1, … total 2.
    assert!(html.contains(
        "<th scope=\"row\">噪声 <span class=\"en\" lang=\"en\">Noise</span></th>\
         <td>0</td><td>1</td><td>0</td><td>1</td><td>0</td><td>0</td><td>2</td></tr>"
    ));
    assert!(html.contains("<td>4</td></tr>\n</tfoot>"));
}

#[tokio::test]
async fn the_page_is_static_html_not_the_app() {
    let app = TestApp::spawn().await;
    for path in ["/transparency", "/transparency/"] {
        let html = page(&app, path).await;
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(
            !html.contains(helpers::INDEX_HTML),
            "not the app's index.html"
        );
        assert!(html.contains("案件统计 <span class=\"en\" lang=\"en\">Case statistics</span>"));
        assert!(html.contains("<caption"));
        assert!(html.contains(
            "<th scope=\"col\">已受理 <span class=\"en\" lang=\"en\">Accepted</span></th>"
        ));
        assert!(html.contains("<a href=\"/\">"));
        assert!(html.contains("<link rel=\"stylesheet\" href=\"/transparency.css\">"));
        // No case yet: no medians.
        assert!(html.contains("— 暂无数据 <span class=\"en\" lang=\"en\">no data</span>"));
        assert!(html.contains("北京时间") && html.contains("China Standard Time"));
        let lower = html.to_ascii_lowercase();
        assert!(
            !lower.contains("<script") && !lower.contains("<style") && !lower.contains(" style=")
        );
    }

    let response = app.get("/api/v1/transparency").await;
    let report: TransparencyReport = json_body(response).await;
    assert_eq!(report.total, 0);
    assert_eq!(report.time_to_reply.median_ms, None);
    assert_eq!(report.time_to_reply.cases, 0);
}

#[tokio::test]
async fn the_json_has_the_documented_shape() {
    let app = TestApp::spawn().await;
    complete_case(&app, Category::Water).await;
    let value: serde_json::Value = json_body(app.get("/api/v1/transparency").await).await;
    for key in [
        "generated_at",
        "period_start",
        "categories",
        "totals",
        "total",
        "received_in_period",
        "time_to_acceptance",
        "time_to_reply",
    ] {
        assert!(value.get(key).is_some(), "{key}");
    }
    assert_eq!(value["categories"][0]["category"], "water");
    assert_eq!(value["categories"][0]["total"], 1);
    assert_eq!(value["categories"][0]["by_status"][0]["status"], "received");
    assert_eq!(value["categories"][0]["by_status"][0]["count"], 1);
    assert_eq!(
        value["time_to_acceptance"]["median_ms"],
        serde_json::Value::Null
    );
    assert_eq!(value["time_to_acceptance"]["cases"], 0);
}

#[tokio::test]
async fn the_style_sheet_is_css_cached_briefly() {
    let app = TestApp::spawn().await;
    let response = app.get("/transparency.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), "text/css; charset=utf-8");
    assert_eq!(header(&response, "cache-control"), "public, max-age=3600");
    let css = String::from_utf8(body_bytes(response).await).expect("utf-8");
    assert!(css.contains("table{"));
}

#[tokio::test]
async fn other_methods_are_refused() {
    let app = TestApp::spawn().await;
    for path in ["/transparency", "/api/v1/transparency"] {
        let response = app
            .request(Request::post(path).body(Body::empty()).expect("request"))
            .await;
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
}

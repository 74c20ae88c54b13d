//! `GET /api/openapi.json` against the real Router, both ways: every
//! operation the document lists is answered (not 404/405) with a status the
//! document gives for it and a body of its schema, and every `/api/` route
//! the router has is in the document.

mod helpers;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use helpers::{body_bytes, header, jpeg, ReportFixture, SupportFixture, TestApp};
use protocol::archive::IMPORT_ROUTE;
use protocol::channels::CHANNELS_ROUTE;
use protocol::public::NEARBY_ROUTE;
use protocol::support::{SUPPORT_MEDIUM_ROUTE, SUPPORT_ROUTE};
use protocol::sync::{CaseNumber, IntakeStatus, CASE_ROUTE, MEDIUM_ROUTE, REPORT_ROUTE};
use protocol::transparency::TRANSPARENCY_ROUTE;
use protocol::{quiz, staff};
use serde_json::Value;

/// Every `/api/` route of `routes::api()`, with its one method.
const ROUTER_ROUTES: [(&str, &str); 37] = [
    ("/api/health", "get"),
    ("/api/openapi.json", "get"),
    (REPORT_ROUTE, "put"),
    (MEDIUM_ROUTE, "put"),
    (CASE_ROUTE, "get"),
    (SUPPORT_ROUTE, "put"),
    (SUPPORT_MEDIUM_ROUTE, "put"),
    (NEARBY_ROUTE, "get"),
    (staff::PUBLIC_SUMMARY_ROUTE, "post"),
    (staff::SUPPORT_MEDIUM_ROUTE, "get"),
    (staff::LOGIN_ROUTE, "post"),
    (staff::LOGOUT_ROUTE, "post"),
    (staff::ME_ROUTE, "get"),
    (staff::USERS_ROUTE, "get"),
    (staff::USERS_ROUTE, "post"),
    (staff::USER_DISABLE_ROUTE, "post"),
    (staff::USER_ENABLE_ROUTE, "post"),
    (staff::AUDIT_ROUTE, "get"),
    (staff::CASES_ROUTE, "get"),
    (staff::CASE_ROUTE, "get"),
    (staff::CASE_MEDIUM_ROUTE, "get"),
    (staff::ACCEPT_ROUTE, "post"),
    (staff::ON_SITE_ROUTE, "post"),
    (staff::RESOLVE_ROUTE, "post"),
    (staff::REJECT_ROUTE, "post"),
    (staff::DUPLICATE_ROUTE, "post"),
    (staff::REPLY_TEMPLATES_ROUTE, "get"),
    (staff::REWARD_ROUTE, "post"),
    (staff::REWARD_APPROVE_ROUTE, "post"),
    (staff::REWARD_REJECT_ROUTE, "post"),
    (staff::REWARD_PAID_ROUTE, "post"),
    (TRANSPARENCY_ROUTE, "get"),
    (quiz::QUIZ_PACKS_ROUTE, "get"),
    (quiz::QUIZ_RESULT_ROUTE, "put"),
    (quiz::STAFF_QUIZ_PARTICIPATION_ROUTE, "get"),
    (CHANNELS_ROUTE, "get"),
    (IMPORT_ROUTE, "post"),
];

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "content-type").starts_with("application/json"));
    assert_eq!(header(&response, "cache-control"), "no-store");
    serde_json::from_slice(&body_bytes(response).await).expect("the document is JSON")
}

fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut operations = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, _) in item.as_object().expect("path item") {
            if METHODS.contains(&method.as_str()) {
                operations.insert((path.clone(), method.clone()));
            }
        }
    }
    operations
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value.get("$ref").and_then(Value::as_str) {
        let pointer = reference.strip_prefix('#').expect("a local $ref");
        value = doc
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    value
}

/// Checks `value` against the parts of JSON Schema the document uses:
/// type, required, properties, items, enum, pattern-free.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    if let Some(kind) = schema.get("type").and_then(Value::as_str) {
        let fits = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            other => panic!("type {other} not checked here"),
        };
        assert!(fits, "{at}: {value} is not {kind}");
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        assert!(allowed.contains(value), "{at}: {value} not in {allowed:?}");
    }
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for key in required {
            let key = key.as_str().expect("a key");
            assert!(value.get(key).is_some(), "{at}: {key} missing from {value}");
        }
    }
    if let (Some(properties), Some(object)) = (
        schema.get("properties").and_then(Value::as_object),
        value.as_object(),
    ) {
        for (key, property) in properties {
            if let Some(inner) = object.get(key) {
                check(doc, property, inner, &format!("{at}.{key}"));
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, inner) in array.iter().enumerate() {
            check(doc, items, inner, &format!("{at}[{i}]"));
        }
    }
}

/// Checks an answer to `method path` against the document: its status is
/// one the operation lists, and a JSON body fits that status's schema.
async fn check_answer(doc: &Value, path: &str, method: &str, response: Response<Body>) -> u16 {
    let status = response.status().as_u16();
    let documented = &doc["paths"][path][method]["responses"][status.to_string()];
    assert!(
        !documented.is_null(),
        "{method} {path} answered {status}, which the document does not list"
    );
    let documented = resolve(doc, documented);
    let content_type = header(&response, "content-type").to_owned();
    let body = body_bytes(response).await;
    if let Some(schema) = documented.pointer("/content/application~1json/schema") {
        assert!(
            content_type.starts_with("application/json"),
            "{method} {path} {status}: {content_type}"
        );
        let value: Value = serde_json::from_slice(&body).expect("a JSON body");
        check(doc, schema, &value, &format!("{method} {path} {status}"));
    }
    status
}

fn put_json(path: &str, body: String) -> Request<Body> {
    Request::put(path)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request")
}

fn put_bytes(path: &str, bytes: Vec<u8>) -> Request<Body> {
    Request::put(path)
        .header("content-type", "application/octet-stream")
        .body(Body::from(bytes))
        .expect("request")
}

/// A route, its method, requests to it and the statuses they get.
type Check = (&'static str, &'static str, Vec<Request<Body>>, Vec<u16>);

fn post_json(path: &str, cookie: Option<&str>, body: String) -> Request<Body> {
    let mut request = Request::post(path).header("content-type", "application/json");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::from(body)).expect("request")
}

fn post_empty(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::empty()).expect("request")
}

fn staff_get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(Body::empty()).expect("request")
}

/// The `name=value` of an answer's `Set-Cookie`.
fn cookie(response: &Response<Body>) -> String {
    header(response, "set-cookie")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn get(path: &str, receipt: Option<&str>) -> Request<Body> {
    let mut request = Request::get(path);
    if let Some(receipt) = receipt {
        request = request.header(protocol::sync::RECEIPT_HEADER, receipt);
    }
    request.body(Body::empty()).expect("request")
}

#[tokio::test]
async fn the_document_lists_exactly_the_routers_api_routes() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let router: BTreeSet<(String, String)> = ROUTER_ROUTES
        .iter()
        .map(|(path, method)| (path.to_string(), method.to_string()))
        .collect();
    assert_eq!(operations(&doc), router);
    for (path, method) in &router {
        let operation = &doc["paths"][path.as_str()][method.as_str()];
        // Every operation documents the rate limit.
        assert!(
            !operation["responses"]["429"].is_null(),
            "{method} {path} lacks 429"
        );
        // Every `{name}` in a path is a documented path parameter.
        for name in path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
        {
            let documented = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|parameter| resolve(&doc, parameter))
                .any(|parameter| parameter["in"] == "path" && parameter["name"] == name);
            assert!(documented, "{method} {path}: parameter {name}");
        }
    }
}

#[tokio::test]
async fn every_documented_operation_is_answered_as_documented() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut answer = |path: &str, method: &str| {
        seen.insert((path.to_owned(), method.to_owned()));
    };

    // GET /api/health
    let status = check_answer(&doc, "/api/health", "get", app.get("/api/health").await).await;
    assert_eq!(status, 200);
    answer("/api/health", "get");

    // GET /api/openapi.json: the document is itself.
    let status = check_answer(
        &doc,
        "/api/openapi.json",
        "get",
        app.get("/api/openapi.json").await,
    )
    .await;
    assert_eq!(status, 200);
    answer("/api/openapi.json", "get");

    // PUT /api/v1/reports/{report_id}: created, replayed, and each refusal.
    let report = ReportFixture::new();
    let mut statuses = Vec::new();
    let requests = [
        put_json(&report.path(), report.json()),
        put_json(&report.path(), report.json()),
        put_json(
            &report.path(),
            report.json_edited(|j| j["description"] = "小河发黑发臭，有很多死鱼。".into()),
        ),
        put_json(
            &ReportFixture::new().path(),
            ReportFixture::new().json_edited(|j| j["description"] = "短".into()),
        ),
        put_json(&ReportFixture::new().path(), "{not json".into()),
        Request::put(ReportFixture::new().path())
            .header("content-type", "text/plain")
            .body(Body::from(ReportFixture::new().json()))
            .expect("request"),
        put_json(
            &ReportFixture::new().path(),
            ReportFixture::new().json_edited(|j| j["padding"] = "x".repeat(70 * 1024).into()),
        ),
        put_json(
            &ReportFixture::new().path(),
            ReportFixture::new().json_edited(|j| j["media"][1]["mime"] = "audio/wav".into()),
        ),
        put_json("/api/v1/reports/not-a-uuid", report.json()),
    ];
    for request in requests {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, REPORT_ROUTE, "put", response).await);
    }
    assert_eq!(statuses, [201, 200, 409, 422, 422, 415, 413, 415, 404]);
    answer(REPORT_ROUTE, "put");

    // PUT /api/v1/reports/{report_id}/media/{index}
    let mut statuses = Vec::new();
    let requests = [
        put_bytes(&report.medium_path(0), report.media[0].clone()),
        put_bytes(&report.medium_path(0), report.media[0].clone()),
        put_bytes(&report.medium_path(1), jpeg(report.media[1].len(), 9)),
        put_bytes(&report.medium_path(7), report.media[0].clone()),
        put_bytes(
            &ReportFixture::new().medium_path(0),
            report.media[0].clone(),
        ),
        put_bytes(&report.medium_path(1), vec![0; report.media[1].len() + 1]),
        put_bytes(&report.medium_path(1), report.media[1].clone()),
    ];
    for request in requests {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, MEDIUM_ROUTE, "put", response).await);
    }
    assert_eq!(statuses, [200, 200, 422, 422, 404, 413, 200]);
    answer(MEDIUM_ROUTE, "put");

    // GET /api/v1/cases/{case_number}: the complete case, then a wrong receipt.
    let status: IntakeStatus =
        helpers::json_body(app.request(put_json(&report.path(), report.json())).await).await;
    assert!(status.is_complete());
    let path = protocol::sync::case_path(&status.case_number());
    let receipt = report.receipt();
    let other = ReportFixture::new().receipt();
    let mut statuses = Vec::new();
    for request in [
        get(&path, Some(&receipt)),
        get(&path, Some(&other)),
        get(&path, None),
        get(
            &protocol::sync::case_path(&CaseNumber::parse("GW-2026-999999").expect("number")),
            Some(&receipt),
        ),
    ] {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, CASE_ROUTE, "get", response).await);
    }
    assert_eq!(statuses, [200, 404, 404, 404]);
    answer(CASE_ROUTE, "get");

    // PUT /api/v1/supports/{support_id}: created, replayed, and each refusal.
    let support = SupportFixture::new(status.case_number());
    let nowhere = SupportFixture::new(CaseNumber::parse("GW-2026-999999").expect("number"));
    let mut statuses = Vec::new();
    let requests = [
        put_json(&support.path(), support.json()),
        put_json(&support.path(), support.json()),
        put_json(
            &support.path(),
            SupportFixture::bare(status.case_number()).json(),
        ),
        put_json(&nowhere.path(), nowhere.json()),
        put_json(
            &SupportFixture::bare(status.case_number()).path(),
            "{not json".into(),
        ),
        Request::put(SupportFixture::bare(status.case_number()).path())
            .header("content-type", "text/plain")
            .body(Body::from(support.json()))
            .expect("request"),
        put_json(
            &SupportFixture::bare(status.case_number()).path(),
            format!("{{\"padding\":\"{}\"}}", "x".repeat(70 * 1024)),
        ),
        put_json("/api/v1/supports/not-a-uuid", support.json()),
    ];
    for request in requests {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, SUPPORT_ROUTE, "put", response).await);
    }
    assert_eq!(statuses, [201, 200, 409, 422, 422, 415, 413, 404]);
    answer(SUPPORT_ROUTE, "put");

    // PUT /api/v1/supports/{support_id}/media/{index}
    let mut statuses = Vec::new();
    let requests = [
        put_bytes(&support.medium_path(0), support.media[0].clone()),
        put_bytes(&support.medium_path(1), jpeg(support.media[1].len(), 9)),
        put_bytes(&support.medium_path(7), support.media[0].clone()),
        put_bytes(&nowhere.medium_path(0), support.media[0].clone()),
        put_bytes(&support.medium_path(1), vec![0; support.media[1].len() + 1]),
        put_bytes(&support.medium_path(1), support.media[1].clone()),
    ];
    for request in requests {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, SUPPORT_MEDIUM_ROUTE, "put", response).await);
    }
    assert_eq!(statuses, [200, 422, 422, 404, 413, 200]);
    answer(SUPPORT_MEDIUM_ROUTE, "put");

    // GET /api/v1/nearby: the fixture's report gives only an address, so a
    // case with a position first.
    let placed = ReportFixture::edited(jpeg(300, 3), helpers::webm(300, 4), |draft| {
        draft.point = Some(protocol::report::GeoPoint::parse(30.5, 114.3, 8.0).expect("point"));
    });
    app.send_whole(&placed).await;
    let mut statuses = Vec::new();
    for query in [
        "lat=30.501&long=114.301&category=water_river",
        "lat=30.501&long=114.301&category=air",
        "lat=91&long=114.301&category=air",
        "lat=30.501",
    ] {
        let response = app.get(&format!("{NEARBY_ROUTE}?{query}")).await;
        statuses.push(check_answer(&doc, NEARBY_ROUTE, "get", response).await);
    }
    assert_eq!(statuses, [200, 200, 422, 422]);
    answer(NEARBY_ROUTE, "get");

    // The staff routes.
    let case_a = status.case_number();
    let case_b = app.send_whole(&ReportFixture::new()).await.case_number();
    let case_c = app.send_whole(&ReportFixture::new()).await.case_number();
    for (name, role) in [
        ("admin", staff::Role::Admin),
        ("operator", staff::Role::Operator),
    ] {
        greenwatch_server::staff_cli::add_staff_user(
            &app.location,
            name,
            role,
            "a long staff password",
        )
        .await
        .expect("account");
    }
    let login = |name: &str, password: &str| {
        post_json(
            staff::LOGIN_ROUTE,
            None,
            serde_json::json!({ "username": name, "password": password }).to_string(),
        )
    };
    let response = app.request(login("admin", "a long staff password")).await;
    let admin = cookie(&response);
    assert_eq!(
        check_answer(&doc, staff::LOGIN_ROUTE, "post", response).await,
        200
    );
    let response = app
        .request(login("operator", "a long staff password"))
        .await;
    let operator = cookie(&response);
    let mut statuses = vec![check_answer(&doc, staff::LOGIN_ROUTE, "post", response).await];
    for request in [
        login("admin", "wrong password"),
        post_json(staff::LOGIN_ROUTE, None, "{}".into()),
    ] {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, staff::LOGIN_ROUTE, "post", response).await);
    }
    assert_eq!(statuses, [200, 401, 422]);
    answer(staff::LOGIN_ROUTE, "post");

    let (admin, operator) = (Some(admin.as_str()), Some(operator.as_str()));
    let fill = |route: &str, case: CaseNumber| {
        route
            .replace("{case_number}", &case.to_string())
            .replace("{index}", "0")
    };
    let support_medium = |index: u8| {
        staff::SUPPORT_MEDIUM_ROUTE
            .replace("{support_id}", &support.id.to_string())
            .replace("{index}", &index.to_string())
    };
    let new_user = serde_json::json!({
        "username": "wang.fang", "password": "another long password", "role": "operator"
    })
    .to_string();
    let checks: Vec<Check> = vec![
        (
            staff::ME_ROUTE,
            "get",
            vec![
                staff_get(staff::ME_ROUTE, operator),
                staff_get(staff::ME_ROUTE, None),
            ],
            vec![200, 401],
        ),
        (
            staff::USERS_ROUTE,
            "post",
            vec![
                post_json(staff::USERS_ROUTE, admin, new_user.clone()),
                post_json(staff::USERS_ROUTE, admin, new_user.clone()),
                post_json(staff::USERS_ROUTE, admin, "{}".into()),
                post_json(staff::USERS_ROUTE, operator, new_user.clone()),
                post_json(staff::USERS_ROUTE, None, new_user),
            ],
            vec![201, 409, 422, 403, 401],
        ),
        (
            staff::USERS_ROUTE,
            "get",
            vec![
                staff_get(staff::USERS_ROUTE, admin),
                staff_get(staff::USERS_ROUTE, operator),
                staff_get(staff::USERS_ROUTE, None),
            ],
            vec![200, 403, 401],
        ),
        (
            staff::USER_DISABLE_ROUTE,
            "post",
            vec![
                post_empty("/api/v1/staff/users/wang.fang/disable", admin),
                post_empty("/api/v1/staff/users/admin/disable", admin),
                post_empty("/api/v1/staff/users/nobody/disable", admin),
                post_empty("/api/v1/staff/users/wang.fang/disable", operator),
                post_empty("/api/v1/staff/users/wang.fang/disable", None),
            ],
            vec![200, 409, 404, 403, 401],
        ),
        (
            staff::USER_ENABLE_ROUTE,
            "post",
            vec![
                post_empty("/api/v1/staff/users/wang.fang/enable", admin),
                post_empty("/api/v1/staff/users/nobody/enable", admin),
                post_empty("/api/v1/staff/users/wang.fang/enable", operator),
                post_empty("/api/v1/staff/users/wang.fang/enable", None),
            ],
            vec![200, 404, 403, 401],
        ),
        (
            staff::AUDIT_ROUTE,
            "get",
            vec![
                staff_get(staff::AUDIT_ROUTE, admin),
                staff_get(staff::AUDIT_ROUTE, operator),
                staff_get(staff::AUDIT_ROUTE, None),
            ],
            vec![200, 403, 401],
        ),
        (
            staff::CASES_ROUTE,
            "get",
            vec![
                staff_get(staff::CASES_ROUTE, operator),
                staff_get("/api/v1/staff/cases?status=lost", operator),
                staff_get(staff::CASES_ROUTE, None),
            ],
            vec![200, 422, 401],
        ),
        (
            staff::CASE_ROUTE,
            "get",
            vec![
                staff_get(&fill(staff::CASE_ROUTE, case_a), operator),
                staff_get("/api/v1/staff/cases/GW-2026-999999", operator),
                staff_get(&fill(staff::CASE_ROUTE, case_a), None),
            ],
            vec![200, 404, 401],
        ),
        (
            staff::CASE_MEDIUM_ROUTE,
            "get",
            vec![
                staff_get(&fill(staff::CASE_MEDIUM_ROUTE, case_a), operator),
                staff_get(&format!("/api/v1/staff/cases/{case_a}/media/9"), operator),
                staff_get(&fill(staff::CASE_MEDIUM_ROUTE, case_a), None),
            ],
            vec![200, 404, 401],
        ),
        (
            staff::SUPPORT_MEDIUM_ROUTE,
            "get",
            vec![
                staff_get(&support_medium(0), operator),
                staff_get(&support_medium(9), operator),
                staff_get(&support_medium(0), None),
            ],
            vec![200, 404, 401],
        ),
        (
            staff::ACCEPT_ROUTE,
            "post",
            vec![
                post_json(
                    &fill(staff::ACCEPT_ROUTE, case_a),
                    operator,
                    r#"{"public_summary":"x"}"#.into(),
                ),
                post_json(
                    &fill(staff::ACCEPT_ROUTE, case_a),
                    operator,
                    r#"{"public_summary":"东湖路河道发黑"}"#.into(),
                ),
                post_empty(&fill(staff::ACCEPT_ROUTE, case_a), operator),
                post_empty("/api/v1/staff/cases/GW-2026-999999/accept", operator),
                post_empty(&fill(staff::ACCEPT_ROUTE, case_a), None),
            ],
            vec![422, 200, 409, 404, 401],
        ),
        (
            staff::PUBLIC_SUMMARY_ROUTE,
            "post",
            vec![
                post_json(
                    &fill(staff::PUBLIC_SUMMARY_ROUTE, case_a),
                    operator,
                    r#"{"public_summary":"东湖路河道有异味"}"#.into(),
                ),
                post_json(
                    &fill(staff::PUBLIC_SUMMARY_ROUTE, case_a),
                    operator,
                    r#"{"public_summary":null}"#.into(),
                ),
                post_json(
                    &fill(staff::PUBLIC_SUMMARY_ROUTE, case_a),
                    operator,
                    format!(r#"{{"public_summary":"{}"}}"#, "河".repeat(201)),
                ),
                post_json(
                    &fill(staff::PUBLIC_SUMMARY_ROUTE, case_a),
                    operator,
                    format!(r#"{{"public_summary":"{}"}}"#, "x".repeat(20_000)),
                ),
                post_json(
                    "/api/v1/staff/cases/GW-2026-999999/public-summary",
                    operator,
                    r#"{"public_summary":"东湖路河道有异味"}"#.into(),
                ),
                post_json(
                    &fill(staff::PUBLIC_SUMMARY_ROUTE, case_a),
                    None,
                    "{}".into(),
                ),
            ],
            vec![200, 200, 422, 413, 404, 401],
        ),
        (
            staff::ON_SITE_ROUTE,
            "post",
            vec![
                post_empty(&fill(staff::ON_SITE_ROUTE, case_a), operator),
                post_empty(&fill(staff::ON_SITE_ROUTE, case_b), operator),
                post_empty("/api/v1/staff/cases/GW-2026-999999/on-site", operator),
                post_empty(&fill(staff::ON_SITE_ROUTE, case_a), None),
            ],
            vec![200, 409, 404, 401],
        ),
        (
            staff::RESOLVE_ROUTE,
            "post",
            vec![
                post_json(
                    &fill(staff::RESOLVE_ROUTE, case_a),
                    operator,
                    r#"{"reply":""}"#.into(),
                ),
                post_json(
                    &fill(staff::RESOLVE_ROUTE, case_a),
                    operator,
                    r#"{"reply":"已责令整改。"}"#.into(),
                ),
                post_json(
                    &fill(staff::RESOLVE_ROUTE, case_a),
                    operator,
                    r#"{"reply":"已责令整改。"}"#.into(),
                ),
                post_json(
                    &fill(staff::RESOLVE_ROUTE, case_a),
                    operator,
                    format!(r#"{{"reply":"{}"}}"#, "x".repeat(20_000)),
                ),
                Request::post(fill(staff::RESOLVE_ROUTE, case_a))
                    .header("cookie", operator.unwrap_or_default())
                    .header("content-type", "text/plain")
                    .body(Body::from("x"))
                    .expect("request"),
                post_json(
                    "/api/v1/staff/cases/GW-2026-999999/resolve",
                    operator,
                    r#"{"reply":"x"}"#.into(),
                ),
                post_json(&fill(staff::RESOLVE_ROUTE, case_a), None, "{}".into()),
            ],
            vec![422, 200, 409, 413, 415, 404, 401],
        ),
        (
            staff::REWARD_ROUTE,
            "post",
            vec![
                post_json(
                    &fill(staff::REWARD_ROUTE, case_a),
                    operator,
                    r#"{"amount_fen":0}"#.into(),
                ),
                post_json(
                    &fill(staff::REWARD_ROUTE, case_b),
                    operator,
                    r#"{"amount_fen":5000}"#.into(),
                ),
                post_json(
                    &fill(staff::REWARD_ROUTE, case_a),
                    operator,
                    r#"{"amount_fen":5000}"#.into(),
                ),
                post_json(
                    &fill(staff::REWARD_ROUTE, case_a),
                    operator,
                    r#"{"amount_fen":5000}"#.into(),
                ),
                post_json(
                    "/api/v1/staff/cases/GW-2026-999999/reward",
                    operator,
                    r#"{"amount_fen":5000}"#.into(),
                ),
                post_json(&fill(staff::REWARD_ROUTE, case_a), None, "{}".into()),
            ],
            vec![422, 409, 200, 409, 404, 401],
        ),
        (
            staff::REWARD_APPROVE_ROUTE,
            "post",
            vec![
                post_empty(&fill(staff::REWARD_APPROVE_ROUTE, case_a), operator),
                post_empty(&fill(staff::REWARD_APPROVE_ROUTE, case_a), admin),
                post_empty(&fill(staff::REWARD_APPROVE_ROUTE, case_a), admin),
                post_empty("/api/v1/staff/cases/GW-2026-999999/reward/approve", admin),
                post_empty(&fill(staff::REWARD_APPROVE_ROUTE, case_a), None),
            ],
            vec![403, 200, 409, 404, 401],
        ),
        (
            staff::REWARD_REJECT_ROUTE,
            "post",
            vec![
                post_empty(&fill(staff::REWARD_REJECT_ROUTE, case_a), operator),
                post_empty(&fill(staff::REWARD_REJECT_ROUTE, case_a), admin),
                post_empty("/api/v1/staff/cases/GW-2026-999999/reward/reject", admin),
                post_empty(&fill(staff::REWARD_REJECT_ROUTE, case_a), None),
            ],
            vec![403, 409, 404, 401],
        ),
        (
            staff::REWARD_PAID_ROUTE,
            "post",
            vec![
                post_empty(&fill(staff::REWARD_PAID_ROUTE, case_a), operator),
                post_empty(&fill(staff::REWARD_PAID_ROUTE, case_a), admin),
                post_empty(&fill(staff::REWARD_PAID_ROUTE, case_a), admin),
                post_empty("/api/v1/staff/cases/GW-2026-999999/reward/paid", admin),
                post_empty(&fill(staff::REWARD_PAID_ROUTE, case_a), None),
            ],
            vec![403, 200, 409, 404, 401],
        ),
        (
            staff::DUPLICATE_ROUTE,
            "post",
            vec![
                post_json(
                    &fill(staff::DUPLICATE_ROUTE, case_c),
                    operator,
                    format!(r#"{{"of":"{case_c}","reason":"同一事件"}}"#),
                ),
                post_json(
                    &fill(staff::DUPLICATE_ROUTE, case_c),
                    operator,
                    format!(r#"{{"of":"{case_a}","reason":"同一事件"}}"#),
                ),
                post_json(
                    &fill(staff::DUPLICATE_ROUTE, case_c),
                    operator,
                    format!(r#"{{"of":"{case_a}","reason":"同一事件"}}"#),
                ),
                post_json(
                    "/api/v1/staff/cases/GW-2026-999999/duplicate",
                    operator,
                    format!(r#"{{"of":"{case_a}","reason":"x"}}"#),
                ),
                post_json(&fill(staff::DUPLICATE_ROUTE, case_c), None, "{}".into()),
            ],
            vec![422, 200, 409, 404, 401],
        ),
        (
            staff::REJECT_ROUTE,
            "post",
            vec![
                post_json(
                    &fill(staff::REJECT_ROUTE, case_b),
                    operator,
                    r#"{"reason":"不属于环保部门职责"}"#.into(),
                ),
                post_json(
                    &fill(staff::REJECT_ROUTE, case_b),
                    operator,
                    r#"{"reason":"不属于环保部门职责"}"#.into(),
                ),
                post_json(
                    "/api/v1/staff/cases/GW-2026-999999/reject",
                    operator,
                    r#"{"reason":"x"}"#.into(),
                ),
                post_json(&fill(staff::REJECT_ROUTE, case_b), None, "{}".into()),
            ],
            vec![200, 409, 404, 401],
        ),
        (
            staff::REPLY_TEMPLATES_ROUTE,
            "get",
            vec![
                staff_get(staff::REPLY_TEMPLATES_ROUTE, operator),
                staff_get(staff::REPLY_TEMPLATES_ROUTE, None),
            ],
            vec![200, 401],
        ),
        (
            staff::LOGOUT_ROUTE,
            "post",
            vec![
                post_empty(staff::LOGOUT_ROUTE, operator),
                post_empty(staff::LOGOUT_ROUTE, operator),
            ],
            vec![204, 401],
        ),
    ];
    for (route, method, requests, expected) in checks {
        let mut statuses = Vec::new();
        for request in requests {
            let response = app.request(request).await;
            statuses.push(check_answer(&doc, route, method, response).await);
        }
        assert_eq!(statuses, expected, "{method} {route}");
        answer(route, method);
    }

    // GET /api/v1/quiz/packs: the packs, then 304 for the same tag.
    let response = app.get(quiz::QUIZ_PACKS_ROUTE).await;
    let etag = header(&response, "etag").to_owned();
    let mut statuses = vec![check_answer(&doc, quiz::QUIZ_PACKS_ROUTE, "get", response).await];
    let response = app
        .request(
            Request::get(quiz::QUIZ_PACKS_ROUTE)
                .header("if-none-match", etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    statuses.push(check_answer(&doc, quiz::QUIZ_PACKS_ROUTE, "get", response).await);
    assert_eq!(statuses, [200, 304]);
    answer(quiz::QUIZ_PACKS_ROUTE, "get");

    // GET /api/v1/channels: the list, then 304 for the same tag.
    let response = app.get(CHANNELS_ROUTE).await;
    let etag = header(&response, "etag").to_owned();
    let mut statuses = vec![check_answer(&doc, CHANNELS_ROUTE, "get", response).await];
    let response = app
        .request(
            Request::get(CHANNELS_ROUTE)
                .header("if-none-match", etag)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    statuses.push(check_answer(&doc, CHANNELS_ROUTE, "get", response).await);
    assert_eq!(statuses, [200, 304]);
    answer(CHANNELS_ROUTE, "get");

    // PUT /api/v1/quiz/results/{result_id}: stored, repeated, and each refusal.
    let result = serde_json::json!({
        "event": null, "pack": "mixed", "correct": 8, "total": 10,
        "missed": ["wq-01", "aq-02"], "finished_at": greenwatch_server::clock::now().0,
        "mode": "solo"
    });
    let result_path = |id: uuid::Uuid| format!("/api/v1/quiz/results/{id}");
    let id = uuid::Uuid::new_v4();
    let mut changed = result.clone();
    changed["correct"] = 9.into();
    changed["missed"] = serde_json::json!(["wq-01"]);
    let mut invalid = result.clone();
    invalid["total"] = 0.into();
    let mut padded = result.clone();
    padded["missed"] = serde_json::json!(["x".repeat(17 * 1024)]);
    let requests = [
        put_json(&result_path(id), result.to_string()),
        put_json(&result_path(id), result.to_string()),
        put_json(&result_path(id), changed.to_string()),
        put_json(&result_path(uuid::Uuid::new_v4()), invalid.to_string()),
        put_json(&result_path(uuid::Uuid::new_v4()), "{not json".into()),
        Request::put(result_path(uuid::Uuid::new_v4()))
            .header("content-type", "text/plain")
            .body(Body::from(result.to_string()))
            .expect("request"),
        put_json(&result_path(uuid::Uuid::new_v4()), padded.to_string()),
        put_json("/api/v1/quiz/results/not-a-uuid", result.to_string()),
    ];
    let mut statuses = Vec::new();
    for request in requests {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, quiz::QUIZ_RESULT_ROUTE, "put", response).await);
    }
    assert_eq!(statuses, [201, 200, 409, 422, 422, 415, 413, 404]);
    answer(quiz::QUIZ_RESULT_ROUTE, "put");

    // GET /api/v1/staff/quiz/participation (the operator logged out above;
    // the admin's session is still valid).
    let mut statuses = Vec::new();
    for cookie in [admin, None] {
        let response = app
            .request(staff_get(quiz::STAFF_QUIZ_PARTICIPATION_ROUTE, cookie))
            .await;
        statuses
            .push(check_answer(&doc, quiz::STAFF_QUIZ_PARTICIPATION_ROUTE, "get", response).await);
    }
    assert_eq!(statuses, [200, 401]);
    answer(quiz::STAFF_QUIZ_PARTICIPATION_ROUTE, "get");

    // POST /api/v1/staff/imports: a phone's file, then one that is not.
    let report = ReportFixture::new();
    let manifest = protocol::archive::ArchiveManifest::new(
        greenwatch_server::clock::now(),
        vec![protocol::archive::ArchivedReport {
            report_id: report.id,
            report: report.body.clone(),
        }],
    );
    let manifest = serde_json::to_vec(&manifest).expect("json");
    let mut files: Vec<(String, &[u8])> = report
        .body
        .media()
        .iter()
        .zip(&report.media)
        .map(|(decl, bytes)| {
            (
                protocol::archive::medium_file(report.id, decl),
                bytes.as_slice(),
            )
        })
        .collect();
    files.push((protocol::archive::MANIFEST_FILE.to_owned(), &manifest));
    let file = protocol::archive::zip::zip_files(
        files.iter().map(|(name, bytes)| (name.as_str(), *bytes)),
    )
    .expect("zip");
    let import = |body: Vec<u8>, cookie: Option<&str>| {
        let mut request = Request::post(IMPORT_ROUTE).header("content-type", "application/zip");
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.body(Body::from(body)).expect("request")
    };
    let mut statuses = Vec::new();
    for request in [
        import(file, admin),
        import(b"not a zip".to_vec(), admin),
        import(Vec::new(), None),
    ] {
        let response = app.request(request).await;
        statuses.push(check_answer(&doc, IMPORT_ROUTE, "post", response).await);
    }
    assert_eq!(statuses, [200, 422, 401]);
    answer(IMPORT_ROUTE, "post");

    // GET /api/v1/transparency: the figures, with cases by now.
    let status = check_answer(
        &doc,
        TRANSPARENCY_ROUTE,
        "get",
        app.get(TRANSPARENCY_ROUTE).await,
    )
    .await;
    assert_eq!(status, 200);
    answer(TRANSPARENCY_ROUTE, "get");

    assert_eq!(seen, operations(&doc), "every operation exercised");
}

#[tokio::test]
async fn other_methods_on_documented_paths_are_405() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let report = ReportFixture::new();
    let operations = operations(&doc);
    for (template, _) in &operations {
        let path = template
            .replace("{report_id}", &report.id.to_string())
            .replace("{index}", "0")
            .replace("{case_number}", "GW-2026-000001")
            .replace("{result_id}", &report.id.to_string())
            .replace("{support_id}", &report.id.to_string())
            .replace("{username}", "operator");
        for other in ["get", "put", "post", "delete", "patch"] {
            if operations.contains(&(template.clone(), other.to_owned())) {
                continue;
            }
            let request = Request::builder()
                .method(other.to_uppercase().as_str())
                .uri(&path)
                .body(Body::empty())
                .expect("request");
            let response = app.request(request).await;
            assert_eq!(
                response.status(),
                StatusCode::METHOD_NOT_ALLOWED,
                "{other} {path}"
            );
        }
    }
}

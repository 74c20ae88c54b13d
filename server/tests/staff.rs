//! `/api/v1/staff/` through the real Router and a real store: accounts,
//! sessions, roles, the audit log and case handling.

mod helpers;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use greenwatch_server::auth::{new_session_token, token_hash};
use greenwatch_server::clock;
use greenwatch_server::staff_cli::{add_staff_user, StaffCliError};
use greenwatch_server::store::{Backend, StoreLocation, DATABASE_FILE};
use helpers::{body_bytes, header, json_body, ReportFixture, TestApp};
use protocol::report::UnixMillis;
use protocol::staff::{
    AuditAction, AuditEntry, CaseDetail, CaseReward, CaseSummary, ReplyTemplate, RewardAmount,
    RewardState, RewardStep, Role, StaffAccount, StaffMe, StaffReward, Username, SESSION_COOKIE,
};
use protocol::sync::{case_path, CaseEventKind, CaseNumber, CaseStatus, Timeline};
use protocol::{ApiError, ErrorCode};
use serde_json::{json, Value};
use sqlx::AnyPool;

const ADMIN_PASSWORD: &str = "admin password 12369";
const OPERATOR_PASSWORD: &str = "operator password 12369";

/// The app with an administrator `admin` and an operator `operator`,
/// made through the `staff add` command's function.
async fn staff_app() -> TestApp {
    staff_app_with(|_| {}).await
}

async fn staff_app_with(edit: impl FnOnce(&mut greenwatch_server::config::Config)) -> TestApp {
    let app = TestApp::spawn_with(helpers::INDEX_HTML, edit).await;
    add_staff_user(&app.location, "admin", Role::Admin, ADMIN_PASSWORD)
        .await
        .expect("admin");
    add_staff_user(&app.location, "operator", Role::Operator, OPERATOR_PASSWORD)
        .await
        .expect("operator");
    app
}

fn login_request(username: &str, password: &str) -> Request<Body> {
    Request::post("/api/v1/staff/login")
        .header("content-type", "application/json")
        .body(Body::from(
            json!({ "username": username, "password": password }).to_string(),
        ))
        .expect("request")
}

/// The `name=value` of a login's `Set-Cookie`.
fn cookie_of(response: &Response<Body>) -> String {
    let set_cookie = header(response, "set-cookie");
    set_cookie
        .split(';')
        .next()
        .expect("a cookie")
        .trim()
        .to_owned()
}

async fn login(app: &TestApp, username: &str, password: &str) -> String {
    let response = app.request(login_request(username, password)).await;
    assert_eq!(response.status(), StatusCode::OK, "login {username}");
    cookie_of(&response)
}

/// A session that expired an hour ago, for `username`.
async fn expired_cookie(app: &TestApp, username: &str) -> String {
    let user = app
        .store
        .staff_credentials(&Username::parse(username).expect("name"))
        .await
        .expect("store")
        .expect("user")
        .user;
    let token = new_session_token().expect("token");
    let now = clock::now().0;
    app.store
        .start_session(
            &user,
            &token_hash(&token),
            UnixMillis(now - 13 * 3_600_000),
            UnixMillis(now - 3_600_000),
        )
        .await
        .expect("session");
    format!("{SESSION_COOKIE}={token}")
}

fn staff_request(
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&Value>,
) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    match body {
        Some(body) => request
            .header("content-type", "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .expect("request")
}

async fn send(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&Value>,
) -> Response<Body> {
    app.request(staff_request(method, path, cookie, body)).await
}

/// A complete case from `report`.
async fn case_of(app: &TestApp, report: &ReportFixture) -> CaseNumber {
    app.send_whole(report).await.case_number()
}

/// A complete case whose reporter gave no contact.
async fn anonymous_case(app: &TestApp) -> (ReportFixture, CaseNumber) {
    let report = ReportFixture::new();
    let body = report.json_edited(|j| j["contact"] = json!({ "name": null, "phone": null }));
    let response = app.put_json(&report.path(), body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mut number = None;
    for index in 0..report.media.len() {
        let response = app
            .put_bytes(
                &report.medium_path(index as u8),
                report.media[index].clone(),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK);
        let status: protocol::sync::IntakeStatus = json_body(response).await;
        number = Some(status.case_number());
    }
    (report, number.expect("media"))
}

async fn citizen_timeline(app: &TestApp, report: &ReportFixture, number: CaseNumber) -> Timeline {
    let response = app
        .get_with_receipt(&case_path(&number), Some(&report.receipt()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

async fn audit(app: &TestApp, admin: &str) -> Vec<AuditEntry> {
    let response = send(
        app,
        "GET",
        "/api/v1/staff/audit?limit=1000",
        Some(admin),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

async fn auth_error(response: Response<Body>, status: StatusCode, code: &str) {
    assert_eq!(response.status(), status);
    assert_eq!(header(&response, "cache-control"), "no-store");
    let body: Value = json_body(response).await;
    assert_eq!(body["code"], code, "{body}");
    assert!(body["message"]["zh-CN"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert!(body["message"]["en"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
}

/// Accepts and resolves case `number` as `cookie`.
async fn resolve(app: &TestApp, cookie: &str, number: CaseNumber) {
    for (action, body) in [
        ("accept", None),
        (
            "resolve",
            Some(json!({"reply": "经现场核查，反映属实，已责令整改。"})),
        ),
    ] {
        let path = format!("/api/v1/staff/cases/{number}/{action}");
        let response = send(app, "POST", &path, Some(cookie), body.as_ref()).await;
        assert_eq!(response.status(), StatusCode::OK, "{action} {number}");
    }
}

async fn database(app: &TestApp) -> AnyPool {
    app.database_pool().await
}

// ------------------------------------------------------- every route × role

/// One staff route: its method, a concrete path, the role it needs, the
/// body of a successful call and the success status.
struct Row {
    method: &'static str,
    template: &'static str,
    path: String,
    role: Role,
    body: Option<Value>,
    success: StatusCode,
}

#[tokio::test]
async fn every_staff_route_refuses_without_a_valid_session_of_the_right_role() {
    let app = staff_app().await;
    let c1 = case_of(&app, &ReportFixture::new()).await;
    let c2 = case_of(&app, &ReportFixture::new()).await;
    let c3 = case_of(&app, &ReportFixture::new()).await;
    let c4 = case_of(&app, &ReportFixture::new()).await;
    let support = helpers::SupportFixture::new(c1);
    app.send_support(&support).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let expired = expired_cookie(&app, "admin").await;
    // c4: resolved with a proposed reward, for the reject row.
    resolve(&app, &admin, c4).await;
    let path = format!("/api/v1/staff/cases/{c4}/reward");
    let response = send(
        &app,
        "POST",
        &path,
        Some(&admin),
        Some(&json!({"amount_fen": 2000})),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let row = |method, template: &'static str, path: String, role, body, success| Row {
        method,
        template,
        path,
        role,
        body,
        success,
    };
    let ok = StatusCode::OK;
    // In an order where each success is a valid step (logout last).
    let rows = vec![
        row(
            "GET",
            "/api/v1/staff/me",
            "/api/v1/staff/me".into(),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/users",
            "/api/v1/staff/users".into(),
            Role::Admin,
            Some(
                json!({"username": "wang.fang", "password": "a long enough password", "role": "operator"}),
            ),
            StatusCode::CREATED,
        ),
        row(
            "GET",
            "/api/v1/staff/users",
            "/api/v1/staff/users".into(),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/users/{username}/disable",
            "/api/v1/staff/users/wang.fang/disable".into(),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/users/{username}/enable",
            "/api/v1/staff/users/wang.fang/enable".into(),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "GET",
            "/api/v1/staff/audit",
            "/api/v1/staff/audit".into(),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "GET",
            "/api/v1/staff/cases",
            "/api/v1/staff/cases".into(),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "GET",
            "/api/v1/staff/cases/{case_number}",
            format!("/api/v1/staff/cases/{c1}"),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "GET",
            "/api/v1/staff/cases/{case_number}/media/{index}",
            format!("/api/v1/staff/cases/{c1}/media/0"),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "GET",
            "/api/v1/staff/supports/{support_id}/media/{index}",
            format!("/api/v1/staff/supports/{}/media/0", support.id),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/public-summary",
            format!("/api/v1/staff/cases/{c1}/public-summary"),
            Role::Operator,
            Some(json!({"public_summary": "东湖路河道有异味"})),
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/accept",
            format!("/api/v1/staff/cases/{c1}/accept"),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/on-site",
            format!("/api/v1/staff/cases/{c1}/on-site"),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/resolve",
            format!("/api/v1/staff/cases/{c1}/resolve"),
            Role::Operator,
            Some(json!({"reply": "经现场核查，已责令整改。"})),
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/reward",
            format!("/api/v1/staff/cases/{c1}/reward"),
            Role::Operator,
            Some(json!({"amount_fen": 5000})),
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/reward/approve",
            format!("/api/v1/staff/cases/{c1}/reward/approve"),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/reward/paid",
            format!("/api/v1/staff/cases/{c1}/reward/paid"),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/reward/reject",
            format!("/api/v1/staff/cases/{c4}/reward/reject"),
            Role::Admin,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/reject",
            format!("/api/v1/staff/cases/{c2}/reject"),
            Role::Operator,
            Some(json!({"reason": "不属于环保部门职责"})),
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/cases/{case_number}/duplicate",
            format!("/api/v1/staff/cases/{c3}/duplicate"),
            Role::Operator,
            Some(json!({"of": c1.to_string(), "reason": "同一排污口"})),
            ok,
        ),
        row(
            "GET",
            "/api/v1/staff/reply-templates",
            "/api/v1/staff/reply-templates".into(),
            Role::Operator,
            None,
            ok,
        ),
        // An empty body is not a file of reports: past the session check,
        // the import refuses it.
        row(
            "POST",
            "/api/v1/staff/imports",
            "/api/v1/staff/imports".into(),
            Role::Operator,
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        row(
            "GET",
            "/api/v1/staff/quiz/participation",
            "/api/v1/staff/quiz/participation".into(),
            Role::Operator,
            None,
            ok,
        ),
        row(
            "POST",
            "/api/v1/staff/logout",
            "/api/v1/staff/logout".into(),
            Role::Operator,
            None,
            StatusCode::NO_CONTENT,
        ),
    ];

    // The table is every staff route the API documents, login aside.
    let document: Value =
        serde_json::from_str(greenwatch_server::routes::openapi::DOCUMENT).expect("openapi");
    let documented: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(path, _)| path.starts_with("/api/v1/staff/") && *path != "/api/v1/staff/login")
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("item")
                .keys()
                .map(move |method| (path.clone(), method.to_uppercase()))
        })
        .collect();
    let tabled: BTreeSet<(String, String)> = rows
        .iter()
        .map(|row| (row.template.to_owned(), row.method.to_owned()))
        .collect();
    assert_eq!(tabled, documented);

    for row in &rows {
        let what = format!("{} {}", row.method, row.path);
        let body = row.body.as_ref();
        let response = send(&app, row.method, &row.path, None, body).await;
        auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let response = send(&app, row.method, &row.path, Some(&expired), body).await;
        auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let garbage = format!("{SESSION_COOKIE}={}", "A".repeat(43));
        let response = send(&app, row.method, &row.path, Some(&garbage), body).await;
        auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
        let right = match row.role {
            Role::Admin => {
                let response = send(&app, row.method, &row.path, Some(&operator), body).await;
                auth_error(response, StatusCode::FORBIDDEN, "forbidden").await;
                &admin
            }
            Role::Operator => &operator,
        };
        let response = send(&app, row.method, &row.path, Some(right), body).await;
        assert_eq!(response.status(), row.success, "{what}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{what}");
    }
    // The operator's session is gone after logout; the admin's is not.
    let response = send(&app, "GET", "/api/v1/staff/me", Some(&operator), None).await;
    auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let response = send(&app, "GET", "/api/v1/staff/cases", Some(&admin), None).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "admins may do what operators may"
    );
}

// ------------------------------------------------------------------- login

#[tokio::test]
async fn a_login_sets_a_strict_http_only_cookie_and_me_says_who() {
    let app = staff_app().await;
    let response = app.request(login_request(" Admin ", ADMIN_PASSWORD)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = header(&response, "set-cookie").to_owned();
    assert!(
        set_cookie.starts_with(&format!("{SESSION_COOKIE}=")),
        "{set_cookie}"
    );
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http by default");
    let cookie = cookie_of(&response);
    let me: StaffMe = json_body(response).await;
    assert_eq!(me.username.as_str(), "admin");
    assert_eq!(me.role, Role::Admin);
    let token = cookie.split_once('=').expect("cookie").1;
    assert!(token.len() >= 22, "at least 128 bits");

    let response = send(&app, "GET", "/api/v1/staff/me", Some(&cookie), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let again: StaffMe = json_body(response).await;
    assert_eq!(again, me);

    // Logout clears the cookie and ends the session on the server.
    let response = send(&app, "POST", "/api/v1/staff/logout", Some(&cookie), None).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(header(&response, "set-cookie").contains("Max-Age=0"));
    let response = send(&app, "GET", "/api/v1/staff/me", Some(&cookie), None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_cookie_is_secure_when_served_over_https() {
    let app =
        staff_app_with(|config| config.public_url = "https://greenwatch.example.cn".into()).await;
    let response = app
        .request(login_request("operator", OPERATOR_PASSWORD))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(header(&response, "set-cookie").ends_with("; Secure"));
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_401() {
    let app = staff_app().await;
    let unknown = app.request(login_request("nobody", ADMIN_PASSWORD)).await;
    assert!(header(&unknown, "set-cookie").is_empty());
    let unknown_status = unknown.status();
    let unknown = body_bytes(unknown).await;
    let wrong = app
        .request(login_request("admin", "not the password"))
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(unknown_status, StatusCode::UNAUTHORIZED);
    assert!(header(&wrong, "set-cookie").is_empty());
    assert_eq!(body_bytes(wrong).await, unknown);
    let body: Value = serde_json::from_slice(&unknown).expect("json");
    assert_eq!(body["code"], "unauthorized");
    assert_eq!(body["message"]["en"], "Wrong username or password.");

    // Both are in the audit log.
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let entries = audit(&app, &admin).await;
    let failed: Vec<&str> = entries
        .iter()
        .filter(|e| e.action == AuditAction::LoginFailed)
        .map(|e| e.actor.as_str())
        .collect();
    assert_eq!(failed, ["admin", "nobody"]);
    assert_eq!(entries[0].action, AuditAction::Login);
    assert_eq!(entries[0].actor, "admin");
}

#[tokio::test]
async fn five_failed_logins_for_a_name_then_429_with_retry_after() {
    let app = staff_app().await;
    for _ in 0..5 {
        let response = app.request(login_request("admin", "wrong password")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    // Even the right password now waits.
    let response = app.request(login_request("admin", ADMIN_PASSWORD)).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = header(&response, "retry-after").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    let error: ApiError = json_body(response).await;
    assert_eq!(error.code, ErrorCode::RateLimited);
}

#[tokio::test]
async fn five_failed_logins_from_a_client_then_429_for_any_name() {
    let app = staff_app().await;
    for name in ["a1x", "b2x", "c3x", "d4x", "e5x"] {
        let response = app.request(login_request(name, "wrong password")).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
    let response = app
        .request(login_request("operator", OPERATOR_PASSWORD))
        .await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(!header(&response, "retry-after").is_empty());
}

#[tokio::test]
async fn passwords_are_argon2id_phc_strings_and_tokens_are_stored_hashed() {
    let app = staff_app().await;
    let cookie = login(&app, "admin", ADMIN_PASSWORD).await;
    let token = cookie.split_once('=').expect("cookie").1.to_owned();
    let db = database(&app).await;
    let hashes: Vec<String> = sqlx::query_scalar("SELECT password_hash FROM staff_users")
        .fetch_all(&db)
        .await
        .expect("query");
    assert_eq!(hashes.len(), 2);
    for hash in &hashes {
        assert!(hash.starts_with("$argon2id$v=19$m="), "{hash}");
        assert_eq!(hash.split('$').count(), 6, "a PHC string: {hash}");
    }
    let sessions: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM staff_sessions")
        .fetch_all(&db)
        .await
        .expect("query");
    assert_eq!(sessions, [token_hash(&token)]);
    db.close().await;
    if app.store.backend() != Backend::Sqlite {
        // The byte scan below reads SQLite's files; PostgreSQL's rows were
        // checked above.
        return;
    }
    // Neither a password nor the token is anywhere in the database files.
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(app.data.path()).expect("data dir") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            bytes.extend(std::fs::read(&path).expect("read"));
        }
    }
    let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(contains("$argon2id$"), "the scan reads the database");
    assert!(!contains(ADMIN_PASSWORD));
    assert!(!contains(OPERATOR_PASSWORD));
    assert!(!contains(&token));
}

// ---------------------------------------------------------------- accounts

#[tokio::test]
async fn the_staff_add_command_makes_accounts_that_can_log_in() {
    let app = TestApp::spawn().await;
    let me = add_staff_user(&app.location, " First.Admin ", Role::Admin, ADMIN_PASSWORD)
        .await
        .expect("created");
    assert_eq!(me.username.as_str(), "first.admin");
    assert_eq!(me.role, Role::Admin);
    assert!(matches!(
        add_staff_user(&app.location, "first.admin", Role::Operator, ADMIN_PASSWORD).await,
        Err(StaffCliError::NameTaken(_))
    ));
    assert!(matches!(
        add_staff_user(&app.location, "x", Role::Operator, ADMIN_PASSWORD).await,
        Err(StaffCliError::Username(_))
    ));
    assert!(matches!(
        add_staff_user(&app.location, "short.pw", Role::Operator, "short").await,
        Err(StaffCliError::Password(_))
    ));
    // A data folder that does not exist yet is created.
    let fresh = app.data.path().join("fresh");
    add_staff_user(
        &StoreLocation::data_folder(&fresh),
        "admin",
        Role::Admin,
        ADMIN_PASSWORD,
    )
    .await
    .expect("created in a new folder");
    assert!(fresh.join(DATABASE_FILE).is_file());

    let cookie = login(&app, "first.admin", ADMIN_PASSWORD).await;
    let entries = audit(&app, &cookie).await;
    let created = entries
        .iter()
        .find(|e| e.action == AuditAction::UserCreated)
        .expect("audited");
    assert_eq!(created.actor, "command line");
    assert_eq!(created.detail.as_deref(), Some("first.admin (admin)"));
}

#[tokio::test]
async fn admins_create_accounts_and_names_are_unique() {
    let app = staff_app().await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let body = json!({"username": "li.na", "password": "another long password", "role": "admin"});
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users",
        Some(&admin),
        Some(&body),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users",
        Some(&admin),
        Some(&body),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let weak = json!({"username": "zhao", "password": "short", "role": "operator"});
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users",
        Some(&admin),
        Some(&weak),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let li_na = login(&app, "li.na", "another long password").await;
    let response = send(&app, "GET", "/api/v1/staff/audit", Some(&li_na), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let entries: Vec<AuditEntry> = json_body(response).await;
    assert!(entries.iter().any(|e| e.action == AuditAction::UserCreated
        && e.actor == "admin"
        && e.detail.as_deref() == Some("li.na (admin)")));
}

// ------------------------------------------------------------------- cases

#[tokio::test]
async fn each_action_appends_to_the_citizens_timeline_and_the_audit_log() {
    let app = staff_app().await;
    let report = ReportFixture::new();
    let number = case_of(&app, &report).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let reply = "经现场核查，您反映的问题属实，已责令停产整改。感谢您的监督！";
    let steps = [
        ("accept", None, CaseStatus::Accepted, AuditAction::Accept),
        ("on-site", None, CaseStatus::OnSite, AuditAction::OnSite),
        (
            "resolve",
            Some(json!({ "reply": reply })),
            CaseStatus::Resolved,
            AuditAction::Resolve,
        ),
    ];
    for (count, (action, body, status, audited)) in steps.into_iter().enumerate() {
        let path = format!("/api/v1/staff/cases/{number}/{action}");
        let response = send(&app, "POST", &path, Some(&operator), body.as_ref()).await;
        assert_eq!(response.status(), StatusCode::OK, "{action}");
        let answered: Timeline = json_body(response).await;
        let citizen = citizen_timeline(&app, &report, number).await;
        assert_eq!(citizen, answered);
        assert_eq!(citizen.status(), status);
        assert_eq!(citizen.events().len(), count + 2);
        let entries = audit(&app, &admin).await;
        let entry = entries
            .iter()
            .find(|e| e.action != AuditAction::Login)
            .expect("the action's entry");
        assert_eq!(entry.action, audited);
        assert_eq!(entry.actor, "operator");
        assert_eq!(entry.case_number, Some(number));
    }
    let citizen = citizen_timeline(&app, &report, number).await;
    assert_eq!(
        citizen.last().kind,
        CaseEventKind::Resolved {
            reply: reply.to_owned()
        }
    );
    // Each event records who wrote it.
    let db = database(&app).await;
    let writers: Vec<Option<i64>> =
        sqlx::query_scalar("SELECT staff_user_id FROM case_events ORDER BY id")
            .fetch_all(&db)
            .await
            .expect("query");
    assert_eq!(writers.len(), 4);
    assert_eq!(writers[0], None, "received is the server's");
    assert!(writers[1..].iter().all(Option::is_some));
}

#[tokio::test]
async fn invalid_transitions_are_409_with_a_bilingual_message() {
    let app = staff_app().await;
    let report = ReportFixture::new();
    let number = case_of(&app, &report).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let path = |action: &str| format!("/api/v1/staff/cases/{number}/{action}");
    let reply = json!({"reply": "已处理。"});
    let reason = json!({"reason": "理由"});

    let conflict = |response: Response<Body>| async move {
        assert_eq!(response.status(), StatusCode::CONFLICT);
        let error: ApiError = json_body(response).await;
        assert_eq!(error.code, ErrorCode::Conflict);
        assert!(!error.message.zh_cn.is_empty() && error.message.en.contains("cannot be"));
        error
    };
    // Received: not on site, not resolved yet.
    conflict(send(&app, "POST", &path("on-site"), Some(&operator), None).await).await;
    conflict(
        send(
            &app,
            "POST",
            &path("resolve"),
            Some(&operator),
            Some(&reply),
        )
        .await,
    )
    .await;
    let response = send(&app, "POST", &path("accept"), Some(&operator), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    conflict(send(&app, "POST", &path("accept"), Some(&operator), None).await).await;
    let response = send(&app, "POST", &path("on-site"), Some(&operator), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    // On site: no more rejecting.
    conflict(
        send(
            &app,
            "POST",
            &path("reject"),
            Some(&operator),
            Some(&reason),
        )
        .await,
    )
    .await;
    let response = send(
        &app,
        "POST",
        &path("resolve"),
        Some(&operator),
        Some(&reply),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // Closed: nothing.
    let error = conflict(send(&app, "POST", &path("accept"), Some(&operator), None).await).await;
    assert!(error.message.en.contains("closed"));
    conflict(
        send(
            &app,
            "POST",
            &path("resolve"),
            Some(&operator),
            Some(&reply),
        )
        .await,
    )
    .await;
    // Nothing refused reached the timeline.
    assert_eq!(
        citizen_timeline(&app, &report, number).await.events().len(),
        4
    );

    // Bodies are checked: a reply is required and limited.
    let other = case_of(&app, &ReportFixture::new()).await;
    let accept = format!("/api/v1/staff/cases/{other}/accept");
    assert_eq!(
        send(&app, "POST", &accept, Some(&operator), None)
            .await
            .status(),
        StatusCode::OK
    );
    let resolve = format!("/api/v1/staff/cases/{other}/resolve");
    for body in [
        json!({"reply": "  "}),
        json!({}),
        json!({"reply": "字".repeat(2001)}),
    ] {
        let response = send(&app, "POST", &resolve, Some(&operator), Some(&body)).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
    // An unknown case is a 404.
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/cases/GW-2026-999999/accept",
        Some(&operator),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_duplicate_names_another_existing_case() {
    let app = staff_app().await;
    let first = case_of(&app, &ReportFixture::new()).await;
    let report = ReportFixture::new();
    let second = case_of(&app, &report).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let path = format!("/api/v1/staff/cases/{second}/duplicate");
    let body = |of: String| json!({"of": of, "reason": "同一排污口，已在处理"});

    let response = send(
        &app,
        "POST",
        &path,
        Some(&operator),
        Some(&body(second.to_string())),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: ApiError = json_body(response).await;
    assert_eq!(error.message.en, "A case cannot be a duplicate of itself.");
    let response = send(
        &app,
        "POST",
        &path,
        Some(&operator),
        Some(&body("GW-2020-000001".into())),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = send(
        &app,
        "POST",
        &path,
        Some(&operator),
        Some(&body("nonsense".into())),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let response = send(
        &app,
        "POST",
        &path,
        Some(&operator),
        Some(&body(first.to_string())),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let timeline = citizen_timeline(&app, &report, second).await;
    assert_eq!(
        timeline.last().kind,
        CaseEventKind::Duplicate {
            of: first,
            reason: "同一排污口，已在处理".into()
        }
    );
}

#[tokio::test]
async fn the_detail_shows_contact_only_when_given_and_serves_the_media() {
    let app = staff_app().await;
    let named = ReportFixture::new();
    let with_contact = case_of(&app, &named).await;
    let (anonymous, without_contact) = anonymous_case(&app).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;

    let response = send(
        &app,
        "GET",
        &format!("/api/v1/staff/cases/{with_contact}"),
        Some(&operator),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let raw: Value = json_body(response).await;
    assert_eq!(raw["contact"]["phone"], "13800138000");
    let detail: CaseDetail = serde_json::from_value(raw).expect("detail");
    assert_eq!(detail.case_number, with_contact);
    assert_eq!(detail.status, CaseStatus::Received);
    assert_eq!(detail.description.as_str(), "小河发黑发臭，有死鱼。");
    assert_eq!(detail.timeline.events().len(), 1);
    assert_eq!(detail.media.len(), 2);

    let response = send(
        &app,
        "GET",
        &format!("/api/v1/staff/cases/{without_contact}"),
        Some(&operator),
        None,
    )
    .await;
    let raw: Value = json_body(response).await;
    assert!(raw.get("contact").is_none(), "{raw}");

    // Each medium's URL serves its stored bytes with its type.
    for (medium, bytes) in detail.media.iter().zip(&named.media) {
        let response = send(&app, "GET", &medium.url, Some(&operator), None).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "content-type"), medium.mime);
        assert_eq!(&body_bytes(response).await, bytes);
    }
    let missing = format!("/api/v1/staff/cases/{with_contact}/media/9");
    assert_eq!(
        send(&app, "GET", &missing, Some(&operator), None)
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    drop(anonymous);
}

#[tokio::test]
async fn the_list_holds_complete_cases_overdue_first_and_filters() {
    let app = staff_app().await;
    let old = case_of(&app, &ReportFixture::new()).await;
    let new = case_of(&app, &ReportFixture::new()).await;
    let resolved_old = case_of(&app, &ReportFixture::new()).await;
    // A report still missing a medium is not a case for staff yet.
    let partial = ReportFixture::new();
    assert_eq!(
        app.put_json(&partial.path(), partial.json()).await.status(),
        StatusCode::CREATED
    );
    // Two cases were received three days ago.
    let db = database(&app).await;
    for number in [old, resolved_old] {
        sqlx::query(
            "UPDATE case_events SET at = at - 3 * 86400000 WHERE report_id = \
             (SELECT report_id FROM reports WHERE case_year = $1 AND case_seq = $2)",
        )
        .bind(i64::from(number.year()))
        .bind(i64::from(number.sequence()))
        .execute(&db)
        .await
        .expect("update");
    }
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    for action in ["accept", "on-site"] {
        let path = format!("/api/v1/staff/cases/{resolved_old}/{action}");
        assert_eq!(
            send(&app, "POST", &path, Some(&operator), None)
                .await
                .status(),
            StatusCode::OK
        );
    }

    let list = |query: &'static str| {
        let app = &app;
        let operator = operator.clone();
        async move {
            let response = send(
                app,
                "GET",
                &format!("/api/v1/staff/cases{query}"),
                Some(&operator),
                None,
            )
            .await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            json_body::<Vec<CaseSummary>>(response).await
        }
    };
    let all = list("").await;
    let numbers: Vec<CaseNumber> = all.iter().map(|c| c.case_number).collect();
    // The old open case is overdue and first; then newest first; the
    // partial report is absent.
    assert_eq!(numbers, [old, new, resolved_old]);
    assert!(all[0].overdue && !all[1].overdue && !all[2].overdue);
    assert_eq!(all[2].status, CaseStatus::OnSite);
    assert!(all[0].due_at.0 <= clock::now().0);

    let on_site = list("?status=on_site").await;
    assert_eq!(
        on_site.iter().map(|c| c.case_number).collect::<Vec<_>>(),
        [resolved_old]
    );
    assert_eq!(list("?category=water_river").await.len(), 3);
    assert!(list("?category=noise").await.is_empty());
    let since = clock::now().0 - 86_400_000;
    let response = send(
        &app,
        "GET",
        &format!("/api/v1/staff/cases?from={since}"),
        Some(&operator),
        None,
    )
    .await;
    let recent: Vec<CaseSummary> = json_body(response).await;
    assert_eq!(
        recent.iter().map(|c| c.case_number).collect::<Vec<_>>(),
        [new]
    );
    let response = send(
        &app,
        "GET",
        &format!("/api/v1/staff/cases?to={since}"),
        Some(&operator),
        None,
    )
    .await;
    let older: Vec<CaseSummary> = json_body(response).await;
    assert_eq!(older.len(), 2);
    let response = send(
        &app,
        "GET",
        "/api/v1/staff/cases?status=lost",
        Some(&operator),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn reply_templates_are_bilingual() {
    let app = staff_app().await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let response = send(
        &app,
        "GET",
        "/api/v1/staff/reply-templates",
        Some(&operator),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let templates: Vec<ReplyTemplate> = json_body(response).await;
    assert!(templates.len() >= 3);
    assert!(templates.iter().any(|t| t.reply.zh_cn.contains("通讯补贴")));
}

// ------------------------------------------------------------------ rewards

async fn reward_step(
    app: &TestApp,
    cookie: &str,
    number: CaseNumber,
    tail: &str,
    body: Option<&Value>,
) -> Response<Body> {
    let path = format!("/api/v1/staff/cases/{number}/reward{tail}");
    send(app, "POST", &path, Some(cookie), body).await
}

async fn refusal(response: Response<Body>, status: StatusCode, code: ErrorCode) -> ApiError {
    assert_eq!(response.status(), status);
    let error: ApiError = json_body(response).await;
    assert_eq!(error.code, code);
    assert!(!error.message.zh_cn.is_empty() && !error.message.en.is_empty());
    error
}

#[tokio::test]
async fn a_genuine_tip_earns_a_subsidy_the_reporter_sees_once_approved() {
    let app = staff_app().await;
    let report = ReportFixture::new();
    let number = case_of(&app, &report).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let fifty = json!({"amount_fen": 5000});

    // Not before the tip is found genuine (resolved).
    let response = reward_step(&app, &operator, number, "", Some(&fifty)).await;
    refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    resolve(&app, &operator, number).await;
    // Amounts are 1 fen to ¥500.
    for bad in [
        json!({"amount_fen": 0}),
        json!({"amount_fen": 50_001}),
        json!({}),
    ] {
        let response = reward_step(&app, &operator, number, "", Some(&bad)).await;
        refusal(
            response,
            StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::Invalid,
        )
        .await;
    }
    // Nothing to approve or pay yet.
    let response = reward_step(&app, &admin, number, "/approve", None).await;
    refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;

    let response = reward_step(&app, &operator, number, "", Some(&fifty)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reward: StaffReward = json_body(response).await;
    assert_eq!(reward.state, RewardState::Proposed);
    assert_eq!(reward.amount_fen.fen(), 5000);
    assert_eq!(reward.proposed_by, "operator");
    // One reward per case.
    let response = reward_step(&app, &operator, number, "", Some(&fifty)).await;
    refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    // A proposal is internal: the citizen sees nothing yet.
    assert_eq!(citizen_timeline(&app, &report, number).await.reward(), None);
    // Paying needs an approval first.
    let response = reward_step(&app, &admin, number, "/paid", None).await;
    refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;

    let response = reward_step(&app, &admin, number, "/approve", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let reward: StaffReward = json_body(response).await;
    assert_eq!(reward.state, RewardState::Approved);
    assert_eq!(reward.decided_by.as_deref(), Some("admin"));
    let seen = citizen_timeline(&app, &report, number).await.reward();
    assert_eq!(
        seen,
        Some(CaseReward {
            amount_fen: RewardAmount::from_fen(5000).expect("valid"),
            state: RewardState::Approved
        })
    );

    let response = reward_step(&app, &admin, number, "/paid", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = citizen_timeline(&app, &report, number).await.reward();
    assert_eq!(seen.map(|r| r.state), Some(RewardState::Paid));
    // Paid is final.
    for tail in ["/approve", "/reject", "/paid"] {
        let response = reward_step(&app, &admin, number, tail, None).await;
        refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    }

    // Staff see it on the case; every step is in the audit log.
    let response = send(
        &app,
        "GET",
        &format!("/api/v1/staff/cases/{number}"),
        Some(&operator),
        None,
    )
    .await;
    let detail: CaseDetail = json_body(response).await;
    let reward = detail.reward.expect("the reward");
    assert_eq!(reward.state, RewardState::Paid);
    assert_eq!(reward.proposed_by, "operator");
    let entries = audit(&app, &admin).await;
    let steps: Vec<(AuditAction, &str)> = entries
        .iter()
        .filter(|e| e.case_number == Some(number) && e.action.code().starts_with("reward"))
        .map(|e| (e.action, e.actor.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            (AuditAction::RewardPaid, "admin"),
            (AuditAction::RewardApproved, "admin"),
            (AuditAction::RewardProposed, "operator"),
        ]
    );
}

/// The server decides who may take a reward step by protocol's rule
/// (`RewardStep::role`), not by its own list: for each step, on a case
/// where the step is due, an operator is refused (403) exactly when the rule
/// asks for an administrator, and an administrator never.
#[tokio::test]
async fn each_reward_step_is_open_to_the_roles_protocol_names() {
    let app = staff_app().await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let amount = RewardAmount::from_fen(2000).expect("valid");
    let body = json!({"amount_fen": amount.fen()});
    let steps = [
        (RewardStep::Propose(amount), ""),
        (RewardStep::Approve, "/approve"),
        (RewardStep::Reject, "/reject"),
        (RewardStep::MarkPaid, "/paid"),
    ];
    for (step, tail) in steps {
        for (role, cookie) in [(Role::Operator, &operator), (Role::Admin, &admin)] {
            // A case on which `step` is the next one allowed.
            let number = case_of(&app, &ReportFixture::new()).await;
            resolve(&app, &admin, number).await;
            let before: &[&str] = match step {
                RewardStep::Propose(_) => &[],
                RewardStep::Approve | RewardStep::Reject => &[""],
                RewardStep::MarkPaid => &["", "/approve"],
            };
            for earlier in before {
                let earlier_body = earlier.is_empty().then_some(&body);
                let response = reward_step(&app, &admin, number, earlier, earlier_body).await;
                assert_eq!(response.status(), StatusCode::OK, "{earlier}");
            }
            let step_body = matches!(step, RewardStep::Propose(_)).then_some(&body);
            let response = reward_step(&app, cookie, number, tail, step_body).await;
            let expected = if role.allows(step.role()) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(response.status(), expected, "{step:?} as {role:?}");
        }
    }
}

#[tokio::test]
async fn a_rejected_reward_is_final_and_never_shown() {
    let app = staff_app().await;
    let report = ReportFixture::new();
    let number = case_of(&app, &report).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    resolve(&app, &admin, number).await;
    let body = json!({"amount_fen": 1000});
    let response = reward_step(&app, &admin, number, "", Some(&body)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = reward_step(&app, &admin, number, "/reject", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(citizen_timeline(&app, &report, number).await.reward(), None);
    for (tail, body) in [("", Some(&body)), ("/approve", None), ("/paid", None)] {
        let response = reward_step(&app, &admin, number, tail, body).await;
        refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    }
}

#[tokio::test]
async fn without_contact_details_there_is_no_reward_to_propose_or_see() {
    let app = staff_app().await;
    let (report, number) = anonymous_case(&app).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    resolve(&app, &admin, number).await;
    let response = reward_step(&app, &admin, number, "", Some(&json!({"amount_fen": 5000}))).await;
    let error = refusal(
        response,
        StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Invalid,
    )
    .await;
    assert!(error.message.en.contains("contact"), "{}", error.message.en);
    // Even if a paid reward were somehow stored, the citizen's answer
    // carries none.
    let db = database(&app).await;
    let report_id: String = sqlx::query_scalar("SELECT report_id FROM reports WHERE case_seq = $1")
        .bind(i64::from(number.sequence()))
        .fetch_one(&db)
        .await
        .expect("report");
    let admin_id: i64 = sqlx::query_scalar("SELECT id FROM staff_users WHERE username = 'admin'")
        .fetch_one(&db)
        .await
        .expect("admin");
    sqlx::query(
        "INSERT INTO case_rewards (report_id, amount_fen, state, proposed_by, proposed_at, \
         decided_by, updated_at) VALUES ($1, 5000, 'paid', $2, 1, $2, 2)",
    )
    .bind(&report_id)
    .bind(admin_id)
    .execute(&db)
    .await
    .expect("insert");
    let response = app
        .get_with_receipt(&case_path(&number), Some(&report.receipt()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = json_body(response).await;
    assert!(body.get("reward_fen").is_none(), "{body}");
    assert!(body.get("reward_state").is_none(), "{body}");
    assert!(body.get("events").is_some());
}

// ----------------------------------------------------------------- accounts

#[tokio::test]
async fn admins_list_accounts_and_a_disabled_account_is_signed_out_for_good() {
    let app = staff_app().await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let response = send(&app, "GET", "/api/v1/staff/users", Some(&admin), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let accounts: Vec<StaffAccount> = json_body(response).await;
    let names: Vec<(&str, Role, bool)> = accounts
        .iter()
        .map(|a| (a.username.as_str(), a.role, a.disabled))
        .collect();
    assert_eq!(
        names,
        [
            ("admin", Role::Admin, false),
            ("operator", Role::Operator, false)
        ]
    );

    let path = "/api/v1/staff/users/operator/disable";
    let response = send(&app, "POST", path, Some(&admin), None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let account: StaffAccount = json_body(response).await;
    assert!(account.disabled);
    // Its session has ended, and it cannot sign in again.
    let response = send(&app, "GET", "/api/v1/staff/me", Some(&operator), None).await;
    auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let response = app
        .request(login_request("operator", OPERATOR_PASSWORD))
        .await;
    auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let db = database(&app).await;
    let sessions: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id \
         WHERE u.username = 'operator'",
    )
    .fetch_one(&db)
    .await
    .expect("count");
    assert_eq!(sessions, 0);

    // Enabled again, it signs in.
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users/operator/enable",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    login(&app, "operator", OPERATOR_PASSWORD).await;

    // Nobody disables themself; unknown names are 404.
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users/admin/disable",
        Some(&admin),
        None,
    )
    .await;
    refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users/nobody/disable",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    let entries = audit(&app, &admin).await;
    let changes: Vec<(AuditAction, Option<&str>)> = entries
        .iter()
        .filter(|e| {
            matches!(
                e.action,
                AuditAction::UserDisabled | AuditAction::UserEnabled
            )
        })
        .map(|e| (e.action, e.detail.as_deref()))
        .collect();
    assert_eq!(
        changes,
        [
            (AuditAction::UserEnabled, Some("operator (operator)")),
            (AuditAction::UserDisabled, Some("operator (operator)")),
        ]
    );
}

#[tokio::test]
async fn a_second_admin_may_disable_the_first_but_one_admin_always_remains() {
    let app = staff_app().await;
    add_staff_user(&app.location, "boss", Role::Admin, ADMIN_PASSWORD)
        .await
        .expect("boss");
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    let boss = login(&app, "boss", ADMIN_PASSWORD).await;
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users/admin/disable",
        Some(&boss),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    // admin's session is gone; boss, now the only enabled admin, cannot
    // disable itself.
    let response = send(&app, "GET", "/api/v1/staff/users", Some(&admin), None).await;
    auth_error(response, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let response = send(
        &app,
        "POST",
        "/api/v1/staff/users/boss/disable",
        Some(&boss),
        None,
    )
    .await;
    refusal(response, StatusCode::CONFLICT, ErrorCode::Conflict).await;
}

// -------------------------------------------------------------- audit log

#[tokio::test]
async fn the_audit_log_filters_by_user_action_and_case_and_pages() {
    let app = staff_app().await;
    let n1 = case_of(&app, &ReportFixture::new()).await;
    let n2 = case_of(&app, &ReportFixture::new()).await;
    let operator = login(&app, "operator", OPERATOR_PASSWORD).await;
    let admin = login(&app, "admin", ADMIN_PASSWORD).await;
    resolve(&app, &operator, n1).await;
    let path = format!("/api/v1/staff/cases/{n2}/accept");
    assert_eq!(
        send(&app, "POST", &path, Some(&admin), None).await.status(),
        StatusCode::OK
    );
    let get = |query: String| {
        let admin = admin.clone();
        let app = &app;
        async move {
            let response = send(
                app,
                "GET",
                &format!("/api/v1/staff/audit?{query}"),
                Some(&admin),
                None,
            )
            .await;
            assert_eq!(response.status(), StatusCode::OK, "{query}");
            json_body::<Vec<AuditEntry>>(response).await
        }
    };
    let by_operator = get("actor=operator".into()).await;
    let actions: Vec<AuditAction> = by_operator.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::Resolve,
            AuditAction::Accept,
            AuditAction::Login
        ]
    );
    let accepts = get("action=accept".into()).await;
    let cases: Vec<Option<CaseNumber>> = accepts.iter().map(|e| e.case_number).collect();
    assert_eq!(cases, [Some(n2), Some(n1)]);
    let about_n1 = get(format!("case_number={n1}")).await;
    assert!(about_n1.iter().all(|e| e.case_number == Some(n1)));
    assert_eq!(about_n1.len(), 2);
    let both = get(format!("case_number={n1}&action=accept&actor=operator")).await;
    assert_eq!(both.len(), 1);
    assert!(get("actor=nobody".into()).await.is_empty());
    // Pages: newest first, the next page after the last id.
    let all = get("limit=1000".into()).await;
    let first = get("limit=2".into()).await;
    let second = get(format!("limit=2&before={}", first[1].id)).await;
    assert_eq!(first, all[..2]);
    assert_eq!(second, all[2..4]);
    // A bad filter is a 422.
    let response = send(
        &app,
        "GET",
        "/api/v1/staff/audit?action=sneeze",
        Some(&admin),
        None,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

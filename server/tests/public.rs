//! Nothing public shows what a reporter sent (issue #14): every public
//! route, in JSON and XML (Open311 requests, one request, the updates
//! extension, the transparency figures and page, the nearby list), against
//! a case whose description, address, position, contact and media carry
//! markers that must not appear, nor the exact coordinates' digits; and the
//! nearby list's own rules against the real store.

mod helpers;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use helpers::{body_bytes, header, jpeg, webm, ReportFixture, SupportFixture, TestApp};
use protocol::public::NearbyAnswer;
use protocol::report::{Category, GeoPoint, Sha256Hex};
use protocol::sync::CaseNumber;
use serde_json::{json, Value};

const PASSWORD: &str = "operator password 12369";
const WORDS: &str = "MARKERDESC7f3a 夜里偷排废水，工人不敢说";
const ADDRESS: &str = "MARKERADDR9c1e 工业路 88 号后门";
const NAME: &str = "MARKERNAME";
const PHONE: &str = "13912345678";
const SUPPORTER_PHONE: &str = "13711112222";
/// The fix: its digits beyond the third decimal must never be public.
const LAT: f64 = 30.512_345_678_9;
const LON: f64 = 114.387_654_321_9;
const ACCURACY: f64 = 7.654_321;
const REASON: &str = "MARKERREASON the caller works there";

/// A report whose every private field carries a marker, at (`lat`, `lon`).
fn marked_report(lat: f64, lon: f64) -> ReportFixture {
    ReportFixture::edited(jpeg(3_000, 11), webm(2_000, 12), |draft| {
        draft.description = WORDS.into();
        draft.address = ADDRESS.into();
        draft.point = Some(GeoPoint::parse(lat, lon, ACCURACY).expect("point"));
        draft.name = NAME.into();
        draft.phone = PHONE.into();
    })
}

/// Fails if `text` (the answer at `what`) holds anything private of
/// `report` or `support`.
fn assert_private(what: &str, text: &str, report: &ReportFixture, support: &SupportFixture) {
    let secrets = [
        "MARKER".to_owned(),
        "偷排".to_owned(),
        "工业路".to_owned(),
        PHONE.to_owned(),
        SUPPORTER_PHONE.to_owned(),
        "5123456789".to_owned(),
        "3876543219".to_owned(),
        "30.5123".to_owned(),
        "114.3876".to_owned(),
        "7.654321".to_owned(),
        report.id.to_string(),
        support.id.to_string(),
        report.body.receipt_hash().to_string(),
        support.body.receipt_hash().to_string(),
        report.receipt(),
        Sha256Hex::of(&report.media[0]).to_string(),
        Sha256Hex::of(&report.media[1]).to_string(),
        Sha256Hex::of(&support.media[0]).to_string(),
    ];
    for secret in secrets {
        assert!(!text.contains(&secret), "{what} shows {secret:?}:\n{text}");
    }
}

/// Every public answer about cases: (what, status, body).
async fn public_answers(app: &TestApp, number: CaseNumber) -> Vec<(String, StatusCode, String)> {
    let mut paths = Vec::new();
    for format in ["json", "xml"] {
        paths.push(format!("/open311/v2/requests.{format}"));
        paths.push(format!("/open311/v2/requests.{format}?locale=en"));
        paths.push(format!("/open311/v2/requests/{number}.{format}"));
        paths.push(format!(
            "/open311/v2/requests.{format}?service_request_id={number}"
        ));
        paths.push(format!("/open311/v2/request_updates.{format}"));
        paths.push(format!(
            "/open311/v2/servicerequestupdates.{format}?service_request_id={number}"
        ));
    }
    paths.push("/api/v1/transparency".to_owned());
    paths.push("/transparency".to_owned());
    // The nearby list, asked with the exact fix by mistake and with its cell.
    paths.push(format!(
        "/api/v1/nearby?lat={LAT}&long={LON}&category=water_river"
    ));
    paths.push("/api/v1/nearby?lat=30.513&long=114.387&category=water_river".to_owned());
    let mut answers = Vec::new();
    for path in paths {
        let response = app.get(&path).await;
        let status = response.status();
        let body = String::from_utf8(body_bytes(response).await).expect("utf-8");
        answers.push((path, status, body));
    }
    answers
}

async fn staff_post(app: &TestApp, cookie: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .request(
            Request::post(path)
                .header("cookie", cookie)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await;
    let status = response.status();
    let bytes = body_bytes(response).await;
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn nearby(app: &TestApp, query: &str) -> NearbyAnswer {
    let response = app.get(&format!("/api/v1/nearby?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{query}");
    assert_eq!(header(&response, "cache-control"), "no-store");
    serde_json::from_slice(&body_bytes(response).await).expect("a nearby answer")
}

fn numbers(answer: &NearbyAnswer) -> Vec<CaseNumber> {
    answer.cases.iter().map(|case| case.case_number()).collect()
}

#[tokio::test]
async fn no_public_route_shows_what_the_reporter_sent() {
    let app = TestApp::spawn().await;
    let report = marked_report(LAT, LON);
    let number = app.send_whole(&report).await.case_number();
    let support = SupportFixture::with(number, vec![jpeg(1_000, 21)], Vec::new(), SUPPORTER_PHONE);
    app.send_support(&support).await;
    // A rejected case whose reason names the caller: not public either.
    let rejected = marked_report(LAT, LON);
    let rejected_number = app.send_whole(&rejected).await.case_number();
    let cookie = app.operator_cookie(PASSWORD).await;
    let (status, _) = staff_post(
        &app,
        &cookie,
        &format!("/api/v1/staff/cases/{rejected_number}/reject"),
        json!({ "reason": REASON }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let check = |answers: &[(String, StatusCode, String)]| {
        for (what, status, body) in answers {
            assert_eq!(*status, StatusCode::OK, "{what}: {body}");
            assert_private(what, body, &report, &support);
            assert_private(what, body, &rejected, &support);
        }
    };
    let answers = public_answers(&app, number).await;
    check(&answers);
    // What is public is there: the case, its cell, its supporter.
    let open311 = &answers[0].2;
    let listed: Value = serde_json::from_str(open311).expect("json");
    let ours = listed
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["service_request_id"] == number.to_string())
        .expect("our case is listed");
    assert_eq!(
        (ours["lat"].clone(), ours["long"].clone()),
        (json!(30.513), json!(114.387))
    );
    assert!(ours.get("description").is_none() && ours.get("address").is_none());
    let near = nearby(&app, "lat=30.513&long=114.387&category=water_river").await;
    assert_eq!(numbers(&near), [number], "open cases only");
    assert_eq!(near.cases[0].supporters(), 1);
    assert_eq!(near.cases[0].reporters(), 2);

    // Staff accept with a public summary and resolve with a public reply:
    // those, and nothing of the reporter's, are published.
    let summary = "河道排污口夜间有异味 & <泡沫>";
    let (status, _) = staff_post(
        &app,
        &cookie,
        &format!("/api/v1/staff/cases/{number}/accept"),
        json!({ "public_summary": summary }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let answers = public_answers(&app, number).await;
    check(&answers);
    let json_one = answers
        .iter()
        .find(|(what, ..)| what.ends_with(&format!("requests/{number}.json")))
        .expect("one request");
    let one: Value = serde_json::from_str(&json_one.2).expect("json");
    assert_eq!(one[0]["description"], summary);
    let xml_one = answers
        .iter()
        .find(|(what, ..)| what.ends_with(&format!("requests/{number}.xml")))
        .expect("one request");
    assert!(xml_one
        .2
        .contains("<description>河道排污口夜间有异味 &amp; &lt;泡沫&gt;</description>"));
    let near = nearby(&app, "lat=30.513&long=114.387&category=water_river").await;
    assert_eq!(near.cases[0].summary().map(|s| s.as_str()), Some(summary));

    let reply = "已责令企业停止排放并整改。";
    let (status, _) = staff_post(
        &app,
        &cookie,
        &format!("/api/v1/staff/cases/{number}/resolve"),
        json!({ "reply": reply }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let answers = public_answers(&app, number).await;
    check(&answers);
    assert!(answers[2].2.contains(reply), "{}", answers[2].2);
    let near = nearby(&app, "lat=30.513&long=114.387&category=water_river").await;
    assert!(near.cases.is_empty(), "a resolved case is not nearby");
}

/// A report of `category` at (`lat`, `lon`), sent whole.
async fn case_at(app: &TestApp, category: Category, lat: f64, lon: f64) -> CaseNumber {
    let report = ReportFixture::edited(jpeg(500, 1), webm(500, 2), |draft| {
        draft.category = Some(category);
        draft.point = Some(GeoPoint::parse(lat, lon, 10.0).expect("point"));
    });
    app.send_whole(&report).await.case_number()
}

#[tokio::test]
async fn nearby_lists_open_cases_of_the_category_within_500_m_nearest_first() {
    let app = TestApp::spawn().await;
    let river = Category::WaterRiver;
    // 0.001° of latitude is 111 m, of longitude about 96 m here.
    let here = case_at(&app, river, 30.5005, 114.3005).await;
    let north_200 = case_at(&app, river, 30.5032, 114.3005).await;
    let east_400 = case_at(&app, river, 30.5005, 114.3045).await;
    let far = case_at(&app, river, 30.5105, 114.3005).await;
    let noise = case_at(&app, Category::Noise, 30.5005, 114.3005).await;
    let merged = case_at(&app, river, 30.5005, 114.3005).await;
    let old = case_at(&app, river, 30.5005, 114.3005).await;
    // The fixture's report gives only an address: it has no public position.
    app.send_whole(&ReportFixture::new()).await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let (status, _) = staff_post(
        &app,
        &cookie,
        &format!("/api/v1/staff/cases/{merged}/duplicate"),
        json!({ "of": here.to_string(), "reason": "同一排污口" }),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // Thirty-one days old.
    let db = app.database_pool().await;
    sqlx::query("UPDATE reports SET created_at = created_at - $1 WHERE case_seq = $2")
        .bind(31 * 86_400_000_i64)
        .bind(i64::from(old.sequence()))
        .execute(&db)
        .await
        .expect("age a case");

    let near = nearby(&app, "lat=30.501&long=114.301&category=water_river").await;
    // Not the duplicate (closed), the old one, the one 1.1 km away, the
    // noise case or the one without a position.
    assert_eq!(numbers(&near), [here, north_200, east_400]);
    // The merged duplicate's reporter now supports the original.
    assert_eq!(near.cases[0].supporters(), 1);
    assert_eq!(near.cases[0].reporters(), 2);
    // An exact fix sent by mistake is only used as its cell.
    let exact = nearby(&app, "lat=30.5009876&long=114.3001234&category=water_river").await;
    assert_eq!(exact, near);
    let noisy = nearby(&app, "lat=30.501&long=114.301&category=noise").await;
    assert_eq!(numbers(&noisy), [noise]);
    // From the far one's own cell, it is the nearest.
    let there = nearby(&app, "lat=30.511&long=114.301&category=water_river").await;
    assert_eq!(numbers(&there), [far]);

    // At most five, nearest first.
    for _ in 0..4 {
        case_at(&app, river, 30.5005, 114.3005).await;
    }
    let many = nearby(&app, "lat=30.501&long=114.301&category=water_river").await;
    assert_eq!(many.cases.len(), 5);
    assert_eq!(
        numbers(&many)[0],
        here,
        "the most reported first at one distance"
    );
    assert!(!numbers(&many).contains(&north_200) && !numbers(&many).contains(&east_400));

    // Bad questions get a 422 in the API's error format.
    for query in [
        "lat=north&long=114.301&category=water_river",
        "lat=95&long=114.301&category=water_river",
        "lat=30.5&long=114.3",
        "lat=30.5&long=114.3&category=potholes",
    ] {
        let response = app.get(&format!("/api/v1/nearby?{query}")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        let body: Value = serde_json::from_slice(&body_bytes(response).await).expect("json");
        assert_eq!(body["code"], "invalid", "{query}");
    }
}

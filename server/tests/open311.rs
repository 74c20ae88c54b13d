//! Open311 GeoReport v2 through the real Router: discovery, services,
//! POST with and without a key, bad fields, GET filters, one request,
//! tokens, the updates extension, XML parsed back, and a staff resolve
//! seen as `closed` with its reply in `status_notes`. Every request read is
//! the case's public form: no description, address, exact position, media
//! link or contact (`tests/public.rs` checks every public route for that).

mod helpers;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use greenwatch_server::open311_cli::add_key;
use helpers::{body_bytes, header, ReportFixture, TestApp};
use serde_json::{json, Value};

const BASE: &str = "/open311/v2";
const STAFF_PASSWORD: &str = "operator password 12369";

async fn app_with_key() -> (TestApp, String) {
    let app = TestApp::spawn().await;
    let key = add_key(&app.location, "city app").await.expect("key");
    (app, key)
}

fn form_body(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// application/x-www-form-urlencoded encoding of one value.
fn encode(raw: &str) -> String {
    raw.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn post(app: &TestApp, path: &str, pairs: &[(&str, &str)]) -> Response<Body> {
    app.request(
        Request::post(format!("{BASE}/{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(form_body(pairs)))
            .expect("request"),
    )
    .await
}

async fn json_of(response: Response<Body>) -> Value {
    let bytes = body_bytes(response).await;
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

async fn get_json(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app.get(&format!("{BASE}/{path}")).await;
    let status = response.status();
    (status, json_of(response).await)
}

async fn get_xml(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.get(&format!("{BASE}/{path}")).await;
    let status = response.status();
    assert_eq!(header(&response, "content-type"), "text/xml; charset=utf-8");
    (
        status,
        String::from_utf8(body_bytes(response).await).expect("utf-8"),
    )
}

/// The children elements of `node` named `name`.
fn children<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Vec<roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(|n| n.is_element() && n.tag_name().name() == name)
        .collect()
}

fn child_text<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    children(node, name).first().and_then(|n| n.text())
}

fn good_request(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("api_key", key),
        ("service_code", "air"),
        ("lat", "31.2304"),
        ("long", "121.4737"),
        (
            "description",
            "Black smoke & soot from the plant's chimney <every night>",
        ),
        ("first_name", "Li"),
        ("last_name", "Wei"),
        ("phone", "13800138000"),
        ("email", "li.wei@example.org"),
        ("media_url", "https://example.org/smoke.jpg"),
    ]
}

async fn file(app: &TestApp, pairs: &[(&str, &str)]) -> (String, String) {
    let response = post(app, "requests.json", pairs).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_of(response).await;
    (
        body[0]["service_request_id"]
            .as_str()
            .expect("id")
            .to_owned(),
        body[0]["token"].as_str().expect("token").to_owned(),
    )
}

async fn staff_action(app: &TestApp, cookie: &str, case: &str, action: &str, body: Option<Value>) {
    let request = Request::post(format!("/api/v1/staff/cases/{case}/{action}"))
        .header("cookie", cookie)
        .header("content-type", "application/json")
        .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
        .expect("request");
    let response = app.request(request).await;
    assert_eq!(response.status(), StatusCode::OK, "{action} {case}");
}

#[tokio::test]
async fn discovery_points_at_the_endpoint_in_both_formats() {
    let app = TestApp::spawn().await;
    let (status, json) = get_json(&app, "discovery.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json["endpoints"][0]["url"],
        "http://127.0.0.1:8080/open311/v2"
    );
    assert_eq!(
        json["endpoints"][0]["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    let (status, xml) = get_xml(&app, "discovery.xml").await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "discovery");
    let endpoint = children(children(root, "endpoints")[0], "endpoint")[0];
    let formats: Vec<_> = children(children(endpoint, "formats")[0], "format")
        .iter()
        .filter_map(|f| f.text())
        .collect();
    assert_eq!(formats, ["text/xml", "application/json"]);
}

#[tokio::test]
async fn services_are_our_categories_in_json_and_xml_and_either_language() {
    let app = TestApp::spawn().await;
    let (status, json) = get_json(&app, "services.json?locale=en").await;
    assert_eq!(status, StatusCode::OK);
    let codes: Vec<_> = json
        .as_array()
        .expect("list")
        .iter()
        .map(|s| s["service_code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes.len(), 8);
    assert!(codes.contains(&"water_river"));
    assert_eq!(json[3]["service_name"], "Air pollution");

    let response = app
        .request(
            Request::get(format!("{BASE}/services.xml"))
                .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let xml = String::from_utf8(body_bytes(response).await).expect("utf-8");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let services = children(doc.root_element(), "service");
    assert_eq!(services.len(), 8);
    assert_eq!(child_text(services[3], "service_name"), Some("大气污染"));
    assert_eq!(child_text(services[3], "metadata"), Some("false"));

    let (status, definition) = get_json(&app, "services/noise.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        definition,
        json!({"service_code": "noise", "attributes": []})
    );
    let (status, xml) = get_xml(&app, "services/noise.xml").await;
    assert_eq!(status, StatusCode::OK);
    roxmltree::Document::parse(&xml).expect("well-formed XML");
    let (status, _) = get_json(&app, "services/potholes.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_needs_a_valid_key() {
    let (app, key) = app_with_key().await;
    let mut pairs = good_request(&key);
    pairs.retain(|(k, _)| *k != "api_key");
    let response = post(&app, "requests.json", &pairs).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let body = json_of(response).await;
    assert_eq!(body[0]["code"], 403);

    pairs.push(("api_key", "not-a-key"));
    let response = post(&app, "requests.xml", &pairs).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let xml = String::from_utf8(body_bytes(response).await).expect("utf-8");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "errors");
    let error = children(doc.root_element(), "error")[0];
    assert_eq!(child_text(error, "code"), Some("403"));
    // Nothing was filed.
    let (_, list) = get_json(&app, "requests.json").await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn posts_are_limited_per_key() {
    let (app, key) = app_with_key().await;
    let other = add_key(&app.location, "other app").await.expect("key");
    // Refused forms count too (no case is written for them).
    let bad = |key: &str| {
        vec![
            ("api_key".to_owned(), key.to_owned()),
            ("service_code".to_owned(), "air".to_owned()),
        ]
    };
    // The burst, then one more a second: however slowly this machine sends
    // them, a 429 comes before more than that were let through.
    let limits = greenwatch_server::routes::open311::POST_LIMITS;
    let start = std::time::Instant::now();
    let pairs = bad(&key);
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut let_through = 0u64;
    let response = loop {
        let response = post(&app, "requests.xml", &pairs).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            break response;
        }
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let_through += 1;
        let most = u64::from(limits.burst)
            + start.elapsed().as_secs() * u64::from(limits.refill_per_second)
            + 1;
        assert!(let_through <= most, "{let_through} posts let through");
    };
    assert!(
        let_through >= u64::from(limits.burst),
        "the whole burst first"
    );
    assert!(
        header(&response, "retry-after")
            .parse::<u64>()
            .expect("seconds")
            >= 1
    );
    let xml = String::from_utf8(body_bytes(response).await).expect("utf-8");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(
        child_text(children(doc.root_element(), "error")[0], "code"),
        Some("429")
    );
    // Another key is not held back.
    let response = post(&app, "requests.json", &good_request(&other)).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_fields_are_each_listed_in_a_400() {
    let (app, key) = app_with_key().await;
    let response = post(
        &app,
        "requests.json",
        &[
            ("api_key", &key),
            ("service_code", "air"),
            ("lat", "91.5"),
            ("long", "121"),
            ("description", "bad"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = json_of(response).await;
    let descriptions: Vec<&str> = body
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["description"].as_str().expect("text"))
        .collect();
    assert!(
        descriptions.iter().any(|d| d.starts_with("lat/long:")),
        "{descriptions:?}"
    );
    assert!(
        descriptions.iter().any(|d| d.starts_with("description:")),
        "{descriptions:?}"
    );

    let response = post(
        &app,
        "requests.json",
        &[
            ("api_key", &key),
            ("service_code", "air"),
            ("lat", "north"),
            ("long", "east"),
            ("description", "Smoke all night long from the plant"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);

    // A JSON body is not the spec's form.
    let response = app
        .request(
            Request::post(format!("{BASE}/requests.json"))
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(json_of(response).await[0]["code"], 415);
    let (_, list) = get_json(&app, "requests.json").await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn a_filed_request_is_a_case_shown_in_its_public_form() {
    let (app, key) = app_with_key().await;
    let (id, token) = file(&app, &good_request(&key)).await;
    assert!(id.starts_with("GW-"), "{id}");

    let (status, one) = get_json(&app, &format!("requests/{id}.json?locale=en")).await;
    assert_eq!(status, StatusCode::OK);
    let request = &one[0];
    assert_eq!(request["service_request_id"], id.as_str());
    assert_eq!(request["status"], "open");
    assert_eq!(request["status_notes"], "Received");
    assert_eq!(request["service_code"], "air");
    // The position as its ~200 m grid cell's centre.
    assert_eq!(request["lat"], 31.231);
    assert_eq!(request["long"], 121.473);
    assert!(request["requested_datetime"]
        .as_str()
        .expect("time")
        .ends_with('Z'));
    let text = one.to_string();
    for secret in [
        "13800138000",
        "Li Wei",
        "li.wei",
        "receipt",
        "Black smoke",
        "smoke.jpg",
        "31.2304",
        "121.4737",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    for field in ["description", "address", "media_url"] {
        assert!(request.get(field).is_none(), "{field} in {request}");
    }

    // The same case as the citizen's API and the staff see it: a timeline
    // that starts `received`.
    let stored = app
        .store
        .public_cases(&[id.parse().expect("number")])
        .await
        .expect("store");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].events().len(), 1);

    // Staff accept it with a public summary: that, and only that, is the
    // description, its markup characters surviving XML.
    let cookie = app.operator_cookie(STAFF_PASSWORD).await;
    staff_action(
        &app,
        &cookie,
        &id,
        "accept",
        Some(json!({"public_summary": "Smoke & soot <at night> near the plant"})),
    )
    .await;
    let (status, xml) = get_xml(&app, &format!("requests/{id}.xml")).await;
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "service_requests");
    let request = children(doc.root_element(), "request")[0];
    assert_eq!(
        child_text(request, "description"),
        Some("Smoke & soot <at night> near the plant")
    );
    assert_eq!(child_text(request, "service_request_id"), Some(id.as_str()));
    assert_eq!(child_text(request, "lat"), Some("31.231"));
    assert!(children(request, "address").is_empty() && children(request, "media_url").is_empty());

    // The token names the case.
    let (status, answer) = get_json(&app, &format!("tokens/{token}.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer[0]["service_request_id"], id.as_str());
    let (status, xml) = get_xml(&app, &format!("tokens/{token}.xml")).await;
    assert_eq!(status, StatusCode::OK);
    roxmltree::Document::parse(&xml).expect("well-formed XML");
    let (status, _) = get_json(&app, "tokens/00000000-0000-0000-0000-000000000000.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get_json(&app, "requests/GW-2020-000999.json").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn get_requests_filters_by_id_service_status_and_date() {
    let (app, key) = app_with_key().await;
    let (air, _) = file(&app, &good_request(&key)).await;
    let mut noise = good_request(&key);
    noise[1] = ("service_code", "noise");
    noise.retain(|(k, _)| !matches!(*k, "lat" | "long"));
    noise.push(("address_string", "No. 5 Riverside Road"));
    let (noise, _) = file(&app, &noise).await;
    // A citizen's synced report is listed too.
    let citizen = app
        .send_whole(&ReportFixture::new())
        .await
        .case_number()
        .to_string();

    let ids = |list: &Value| -> Vec<String> {
        list.as_array()
            .expect("list")
            .iter()
            .map(|r| r["service_request_id"].as_str().expect("id").to_owned())
            .collect()
    };
    let (_, all) = get_json(&app, "requests.json").await;
    assert_eq!(ids(&all).len(), 3, "{all}");
    assert_eq!(ids(&all)[0], citizen, "newest first");

    let (_, by_code) = get_json(&app, "requests.json?service_code=noise").await;
    assert_eq!(ids(&by_code), [noise.as_str()]);
    // Only an address: no position at all, and the address is not public.
    assert!(by_code[0].get("address").is_none());
    assert!(by_code[0].get("lat").is_none());

    let (_, by_ids) = get_json(
        &app,
        &format!("requests.json?service_request_id={air},{noise}&status=closed"),
    )
    .await;
    assert_eq!(
        ids(&by_ids),
        [air.clone(), noise.clone()],
        "ids override status"
    );

    // Close one: the staff accept and resolve it through the staff API.
    let cookie = app.operator_cookie(STAFF_PASSWORD).await;
    staff_action(&app, &cookie, &air, "accept", None).await;
    staff_action(
        &app,
        &cookie,
        &air,
        "resolve",
        Some(json!({"reply": "The plant was fined and the filter fixed."})),
    )
    .await;

    // The staff see the whole case: its contact and the Open311 link.
    let response = app
        .request(
            Request::get(format!("/api/v1/staff/cases/{air}"))
                .header("cookie", &cookie)
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    let detail = json_of(response).await;
    assert_eq!(detail["media_url"], "https://example.org/smoke.jpg");
    assert_eq!(detail["contact"]["name"], "Li Wei");
    assert_eq!(detail["contact"]["phone"], "13800138000");

    let (_, closed) = get_json(&app, "requests.json?status=closed").await;
    assert_eq!(ids(&closed), [air.as_str()]);
    assert_eq!(
        closed[0]["status_notes"],
        "The plant was fined and the filter fixed."
    );
    let (_, open) = get_json(&app, "requests.json?status=open").await;
    assert_eq!(ids(&open).len(), 2);
    assert!(!ids(&open).contains(&air));

    let (_, past) = get_json(
        &app,
        "requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00%2B08:00",
    )
    .await;
    assert_eq!(past, json!([]));
    let (_, recent) = get_json(
        &app,
        "requests.json?start_date=2020-01-01T00:00:00Z&end_date=2099-01-01T00:00:00Z",
    )
    .await;
    assert_eq!(recent[0]["code"], 400, "a span over 90 days is refused");
    let (status, bad) = get_json(&app, "requests.json?status=pending&service_code=potholes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.as_array().expect("list").len(), 2);

    // XML list, parsed back.
    let (_, xml) = get_xml(&app, "requests.xml?status=closed").await;
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let requests = children(doc.root_element(), "request");
    assert_eq!(requests.len(), 1);
    assert_eq!(child_text(requests[0], "status"), Some("closed"));
}

#[tokio::test]
async fn the_updates_extension_carries_the_whole_timeline() {
    let (app, key) = app_with_key().await;
    let (id, _) = file(&app, &good_request(&key)).await;
    let cookie = app.operator_cookie(STAFF_PASSWORD).await;
    staff_action(&app, &cookie, &id, "accept", None).await;
    staff_action(
        &app,
        &cookie,
        &id,
        "reject",
        Some(json!({"reason": "Outside our district; sent to the city."})),
    )
    .await;

    let (status, updates) = get_json(
        &app,
        &format!("request_updates.json?service_request_id={id}&locale=en"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let updates = updates.as_array().expect("list");
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[0]["description"], "Received");
    assert_eq!(updates[1]["description"], "Accepted");
    assert_eq!(updates[1]["status"], "open");
    assert_eq!(updates[2]["status"], "closed");
    // A rejection's reason is written for the reporter, not the public.
    assert_eq!(updates[2]["description"], "Rejected");
    assert_eq!(updates[2]["update_id"], format!("{id}-3"));

    let (_, xml) = get_xml(&app, "servicerequestupdates.xml").await;
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    assert_eq!(
        doc.root_element().tag_name().name(),
        "service_request_updates"
    );
    assert_eq!(children(doc.root_element(), "request_update").len(), 3);
}

#[tokio::test]
async fn nothing_under_open311_is_the_apps_page_or_cached() {
    let app = TestApp::spawn().await;
    for path in [
        "/open311",
        "/open311/",
        "/open311/v1/services.json",
        "/open311/v2/unknown.json",
        "/open311/v2/requests",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(header(&response, "cache-control"), "no-store", "{path}");
        let body = String::from_utf8(body_bytes(response).await).expect("utf-8");
        assert!(!body.contains("<html"), "{path} answered the app: {body}");
    }
    let response = app.get("/open311/v2/services.json").await;
    assert_eq!(header(&response, "cache-control"), "no-store");
    let response = app
        .request(
            Request::delete("/open311/v2/requests.json")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json_of(response).await[0]["code"], 405);
    let response = post(&app, "services.xml", &[]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    roxmltree::Document::parse(&String::from_utf8(body_bytes(response).await).expect("utf-8"))
        .expect("well-formed XML");
}

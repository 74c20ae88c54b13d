//! `GET /api/v1/channels` through the real Router: the built-in list with
//! an `ETag` to revalidate (304, `no-cache`), a bureau's `--channels-file`
//! served instead, and a bad file stopping the server with its name and the
//! problem before anything is created.

mod helpers;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use greenwatch_server::channels::ChannelsFileError;
use greenwatch_server::config::Config;
use greenwatch_server::startup::{Server, StartupError};
use helpers::{body_bytes, header, TestApp};
use protocol::calendar::Date;
use protocol::channels::{bundled, ChannelList, ChannelsQuery, CHANNELS_ROUTE};
use serde_json::{json, Value};
use tempfile::TempDir;

async fn get_channels(app: &TestApp, if_none_match: Option<&str>) -> Response<Body> {
    let mut request = Request::get(CHANNELS_ROUTE);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    app.request(request.body(Body::empty()).expect("request"))
        .await
}

async fn list_of(response: Response<Body>) -> ChannelList {
    assert_eq!(response.status(), StatusCode::OK);
    let body = String::from_utf8(body_bytes(response).await).expect("utf-8");
    ChannelList::parse(&body).expect("a channel list")
}

/// The built-in list as JSON, with a higher version and `edit` applied.
fn bureau_file(edit: impl FnOnce(&mut Value)) -> Value {
    let mut value = serde_json::to_value(bundled()).expect("list");
    value["version"] = json!(bundled().version() + 1);
    edit(&mut value);
    value
}

#[tokio::test]
async fn the_channels_answer_is_the_built_in_list_with_a_tag_to_revalidate() {
    let app = TestApp::spawn().await;
    let response = get_channels(&app, None).await;
    assert!(header(&response, "content-type").starts_with("application/json"));
    assert_eq!(header(&response, "cache-control"), "no-cache");
    let etag = header(&response, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let list = list_of(response).await;
    assert_eq!(list, bundled());
    // What Home offers: a phone line that answers, and it is not 12369.
    let today = Date::parse("2026-12-02").expect("date");
    let line = list.urgent_line(today).expect("an urgent line");
    assert_eq!(line.phone_number(), Some("12345"));
    assert!(list
        .channels()
        .iter()
        .all(|c| c.phone_number() != Some("12369")));

    for tag in [etag.clone(), etag.trim_start_matches("W/").to_owned()] {
        let response = get_channels(&app, Some(&tag)).await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED, "{tag}");
        assert_eq!(header(&response, "etag"), etag);
        assert_eq!(header(&response, "cache-control"), "no-cache");
        assert!(body_bytes(response).await.is_empty());
    }
    let response = get_channels(&app, Some("W/\"0123\"")).await;
    assert_eq!(list_of(response).await, bundled());

    let post = Request::post(CHANNELS_ROUTE)
        .body(Body::empty())
        .expect("request");
    assert_eq!(
        app.request(post).await.status(),
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn a_bureaus_channels_file_is_served_instead_of_the_built_in_list() {
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("channels.json");
    let own = bureau_file(|v| {
        v["channels"][0]["contact"] = json!({ "zh-CN": "057412345", "en": "057412345" });
    });
    std::fs::write(&file, own.to_string()).expect("write");
    let app = TestApp::spawn_with(helpers::INDEX_HTML, |config| {
        config.channels_file = Some(file.clone());
    })
    .await;
    let response = get_channels(&app, None).await;
    let etag = header(&response, "etag").to_owned();
    let list = list_of(response).await;
    assert_eq!(list.version(), bundled().version() + 1);
    assert_eq!(list.channels()[0].phone_number(), Some("057412345"));
    // Its own tag: a client holding the built-in list's tag gets the list.
    let built_in = TestApp::spawn().await;
    let built_in_tag = header(&get_channels(&built_in, None).await, "etag").to_owned();
    assert_ne!(built_in_tag, etag);
    let response = get_channels(&app, Some(&built_in_tag)).await;
    assert_eq!(list_of(response).await, list);
}

async fn get_path(app: &TestApp, path: &str) -> Response<Body> {
    app.request(Request::get(path).body(Body::empty()).expect("request"))
        .await
}

#[tokio::test]
async fn an_app_showing_the_same_or_a_newer_list_gets_no_content() {
    let app = TestApp::spawn().await;
    let version = bundled().version();
    for shown in [version, version + 1] {
        let response = get_path(&app, &ChannelsQuery::href(shown)).await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT, "{shown}");
        assert!(body_bytes(response).await.is_empty());
    }
    let older = get_path(&app, &ChannelsQuery::href(version - 1)).await;
    assert_eq!(list_of(older).await, bundled());

    // A bureau's newer list reaches an app showing the built-in one.
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("channels.json");
    std::fs::write(&file, bureau_file(|_| {}).to_string()).expect("write");
    let bureau = TestApp::spawn_with(helpers::INDEX_HTML, |config| {
        config.channels_file = Some(file.clone());
    })
    .await;
    let response = get_path(&bureau, &ChannelsQuery::href(version)).await;
    assert_eq!(list_of(response).await.version(), version + 1);

    // A version that is not a number is refused with a reason.
    for bad in ["newer_than=x", "newer_than=-1", "other=1"] {
        let response = get_path(&app, &format!("{CHANNELS_ROUTE}?{bad}")).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
}

/// `Server::build` with `--channels-file` holding `contents`.
async fn build_with_file(contents: &str) -> Result<Server, StartupError> {
    let dir = TempDir::new().expect("dir");
    let file = dir.path().join("bureau-channels.json");
    std::fs::write(&file, contents).expect("write");
    let data = TempDir::new().expect("data");
    let dist = TempDir::new().expect("dist");
    let mut config = Config::for_tests(data.path().join("data"), dist.path().to_owned());
    config.channels_file = Some(file);
    let built = Server::build(config).await;
    // The data folder is not even created when the file is refused.
    if built.is_err() {
        assert!(!data.path().join("data").exists());
    }
    built
}

#[tokio::test]
async fn a_bad_channels_file_stops_the_server_naming_the_file_and_the_problem() {
    let no_sources = bureau_file(|v| v["channels"][1]["sources"] = json!([]));
    let error = build_with_file(&no_sources.to_string())
        .await
        .err()
        .expect("refused");
    let message = error.to_string();
    assert!(
        matches!(
            &error,
            StartupError::Channels(ChannelsFileError::Invalid { path, .. })
                if path.ends_with("bureau-channels.json")
        ),
        "{message}"
    );
    assert!(message.contains("bureau-channels.json"), "{message}");
    assert!(message.contains("no sources"), "{message}");

    let dead_number = bureau_file(|v| {
        v["channels"][0]["contact"] = json!({ "zh-CN": "12369 转 2", "en": "12369 ext 2" });
    });
    let message = build_with_file(&dead_number.to_string())
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("not a phone number"), "{message}");

    let same_version = bureau_file(|v| v["version"] = json!(bundled().version()));
    let error = build_with_file(&same_version.to_string())
        .await
        .err()
        .expect("refused");
    assert!(
        matches!(
            error,
            StartupError::Channels(ChannelsFileError::NotNewer { .. })
        ),
        "{error}"
    );
    assert!(error.to_string().contains("raise its version"), "{error}");

    let message = build_with_file("{\"version\": 2")
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("not a channel file"), "{message}");

    let data = TempDir::new().expect("data");
    let mut config = Config::for_tests(data.path().to_owned(), data.path().to_owned());
    config.channels_file = Some(data.path().join("no-such-file.json"));
    let message = Server::build(config)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(message.contains("no-such-file.json"), "{message}");
}

//! Test helpers: the real `Router` over a temporary dist and data folder,
//! with a real store: media files in the data folder, and SQLite there too,
//! or a fresh PostgreSQL database when `GREENWATCH_TEST_POSTGRES_URL` is set
//! (`database.rs`).
#![allow(dead_code)] // each test binary uses its own part of this

pub mod database;

use axum::body::Body;
use axum::http::{Request, Response};
use axum::Router;
use greenwatch_server::channels::ChannelCatalog;
use greenwatch_server::config::Config;
use greenwatch_server::quiz_packs::QuizCatalog;
use greenwatch_server::startup::app;
use greenwatch_server::state::AppState;
use greenwatch_server::store::{Store, StoreLocation};
use http_body_util::BodyExt;
use tempfile::TempDir;
use tower::ServiceExt;

pub const INDEX_HTML: &str = "<!DOCTYPE html><html lang=\"zh-CN\"><title>GreenWatch</title></html>";
pub const WASM_NAME: &str = "greenwatch-app-0123456789abcdef_bg.wasm";
pub const CSS_NAME: &str = "main-0123456789abcdef.css";
/// Stands for the brotli copy the build stores beside `CSS_NAME`.
pub const CSS_BROTLI: &[u8] = b"stored brotli bytes";

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    /// The data folder and database the store opened (to reopen it, or to
    /// run `staff add` on it).
    pub location: StoreLocation,
    pub dist: TempDir,
    pub data: TempDir,
    /// Last: dropped after the store.
    pub database: database::TestDatabase,
}

impl TestApp {
    /// The app over a small fake build: index, a hashed wasm, manifest, worker.
    pub async fn spawn() -> Self {
        Self::spawn_with(INDEX_HTML, |_| {}).await
    }

    /// The same fake build with `index_html` as its `index.html`, and the
    /// configuration changed by `edit`.
    pub async fn spawn_with(index_html: &str, edit: impl FnOnce(&mut Config)) -> Self {
        Self::spawn_at(index_html, edit, |_| {}).await
    }

    /// The app with its media in the test bucket reached at `endpoint`
    /// (a relay in front of the S3 server).
    pub async fn spawn_with_media_endpoint(endpoint: &str) -> Self {
        Self::spawn_at(
            INDEX_HTML,
            |_| {},
            |location| {
                location.media_url = location
                    .media_url
                    .take()
                    .map(|url| url.with_endpoint(endpoint));
            },
        )
        .await
    }

    /// The fake build, the configuration changed by `edit` and the store's
    /// location by `place`.
    pub async fn spawn_at(
        index_html: &str,
        edit: impl FnOnce(&mut Config),
        place: impl FnOnce(&mut StoreLocation),
    ) -> Self {
        let dist = TempDir::new().expect("dist dir");
        let data = TempDir::new().expect("data dir");
        std::fs::write(dist.path().join("index.html"), index_html).expect("index");
        // The citizen app's two other builds, as scripts/setup.sh's
        // build_app lays them out: the report form and the follow-up pages
        // (plain pages: the tests of inline-script hashes edit Home's).
        for build in ["report", "follow"] {
            std::fs::create_dir_all(dist.path().join(build)).expect("build dir");
            std::fs::write(dist.path().join(build).join("index.html"), INDEX_HTML)
                .expect("build index");
        }
        // Large and repetitive, so compression applies.
        let wasm: Vec<u8> = b"\0asm\x01\0\0\0"
            .iter()
            .copied()
            .cycle()
            .take(64 * 1024)
            .collect();
        std::fs::write(dist.path().join(WASM_NAME), wasm).expect("wasm");
        std::fs::write(dist.path().join("manifest.webmanifest"), "{}").expect("manifest");
        std::fs::write(
            dist.path().join(CSS_NAME),
            "body { color: green; }".repeat(100),
        )
        .expect("css");
        std::fs::write(dist.path().join(format!("{CSS_NAME}.br")), CSS_BROTLI).expect("css.br");
        std::fs::write(
            dist.path().join("sw.js"),
            "self.addEventListener('fetch', () => {});",
        )
        .expect("sw");
        let database = database::TestDatabase::create().await;
        let mut location = database.location(data.path());
        place(&mut location);
        let mut config = Config::for_tests(data.path().to_owned(), dist.path().to_owned());
        config.database_url = location.database_url.clone();
        config.media_url = location.media_url.clone();
        edit(&mut config);
        let store = Store::open(&location).await.expect("store");
        let quiz = QuizCatalog::load(config.quiz_dir.as_deref()).expect("quiz packs");
        let channels =
            ChannelCatalog::load(config.channels_file.as_deref()).expect("channels file");
        Self {
            router: app(AppState::new(config, store.clone())
                .with_quiz(quiz)
                .with_channels(channels)),
            store,
            location,
            dist,
            data,
            database,
        }
    }

    /// Another server instance on the same database and media (a second
    /// instance behind a balancer, or this one restarted), its
    /// configuration changed by `edit`.
    pub async fn another_instance(&self, edit: impl FnOnce(&mut Config)) -> Router {
        let mut config =
            Config::for_tests(self.data.path().to_owned(), self.dist.path().to_owned());
        config.database_url = self.location.database_url.clone();
        config.media_url = self.location.media_url.clone();
        edit(&mut config);
        let store = Store::open(&self.location).await.expect("store");
        app(AppState::new(config, store))
    }

    /// A pool of its own on the store's database, for tests that read or
    /// change rows directly (portable SQL only: it may be either backend).
    pub async fn database_pool(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        let url = match &self.location.database_url {
            Some(url) => url.as_str().to_owned(),
            None => format!(
                "sqlite:{}",
                self.data
                    .path()
                    .join(greenwatch_server::store::DATABASE_FILE)
                    .display()
            ),
        };
        sqlx::any::AnyPoolOptions::new()
            .max_connections(1)
            .connect(&url)
            .await
            .expect("the test database opens")
    }

    pub async fn request(&self, request: Request<Body>) -> Response<Body> {
        self.router
            .clone()
            .oneshot(request)
            .await
            .expect("the router is infallible")
    }

    pub async fn get(&self, path: &str) -> Response<Body> {
        self.request(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }
}

pub async fn body_bytes(response: Response<Body>) -> Vec<u8> {
    response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec()
}

pub fn header<'a>(response: &'a Response<Body>, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
}

impl TestApp {
    /// Creates the staff account "operator" with `password`, signs it in
    /// and returns its session cookie (`name=value`).
    pub async fn operator_cookie(&self, password: &str) -> String {
        greenwatch_server::staff_cli::add_staff_user(
            &self.location,
            "operator",
            protocol::staff::Role::Operator,
            password,
        )
        .await
        .expect("operator");
        let login = serde_json::json!({ "username": "operator", "password": password });
        let response = self
            .request(
                Request::post(protocol::staff::LOGIN_ROUTE)
                    .header("content-type", "application/json")
                    .body(Body::from(login.to_string()))
                    .expect("request"),
            )
            .await;
        assert_eq!(response.status(), axum::http::StatusCode::OK);
        header(&response, "set-cookie")
            .split(';')
            .next()
            .expect("cookie")
            .to_owned()
    }

    /// `PUT path` with a JSON body.
    pub async fn put_json(&self, path: &str, body: impl Into<Body>) -> Response<Body> {
        self.request(
            Request::put(path)
                .header("content-type", "application/json")
                .body(body.into())
                .expect("request"),
        )
        .await
    }

    /// `PUT path` with raw bytes, as the app uploads a medium.
    pub async fn put_bytes(&self, path: &str, bytes: Vec<u8>) -> Response<Body> {
        self.request(
            Request::put(path)
                .header("content-type", "application/octet-stream")
                .body(Body::from(bytes))
                .expect("request"),
        )
        .await
    }

    /// `GET path` with `X-Receipt: receipt`, if any.
    pub async fn get_with_receipt(&self, path: &str, receipt: Option<&str>) -> Response<Body> {
        let mut request = Request::get(path);
        if let Some(receipt) = receipt {
            request = request.header(protocol::sync::RECEIPT_HEADER, receipt);
        }
        self.request(request.body(Body::empty()).expect("request"))
            .await
    }

    /// Creates `report` and uploads every medium, asserting success.
    pub async fn send_whole(&self, report: &ReportFixture) -> protocol::sync::IntakeStatus {
        let response = self.put_json(&report.path(), report.json()).await;
        assert_eq!(response.status().as_u16(), 201, "create");
        let mut status = None;
        for index in 0..report.media.len() {
            let response = self
                .put_bytes(
                    &report.medium_path(index as u8),
                    report.media[index].clone(),
                )
                .await;
            assert_eq!(response.status().as_u16(), 200, "medium {index}");
            status = Some(json_body(response).await);
        }
        status.expect("the fixture has media")
    }
}

impl TestApp {
    /// Creates `support` and uploads every medium, asserting success; the
    /// last answer (the create's, without media).
    pub async fn send_support(&self, support: &SupportFixture) -> protocol::sync::IntakeStatus {
        let response = self.put_json(&support.path(), support.json()).await;
        assert_eq!(response.status().as_u16(), 201, "create support");
        let mut status = json_body(response).await;
        for (index, bytes) in support.media.iter().enumerate() {
            let response = self
                .put_bytes(&support.medium_path(index as u8), bytes.clone())
                .await;
            assert_eq!(response.status().as_u16(), 200, "support medium {index}");
            status = json_body(response).await;
        }
        status
    }
}

/// "I see this too" as the app would send it: its id, receipt secret,
/// create body and media bytes.
#[derive(Clone)]
pub struct SupportFixture {
    pub id: protocol::support::SupportId,
    pub secret: protocol::sync::ReceiptSecret,
    pub body: protocol::support::CreateSupport,
    pub media: Vec<Vec<u8>>,
}

impl SupportFixture {
    /// A support of `case` with a photo, a voice clip and a phone number.
    pub fn new(case: protocol::sync::CaseNumber) -> Self {
        Self::with(
            case,
            vec![jpeg(2_500, 7)],
            vec![webm(1_500, 8)],
            "13900001111",
        )
    }

    /// A support of `case` with nothing but itself: no media, no contact.
    pub fn bare(case: protocol::sync::CaseNumber) -> Self {
        Self::with(case, Vec::new(), Vec::new(), "")
    }

    pub fn with(
        case: protocol::sync::CaseNumber,
        photos: Vec<Vec<u8>>,
        clips: Vec<Vec<u8>>,
        phone: &str,
    ) -> Self {
        use protocol::report::{AudioMime, MediaId, PhotoMeta, Sha256Hex, VoiceClipMeta};
        use protocol::support::{CreateSupport, SupportDraft, SupportId};
        let now = greenwatch_server::clock::now();
        let id = SupportId::from_uuid(uuid::Uuid::new_v4());
        let mut secret = [0u8; 32];
        secret[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        secret[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        let secret = protocol::sync::ReceiptSecret::from_bytes(secret);
        let mut draft = SupportDraft::new(id, case, now);
        draft.photos = photos
            .iter()
            .map(|bytes| PhotoMeta {
                id: MediaId::from_uuid(uuid::Uuid::new_v4()),
                width: 800,
                height: 600,
                bytes: bytes.len() as u64,
                sha256: Sha256Hex::of(bytes),
            })
            .collect();
        draft.voice_clips = clips
            .iter()
            .map(|bytes| VoiceClipMeta {
                id: MediaId::from_uuid(uuid::Uuid::new_v4()),
                duration_ms: 4_000,
                bytes: bytes.len() as u64,
                mime: AudioMime::WebmOpus,
                sha256: Sha256Hex::of(bytes),
            })
            .collect();
        draft.phone = phone.into();
        let valid = draft.validate().expect("a valid support");
        SupportFixture {
            id,
            body: CreateSupport::from_valid(&valid, &secret.hash()),
            secret,
            media: photos.into_iter().chain(clips).collect(),
        }
    }

    pub fn path(&self) -> String {
        protocol::support::support_path(self.id)
    }

    pub fn medium_path(&self, index: u8) -> String {
        protocol::support::support_medium_path(self.id, index)
    }

    pub fn json(&self) -> String {
        serde_json::to_string(&self.body).expect("serialise")
    }

    pub fn receipt(&self) -> String {
        self.secret.to_base64url()
    }
}

pub async fn json_body<T: serde::de::DeserializeOwned>(response: Response<Body>) -> T {
    let bytes = body_bytes(response).await;
    serde_json::from_slice(&bytes).unwrap_or_else(|error| {
        panic!(
            "not the expected JSON ({error}): {}",
            String::from_utf8_lossy(&bytes)
        )
    })
}

/// A report as the app would send it: its id, receipt secret, create body
/// and media bytes (a photo and a voice clip).
#[derive(Clone)]
pub struct ReportFixture {
    pub id: protocol::report::ReportId,
    pub secret: protocol::sync::ReceiptSecret,
    pub body: protocol::sync::CreateReport,
    pub media: Vec<Vec<u8>>,
}

/// A JPEG-looking photo of `len` bytes, different for each `salt`.
pub fn jpeg(len: usize, salt: u8) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len - 4).map(|i| (i as u8).wrapping_mul(31) ^ salt));
    bytes
}

/// A WebM-looking voice clip of `len` bytes.
pub fn webm(len: usize, salt: u8) -> Vec<u8> {
    let mut bytes = vec![0x1A, 0x45, 0xDF, 0xA3];
    bytes.extend((0..len - 4).map(|i| (i as u8).wrapping_mul(7) ^ salt));
    bytes
}

impl ReportFixture {
    /// A valid report with one photo and one voice clip.
    pub fn new() -> Self {
        Self::with_media(jpeg(3_000, 1), webm(2_000, 2))
    }

    /// A valid report declaring `photo` as its photo and `clip` as its voice
    /// clip, whatever those bytes are.
    pub fn with_media(photo: Vec<u8>, clip: Vec<u8>) -> Self {
        Self::edited(photo, clip, |_| {})
    }

    /// [`ReportFixture::with_media`] with the draft changed by `edit` (still
    /// valid) before it is checked.
    pub fn edited(
        photo: Vec<u8>,
        clip: Vec<u8>,
        edit: impl FnOnce(&mut protocol::report::ReportDraft),
    ) -> Self {
        use protocol::report::{
            AudioMime, Category, MediaId, PhotoMeta, ReportDraft, ReportId, Sha256Hex, UnixMillis,
            VoiceClipMeta,
        };
        use protocol::sync::{CreateReport, ReceiptSecret};
        let now = greenwatch_server::clock::now();
        let id = ReportId::from_uuid(uuid::Uuid::new_v4());
        let mut secret = [0u8; 32];
        secret[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        secret[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        let secret = ReceiptSecret::from_bytes(secret);
        let mut draft = ReportDraft {
            category: Some(Category::WaterRiver),
            description: "小河发黑发臭，有死鱼。".into(),
            photos: vec![PhotoMeta {
                id: MediaId::from_uuid(uuid::Uuid::new_v4()),
                width: 800,
                height: 600,
                bytes: photo.len() as u64,
                sha256: Sha256Hex::of(&photo),
            }],
            voice_clips: vec![VoiceClipMeta {
                id: MediaId::from_uuid(uuid::Uuid::new_v4()),
                duration_ms: 5_000,
                bytes: clip.len() as u64,
                mime: AudioMime::WebmOpus,
                sha256: Sha256Hex::of(&clip),
            }],
            address: "东湖路 12 号".into(),
            seen_at: Some(UnixMillis(now.0 - 3_600_000)),
            phone: "13800138000".into(),
            ..ReportDraft::new(id, now)
        };
        edit(&mut draft);
        let valid = draft.validate(now).expect("a valid report");
        ReportFixture {
            id,
            body: CreateReport::from_valid(&valid, &secret.hash()),
            secret,
            media: vec![photo, clip],
        }
    }

    pub fn path(&self) -> String {
        protocol::sync::report_path(self.id)
    }

    pub fn medium_path(&self, index: u8) -> String {
        protocol::sync::medium_path(self.id, index)
    }

    pub fn json(&self) -> String {
        serde_json::to_string(&self.body).expect("serialise")
    }

    /// The create body's JSON with `edit` applied.
    pub fn json_edited(&self, edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut json = serde_json::to_value(&self.body).expect("serialise");
        edit(&mut json);
        json.to_string()
    }

    pub fn receipt(&self) -> String {
        self.secret.to_base64url()
    }
}

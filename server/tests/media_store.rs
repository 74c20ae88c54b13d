//! The media store failing under an upload: the folder (made unwritable)
//! or, with `GREENWATCH_TEST_S3_URL`, the S3 server behind a TCP relay that
//! stops letting connections through. The upload is answered 503 with
//! `Retry-After` and nothing is recorded; protocol's `SyncMachine` (the
//! phone's) backs off, comes back once the store is back, and the report,
//! or a support of its case, ends complete with every medium stored exactly
//! once, byte for byte.

mod helpers;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use helpers::{body_bytes, database, ReportFixture, SupportFixture, TestApp};
use protocol::report::{ReportState, Sha256Hex, UnixMillis};
use protocol::support::{support_medium_path, support_path};
use protocol::sync::{
    medium_path, parse_retry_after, report_path, Action, IntakeStatus, Outcome, SyncItem,
    SyncMachine,
};
use protocol::ApiError;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A TCP relay to `upstream`. When `up` turns false it cuts every open
/// connection, and while it stays false it closes each new one at once:
/// the store is unreachable.
async fn relay(upstream: String, up: watch::Receiver<bool>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut inbound, _)) = listener.accept().await {
            if !*up.borrow() {
                drop(inbound);
                continue;
            }
            let upstream = upstream.clone();
            let mut up = up.clone();
            tokio::spawn(async move {
                if let Ok(mut outbound) = TcpStream::connect(&upstream).await {
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = up.wait_for(|up| !*up) => {}
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

/// Makes the media store fail (`down`) or work again.
enum Fault {
    /// The folder of one kind of media (`media/reports`, `media/supports`):
    /// a file takes its place.
    Folder(std::path::PathBuf),
    Relay(watch::Sender<bool>),
}

impl Fault {
    fn set(&self, down: bool) {
        match self {
            Fault::Folder(media) => {
                if down {
                    if media.exists() {
                        std::fs::remove_dir_all(media).expect("remove media folder");
                    }
                    std::fs::write(media, b"in the way").expect("file in the way");
                } else {
                    std::fs::remove_file(media).expect("remove the file");
                    std::fs::create_dir(media).expect("media folder back");
                }
            }
            Fault::Relay(up) => {
                up.send_replace(!down);
            }
        }
    }
}

/// An app whose media store can be made to fail: the S3 server behind a
/// relay, or else the media folder's `kind` folder (`reports`, `supports`).
async fn app_with_fault(kind: &str) -> (TestApp, Fault) {
    if let Some(endpoint) = database::s3_endpoint() {
        let (up, receiver) = watch::channel(true);
        let relayed = relay(endpoint, receiver).await;
        let app = TestApp::spawn_with_media_endpoint(&relayed).await;
        (app, Fault::Relay(up))
    } else {
        let app = TestApp::spawn().await;
        let media = app.store.media_root().expect("a media folder").join(kind);
        (app, Fault::Folder(media))
    }
}

/// One item as the phone sends it: what it is, its create body and media.
struct Sent {
    item: SyncItem,
    create: String,
    media: Vec<Vec<u8>>,
}

/// Runs the phone's machine on `sent` until it has nothing left to do; the
/// store goes away under the first upload and comes back after the phone
/// has been refused twice. Returns the machine and the 503s it got.
async fn send_through_fault(app: &TestApp, fault: &Fault, sent: &Sent) -> (SyncMachine, u32) {
    let mut machine = SyncMachine::new();
    let mut now = UnixMillis(1_800_000_000_000);
    machine.queue(sent.item, now);
    let mut unavailable = 0;
    let mut uploads = 0;
    for step in 0..200 {
        let action = machine.next_action(now);
        let request = match action {
            Action::Idle => break,
            Action::Wait(wait) => {
                now = UnixMillis(now.0 + i64::try_from(wait.as_millis()).expect("ms"));
                continue;
            }
            Action::CheckHealth => Request::get("/api/health").body(Body::empty()),
            Action::Create(item) => Request::put(match item {
                SyncItem::Report(id) => report_path(id),
                SyncItem::Support(id) => support_path(id),
            })
            .header("content-type", "application/json")
            .body(Body::from(sent.create.clone())),
            Action::UploadMedium(item, index) => {
                uploads += 1;
                if uploads == 1 {
                    fault.set(true);
                }
                Request::put(match item {
                    SyncItem::Report(id) => medium_path(id, index),
                    SyncItem::Support(id) => support_medium_path(id, index),
                })
                .header("content-type", "application/octet-stream")
                .body(Body::from(sent.media[usize::from(index)].clone()))
            }
        }
        .expect("request");
        let response = app.request(request).await;
        let status = response.status();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|value| value.to_str().ok())
            .and_then(parse_retry_after);
        let body = body_bytes(response).await;
        let outcome = match (action, status) {
            (Action::CheckHealth, StatusCode::OK) => Outcome::HealthOk,
            (_, StatusCode::OK | StatusCode::CREATED) => Outcome::Intake(
                serde_json::from_slice::<IntakeStatus>(&body).expect("an intake status"),
            ),
            (_, status) => {
                if status == StatusCode::SERVICE_UNAVAILABLE {
                    assert!(retry_after.is_some(), "a 503 says when to come back");
                    unavailable += 1;
                    if unavailable == 2 {
                        fault.set(false);
                    }
                }
                Outcome::Failed {
                    status: status.as_u16(),
                    error: serde_json::from_slice::<ApiError>(&body).ok(),
                    retry_after,
                }
            }
        };
        assert!(
            !matches!(status, StatusCode::INTERNAL_SERVER_ERROR),
            "step {step}: {action:?} got a 500"
        );
        machine.on_outcome(&action, outcome, now, 0.5);
    }
    (machine, unavailable)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_media_store_is_a_503_and_the_phone_finishes_with_each_medium_once() {
    let (app, fault) = app_with_fault("reports").await;
    let report = ReportFixture::new();
    let sent = Sent {
        item: SyncItem::Report(report.id),
        create: report.json(),
        media: report.media.clone(),
    };
    let (machine, unavailable) = send_through_fault(&app, &fault, &sent).await;

    assert_eq!(unavailable, 2, "the store was down for two uploads");
    assert_eq!(machine.state_of(sent.item), Some(ReportState::Sent));
    // Exactly the declared media, each once, byte for byte.
    let keys = app.store.media_keys().await.expect("list the media");
    let expected: Vec<String> = (0..report.media.len())
        .map(|index| format!("reports/{}/{index}", report.id))
        .collect();
    assert_eq!(keys, expected);
    for (index, bytes) in report.media.iter().enumerate() {
        let stored = app
            .store
            .medium_bytes(report.id, u8::try_from(index).expect("index"))
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(Sha256Hex::of(&stored), Sha256Hex::of(bytes));
    }
    let held = app
        .store
        .report(report.id)
        .await
        .expect("read")
        .expect("held");
    assert!(held.complete);
    assert!(held.status().missing().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supports_media_meet_an_unreachable_store_as_a_reports_do() {
    let (app, fault) = app_with_fault("supports").await;
    let report = ReportFixture::new();
    let case = app.send_whole(&report).await.case_number();
    let support = SupportFixture::new(case);
    let sent = Sent {
        item: SyncItem::Support(support.id),
        create: support.json(),
        media: support.media.clone(),
    };
    let (machine, unavailable) = send_through_fault(&app, &fault, &sent).await;

    assert_eq!(unavailable, 2, "the store was down for two uploads");
    assert_eq!(machine.state_of(sent.item), Some(ReportState::Sent));
    // The report's media and the support's, each once, byte for byte.
    let keys = app.store.media_keys().await.expect("list the media");
    let expected: Vec<String> = (0..report.media.len())
        .map(|index| format!("reports/{}/{index}", report.id))
        .chain((0..support.media.len()).map(|index| format!("supports/{}/{index}", support.id)))
        .collect();
    assert_eq!(keys, expected);
    for (index, bytes) in support.media.iter().enumerate() {
        let stored = app
            .store
            .support_medium_bytes(support.id, u8::try_from(index).expect("index"))
            .await
            .expect("read")
            .expect("stored");
        assert_eq!(Sha256Hex::of(&stored), Sha256Hex::of(bytes));
    }
    let held = app
        .store
        .support(support.id)
        .await
        .expect("read")
        .expect("held");
    assert!(held.complete);
    assert!(held.status().missing().is_empty());
    assert_eq!(held.case_number, case);
}

//! Importing files of unsent reports (`protocol::archive`): the phone's
//! ZIP read back with the `zip` crate, the staff route and the command,
//! each report one case under its own id whatever order file and sync
//! come in, and every bad file refused with nothing changed.

mod helpers;

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use greenwatch_server::config::ImportArgs;
use greenwatch_server::import_cli;
use helpers::{json_body, ReportFixture, TestApp};
use protocol::archive::zip::zip_files;
use protocol::archive::{
    medium_file, ArchiveManifest, ArchivedReport, ImportAnswer, ImportOutcome, IMPORT_ROUTE,
    MANIFEST_FILE, MAX_ARCHIVE_BYTES,
};
use protocol::report::UnixMillis;
use protocol::sync::{case_path, IntakeStatus, Timeline};
use protocol::{ApiError, ErrorCode};

const PASSWORD: &str = "correct horse battery";

/// The files of an archive of `reports`, by name, as the phone writes them.
fn files(reports: &[&ReportFixture]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for report in reports {
        for (decl, bytes) in report.body.media().iter().zip(&report.media) {
            files.push((medium_file(report.id, decl), bytes.clone()));
        }
    }
    let manifest = ArchiveManifest::new(
        UnixMillis(1_780_000_000_000),
        reports
            .iter()
            .map(|report| ArchivedReport {
                report_id: report.id,
                report: report.body.clone(),
            })
            .collect(),
    );
    files.push((
        MANIFEST_FILE.to_owned(),
        serde_json::to_vec_pretty(&manifest).expect("json"),
    ));
    files
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    zip_files(
        files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
    )
    .expect("write")
}

fn archive(reports: &[&ReportFixture]) -> Vec<u8> {
    zip_of(&files(reports))
}

async fn import(app: &TestApp, cookie: &str, file: Vec<u8>) -> axum::http::Response<Body> {
    app.request(
        Request::post(IMPORT_ROUTE)
            .header("cookie", cookie)
            .header("content-type", "application/zip")
            .body(Body::from(file))
            .expect("request"),
    )
    .await
}

async fn imported(app: &TestApp, cookie: &str, file: Vec<u8>) -> ImportAnswer {
    let response = import(app, cookie, file).await;
    assert_eq!(response.status(), StatusCode::OK);
    json_body(response).await
}

async fn refused(app: &TestApp, cookie: &str, file: Vec<u8>, status: StatusCode) -> ApiError {
    let response = import(app, cookie, file).await;
    assert_eq!(response.status(), status);
    let error: ApiError = json_body(response).await;
    assert!(!error.message.zh_cn.is_empty() && !error.message.en.is_empty());
    error
}

async fn report_rows(app: &TestApp) -> i64 {
    let pool = app.database_pool().await;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM reports")
        .fetch_one(&pool)
        .await
        .expect("count");
    pool.close().await;
    count
}

#[test]
fn the_phones_writer_is_read_back_by_the_zip_crate() {
    let report = ReportFixture::new();
    let written = files(&[&report]);
    let bytes = zip_of(&written);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    assert_eq!(zip.len(), written.len());
    for (index, (name, content)) in written.iter().enumerate() {
        let mut entry = zip.by_index(index).expect("entry");
        assert_eq!(entry.name(), name);
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored);
        assert_eq!(entry.size(), content.len() as u64);
        let mut read = Vec::new();
        // Reading to the end checks the CRC-32 the writer wrote.
        entry.read_to_end(&mut read).expect("CRC matches");
        assert_eq!(&read, content);
    }
}

#[tokio::test]
async fn an_imported_report_is_one_case_and_the_phones_sync_finds_it_there() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let report = ReportFixture::new();

    let answer = imported(&app, &cookie, archive(&[&report])).await;
    let [imported] = answer.reports.as_slice() else {
        panic!("one report: {answer:?}");
    };
    assert_eq!(imported.report_id, report.id);
    assert_eq!(imported.outcome, ImportOutcome::Created);
    for (index, bytes) in report.media.iter().enumerate() {
        let stored = app
            .store
            .medium_bytes(report.id, index as u8)
            .await
            .expect("store")
            .expect("stored");
        assert_eq!(stored.as_ref(), bytes.as_slice(), "medium {index}");
    }

    // The phone comes online and syncs the same report: its create is a
    // replay (200, not 201) of the same case with nothing missing.
    let response = app.put_json(&report.path(), report.json()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let status: IntakeStatus = json_body(response).await;
    assert_eq!(status.case_number(), imported.case_number);
    assert!(status.is_complete() && status.missing().is_empty());
    // A medium sent again changes nothing.
    let response = app
        .put_bytes(&report.medium_path(0), report.media[0].clone())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(report_rows(&app).await, 1);

    // The audit log says who brought the report in.
    let pool = app.database_pool().await;
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT actor, report_id, detail FROM audit_log WHERE action = 'report_imported'",
    )
    .fetch_all(&pool)
    .await
    .expect("audit");
    pool.close().await;
    assert_eq!(
        rows,
        [(
            "operator".to_owned(),
            report.id.to_string(),
            "created".to_owned()
        )]
    );

    // The reporter follows the case with the receipt only the phone holds.
    let response = app
        .get_with_receipt(&case_path(&imported.case_number), Some(&report.receipt()))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let timeline: Timeline = json_body(response).await;
    assert_eq!(timeline.case_number(), imported.case_number);
}

#[tokio::test]
async fn a_file_imported_again_or_after_a_sync_changes_nothing() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let (synced, half_sent, fresh) = (
        ReportFixture::new(),
        ReportFixture::new(),
        ReportFixture::new(),
    );
    let synced_status = app.send_whole(&synced).await;
    // The phone got the case of `half_sent` and its photo out, not its clip.
    let response = app.put_json(&half_sent.path(), half_sent.json()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let response = app
        .put_bytes(&half_sent.medium_path(0), half_sent.media[0].clone())
        .await;
    let half_status: IntakeStatus = json_body(response).await;
    assert!(!half_status.is_complete());

    let file = archive(&[&synced, &half_sent, &fresh]);
    let first = imported(&app, &cookie, file.clone()).await;
    let outcomes: Vec<_> = first
        .reports
        .iter()
        .map(|r| (r.report_id, r.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            (synced.id, ImportOutcome::AlreadyThere),
            (half_sent.id, ImportOutcome::Completed),
            (fresh.id, ImportOutcome::Created),
        ]
    );
    assert_eq!(first.reports[0].case_number, synced_status.case_number());
    assert_eq!(first.reports[1].case_number, half_status.case_number());
    let stored = app
        .store
        .report(half_sent.id)
        .await
        .expect("store")
        .expect("held");
    assert!(stored.complete);

    let again = imported(&app, &cookie, file).await;
    assert!(again
        .reports
        .iter()
        .all(|report| report.outcome == ImportOutcome::AlreadyThere));
    let cases = |answer: &ImportAnswer| {
        answer
            .reports
            .iter()
            .map(|report| report.case_number)
            .collect::<Vec<_>>()
    };
    assert_eq!(cases(&again), cases(&first));
    assert_eq!(report_rows(&app).await, 3);
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason_and_change_nothing() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let (good, other) = (ReportFixture::new(), ReportFixture::new());
    let good_files = files(&[&good, &other]);

    let not_zip = b"%PDF-1.7 not a zip".to_vec();
    let error = refused(&app, &cookie, not_zip, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        error.message.en.contains("not a ZIP"),
        "{}",
        error.message.en
    );

    // A medium changed after the phone hashed it.
    let mut changed = good_files.clone();
    changed[2].1[100] ^= 0xFF;
    let error = refused(
        &app,
        &cookie,
        zip_of(&changed),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.en.contains("SHA-256"), "{}", error.message.en);
    assert!(error.message.en.contains(&other.id.to_string()));

    // A medium left out.
    let mut missing = good_files.clone();
    missing.remove(3);
    let error = refused(
        &app,
        &cookie,
        zip_of(&missing),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.en.contains("missing"), "{}", error.message.en);

    // A manifest that is not JSON.
    let mut bad_json = good_files.clone();
    bad_json.last_mut().expect("manifest").1 = b"{\"format\": \"greenwatch-unsent".to_vec();
    let error = refused(
        &app,
        &cookie,
        zip_of(&bad_json),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        error.message.en.contains("manifest.json"),
        "{}",
        error.message.en
    );

    // Bytes damaged in the ZIP itself: the entry's CRC-32 no longer matches.
    let mut damaged = zip_of(&good_files);
    // Inside the first photo: after its 30-byte header and 50-byte name.
    damaged[30 + 50 + 100] ^= 0xFF;
    let error = refused(&app, &cookie, damaged, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(error.message.en.contains("damaged"), "{}", error.message.en);

    // An entry marked as compressed (method 8 in both of its headers).
    let mut compressed = zip_of(&good_files);
    compressed[8] = 8;
    let central = compressed
        .windows(4)
        .position(|window| window == b"PK\x01\x02")
        .expect("central directory");
    compressed[central + 10] = 8;
    let error = refused(&app, &cookie, compressed, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        error.message.en.contains("compressed"),
        "{}",
        error.message.en
    );

    // A medium whose bytes are not of its kind (hashes all matching).
    let not_a_photo =
        ReportFixture::with_media(b"GIF89a not a jpeg".to_vec(), helpers::webm(500, 3));
    let error = refused(
        &app,
        &cookie,
        archive(&[&good, &not_a_photo]),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(error.message.en.contains(&not_a_photo.id.to_string()));
    assert!(error.message.en.contains("Nothing from the file"));

    assert_eq!(
        report_rows(&app).await,
        0,
        "nothing of any bad file was stored"
    );
    assert!(app.store.media_keys().await.expect("keys").is_empty());

    // Too large: refused before it is read.
    let response = import(&app, &cookie, vec![0; MAX_ARCHIVE_BYTES as usize + 1]).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_file_with_one_conflicting_report_imports_none_of_its_reports() {
    let app = TestApp::spawn().await;
    let cookie = app.operator_cookie(PASSWORD).await;
    let (fresh, held) = (ReportFixture::new(), ReportFixture::new());
    app.send_whole(&held).await;
    // The file claims `held`'s id for other content.
    let mut forged = ReportFixture::new();
    forged.id = held.id;
    let error = refused(
        &app,
        &cookie,
        archive(&[&fresh, &forged]),
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(error.message.en.contains(&held.id.to_string()));
    assert!(app.store.report(fresh.id).await.expect("store").is_none());
    assert_eq!(report_rows(&app).await, 1);
}

#[tokio::test]
async fn only_staff_may_import() {
    let app = TestApp::spawn().await;
    let report = ReportFixture::new();
    let response = app
        .request(
            Request::post(IMPORT_ROUTE)
                .body(Body::from(archive(&[&report])))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(app.store.report(report.id).await.expect("store").is_none());
}

#[tokio::test]
async fn the_command_imports_each_good_file_and_names_each_bad_one() {
    let app = TestApp::spawn().await;
    let folder = tempfile::tempdir().expect("folder");
    let (first, second) = (ReportFixture::new(), ReportFixture::new());
    let good = folder.path().join("good.zip");
    std::fs::write(&good, archive(&[&first, &second])).expect("write");
    let bad = folder.path().join("bad.zip");
    std::fs::write(&bad, b"not a zip").expect("write");
    let huge = folder.path().join("huge.zip");
    std::fs::File::create(&huge)
        .and_then(|file| file.set_len(MAX_ARCHIVE_BYTES + 1))
        .expect("a sparse file");
    let args = |files: Vec<std::path::PathBuf>| ImportArgs { files };

    let out = import_cli::run(&app.location, &args(vec![good.clone(), bad.clone(), huge]))
        .await
        .expect_err("one file was bad");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].contains(&first.id.to_string()) && lines[0].ends_with("(new case)"));
    assert!(lines[1].contains(&second.id.to_string()) && lines[1].ends_with("(new case)"));
    assert!(
        lines[2].contains("bad.zip: refused, nothing imported"),
        "{out}"
    );
    assert!(
        lines[3].contains("huge.zip: cannot be read: The file is too large"),
        "{out}"
    );

    let out = import_cli::run(&app.location, &args(vec![good]))
        .await
        .expect("imported again");
    assert!(
        out.lines().all(|line| line.ends_with("(already there)")),
        "{out}"
    );
    assert_eq!(report_rows(&app).await, 2);
}

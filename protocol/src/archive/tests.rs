use super::zip::zip_files;
use super::*;
use crate::report::media::tests::{clip, photo};
use crate::report::{ReportDraft, Sha256Hex};
use crate::sync::wire::tests::{receipt, valid_report, NOW};
use crate::sync::CreateReport;

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0 a photo's bytes";
const CLIP: &[u8] = b"\x1A\x45\xDF\xA3 a clip's bytes";

/// A report with one photo and one clip whose declarations match
/// [`JPEG`] and [`CLIP`].
fn report(id: ReportId) -> CreateReport {
    let base = valid_report();
    let mut draft = ReportDraft {
        photos: vec![crate::report::PhotoMeta {
            bytes: JPEG.len() as u64,
            sha256: Sha256Hex::of(JPEG),
            ..photo(1600, 1200, 1)
        }],
        voice_clips: vec![crate::report::VoiceClipMeta {
            bytes: CLIP.len() as u64,
            sha256: Sha256Hex::of(CLIP),
            ..clip(5_000, 1)
        }],
        category: Some(base.category()),
        description: base.description().as_str().into(),
        address: "东湖路 12 号".into(),
        seen_at: Some(UnixMillis(NOW.0 - 60_000)),
        ..ReportDraft::new(id, NOW)
    };
    draft.phone = "13800138000".into();
    let valid = draft.validate(NOW).expect("valid");
    CreateReport::from_valid(&valid, &receipt().hash())
}

fn id(n: u128) -> ReportId {
    ReportId::from_uuid(uuid::Uuid::from_u128(n))
}

fn files_of(reports: &[ArchivedReport]) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for archived in reports {
        for decl in archived.report.media() {
            let bytes = match decl.kind {
                MediumKind::Photo => JPEG,
                MediumKind::Voice => CLIP,
            };
            files.insert(medium_file(archived.report_id, decl), bytes.to_vec());
        }
    }
    let manifest = ArchiveManifest::new(NOW, reports.to_vec());
    files.insert(
        MANIFEST_FILE.to_owned(),
        serde_json::to_vec(&manifest).expect("json"),
    );
    files
}

fn two_reports() -> Vec<ArchivedReport> {
    [id(1), id(2)]
        .into_iter()
        .map(|report_id| ArchivedReport {
            report_id,
            report: report(report_id),
        })
        .collect()
}

#[test]
fn a_whole_archive_reads_back_with_every_medium() {
    let reports = two_reports();
    let files = files_of(&reports);
    let items = read_archive(&files).expect("read");
    assert_eq!(items.len(), 2);
    for (item, archived) in items.iter().zip(&reports) {
        assert_eq!(item.report_id, archived.report_id);
        assert_eq!(item.report, archived.report);
        assert_eq!(item.media.len(), 2);
        assert_eq!(item.media[0].1, JPEG);
        assert_eq!(item.media[1].1, CLIP);
    }
}

#[test]
fn media_files_are_named_by_report_index_and_type() {
    let report_id = id(7);
    let body = report(report_id);
    let names: Vec<String> = body
        .media()
        .iter()
        .map(|decl| medium_file(report_id, decl))
        .collect();
    assert_eq!(
        names,
        [
            format!("reports/{report_id}/0.jpg"),
            format!("reports/{report_id}/1.webm")
        ]
    );
}

#[test]
fn the_manifest_is_plain_json_a_person_can_read() {
    let manifest = ArchiveManifest::new(NOW, two_reports());
    let json: serde_json::Value = serde_json::to_value(&manifest).expect("json");
    assert_eq!(json["format"], "greenwatch-unsent-reports");
    assert_eq!(json["version"], 1);
    let first = &json["reports"][0];
    assert_eq!(first["report_id"], id(1).to_string());
    assert_eq!(
        first["report"]["media"][0]["sha256"],
        Sha256Hex::of(JPEG).as_str()
    );
    assert!(
        first["report"].get("receipt_hash").is_some(),
        "the receipt's hash goes, so the case stays the phone's to follow"
    );
}

#[test]
fn the_phones_manifest_text_is_the_manifest() {
    let reports = two_reports();
    let bodies: Vec<(ReportId, String)> = reports
        .iter()
        .map(|r| (r.report_id, serde_json::to_string(&r.report).expect("json")))
        .collect();
    let text = manifest_json(NOW, &bodies);
    let parsed: ArchiveManifest = serde_json::from_str(&text).expect("a manifest");
    assert_eq!(parsed, ArchiveManifest::new(NOW, reports));
    let empty: ArchiveManifest = serde_json::from_str(&manifest_json(NOW, &[])).expect("empty");
    assert_eq!(empty, ArchiveManifest::new(NOW, Vec::new()));
}

#[test]
fn a_changed_medium_is_refused_by_name() {
    let reports = two_reports();
    let mut files = files_of(&reports);
    let name = medium_file(id(2), &reports[1].report.media()[0]);
    let mut bytes = JPEG.to_vec();
    bytes[10] ^= 1;
    files.insert(name.clone(), bytes);
    assert_eq!(
        read_archive(&files).expect_err("refused"),
        ArchiveError::MediumMismatch {
            report: id(2),
            file: name
        }
    );
}

#[test]
fn a_shortened_medium_is_refused() {
    let reports = two_reports();
    let mut files = files_of(&reports);
    let name = medium_file(id(1), &reports[0].report.media()[1]);
    files.insert(name.clone(), CLIP[..CLIP.len() - 1].to_vec());
    assert!(matches!(
        read_archive(&files),
        Err(ArchiveError::MediumMismatch { file, .. }) if file == name
    ));
}

#[test]
fn a_missing_medium_is_refused_by_name() {
    let reports = two_reports();
    let mut files = files_of(&reports);
    let name = medium_file(id(1), &reports[0].report.media()[0]);
    files.remove(&name);
    assert_eq!(
        read_archive(&files).expect_err("refused"),
        ArchiveError::MissingMedium {
            report: id(1),
            file: name
        }
    );
}

#[test]
fn bad_manifests_are_refused() {
    let mut files = files_of(&two_reports());
    files.remove(MANIFEST_FILE);
    assert_eq!(
        read_archive(&files).expect_err("no manifest"),
        ArchiveError::NoManifest
    );

    files.insert(MANIFEST_FILE.to_owned(), b"{\"format\":".to_vec());
    assert!(matches!(
        read_archive(&files),
        Err(ArchiveError::BadManifest(_))
    ));

    // A report whose description breaks the rules does not even parse.
    let mut json = serde_json::to_value(ArchiveManifest::new(NOW, two_reports())).expect("json");
    json["reports"][0]["report"]["description"] = "短".into();
    files.insert(
        MANIFEST_FILE.to_owned(),
        serde_json::to_vec(&json).expect("json"),
    );
    assert!(matches!(
        read_archive(&files),
        Err(ArchiveError::BadManifest(_))
    ));

    let mut later = ArchiveManifest::new(NOW, two_reports());
    later.version = 2;
    files.insert(
        MANIFEST_FILE.to_owned(),
        serde_json::to_vec(&later).expect("json"),
    );
    assert!(matches!(
        read_archive(&files),
        Err(ArchiveError::UnknownFormat { version: 2, .. })
    ));
}

#[test]
fn empty_repeated_and_stray_contents_are_refused() {
    let empty = files_of(&[]);
    assert_eq!(
        read_archive(&empty).expect_err("empty"),
        ArchiveError::NoReports
    );

    let mut twice = two_reports();
    twice[1] = twice[0].clone();
    assert_eq!(
        read_archive(&files_of(&twice)).expect_err("twice"),
        ArchiveError::DuplicateReport(id(1))
    );

    let mut stray = files_of(&two_reports());
    stray.insert("reports/notes.txt".to_owned(), b"hello".to_vec());
    assert_eq!(
        read_archive(&stray).expect_err("stray"),
        ArchiveError::UnexpectedFile("reports/notes.txt".to_owned())
    );

    let many: Vec<ArchivedReport> = (0..=MAX_ARCHIVE_REPORTS as u128)
        .map(|n| ArchivedReport {
            report_id: id(n + 1),
            report: report(id(n + 1)),
        })
        .collect();
    assert_eq!(
        read_archive(&files_of(&many)).expect_err("many"),
        ArchiveError::TooManyReports
    );
}

#[test]
fn every_error_has_a_message_in_both_languages() {
    let errors = [
        ArchiveError::TooLarge {
            max: MAX_ARCHIVE_BYTES,
        },
        ArchiveError::NotZip("x".into()),
        ArchiveError::UnsupportedEntry("a".into()),
        ArchiveError::Damaged("a".into(), "crc".into()),
        ArchiveError::DuplicateFile("a".into()),
        ArchiveError::NoManifest,
        ArchiveError::BadManifest("x".into()),
        ArchiveError::UnknownFormat {
            format: "x".into(),
            version: 9,
        },
        ArchiveError::NoReports,
        ArchiveError::TooManyReports,
        ArchiveError::DuplicateReport(id(1)),
        ArchiveError::MissingMedium {
            report: id(1),
            file: "f".into(),
        },
        ArchiveError::MediumMismatch {
            report: id(1),
            file: "f".into(),
        },
        ArchiveError::UnexpectedFile("f".into()),
    ];
    for error in errors {
        let message = error.message();
        assert!(
            !message.zh_cn.is_empty() && !message.en.is_empty(),
            "{error}"
        );
        assert_ne!(message.zh_cn, message.en, "{error}");
    }
}

#[test]
fn the_archive_writer_writes_what_the_reader_is_given() {
    // The ZIP layer is checked against the `zip` crate on the server side
    // (`server/tests/import.rs`); here: the writer takes every file.
    let files = files_of(&two_reports());
    let bytes = zip_files(
        files
            .iter()
            .map(|(name, bytes)| (name.as_str(), bytes.as_slice())),
    )
    .expect("write");
    let payload: usize = files.iter().map(|(n, b)| n.len() + b.len()).sum();
    // 30 + 46 bytes of headers per entry, 22 for the end record, and each
    // name twice.
    let names: usize = files.keys().map(String::len).sum();
    assert_eq!(bytes.len(), payload + names + files.len() * 76 + 22);
}

//! Importing a file of unsent reports (`protocol::archive`), from the staff
//! console (`POST /api/v1/staff/imports`) or `greenwatch-server
//! import-reports`.
//!
//! All or nothing per file, as far as checking goes: the ZIP is read whole
//! (stored or deflate-free entries only, each CRC checked), the manifest
//! and every medium checked against its declared size and SHA-256
//! (`protocol::archive::read_archive`), and every report against what the
//! server holds and its intake rules (`intake::check_create`, the bytes'
//! kind) before anything is written. Only then is each report created and
//! its missing media stored through `intake`, the path the phone's sync
//! takes, so a report is one case whether it came by file, by sync or both.
//! If the store fails midway, what was written is whole (each step is the
//! sync's own) and importing the same file again finishes the rest.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use bytes::Bytes;
use protocol::archive::{
    read_archive, ArchiveError, ImportAnswer, ImportOutcome, ImportedReport, MAX_ARCHIVE_BYTES,
};
use protocol::report::ReportId;
use protocol::sync::IntakeError;
use protocol::LocalizedText;

use crate::clock;
use crate::error::AppError;
use crate::intake::{self, Created};
use crate::media_type::bytes_fit_kind;
use crate::store::{AuditActor, Store};

/// Why a file was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file itself is bad: nothing was written.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A report the intake rules refuse (other content under its id, a
    /// broken rule, a medium not of its kind): nothing was written.
    #[error("report {report}: {error}")]
    Refused {
        report: ReportId,
        error: IntakeError,
    },
    /// The store failed; reports already imported stay, and importing the
    /// file again finishes the rest.
    #[error(transparent)]
    Store(AppError),
}

impl ImportError {
    /// What to tell staff, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            ImportError::Archive(error) => error.message(),
            ImportError::Refused { report, error } => {
                let (zh, en) = match error {
                    IntakeError::Conflict => (
                        "服务器上已有同一编号但内容不同的报告，文件可能被修改过。".to_owned(),
                        "The server holds different content under this report's id: the file may have been changed.".to_owned(),
                    ),
                    other => {
                        let message = other.message();
                        (message.zh_cn, message.en)
                    }
                };
                LocalizedText::new(
                    format!("报告 {report} 无法导入：{zh} 整个文件均未导入。"),
                    format!("Report {report} cannot be imported: {en} Nothing from the file was imported."),
                )
            }
            ImportError::Store(_) => LocalizedText::new(
                "服务器存储暂时出错。已导入的报告会保留，请稍后再次导入同一文件以完成导入。",
                "The server's storage failed for now. Reports already imported stay; import the same file again later to finish.",
            ),
        }
    }
}

impl From<ImportError> for AppError {
    fn from(error: ImportError) -> AppError {
        match error {
            ImportError::Archive(ArchiveError::TooLarge { .. }) => AppError::PayloadTooLarge,
            ImportError::Refused {
                error: IntakeError::Conflict,
                ..
            } => AppError::ConflictWith(error.message()),
            ImportError::Store(error) => error,
            other => AppError::InvalidWith(other.message()),
        }
    }
}

/// The files of a ZIP archive, by name. Only stored (uncompressed),
/// unencrypted entries, as the phone writes them; each one's CRC-32 is
/// checked as it is read.
pub fn unzip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, ArchiveError> {
    if bytes.len() as u64 > MAX_ARCHIVE_BYTES {
        return Err(ArchiveError::TooLarge {
            max: MAX_ARCHIVE_BYTES,
        });
    }
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|error| ArchiveError::NotZip(error.to_string()))?;
    let mut files = BTreeMap::new();
    for index in 0..archive.len() {
        let (name, supported) = {
            let raw = archive
                .by_index_raw(index)
                .map_err(|error| ArchiveError::NotZip(error.to_string()))?;
            let supported = !raw.encrypted() && raw.compression() == zip::CompressionMethod::Stored;
            (raw.name().to_owned(), supported)
        };
        if !supported {
            return Err(ArchiveError::UnsupportedEntry(name));
        }
        if name.ends_with('/') {
            // A folder entry carries no bytes.
            continue;
        }
        let mut entry = archive
            .by_index(index)
            .map_err(|error| ArchiveError::Damaged(name.clone(), error.to_string()))?;
        let mut data =
            Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(bytes.len()));
        // Reading to the end checks the entry's CRC-32.
        entry
            .read_to_end(&mut data)
            .map_err(|error| ArchiveError::Damaged(name.clone(), error.to_string()))?;
        if files.insert(name.clone(), data).is_some() {
            return Err(ArchiveError::DuplicateFile(name));
        }
    }
    Ok(files)
}

/// Imports the archive `bytes` into `store`: every report checked first,
/// then each created (or found) through `intake`, and audited as `actor`'s
/// import. The reports of the file in its order, each with its case.
pub async fn import_archive(
    store: &Store,
    bytes: &[u8],
    actor: AuditActor<'_>,
) -> Result<ImportAnswer, ImportError> {
    let files = unzip(bytes)?;
    let items = read_archive(&files)?;
    let refused = |report: ReportId| {
        move |error: AppError| match error {
            AppError::Intake(error) => ImportError::Refused { report, error },
            other => ImportError::Store(other),
        }
    };
    // Check everything before writing anything.
    for item in &items {
        intake::check_create(store, item.report_id, &item.report)
            .await
            .map_err(refused(item.report_id))?;
        for (decl, bytes) in &item.media {
            if !bytes_fit_kind(decl.kind, bytes) {
                return Err(ImportError::Refused {
                    report: item.report_id,
                    error: IntakeError::UnsupportedMediaType {
                        index: decl.index,
                        mime: decl.mime.clone(),
                    },
                });
            }
        }
    }
    let mut reports = Vec::with_capacity(items.len());
    for item in &items {
        let id = item.report_id;
        let (mut stored, mut outcome) = match intake::create_report(store, id, &item.report)
            .await
            .map_err(refused(id))?
        {
            Created::New(report) => (report, ImportOutcome::Created),
            Created::Replay(report) if report.complete => (report, ImportOutcome::AlreadyThere),
            Created::Replay(report) => (report, ImportOutcome::Completed),
        };
        for (decl, bytes) in &item.media {
            if stored
                .medium(decl.index)
                .is_some_and(|medium| medium.received)
            {
                continue;
            }
            stored = intake::store_medium(store, id, decl.index, Bytes::copy_from_slice(bytes))
                .await
                .map_err(refused(id))?;
        }
        if outcome == ImportOutcome::AlreadyThere && !stored.complete {
            outcome = ImportOutcome::Completed;
        }
        tracing::info!(report = %id, case = %stored.case_number, ?outcome, "report imported");
        store
            .audit_import(actor, id, outcome.code(), clock::now())
            .await
            .map_err(|error| ImportError::Store(error.into()))?;
        reports.push(ImportedReport {
            report_id: id,
            case_number: stored.case_number,
            outcome,
        });
    }
    Ok(ImportAnswer { reports })
}

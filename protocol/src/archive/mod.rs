//! "Save unsent reports to a file": the archive a phone writes when its
//! reports cannot be sent, for a person to hand to outreach staff, who
//! import it on the server (the staff console or `greenwatch-server
//! import-reports`). One definition for the app that writes it and the
//! server that reads it.
//!
//! The file is a ZIP ([`zip::StoredZip`], entries stored, not compressed):
//!
//! ```text
//! manifest.json                  ArchiveManifest: format, version, when, and
//!                                each report's id and create body (its
//!                                media's type, size and SHA-256 included)
//! reports/<report id>/<index>.jpg|webm|m4a|ogg   each medium's bytes
//! ```
//!
//! Each report's body is exactly the [`CreateReport`] the phone's own sync
//! would send (with only the receipt's hash: the secret stays on the
//! phone), so an import goes through the same create-by-id as a sync, and
//! the later sync of the same report finds its case already there.
//!
//! [`read_archive`] checks a whole archive before the server writes
//! anything: a bad file changes nothing.

pub mod zip;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::report::{AudioMime, ReportId, UnixMillis};
use crate::sync::{CreateReport, MediumDecl, MediumKind};
use crate::LocalizedText;

/// The manifest's name inside the archive.
pub const MANIFEST_FILE: &str = "manifest.json";
/// What the manifest's `format` says.
pub const ARCHIVE_FORMAT: &str = "greenwatch-unsent-reports";
/// The manifest version this code writes and reads.
pub const ARCHIVE_VERSION: u32 = 1;
/// The largest archive the server takes: at most 9 photos of 4 MiB and 3
/// clips of 2 MiB a report (42 MiB), so several full reports fit.
pub const MAX_ARCHIVE_BYTES: u64 = 200 * 1024 * 1024;
/// The most reports one archive may hold.
pub const MAX_ARCHIVE_REPORTS: usize = 100;
/// The name a phone gives the file it saves.
pub const ARCHIVE_DOWNLOAD_NAME: &str = "greenwatch-unsent-reports.zip";

/// The archive's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchiveManifest {
    /// [`ARCHIVE_FORMAT`].
    pub format: String,
    /// [`ARCHIVE_VERSION`].
    pub version: u32,
    /// When the phone wrote the file.
    pub exported_at: UnixMillis,
    pub reports: Vec<ArchivedReport>,
}

impl ArchiveManifest {
    pub fn new(exported_at: UnixMillis, reports: Vec<ArchivedReport>) -> ArchiveManifest {
        ArchiveManifest {
            format: ARCHIVE_FORMAT.to_owned(),
            version: ARCHIVE_VERSION,
            exported_at,
            reports,
        }
    }
}

/// The text of an [`ArchiveManifest`] of `reports`, each given as its id
/// and its create body already written as JSON: what the phone writes, so
/// that the app needs no serialiser for the manifest itself (its first
/// load), only the one its sync already has for [`CreateReport`].
pub fn manifest_json(exported_at: UnixMillis, reports: &[(ReportId, String)]) -> String {
    let mut out = format!(
        "{{\"format\":\"{ARCHIVE_FORMAT}\",\"version\":{ARCHIVE_VERSION},\"exported_at\":{},\"reports\":[",
        exported_at.0
    );
    for (index, (id, body)) in reports.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push_str("{\"report_id\":\"");
        out.push_str(&id.to_string());
        out.push_str("\",\"report\":");
        out.push_str(body);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// One report in the archive: its id and its create body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArchivedReport {
    pub report_id: ReportId,
    pub report: CreateReport,
}

/// Where the bytes of medium `decl` of report `id` are in the archive.
pub fn medium_file(id: ReportId, decl: &MediumDecl) -> String {
    let extension = match decl.kind {
        MediumKind::Photo => "jpg",
        MediumKind::Voice => AudioMime::from_mime(&decl.mime).map_or("bin", AudioMime::extension),
    };
    format!("reports/{id}/{}.{extension}", decl.index)
}

/// A report read from an archive, each declared medium with its bytes
/// (already checked against its declaration: size and SHA-256).
#[derive(Debug)]
pub struct ImportItem<'a> {
    pub report_id: ReportId,
    pub report: CreateReport,
    /// In declaration order.
    pub media: Vec<(MediumDecl, &'a [u8])>,
}

/// Why an archive was refused; nothing of it was imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArchiveError {
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the file is not a ZIP archive: {0}")]
    NotZip(String),
    #[error("{0}: compressed or encrypted entries are not accepted")]
    UnsupportedEntry(String),
    #[error("{0} in the archive is damaged: {1}")]
    Damaged(String, String),
    #[error("{0} is in the archive twice")]
    DuplicateFile(String),
    #[error("the archive has no manifest.json")]
    NoManifest,
    #[error("manifest.json is not valid: {0}")]
    BadManifest(String),
    #[error("manifest.json is of format {format} version {version}, not {ARCHIVE_FORMAT} {ARCHIVE_VERSION}")]
    UnknownFormat { format: String, version: u32 },
    #[error("the archive holds no report")]
    NoReports,
    #[error("the archive holds more than {MAX_ARCHIVE_REPORTS} reports")]
    TooManyReports,
    #[error("report {0} is in the archive twice")]
    DuplicateReport(ReportId),
    #[error("report {report}: {file} is missing")]
    MissingMedium { report: ReportId, file: String },
    #[error("report {report}: {file} does not match its size and SHA-256 in the manifest")]
    MediumMismatch { report: ReportId, file: String },
    #[error("{0} is not part of any report in the manifest")]
    UnexpectedFile(String),
}

impl ArchiveError {
    /// What to tell staff, in both languages.
    pub fn message(&self) -> LocalizedText {
        let (zh, en) = match self {
            ArchiveError::TooLarge { max } => (
                format!("文件过大（最多 {} MB）。", max / (1024 * 1024)),
                format!("The file is too large (at most {} MB).", max / (1024 * 1024)),
            ),
            ArchiveError::NotZip(_) => (
                "这不是 GreenWatch 导出的报告文件（不是 ZIP 文件）。".to_owned(),
                "This is not a GreenWatch report file (it is not a ZIP file).".to_owned(),
            ),
            ArchiveError::UnsupportedEntry(name) => (
                format!("文件中的 {name} 被压缩或加密过，请使用手机保存的原始文件。"),
                format!("{name} in the file is compressed or encrypted: use the file exactly as the phone saved it."),
            ),
            ArchiveError::Damaged(name, _) => (
                format!("文件中的 {name} 已损坏，请让报告人重新保存文件。"),
                format!("{name} in the file is damaged: ask the reporter to save the file again."),
            ),
            ArchiveError::DuplicateFile(name) => (
                format!("文件中 {name} 出现了两次，文件已损坏。"),
                format!("{name} appears twice in the file: the file is damaged."),
            ),
            ArchiveError::NoManifest => (
                "文件中没有 manifest.json，不是 GreenWatch 导出的报告文件。".to_owned(),
                "The file has no manifest.json: it is not a GreenWatch report file.".to_owned(),
            ),
            ArchiveError::BadManifest(detail) => (
                format!("manifest.json 无法读取：{detail}"),
                format!("manifest.json cannot be read: {detail}"),
            ),
            ArchiveError::UnknownFormat { .. } => (
                "文件格式或版本不受支持，请更新服务器。".to_owned(),
                "The file's format or version is not supported: update the server.".to_owned(),
            ),
            ArchiveError::NoReports => (
                "文件中没有报告。".to_owned(),
                "The file holds no report.".to_owned(),
            ),
            ArchiveError::TooManyReports => (
                format!("文件中的报告超过 {MAX_ARCHIVE_REPORTS} 份。"),
                format!("The file holds more than {MAX_ARCHIVE_REPORTS} reports."),
            ),
            ArchiveError::DuplicateReport(id) => (
                format!("报告 {id} 在文件中出现了两次。"),
                format!("Report {id} appears twice in the file."),
            ),
            ArchiveError::MissingMedium { report, file } => (
                format!("报告 {report} 缺少文件 {file}。"),
                format!("Report {report} is missing {file}."),
            ),
            ArchiveError::MediumMismatch { report, file } => (
                format!("报告 {report} 的文件 {file} 与清单中的大小或 SHA-256 不一致，文件已损坏。"),
                format!("Report {report}: {file} does not match its size or SHA-256 in the manifest; the file is damaged."),
            ),
            ArchiveError::UnexpectedFile(name) => (
                format!("文件中的 {name} 不属于任何报告。"),
                format!("{name} in the file belongs to no report."),
            ),
        };
        LocalizedText::new(zh, en)
    }
}

/// Reads an archive's files (name → bytes, as the ZIP holds them): the
/// manifest, then every report's media, each checked against its
/// declaration (size and SHA-256 by [`MediumDecl::check_bytes`]). Every
/// file must be the manifest or a declared medium. The reports' own rules
/// (and what the server already holds) are the server's to check.
pub fn read_archive(
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<Vec<ImportItem<'_>>, ArchiveError> {
    let manifest = files.get(MANIFEST_FILE).ok_or(ArchiveError::NoManifest)?;
    let manifest: ArchiveManifest = serde_json::from_slice(manifest)
        .map_err(|error| ArchiveError::BadManifest(error.to_string()))?;
    if manifest.format != ARCHIVE_FORMAT || manifest.version != ARCHIVE_VERSION {
        return Err(ArchiveError::UnknownFormat {
            format: manifest.format,
            version: manifest.version,
        });
    }
    if manifest.reports.is_empty() {
        return Err(ArchiveError::NoReports);
    }
    if manifest.reports.len() > MAX_ARCHIVE_REPORTS {
        return Err(ArchiveError::TooManyReports);
    }
    let mut seen = BTreeSet::new();
    let mut used: BTreeSet<&str> = BTreeSet::from([MANIFEST_FILE]);
    let mut items = Vec::with_capacity(manifest.reports.len());
    for archived in manifest.reports {
        let id = archived.report_id;
        if !seen.insert(id) {
            return Err(ArchiveError::DuplicateReport(id));
        }
        let mut media = Vec::with_capacity(archived.report.media().len());
        for decl in archived.report.media() {
            let file = medium_file(id, decl);
            let Some((name, bytes)) = files.get_key_value(&file) else {
                return Err(ArchiveError::MissingMedium { report: id, file });
            };
            if decl.check_bytes(bytes).is_err() {
                return Err(ArchiveError::MediumMismatch { report: id, file });
            }
            used.insert(name.as_str());
            media.push((decl.clone(), bytes.as_slice()));
        }
        items.push(ImportItem {
            report_id: id,
            report: archived.report,
            media,
        });
    }
    if let Some(extra) = files.keys().find(|name| !used.contains(name.as_str())) {
        return Err(ArchiveError::UnexpectedFile(extra.clone()));
    }
    Ok(items)
}

/// What importing did with one report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// A new case.
    Created,
    /// The server had the report with every medium (sent by the phone, or
    /// imported before): nothing changed.
    AlreadyThere,
    /// The server had the report but not all its media: the file's
    /// completed it.
    Completed,
}

impl ImportOutcome {
    /// The stable name, as sent and as the audit log's detail.
    pub fn code(self) -> &'static str {
        match self {
            ImportOutcome::Created => "created",
            ImportOutcome::AlreadyThere => "already_there",
            ImportOutcome::Completed => "completed",
        }
    }
}

/// One report of an imported file and its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedReport {
    pub report_id: ReportId,
    pub case_number: crate::sync::CaseNumber,
    pub outcome: ImportOutcome,
}

/// The answer to an import: every report of the file, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportAnswer {
    pub reports: Vec<ImportedReport>,
}

/// `POST` here (staff session) with the archive's bytes as the body
/// imports it: 200 with an [`ImportAnswer`], or an error that changed
/// nothing.
pub const IMPORT_ROUTE: &str = "/api/v1/staff/imports";

#[cfg(test)]
mod tests;

//! `greenwatch-server import-reports FILE...`: imports files of unsent
//! reports saved by phones (`import`), each on its own: a bad file is
//! named with the reason and changes nothing, the others are imported.

use std::fmt::Write;

use protocol::archive::{ArchiveError, ImportOutcome, MAX_ARCHIVE_BYTES};

use crate::config::ImportArgs;
use crate::import::{import_archive, ImportError};
use crate::store::{AuditActor, Store, StoreError, StoreLocation};

/// Imports every file of `args` into the store at `location`: `Ok` with a
/// line per report when every file was imported, `Err` with the same lines
/// and the reason of each file that was not.
pub async fn run(location: &StoreLocation, args: &ImportArgs) -> Result<String, String> {
    tokio::fs::create_dir_all(&location.data_dir)
        .await
        .map_err(|error| format!("cannot create the data folder: {error}"))?;
    let store = Store::open(location)
        .await
        .map_err(|error: StoreError| error.to_string())?;
    let mut out = String::new();
    let mut failed = false;
    for path in &args.files {
        let shown = path.display();
        let outcome = match read_file(path).await {
            Ok(bytes) => import_archive(&store, &bytes, AuditActor::CommandLine).await,
            Err(reason) => {
                failed = true;
                let _ = writeln!(out, "{shown}: cannot be read: {reason}");
                continue;
            }
        };
        match outcome {
            Ok(answer) => {
                for report in answer.reports {
                    let outcome = match report.outcome {
                        ImportOutcome::Created => "new case",
                        ImportOutcome::AlreadyThere => "already there",
                        ImportOutcome::Completed => "completed",
                    };
                    let _ = writeln!(
                        out,
                        "{shown}: report {} -> case {} ({outcome})",
                        report.report_id, report.case_number
                    );
                }
            }
            Err(error) => {
                failed = true;
                let what = match &error {
                    ImportError::Store(_) => "stopped",
                    _ => "refused, nothing imported",
                };
                let _ = writeln!(out, "{shown}: {what}: {}", error.message().en);
                if let ImportError::Store(detail) = &error {
                    tracing::error!(file = %shown, error = %detail, "import stopped");
                }
            }
        }
    }
    store.close().await;
    let out = out.trim_end().to_owned();
    if failed {
        Err(out)
    } else {
        Ok(out)
    }
}

/// The file's bytes, unless it cannot be read or is too large to be one.
async fn read_file(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let size = tokio::fs::metadata(path)
        .await
        .map_err(|error| error.to_string())?
        .len();
    if size > MAX_ARCHIVE_BYTES {
        return Err(ArchiveError::TooLarge {
            max: MAX_ARCHIVE_BYTES,
        }
        .message()
        .en);
    }
    tokio::fs::read(path)
        .await
        .map_err(|error| error.to_string())
}

//! The one way a report reaches the store: create by id, then each medium.
//! Both the phone's sync (`routes::reports`) and an imported file
//! (`import`) go through here, so a report imported from a file and the
//! same report sent later by the phone are one report, one case.
//!
//! The rules are `protocol::sync`'s (see `protocol/tests/support/server_model.rs`):
//! a known id is decided by its content fingerprint alone (its case again,
//! or a conflict); a new one must pass `CreateReport::check`. A medium must
//! match its declaration (`MediumDecl::check_bytes`) and its bytes must be
//! of its kind (`media_type`): [`check_upload`], which a support's media
//! pass too (`routes::supports`).

use bytes::Bytes;
use protocol::report::ReportId;
use protocol::sync::{content_fingerprint, CreateReport, IntakeError, MediumDecl};

use crate::clock;
use crate::error::AppError;
use crate::media_type::bytes_fit_kind;
use crate::store::{CreateOutcome, MediumOutcome, Store, StoredMedium, StoredReport};

/// What a create did.
#[derive(Debug)]
pub enum Created {
    /// A new report with a new case.
    New(StoredReport),
    /// The id already held this content: its case, unchanged.
    Replay(StoredReport),
}

/// Creates report `id` from `body`: a new case, the held one for the same
/// content, or `IntakeError::Conflict` for other content under the id.
pub async fn create_report(
    store: &Store,
    id: ReportId,
    body: &CreateReport,
) -> Result<Created, AppError> {
    let fingerprint = content_fingerprint(body);
    // A known id first: a replay gets its case even if today's rules or
    // clock would refuse the body.
    if let Some(existing) = store.report(id).await? {
        return replay(existing, &fingerprint);
    }
    let now = clock::now();
    body.check(now)?;
    match store.create_report(id, body, &fingerprint, now).await? {
        CreateOutcome::Created(report) => Ok(Created::New(report)),
        // Another request for the same id got there first.
        CreateOutcome::Existing(existing) => replay(existing, &fingerprint),
    }
}

/// Whether `create_report(id, body)` would be accepted, without writing:
/// the same decision, for checking a whole file before importing any of it.
pub async fn check_create(
    store: &Store,
    id: ReportId,
    body: &CreateReport,
) -> Result<Option<StoredReport>, AppError> {
    match store.report(id).await? {
        Some(existing) => {
            replay(existing, &content_fingerprint(body)).map(|created| match created {
                Created::New(report) | Created::Replay(report) => Some(report),
            })
        }
        None => {
            body.check(clock::now())?;
            Ok(None)
        }
    }
}

fn replay(existing: StoredReport, fingerprint: &str) -> Result<Created, AppError> {
    if existing.fingerprint == fingerprint {
        Ok(Created::Replay(existing))
    } else {
        Err(IntakeError::Conflict.into())
    }
}

/// Stores medium `index` of report `id`; the same bytes again change
/// nothing. The report as it stands after.
pub async fn store_medium(
    store: &Store,
    id: ReportId,
    index: u8,
    body: Bytes,
) -> Result<StoredReport, AppError> {
    let Some(report) = store.report(id).await? else {
        return Err(AppError::NotFound);
    };
    let decl = match check_upload(report.medium(index), index, &body)? {
        Upload::AlreadyReceived => return Ok(report),
        Upload::Store(decl) => decl,
    };
    match store.store_medium(id, &decl, body, clock::now()).await? {
        MediumOutcome::Stored(report) => Ok(report),
        MediumOutcome::UnknownReport => Err(AppError::NotFound),
    }
}

/// What to do with an upload that passed.
pub enum Upload {
    /// The same bytes are already stored: answer, store nothing.
    AlreadyReceived,
    /// Store the bytes of this declared medium.
    Store(MediumDecl),
}

/// Checks `body` as medium `index`, declared as `medium` (`None`: the
/// owner declares no medium with that index).
pub fn check_upload(
    medium: Option<&StoredMedium>,
    index: u8,
    body: &[u8],
) -> Result<Upload, AppError> {
    let Some(medium) = medium else {
        return Err(IntakeError::Invalid(Vec::new()).into());
    };
    medium.decl.check_bytes(body)?;
    if medium.received {
        return Ok(Upload::AlreadyReceived);
    }
    if !bytes_fit_kind(medium.decl.kind, body) {
        return Err(IntakeError::UnsupportedMediaType {
            index,
            mime: medium.decl.mime.clone(),
        }
        .into());
    }
    Ok(Upload::Store(medium.decl.clone()))
}

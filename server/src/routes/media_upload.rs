//! What every uploaded medium passes before its bytes are stored, a
//! report's (`reports.rs`) or a support's (`supports.rs`): it must be
//! declared, match its declaration (`MediumDecl::check_bytes`: size, then
//! SHA-256) and, unless it is already received, be of its kind
//! (`media_type`).

use protocol::sync::{IntakeError, MediumDecl};

use crate::error::AppError;
use crate::media_type::bytes_fit_kind;
use crate::store::StoredMedium;

/// What to do with an upload that passed.
pub enum Upload {
    /// The same bytes are already stored: answer, store nothing.
    AlreadyReceived,
    /// Store the bytes of this declared medium.
    Store(MediumDecl),
}

/// Checks `body` as medium `index`, declared as `medium` (`None`: the
/// owner declares no medium with that index).
pub fn check(medium: Option<&StoredMedium>, index: u8, body: &[u8]) -> Result<Upload, AppError> {
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

//! Capturing a report: the form's raw state, the rules each field follows,
//! and the checked report that is queued and sent.
//!
//! Every rule lives here once, so the app (checking as the person types) and
//! the server (checking what arrives) cannot disagree. Each checked value is a
//! newtype made by a `parse` constructor (also applied when deserialising);
//! each error type has a `message()` in both languages.
//!
//! The flow: the form edits a [`ReportDraft`] (stored as JSON after every
//! change); [`ReportDraft::validate`] gives a [`ValidReport`] or
//! [`FieldErrors`], one per field to fix; [`ReportState`] tracks the report
//! from `Draft` to `Sent`.

pub mod category;
pub mod contact;
pub mod description;
pub mod draft;
pub mod location;
pub mod media;
pub mod seen_at;
pub mod state;

pub use category::{Category, CategoryClass, CategoryError};
pub use contact::{Contact, ContactError, PersonName, PersonNameError, PhoneError, PhoneNumber};
pub use description::{char_count, Description, DescriptionError};
pub use draft::{Field, FieldError, FieldErrors, ReportDraft, ReportId, ValidReport};
pub use location::{Address, AddressError, GeoPoint, GeoPointError, Location, LocationError};
pub use media::{
    AudioMime, MediaError, MediaId, PhotoMeta, Sha256Error, Sha256Hex, VoiceClipMeta, MAX_PHOTOS,
    MAX_PHOTO_BYTES, MAX_PHOTO_EDGE, MAX_VOICE_BYTES, MAX_VOICE_CLIPS, MAX_VOICE_MS,
};
pub use seen_at::{SeenAt, SeenAtError, UnixMillis};
pub use state::ReportState;

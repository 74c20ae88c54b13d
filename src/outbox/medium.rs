//! A medium's bytes as the outbox keeps them (schema v4): a plain object
//! `{type, bytes}` whose `bytes` is an `ArrayBuffer`. Every engine stores
//! that, including WebKit's private and ephemeral sessions, which refuse any
//! `Blob` in IndexedDB ("Error preparing Blob/File data to be stored").
//!
//! Records written by v3 and before are `Blob`s; they are read as they are
//! and turned into the same [`Medium`] (see [`Stored`]), so nothing kept by
//! an older version is lost or rewritten.
//!
//! A [`Medium`] is always made before a transaction opens
//! ([`Medium::from_blob`] awaits the Blob's bytes): a transaction awaiting
//! anything but its own requests would be committed early by the browser.

use js_sys::{ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

use super::StorageError;

const TYPE_FIELD: &str = "type";
const BYTES_FIELD: &str = "bytes";

/// One medium's bytes (a photo, a thumbnail, a voice clip) with its MIME type.
#[derive(Debug, Clone)]
pub struct Medium {
    mime: String,
    bytes: ArrayBuffer,
}

impl Medium {
    /// The bytes of `blob` and its type. Await this before opening the
    /// transaction that stores it.
    pub async fn from_blob(blob: &Blob) -> Result<Self, StorageError> {
        let buffer = JsFuture::from(blob.array_buffer())
            .await
            .map_err(|error| StorageError::Browser(describe(&error)))?;
        let bytes = buffer
            .dyn_into::<ArrayBuffer>()
            .map_err(|_| StorageError::Browser("Blob.arrayBuffer gave no ArrayBuffer".into()))?;
        Ok(Self {
            mime: blob.type_(),
            bytes,
        })
    }

    /// A copy of `bytes` with the type `mime`.
    pub fn from_bytes(mime: &str, bytes: &[u8]) -> Self {
        Self {
            mime: mime.to_owned(),
            bytes: Uint8Array::from(bytes).buffer(),
        }
    }

    /// The MIME type ("image/jpeg", "audio/webm;codecs=opus", ...).
    pub fn mime(&self) -> &str {
        &self.mime
    }

    /// The bytes, without copying them into wasm memory.
    pub fn buffer(&self) -> &ArrayBuffer {
        &self.bytes
    }

    /// Size in bytes.
    pub fn len(&self) -> u64 {
        u64::from(self.bytes.byte_length())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes, copied into wasm memory.
    pub fn to_vec(&self) -> Vec<u8> {
        Uint8Array::new(&self.bytes).to_vec()
    }

    /// A Blob of the bytes, made when it is needed (an upload body, an
    /// object URL for `<img>` or `<audio>`); never stored.
    pub fn to_blob(&self) -> Result<Blob, StorageError> {
        let options = BlobPropertyBag::new();
        options.set_type(&self.mime);
        let parts = js_sys::Array::of1(&self.bytes);
        Blob::new_with_buffer_source_sequence_and_options(&parts, &options)
            .map_err(|error| StorageError::Browser(describe(&error)))
    }

    /// An object URL of [`Medium::to_blob`]; the caller revokes it.
    pub fn object_url(&self) -> Option<String> {
        web_sys::Url::create_object_url_with_blob(&self.to_blob().ok()?).ok()
    }

    /// The stored shape: `{type, bytes}`.
    pub(super) fn to_js(&self) -> JsValue {
        let record = Object::new();
        // Setting a field on a fresh plain object cannot fail.
        let _ = Reflect::set(&record, &TYPE_FIELD.into(), &self.mime.as_str().into());
        let _ = Reflect::set(&record, &BYTES_FIELD.into(), &self.bytes);
        record.into()
    }
}

/// A medium as read from a store, before it leaves the transaction: either
/// shape a version of the app wrote.
pub(super) enum Stored {
    /// v4: `{type, bytes}`.
    Bytes(Medium),
    /// v3 and before: a `Blob` (its bytes are read after the transaction).
    Blob(Blob),
}

impl Stored {
    /// `None` for a value that is neither shape (nothing else is ever written).
    pub(super) fn from_js(value: JsValue) -> Option<Self> {
        if value.is_instance_of::<Blob>() {
            return value.dyn_into().ok().map(Stored::Blob);
        }
        let bytes = Reflect::get(&value, &BYTES_FIELD.into())
            .ok()?
            .dyn_into::<ArrayBuffer>()
            .ok()?;
        let mime = Reflect::get(&value, &TYPE_FIELD.into())
            .ok()
            .and_then(|mime| mime.as_string())
            .unwrap_or_default();
        Some(Stored::Bytes(Medium { mime, bytes }))
    }

    /// The bytes. Await this only after the transaction that read it.
    pub(super) async fn into_medium(self) -> Result<Medium, StorageError> {
        match self {
            Stored::Bytes(medium) => Ok(medium),
            Stored::Blob(blob) => Medium::from_blob(&blob).await,
        }
    }
}

/// A thrown value's name and message, for [`StorageError::detail`].
fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<js_sys::Error>() {
        Some(error) => format!(
            "{}: {}",
            String::from(error.name()),
            String::from(error.message())
        ),
        None => format!("{error:?}"),
    }
}

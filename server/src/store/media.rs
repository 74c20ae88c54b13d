//! The media bytes' object store: a local folder (`<data>/media`) through
//! object_store's `LocalFileSystem`.
//!
//! `put` returns only once the bytes are durable: `LocalFileSystem::put`
//! writes a temporary file in the same folder and renames it over the key,
//! so the key never names a partial file; it does not fsync, so the file
//! and its folders are synced here before the caller records the medium.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use protocol::report::ReportId;

use super::error::StoreError;

/// Where medium `index` of report `id` lives in the object store.
pub fn object_key(id: ReportId, index: u8) -> ObjectPath {
    ObjectPath::from(format!("reports/{id}/{index}"))
}

/// The media store. Cheap to clone.
#[derive(Debug, Clone)]
pub(super) struct Media {
    objects: Arc<dyn ObjectStore>,
    local: Arc<LocalFileSystem>,
    root: PathBuf,
}

impl Media {
    /// The folder `root`, created if missing.
    pub(super) async fn folder(root: PathBuf) -> Result<Media, StoreError> {
        tokio::fs::create_dir_all(&root).await?;
        let local = Arc::new(LocalFileSystem::new_with_prefix(&root)?);
        Ok(Media {
            objects: local.clone(),
            local,
            root,
        })
    }

    /// The folder the files live in.
    pub(super) fn root(&self) -> &Path {
        &self.root
    }

    /// Stores `bytes` under `key`, durably.
    pub(super) async fn put(&self, key: &ObjectPath, bytes: Bytes) -> Result<(), StoreError> {
        self.objects.put(key, PutPayload::from(bytes)).await?;
        let path = self.local.path_to_filesystem(key)?;
        let root = self.root.clone();
        tokio::task::spawn_blocking(move || sync_file_and_folders(&path, &root))
            .await
            .map_err(|error| StoreError::Corrupt(format!("sync task: {error}")))??;
        Ok(())
    }

    /// The bytes stored under `key`.
    pub(super) async fn get(&self, key: &ObjectPath) -> Result<Bytes, StoreError> {
        Ok(self.objects.get(key).await?.bytes().await?)
    }
}

/// fsync the file at `path`, then every folder from its own up to `root`,
/// so both its bytes and its name survive a power cut.
fn sync_file_and_folders(path: &Path, root: &Path) -> std::io::Result<()> {
    std::fs::File::open(path)?.sync_all()?;
    let mut folder = path.parent();
    while let Some(dir) = folder {
        std::fs::File::open(dir)?.sync_all()?;
        if dir == root {
            break;
        }
        folder = dir.parent();
    }
    Ok(())
}

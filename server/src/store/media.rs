//! The media bytes' object store: a local folder (`<data>/media`, the
//! default) or an S3-compatible bucket (`--media-url s3://bucket/prefix`),
//! both through object_store.
//!
//! `put` returns only once the bytes are durable and whole under their key:
//! - folder: `LocalFileSystem::put` writes a temporary file in the same
//!   folder and renames it over the key, so the key never names a partial
//!   file; it does not fsync, so the file and its folders are synced here;
//! - S3: one `PUT` of the whole object (media are at most 4 MiB, the
//!   largest request body), which S3 makes visible whole or not at all and
//!   acknowledges once stored.
//!
//! The caller records the medium only after `put` returned, so a medium the
//! database calls received is always readable, whole. Any failure of the
//! object store is `StoreError::MediaUnavailable` (answered 503 with
//! `Retry-After`: the client sends the same bytes again later).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::prefix::PrefixStore;
use object_store::{BackoffConfig, ClientConfigKey, ObjectStore, PutPayload, RetryConfig};
use protocol::report::ReportId;
use protocol::support::SupportId;

use super::error::StoreError;

/// Where medium `index` of report `id` lives in the object store.
pub fn object_key(id: ReportId, index: u8) -> ObjectPath {
    ObjectPath::from(format!("reports/{id}/{index}"))
}

/// Where medium `index` of support `id` lives in the object store: apart
/// from every report's.
pub fn support_object_key(id: SupportId, index: u8) -> ObjectPath {
    ObjectPath::from(format!("supports/{id}/{index}"))
}

/// An S3-compatible bucket and the prefix under which the media live:
/// `s3://bucket` or `s3://bucket/some/prefix`. Endpoint, region and
/// credentials come from the usual `AWS_*` variables (`AWS_ENDPOINT`,
/// `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_ALLOW_HTTP=true` for a plain-http server on a private network);
/// requests are path-style (`endpoint/bucket/key`, what MinIO, Ceph and
/// most S3-compatible servers expect) unless
/// `AWS_VIRTUAL_HOSTED_STYLE_REQUEST=true`.
#[derive(Clone, PartialEq, Eq)]
pub struct MediaUrl {
    bucket: String,
    prefix: String,
    /// Instead of `AWS_ENDPOINT` (tests put a relay in front of the server).
    endpoint: Option<String>,
}

/// Why a media URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaUrlError {
    #[error("the media URL must be s3://bucket or s3://bucket/prefix, not {0:?}")]
    Scheme(String),
    #[error("the media URL names no bucket")]
    NoBucket,
    #[error("the media URL's bucket {0:?} is not a bucket name (3 to 63 of a-z 0-9 . -)")]
    Bucket(String),
}

impl FromStr for MediaUrl {
    type Err = MediaUrlError;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let raw = raw.trim();
        let Some(rest) = raw.strip_prefix("s3://") else {
            let scheme = raw.split_once("://").map_or(raw, |(scheme, _)| scheme);
            return Err(MediaUrlError::Scheme(scheme.chars().take(20).collect()));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(MediaUrlError::NoBucket);
        }
        let valid = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid {
            return Err(MediaUrlError::Bucket(bucket.to_owned()));
        }
        let prefix = prefix
            .split('/')
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        Ok(MediaUrl {
            bucket: bucket.to_owned(),
            prefix,
            endpoint: None,
        })
    }
}

impl fmt::Display for MediaUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.prefix.is_empty() {
            write!(f, "s3://{}", self.bucket)
        } else {
            write!(f, "s3://{}/{}", self.bucket, self.prefix)
        }
    }
}

impl fmt::Debug for MediaUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MediaUrl({self})")
    }
}

impl MediaUrl {
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The same bucket under `prefix/` appended (tests give each run its own).
    pub fn join(&self, prefix: &str) -> MediaUrl {
        let prefix = if self.prefix.is_empty() {
            prefix.to_owned()
        } else {
            format!("{}/{prefix}", self.prefix)
        };
        MediaUrl {
            bucket: self.bucket.clone(),
            prefix,
            endpoint: self.endpoint.clone(),
        }
    }

    /// The same bucket reached at `endpoint` rather than `AWS_ENDPOINT`.
    pub fn with_endpoint(self, endpoint: &str) -> MediaUrl {
        MediaUrl {
            endpoint: Some(endpoint.to_owned()),
            ..self
        }
    }
}

/// How long one object-store request may take, and how often it is tried.
/// Short: an upload that cannot be stored answers 503 at once and the
/// phone retries later, rather than holding its request for minutes.
const CONNECT_TIMEOUT: &str = "5s";
const REQUEST_TIMEOUT: &str = "60s";
const MAX_RETRIES: usize = 2;
const RETRY_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
enum Place {
    Folder {
        local: Arc<LocalFileSystem>,
        root: PathBuf,
    },
    S3 {
        url: MediaUrl,
    },
}

/// The media store. Cheap to clone.
#[derive(Debug, Clone)]
pub(super) struct Media {
    objects: Arc<dyn ObjectStore>,
    place: Place,
}

fn unavailable(error: object_store::Error) -> StoreError {
    StoreError::MediaUnavailable(error)
}

impl Media {
    /// The folder `root`, created if missing.
    pub(super) async fn folder(root: PathBuf) -> Result<Media, StoreError> {
        tokio::fs::create_dir_all(&root).await?;
        let local = Arc::new(LocalFileSystem::new_with_prefix(&root)?);
        Ok(Media {
            objects: local.clone(),
            place: Place::Folder { local, root },
        })
    }

    /// The bucket `url` names, configured from the `AWS_*` variables, and
    /// checked by listing it once (a wrong endpoint, bucket or key stops
    /// the start with the store's message).
    pub(super) async fn s3(url: &MediaUrl) -> Result<Media, StoreError> {
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(&url.bucket);
        if let Some(endpoint) = &url.endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let s3 = builder
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::ConnectTimeout),
                CONNECT_TIMEOUT,
            )
            .with_config(
                AmazonS3ConfigKey::Client(ClientConfigKey::Timeout),
                REQUEST_TIMEOUT,
            )
            .with_retry(RetryConfig {
                backoff: BackoffConfig::default(),
                max_retries: MAX_RETRIES,
                retry_timeout: RETRY_TIMEOUT,
            })
            .build()?;
        let objects: Arc<dyn ObjectStore> = if url.prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, url.prefix.as_str()))
        };
        objects
            .list_with_delimiter(None)
            .await
            .map_err(StoreError::Media)?;
        Ok(Media {
            objects,
            place: Place::S3 { url: url.clone() },
        })
    }

    /// The media folder, when the media are in one.
    pub(super) fn root(&self) -> Option<&Path> {
        match &self.place {
            Place::Folder { root, .. } => Some(root),
            Place::S3 { .. } => None,
        }
    }

    /// Where the media are, for the log.
    pub(super) fn describe(&self) -> String {
        match &self.place {
            Place::Folder { root, .. } => root.display().to_string(),
            Place::S3 { url } => url.to_string(),
        }
    }

    /// Stores `bytes` under `key`, durably and whole.
    pub(super) async fn put(&self, key: &ObjectPath, bytes: Bytes) -> Result<(), StoreError> {
        self.objects
            .put(key, PutPayload::from(bytes))
            .await
            .map_err(unavailable)?;
        if let Place::Folder { local, root } = &self.place {
            let path = local.path_to_filesystem(key)?;
            let root = root.clone();
            tokio::task::spawn_blocking(move || sync_file_and_folders(&path, &root))
                .await
                .map_err(|error| StoreError::Corrupt(format!("sync task: {error}")))?
                .map_err(|error| {
                    StoreError::MediaUnavailable(object_store::Error::Generic {
                        store: "LocalFileSystem",
                        source: Box::new(error),
                    })
                })?;
        }
        Ok(())
    }

    /// The bytes stored under `key`, or `None` if there is no such object.
    pub(super) async fn get(&self, key: &ObjectPath) -> Result<Option<Bytes>, StoreError> {
        match self.objects.get(key).await {
            Ok(result) => Ok(Some(result.bytes().await.map_err(unavailable)?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(error) => Err(unavailable(error)),
        }
    }

    /// Every key under `prefix`, sorted.
    pub(super) async fn keys(&self, prefix: &str) -> Result<Vec<String>, StoreError> {
        let prefix = ObjectPath::from(prefix);
        let mut keys: Vec<String> = self
            .objects
            .list(Some(&prefix))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(unavailable)?;
        keys.sort();
        Ok(keys)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn support_media_live_apart_from_report_media() {
        let id = SupportId::from_uuid(uuid::Uuid::nil());
        assert_eq!(
            support_object_key(id, 2).as_ref(),
            "supports/00000000-0000-0000-0000-000000000000/2"
        );
        assert_eq!(
            object_key(ReportId::from_uuid(uuid::Uuid::nil()), 2).as_ref(),
            "reports/00000000-0000-0000-0000-000000000000/2"
        );
    }

    #[test]
    fn media_urls_name_a_bucket_and_a_prefix() {
        let url: MediaUrl = "s3://greenwatch-media".parse().expect("url");
        assert_eq!(url.bucket(), "greenwatch-media");
        assert_eq!(url.to_string(), "s3://greenwatch-media");
        let url: MediaUrl = "s3://gw.media/city//prod/".parse().expect("url");
        assert_eq!(url.to_string(), "s3://gw.media/city/prod");
        assert_eq!(url.join("t1").to_string(), "s3://gw.media/city/prod/t1");
        assert_eq!(
            "https://bucket/x".parse::<MediaUrl>(),
            Err(MediaUrlError::Scheme("https".into()))
        );
        assert_eq!("s3:///x".parse::<MediaUrl>(), Err(MediaUrlError::NoBucket));
        assert!(matches!(
            "s3://Upper_Case/x".parse::<MediaUrl>(),
            Err(MediaUrlError::Bucket(_))
        ));
    }
}

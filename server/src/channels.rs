//! The reporting channels the server offers at `GET /api/v1/channels`,
//! loaded once at start.
//!
//! Without `--channels-file` the list is the one built into `protocol`
//! (`content/channels/channels.json`). With it, the file's list replaces the
//! built-in one, so a bureau publishes its own numbers without a new build.
//! The file is checked at start with `ChannelList::parse`; an unreadable or
//! invalid file, or one whose `version` is not higher than the built-in
//! list's (apps already holding the built-in list keep the higher version,
//! so they would never show it), stops the server with the file's name and
//! the problem. The answer's body and `ETag` are computed here once.

use std::path::{Path, PathBuf};

use protocol::channels::{bundled, ChannelList, ChannelsError};

use crate::revalidated::JsonAnswer;

/// Why the channels file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ChannelsFileError {
    #[error("cannot read the channels file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid channels file {path}: {error}")]
    Invalid { path: PathBuf, error: ChannelsError },
    #[error(
        "channels file {path} has version {version}, not higher than the built-in \
         version {built_in}: raise its version, or apps keep the built-in list"
    )]
    NotNewer {
        path: PathBuf,
        version: u32,
        built_in: u32,
    },
    #[error("cannot serialise the channels: {0}")]
    Serialise(#[from] serde_json::Error),
}

/// The channel list served and its precomputed answer.
#[derive(Debug, Clone)]
pub struct ChannelCatalog {
    list: ChannelList,
    answer: JsonAnswer,
}

impl ChannelCatalog {
    /// The built-in list.
    ///
    /// # Panics
    /// Like `protocol::channels::bundled`, if the built-in file is invalid
    /// (the protocol's tests parse it, so that is a build mistake).
    pub fn built_in() -> ChannelCatalog {
        ChannelCatalog::from_list(bundled())
            .unwrap_or_else(|error| panic!("built-in channels: {error}"))
    }

    /// The list of `file` if given, else the built-in one.
    pub fn load(file: Option<&Path>) -> Result<ChannelCatalog, ChannelsFileError> {
        let Some(path) = file else {
            return ChannelCatalog::from_list(bundled());
        };
        let text = std::fs::read_to_string(path).map_err(|source| ChannelsFileError::Read {
            path: path.to_owned(),
            source,
        })?;
        let list = ChannelList::parse(&text).map_err(|error| ChannelsFileError::Invalid {
            path: path.to_owned(),
            error,
        })?;
        let built_in = bundled().version();
        if list.version() <= built_in {
            return Err(ChannelsFileError::NotNewer {
                path: path.to_owned(),
                version: list.version(),
                built_in,
            });
        }
        tracing::info!(
            file = %path.display(),
            version = list.version(),
            channels = list.channels().len(),
            "reporting channels from the channels file"
        );
        ChannelCatalog::from_list(list)
    }

    fn from_list(list: ChannelList) -> Result<ChannelCatalog, ChannelsFileError> {
        let answer = JsonAnswer::new(serde_json::to_vec(&list)?);
        Ok(ChannelCatalog { list, answer })
    }

    /// The list served.
    pub fn list(&self) -> &ChannelList {
        &self.list
    }

    /// The answer: the JSON of the list, in the file schema, and its tag.
    pub fn answer(&self) -> &JsonAnswer {
        &self.answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_answer_is_the_bundled_list_with_a_weak_tag() {
        let catalog = ChannelCatalog::built_in();
        assert_eq!(catalog.list(), &bundled());
        let body = std::str::from_utf8(&catalog.answer().body())
            .expect("utf-8")
            .to_owned();
        assert_eq!(ChannelList::parse(&body).expect("answer"), bundled());
        let tag = catalog.answer().etag().to_owned();
        assert!(tag.starts_with("W/\"") && tag.ends_with('"'), "{tag}");
        for header in [
            tag.clone(),
            tag.trim_start_matches("W/").to_owned(),
            format!("\"other\", {tag}"),
            "*".to_owned(),
        ] {
            assert!(catalog.answer().matches(&header), "{header}");
        }
        for header in ["\"other\"", "", "W/\"0\""] {
            assert!(!catalog.answer().matches(header), "{header}");
        }
        assert_eq!(
            ChannelCatalog::built_in().answer().etag(),
            catalog.answer().etag()
        );
    }
}

//! The quiz packs the server offers at `GET /api/v1/quiz/packs`, loaded once
//! at start.
//!
//! The set is the packs built into `protocol` (`content/quiz/`), with the
//! packs of `--quiz-dir` merged in by id (`protocol::quiz::merge_packs`): a
//! folder pack replaces a built-in one only when its `version` is higher
//! (an equal or lower one is logged and ignored), and a new id is added.
//! So the bureau publishes a new version of a pack by copying its file,
//! with a raised `version`, into the folder and restarting the server.
//!
//! Every `*.json` file of the folder is checked with `QuizPack::parse`; an
//! unreadable or invalid file, two files with the same pack id, or a pack
//! named `mixed` (the `pack` of mixed quiz results) stop the server with
//! the file's name and the problem. The answer's body and its `ETag` are
//! computed here once, so a request costs a header comparison.

use std::path::{Path, PathBuf};

use protocol::quiz::{bundled, merge_packs, PackError, QuizPack, QuizPacksAnswer, MIXED_PACK};

use crate::revalidated::JsonAnswer;

/// Why the quiz folder could not be used.
#[derive(Debug, thiserror::Error)]
pub enum QuizDirError {
    #[error("cannot read the quiz folder {path}: {source}")]
    ReadDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read quiz pack {path}: {source}")]
    ReadFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid quiz pack {path}: {error}")]
    Invalid { path: PathBuf, error: PackError },
    #[error("quiz packs {first} and {second} both have the id {id:?}")]
    DuplicateId {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("invalid quiz pack {path}: the id {MIXED_PACK:?} is reserved for mixed quizzes")]
    ReservedId { path: PathBuf },
    #[error("cannot serialise the quiz packs: {0}")]
    Serialise(#[from] serde_json::Error),
}

/// The packs served and their precomputed answer.
#[derive(Debug, Clone)]
pub struct QuizCatalog {
    packs: Vec<QuizPack>,
    answer: JsonAnswer,
}

impl QuizCatalog {
    /// The built-in packs only.
    ///
    /// # Panics
    /// Like `protocol::quiz::bundled`, if a built-in pack is invalid (the
    /// protocol's tests parse every one, so that is a build mistake).
    pub fn built_in() -> QuizCatalog {
        QuizCatalog::from_packs(bundled())
            .unwrap_or_else(|error| panic!("built-in quiz packs: {error}"))
    }

    /// The built-in packs with those of `dir`, if given, merged in.
    pub fn load(dir: Option<&Path>) -> Result<QuizCatalog, QuizDirError> {
        let Some(dir) = dir else {
            return QuizCatalog::from_packs(bundled());
        };
        let built_in = bundled();
        let folder = read_folder(dir)?;
        if folder.is_empty() {
            tracing::warn!(dir = %dir.display(), "the quiz folder holds no *.json pack");
        }
        for (path, pack) in &folder {
            match built_in.iter().find(|kept| kept.id() == pack.id()) {
                Some(kept) if kept.version() >= pack.version() => tracing::warn!(
                    file = %path.display(),
                    pack = %pack.id(),
                    version = pack.version(),
                    built_in = kept.version(),
                    "quiz pack ignored: the built-in version is not lower"
                ),
                Some(kept) => tracing::info!(
                    file = %path.display(),
                    pack = %pack.id(),
                    version = pack.version(),
                    replaces = kept.version(),
                    "quiz pack replaces the built-in one"
                ),
                None => tracing::info!(
                    file = %path.display(),
                    pack = %pack.id(),
                    version = pack.version(),
                    "quiz pack added"
                ),
            }
        }
        QuizCatalog::from_packs(merge_packs(
            built_in,
            folder.into_iter().map(|(_, pack)| pack),
        ))
    }

    fn from_packs(packs: Vec<QuizPack>) -> Result<QuizCatalog, QuizDirError> {
        let answer = QuizPacksAnswer { packs };
        let json = JsonAnswer::new(serde_json::to_vec(&answer)?);
        Ok(QuizCatalog {
            packs: answer.packs,
            answer: json,
        })
    }

    /// The packs served, built-in order first, then added ones by file name.
    pub fn packs(&self) -> &[QuizPack] {
        &self.packs
    }

    /// The answer: the JSON of the `QuizPacksAnswer`, and its tag.
    pub fn answer(&self) -> &JsonAnswer {
        &self.answer
    }
}

/// Every `*.json` pack in `dir`, by file name, each checked.
fn read_folder(dir: &Path) -> Result<Vec<(PathBuf, QuizPack)>, QuizDirError> {
    let read_dir = |source| QuizDirError::ReadDir {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_dir)? {
        let path = entry.map_err(read_dir)?.path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    let mut packs: Vec<(PathBuf, QuizPack)> = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| QuizDirError::ReadFile {
            path: path.clone(),
            source,
        })?;
        let pack = QuizPack::parse(&text).map_err(|error| QuizDirError::Invalid {
            path: path.clone(),
            error,
        })?;
        if pack.id().as_str() == MIXED_PACK {
            return Err(QuizDirError::ReservedId { path });
        }
        if let Some((first, _)) = packs.iter().find(|(_, kept)| kept.id() == pack.id()) {
            return Err(QuizDirError::DuplicateId {
                id: pack.id().to_string(),
                first: first.clone(),
                second: path,
            });
        }
        packs.push((path, pack));
    }
    Ok(packs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_compares_weakly_and_accepts_lists_and_star() {
        let catalog = QuizCatalog::built_in();
        let tag = catalog.answer().etag().to_owned();
        assert!(tag.starts_with("W/\"") && tag.ends_with('"'), "{tag}");
        let strong = tag.trim_start_matches("W/").to_owned();
        for header in [
            tag.clone(),
            strong.clone(),
            format!("\"other\", {tag}"),
            "*".to_owned(),
        ] {
            assert!(catalog.answer().matches(&header), "{header}");
        }
        for header in ["\"other\"", "", "W/\"0\""] {
            assert!(!catalog.answer().matches(header), "{header}");
        }
    }

    #[test]
    fn the_built_in_answer_is_every_bundled_pack() {
        let catalog = QuizCatalog::built_in();
        assert_eq!(catalog.packs(), bundled().as_slice());
        let body = std::str::from_utf8(&catalog.answer().body())
            .expect("utf-8")
            .to_owned();
        let received = QuizPacksAnswer::parse(&body).expect("answer");
        assert_eq!(received.packs, bundled());
        // The same packs always give the same tag.
        assert_eq!(
            QuizCatalog::built_in().answer().etag(),
            catalog.answer().etag()
        );
    }
}

//! The packs shipped inside the app, so the quizzes work offline from the
//! first start. They are the files of `content/quiz/`, compiled in; a test
//! checks that every file there is listed here exactly once.

use super::pack::QuizPack;

/// `(file name, contents)` of every file in `content/quiz/` ending in `.json`.
/// A new pack file is added here too (the test below fails until it is).
pub const BUNDLED_FILES: [(&str, &str); 14] = [
    (
        "campaign-days.json",
        include_str!("../../../content/quiz/campaign-days.json"),
    ),
    (
        "reporting.json",
        include_str!("../../../content/quiz/reporting.json"),
    ),
    (
        "water-quality.json",
        include_str!("../../../content/quiz/water-quality.json"),
    ),
    (
        "air-quality.json",
        include_str!("../../../content/quiz/air-quality.json"),
    ),
    (
        "waste-sorting.json",
        include_str!("../../../content/quiz/waste-sorting.json"),
    ),
    (
        "noise.json",
        include_str!("../../../content/quiz/noise.json"),
    ),
    (
        "environmental-law.json",
        include_str!("../../../content/quiz/environmental-law.json"),
    ),
    (
        "saving-energy-water.json",
        include_str!("../../../content/quiz/saving-energy-water.json"),
    ),
    (
        "carbon.json",
        include_str!("../../../content/quiz/carbon.json"),
    ),
    (
        "river-chiefs.json",
        include_str!("../../../content/quiz/river-chiefs.json"),
    ),
    (
        "five-waters.json",
        include_str!("../../../content/quiz/five-waters.json"),
    ),
    (
        "biodiversity.json",
        include_str!("../../../content/quiz/biodiversity.json"),
    ),
    (
        "oceans-plastics.json",
        include_str!("../../../content/quiz/oceans-plastics.json"),
    ),
    (
        "wetlands-yangtze.json",
        include_str!("../../../content/quiz/wetlands-yangtze.json"),
    ),
];

/// Every bundled pack, in [`BUNDLED_FILES`] order.
///
/// # Panics
/// If a bundled file is not a valid pack. The tests parse every one, so that
/// is a build mistake, never a runtime condition.
pub fn bundled() -> Vec<QuizPack> {
    BUNDLED_FILES
        .iter()
        .map(|(name, json)| {
            QuizPack::parse(json).unwrap_or_else(|err| panic!("bundled quiz pack {name}: {err}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;

    #[test]
    fn every_pack_file_is_bundled_exactly_once() {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/quiz");
        let mut on_disk = BTreeMap::new();
        for entry in std::fs::read_dir(&folder).expect("content/quiz") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|ext| ext == "json") {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .expect("UTF-8 name")
                    .to_owned();
                let text = std::fs::read_to_string(&path).expect("read");
                on_disk.insert(name, text);
            }
        }
        let mut bundled = BTreeMap::new();
        for (name, text) in BUNDLED_FILES {
            let before = bundled.insert(name.to_owned(), text.to_owned());
            assert!(before.is_none(), "{name} is bundled twice");
        }
        assert_eq!(
            on_disk.keys().collect::<Vec<_>>(),
            bundled.keys().collect::<Vec<_>>(),
            "BUNDLED_FILES must list every file in content/quiz/"
        );
        assert_eq!(on_disk, bundled);
    }

    #[test]
    fn every_bundled_pack_is_valid_and_named_after_its_file() {
        let packs = bundled();
        assert_eq!(packs.len(), BUNDLED_FILES.len());
        for (pack, (name, _)) in packs.iter().zip(BUNDLED_FILES) {
            assert_eq!(format!("{}.json", pack.id()), name);
        }
    }
}

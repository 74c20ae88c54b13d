//! Which version of each pack to play when several are at hand (bundled in
//! the build, kept from an earlier answer, just served).

use super::pack::QuizPack;

/// `base` with each pack replaced by a pack of `others` with the same id
/// and a higher version; packs of `others` with new ids join at the end, in
/// their order. Between equal versions the one already in `base` stays.
pub fn newest_packs(base: Vec<QuizPack>, others: Vec<QuizPack>) -> Vec<QuizPack> {
    let mut packs = base;
    for other in others {
        match packs.iter_mut().find(|pack| pack.id() == other.id()) {
            Some(pack) if pack.version() < other.version() => *pack = other,
            Some(_) => {}
            None => packs.push(other),
        }
    }
    packs
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pack(id: &str, version: u32, prompt: &str) -> QuizPack {
        let text = |s: &str| json!({ "zh-CN": format!("{s}（中文）"), "en": s });
        let value = json!({
            "id": id,
            "version": version,
            "title": text("title"),
            "description": text("description"),
            "questions": [{
                "id": format!("{id}-1"),
                "kind": "true_false",
                "prompt": text(prompt),
                "answer": true,
                "explanation": text("because"),
                "source": text("source"),
            }],
        });
        QuizPack::parse(&value.to_string()).expect("pack")
    }

    #[test]
    fn a_higher_version_replaces_and_a_lower_one_does_not() {
        let base = vec![pack("a", 2, "a2"), pack("b", 1, "b1")];
        let merged = newest_packs(
            base,
            vec![pack("a", 1, "a1"), pack("b", 3, "b3"), pack("c", 1, "c1")],
        );
        let seen: Vec<(&str, u32)> = merged
            .iter()
            .map(|p| (p.id().as_str(), p.version()))
            .collect();
        assert_eq!(seen, vec![("a", 2), ("b", 3), ("c", 1)]);
        assert_eq!(merged[1].questions()[0].prompt().en, "b3");
    }

    #[test]
    fn an_equal_version_keeps_the_first() {
        let merged = newest_packs(vec![pack("a", 2, "first")], vec![pack("a", 2, "second")]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].questions()[0].prompt().en, "first");
    }
}

//! Every pack in `content/quiz/`: valid, enough of them, and
//! question ids unique across packs. `--nocapture` prints the totals.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use protocol::quiz::{
    bundled, draw, packs_at, EventSettings, Level, PackChoice, QuestionKind, QuizPack,
    BUNDLED_FILES,
};

/// Every pack file, parsed. `BUNDLED_FILES` is exactly the files in
/// `content/quiz/` (a unit test in `quiz::bundled` compares it with the
/// folder), so these are the packs on disk.
fn packs_on_disk() -> Vec<(String, QuizPack)> {
    let mut packs: Vec<(String, QuizPack)> = BUNDLED_FILES
        .iter()
        .map(|(name, json)| match QuizPack::parse(json) {
            Ok(pack) => ((*name).to_owned(), pack),
            Err(err) => panic!("{name}: {err}"),
        })
        .collect();
    packs.sort_by(|a, b| a.0.cmp(&b.0));
    packs
}

#[test]
fn every_pack_parses_and_is_named_after_its_id() {
    for (name, pack) in packs_on_disk() {
        assert_eq!(name, format!("{}.json", pack.id()));
    }
}

#[test]
fn there_are_enough_packs_and_questions_of_every_kind() {
    let packs = packs_on_disk();
    assert!(packs.len() >= 6, "{} packs", packs.len());
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    let mut total = 0;
    for (name, pack) in &packs {
        let count = pack.questions().len();
        assert!(count >= 10, "{name}: only {count} questions");
        let mut own: BTreeMap<&str, usize> = BTreeMap::new();
        for question in pack.questions() {
            *own.entry(question.kind().code()).or_default() += 1;
            *kinds.entry(question.kind().code()).or_default() += 1;
        }
        println!(
            "{:<24} v{} {count:>3} questions {own:?}",
            pack.id().as_str(),
            pack.version()
        );
        total += count;
    }
    println!("{} packs, {total} questions {kinds:?}", packs.len());
    assert!(total >= 80, "{total} questions");
    for kind in QuestionKind::ALL {
        assert!(kinds.contains_key(kind.code()), "no {kind:?} question");
    }
}

#[test]
fn question_ids_are_unique_across_packs() {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (name, pack) in packs_on_disk() {
        for question in pack.questions() {
            let id = question.id().to_string();
            if let Some(first) = seen.insert(id.clone(), name.clone()) {
                panic!("question {id} is in both {first} and {name}");
            }
        }
    }
}

#[test]
fn pack_titles_are_unique() {
    let packs = packs_on_disk();
    for (i, (a, pack)) in packs.iter().enumerate() {
        for (b, other) in &packs[i + 1..] {
            assert_ne!(pack.title().zh_cn, other.title().zh_cn, "{a} and {b}");
            assert_ne!(pack.title().en, other.title().en, "{a} and {b}");
        }
    }
}

/// A class or a person at `level` meets only questions playable there, from
/// the real packs, however the quiz is chosen: "mixed" or any pack the
/// picker lists at that level ([`packs_at`]), as an event's settings draw
/// it. Drawing more questions than there are gives the whole pool, so one
/// draw per choice covers every question a player could meet.
#[test]
fn a_primary_class_never_meets_a_secondary_or_adult_question() {
    let packs = bundled();
    for level in Level::ALL {
        let listed: Vec<PackChoice> = packs_at(&packs, level)
            .map(|pack| PackChoice::One(pack.id().clone()))
            .collect();
        assert!(!listed.is_empty(), "no pack offers {level}");
        let mut met: BTreeSet<String> = BTreeSet::new();
        for choice in listed.into_iter().chain([PackChoice::Mixed]) {
            let settings = EventSettings::parse("六一班", choice, level, "20", "")
                .unwrap_or_else(|errors| panic!("{errors:?}"));
            let pool = draw(&packs, &settings.choice, settings.level, usize::MAX, 7)
                .unwrap_or_else(|err| panic!("{level} {:?}: {err}", settings.choice));
            for drawn in &pool {
                let question = drawn.question();
                assert!(
                    question.level() <= level,
                    "{level} {:?} drew {} ({})",
                    settings.choice,
                    question.id(),
                    question.level()
                );
                met.insert(question.id().to_string());
            }
        }
        // And nothing playable at that level is left out.
        let playable: BTreeSet<String> = packs
            .iter()
            .filter(|pack| pack.offers(level))
            .flat_map(|pack| pack.questions_at(level))
            .map(|question| question.id().to_string())
            .collect();
        assert_eq!(met, playable, "{level}");
        println!("{level}: {} questions playable", playable.len());
    }
    // Concretely: a primary class never meets an adult-only question.
    let primary: BTreeSet<String> = draw(&packs, &PackChoice::Mixed, Level::Primary, usize::MAX, 1)
        .expect("draw")
        .iter()
        .map(|drawn| drawn.question().id().to_string())
        .collect();
    let adult_only = packs
        .iter()
        .flat_map(|pack| pack.questions())
        .filter(|question| question.level() == Level::Adult);
    let mut adult_count = 0;
    for question in adult_only {
        adult_count += 1;
        assert!(
            !primary.contains(&question.id().to_string()),
            "{}",
            question.id()
        );
    }
    assert!(
        adult_count > 0,
        "the packs have adult-only questions to keep out"
    );
}

//! Drawing a quiz: which questions, in which order, with which option order.
//!
//! Everything follows from a seed through [`SplitMix64`], so a quiz is
//! reproducible on any machine from `(packs, choice, level, count, seed)`:
//! the app can store those five instead of the drawn questions, and a test
//! can replay a quiz exactly. The same packs in the same order with the same
//! seed always give the same quiz.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::level::Level;
use super::pack::{PackId, Question, QuestionKind, QuizPack};
use crate::LocalizedText;

/// How many questions a solo quiz has.
pub const QUIZ_LENGTH: usize = 10;

/// SplitMix64 (Steele, Lea and Flood, 2014; the reference code is Vigna's
/// `splitmix64.c`): a tiny generator of 64-bit values, good enough to shuffle
/// quiz questions, and the same on every platform. Not for secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound`, without modulo bias (Lemire's method);
    /// `bound` must not be 0.
    pub fn below(&mut self, bound: usize) -> usize {
        assert!(bound > 0, "SplitMix64::below(0)");
        let bound = bound as u64;
        // 2^64 mod bound: products whose low half falls below it are redrawn.
        let threshold = bound.wrapping_neg() % bound;
        loop {
            let product = u128::from(self.next_u64()) * u128::from(bound);
            if (product as u64) >= threshold {
                return (product >> 64) as usize;
            }
        }
    }
}

/// Shuffles `items` in place (Fisher–Yates): every order is equally likely.
pub fn shuffle<T>(items: &mut [T], rng: &mut SplitMix64) {
    for last in (1..items.len()).rev() {
        let pick = rng.below(last + 1);
        items.swap(last, pick);
    }
}

/// Which packs a quiz is drawn from; [`draw`] takes the [`Level`] beside it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "pack")]
pub enum PackChoice {
    /// The questions of one pack (it must offer the level).
    One(PackId),
    /// The questions of every pack given that offers the level, pooled;
    /// each is equally likely.
    Mixed,
}

/// Why no quiz could be drawn.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DrawError {
    #[error("no pack with id \"{0}\"")]
    UnknownPack(PackId),
    #[error("pack \"{pack}\" does not offer level {level}")]
    LevelNotOffered { pack: PackId, level: Level },
    #[error("no questions to draw from")]
    NoQuestions,
}

impl DrawError {
    /// What to tell the person, in both languages.
    pub fn message(&self) -> LocalizedText {
        match self {
            DrawError::UnknownPack(_) => LocalizedText::new(
                "找不到这套题，请换一套。",
                "This quiz pack is not available. Choose another.",
            ),
            DrawError::LevelNotOffered { level, .. } => {
                let label = level.label();
                LocalizedText::new(
                    format!("这套题不适合“{}”，请换一套。", label.zh_cn),
                    format!(
                        "This quiz pack is not offered for “{}”. Choose another.",
                        label.en
                    ),
                )
            }
            DrawError::NoQuestions => {
                LocalizedText::new("还没有可用的题目。", "There are no questions yet.")
            }
        }
    }
}

/// A question as one quiz shows it: its options in a shuffled order.
///
/// "Shown" indexes count options in the order the person sees them;
/// "original" indexes count them as [`Question::options`] (the file) does.
/// True-or-false options are never shuffled: "true" always comes first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnQuestion {
    pack: PackId,
    question: Question,
    /// `order[shown] == original`; a permutation of the option indexes.
    order: Vec<usize>,
}

impl DrawnQuestion {
    /// The pack the question comes from.
    pub fn pack(&self) -> &PackId {
        &self.pack
    }

    /// The question as the pack has it (options in file order).
    pub fn question(&self) -> &Question {
        &self.question
    }

    pub fn kind(&self) -> QuestionKind {
        self.question.kind()
    }

    pub fn prompt(&self) -> &LocalizedText {
        self.question.prompt()
    }

    /// The options in shown order.
    pub fn options(&self) -> impl ExactSizeIterator<Item = &LocalizedText> + '_ {
        self.order.iter().map(|&i| &self.question.options()[i])
    }

    /// The option shown at `shown`.
    pub fn option(&self, shown: usize) -> Option<&LocalizedText> {
        self.original_index(shown)
            .map(|original| &self.question.options()[original])
    }

    /// The number of options.
    pub fn option_count(&self) -> usize {
        self.order.len()
    }

    /// `order()[shown]` is the original index of the option shown at `shown`.
    pub fn order(&self) -> &[usize] {
        &self.order
    }

    /// The original index of the option shown at `shown`.
    pub fn original_index(&self, shown: usize) -> Option<usize> {
        self.order.get(shown).copied()
    }

    /// Where the option at original index `original` is shown.
    pub fn shown_index(&self, original: usize) -> Option<usize> {
        self.order.iter().position(|&i| i == original)
    }

    pub fn explanation(&self) -> &LocalizedText {
        self.question.explanation()
    }

    pub fn source(&self) -> &LocalizedText {
        self.question.source()
    }
}

/// Draws up to `count` questions for `choice` at `level` from `packs`: only
/// questions playable at `level` ([`Question::playable_at`]) of packs that
/// offer it ([`QuizPack::offers`]), in a random order, each one's options
/// shuffled (see [`DrawnQuestion`]). Fewer than `count` when the choice has
/// fewer questions; none when `count` is 0. The same arguments always give
/// the same quiz.
pub fn draw(
    packs: &[QuizPack],
    choice: &PackChoice,
    level: Level,
    count: usize,
    seed: u64,
) -> Result<Vec<DrawnQuestion>, DrawError> {
    let chosen: Vec<&QuizPack> = match choice {
        PackChoice::One(id) => {
            let pack = packs
                .iter()
                .find(|pack| pack.id() == id)
                .ok_or_else(|| DrawError::UnknownPack(id.clone()))?;
            if !pack.offers(level) {
                return Err(DrawError::LevelNotOffered {
                    pack: id.clone(),
                    level,
                });
            }
            vec![pack]
        }
        PackChoice::Mixed => packs.iter().filter(|pack| pack.offers(level)).collect(),
    };
    let mut pool: Vec<(&PackId, &Question)> = chosen
        .iter()
        .flat_map(|pack| pack.questions_at(level).map(|q| (pack.id(), q)))
        .collect();
    if pool.is_empty() {
        return Err(DrawError::NoQuestions);
    }
    let mut rng = SplitMix64::new(seed);
    shuffle(&mut pool, &mut rng);
    pool.truncate(count);
    Ok(pool
        .into_iter()
        .map(|(pack, question)| {
            let mut order: Vec<usize> = (0..question.options().len()).collect();
            if question.kind() != QuestionKind::TrueFalse {
                shuffle(&mut order, &mut rng);
            }
            DrawnQuestion {
                pack: pack.clone(),
                question: question.clone(),
                order,
            }
        })
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// A pack `id` offering adult only, with `singles` single-choice
    /// questions of four options (the first right) and one true-or-false
    /// question (true), all of level primary; at least 4 singles.
    pub(crate) fn pack(id: &str, singles: usize) -> QuizPack {
        leveled(id, &["adult"], &vec!["primary"; singles], "primary")
    }

    /// A pack `id` offering `levels`, with one single-choice question of
    /// each level of `singles` and a true-or-false one of level `statement`.
    pub(crate) fn leveled(
        id: &str,
        levels: &[&str],
        singles: &[&str],
        statement: &str,
    ) -> QuizPack {
        let text = |s: String| json!({ "zh-CN": format!("{s}（中文）"), "en": s });
        let mut questions: Vec<_> = singles
            .iter()
            .enumerate()
            .map(|(i, level)| {
                json!({
                    "id": format!("{id}-{i}"),
                    "kind": "single",
                    "level": level,
                    "prompt": text(format!("{id} question {i}")),
                    "options": (0..4).map(|o| text(format!("option {o}"))).collect::<Vec<_>>(),
                    "answer": [0],
                    "explanation": text("because".into()),
                    "source": text("source".into()),
                })
            })
            .collect();
        questions.push(json!({
            "id": format!("{id}-tf"),
            "kind": "true_false",
            "level": statement,
            "prompt": text(format!("{id} statement")),
            "answer": true,
            "explanation": text("because".into()),
            "source": text("source".into()),
        }));
        let value = json!({
            "id": id,
            "version": 1,
            "title": text(id.into()),
            "description": text(id.into()),
            "levels": levels,
            "questions": questions,
        });
        QuizPack::parse(&value.to_string()).expect("test pack")
    }

    fn ids(drawn: &[DrawnQuestion]) -> Vec<String> {
        drawn
            .iter()
            .map(|d| d.question().id().to_string())
            .collect()
    }

    fn pack_id(id: &str) -> PackId {
        PackId::parse(id).expect("pack id")
    }

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // The first outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn below_stays_in_range_and_reaches_every_value() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [0usize; 6];
        for _ in 0..6_000 {
            seen[rng.below(6)] += 1;
        }
        // Each face about 1 000 times; far from 0 or 2 000 for a fair die.
        assert!(seen.iter().all(|&n| (800..1_200).contains(&n)), "{seen:?}");
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn the_same_seed_draws_the_same_quiz() {
        let packs = [pack("a", 20), pack("b", 20)];
        for choice in [PackChoice::Mixed, PackChoice::One(pack_id("b"))] {
            let first = draw(&packs, &choice, Level::Adult, QUIZ_LENGTH, 42).expect("draw");
            let again = draw(&packs, &choice, Level::Adult, QUIZ_LENGTH, 42).expect("draw");
            assert_eq!(first, again);
            assert_eq!(first.len(), QUIZ_LENGTH);
        }
    }

    #[test]
    fn different_seeds_draw_different_quizzes() {
        let packs = [pack("a", 20), pack("b", 20)];
        let quizzes: Vec<Vec<String>> = (0..20)
            .map(|seed| {
                ids(
                    &draw(&packs, &PackChoice::Mixed, Level::Adult, QUIZ_LENGTH, seed)
                        .expect("draw"),
                )
            })
            .collect();
        for (i, quiz) in quizzes.iter().enumerate() {
            for other in &quizzes[i + 1..] {
                assert_ne!(quiz, other);
            }
        }
        // Option orders differ too.
        let orders: Vec<Vec<usize>> = (0..20)
            .map(|seed| {
                draw(
                    &packs,
                    &PackChoice::One(pack_id("a")),
                    Level::Adult,
                    1,
                    seed,
                )
                .expect("draw")[0]
                    .order()
                    .to_vec()
            })
            .collect();
        assert!(orders.iter().any(|o| o != &orders[0]), "{orders:?}");
    }

    #[test]
    fn one_pack_draws_only_from_that_pack_and_mixed_from_all() {
        let packs = [pack("a", 20), pack("b", 20)];
        let drawn =
            draw(&packs, &PackChoice::One(pack_id("b")), Level::Adult, 100, 3).expect("draw");
        assert_eq!(drawn.len(), 21, "every question once");
        assert!(drawn.iter().all(|d| d.pack().as_str() == "b"));
        let mut all = ids(&drawn);
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 21);

        let mixed = draw(&packs, &PackChoice::Mixed, Level::Adult, 42, 3).expect("draw");
        assert_eq!(mixed.len(), 42);
        assert!(mixed.iter().any(|d| d.pack().as_str() == "a"));
        assert!(mixed.iter().any(|d| d.pack().as_str() == "b"));
    }

    #[test]
    fn drawing_zero_or_from_nothing() {
        let packs = [pack("a", 4)];
        assert_eq!(
            draw(&packs, &PackChoice::Mixed, Level::Adult, 0, 1),
            Ok(vec![])
        );
        assert_eq!(
            draw(
                &packs,
                &PackChoice::One(pack_id("zzz")),
                Level::Adult,
                10,
                1
            ),
            Err(DrawError::UnknownPack(pack_id("zzz")))
        );
        assert_eq!(
            draw(&[], &PackChoice::Mixed, Level::Adult, 10, 1),
            Err(DrawError::NoQuestions)
        );
        assert!(!DrawError::NoQuestions.message().zh_cn.is_empty());
    }

    #[test]
    fn true_false_options_keep_their_order() {
        let packs = [pack("a", 4)];
        for seed in 0..20 {
            let drawn = draw(&packs, &PackChoice::Mixed, Level::Adult, 5, seed).expect("draw");
            let truth = drawn
                .iter()
                .find(|d| d.kind() == QuestionKind::TrueFalse)
                .expect("the statement");
            assert_eq!(truth.order(), [0, 1]);
            assert_eq!(truth.option(0).expect("true").en, "True");
        }
    }

    #[test]
    fn a_level_draws_only_its_questions_from_packs_that_offer_it() {
        // "kids": offered to every level; two questions too old for
        // primary. "grown": adults only, though two of its questions are
        // primary.
        let kids = leveled(
            "kids",
            &["primary", "secondary", "adult"],
            &[
                "primary",
                "primary",
                "primary",
                "primary",
                "secondary",
                "adult",
            ],
            "primary",
        );
        let grown = leveled(
            "grown",
            &["adult"],
            &["primary", "primary", "adult", "adult"],
            "secondary",
        );
        let packs = [kids, grown];
        let levels_drawn = |choice: &PackChoice, level: Level| {
            let drawn = draw(&packs, choice, level, 100, 9).expect("draw");
            drawn
                .iter()
                .map(|d| (d.pack().to_string(), d.question().level()))
                .collect::<Vec<_>>()
        };

        let primary = levels_drawn(&PackChoice::Mixed, Level::Primary);
        assert_eq!(primary.len(), 5, "{primary:?}");
        assert!(primary
            .iter()
            .all(|(pack, level)| pack == "kids" && *level == Level::Primary));

        let secondary = levels_drawn(&PackChoice::Mixed, Level::Secondary);
        assert_eq!(secondary.len(), 6, "{secondary:?}");
        assert!(secondary
            .iter()
            .all(|(pack, level)| pack == "kids" && *level <= Level::Secondary));

        let adult = levels_drawn(&PackChoice::Mixed, Level::Adult);
        assert_eq!(adult.len(), 7 + 5, "every question of both packs");

        let one = levels_drawn(&PackChoice::One(pack_id("kids")), Level::Secondary);
        assert_eq!(one.len(), 6);
        assert_eq!(
            draw(
                &packs,
                &PackChoice::One(pack_id("grown")),
                Level::Primary,
                10,
                1
            ),
            Err(DrawError::LevelNotOffered {
                pack: pack_id("grown"),
                level: Level::Primary
            })
        );
        let message = DrawError::LevelNotOffered {
            pack: pack_id("grown"),
            level: Level::Primary,
        }
        .message();
        assert!(message.zh_cn.contains("小学生"), "{message:?}");
        assert!(message.en.contains("Primary school"), "{message:?}");
        // No pack offers primary: nothing to draw.
        assert_eq!(
            draw(&packs[1..], &PackChoice::Mixed, Level::Primary, 10, 1),
            Err(DrawError::NoQuestions)
        );
    }

    #[test]
    fn pack_choice_serialises_with_a_kind_tag() {
        let one = PackChoice::One(pack_id("noise"));
        let json = serde_json::to_value(&one).expect("serialise");
        assert_eq!(json, json!({ "kind": "one", "pack": "noise" }));
        assert_eq!(
            serde_json::to_value(PackChoice::Mixed).expect("serialise"),
            json!({ "kind": "mixed" })
        );
        let back: PackChoice = serde_json::from_value(json).expect("parse");
        assert_eq!(back, one);
    }

    proptest! {
        #[test]
        fn shuffle_is_a_permutation(len in 0usize..60, seed: u64) {
            let mut items: Vec<usize> = (0..len).collect();
            shuffle(&mut items, &mut SplitMix64::new(seed));
            let mut sorted = items.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, (0..len).collect::<Vec<_>>());
        }

        #[test]
        fn drawn_options_map_back_to_the_originals(seed: u64, count in 0usize..30) {
            let packs = [pack("a", 8), pack("b", 8)];
            let drawn = draw(&packs, &PackChoice::Mixed, Level::Adult, count, seed).expect("draw");
            prop_assert_eq!(drawn.len(), count.min(18));
            let mut seen = std::collections::HashSet::new();
            for d in &drawn {
                prop_assert!(seen.insert(d.question().id().clone()), "drawn twice");
                let mut order = d.order().to_vec();
                order.sort_unstable();
                prop_assert_eq!(order, (0..d.option_count()).collect::<Vec<_>>());
                for (shown, option) in d.options().enumerate() {
                    let original = d.original_index(shown).expect("in range");
                    prop_assert_eq!(option, &d.question().options()[original]);
                    prop_assert_eq!(d.shown_index(original), Some(shown));
                }
                prop_assert_eq!(d.option(d.option_count()), None);
            }
        }
    }
}

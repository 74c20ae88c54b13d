//! Checking answers and scoring a quiz.
//!
//! An [`Answer`] is the set of options the person picked, as shown indexes
//! (the shuffled order of [`DrawnQuestion::options`]). An answer is right only
//! when it is exactly the set of right options: for a multiple-choice question
//! a missing right option or an extra wrong one makes it wrong, and there is
//! no partial credit. An index that names no option is simply wrong.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::pack::{PackId, QuestionId};
use super::shuffle::DrawnQuestion;

/// The options the person picked, as shown indexes. Order and repeats do not
/// matter. Serialised as an ascending list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answer(BTreeSet<usize>);

impl Answer {
    pub fn new(shown: impl IntoIterator<Item = usize>) -> Self {
        Answer(shown.into_iter().collect())
    }

    /// One option, for single-choice questions.
    pub fn one(shown: usize) -> Self {
        Answer::new([shown])
    }

    /// For true-or-false questions: "true" is shown first, "false" second.
    pub fn truth(value: bool) -> Self {
        Answer::one(if value { 0 } else { 1 })
    }

    /// Picks `shown` if it was not picked, else unpicks it (a checkbox).
    pub fn toggle(&mut self, shown: usize) {
        if !self.0.remove(&shown) {
            self.0.insert(shown);
        }
    }

    pub fn contains(&self, shown: usize) -> bool {
        self.0.contains(&shown)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The picked shown indexes, ascending.
    pub fn indexes(&self) -> impl DoubleEndedIterator<Item = usize> + ExactSizeIterator + '_ {
        self.0.iter().copied()
    }
}

impl DrawnQuestion {
    /// The right answer, as shown indexes.
    pub fn correct_answer(&self) -> Answer {
        Answer::new(
            self.question()
                .correct()
                .iter()
                .filter_map(|&original| self.shown_index(original)),
        )
    }

    /// Whether `answer` is exactly the right set of options.
    pub fn is_correct(&self, answer: &Answer) -> bool {
        *answer == self.correct_answer()
    }
}

/// How one question of a quiz went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The question's place in the quiz, from 0.
    pub position: usize,
    pub pack: PackId,
    pub question: QuestionId,
    /// `None` when the question was not answered (it counts as missed).
    pub given: Option<Answer>,
    /// The right answer, as shown indexes.
    pub expected: Answer,
    pub correct: bool,
}

/// The end of a quiz: how many were right, and which were missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizResult {
    outcomes: Vec<Outcome>,
}

impl QuizResult {
    /// Scores `answers[i]` against `questions[i]`. A question without an
    /// answer (`None`, or `answers` shorter than `questions`) is missed;
    /// answers beyond the last question are ignored.
    pub fn score(questions: &[DrawnQuestion], answers: &[Option<Answer>]) -> QuizResult {
        let outcomes = questions
            .iter()
            .enumerate()
            .map(|(position, question)| {
                let given = answers.get(position).cloned().flatten();
                let expected = question.correct_answer();
                Outcome {
                    position,
                    pack: question.pack().clone(),
                    question: question.question().id().clone(),
                    correct: given.as_ref() == Some(&expected),
                    given,
                    expected,
                }
            })
            .collect();
        QuizResult { outcomes }
    }

    /// The number of questions in the quiz.
    pub fn total(&self) -> usize {
        self.outcomes.len()
    }

    /// The number answered right.
    pub fn correct(&self) -> usize {
        self.outcomes.iter().filter(|o| o.correct).count()
    }

    /// The share answered right, 0 to 100, rounded down; 0 for an empty quiz.
    pub fn percent(&self) -> usize {
        (self.correct() * 100)
            .checked_div(self.total())
            .unwrap_or(0)
    }

    /// Every question, in quiz order.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// The questions answered wrong or not at all, in quiz order.
    pub fn missed(&self) -> impl Iterator<Item = &Outcome> + '_ {
        self.outcomes.iter().filter(|o| !o.correct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::level::Level;
    use crate::quiz::pack::{QuestionKind, QuizPack};
    use crate::quiz::shuffle::{draw, PackChoice};
    use serde_json::json;

    /// A pack of five questions: three single-choice (right: original 1,
    /// "B"), one multiple (right: original 0 and 2 of 4), one true-or-false
    /// (false).
    fn pack() -> QuizPack {
        let t = |s: &str| json!({ "zh-CN": format!("{s}（中文）"), "en": s });
        let single = |id: &str| {
            json!({ "id": id, "kind": "single", "level": "primary", "prompt": t("Which?"),
                    "options": [t("A"), t("B"), t("C")], "answer": [1],
                    "explanation": t("B."), "source": t("S") })
        };
        let value = json!({
            "id": "score",
            "version": 3,
            "title": t("Score"),
            "description": t("Scoring"),
            "levels": ["adult"],
            "questions": [
                single("s-single"),
                { "id": "s-multiple", "kind": "multiple", "level": "adult", "prompt": t("Which ones?"),
                  "options": [t("A"), t("B"), t("C"), t("D")], "answer": [0, 2],
                  "explanation": t("A and C."), "source": t("S") },
                { "id": "s-tf", "kind": "true_false", "level": "secondary", "prompt": t("Statement."),
                  "answer": false, "explanation": t("False."), "source": t("S") },
                single("s-single-2"),
                single("s-single-3")
            ]
        });
        QuizPack::parse(&value.to_string()).expect("pack")
    }

    fn drawn(seed: u64) -> Vec<DrawnQuestion> {
        draw(&[pack()], &PackChoice::Mixed, Level::Adult, 10, seed).expect("draw")
    }

    fn of_kind(questions: &[DrawnQuestion], kind: QuestionKind) -> &DrawnQuestion {
        questions
            .iter()
            .find(|q| q.kind() == kind)
            .expect("kind present")
    }

    /// The shown indexes of the options with these English texts.
    fn shown(question: &DrawnQuestion, texts: &[&str]) -> Answer {
        Answer::new(
            question
                .options()
                .enumerate()
                .filter(|(_, option)| texts.contains(&option.en.as_str()))
                .map(|(i, _)| i),
        )
    }

    #[test]
    fn the_right_answer_is_found_through_the_shuffle() {
        for seed in 0..30 {
            let questions = drawn(seed);
            let single = of_kind(&questions, QuestionKind::Single);
            assert_eq!(single.correct_answer(), shown(single, &["B"]));
            assert!(single.is_correct(&shown(single, &["B"])));
            assert!(!single.is_correct(&shown(single, &["A"])));

            let multiple = of_kind(&questions, QuestionKind::Multiple);
            assert!(multiple.is_correct(&shown(multiple, &["A", "C"])));

            let truth = of_kind(&questions, QuestionKind::TrueFalse);
            assert!(truth.is_correct(&Answer::truth(false)));
            assert!(!truth.is_correct(&Answer::truth(true)));
        }
    }

    #[test]
    fn multiple_choice_needs_exactly_the_right_set() {
        let questions = drawn(5);
        let multiple = of_kind(&questions, QuestionKind::Multiple);
        for wrong in [
            &["A"][..],
            &["C"],
            &["A", "B", "C"],
            &["A", "C", "D"],
            &["A", "B", "C", "D"],
            &[],
        ] {
            assert!(!multiple.is_correct(&shown(multiple, wrong)), "{wrong:?}");
        }
        // Order and repeats do not matter.
        let right = shown(multiple, &["A", "C"]);
        let reversed = Answer::new(right.indexes().rev().chain(right.indexes()));
        assert!(multiple.is_correct(&reversed));
    }

    #[test]
    fn an_index_beyond_the_options_is_wrong() {
        let questions = drawn(9);
        let single = of_kind(&questions, QuestionKind::Single);
        assert!(!single.is_correct(&Answer::one(3)));
        assert!(!single.is_correct(&Answer::one(usize::MAX)));
    }

    #[test]
    fn toggling_picks_and_unpicks() {
        let mut answer = Answer::default();
        answer.toggle(2);
        answer.toggle(0);
        assert_eq!(answer, Answer::new([0, 2]));
        answer.toggle(2);
        assert_eq!(answer, Answer::one(0));
        assert!(answer.contains(0) && !answer.contains(2));
        assert_eq!(serde_json::to_value(&answer).expect("json"), json!([0]));
    }

    #[test]
    fn a_quiz_is_scored_with_the_questions_missed() {
        let questions = drawn(11);
        let answers: Vec<Option<Answer>> = questions
            .iter()
            .map(|q| match q.kind() {
                QuestionKind::Single => Some(q.correct_answer()),
                QuestionKind::Multiple => Some(shown(q, &["A"])),
                QuestionKind::TrueFalse => None,
            })
            .collect();
        let result = QuizResult::score(&questions, &answers);
        assert_eq!(result.total(), 5);
        assert_eq!(result.correct(), 3);
        assert_eq!(result.percent(), 60);
        let missed: Vec<&str> = result.missed().map(|o| o.question.as_str()).collect();
        let expected_order: Vec<&str> = questions
            .iter()
            .filter(|q| q.kind() != QuestionKind::Single)
            .map(|q| q.question().id().as_str())
            .collect();
        assert_eq!(missed, expected_order);
        for outcome in result.missed() {
            let question = &questions[outcome.position];
            assert_eq!(outcome.question, *question.question().id());
            assert_eq!(outcome.expected, question.correct_answer());
            assert_eq!(outcome.pack.as_str(), "score");
        }
        let unanswered = result
            .missed()
            .find(|o| o.given.is_none())
            .expect("the true-or-false question was not answered");
        assert_eq!(unanswered.expected, Answer::truth(false));
    }

    #[test]
    fn missing_answers_count_as_missed_and_extra_ones_are_ignored() {
        let questions = drawn(2);
        let none = QuizResult::score(&questions, &[]);
        assert_eq!((none.correct(), none.total()), (0, 5));
        assert_eq!(none.missed().count(), 5);

        let mut all: Vec<Option<Answer>> =
            questions.iter().map(|q| Some(q.correct_answer())).collect();
        all.push(Some(Answer::one(0)));
        let perfect = QuizResult::score(&questions, &all);
        assert_eq!((perfect.correct(), perfect.total()), (5, 5));
        assert_eq!(perfect.percent(), 100);
        assert_eq!(perfect.missed().count(), 0);

        assert_eq!(QuizResult::score(&[], &[]).percent(), 0);
    }
}

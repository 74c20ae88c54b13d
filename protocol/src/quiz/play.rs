//! One quiz being played, question by question: the state the Learn screens
//! show, for a person alone and for each participant of an event.
//!
//! A [`Play`] walks through its drawn questions. For each one the person
//! picks options and confirms; the answer is then fixed and the feedback
//! (right or wrong, the right options, the explanation) is shown until they
//! go on. With a time limit, running out of time fixes an empty answer,
//! which counts as missed. After the last question the play is over and
//! [`Play::result`] scores it.
//!
//! Invariants: an answer, once confirmed, never changes; questions are
//! answered strictly in order; the result covers every drawn question.

use super::score::{Answer, QuizResult};
use super::shuffle::DrawnQuestion;

/// Where a play stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The question at this position waits for an answer.
    Asking(usize),
    /// The question at this position was answered (or timed out): its
    /// feedback is shown.
    Feedback(usize),
    /// Every question was answered.
    Over,
}

/// Why an action on a play was refused (the screens never offer it; these
/// guard against a double click or a stale timer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlayError {
    #[error("no question is waiting for an answer")]
    NotAsking,
    #[error("no option was picked")]
    EmptyAnswer,
    #[error("the answer names an option the question does not have")]
    NoSuchOption,
    #[error("no feedback is being shown")]
    NotInFeedback,
}

/// A quiz in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    questions: Vec<DrawnQuestion>,
    answers: Vec<Option<Answer>>,
    stage: Stage,
}

impl Play {
    /// A play of `questions`, in their order; over at once when empty.
    pub fn new(questions: Vec<DrawnQuestion>) -> Play {
        let stage = if questions.is_empty() {
            Stage::Over
        } else {
            Stage::Asking(0)
        };
        Play {
            questions,
            answers: Vec::new(),
            stage,
        }
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn questions(&self) -> &[DrawnQuestion] {
        &self.questions
    }

    /// The question being asked or whose feedback is shown.
    pub fn current(&self) -> Option<&DrawnQuestion> {
        match self.stage {
            Stage::Asking(i) | Stage::Feedback(i) => self.questions.get(i),
            Stage::Over => None,
        }
    }

    /// The answer given to the question at `position` (`None` before it was
    /// answered, and for a question that timed out).
    pub fn answer_at(&self, position: usize) -> Option<&Answer> {
        self.answers.get(position).and_then(Option::as_ref)
    }

    /// Confirms `answer` for the question being asked. Says whether it was
    /// right.
    pub fn answer(&mut self, answer: Answer) -> Result<bool, PlayError> {
        let Stage::Asking(position) = self.stage else {
            return Err(PlayError::NotAsking);
        };
        if answer.is_empty() {
            return Err(PlayError::EmptyAnswer);
        }
        let question = &self.questions[position];
        if answer.indexes().any(|i| i >= question.option_count()) {
            return Err(PlayError::NoSuchOption);
        }
        let right = question.is_correct(&answer);
        self.answers.push(Some(answer));
        self.stage = Stage::Feedback(position);
        Ok(right)
    }

    /// The time for the question being asked ran out: it is missed.
    pub fn time_up(&mut self) -> Result<(), PlayError> {
        let Stage::Asking(position) = self.stage else {
            return Err(PlayError::NotAsking);
        };
        self.answers.push(None);
        self.stage = Stage::Feedback(position);
        Ok(())
    }

    /// Leaves the feedback for the next question, or ends the play.
    pub fn go_on(&mut self) -> Result<Stage, PlayError> {
        let Stage::Feedback(position) = self.stage else {
            return Err(PlayError::NotInFeedback);
        };
        self.stage = if position + 1 < self.questions.len() {
            Stage::Asking(position + 1)
        } else {
            Stage::Over
        };
        Ok(self.stage)
    }

    /// How many questions were answered right so far.
    pub fn correct_so_far(&self) -> usize {
        self.answers
            .iter()
            .zip(&self.questions)
            .filter(|(answer, question)| {
                answer
                    .as_ref()
                    .is_some_and(|answer| question.is_correct(answer))
            })
            .count()
    }

    /// The score: every question, unanswered ones missed.
    pub fn result(&self) -> QuizResult {
        QuizResult::score(&self.questions, &self.answers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::shuffle::tests::pack;
    use crate::quiz::{draw, Level, PackChoice};

    fn play(count: usize) -> Play {
        let packs = vec![pack("p", 12)];
        Play::new(draw(&packs, &PackChoice::Mixed, Level::Adult, count, 7).expect("draw"))
    }

    fn right(play: &Play) -> Answer {
        play.current().expect("a question").correct_answer()
    }

    fn wrong(play: &Play) -> Answer {
        let question = play.current().expect("a question");
        let expected = question.correct_answer();
        let other = (0..question.option_count())
            .find(|i| !expected.contains(*i))
            .expect("a wrong option");
        Answer::one(other)
    }

    #[test]
    fn a_play_walks_through_every_question_in_order() {
        let mut play = play(3);
        assert_eq!(play.stage(), Stage::Asking(0));
        assert_eq!(play.answer(right(&play)), Ok(true));
        assert_eq!(play.stage(), Stage::Feedback(0));
        assert_eq!(play.go_on(), Ok(Stage::Asking(1)));
        assert_eq!(play.answer(wrong(&play)), Ok(false));
        assert_eq!(play.go_on(), Ok(Stage::Asking(2)));
        play.time_up().expect("time up");
        assert_eq!(play.stage(), Stage::Feedback(2));
        assert_eq!(play.go_on(), Ok(Stage::Over));
        assert_eq!(play.current(), None);

        let result = play.result();
        assert_eq!(result.total(), 3);
        assert_eq!(result.correct(), 1);
        let missed: Vec<usize> = result.missed().map(|o| o.position).collect();
        assert_eq!(missed, vec![1, 2]);
        assert_eq!(result.outcomes()[2].given, None);
    }

    #[test]
    fn an_answer_is_fixed_once_given() {
        let mut play = play(2);
        let answer = right(&play);
        play.answer(answer.clone()).expect("answer");
        assert_eq!(play.answer(wrong(&play)), Err(PlayError::NotAsking));
        assert_eq!(play.time_up(), Err(PlayError::NotAsking));
        assert_eq!(play.answer_at(0), Some(&answer));
        assert_eq!(play.correct_so_far(), 1);
    }

    #[test]
    fn empty_and_impossible_answers_are_refused() {
        let mut play = play(1);
        assert_eq!(play.answer(Answer::default()), Err(PlayError::EmptyAnswer));
        assert_eq!(play.answer(Answer::one(99)), Err(PlayError::NoSuchOption));
        assert_eq!(play.stage(), Stage::Asking(0));
        assert_eq!(play.go_on(), Err(PlayError::NotInFeedback));
    }

    #[test]
    fn a_play_without_questions_is_over() {
        let play = Play::new(Vec::new());
        assert_eq!(play.stage(), Stage::Over);
        assert_eq!(play.result().total(), 0);
    }
}

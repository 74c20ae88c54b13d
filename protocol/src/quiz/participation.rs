//! How quizzes went, for the bureau's staff: the answer of
//! `GET /api/v1/staff/quiz/participation` and the pure function that
//! computes it from stored results.
//!
//! A participant is one uploaded result: results carry no name or device id
//! (see [`QuizResultUpload`](super::QuizResultUpload)), so the same person
//! playing twice counts twice.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::pack::QuestionId;
use super::wire::{EventId, EventName, ValidQuizResult};
use crate::report::UnixMillis;

/// How many of an event's most-missed questions are listed.
pub const MOST_MISSED_SHOWN: usize = 5;

/// Every event's figures, and the solo results counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizParticipation {
    /// Most recent first (by `last_at`, then by id).
    pub events: Vec<EventParticipation>,
    /// Results played alone.
    pub solo_results: u32,
    /// Every result: the events' participants and the solo results.
    pub total_participants: u32,
}

/// One event's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventParticipation {
    pub event_id: EventId,
    /// The name sent with the latest result (by `finished_at`; the greater
    /// name on a tie), since devices could disagree.
    pub name: EventName,
    /// Results uploaded for the event.
    pub participants: u32,
    /// The mean of each result's share answered right, 0 to 100, rounded to
    /// the nearest (halves up).
    pub average_percent: u8,
    /// The earliest and the latest `finished_at`.
    pub first_at: UnixMillis,
    pub last_at: UnixMillis,
    /// Up to [`MOST_MISSED_SHOWN`] questions with how many results missed
    /// them: most missed first, then by id. JSON: `[["wq-03", 4], ...]`.
    pub most_missed: Vec<(QuestionId, u32)>,
}

/// One event's running totals.
struct EventTally<'a> {
    name: &'a EventName,
    named_at: UnixMillis,
    participants: u32,
    /// Σ of each result's `correct * 100 / total`.
    percent_sum: f64,
    first_at: UnixMillis,
    last_at: UnixMillis,
    missed: HashMap<&'a QuestionId, u32>,
}

impl QuizParticipation {
    /// The figures of `results`, in any order.
    pub fn aggregate<'a>(
        results: impl IntoIterator<Item = &'a ValidQuizResult>,
    ) -> QuizParticipation {
        let mut events: BTreeMap<EventId, EventTally<'a>> = BTreeMap::new();
        let mut solo_results = 0u32;
        let mut total_participants = 0u32;
        for result in results {
            total_participants = total_participants.saturating_add(1);
            let Some(event) = result.event() else {
                solo_results = solo_results.saturating_add(1);
                continue;
            };
            let at = result.finished_at();
            let tally = events.entry(event.id).or_insert_with(|| EventTally {
                name: &event.name,
                named_at: at,
                participants: 0,
                percent_sum: 0.0,
                first_at: at,
                last_at: at,
                missed: HashMap::new(),
            });
            if (at, &event.name) > (tally.named_at, tally.name) {
                tally.name = &event.name;
                tally.named_at = at;
            }
            tally.participants = tally.participants.saturating_add(1);
            tally.percent_sum += f64::from(result.correct()) * 100.0 / f64::from(result.total());
            tally.first_at = tally.first_at.min(at);
            tally.last_at = tally.last_at.max(at);
            for id in result.missed() {
                *tally.missed.entry(id).or_insert(0) += 1;
            }
        }
        let mut events: Vec<EventParticipation> = events
            .into_iter()
            .map(|(event_id, tally)| {
                let mut most_missed: Vec<(QuestionId, u32)> = tally
                    .missed
                    .into_iter()
                    .map(|(id, count)| (id.clone(), count))
                    .collect();
                most_missed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                most_missed.truncate(MOST_MISSED_SHOWN);
                EventParticipation {
                    event_id,
                    name: tally.name.clone(),
                    participants: tally.participants,
                    average_percent: average(tally.percent_sum, tally.participants),
                    first_at: tally.first_at,
                    last_at: tally.last_at,
                    most_missed,
                }
            })
            .collect();
        events.sort_by(|a, b| {
            b.last_at
                .cmp(&a.last_at)
                .then_with(|| a.event_id.cmp(&b.event_id))
        });
        QuizParticipation {
            events,
            solo_results,
            total_participants,
        }
    }
}

/// `sum / count` rounded to the nearest whole percent, halves up. A tiny
/// allowance absorbs the float error of sums like 1/3 + 1/6 that are exact
/// halves on paper.
fn average(sum: f64, count: u32) -> u8 {
    if count == 0 {
        return 0;
    }
    let mean = sum / f64::from(count);
    // `round` takes halves away from zero: up, for these non-negative means.
    (mean + 1e-9).round().clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quiz::wire::{QuizEventUpload, QuizMode, QuizResultUpload};

    const NOW: UnixMillis = UnixMillis(1_767_225_600_000); // 2026-01-01T00:00:00Z
    const EVENT_A: &str = "0b8f8d7e-2c5a-4d3e-9a51-1f0e6c2b7a11";
    const EVENT_B: &str = "5d2c1b0a-9e8f-4a7b-8c6d-2e1f0a9b8c7d";

    fn result(
        event: Option<(&str, &str)>,
        correct: u8,
        total: u8,
        missed: &[&str],
        minutes_ago: i64,
    ) -> ValidQuizResult {
        QuizResultUpload {
            event: event.map(|(id, name)| QuizEventUpload {
                id: id.into(),
                name: name.into(),
            }),
            pack: "mixed".into(),
            correct,
            total,
            missed: missed.iter().map(|id| (*id).to_owned()).collect(),
            finished_at: UnixMillis(NOW.0 - minutes_ago * 60_000),
            mode: if event.is_some() {
                QuizMode::Event
            } else {
                QuizMode::Solo
            },
        }
        .validate(NOW)
        .expect("valid result")
    }

    fn qid(id: &str) -> QuestionId {
        QuestionId::parse(id).expect("question id")
    }

    #[test]
    fn nothing_gives_zeros() {
        let none: [ValidQuizResult; 0] = [];
        assert_eq!(
            QuizParticipation::aggregate(&none),
            QuizParticipation {
                events: Vec::new(),
                solo_results: 0,
                total_participants: 0
            }
        );
    }

    #[test]
    fn two_events_and_solo_results_are_counted_apart() {
        let a = Some((EVENT_A, "世界环境日·西湖社区"));
        let b = Some((EVENT_B, "Class 3-2"));
        let results = [
            result(a, 10, 10, &[], 90),
            result(a, 5, 10, &["wq-01", "wq-02", "wq-03", "aq-01", "aq-02"], 80),
            result(a, 8, 10, &["wq-01", "wq-02"], 70),
            result(b, 3, 4, &["no-01"], 20),
            result(None, 2, 10, &["wq-01"], 10),
            result(None, 9, 10, &["wq-05"], 5),
        ];
        let summary = QuizParticipation::aggregate(&results);
        assert_eq!(summary.total_participants, 6);
        assert_eq!(summary.solo_results, 2);
        assert_eq!(summary.events.len(), 2);

        // B finished last, so it comes first.
        let b = &summary.events[0];
        assert_eq!(b.event_id.to_string(), EVENT_B);
        assert_eq!(b.name.as_str(), "Class 3-2");
        assert_eq!(b.participants, 1);
        assert_eq!(b.average_percent, 75);
        assert_eq!(b.first_at, b.last_at);
        assert_eq!(b.most_missed, vec![(qid("no-01"), 1)]);

        let a = &summary.events[1];
        assert_eq!(a.event_id.to_string(), EVENT_A);
        assert_eq!(a.participants, 3);
        // (100 + 50 + 80) / 3 = 76.67: solo results do not count.
        assert_eq!(a.average_percent, 77);
        assert_eq!(a.first_at, UnixMillis(NOW.0 - 90 * 60_000));
        assert_eq!(a.last_at, UnixMillis(NOW.0 - 70 * 60_000));
        assert_eq!(
            a.most_missed,
            vec![
                (qid("wq-01"), 2),
                (qid("wq-02"), 2),
                (qid("aq-01"), 1),
                (qid("aq-02"), 1),
                (qid("wq-03"), 1),
            ]
        );
    }

    #[test]
    fn only_the_five_most_missed_are_listed() {
        let a = Some((EVENT_A, "A"));
        let results = [
            result(
                a,
                0,
                7,
                &["q-7", "q-6", "q-5", "q-4", "q-3", "q-2", "q-1"],
                3,
            ),
            result(a, 4, 7, &["q-7", "q-6", "q-1"], 2),
            result(a, 6, 7, &["q-7"], 1),
        ];
        let summary = QuizParticipation::aggregate(&results);
        assert_eq!(
            summary.events[0].most_missed,
            vec![
                (qid("q-7"), 3),
                (qid("q-1"), 2),
                (qid("q-6"), 2),
                (qid("q-2"), 1),
                (qid("q-3"), 1),
            ]
        );
    }

    #[test]
    fn the_latest_name_wins_and_order_does_not_matter() {
        let results = [
            result(Some((EVENT_A, "Old name")), 1, 2, &["q-1"], 30),
            result(Some((EVENT_A, "New name")), 2, 2, &[], 10),
            result(Some((EVENT_A, "Middle name")), 0, 2, &["q-1", "q-2"], 20),
        ];
        let forward = QuizParticipation::aggregate(&results);
        let backward = QuizParticipation::aggregate(results.iter().rev());
        assert_eq!(forward, backward);
        let event = &forward.events[0];
        assert_eq!(event.name.as_str(), "New name");
        // (50 + 100 + 0) / 3 = 50.
        assert_eq!(event.average_percent, 50);
    }

    #[test]
    fn averages_round_halves_up() {
        let a = Some((EVENT_A, "A"));
        // 1/2 and 1/4: (50 + 25) / 2 = 37.5 → 38.
        let results = [
            result(a, 1, 2, &["q-1"], 2),
            result(a, 1, 4, &["q-1", "q-2", "q-3"], 1),
        ];
        assert_eq!(
            QuizParticipation::aggregate(&results).events[0].average_percent,
            38
        );
        // 1/3 and 2/3 sum to exactly 100 on paper: 50.
        let results = [
            result(a, 1, 3, &["q-1", "q-2"], 2),
            result(a, 2, 3, &["q-1"], 1),
        ];
        assert_eq!(
            QuizParticipation::aggregate(&results).events[0].average_percent,
            50
        );
    }

    #[test]
    fn most_missed_serialises_as_pairs() {
        let results = [result(Some((EVENT_A, "A")), 1, 2, &["wq-03"], 1)];
        let json = serde_json::to_value(QuizParticipation::aggregate(&results)).expect("json");
        assert_eq!(
            json["events"][0]["most_missed"],
            serde_json::json!([["wq-03", 1]])
        );
        assert_eq!(json["events"][0]["event_id"], EVENT_A);
        assert_eq!(json["solo_results"], 0);
        assert_eq!(json["total_participants"], 1);
        let back: QuizParticipation = serde_json::from_value(json).expect("parse back");
        assert_eq!(back, QuizParticipation::aggregate(&results));
    }
}

//! A quiz on screen: the question being asked, its options, the feedback
//! after each answer, and the score at the end. Used by the solo quiz and
//! by each participant of an event. The rules are `protocol::quiz::Play`'s.

use std::time::Duration;

use leptos::prelude::*;
use protocol::quiz::{Answer, DrawnQuestion, Play, QuestionKind, QuizResult, Stage};

use super::strings::{lt, progress, strings};
use web_shared::i18n::use_i18n;

/// The question being asked, or its feedback. Calls `on_over` once the last
/// feedback was read.
#[component]
pub fn QuizView(
    play: RwSignal<Play>,
    /// Seconds per question; `None`: no time limit.
    seconds: Option<u32>,
    on_over: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let picked = RwSignal::new(Answer::default());
    let right = RwSignal::new(None::<bool>);
    let left = RwSignal::new(seconds.unwrap_or(0));
    let stage = Memo::new(move |_| play.with(Play::stage));

    // The countdown: one tick a second while a question is asked.
    if seconds.is_some() {
        let tick = set_interval_with_handle(
            move || {
                if !matches!(stage.get_untracked(), Stage::Asking(_)) {
                    return;
                }
                let now = left.get_untracked().saturating_sub(1);
                left.set(now);
                if now == 0 {
                    play.update(|play| {
                        let _ = play.time_up();
                    });
                    right.set(None);
                }
            },
            Duration::from_secs(1),
        );
        if let Ok(tick) = tick {
            on_cleanup(move || tick.clear());
        }
    }

    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answer = picked.get_untracked();
        let mut outcome = None;
        play.update(|play| outcome = play.answer(answer).ok());
        if let Some(correct) = outcome {
            right.set(Some(correct));
        }
    };
    let next = move |_| {
        let mut stage = Stage::Over;
        play.update(|play| stage = play.go_on().unwrap_or(Stage::Over));
        picked.set(Answer::default());
        right.set(None);
        left.set(seconds.unwrap_or(0));
        if stage == Stage::Over {
            on_over.run(());
        }
    };

    move || {
        let total = play.with(|play| play.questions().len());
        let (position, asking) = match stage.get() {
            Stage::Asking(i) => (i, true),
            Stage::Feedback(i) => (i, false),
            Stage::Over => return ().into_any(),
        };
        let Some(question) = play.with(|play| play.current().cloned()) else {
            return ().into_any();
        };
        let locale = i18n.locale();
        let s = strings(locale);
        let counter = progress(locale, position + 1, total);
        let prompt = locale.text(question.prompt()).to_owned();
        let multiple = question.kind() == QuestionKind::Multiple;
        let hint = if multiple {
            s.pick_hint_multiple
        } else {
            s.pick_hint_single
        };
        let expected = question.correct_answer();
        let options = question
            .options()
            .enumerate()
            .map(|(shown, text)| {
                let id = format!("option-{shown}");
                let label = locale.text(text).to_owned();
                let mark = if asking {
                    ""
                } else if expected.contains(shown) {
                    "option right-option"
                } else {
                    "option"
                };
                view! {
                    <li class=if mark.is_empty() { "option" } else { mark }>
                        <input
                            type=if multiple { "checkbox" } else { "radio" }
                            name="answer"
                            id=id.clone()
                            disabled=!asking
                            prop:checked=move || picked.with(|a| a.contains(shown))
                                || (!asking && play.with(|p| p.answer_at(position).is_some_and(|a| a.contains(shown))))
                            on:change=move |_| picked.update(|answer| {
                                if multiple {
                                    answer.toggle(shown);
                                } else {
                                    *answer = Answer::one(shown);
                                }
                            })
                        />
                        <label for=id>{label}</label>
                    </li>
                }
            })
            .collect_view();
        let feedback = (!asking).then(|| {
            let verdict = match right.get() {
                Some(true) => s.right,
                Some(false) => s.wrong,
                None if play.with(|p| p.answer_at(position).is_none()) => s.time_up,
                None => {
                    if play.with(|p| {
                        p.answer_at(position)
                            .is_some_and(|a| question.is_correct(a))
                    }) {
                        s.right
                    } else {
                        s.wrong
                    }
                }
            };
            let last = position + 1 == total;
            view! {
                <div class="feedback" role="status">
                    <p class="verdict"><strong>{verdict}</strong></p>
                    <p>{s.right_answer}{right_answer(&question, locale)}</p>
                    <p class="explanation">{locale.text(question.explanation()).to_owned()}</p>
                    <p class="source">{s.source}{locale.text(question.source()).to_owned()}</p>
                    <button type="button" class="button primary" on:click=next>
                        {if last { s.see_score } else { s.next }}
                    </button>
                </div>
            }
        });
        view! {
            <form class="quiz" on:submit=confirm>
                <p class="quiz-progress">{counter}</p>
                {seconds.map(|_| view! {
                    <p class="timer" aria-live="off">
                        {lt(|s| s.seconds_left)} ": " {move || left.get()}
                    </p>
                })}
                <fieldset>
                    <legend class="prompt">{prompt}</legend>
                    <p class="hint">{hint}</p>
                    <ul class="options">{options}</ul>
                </fieldset>
                {asking.then(|| view! {
                    <button
                        type="submit"
                        class="button primary"
                        disabled=move || picked.with(Answer::is_empty)
                    >
                        {lt(|s| s.confirm)}
                    </button>
                })}
                {feedback}
            </form>
        }
        .into_any()
    }
}

/// The right options of a question, as shown, joined.
pub fn right_answer(question: &DrawnQuestion, locale: web_shared::i18n::Locale) -> String {
    question
        .correct_answer()
        .indexes()
        .filter_map(|shown| question.option(shown))
        .map(|text| locale.text(text).to_owned())
        .collect::<Vec<_>>()
        .join(if locale == web_shared::i18n::Locale::ZhCn {
            "、"
        } else {
            "; "
        })
}

/// The score and the questions missed, with their right answers.
#[component]
pub fn ScoreView(result: QuizResult, questions: Vec<DrawnQuestion>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let locale = i18n.locale();
        let s = strings(locale);
        let missed: Vec<_> = result
            .missed()
            .filter_map(|outcome| questions.get(outcome.position))
            .map(|question| {
                view! {
                    <li>
                        <p class="prompt">{locale.text(question.prompt()).to_owned()}</p>
                        <p>{s.right_answer}{right_answer(question, locale)}</p>
                        <p class="explanation">{locale.text(question.explanation()).to_owned()}</p>
                    </li>
                }
            })
            .collect();
        let none = missed.is_empty();
        view! {
            <p class="score" role="status">
                {s.score} ": "
                <strong>{format!("{} / {}", result.correct(), result.total())}</strong>
                {format!(" ({}%)", result.percent())}
            </p>
            <h3>{s.missed}</h3>
            {if none {
                view! { <p>{s.none_missed}</p> }.into_any()
            } else {
                view! { <ol class="missed">{missed}</ol> }.into_any()
            }}
        }
    }
}

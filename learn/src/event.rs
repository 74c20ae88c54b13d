//! Class and event mode on one device.
//!
//! The leader sets the event up (`EventSetup`); from then on the device
//! stays in event mode (`EventMode`) until the leader types their code:
//! - participants pass the device: nickname → quiz → score → "pass to the
//!   next person", which clears everything of the previous participant;
//! - the leader's page (behind the code once participants play): the
//!   count, the leaderboard with the summary and the CSV, the presenter
//!   view for a projector, and ending the event.
//!
//! Each participant's score and their result (without nickname) are kept
//! in one transaction (`store.rs`); the sync engine sends the result.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::quiz::{
    draw, leaderboard, packs_at, shuffle, summarize, to_csv, DrawnQuestion, EventField,
    EventSettings, LeaderCode, Level, Nickname, PackChoice, ParticipantScore, Play, QuestionId,
    QuizEventUpload, QuizResultUpload, SplitMix64,
};
use protocol::LocalizedText;
use wasm_bindgen::JsCast;

use super::level::LevelField;
use super::quiz_view::{right_answer, QuizView, ScoreView};
use super::section::{choice_key, random_seed, use_learn, Screen};
use super::store::{EventRecord, LearnStore};
use super::store::{QueuedResult, ResultState};
use super::strings::{lt, progress, strings};
use web_shared::components::Field;
use web_shared::i18n::{localized, use_i18n};
use web_shared::time::now;

/// The leader's form: name, who is playing (the level), pack, number of
/// questions, time, code. The pack list shows only packs that offer the
/// level; changing the level to one the chosen pack does not offer goes
/// back to "mixed".
#[component]
pub fn EventSetup() -> impl IntoView {
    let learn = use_learn();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let level = RwSignal::new(learn.level.get_untracked());
    let pack = RwSignal::new("mixed".to_owned());
    let level_changed = Callback::new(move |level: Level| {
        let offered = learn.packs.with_untracked(|packs| {
            let chosen = pack.get_untracked();
            chosen == "mixed" || packs_at(packs, level).any(|p| p.id().as_str() == chosen)
        });
        if !offered {
            pack.set("mixed".to_owned());
        }
    });
    let questions = RwSignal::new("10".to_owned());
    let seconds = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(EventField, LocalizedText)>::new());
    let code_error = RwSignal::new(None::<LocalizedText>);
    let failed = RwSignal::new(None::<LocalizedText>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let choice = match pack.get_untracked().as_str() {
            "mixed" => PackChoice::Mixed,
            id => match protocol::quiz::PackId::parse(id) {
                Ok(id) => PackChoice::One(id),
                Err(_) => PackChoice::Mixed,
            },
        };
        let settings = EventSettings::parse(
            &name.get_untracked(),
            choice,
            level.get_untracked(),
            &questions.get_untracked(),
            &seconds.get_untracked(),
        );
        let leader = LeaderCode::parse(&code.get_untracked());
        errors.set(match &settings {
            Ok(_) => Vec::new(),
            Err(list) => list.clone(),
        });
        code_error.set(leader.as_ref().err().map(|e| e.message().to_owned_text()));
        let (Ok(settings), Ok(code)) = (settings, leader) else {
            return;
        };
        let event = EventRecord {
            id: uuid::Uuid::new_v4(),
            settings,
            code,
            seed: random_seed(),
            started_at: now(),
            ended_at: None,
            scores: Vec::new(),
        };
        spawn_local(async move {
            let stored = match LearnStore::open().await {
                Ok(store) => {
                    let stored = store.start_event(&event).await;
                    store.close();
                    stored
                }
                Err(error) => Err(error),
            };
            match stored {
                Ok(()) => {
                    learn.event.set(Some(event));
                    learn.screen.set(Screen::Event);
                }
                Err(error) => failed.set(Some(error.message())),
            }
        });
    };

    let error_of = move |field: EventField| {
        localized(move || {
            errors.with(|list| {
                list.iter()
                    .find(|(f, _)| *f == field)
                    .map(|(_, message)| message.clone())
            })
        })
    };

    view! {
        <h1>{lt(|s| s.event_mode)}</h1>
        <p class="lead">{lt(|s| s.event_intro)}</p>
        <form class="event-setup" on:submit=submit novalidate>
            {move || (!errors.with(Vec::is_empty) || code_error.with(Option::is_some)).then(|| view! {
                <p class="form-error-summary" role="alert">{lt(|s| s.fix_errors)}</p>
            })}
            <Field id="event-name" label=lt(|s| s.event_name) help=lt(|s| s.event_name_hint)
                error=error_of(EventField::Name)>
                <input id="event-name" type="text" maxlength="80" autocomplete="off"
                    prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </Field>
            <LevelField id="event-level" level=level on_change=level_changed />
            <Field id="event-pack" label=lt(|s| s.choose_pack)>
                <select id="event-pack" on:change=move |ev| pack.set(event_target_value(&ev))>
                    <option value="mixed" prop:selected=move || pack.with(|p| p == "mixed")>
                        {lt(|s| s.mixed)}
                    </option>
                    {move || {
                        let locale = i18n.locale();
                        let level = level.get();
                        learn.packs.with(|packs| packs_at(packs, level).map(|p| {
                            let id = p.id().as_str().to_owned();
                            let selected = {
                                let id = id.clone();
                                move || pack.with(|p| *p == id)
                            };
                            view! {
                                <option value=id prop:selected=selected>{locale.text(p.title()).to_owned()}</option>
                            }
                        }).collect_view())
                    }}
                </select>
            </Field>
            <Field id="event-questions" label=lt(|s| s.questions) error=error_of(EventField::Questions)>
                <input id="event-questions" type="number" min="1" max="20" inputmode="numeric"
                    prop:value=questions
                    on:input=move |ev| questions.set(event_target_value(&ev)) />
            </Field>
            <Field id="event-seconds" label=lt(|s| s.seconds) help=lt(|s| s.seconds_hint)
                error=error_of(EventField::Seconds)>
                <input id="event-seconds" type="number" min="5" max="300" inputmode="numeric"
                    prop:value=seconds
                    on:input=move |ev| seconds.set(event_target_value(&ev)) />
            </Field>
            <Field id="event-code" label=lt(|s| s.leader_code) help=lt(|s| s.leader_code_hint)
                error=localized(move || code_error.get())>
                <input id="event-code" type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                    prop:value=code
                    on:input=move |ev| code.set(event_target_value(&ev)) />
            </Field>
            {move || failed.get().map(|m| view! {
                <p class="notice" role="alert">{lt(|s| s.storage_failed)}{i18n.locale().text(&m).to_owned()}</p>
            })}
            <div class="actions">
                <button type="submit" class="button primary">{lt(|s| s.start_event)}</button>
                <button type="button" class="button" on:click=move |_| learn.screen.set(Screen::Home)>
                    {lt(|s| s.cancel)}
                </button>
            </div>
        </form>
    }
}

/// Where event mode stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// The leader's page.
    Leader,
    /// A participant types their nickname.
    Nickname,
    /// A participant plays.
    Playing,
    /// A participant sees their score.
    Score,
    Board,
    Presenter,
    /// The leader's code is asked, then `then`.
    Code(CodeFor),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeFor {
    Leader,
    End,
}

/// The questions a participant gets: the event's draw (the same questions
/// for everyone), in an order and option order of their own.
fn questions_for(
    event: &EventRecord,
    packs: &[protocol::quiz::QuizPack],
    seed: u64,
) -> Vec<DrawnQuestion> {
    let mut questions = draw(
        packs,
        &event.settings.choice,
        event.settings.level,
        event.settings.questions,
        event.seed,
    )
    .unwrap_or_default();
    shuffle(&mut questions, &mut SplitMix64::new(seed));
    questions
}

#[component]
pub fn EventMode() -> impl IntoView {
    let learn = use_learn();
    // A reload in event mode opens at the participants' screen: the leader's
    // page is behind the code.
    let fresh = learn
        .event
        .with_untracked(|e| e.as_ref().is_some_and(|e| e.scores.is_empty()));
    let step = RwSignal::new(if fresh { Step::Leader } else { Step::Nickname });
    let nickname = RwSignal::new(None::<Nickname>);
    let play = RwSignal::new(Play::new(Vec::new()));
    let failed = RwSignal::new(None::<LocalizedText>);
    trap_back_button();

    let finish = Callback::new(move |()| {
        let Some(event) = learn.event.get_untracked() else {
            return;
        };
        let Some(nick) = nickname.get_untracked() else {
            return;
        };
        let result = play.with_untracked(Play::result);
        let finished_at = now();
        let score = ParticipantScore {
            nickname: nick,
            correct: result.correct(),
            total: result.total(),
            missed: result.missed().map(|o| o.question.clone()).collect(),
            finished_at,
        };
        let count = |n: usize| u8::try_from(n).unwrap_or(u8::MAX);
        let upload = QuizResultUpload {
            event: Some(QuizEventUpload {
                id: event.id.to_string(),
                name: event.settings.name.as_str().to_owned(),
            }),
            pack: choice_key(&event.settings.choice),
            correct: count(score.correct),
            total: count(score.total),
            missed: score.missed.iter().map(QuestionId::to_string).collect(),
            finished_at,
            mode: protocol::quiz::QuizMode::Event,
        };
        let queued = QueuedResult {
            id: uuid::Uuid::new_v4(),
            upload,
            state: ResultState::Queued,
        };
        step.set(Step::Score);
        spawn_local(async move {
            let stored = match LearnStore::open().await {
                Ok(store) => {
                    let stored = store.add_participant(event.id, score, &queued).await;
                    store.close();
                    stored
                }
                Err(error) => Err(error),
            };
            match stored {
                Ok(event) => {
                    learn.event.set(Some(event));
                    web_shared::sync::trigger(web_shared::sync::Reason::Queued);
                }
                Err(error) => failed.set(Some(error.message())),
            }
        });
    });

    let start_participant = move |name: Nickname| {
        let Some(event) = learn.event.get_untracked() else {
            return;
        };
        let questions = learn
            .packs
            .with_untracked(|packs| questions_for(&event, packs, random_seed()));
        nickname.set(Some(name));
        play.set(Play::new(questions));
        step.set(Step::Playing);
    };
    let next_person = move || {
        // Nothing of the previous participant stays.
        nickname.set(None);
        play.set(Play::new(Vec::new()));
        failed.set(None);
        step.set(Step::Nickname);
    };

    let seconds = learn
        .event
        .with_untracked(|e| e.as_ref().and_then(|e| e.settings.seconds_per_question));
    let i18n = use_i18n();
    view! {
        <p class="event-banner">
            {lt(|s| s.resume_event)} ": "
            <strong>{move || learn.event.with(|e| e.as_ref().map(|e| e.settings.name.as_str().to_owned()))}</strong>
            " · "
            {move || learn.event.with(|e| e.as_ref().map(|e| i18n.locale().label(e.settings.level.label())))}
        </p>
        {move || failed.get().map(|m| view! {
            <p class="notice" role="alert">{lt(|s| s.storage_failed)}{i18n.locale().text(&m).to_owned()}</p>
        })}
        {move || match step.get() {
            Step::Leader => view! { <LeaderPage step=step on_next=Callback::new(move |()| next_person()) /> }.into_any(),
            Step::Nickname => view! { <NicknameForm step=step on_start=Callback::new(start_participant) /> }.into_any(),
            Step::Playing => view! {
                <section aria-labelledby="player-heading">
                    <h2 id="player-heading">{move || nickname.get().map(|n| n.as_str().to_owned())}</h2>
                    <QuizView play=play seconds=seconds on_over=finish />
                </section>
            }.into_any(),
            Step::Score => {
                let (result, questions) = play.with_untracked(|p| (p.result(), p.questions().to_vec()));
                view! {
                    <section aria-labelledby="score-heading">
                        <h2 id="score-heading">
                            {lt(|s| s.your_score)} " · " {move || nickname.get().map(|n| n.as_str().to_owned())}
                        </h2>
                        <ScoreView result=result questions=questions />
                        <button type="button" class="button primary" on:click=move |_| next_person()>
                            {lt(|s| s.pass_on)}
                        </button>
                    </section>
                }.into_any()
            }
            Step::Board => view! { <Board step=step /> }.into_any(),
            Step::Presenter => view! { <Presenter step=step /> }.into_any(),
            Step::Code(target) => view! { <CodePrompt step=step target=target /> }.into_any(),
        }}
    }
}

/// While an event runs, the browser's back button stays in the event.
fn trap_back_button() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", None);
    let handle = window_event_listener(leptos::ev::popstate, move |_| {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", None);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Where this event's results stand on the device.
#[derive(Debug, Clone, Default)]
struct OutboxCounts {
    waiting: usize,
    refused: usize,
    /// The server's reason for the first refused result.
    reason: Option<LocalizedText>,
    sent: usize,
    /// Results this version cannot read, kept on the device.
    unreadable: usize,
    unreadable_reason: Option<String>,
    /// Learn's storage could not be read at all.
    storage_failed: Option<LocalizedText>,
}

#[component]
fn LeaderPage(step: RwSignal<Step>, on_next: Callback<()>) -> impl IntoView {
    let learn = use_learn();
    let count = move || {
        learn
            .event
            .with(|e| e.as_ref().map_or(0, |e| e.scores.len()))
    };
    // This event's results in the outbox: waiting, refused (with the
    // server's first reason), sent; and results on this device that cannot
    // be read (whatever their event: it cannot be read either).
    let outbox = RwSignal::new(OutboxCounts::default());
    let event_id = learn
        .event
        .with_untracked(|e| e.as_ref().map(|e| e.id.to_string()));
    spawn_local(async move {
        let listing = match LearnStore::open().await {
            Ok(store) => {
                let listing = store.results().await;
                store.close();
                listing
            }
            Err(error) => Err(error),
        };
        let mut counts = OutboxCounts::default();
        match listing {
            Ok(listing) => {
                let ours = listing
                    .results
                    .iter()
                    .filter(|r| r.upload.event.as_ref().map(|e| &e.id) == event_id.as_ref());
                for result in ours {
                    match &result.state {
                        ResultState::Queued => counts.waiting += 1,
                        ResultState::Refused(reason) => {
                            counts.refused += 1;
                            counts.reason.get_or_insert_with(|| reason.clone());
                        }
                        ResultState::Sent => counts.sent += 1,
                    }
                }
                counts.unreadable = listing.unreadable.len();
                counts.unreadable_reason = listing.unreadable.first().map(|r| r.error.clone());
            }
            Err(error) => counts.storage_failed = Some(error.message()),
        }
        outbox.set(counts);
    });
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="leader-heading">
            <h2 id="leader-heading">{lt(|s| s.leader)}</h2>
            <p>{lt(|s| s.participants)} ": " <strong class="participant-count">{count}</strong></p>
            <p class="hint">
                {move || {
                    let counts = outbox.get();
                    let s = strings(i18n.locale());
                    if let Some(message) = &counts.storage_failed {
                        i18n.locale().text(message).to_owned()
                    } else if counts.waiting > 0 {
                        format!("{} {}", counts.waiting, s.results_waiting)
                    } else if counts.refused > 0 {
                        let reason = counts.reason.as_ref().map(|r| i18n.locale().text(r).to_owned()).unwrap_or_default();
                        format!("{} {}{reason}", counts.refused, s.results_refused)
                    } else if counts.sent > 0 {
                        s.results_sent.to_owned()
                    } else {
                        String::new()
                    }
                }}
            </p>
            {move || outbox.with(|counts| (counts.unreadable > 0).then(|| {
                let s = strings(i18n.locale());
                let reason = counts.unreadable_reason.clone().unwrap_or_default();
                view! { <p class="notice" role="status">{format!("{} {}{reason}", counts.unreadable, s.results_unreadable)}</p> }
            }))}
            <div class="actions leader-actions">
                <button type="button" class="button primary" on:click=move |_| on_next.run(())>
                    {lt(|s| s.next_participant)}
                </button>
                <button type="button" class="button" on:click=move |_| step.set(Step::Board)>
                    {lt(|s| s.leaderboard)}
                </button>
                <button type="button" class="button" on:click=move |_| step.set(Step::Presenter)>
                    {lt(|s| s.presenter)}
                </button>
                <button type="button" class="button" on:click=move |_| step.set(Step::Code(CodeFor::End))>
                    {lt(|s| s.end_event)}
                </button>
            </div>
        </section>
    }
}

#[component]
fn NicknameForm(step: RwSignal<Step>, on_start: Callback<Nickname>) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<LocalizedText>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Nickname::parse(&typed.get_untracked()) {
            Ok(name) => on_start.run(name),
            Err(e) => error.set(Some(e.message().to_owned_text())),
        }
    };
    view! {
        <form class="nickname" on:submit=submit novalidate>
            <Field id="nickname" label=lt(|s| s.nickname) help=lt(|s| s.nickname_hint)
                error=localized(move || error.get())>
                <input id="nickname" type="text" maxlength="20" autocomplete="off"
                    prop:value=typed
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </Field>
            <button type="submit" class="button primary">{lt(|s| s.start)}</button>
        </form>
        <button type="button" class="link-button leader-link" on:click=move |_| step.set(Step::Code(CodeFor::Leader))>
            {lt(|s| s.leader)}
        </button>
    }
}

#[component]
fn CodePrompt(step: RwSignal<Step>, target: CodeFor) -> impl IntoView {
    let learn = use_learn();
    let typed = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(event) = learn.event.get_untracked() else {
            return;
        };
        if !event.code.matches(&typed.get_untracked()) {
            wrong.set(true);
            return;
        }
        match target {
            CodeFor::Leader => step.set(Step::Leader),
            CodeFor::End => spawn_local(async move {
                if let Ok(store) = LearnStore::open().await {
                    let ended = store.end_event(&event, now()).await;
                    store.close();
                    if ended.is_ok() {
                        learn.event.set(None);
                        learn.screen.set(Screen::Home);
                    }
                }
            }),
        }
    };
    let back = move |_| {
        step.set(match target {
            CodeFor::Leader => Step::Nickname,
            CodeFor::End => Step::Leader,
        })
    };
    view! {
        <form class="code-prompt" on:submit=submit novalidate>
            {(target == CodeFor::End).then(|| view! { <p>{lt(|s| s.end_event_hint)}</p> })}
            <Field id="leader-code" label=lt(|s| s.leader_code) alert=true
                error=Signal::derive(move || wrong.get().then(|| lt(|s| s.wrong_code)().to_owned()))>
                <input id="leader-code" type="password" inputmode="numeric" autocomplete="off" maxlength="8"
                    prop:value=typed
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </Field>
            <div class="actions">
                <button type="submit" class="button primary">
                    {if target == CodeFor::End { lt(|s| s.end_event) } else { lt(|s| s.confirm) }}
                </button>
                <button type="button" class="button" on:click=back>{lt(|s| s.cancel)}</button>
            </div>
        </form>
    }
}

#[component]
fn Board(step: RwSignal<Step>) -> impl IntoView {
    let learn = use_learn();
    let i18n = use_i18n();
    let scores = move || {
        learn
            .event
            .with(|e| e.as_ref().map(|e| e.scores.clone()).unwrap_or_default())
    };
    let prompt_of = move |id: &QuestionId| -> String {
        let locale = i18n.locale();
        learn.packs.with(|packs| {
            packs
                .iter()
                .flat_map(|p| p.questions())
                .find(|q| q.id() == id)
                .map(|q| locale.text(q.prompt()).to_owned())
                .unwrap_or_else(|| id.to_string())
        })
    };
    let download = move |_| {
        let csv = to_csv(&scores());
        let name = learn
            .event
            .with_untracked(|e| e.as_ref().map(|e| e.settings.name.as_str().to_owned()))
            .unwrap_or_default();
        save_file(&format!("{}.csv", file_name(&name)), &csv);
    };
    view! {
        <section aria-labelledby="board-heading">
            <h2 id="board-heading">{lt(|s| s.leaderboard)}</h2>
            {move || {
                let scores = scores();
                if scores.is_empty() {
                    return view! { <p>{lt(|s| s.no_participants)}</p> }.into_any();
                }
                let summary = summarize(&scores);
                let rows = leaderboard(&scores)
                    .into_iter()
                    .map(|standing| view! {
                        <tr>
                            <td>{standing.rank}</td>
                            <th scope="row">{standing.score.nickname.as_str().to_owned()}</th>
                            <td>{format!("{} / {}", standing.score.correct, standing.score.total)}</td>
                            <td>{format!("{}%", standing.score.percent())}</td>
                        </tr>
                    })
                    .collect_view();
                let missed = summary
                    .most_missed
                    .iter()
                    .map(|(id, times)| view! { <li>{prompt_of(id)} " (" {lt(|s| s.times_missed)} " " {*times} ")"</li> })
                    .collect_view();
                view! {
                    <table class="leaderboard">
                        <caption>{move || learn.event.with(|e| e.as_ref().map(|e| e.settings.name.as_str().to_owned()))}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{lt(|s| s.rank)}</th>
                                <th scope="col">{lt(|s| s.nickname)}</th>
                                <th scope="col">{lt(|s| s.correct)}</th>
                                <th scope="col">{lt(|s| s.percent)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <h3>{lt(|s| s.summary)}</h3>
                    <dl class="summary">
                        <dt>{lt(|s| s.participants)}</dt>
                        <dd class="summary-participants">{summary.participants}</dd>
                        <dt>{lt(|s| s.average)}</dt>
                        <dd class="summary-average">{format!("{}%", summary.average_percent)}</dd>
                    </dl>
                    <h3>{lt(|s| s.most_missed)}</h3>
                    <ol class="most-missed">{missed}</ol>
                    <button type="button" class="button" on:click=download>{lt(|s| s.download_csv)}</button>
                }.into_any()
            }}
            <button type="button" class="button" on:click=move |_| step.set(Step::Leader)>
                {lt(|s| s.back_to_event)}
            </button>
        </section>
    }
}

/// A file name from an event's name: no path or reserved characters.
fn file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches('-');
    if cleaned.is_empty() {
        "greenwatch-quiz".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// Offers `text` as a download named `name`.
fn save_file(name: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let link = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(link) = link {
        link.set_href(&url);
        link.set_download(name);
        link.click();
    }
    // Freed once the browser has taken the file.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
}

/// For a classroom projector: the question and options large; the leader
/// reveals the answer, then goes on.
#[component]
fn Presenter(step: RwSignal<Step>) -> impl IntoView {
    let learn = use_learn();
    let i18n = use_i18n();
    let questions = learn.event.with_untracked(|event| {
        event
            .as_ref()
            .map(|event| {
                learn
                    .packs
                    .with_untracked(|packs| questions_for(event, packs, random_seed()))
            })
            .unwrap_or_default()
    });
    let total = questions.len();
    let position = RwSignal::new(0usize);
    let revealed = RwSignal::new(false);
    view! {
        <section class="presenter" aria-labelledby="presenter-heading">
            <h2 id="presenter-heading" class="visually-hidden">{lt(|s| s.presenter)}</h2>
            {move || {
                let locale = i18n.locale();
                let s = strings(locale);
                let Some(question) = questions.get(position.get()).cloned() else {
                    return ().into_any();
                };
                let shown = revealed.get();
                let expected = question.correct_answer();
                let options = question
                    .options()
                    .enumerate()
                    .map(|(i, text)| {
                        let class = if shown && expected.contains(i) { "right-option" } else { "" };
                        view! { <li class=class>{locale.text(text).to_owned()}</li> }
                    })
                    .collect_view();
                let last = position.get() + 1 >= total;
                view! {
                    <p class="quiz-progress">{progress(locale, position.get() + 1, total)}</p>
                    <p class="presenter-prompt">{locale.text(question.prompt()).to_owned()}</p>
                    <ol class="presenter-options" type="A">{options}</ol>
                    {shown.then(|| view! {
                        <div class="feedback" role="status">
                            <p><strong>{s.right_answer}{right_answer(&question, locale)}</strong></p>
                            <p class="explanation">{locale.text(question.explanation()).to_owned()}</p>
                            <p class="source">{s.source}{locale.text(question.source()).to_owned()}</p>
                        </div>
                    })}
                    <div class="actions">
                        {if shown {
                            (!last).then(|| view! {
                                <button type="button" class="button primary" on:click=move |_| {
                                    revealed.set(false);
                                    position.update(|p| *p += 1);
                                }>{s.next}</button>
                            }).into_any()
                        } else {
                            view! {
                                <button type="button" class="button primary" on:click=move |_| revealed.set(true)>
                                    {s.reveal}
                                </button>
                            }.into_any()
                        }}
                    </div>
                }.into_any()
            }}
            <button type="button" class="button" on:click=move |_| step.set(Step::Leader)>
                {lt(|s| s.back_to_event)}
            </button>
        </section>
    }
}

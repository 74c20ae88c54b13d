//! A person alone: choose who is playing (the level) and a pack or
//! "mixed", ten questions playable at that level in a random order with
//! shuffled options, feedback after each, the score with the questions
//! missed, and the best score per pack and level kept on the device.

use leptos::prelude::*;
use leptos::task::spawn_local;
use protocol::quiz::{draw, packs_at, BestScore, PackChoice, Play, QuizPack, QUIZ_LENGTH};

use super::level::{self, LevelField};
use super::quiz_view::{QuizView, ScoreView};
use super::section::{best_key, choice_key, random_seed, use_learn, Screen};
use super::store::LearnStore;
use super::strings::{lt, strings};
use web_shared::i18n::use_i18n;

/// The home screen's list of packs, each with its best score.
#[component]
pub fn PackChooser() -> impl IntoView {
    let learn = use_learn();
    let i18n = use_i18n();
    let best = RwSignal::new(Vec::<(String, BestScore)>::new());
    Effect::new(move |_| {
        let level = learn.level.get();
        let keys: Vec<String> = learn.packs.with(|packs| {
            packs_at(packs, level)
                .map(|p| best_key(&PackChoice::One(p.id().clone()), level))
                .collect()
        });
        spawn_local(async move {
            let Ok(store) = LearnStore::open().await else {
                return;
            };
            let mut found = Vec::new();
            for key in keys
                .into_iter()
                .chain([best_key(&PackChoice::Mixed, level)])
            {
                if let Ok(Some(score)) = store.best(&key).await {
                    found.push((key, score));
                }
            }
            store.close();
            best.set(found);
        });
    });
    let best_of = move |key: String| {
        best.with(|best| {
            best.iter().find(|(k, _)| *k == key).map(|(_, score)| {
                format!("{}/{} ({}%)", score.correct, score.total, score.percent())
            })
        })
    };
    let row = move |choice: PackChoice, title: String, description: String| {
        let key = best_key(&choice, learn.level.get_untracked());
        let heading_id = format!("pack-{}", choice_key(&choice));
        let best_id = format!("best-{}", choice_key(&choice));
        view! {
            <li class="pack">
                <h3 id=heading_id.clone()>{title}</h3>
                <p class="hint">{description}</p>
                <p class="best" id=best_id.clone()>
                    {lt(|s| s.best)} ": "
                    {move || best_of(key.clone()).unwrap_or_else(|| strings(i18n.locale()).no_best.to_owned())}
                </p>
                <button
                    type="button"
                    class="button primary"
                    aria-describedby=best_id
                    aria-labelledby=format!("start-{heading_id} {heading_id}")
                    id=format!("start-{heading_id}")
                    on:click=move |_| learn.screen.set(Screen::Solo(choice.clone()))
                >
                    {lt(|s| s.start)}
                </button>
            </li>
        }
    };
    view! {
        <section aria-labelledby="solo-heading">
            <h2 id="solo-heading">{lt(|s| s.solo)}</h2>
            <LevelField id="solo-level" level=learn.level on_change=Callback::new(level::write) />
            <ul class="packs">
                {move || {
                    let level = learn.level.get();
                    let locale = i18n.locale();
                    let s = strings(locale);
                    let mut rows = vec![row(PackChoice::Mixed, s.mixed.to_owned(), s.mixed_hint.to_owned())];
                    learn.packs.with(|packs| {
                        for pack in packs_at(packs, level) {
                            rows.push(row(
                                PackChoice::One(pack.id().clone()),
                                locale.text(pack.title()).to_owned(),
                                locale.text(pack.description()).to_owned(),
                            ));
                        }
                    });
                    rows
                }}
            </ul>
        </section>
    }
}

/// One solo quiz from the first question to the score.
#[component]
pub fn SoloQuiz(choice: PackChoice) -> impl IntoView {
    let learn = use_learn();
    let packs: Vec<QuizPack> = learn.packs.get_untracked();
    let level = learn.level.get_untracked();
    let questions = draw(&packs, &choice, level, QUIZ_LENGTH, random_seed());
    let Ok(questions) = questions else {
        let error = questions.err();
        let i18n = use_i18n();
        return view! {
            <p class="notice" role="alert">
                {move || error.as_ref().map(|e| i18n.locale().text(&e.message()).to_owned())}
            </p>
            <button type="button" class="button" on:click=move |_| learn.screen.set(Screen::Home)>
                {lt(|s| s.home)}
            </button>
        }
        .into_any();
    };
    let play = RwSignal::new(Play::new(questions));
    let over = RwSignal::new(false);
    let new_best = RwSignal::new(false);
    let key = best_key(&choice, level);
    let finish = Callback::new(move |()| {
        over.set(true);
        let result = play.with_untracked(Play::result);
        let score = BestScore {
            correct: result.correct(),
            total: result.total(),
        };
        let key = key.clone();
        spawn_local(async move {
            if let Ok(store) = LearnStore::open().await {
                if let Ok(true) = store.offer_best(&key, score).await {
                    new_best.set(true);
                }
                store.close();
            }
        });
    });
    let title = {
        let i18n = use_i18n();
        let choice = choice.clone();
        move || {
            let locale = i18n.locale();
            match &choice {
                PackChoice::Mixed => strings(locale).mixed.to_owned(),
                PackChoice::One(id) => packs
                    .iter()
                    .find(|p| p.id() == id)
                    .map(|p| locale.text(p.title()).to_owned())
                    .unwrap_or_default(),
            }
        }
    };
    view! {
        <section class="solo">
            <h2>{title}</h2>
            {move || if over.get() {
                let (result, questions) = play.with(|p| (p.result(), p.questions().to_vec()));
                view! {
                    <ScoreView result=result questions=questions />
                    {move || new_best.get().then(|| view! { <p class="notice">{lt(|s| s.new_best)}</p> })}
                    <div class="actions">
                        <button type="button" class="button primary" on:click={
                            let choice = choice.clone();
                            move |_| learn.restart_solo(choice.clone())
                        }>
                            {lt(|s| s.again)}
                        </button>
                        <button type="button" class="button" on:click=move |_| learn.screen.set(Screen::Home)>
                            {lt(|s| s.home)}
                        </button>
                    </div>
                }.into_any()
            } else {
                view! { <QuizView play=play seconds=None on_over=finish /> }.into_any()
            }}
        </section>
    }
    .into_any()
}

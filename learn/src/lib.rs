//! Learn: environmental quizzes for a person alone (`solo.rs`), and class
//! and event mode for a teacher or an outreach worker with one device
//! (`event.rs`: setup, passing the device, presenter view, leaderboard,
//! CSV). Its own crate and trunk entry (`learn/index.html`, served under
//! `/learn/`), so none of it is in the citizen app's first load; the
//! citizen app's service worker caches it after the first load, so it
//! works with no network at all.
//!
//! - `packs.rs`: the packs bundled in the build, and newer ones the server
//!   serves (kept on the device for offline use);
//! - `store.rs`: best scores, events, the results outbox (IndexedDB,
//!   through `web_shared::idb`);
//! - `results.rs`: sending queued results, the sender Learn gives the
//!   shared sync engine;
//! - `quiz_view.rs`: a quiz on screen (question, feedback, score).
//!
//! The rules (drawing, scoring, the leaderboard, the CSV, names and codes)
//! are `protocol::quiz`'s, tested natively.
//!
//! Invariant: while an event runs, only the event's screens are reachable
//! (no link out, the state survives a reload); leaving takes the leader's
//! code.

mod event;
mod level;
mod packs;
mod quiz_view;
pub mod results;
mod section;
mod solo;
pub mod store;
mod strings;

use leptos::prelude::*;
use leptos::task::spawn_local;

use section::{use_learn, Learn, Screen};
use store::LearnStore;
use strings::lt;
use web_shared::components::{LanguageSwitch, UpdateBanner};
use web_shared::i18n::{provide_i18n, shared};

#[component]
pub fn LearnApp() -> impl IntoView {
    provide_i18n();
    // Learn may be the first page a device opens: it installs the worker
    // too (which caches the app and Learn for offline use).
    let update = web_shared::sw_client::start();
    // The sync engine with Learn's one sender: its quiz results.
    web_shared::sync::start(results::SENDERS);
    let learn = Learn {
        screen: RwSignal::new(Screen::Loading),
        packs: RwSignal::new(protocol::quiz::bundled()),
        packs_updated: RwSignal::new(false),
        event: RwSignal::new(None),
        level: RwSignal::new(level::read()),
    };
    provide_context(learn);
    web_shared::components::use_page_title(shared(|s| s.nav_learn));
    spawn_local(async move {
        let (packs, updated) = packs::load().await;
        learn.packs.set(packs);
        learn.packs_updated.set(updated);
        let running = match LearnStore::open().await {
            Ok(store) => {
                let running = store.active_event().await.ok().flatten();
                store.close();
                running
            }
            Err(_) => None,
        };
        let in_event = running.is_some();
        learn.event.set(running);
        learn.screen.set(if in_event {
            Screen::Event
        } else {
            Screen::Home
        });
        // Newer packs from the server, when it can be reached.
        if let Some((packs, updated)) = packs::refresh().await {
            learn.packs.set(packs);
            learn.packs_updated.set(updated);
        }
    });
    let in_event = move || learn.screen.get() == Screen::Event;

    view! {
        <a class="skip-link" href="#main">{shared(|s| s.skip_to_content)}</a>
        <header class="app-header">
            <span class="brand">
                <img class="brand-icon" src="/icons/icon-192.png" alt="" width="32" height="32" />
                <span>{lt(|s| s.title)}</span>
            </span>
            <LanguageSwitch />
        </header>
        <UpdateBanner update=update />
        <main id="main" tabindex="-1" class="learn">
            {move || match learn.screen.get() {
                Screen::Loading => ().into_any(),
                Screen::Home => view! { <Home /> }.into_any(),
                Screen::Solo(choice) => view! { <solo::SoloQuiz choice=choice /> }.into_any(),
                Screen::EventSetup => view! { <event::EventSetup /> }.into_any(),
                Screen::Event => view! { <event::EventMode /> }.into_any(),
            }}
        </main>
        {move || (!in_event()).then(|| view! { <MainNav /> })}
    }
}

/// The main navigation, as in the citizen app (`BottomNav`), with plain
/// links: every page but this one is the other build's. Hidden in event
/// mode.
#[component]
fn MainNav() -> impl IntoView {
    use web_shared::nav::{paths, ITEMS};
    view! {
        <nav class="bottom-nav" aria-label=shared(|s| s.nav_label)>
            <ul>
                {ITEMS
                    .iter()
                    .map(|item| view! {
                        <li>
                            <a href=item.href aria-current=(item.href == paths::LEARN).then_some("page")>
                                <span class="nav-icon" aria-hidden="true">{item.icon}</span>
                                <span class="nav-label">{shared(item.label)}</span>
                            </a>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn Home() -> impl IntoView {
    let learn = use_learn();
    view! {
        <h1>{lt(|s| s.title)}</h1>
        <p class="lead">{lt(|s| s.intro)}</p>
        <solo::PackChooser />
        <section aria-labelledby="event-heading" class="event-intro">
            <h2 id="event-heading">{lt(|s| s.event_mode)}</h2>
            <p>{lt(|s| s.event_intro)}</p>
            <button type="button" class="button" on:click=move |_| learn.screen.set(Screen::EventSetup)>
                {lt(|s| s.event_mode)}
            </button>
        </section>
        <p class="hint packs-version">
            {lt(|s| s.packs_from)}
            {move || if learn.packs_updated.get() { lt(|s| s.packs_updated)() } else { lt(|s| s.packs_bundled)() }}
        </p>
    }
}

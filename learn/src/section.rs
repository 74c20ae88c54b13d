//! The Learn section's state its screens share (provided by `LearnApp`,
//! read with [`use_learn`]), and the keys and seeds its quizzes use.

use leptos::prelude::*;
use protocol::quiz::{Level, PackChoice, QuizPack};

use super::store::EventRecord;

/// What the Learn section shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Loading the packs and the running event.
    Loading,
    Home,
    Solo(PackChoice),
    EventSetup,
    /// Event mode: the running event's screens (see `event.rs`).
    Event,
}

/// The section's state, for its parts.
#[derive(Clone, Copy)]
pub struct Learn {
    pub screen: RwSignal<Screen>,
    pub packs: RwSignal<Vec<QuizPack>>,
    /// Whether any pack came from the server rather than the build.
    pub packs_updated: RwSignal<bool>,
    /// The running event, in event mode.
    pub event: RwSignal<Option<EventRecord>>,
    /// Who plays solo quizzes, and the event form's first choice: only
    /// questions playable at this level are drawn. Kept on the device
    /// (`level.rs`).
    pub level: RwSignal<Level>,
}

impl Learn {
    /// A fresh solo quiz (setting the screen always redraws it, even when
    /// it is the same choice).
    pub fn restart_solo(&self, choice: PackChoice) {
        self.screen.set(Screen::Solo(choice));
    }
}

pub fn use_learn() -> Learn {
    use_context::<Learn>().unwrap_or_else(|| {
        // Only reachable if a part is mounted outside `LearnApp`: a bug.
        panic!("the Learn section's parts live inside LearnApp")
    })
}

/// The pack's id, or "mixed": what a result says was played.
pub fn choice_key(choice: &PackChoice) -> String {
    match choice {
        PackChoice::Mixed => "mixed".to_owned(),
        PackChoice::One(id) => id.as_str().to_owned(),
    }
}

/// The key a best score is kept under: [`choice_key`] at the level where
/// every question plays (the key of scores kept before levels existed,
/// when every quiz was that), with the level's code after it otherwise
/// (`mixed@primary`), so an easier quiz's score is not another's best.
pub fn best_key(choice: &PackChoice, level: Level) -> String {
    let key = choice_key(choice);
    if level == Level::everything() {
        key
    } else {
        format!("{key}@{}", level.code())
    }
}

/// A seed for a quiz draw from the browser's random source.
pub fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    let filled = web_sys::window()
        .and_then(|window| window.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if filled {
        u64::from_le_bytes(bytes)
    } else {
        (js_sys::Math::random() * u64::MAX as f64) as u64
    }
}

//! Who the questions are for: the level picker of the solo list and the
//! event form, and the solo choice kept on the device. Which questions a
//! level admits is `protocol::quiz::Level`'s rule.

use leptos::prelude::*;
use protocol::quiz::Level;

use super::strings::lt;
use web_shared::components::Field;
use web_shared::i18n::use_i18n;

const KEY: &str = "greenwatch.learn.level";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The level chosen last on this device, in `localStorage`; a missing or
/// unknown value (or no storage) reads as every question.
pub fn read() -> Level {
    local()
        .and_then(|storage| storage.get_item(KEY).ok().flatten())
        .and_then(|code| Level::from_code(&code))
        .unwrap_or_else(Level::everything)
}

/// Private mode or a full disk: the choice lasts this visit only.
pub fn write(level: Level) {
    if let Some(storage) = local() {
        let _ = storage.set_item(KEY, level.code());
    }
}

/// A labelled `<select>` of the levels, youngest first, bound to `level`;
/// `on_change` runs after each choice.
#[component]
pub fn LevelField(
    id: &'static str,
    level: RwSignal<Level>,
    #[prop(optional)] on_change: Option<Callback<Level>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Field id=id label=lt(|s| s.level) help=lt(|s| s.level_hint)>
            <select id=id on:change=move |ev| {
                if let Some(chosen) = Level::from_code(&event_target_value(&ev)) {
                    level.set(chosen);
                    if let Some(on_change) = on_change {
                        on_change.run(chosen);
                    }
                }
            }>
                {Level::ALL
                    .into_iter()
                    .map(|option| view! {
                        <option value=option.code() prop:selected=move || level.get() == option>
                            {move || i18n.locale().label(option.label())}
                        </option>
                    })
                    .collect_view()}
            </select>
        </Field>
    }
}

//! One button that switches to the other interface language. Its text is that
//! language's own name, marked with its `lang`, so a screen reader says it right.

use leptos::prelude::*;

use crate::i18n::{shared, use_i18n};

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || i18n.locale().other();
    view! {
        <button
            type="button"
            class="language-switch"
            lang=move || other().tag()
            title=shared(|s| s.switch_language)
            on:click=move |_| i18n.set_locale(other())
        >
            {move || other().native_name()}
        </button>
    }
}

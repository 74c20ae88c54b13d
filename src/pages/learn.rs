//! Learn: environmental-education quizzes.

use leptos::prelude::*;

use crate::components::use_page_title;
use crate::i18n::use_i18n;

#[component]
pub fn Learn() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.learn_title);
    view! {
        <section class="page">
            <h1>{move || i18n.t().learn_title}</h1>
            <p>{move || i18n.t().learn_intro}</p>
            <p class="notice">{move || i18n.t().learn_unavailable}</p>
        </section>
    }
}

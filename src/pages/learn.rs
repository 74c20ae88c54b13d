//! Learn: environmental-education quizzes.

use leptos::prelude::*;

use crate::components::use_page_title;
use crate::i18n::tr;

#[component]
pub fn Learn() -> impl IntoView {
    use_page_title(|s| s.learn_title);
    view! {
        <section class="page">
            <h1>{tr(|s| s.learn_title)}</h1>
            <p>{tr(|s| s.learn_intro)}</p>
            <p class="notice">{tr(|s| s.learn_unavailable)}</p>
        </section>
    }
}

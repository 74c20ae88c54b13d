//! Any path the router does not know.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::paths;
use crate::components::use_page_title;
use crate::i18n::tr;

#[component]
pub fn NotFound() -> impl IntoView {
    use_page_title(|s| s.not_found_title);
    view! {
        <section class="page">
            <h1>{tr(|s| s.not_found_title)}</h1>
            <p>{tr(|s| s.not_found_body)}</p>
            <p>
                <A href=paths::HOME>{tr(|s| s.not_found_home)}</A>
            </p>
        </section>
    }
}

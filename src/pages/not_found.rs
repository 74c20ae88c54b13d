//! Any path the router does not know.

use leptos::prelude::*;

use crate::components::use_page_title;
use crate::i18n::tr;
use crate::router::{paths, Link};

#[component]
pub fn NotFound() -> impl IntoView {
    use_page_title(|s| s.not_found_title);
    view! {
        <section class="page">
            <h1>{tr(|s| s.not_found_title)}</h1>
            <p>{tr(|s| s.not_found_body)}</p>
            <p>
                <Link href=paths::HOME>{tr(|s| s.not_found_home)}</Link>
            </p>
        </section>
    }
}

//! Home: what GreenWatch is for, and the way to report.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::router::{paths, Link};

#[component]
pub fn Home() -> impl IntoView {
    web_shared::components::use_page_title(crate::i18n::shared(|s| s.nav_home));
    view! {
        <section class="page home">
            <h1>{tr(|s| s.home_title)}</h1>
            <p class="lead">{tr(|s| s.home_intro)}</p>
            <div class="actions">
                <Link href=paths::NEW_REPORT class="button primary">
                    {tr(|s| s.home_report_cta)}
                </Link>
                <Link href=paths::LEARN class="button">
                    {tr(|s| s.home_learn_cta)}
                </Link>
            </div>
            <p class="notice">
                {tr(|s| s.home_urgent)} " "
                <a href="tel:12345">"12345"</a>
            </p>
        </section>
    }
}

//! Home: what GreenWatch is for, and the way to report.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::app::paths;
use crate::components::use_page_title;
use crate::i18n::use_i18n;

#[component]
pub fn Home() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.nav_home);
    view! {
        <section class="page home">
            <h1>{move || i18n.t().home_title}</h1>
            <p class="lead">{move || i18n.t().home_intro}</p>
            <div class="actions">
                <A href=paths::NEW_REPORT attr:class="button primary">
                    {move || i18n.t().home_report_cta}
                </A>
                <A href=paths::LEARN attr:class="button">
                    {move || i18n.t().home_learn_cta}
                </A>
            </div>
            <p class="notice">
                {move || i18n.t().home_urgent} " "
                <a href="tel:12369">"12369"</a>
            </p>
        </section>
    }
}

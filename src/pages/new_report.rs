//! New report. The form itself comes with the report-capture work; until then
//! the page says so plainly and points to the hotline.

use leptos::prelude::*;

use crate::components::use_page_title;
use crate::i18n::use_i18n;

#[component]
pub fn NewReport() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.new_report_title);
    view! {
        <section class="page">
            <h1>{move || i18n.t().new_report_title}</h1>
            <p>{move || i18n.t().new_report_intro}</p>
            <p class="notice">
                {move || i18n.t().new_report_unavailable} " "
                <a href="tel:12369">"12369"</a>
            </p>
        </section>
    }
}

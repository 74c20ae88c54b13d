//! My reports: the reports kept on this device.

use leptos::prelude::*;

use crate::components::use_page_title;
use crate::i18n::use_i18n;

#[component]
pub fn MyReports() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.my_reports_title);
    view! {
        <section class="page">
            <h1>{move || i18n.t().my_reports_title}</h1>
            <p class="empty">{move || i18n.t().my_reports_empty}</p>
        </section>
    }
}

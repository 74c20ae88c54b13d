//! About: the bureau's reporting channels, its commitment and rewards, and
//! which build of the app is running.

use leptos::prelude::*;

use crate::build_info::build_label;
use crate::components::use_page_title;
use crate::i18n::use_i18n;

/// The national environmental hotline.
const HOTLINE: &str = "12369";
/// The Cixi bureau's other numbers (from its published answer to the
/// people's congress, 2017).
const LOCAL_LINES: [&str; 2] = ["63811354", "81890"];

#[component]
pub fn About() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|s| s.about_title);
    let t = move || i18n.t();
    view! {
        <section class="page about">
            <h1>{move || t().about_title}</h1>
            <p>{move || t().about_intro}</p>

            <h2>{move || t().about_hotline_title}</h2>
            <p>{move || t().about_hotline_body}</p>
            <p>
                <a class="button primary" href=format!("tel:{HOTLINE}")>
                    {move || t().about_call} " " {HOTLINE}
                </a>
            </p>

            <h2>{move || t().about_local_lines_title}</h2>
            <p>{move || t().about_local_lines_body}</p>
            <ul class="phone-list">
                {LOCAL_LINES
                    .iter()
                    .map(|number| view! { <li><a href=format!("tel:{number}")>{*number}</a></li> })
                    .collect_view()}
            </ul>

            <h2>{move || t().about_online_title}</h2>
            <ul>
                <li>{move || t().about_online_weibo}</li>
                <li>{move || t().about_online_forums}</li>
                <li>{move || t().about_online_app}</li>
            </ul>

            <h2>{move || t().about_practice_title}</h2>
            <p>{move || t().about_practice_body}</p>

            <h2>{move || t().about_reward_title}</h2>
            <p>{move || t().about_reward_body}</p>

            <p class="build">
                {move || t().about_version} ": " <span data-testid="build-label">{build_label()}</span>
            </p>
        </section>
    }
}

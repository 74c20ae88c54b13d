//! About: the bureau's reporting channels, its commitment and rewards, and
//! which build of the app is running.

use leptos::prelude::*;

use crate::build_info::build_label;
use crate::components::use_page_title;
use crate::i18n::tr;

/// The national environmental hotline.
const HOTLINE: &str = "12369";
/// The Cixi bureau's other numbers (from its published answer to the
/// people's congress, 2017).
const LOCAL_LINES: [&str; 2] = ["63811354", "81890"];

#[component]
pub fn About() -> impl IntoView {
    use_page_title(|s| s.about_title);
    view! {
        <section class="page about">
            <h1>{tr(|s| s.about_title)}</h1>
            <p>{tr(|s| s.about_intro)}</p>

            <h2>{tr(|s| s.about_hotline_title)}</h2>
            <p>{tr(|s| s.about_hotline_body)}</p>
            <p>
                <a class="button primary" href=format!("tel:{HOTLINE}")>
                    {tr(|s| s.about_call)} " " {HOTLINE}
                </a>
            </p>

            <h2>{tr(|s| s.about_local_lines_title)}</h2>
            <p>{tr(|s| s.about_local_lines_body)}</p>
            <ul class="phone-list">
                {LOCAL_LINES
                    .iter()
                    .map(|number| view! { <li><a href=format!("tel:{number}")>{*number}</a></li> })
                    .collect_view()}
            </ul>

            <h2>{tr(|s| s.about_online_title)}</h2>
            <ul>
                <li>{tr(|s| s.about_online_weibo)}</li>
                <li>{tr(|s| s.about_online_forums)}</li>
                <li>{tr(|s| s.about_online_app)}</li>
            </ul>

            <h2>{tr(|s| s.about_practice_title)}</h2>
            <p>{tr(|s| s.about_practice_body)}</p>

            <h2>{tr(|s| s.about_reward_title)}</h2>
            <p>{tr(|s| s.about_reward_body)}</p>

            <p class="build">
                {tr(|s| s.about_version)} ": " <span data-testid="build-label">{build_label()}</span>
            </p>
        </section>
    }
}

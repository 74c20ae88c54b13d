//! About: the bureau's reporting channels, its commitment and rewards, and
//! which build of the app is running.

use leptos::prelude::*;

use crate::build_info::build_label;
use crate::components::use_page_title;
use crate::i18n::tr;

/// The phone line for reports since the local 12369 lines were merged into
/// it (2024); the sources are in `content/channels/channels.json`, which the
/// channels page will show.
const HOTLINE: &str = "12345";
/// The emergency numbers (not merged into 12345, per Guo Ban Fa [2020]
/// No. 53; see `content/channels/channels.json`).
const EMERGENCY_LINES: [&str; 3] = ["110", "119", "120"];

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

            <h2>{tr(|s| s.about_emergency_title)}</h2>
            <p>{tr(|s| s.about_emergency_body)}</p>
            <ul class="phone-list">
                {EMERGENCY_LINES
                    .iter()
                    .map(|number| view! { <li><a href=format!("tel:{number}")>{*number}</a></li> })
                    .collect_view()}
            </ul>

            <h2>{tr(|s| s.about_online_title)}</h2>
            <ul>
                <li>{tr(|s| s.about_online_web)}</li>
                <li>{tr(|s| s.about_online_wechat)}</li>
                <li>{tr(|s| s.about_in_person)}</li>
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
